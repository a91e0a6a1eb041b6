//! The committed libFuzzer corpus (`fuzz/libfuzzer/corpus/<target>/`) replayed through the
//! targets' bodies, so that `cargo test` catches a regression on any input a fuzzing run kept,
//! without cargo-fuzz or a nightly-only sanitizer.

use std::path::Path;

use dmapi_fuzz::targets;

/// One target's body.
type Body = fn(&[u8]);

fn replay(target: &str, body: Body) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("libfuzzer/corpus")
        .join(target);
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        let input = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let outcome = std::panic::catch_unwind(|| body(&input));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
        inputs += 1;
    }
    // A missing or emptied corpus would make this test pass on nothing.
    assert!(
        inputs >= 20,
        "{target}: only {inputs} inputs in {}",
        dir.display()
    );
}

#[test]
fn every_committed_input_passes_its_target() {
    let all: [(&str, Body); 6] = [
        ("envelope", targets::envelope),
        ("outputs", targets::outputs),
        ("zone", targets::zone),
        ("reply", targets::reply),
        ("form", targets::form),
        ("validate", targets::validate),
    ];
    for (target, body) in all {
        replay(target, body);
    }
}
