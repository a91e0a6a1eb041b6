//! Writes the seed corpus of every libFuzzer target (`fuzz/libfuzzer`) from real traffic:
//!
//! `cargo run -p dmapi-fuzz --bin libfuzzer-seeds -- DIR`
//!
//! It lives in the main workspace, not beside the targets, so that the libFuzzer build does not
//! compile the sandbox and the HTTP client (SQLite, rustls) with coverage instrumentation.
//!
//! A sandbox in this process answers every request of the spec twice, with its example
//! parameters and with none (an error answer), plus the login and hand-written edge cases:
//! those answers seed `envelope`, `outputs` and `reply`; the zone in them and the spec's
//! example zone seed `zone`; each request's example parameters, as a form body and as
//! command-line values, seed `form` and `validate`. The committed corpus is this, minimised
//! with `cargo fuzz cmin` together with what runs found (see RELIABILITY.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dmapi::meta::{RequestMeta, ValueType};
use dmapi::{Envelope, metadata};
use dmapi_fuzz::seeds::{EDGE_ANSWERS, sandbox_answers, urlencoded};

/// Malformed request bodies the sandbox must refuse (RELIABILITY.md, "Bad input").
const BAD_FORMS: &[&[u8]] = &[
    b"domain-check\ndomain=%zz.com",
    b"domain-check\ndomain=%ff%fe.com",
    b"domain-check\ndomain=\xff\xfe.com",
    b"domain-check\n%=x",
    b"domain-check\ndomain=a.com&domain=b.com",
    b"domain-check\ndomain=a%0Ab.com",
    b"domain-renew\ndomain=example.com&period=0",
    b"DOMAIN-CHECK\nDomain=example.com&x=1",
];

/// A request's example parameters, without the session.
fn examples(meta: &RequestMeta) -> Vec<(String, String)> {
    meta.example_params()
}

fn write(dir: &Path, target: &str, name: &str, data: &[u8]) -> Result<(), String> {
    let dir = dir.join(target);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = dir.join(name);
    std::fs::write(&file, data).map_err(|e| format!("{}: {e}", file.display()))
}

fn run(dir: &Path) -> Result<(), String> {
    let mut all: Vec<String> = EDGE_ANSWERS.iter().map(|s| (*s).to_owned()).collect();
    all.extend(sandbox_answers()?);
    for (i, a) in all.iter().enumerate() {
        for target in ["envelope", "outputs", "reply"] {
            write(dir, target, &format!("answer-{i:03}"), a.as_bytes())?;
        }
    }

    // Zones: what dns-zone-get answered, the spec's example zone, an edge case.
    let mut zones = vec![
        ValueType::Zone.example().into_owned(),
        EDGE_ANSWERS[6].to_owned(),
    ];
    zones.extend(
        all.iter()
            .filter_map(|a| Envelope::parse(a, &dmapi::metadata::PROTOCOL).ok())
            .filter(|e| e.is_success() && e.payload().contains(" A "))
            .map(|e| e.payload().to_owned()),
    );
    for (i, z) in zones.iter().enumerate() {
        write(dir, "zone", &format!("zone-{i:03}"), z.as_bytes())?;
    }

    for meta in metadata::REQUESTS {
        let params = examples(meta);
        let mut with_sid = vec![(metadata::SESSION.param.to_string(), "sid".to_owned())];
        with_sid.extend(params.iter().cloned());
        let form = format!("{}\n{}", meta.name, urlencoded(&with_sid));
        // Names of the newer API have slashes (`v2/contact/create`).
        let file = meta.name.replace('/', "_");
        write(dir, "form", &file, form.as_bytes())?;
        let lines: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let args = format!("{}\n{}", meta.name, lines.join("\n"));
        write(dir, "validate", &file, args.as_bytes())?;
    }
    for (i, f) in BAD_FORMS.iter().enumerate() {
        write(dir, "form", &format!("bad-{i:02}"), f)?;
    }
    println!(
        "{} answers, {} zones, {} requests",
        all.len(),
        zones.len(),
        metadata::REQUESTS.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("libfuzzer/corpus"));
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("seeds: {e}");
            ExitCode::FAILURE
        }
    }
}
