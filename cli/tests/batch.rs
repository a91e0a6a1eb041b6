//! `dmapi batch FILE` as users run it, against a sandbox in this process (so that the tests
//! can inject faults and count what arrived and what was carried out); no network.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::tmux::Tmux;
use dmapi_sandbox::{Fault, Sandbox};
use serde_json::Value;

/// A sandbox with ten renewable domains (`bulk-000001.com` ...), and a directory for files.
struct Setup {
    // Dropped before the runtime it serves on.
    sandbox: Sandbox,
    dir: PathBuf,
    _rt: tokio::runtime::Runtime,
}

fn setup(name: &str) -> Setup {
    setup_with(name, Sandbox::builder().bulk_domains(10))
}

fn setup_with(name: &str, builder: dmapi_sandbox::SandboxBuilder) -> Setup {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let sandbox = rt.block_on(builder.start()).expect("a sandbox");
    let dir = std::env::temp_dir().join(format!("dmapi-batch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    Setup {
        sandbox,
        dir,
        _rt: rt,
    }
}

impl Setup {
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, text).expect("file written");
        path
    }

    /// `dmapi batch ARGS` against the sandbox, its credentials from the environment.
    fn batch(&self, args: &[&str]) -> Output {
        let c = self.sandbox.credentials();
        common::dmapi()
            .env("DMAPI_USERNAME", &c.username)
            .env("DMAPI_PASSWORD", &c.password)
            .args(["--endpoint", self.sandbox.url(), "batch"])
            .args(args)
            .output()
            .expect("the dmapi binary runs")
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every record of a results file.
fn records(results: &Path) -> Vec<Value> {
    std::fs::read_to_string(results)
        .expect("a results file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect()
}

/// The last record of each line: its state.
fn last_of_each(results: &Path) -> BTreeMap<u64, Value> {
    records(results)
        .into_iter()
        .filter_map(|r| Some((r.get("line")?.as_u64()?, r)))
        .collect()
}

fn outcome(r: &Value) -> &str {
    r["outcome"].as_str().unwrap_or("(none)")
}

/// The summary's count of `what` (`ok`, `refused`, ...), from its `--json` form.
fn count(o: &Output, what: &str) -> u64 {
    let summary: Value = serde_json::from_str(stdout(o).trim())
        .unwrap_or_else(|e| panic!("a JSON summary ({e}): {}", stdout(o)));
    summary[what]
        .as_u64()
        .unwrap_or_else(|| panic!("no {what}: {summary}"))
}

fn renew_line(domain: &str) -> String {
    format!("{{\"request\": \"domain-renew\", \"domain\": \"{domain}\", \"period\": 12}}\n")
}

#[test]
fn a_jsonl_batch_runs_every_line_and_records_each_outcome() {
    let s = setup("jsonl");
    let mut text = String::new();
    text.push_str("{\"request\": \"domain-check\", \"domain\": \"free-1.com\"}\n");
    text.push_str("{\"request\": \"domain-check\", \"domain\": \"example.com\", \"check-price\": \"renew\"}\n");
    text.push('\n');
    text.push_str(&renew_line("bulk-000001.com"));
    text.push_str(&renew_line("bulk-000002.com"));
    // Valid as the spec says, refused by the server: not a domain of the account.
    text.push_str(&renew_line("not-mine.com"));
    let file = s.write("run.jsonl", &text);
    let o = s.batch(&[path(&file), "--json", "--jobs", "3"]);
    assert_eq!(o.status.code(), Some(3), "a line refused: {}", stderr(&o));
    assert_eq!(
        ["ok", "refused", "failed", "unknown", "skipped"].map(|w| count(&o, w)),
        [4, 1, 0, 0, 0]
    );
    assert!(
        stderr(&o).contains("line 6: domain-renew: refused"),
        "{}",
        stderr(&o)
    );
    let results = s.dir.join("run.jsonl.results.jsonl");
    let all = records(&results);
    let run = all[0]["run"]
        .as_str()
        .expect("the run record first")
        .to_owned();
    let last = last_of_each(&results);
    assert_eq!(last.keys().copied().collect::<Vec<_>>(), [1, 2, 4, 5, 6]);
    let check = &last[&1];
    assert_eq!(
        (outcome(check), check["request"].as_str()),
        ("ok", Some("domain-check"))
    );
    assert_eq!(check["params"]["domain"], "free-1.com");
    assert!(check["tracking_id"].is_string() && check["status"].is_u64());
    assert!(check["answer"]["fields"].is_array(), "{check}");
    for (line, domain) in [(4, "bulk-000001.com"), (5, "bulk-000002.com")] {
        let r = &last[&line];
        assert_eq!(outcome(r), "ok", "{r}");
        assert!(r["proc_id"].is_string(), "queued: {r}");
        let cltrid = format!("{run}-{line}");
        assert_eq!(r["cltrid"].as_str(), Some(cltrid.as_str()), "{r}");
        assert_eq!(r["params"]["domain"], domain);
        // Recorded as sent, with that id, before the outcome.
        let sent: Vec<&Value> = all
            .iter()
            .filter(|x| x["line"] == line && outcome(x) == "sent")
            .collect();
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0]["cltrid"].as_str(), Some(cltrid.as_str()));
    }
    let refused = &last[&6];
    assert_eq!(outcome(refused), "refused");
    assert!(
        refused["status"].as_u64().is_some_and(|c| c >= 2000),
        "{refused}"
    );
    assert!(refused["error"].is_string(), "{refused}");
    assert_eq!(s.sandbox.effects("domain-renew"), 2);
    assert_eq!(s.sandbox.received("domain-check"), 2);
}

