//! `docs/requests.md` is generated from the spec and must be current.
//! Refresh it with `cargo run -p dmapi-codegen -- docs spec > docs/requests.md`
//! (or run this test with `DMAPI_BLESS=1`).

use std::path::Path;

#[test]
fn docs_requests_md_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = dmapi_codegen::load_dir(&root.join("spec")).expect("the project spec loads");
    let want = dmapi_codegen::reference(&spec);
    let path = root.join("docs/requests.md");
    if std::env::var_os("DMAPI_BLESS").is_some() {
        std::fs::write(&path, &want).expect("write docs/requests.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/requests.md is stale: run `cargo run -p dmapi-codegen -- docs spec > docs/requests.md`"
    );
}

#[test]
fn the_reference_names_every_request_with_its_parameters() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = dmapi_codegen::load_dir(&root.join("spec")).expect("the project spec loads");
    let text = dmapi_codegen::reference(&spec);
    for r in &spec.requests {
        assert!(text.contains(&format!("\n### {}\n", r.name)), "{}", r.name);
        if r.alias_of.is_none() {
            for p in r.params.iter() {
                let shown = match p.indexed {
                    Some(_) => format!("`{}-1`", p.name),
                    None => format!("`{}`", p.name),
                };
                assert!(text.contains(&shown), "{} {}", r.name, p.name);
            }
        }
    }
}
