//! The `dmapi` binary as users run it: help built from the spec, the demo, output formats and
//! exit codes, against an embedded sandbox (`--sandbox`); no network.

use std::process::{Command, Output};

use dmapi::metadata;

fn dmapi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dmapi"))
        .args(args)
        .env_remove("DMAPI_API_KEY")
        .env_remove("DMAPI_USERNAME")
        .env_remove("DMAPI_PASSWORD")
        .output()
        .expect("the dmapi binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_lists_every_request_and_register_shows_its_required_flags() {
    let o = dmapi(&["--help"]);
    assert!(o.status.success());
    let help = stdout(&o);
    // Every request, beyond-the-docs ones and aliases (`query-host-list`, summary "Alias of
    // query-ns-list.") included.
    for meta in metadata::REQUESTS.iter() {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&*meta.name)),
            "{} missing from --help",
            meta.name
        );
    }
    let o = dmapi(&["domain-register", "--help"]);
    let usage = stdout(&o);
    for flag in [
        "--domain <DOMAIN>",
        "--period <MONTHS>",
        "--owner-c <HANDLE>",
        "--ns-list",
    ] {
        assert!(usage.contains(flag), "{flag} missing: {usage}");
    }
    assert!(dmapi(&["host-create", "--help"]).status.success());
    let o = dmapi(&["v2/contact/create", "--help"]);
    assert!(stdout(&o).contains("--tld <TEXT>"), "{}", stdout(&o));
}

#[test]
fn the_demo_runs_a_whole_session_and_exits_zero() {
    let o = dmapi(&["demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for step in [
        "login",
        "contact-create",
        "domain-check",
        "domain-register",
        "ns-create",
        "dns-zone-put",
        "query-domain-list",
        "domain-renew",
        "result-list",
        "logout",
    ] {
        assert!(out.contains(step), "step {step} missing:\n{out}");
    }
    assert!(
        out.contains("nothing renewed"),
        "the second expyear renewal is a no-op:\n{out}"
    );
    assert!(out.contains("demo finished"), "{out}");
}

#[test]
fn output_formats_and_exit_codes() {
    let o = dmapi(&["--sandbox", "query-domain-list", "--showstatus"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(table.starts_with("domain "), "{table}");
    assert!(table.contains("example.com"), "{table}");

    let o = dmapi(&[
        "--sandbox",
        "--json",
        "domain-check",
        "--domain",
        "premium-x.com",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["request"], "domain-check");
    assert!(
        json["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|kv| kv[1] == "premium")
    );

    let o = dmapi(&["--sandbox", "login", "--raw", "--api-key", "nope"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("API key is invalid"), "{}", stderr(&o));

    let o = dmapi(&[
        "--sandbox",
        "domain-renew",
        "--domain",
        "example.com",
        "--expyear",
        "2031",
        "--wait",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("succeeded"), "{}", stdout(&o));

    // `--wait --json`: the result's declared keys, typed, by their field names.
    let o = dmapi(&[
        "--sandbox",
        "domain-renew",
        "--domain",
        "example.com",
        "--expyear",
        "2032",
        "--wait",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let last = out.lines().last().unwrap_or_default();
    let done: serde_json::Value = serde_json::from_str(last).unwrap();
    assert_eq!(done["ack"], true, "{out}");
    assert_eq!(done["result"]["domain"], "example.com", "{out}");
    assert!(done["result"]["expiration_date"].is_string(), "{out}");
    assert!(done["result"]["amount"].is_string(), "{out}");

    // API error: the request, the status code and text, every Error line.
    let o = dmapi(&[
        "--sandbox",
        "domain-renew",
        "--domain",
        "nope.com",
        "--period",
        "12",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("domain-renew: status 2303 Object does not exist"),
        "{err}"
    );
    assert!(
        err.contains("Error: domain `nope.com` is not in this account"),
        "{err}"
    );

    // Usage: clap's groups, bad values, missing credentials.
    let o = dmapi(&[
        "--sandbox",
        "domain-renew",
        "--domain",
        "example.com",
        "--period",
        "12",
        "--expyear",
        "2030",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = dmapi(&["--sandbox", "domain-check", "--domain", "not a domain"]);
    assert_eq!(o.status.code(), Some(2));
    let o = dmapi(&["domain-check", "--domain", "example.com"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no credentials"), "{}", stderr(&o));

    // Transport: nothing listens there.
    let o = dmapi(&[
        "--endpoint",
        "http://127.0.0.1:9",
        "--api-key",
        "k",
        "query-profile",
    ]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
}

#[test]
fn secrets_stay_out_of_human_and_json_output() {
    let o = dmapi(&[
        "--sandbox",
        "--json",
        "login",
        "--username",
        "reseller@example.com",
        "--password",
        "wrong",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(!stdout(&o).contains("wrong") && !stderr(&o).contains("wrong"));
}