#[test]
fn csv_batches_with_a_request_column_or_one_request_for_all() {
    let s = setup("csv");
    let file = s.write(
        "checks.csv",
        "domain,check-price\r\nfree-2.com,create\r\n\"free-3.com\",\r\n\"example.com\",renew\r\n",
    );
    let o = s.batch(&[path(&file), "--request", "domain-check", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(&o, "ok"), 3);
    assert_eq!(s.sandbox.received("domain-check"), 3);
    let last = last_of_each(&s.dir.join("checks.csv.results.jsonl"));
    assert_eq!(last.keys().copied().collect::<Vec<_>>(), [2, 3, 4]);
    assert_eq!(last[&3]["params"]["domain"], "free-3.com");

    // A request column, another results path, and the human summary.
    let file = s.write(
        "mixed.txt",
        "request,domain,period\ndomain-renew,bulk-000003.com,12\ndomain-check,free-4.com,\n",
    );
    let results = s.dir.join("mixed-results.jsonl");
    let o = s.batch(&[path(&file), "--format", "csv", "--results", path(&results)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = stdout(&o);
    for want in [
        "2 requests",
        "ok            2",
        "refused       0",
        "skipped       0",
    ] {
        assert!(summary.contains(want), "{want}: {summary}");
    }
    let last = last_of_each(&results);
    assert_eq!(outcome(&last[&2]), "ok");
    assert_eq!(last[&2]["request"], "domain-renew");
    assert_eq!(s.sandbox.effects("domain-renew"), 1);
}

#[test]
fn a_file_with_bad_lines_is_refused_with_their_numbers_and_nothing_is_sent() {
    let s = setup("bad");
    let file = s.write(
        "bad.jsonl",
        &[
            "{\"request\": \"domain-check\", \"domain\": \"fine.com\"}",
            "{\"request\": \"domain-check\", \"domain\": \"not a domain\"}",
            renew_line("bulk-000001.com").trim_end(),
            "{\"request\": \"domain-renew\", \"domain\": \"bulk-000002.com\"}",
            "{\"request\": \"no-such-request\"}",
            "not json",
            "{\"request\": \"domain-check\", \"domain\": \"x.com\", \"bogus\": 1}",
        ]
        .join("\n"),
    );
    let o = s.batch(&[path(&file)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("5 bad line(s); nothing was sent"), "{err}");
    for line in [
        "line 2: domain-check",
        "line 5: unknown request",
        "line 6: not JSON",
        "line 7: domain-check",
    ] {
        assert!(err.contains(line), "{line} missing: {err}");
    }
    // Line 4 lacks the period or expiration year the spec's group asks for.
    assert!(err.contains("line 4: domain-renew"), "{err}");
    assert!(
        !err.contains("line 1:") && !err.contains("line 3:"),
        "{err}"
    );
    assert_eq!(s.sandbox.received("domain-check"), 0);
    assert_eq!(s.sandbox.received("domain-renew"), 0);
    assert_eq!(s.sandbox.session_count(), 0, "not even logged in");
    assert!(!s.dir.join("bad.jsonl.results.jsonl").exists());

    // A CSV row with a field too many, and a CSV without a request column or --request.
    let file = s.write("bad.csv", "request,domain\ndomain-check,a.com,extra\n");
    let o = s.batch(&[path(&file)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 2: 3 fields, the header has 2"),
        "{}",
        stderr(&o)
    );
    let file = s.write("nameless.csv", "domain\na.com\n");
    let o = s.batch(&[path(&file)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--request NAME"), "{}", stderr(&o));
}

#[test]
fn a_resumed_run_skips_what_is_done_and_looks_up_what_was_sent_without_an_outcome() {
    let s = setup("resume");
    let domains = ["bulk-000001.com", "bulk-000002.com", "bulk-000003.com"];
    let text: String = domains.iter().map(|d| renew_line(d)).collect();
    let file = s.write("renew.jsonl", &text);
    let results = s.dir.join("renew.jsonl.results.jsonl");
    let o = s.batch(&[path(&file), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(s.sandbox.effects("domain-renew"), 3);

    // The same file again: nothing is sent.
    let o = s.batch(&[path(&file), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!((count(&o, "skipped"), count(&o, "ok")), (3, 0));
    assert_eq!(s.sandbox.received("domain-renew"), 3);

    // A crash after line 3 was sent, before its outcome was written: its last record goes.
    let kept: Vec<String> = std::fs::read_to_string(&results)
        .expect("results")
        .lines()
        .filter(|l| {
            let r: Value = serde_json::from_str(l).expect("a record");
            !(r["line"] == 3 && outcome(&r) == "ok")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&results, kept.concat()).expect("results rewritten");
    // And a line added to the file.
    let file = s.write("renew.jsonl", &(text + &renew_line("bulk-000004.com")));
    let o = s.batch(&[path(&file), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!((count(&o, "skipped"), count(&o, "ok")), (2, 2));
    // Line 3 was found in the result list by its client transaction id, not sent again.
    assert_eq!(s.sandbox.received("domain-renew"), 4);
    assert_eq!(s.sandbox.effects("domain-renew"), 4, "each renewal once");
    let last = last_of_each(&results);
    assert_eq!(outcome(&last[&3]), "ok");
    assert_eq!(last[&3]["resolved_by"], "result-list", "{}", last[&3]);
    assert!(last[&3]["proc_id"].is_string());
    assert_eq!(outcome(&last[&4]), "ok");
    assert!(last[&4]["resolved_by"].is_null());

    // Results of another file are refused, not mixed in.
    let other = s.write(
        "other.jsonl",
        "{\"request\": \"domain-check\", \"domain\": \"a.com\"}\n",
    );
    let o = s.batch(&[path(&other), "--results", path(&results)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not the results of this file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_lost_answer_is_found_by_its_client_transaction_id_and_no_change_is_made_twice() {
    let s = setup("faults");
    let domains = [
        "bulk-000001.com",
        "bulk-000002.com",
        "bulk-000003.com",
        "bulk-000004.com",
    ];
    let text: String = domains.iter().map(|d| renew_line(d)).collect();
    let file = s.write("renew.jsonl", &text);
    // Two renewals carried out, their answers lost; then one lost before it is handled.
    s.sandbox.inject("domain-renew", Fault::DropAfter, 2);
    let o = s.batch(&[path(&file), "--json", "--jobs", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(&o, "ok"), 4);
    assert_eq!(s.sandbox.received("domain-renew"), 4, "none sent twice");
    assert_eq!(s.sandbox.effects("domain-renew"), 4, "each renewal once");
    let last = last_of_each(&s.dir.join("renew.jsonl.results.jsonl"));
    let found: Vec<u64> = last
        .iter()
        .filter(|(_, r)| r["resolved_by"] == "result-list")
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(found, [1, 2], "the two lost answers were looked up");
    for r in last.values() {
        assert_eq!(outcome(r), "ok", "{r}");
        assert!(r["proc_id"].is_string(), "{r}");
    }

    // Lost before it was handled: the result list shows it never arrived, so it goes again
    // under a new client transaction id, and is carried out once.
    let file = s.write("again.jsonl", &renew_line("bulk-000005.com"));
    s.sandbox.inject("domain-renew", Fault::DropBefore, 1);
    let o = s.batch(&[path(&file), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(s.sandbox.received("domain-renew"), 6, "sent twice");
    assert_eq!(s.sandbox.effects("domain-renew"), 5, "carried out once");
    let results = records(&s.dir.join("again.jsonl.results.jsonl"));
    let sent: Vec<(u64, String)> = results
        .iter()
        .filter(|r| outcome(r) == "sent")
        .map(|r| (r["attempt"].as_u64().unwrap_or(0), r["cltrid"].to_string()))
        .collect();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!((sent[0].0, sent[1].0), (1, 2));
    assert_ne!(sent[0].1, sent[1].1, "a new id for the second attempt");
    assert_eq!(outcome(results.last().expect("records")), "ok");
}

#[test]
fn wait_records_the_final_outcome_of_queued_requests() {
    // The CLI's own sandbox (--sandbox) polls for results quickly.
    let dir = std::env::temp_dir().join(format!("dmapi-batch-{}-wait", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let file = dir.join("wait.jsonl");
    std::fs::write(&file, renew_line("example.com")).expect("written");
    let o = Command::new(env!("CARGO_BIN_EXE_dmapi"))
        .env("DMAPI_CONFIG", "/nonexistent/dmapi-test/config.toml")
        .args(["--sandbox", "batch", path(&file), "--wait"])
        .output()
        .expect("the dmapi binary runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let last = last_of_each(&dir.join("wait.jsonl.results.jsonl"));
    let r = &last[&1];
    assert_eq!(outcome(r), "ok", "{r}");
    assert_eq!(r["answer"]["result"]["domain"], "example.com", "{r}");
}

#[test]
fn waiting_for_queued_requests_does_not_hold_up_sending() {
    let s = setup("wait-apart");
    let domains = ["bulk-000001.com", "bulk-000002.com", "bulk-000003.com"];
    let text: String = domains.iter().map(|d| renew_line(d)).collect();
    let file = s.write("renew.jsonl", &text);
    // One job; the client polls a result first after 5 s (its default).
    let o = s.batch(&[path(&file), "--json", "--jobs", "1", "--wait"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(count(&o, "ok"), 3);
    let all = records(&s.dir.join("renew.jsonl.results.jsonl"));
    let order: Vec<&str> = all[1..].iter().map(outcome).collect();
    assert_eq!(
        order,
        ["sent", "sent", "sent", "ok", "ok", "ok"],
        "every renewal sent before the first outcome came"
    );
    for r in &all[4..] {
        assert!(r["answer"]["result"].is_object(), "the final outcome: {r}");
    }
    assert_eq!(s.sandbox.effects("domain-renew"), 3);
}

/// The measurement of issue 22: 1,000 domain-checks against a sandbox with a 20 ms round
/// trip, with 1, 4 and 16 jobs, beside the ideal 1000 × 20 ms / jobs. Prints; asserts no
/// times. `cargo test -p dmapi-cli --test batch -- --ignored --nocapture`
#[test]
fn on_a_terminal_a_progress_bar_shows_count_rate_and_eta_then_the_summary() {
    let s = setup_with(
        "tty",
        Sandbox::builder()
            .bulk_domains(10)
            .latency(Duration::from_millis(20)),
    );
    let lines: String = (0..300)
        .map(|i| format!("{{\"request\": \"domain-check\", \"domain\": \"free-{i}.com\"}}\n"))
        .collect();
    let file = s.write("checks.jsonl", &lines);
    let c = s.sandbox.credentials();
    let script = s.write(
        "run.sh",
        &common::script(
            &[
                "--endpoint",
                s.sandbox.url(),
                "batch",
                path(&file),
                "--jobs",
                "2",
            ],
            &[
                ("DMAPI_USERNAME", &c.username),
                ("DMAPI_PASSWORD", &c.password),
            ],
        ),
    );
    let tmux = Tmux::start("batch", path(&script));
    // Mid-run (300 checks at 20 ms, 2 at a time: about 3 s), the bar: done/total, rate, ETA.
    let bar = tmux.wait_until(
        |screen| screen.contains("/300") && screen.contains("ETA") && !screen.contains("EXIT="),
        "a progress bar",
    );
    let line = bar.lines().find(|l| l.contains("/300")).unwrap_or_default();
    // The bar's track (light shade) is there from the start; its fill comes with progress.
    assert!(line.contains("/s") && line.contains('\u{2591}'), "{line}");
    // Then the summary, with the bar finished.
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("checks.jsonl: 300 requests in"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.split_whitespace().eq(["ok", "300"])),
        "{screen}"
    );
}

#[test]
#[ignore = "a measurement: about 30 s"]
fn measure_concurrency_against_a_20ms_round_trip() {
    let latency = Duration::from_millis(20);
    let s = setup_with("measure", Sandbox::builder().latency(latency));
    let text: String = (1..=1000)
        .map(|i| format!("{{\"request\": \"domain-check\", \"domain\": \"check-{i:04}.com\"}}\n"))
        .collect();
    let file = s.write("checks.jsonl", &text);
    println!("jobs | wall (s) | run (s) | ideal (s) | wall / ideal");
    for jobs in [1u32, 4, 16] {
        let results = s.dir.join(format!("results-{jobs}.jsonl"));
        let started = Instant::now();
        let o = s.batch(&[
            path(&file),
            "--json",
            "--jobs",
            &jobs.to_string(),
            "--results",
            path(&results),
        ]);
        let wall = started.elapsed().as_secs_f64();
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(count(&o, "ok"), 1000);
        let summary: Value = serde_json::from_str(stdout(&o).trim()).expect("JSON");
        let run = summary["seconds"].as_f64().unwrap_or(0.0);
        let ideal = 1000.0 * latency.as_secs_f64() / f64::from(jobs);
        println!(
            "{jobs:>4} | {wall:>8.2} | {run:>7.2} | {ideal:>9.2} | {:.2}",
            wall / ideal
        );
    }
}
