//! Every example program, built and run against a sandbox (no credentials in the environment).

use std::process::Command;

fn run(exe: &str, args: &[&str]) -> String {
    let out = Command::new(exe)
        .args(args)
        .env_remove("DMAPI_API_KEY")
        .env_remove("DMAPI_USERNAME")
        .env_remove("DMAPI_PASSWORD")
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{exe} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn list_domains_prints_the_matching_domains_sorted() {
    let exe = env!("CARGO_BIN_EXE_list-domains");
    assert_eq!(run(exe, &[]), "example.com\nexpiring-soon.net\n");
    assert_eq!(run(exe, &["exp*"]), "expiring-soon.net\n");
}

#[test]
fn expiring_next_month_lists_only_domains_expiring_within_two_months() {
    let out = run(env!("CARGO_BIN_EXE_expiring-next-month"), &[]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(lines[0].starts_with("expiring-soon.net:"), "{out}");
}

#[test]
fn replace_admin_c_changes_every_domain_by_tld() {
    let out = run(env!("CARGO_BIN_EXE_replace-admin-c"), &[]);
    assert!(out.contains("example.com: admin-c is now C"), "{out}");
    assert!(out.contains("expiring-soon.net: admin-c is now C"), "{out}");
    assert!(
        out.contains("-NET"),
        "the .net domain gets the .net handle: {out}"
    );
}

#[test]
fn login_and_list_prints_rows_with_column_names() {
    let out = run(env!("CARGO_BIN_EXE_login-and-list"), &[]);
    assert!(out.starts_with("Login: Status-Code: 0"), "{out}");
    assert!(
        out.contains("  domain: example.com\n  expiration_date: "),
        "{out}"
    );
    assert!(out.trim_end().ends_with("Logout: Status-Code: 0"), "{out}");
}

#[test]
fn csharp_demo_runs_each_function() {
    let out = run(env!("CARGO_BIN_EXE_csharp-demo"), &[]);
    for part in [
        "DMAPI-Version:",
        "Account-Balance: 10000.00",
        "Available TLDs:  com ",
        "example.com ",
        "domain.expires: ",
        "Resend to owner@example.com: ACK",
        "Details: verification owner@example.com",
        "Verify: ACK",
        "== Result List",
    ] {
        assert!(out.contains(part), "{part} missing:\n{out}");
    }
}
