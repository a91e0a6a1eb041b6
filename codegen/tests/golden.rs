//! Golden snapshots and determinism of the generated code: the fixture spec
//! (`tests/golden/fixture.rs`) and the project's own spec (`tests/golden/dmapi.rs`).
//!
//! Set `DMAPI_BLESS=1` to rewrite both after an intended change, and review their diff.

use std::path::Path;

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec")
}

fn generate_fixture() -> String {
    let spec =
        dmapi_codegen::load_dir(&fixture_dir()).unwrap_or_else(|e| panic!("fixture spec: {e}"));
    dmapi_codegen::generate(&spec).unwrap_or_else(|e| panic!("generate: {e}"))
}

/// Compares `code` with `tests/golden/<name>`, or rewrites it under `DMAPI_BLESS`.
fn assert_golden(name: &str, code: &str) {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("DMAPI_BLESS").is_some() {
        std::fs::write(&golden, code).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&golden)
        .expect("golden file exists (run with DMAPI_BLESS=1 to create it)");
    if code != expected {
        let first = code
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| code.lines().count().min(expected.lines().count()));
        panic!(
            "generated code differs from tests/golden/{name}, first at line {}:\n  generated: {:?}\n  golden:    {:?}\n\
             If the change is intended, rerun with DMAPI_BLESS=1 and review the diff.",
            first + 1,
            code.lines().nth(first),
            expected.lines().nth(first)
        );
    }
}

#[test]
fn fixture_matches_golden_file() {
    assert_golden("fixture.rs", &generate_fixture());
}

/// The project spec's output, as the `dmapi` crate compiles it (server side included): every
/// change to the generator or the spec shows up in this file's diff.
#[test]
fn project_spec_matches_golden_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let code = dmapi_codegen::generate_dir(&dir).unwrap_or_else(|e| panic!("project spec: {e}"));
    assert_golden("dmapi.rs", &code);
}

#[test]
fn output_starts_with_generated_marker() {
    let code = generate_fixture();
    assert!(
        code.starts_with("// @generated"),
        "first line: {:?}",
        code.lines().next()
    );
    assert_eq!(code.lines().next(), Some(dmapi_codegen::GENERATED_HEADER));
}

#[test]
fn same_spec_gives_same_bytes() {
    let runs: Vec<String> = (0..5).map(|_| generate_fixture()).collect();
    assert!(
        runs.windows(2).all(|w| w[0] == w[1]),
        "codegen output is not deterministic"
    );
}

#[test]
fn spec_files_are_listed_in_name_order() {
    // Output order follows this listing, so it must not depend on the directory order.
    let files = dmapi_codegen::spec_files(&fixture_dir()).expect("list fixture");
    let names: Vec<_> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn project_spec_generates_parseable_code() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let code = dmapi_codegen::generate_dir(&dir).unwrap_or_else(|e| panic!("project spec: {e}"));
    syn::parse_file(&code).expect("generated code parses");
    assert_eq!(
        code,
        dmapi_codegen::generate_dir(&dir).unwrap(),
        "project spec output is deterministic"
    );
}
