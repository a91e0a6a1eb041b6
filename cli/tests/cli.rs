//! The `dmapi` binary as users run it: help built from the spec, the demo, output formats and
//! exit codes, against an embedded sandbox (`--sandbox`); no network.

mod common;

use std::process::Output;

use dmapi::metadata;

fn dmapi(args: &[&str]) -> Output {
    common::dmapi()
        .args(args)
        .output()
        .expect("the dmapi binary runs")
}

/// A renewal in a sandbox of the CLI's own.
const RENEW: &[&str] = &[
    "--sandbox",
    "domain-renew",
    "--domain",
    "example.com",
    "--expyear",
    "2031",
];

/// A registration with the sandbox's contact, waited for; the domain name follows.
const REGISTER: &[&str] = &[
    "domain-register",
    "--wait",
    "--period",
    "12",
    "--owner-c",
    "COCO-4711",
    "--billing-c",
    "COCO-4711",
    "--admin-c",
    "COCO-4711",
    "--tech-c",
    "COCO-4711",
    "--ns-list",
    "ns1.example.com:ns2.example.com",
    "--domain",
];

/// A sandbox account whose queued requests complete at once, and the binary run against it
/// (polling every 20 ms).
struct Account {
    sandbox: dmapi_sandbox::Sandbox,
    // Dropped after the sandbox it runs.
    _rt: tokio::runtime::Runtime,
}

impl Account {
    fn start() -> Account {
        let rt = tokio::runtime::Runtime::new().expect("a runtime");
        let sandbox = rt
            .block_on(
                dmapi_sandbox::Sandbox::builder()
                    .async_delay(std::time::Duration::ZERO)
                    .start(),
            )
            .expect("a sandbox");
        Account { sandbox, _rt: rt }
    }

    fn run(&self, args: &[&str]) -> Output {
        let c = self.sandbox.credentials();
        let mut all = vec![
            "--poll-delay",
            "20",
            "--endpoint",
            self.sandbox.url(),
            "--username",
            &c.username,
            "--password",
            &c.password,
        ];
        all.extend_from_slice(args);
        dmapi(&all)
    }
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
    // Each alias is named on the line of the request it aliases, too.
    for alias in metadata::REQUESTS.iter().filter(|m| m.alias_of.is_some()) {
        let of = alias.alias_of.as_deref().unwrap_or_default();
        let line = help
            .lines()
            .find(|l| l.split_whitespace().next() == Some(of))
            .unwrap_or_else(|| panic!("{of} missing from --help"));
        assert!(
            line.contains("[aliases: ") && line.contains(&*alias.name),
            "{} not shown next to {of}: {line}",
            alias.name
        );
    }
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

