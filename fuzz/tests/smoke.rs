//! A short fuzz run of every target in the test suite (the minute-long runs are in `.ci/run`).

#[test]
fn every_target_survives_a_short_run() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dmapi-fuzz"))
        .args(["--seconds", "2", "all"])
        .output()
        .expect("the fuzzer runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for target in ["envelope", "outputs", "zone"] {
        assert!(
            stdout.contains(&format!("{target}: ")) && stdout.contains("no panic"),
            "{stdout}"
        );
    }
}
