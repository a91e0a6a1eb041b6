//! `dmapi zone export|diff|apply` as users run it: the binary against a sandbox this test starts
//! and keeps running across the binary's runs (`--endpoint` on loopback), checked with the typed
//! client; no network.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::tmux::Tmux;
use dmapi::{DnsZonePut, Request, Requests, Zone};
use dmapi_sandbox::Sandbox;
use serde_json::Value;

/// A sandbox (serving on its own runtime), a typed client for it, and a scratch directory.
struct Fixture {
    sandbox: Sandbox,
    client: dmapi::Client,
    dir: PathBuf,
    // Last: the sandbox's tasks run on it until the sandbox is dropped.
    rt: tokio::runtime::Runtime,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let sandbox = rt
            .block_on(Sandbox::builder().async_delay(Duration::ZERO).start())
            .expect("the sandbox starts");
        let client = sandbox.client_builder().build().expect("a client");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("zone-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Fixture {
            sandbox,
            client,
            dir,
            rt,
        }
    }

    /// The `dmapi` command, pointed at the sandbox, with its credentials in the environment.
    fn command(&self, args: &[&str]) -> Command {
        let c = self.sandbox.credentials();
        let mut cmd = common::dmapi();
        cmd.args(["--poll-delay", "20", "--endpoint", self.sandbox.url()])
            .args(args)
            .env("DMAPI_USERNAME", &c.username)
            .env("DMAPI_PASSWORD", &c.password)
            .stdin(Stdio::null());
        cmd
    }

    fn dmapi(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the dmapi binary runs")
    }

    /// Runs `dmapi` with `input` on its standard input.
    fn dmapi_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the dmapi binary runs");
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(input.as_bytes())
                .expect("stdin takes the zone");
        }
        child.wait_with_output().expect("dmapi ends")
    }

    /// A path in the scratch directory.
    fn path(&self, file: &str) -> String {
        self.dir.join(file).to_string_lossy().into_owned()
    }

    /// Writes a file in the scratch directory and gives its path.
    fn write(&self, file: &str, text: &str) -> String {
        let path = self.path(file);
        std::fs::write(&path, text).expect("the scratch file is written");
        path
    }

    /// The zone as the sandbox has it now.
    fn live(&self) -> Zone {
        self.rt
            .block_on(async { self.client.dns_zone_get(domain()).await })
            .expect("dns-zone-get")
            .output
    }

    /// Puts a zone with the typed client and waits for it.
    fn put(&self, text: &str) {
        self.rt.block_on(async {
            let s = self
                .client
                .dns_zone_put(domain(), Zone::parse(text))
                .await
                .expect("dns-zone-put")
                .output;
            let done = self.client.wait(&s).await.expect("the put completes");
            assert!(done.is_ack());
        });
    }

    /// How many `dns-zone-put` requests reached the sandbox.
    fn puts(&self) -> u64 {
        self.sandbox.received(DnsZonePut::NAME)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn domain() -> dmapi::DomainName {
    "example.com".parse().expect("a domain name")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn export_edit_diff_apply_and_the_second_diff_and_apply_change_nothing() {
    let f = Fixture::new("round-trip");
    let file = f.path("example.com.zone");
    let o = f.dmapi(&["zone", "export", "example.com", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("written to {file}")),
        "{}",
        stdout(&o)
    );
    let exported = std::fs::read_to_string(&file).expect("the export is there");
    assert_eq!(exported, f.live().to_text().expect("writable"));
    assert!(
        exported.starts_with("$dnssec=no\n$dyndns=no::\n"),
        "directives kept: {exported}"
    );
    // To stdout, the same text.
    let o = f.dmapi(&["zone", "export", "example.com"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), exported);

    let o = f.dmapi(&["zone", "diff", "--exit-code", "example.com", &file]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!("example.com: no changes, the live zone matches {file}\n")
    );

    // Change one record, remove one, add one (a TXT, which the sandbox answers in the live
    // server's `TXT 0  "value "` form).
    let edited = exported
        .replace("@ A 0 192.0.2.1 86400", "@ A 0 192.0.2.9 86400")
        .replace("www CNAME 0 example.com 86400\n", "")
        + "_acme-challenge TXT 0 \"token 123\" 300\n";
    std::fs::write(&file, &edited).expect("the edit is saved");
    let expected = format!(
        "~ @ A 0 192.0.2.1 86400\n  -> @ A 0 192.0.2.9 86400\n- www CNAME 0 example.com 86400\n\
         + _acme-challenge TXT 0 \"token 123\" 300\n\
         example.com: 3 changes to apply from {file} (1 added, 1 removed, 1 changed)\n"
    );
    let o = f.dmapi(&["zone", "diff", "--exit-code", "example.com", &file]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o), expected, "no colour off a terminal");
    assert!(stderr(&o).contains("3 changes pending"), "{}", stderr(&o));
    // Without --exit-code, pending changes are not a failure.
    let o = f.dmapi(&["zone", "diff", "example.com", &file]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(f.puts(), 0, "diff puts nothing");

    let o = f.dmapi(&["zone", "apply", "--yes", "example.com", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with(&expected), "{out}");
    assert!(out.contains("applied: example.com's zone stored"), "{out}");
    assert_eq!(f.puts(), 1);
    let live = f.live();
    assert!(live.find_value("@", "A", "192.0.2.9").is_some(), "{live:?}");
    assert_eq!(live.find("www", "CNAME").count(), 0, "{live:?}");
    assert!(
        live.find_value("_acme-challenge", "TXT", "token 123")
            .is_some()
    );
    assert_eq!(live.dnssec(), Some(false));

    let o = f.dmapi(&["zone", "diff", "--exit-code", "example.com", &file]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("no changes"), "{}", stdout(&o));
    let o = f.dmapi(&["zone", "apply", "--yes", "example.com", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("no changes"), "{}", stdout(&o));
    assert_eq!(f.puts(), 1, "the second apply puts nothing");
}

#[test]
fn a_domain_without_a_zone_diffs_as_empty_and_apply_creates_its_first_zone() {
    let f = Fixture::new("first-zone");
    let file = f.write(
        "expiring-soon.net.zone",
        "@ A 0 192.0.2.7 86400\nwww CNAME 0 expiring-soon.net 86400\n",
    );
    // Export has nothing to write.
    let o = f.dmapi(&["zone", "export", "expiring-soon.net"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let o = f.dmapi(&["zone", "diff", "--exit-code", "expiring-soon.net", &file]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("expiring-soon.net has no zone yet"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("2 changes to apply"), "{}", stdout(&o));
    let o = f.dmapi(&["zone", "apply", "--yes", "expiring-soon.net", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(f.puts(), 1);
    let o = f.dmapi(&["zone", "diff", "--exit-code", "expiring-soon.net", &file]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // A domain of another account is not a new zone: the refusal stands, nothing is put.
    let o = f.dmapi(&["zone", "apply", "--yes", "not-mine.com", &file]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!stderr(&o).contains("no zone yet"), "{}", stderr(&o));
    assert_eq!(f.puts(), 1);
}

#[test]
fn a_bad_file_is_refused_with_each_bad_line_numbered_and_nothing_is_put() {
    let f = Fixture::new("bad-file");
    let before = f.live();
    let text = "$dnssec=no\n\
                @ A 0 192.0.2.1 86400\n\
                www A 0 192.0.2.300 86400\n\
                @ MX 10 mail.example.com 86400\n\
                low A 0 192.0.2.2 30\n\
                ok TXT 0 \"v\" 60\n\
                evil A 0 192.0.2.66 60 \"\n";
    let file = f.write("bad.zone", text);
    for args in [
        vec!["zone", "diff", "example.com", file.as_str()],
        vec![
            "zone",
            "apply",
            "--yes",
            "--force",
            "example.com",
            file.as_str(),
        ],
    ] {
        let o = f.dmapi(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("3 problems"), "{err}");
        assert!(err.contains("nothing was sent"), "{err}");
        assert!(err.contains(&format!("{file}:3: ")), "{err}");
        assert!(err.contains("`192.0.2.300` is not an address"), "{err}");
        assert!(
            err.contains(&format!("{file}:5: TTL 30 is below 60")),
            "{err}"
        );
        assert!(err.contains(&format!("{file}:7: ")), "{err}");
        assert!(!err.contains(&format!("{file}:6:")), "{err}");
        assert_eq!(stdout(&o), "", "no diff for a bad file");
    }
    // From standard input, named so.
    let o = f.dmapi_stdin(&["zone", "diff", "example.com", "-"], text);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("<stdin>:3: "), "{}", stderr(&o));
    // An empty file is refused too (the server would refuse it).
    let empty = f.write("empty.zone", "\n");
    let o = f.dmapi(&["zone", "apply", "--yes", "example.com", &empty]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("the zone is empty"), "{}", stderr(&o));
    assert_eq!(f.puts(), 0);
    assert_eq!(f.live(), before);
}

#[test]
fn removing_more_than_a_third_of_a_big_zone_needs_force() {
    let f = Fixture::new("guard");
    let records: Vec<String> = (1..=12)
        .map(|i| format!("h{i} A 0 192.0.2.{i} 3600\n"))
        .collect();
    f.put(&format!("$dnssec=no\n{}", records.concat()));
    let puts = f.puts();
    // 5 of 12 go: more than a third.
    let file = f.write(
        "seven.zone",
        &format!("$dnssec=no\n{}", records[..7].concat()),
    );
    let o = f.dmapi(&["zone", "apply", "--yes", "example.com", &file]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("removes 5 of the zone's 12 records, more than a third"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(f.puts(), puts);
    assert_eq!(f.live().records().count(), 12);

    let o = f.dmapi(&["zone", "apply", "--yes", "--force", "example.com", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("5 removed"), "{}", stdout(&o));
    assert_eq!(f.puts(), puts + 1);
    assert_eq!(f.live().records().count(), 7);
}

#[test]
fn apply_off_a_terminal_without_yes_refuses_and_puts_nothing() {
    let f = Fixture::new("no-yes");
    let before = f.live();
    let text = before.to_text().expect("writable") + "new A 0 192.0.2.5 3600\n";
    let file = f.write("new.zone", &text);
    let o = f.dmapi(&["zone", "apply", "example.com", &file]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("pass --yes"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("+ new A 0 192.0.2.5 3600"),
        "{}",
        stdout(&o)
    );
    // A zone on standard input cannot be confirmed either.
    let o = f.dmapi_stdin(&["zone", "apply", "example.com"], &text);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("pass --yes"), "{}", stderr(&o));
    assert_eq!(f.puts(), 0);
    assert_eq!(f.live(), before);
}

#[test]
fn the_json_report_lists_each_change_and_apply_adds_its_outcome() {
    let f = Fixture::new("json");
    let text = "$dnssec=yes\n$dyndns=no::\n@ A 0 192.0.2.1 600\n@ MX 10 mail.example.com 86400\nnew AAAA 0 2001:db8::1 3600\n";
    let file = f.write("j.zone", text);
    let o = f.dmapi(&[
        "--json",
        "zone",
        "diff",
        "--exit-code",
        "example.com",
        &file,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).expect("one JSON report");
    assert_eq!(report["domain"], "example.com");
    assert_eq!(report["file"], file.as_str());
    assert_eq!(report["pending"], true);
    assert_eq!(
        report["summary"],
        serde_json::json!({"added": 1, "removed": 1, "changed": 2})
    );
    let changes = report["changes"].as_array().cloned().unwrap_or_default();
    assert_eq!(changes.len(), 4, "{report}");
    assert_eq!(
        changes[0],
        serde_json::json!({"change": "changed", "kind": "directive", "name": "dnssec",
                           "old": "$dnssec=no", "new": "$dnssec=yes"})
    );
    assert_eq!(changes[1]["kind"], "record");
    assert_eq!(changes[1]["label"], "@");
    assert_eq!(changes[1]["type"], "A");
    assert_eq!(changes[1]["old"]["ttl"], 86400);
    assert_eq!(changes[1]["new"]["ttl"], 600);
    assert_eq!(changes[1]["new"]["line"], "@ A 0 192.0.2.1 600");
    assert_eq!(changes[2]["change"], "removed");
    assert_eq!(changes[2]["type"], "CNAME");
    assert_eq!(changes[2]["old"]["value"], "example.com");
    assert_eq!(changes[3]["change"], "added");
    assert_eq!(changes[3]["new"]["value"], "2001:db8::1");
    assert_eq!(changes[3]["new"]["priority"], "0");

    let o = f.dmapi(&["--json", "zone", "apply", "--yes", "example.com", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    let applied: Value = serde_json::from_str(&stdout(&o)).expect("one JSON report");
    assert_eq!(applied["summary"], report["summary"]);
    assert_eq!(applied["applied"]["ack"], true);
    assert!(applied["applied"]["proc_id"].is_string(), "{applied}");
    assert_eq!(f.live().dnssec(), Some(true));

    let o = f.dmapi(&["--json", "zone", "apply", "--yes", "example.com", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    let again: Value = serde_json::from_str(&stdout(&o)).expect("one JSON report");
    assert_eq!(again["pending"], false);
    assert_eq!(again["applied"], Value::Null);
    assert_eq!(again["changes"], serde_json::json!([]));
    assert_eq!(f.puts(), 1);

    let o = f.dmapi(&["--json", "zone", "export", "example.com"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let export: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(
        export["zone"],
        f.live().to_text().expect("writable").as_str()
    );
}

#[test]
fn on_a_terminal_apply_asks_first_n_changes_nothing_and_y_applies() {
    let f = Fixture::new("tty");
    let file = f.write(
        "tty.zone",
        &(f.live().to_text().expect("writable") + "tty A 0 192.0.2.77 3600\n"),
    );
    let c = f.sandbox.credentials();
    let script = f.write(
        "run.sh",
        &common::script(
            &[
                "--poll-delay",
                "20",
                "--endpoint",
                f.sandbox.url(),
                "zone",
                "apply",
                "example.com",
                &file,
            ],
            &[
                ("DMAPI_USERNAME", &c.username),
                ("DMAPI_PASSWORD", &c.password),
            ],
        ),
    );
    for (answer, code) in [("n", 1), ("y", 0)] {
        let tmux = Tmux::start(&format!("zone-{answer}"), &script);
        tmux.wait_for("[y/N]");
        assert!(
            tmux.screen(true).contains("\x1b["),
            "the diff is coloured on a terminal"
        );
        tmux.keys(answer);
        let screen = tmux.wait_for("EXIT=");
        assert!(screen.contains(&format!("EXIT={code}")), "{screen}");
        if answer == "n" {
            assert!(screen.contains("not applied"), "{screen}");
            assert_eq!(f.puts(), 0);
            assert_eq!(f.live().find("tty", "A").count(), 0);
        } else {
            assert!(
                screen.contains("applied: example.com's zone stored"),
                "{screen}"
            );
            assert_eq!(f.puts(), 1);
            assert!(f.live().find_value("tty", "A", "192.0.2.77").is_some());
        }
    }
}