    let o = dmapi(&[RENEW, &["--wait"]].concat());
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

#[test]
fn completions_and_man_pages_cover_every_request() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = dmapi(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for name in [
            "ns-create",
            "host-create",
            "query-domain-list",
            "showstatus",
        ] {
            assert!(script.contains(name), "{shell}: {name} missing");
        }
    }
    let o = dmapi(&["completions", "tcsh"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );

    let o = dmapi(&["man"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH dmapi 1"), "{page}");
    assert!(page.contains("domain\\-register"), "subcommands listed");

    let dir = std::env::temp_dir().join(format!("dmapi-man-{}", std::process::id()));
    let o = dmapi(&["man", "--out-dir", dir.to_str().expect("a UTF-8 temp dir")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pages = std::fs::read_dir(&dir).expect("pages written").count();
    // dmapi.1 and one page per subcommand `--help` lists (every request and the CLI's own).
    let help = stdout(&dmapi(&["--help"]));
    let subcommands = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.split_whitespace().next() != Some("help"))
        .count();
    assert!(subcommands > metadata::REQUESTS.len(), "{help}");
    assert_eq!(pages, 1 + subcommands);
    for own in [
        "demo",
        "completions",
        "profile",
        "man",
        "epp-code",
        "renew-expiring",
        "batch",
    ] {
        assert!(dir.join(format!("dmapi-{own}.1")).is_file(), "{own}");
    }
    let page = std::fs::read_to_string(dir.join("dmapi-v2-contact-create.1")).expect("a page");
    assert!(page.contains("tld"), "{page}");
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

#[test]
fn output_modes_columns_and_header() {
    let list = ["--sandbox", "query-domain-list", "--showstatus"];
    let with = |extra: &[&str]| {
        let o = dmapi(&[&list[..], extra].concat());
        assert!(o.status.success(), "{extra:?}: {}", stderr(&o));
        stdout(&o)
    };
    let table = with(&[]);
    let rows = table.lines().count() - 1;
    assert!(rows >= 2, "{table}");

    let csv = with(&["--output", "csv", "--columns", "domain_status,domain"]);
    let mut lines = csv.split("\r\n");
    assert_eq!(lines.next(), Some("domain_status,domain"));
    assert!(lines.any(|l| l == "production,example.com"), "{csv}");
    assert_eq!(csv.matches("\r\n").count(), rows + 1);

    let bare = with(&["-o", "table", "--columns", "domain", "--no-header"]);
    assert_eq!(bare.lines().count(), rows);
    assert!(bare.lines().all(|l| !l.contains(' ')), "{bare}");
    assert!(bare.lines().any(|l| l == "example.com"), "{bare}");

    let jsonl = with(&["--output", "jsonl", "--columns", "domain,expiration_date"]);
    assert_eq!(jsonl.lines().count(), rows);
    for line in jsonl.lines() {
        let row: serde_json::Value = serde_json::from_str(line).expect("a JSON row");
        let keys: Vec<&String> = row.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["domain", "expiration_date"], "{line}");
    }

    let json = with(&["-o", "json", "--columns", "domain"]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(doc["rows"].as_array().map(Vec::len), Some(rows));

    // An unknown column names the ones there are; --columns on a change is refused unsent.
    let o = dmapi(&[&list[..], &["--columns", "owner"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("domain_status"), "{}", stderr(&o));
    let o = dmapi(&[RENEW, &["--columns", "domain"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty(), "nothing was sent: {}", stdout(&o));
}

#[test]
fn profiles_name_where_secrets_come_from_and_never_keep_them() {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let sandbox = rt
        .block_on(dmapi_sandbox::Sandbox::start())
        .expect("a sandbox");
    let c = sandbox.credentials();
    let dir = std::env::temp_dir().join(format!("dmapi-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let config = dir.join("config.toml");
    let write = |text: &str| std::fs::write(&config, text).expect("config written");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        common::dmapi()
            .env("DMAPI_CONFIG", &config)
            .envs(env.iter().copied())
            .args(args)
            .output()
            .expect("the dmapi binary runs")
    };
    write(&format!(
        r#"default = "cmd"

[profiles.cmd]
endpoint = "{url}"
username = "{user}"
password_command = ["sh", "-c", "printf '%s\\n' \"$TEST_SECRET\""]

[profiles.env]
endpoint = "{url}"
username = "{user}"
password_env = "TEST_PASSWORD"
"#,
        url = sandbox.url(),
        user = c.username
    ));
    let secret = c.password.as_str();

    // The default profile, its password from a command.
    let o = run(&["query-domain-list"], &[("TEST_SECRET", secret)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("example.com"), "{}", stdout(&o));
    // Another one by --profile and by DMAPI_PROFILE, its password from a variable.
    let o = run(
        &["--profile", "env", "query-domain-list"],
        &[("TEST_PASSWORD", secret)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(
        &["query-domain-list"],
        &[("DMAPI_PROFILE", "env"), ("TEST_PASSWORD", secret)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["--profile", "env", "query-domain-list"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("$TEST_PASSWORD"), "{}", stderr(&o));
    let o = run(&["--profile", "nope", "query-domain-list"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cmd, env"), "{}", stderr(&o));

    // The list says where secrets come from, and runs nothing.
    let o = run(&["profile", "list"], &[("TEST_SECRET", secret)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = stdout(&o);
    assert!(list.contains("cmd (default)") && list.contains("password from $TEST_PASSWORD"));
    assert!(!list.contains(secret), "{list}");
    let o = run(&["profile", "list", "--json"], &[]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(doc["profiles"].as_array().map(Vec::len), Some(2));

    // A secret in the file is refused, and not echoed.
    write("[profiles.bad]\npassword = \"hunter2hunter2\"\n");
    let o = run(&["profile", "list"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("password_env or password_command"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("hunter2hunter2"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

#[test]
fn verbose_and_trace_log_each_exchange_without_secrets() {
    let o = dmapi(&["--sandbox", "query-domain-list"]);
    assert!(o.status.success() && o.stderr.is_empty(), "{}", stderr(&o));

    let o = dmapi(&["--sandbox", "-v", "query-domain-list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let log = stderr(&o);
    for request in ["login", "query-domain-list"] {
        let line = log
            .lines()
            .find(|l| l.contains(&format!("request=\"{request}\"")))
            .unwrap_or_else(|| panic!("no line for {request}: {log}"));
        assert!(
            line.contains("tracking_id=") && line.contains("status=0"),
            "{line}"
        );
    }
    assert!(!log.contains('\x1b'), "no colour off a terminal: {log}");
    assert!(
        stdout(&o).contains("example.com"),
        "the answer still on stdout"
    );

    let o = dmapi(&["--sandbox", "--trace", "query-domain-list"]);
    let log = stderr(&o);
    assert!(log.contains("answer:\nStatus-Code: 0"), "{log}");

    let o = dmapi(&[
        "--sandbox",
        "--trace",
        "login",
        "--username",
        "a@example.com",
        "--password",
        "hunter2-secret",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let log = stderr(&o);
    assert!(log.contains("\"password\": ***"), "{log}");
    assert!(!log.contains("hunter2-secret"), "{log}");

    // A workflow's typed requests are traced too: forms and answers, the session id and the
    // AUTH-ID of the result as ***.
    let account = Account::start();
    let o = account.run(&["--trace", "epp-code", "example.com"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let code = stdout(&o).trim().to_string();
    let log = stderr(&o);
    let sid = &metadata::PROTOCOL.headers.session_id;
    for shown in [
        "request=\"domain-transfer-get-auth-id\"}: sending form=",
        &format!("{sid}: ***"),
        "The Authorization ID is: ***",
    ] {
        assert!(log.contains(shown), "no {shown:?} in {log}");
    }
    assert!(!code.is_empty() && !log.contains(&code), "{log}");
}

#[test]
fn workflows_expiring_renewals_epp_codes_and_locks() {
    let account = Account::start();
    let (sandbox, run) = (&account.sandbox, |args: &[&str]| account.run(args));

    let o = run(&["expiring"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
    assert!(stdout(&o).contains("expiring-soon.net"), "{}", stdout(&o));
    let o = run(&["expiring", "--within", "100w", "--json"]);
    let all: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let dates: Vec<&str> = all
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|d| d["expiration_date"].as_str())
        .collect();
    assert!(dates.len() >= 2 && dates.is_sorted(), "{dates:?}");

    // A dry run sends nothing; --yes renews; the same run again renews nothing more.
    let until = (dmapi::Date::today().year() + 2).to_string();
    let renew = ["renew-expiring", "--until-year", until.as_str()];
    let o = run(&renew);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("dry run: 1 domain(s)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(sandbox.effects("domain-renew"), 0);
    for expected in ["renewed 1 of 1", "renewed 0 of 0"] {
        let o = run(&[&renew[..], &["--yes"]].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains(expected), "{}", stdout(&o));
        assert_eq!(sandbox.effects("domain-renew"), 1);
    }

    // A premium domain is renewed only with --max-price; its refusal stops no other renewal.
    let o = run(&[REGISTER, &["premium-test.com", "--max-price", "1000"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let later = ["--within", "60w", "--yes"];
    let o = run(&[&renew[..], &later].concat());
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("premium-test.com"), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 refused"), "{}", stdout(&o));
    let renewed = sandbox.effects("domain-renew");
    assert!(renewed > 1, "the others were renewed: {renewed}");
    let o = run(&[&renew[..], &later, &["--max-price", "1000"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("renewed 1 of 1"), "{}", stdout(&o));
    assert_eq!(sandbox.effects("domain-renew"), renewed + 1);

    let o = run(&["epp-code", "example.com"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim().lines().count(), 1, "{}", stdout(&o));
    assert!(!stdout(&o).trim().is_empty());
    for (workflow, request) in [("lock", "domain-lock"), ("unlock", "domain-unlock")] {
        let o = run(&[workflow, "example.com"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(sandbox.effects(request), 1, "{workflow}");
    }
    let o = run(&["lock", "not a domain"]);
    assert_eq!(o.status.code(), Some(2));

    // Privacy: on needs a subscription; once ordered, it turns on and off.
    let o = run(&["privacy", "example.com", "on"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("domain-privacy-order"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "domain-privacy-order",
        "--domain",
        "example.com",
        "--privacy",
        "basic",
        "--wait",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let privacy_now = || {
        let o = run(&[
            "--json",
            "domain-get-property",
            "--domain",
            "example.com",
            "--pname",
            "privacy",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    for (switch, level, shown) in [("on", "pro", "pro"), ("off", "basic", "off")] {
        let o = run(&["privacy", "example.com", switch, "--level", level]);
        assert!(o.status.success(), "{}", stderr(&o));
        let now = privacy_now();
        assert!(now.contains(&format!("\"{shown}\"")), "{switch}: {now}");
    }
}

#[test]
fn dnssec_keys_from_ds_and_dnskey_records_in_the_form_the_tld_takes() {
    let account = Account::start();
    let (sandbox, run) = (&account.sandbox, |args: &[&str]| account.run(args));
    let digest = "1F987CC6583E92DF0890718C42D5BC3DEDF1B5D0DE53A5F1BE2B72E8B96A2AB9";
    let public_key =
        "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==";
    let status = |json: bool| {
        let o = run(&[
            &["dnssec", "example.com", "status"][..],
            if json { &["--json"] } else { &[] },
        ]
        .concat());
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    assert!(
        status(false)
            .contains("example.com: unsigned (whois DNSSEC: unsigned); .com takes DS records"),
        "{}",
        status(false)
    );

    // A whole DS record as dnssec-dsfromkey prints it; sent in the spec's form.
    let record = format!("example.com. 3600 IN DS 2371 13 2 {digest}");
    let o = run(&["--trace", "dnssec", "example.com", "on", "--key", &record]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("DNSSEC on with 1 key(s) (DS data)"),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains(&format!("2371:13:2:{digest}")),
        "{}",
        stderr(&o)
    );
    assert_eq!(sandbox.effects("domain-modify"), 1);
    let now: serde_json::Value = serde_json::from_str(&status(true)).expect("JSON");
    assert_eq!(now["signed"], true, "{now}");

    // A DNSKEY where .com takes DS records, or a bad digest: refused, nothing sent.
    let dnskey = format!("DNSKEY 257 3 13 {public_key}");
    let o = run(&[
        "dnssec",
        "example.com",
        "on",
        "--key",
        &dnskey,
        "--key",
        "2371 13 2 ABCD",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--key: .com takes DS records, this is a DNSKEY record"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("has 64 hex digits, found 4"),
        "{}",
        stderr(&o)
    );
    assert_eq!(sandbox.effects("domain-modify"), 1);

    // A file of records: comments, and a record wrapped in parentheses over three lines.
    let dir = std::env::temp_dir().join(format!("dmapi-dnssec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let file = dir.join("example.com.ds");
    let (a, b) = digest.split_at(30);
    std::fs::write(
        &file,
        format!("; from dnssec-dsfromkey\n{record}\nexample.com. IN DS 2372 13 2 (\n  {a} ; first half\n  {b} )\n"),
    )
    .expect("written");
    let o = run(&[
        "--trace",
        "dnssec",
        "example.com",
        "on",
        "--from",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("with 2 key(s)"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains(&format!("2372:13:2:{digest}")),
        "{}",
        stderr(&o)
    );

    // .de takes DNSKEYs: bare record data is read as one, and sent protocol:alg:flags:key.
    let o = run(&[REGISTER, &["dnssec-test.de"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let bare = format!("257 3 13 {public_key}");
    let o = run(&["--trace", "dnssec", "dnssec-test.de", "on", "--key", &bare]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("(DNSKEY data)"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains(&format!("3:13:257:{public_key}")),
        "{}",
        stderr(&o)
    );

    // off removes the keys; keys given to off, or on without keys, are usage errors.
    let o = run(&["dnssec", "example.com", "off"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        status(false).contains("example.com: unsigned"),
        "{}",
        status(false)
    );
    let before = sandbox.effects("domain-modify");
    for args in [
        &["dnssec", "example.com", "off", "--key", "1 2 3 4"][..],
        &["dnssec", "example.com", "on"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(sandbox.effects("domain-modify"), before);
}
