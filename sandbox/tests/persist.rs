//! The state file: every acknowledged change survives a kill, a restart restores the whole
//! state, and a file that is not ours (or damaged) is refused and left as it was.

mod common;

use common::{
    client_for, domain, done, handle, invite_colleague, move_to_capital, sign, submit_contact,
    submit_transfer, submit_txt,
};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use dmapi::{Client, HostAddresses, Months, Requests, ResultId, Results, Term, Year};
use dmapi_sandbox::{Sandbox, SandboxBuilder};

/// A fresh directory for one test's files.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dmapi-persist-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn register(client: &Client, name: &str) -> dmapi::Submitted<dmapi::DomainRegisterResult> {
    let owner = handle("COCO-4711");
    client
        .domain_register(
            domain(name),
            Months::years(1).unwrap(),
            owner.clone(),
            owner.clone(),
            owner.clone(),
            owner,
            [domain("a.ns.joker.com"), domain("b.ns.joker.com")],
        )
        .await
        .unwrap()
        .output
}

/// Submits name server `host` with one IPv4 address.
async fn submit_ns(client: &Client, host: &str) -> dmapi::Submitted<dmapi::NsCreateResult> {
    client
        .ns_create(
            domain(host),
            HostAddresses::Ip("192.0.2.9".parse().unwrap()),
        )
        .await
        .unwrap()
        .output
}

/// Asserts that a queued request was carried out.
macro_rules! ack {
    ($client:expr, $submitted:expr) => {{
        let r = done($client, &$submitted).await;
        assert!(r.is_ack(), "{}", r.error_text());
    }};
}

fn builder(file: &Path) -> SandboxBuilder {
    Sandbox::builder()
        .state_file(file)
        .redemption_grace(Duration::from_secs(30 * 86_400))
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[tokio::test]
async fn a_restart_restores_the_whole_state_after_every_kind_of_change() {
    let dir = temp_dir("whole");
    let file = dir.join("state.sqlite");
    let sandbox = builder(&file).start().await.unwrap();
    let client = client_for(&sandbox);

    let s = submit_contact(&client, "Jane Doe").await;
    ack!(&client, s);
    let jane = done(&client, &s)
        .await
        .result
        .and_then(|r| r.handle)
        .unwrap();
    move_to_capital(&client, &jane).await;
    let s = submit_contact(&client, "Short Lived").await;
    let brief = done(&client, &s)
        .await
        .result
        .and_then(|r| r.handle)
        .unwrap();
    let s = client.contact_delete(brief).await.unwrap().output;
    ack!(&client, s);
    let s = submit_ns(&client, "ns9.example.com").await;
    ack!(&client, s);

    let s = register(&client, "kept.com").await;
    ack!(&client, s);
    sign(&client, "kept.com").await;
    let s = client
        .domain_renew(domain("kept.com"), Term::Expyear(Year::new(2031).unwrap()))
        .await
        .unwrap()
        .output;
    ack!(&client, s);
    let s = submit_txt(&client, "kept.com", "_acme-challenge", "token-1").await;
    ack!(&client, s);
    invite_colleague(&client, "kept.com").await;
    client.user_set_property("autorenew", "1").await.unwrap();

    // Deleted (into the grace period), then one of two redeemed.
    for name in ["example.com", "expiring-soon.net"] {
        let s = client
            .domain_delete(domain(name))
            .with(|r| r.force(true))
            .await
            .unwrap()
            .output;
        ack!(&client, s);
    }
    client.domain_redeem(domain("example.com")).await.unwrap();

    let s = submit_transfer(&client, "TRANSFER-ME-2026").await;
    // Walks its states, one per request.
    ack!(&client, s);
    client
        .result_delete(ResultId::ProcId(s.proc_id.clone()))
        .await
        .unwrap_or_else(|e| panic!("result-delete: {e}"));
    sandbox.advance_clock(Duration::from_secs(3600));
    let _ = client.query_profile().await.unwrap();

    let before = sandbox.state_json();
    sandbox.shutdown().await.unwrap();
    let again = builder(&file).start().await.unwrap();
    assert_eq!(json(&again.state_json()), json(&before));
    again.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The sandbox binary on a free port with a state file: its URL and a client of it.
fn spawn(file: &Path) -> (Child, String, Client) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dmapi-sandbox"))
        .args(["--port", "0", "--async-delay-ms", "0", "--state-file"])
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let (mut url, mut username, mut password) = (String::new(), String::new(), String::new());
    for line in out.lines() {
        let line = line.unwrap();
        if let Some(u) = line.strip_prefix("DMAPI sandbox at ") {
            url = u.to_owned();
        } else if let Some(u) = line.trim().strip_prefix("username") {
            username = u.trim().to_owned();
        } else if let Some(p) = line.trim().strip_prefix("password") {
            password = p.trim().to_owned();
        } else if line.starts_with("Ctrl-C") {
            break;
        }
    }
    assert!(!url.is_empty(), "the sandbox printed its URL");
    let client = dmapi::Client::builder()
        .endpoint(url.as_str())
        .allow_http(true)
        .password(&username, password.as_str())
        .build()
        .unwrap();
    (child, password, client)
}

#[tokio::test]
async fn every_acknowledged_change_survives_a_kill() {
    const N: usize = 48;
    let dir = temp_dir("kill");
    let file = dir.join("state.sqlite");
    let (mut child, password, client) = spawn(&file);
    let mut procs = Vec::new();
    for i in 0..N {
        let proc_id = match i % 4 {
            0 => {
                submit_contact(&client, &format!("Person {i}"))
                    .await
                    .proc_id
            }
            1 => register(&client, &format!("killed-{i}.com")).await.proc_id,
            2 => {
                let value = format!("value-{i}");
                submit_txt(&client, "example.com", "kill", &value)
                    .await
                    .proc_id
            }
            _ => {
                submit_ns(&client, &format!("ns{i}.example.com"))
                    .await
                    .proc_id
            }
        };
        procs.push(proc_id);
    }
    // And 16 at once, which share commits (group commit).
    let mut at_once = tokio::task::JoinSet::new();
    for i in 0..16 {
        let client = client.clone();
        at_once.spawn(async move {
            register(&client, &format!("together-{i}.com"))
                .await
                .proc_id
        });
    }
    procs.extend(at_once.join_all().await);
    // SIGKILL right after the last answer: no shutdown, no last write.
    child.kill().unwrap();
    child.wait().unwrap();

    let (mut child, password2, client) = spawn(&file);
    assert_eq!(password2, password, "the account came back");
    let Results::Rows(rows) = client
        .result_list()
        .with(|r| r.pending(true))
        .await
        .unwrap()
        .output
    else {
        panic!("rows expected")
    };
    for p in &procs {
        assert!(rows.iter().any(|r| r.proc_id == *p), "job {p} survived");
    }
    for p in &procs {
        let r = client.completion(p).await.unwrap().expect("completed");
        assert!(r.is_ack(), "{p}: {}", r.error_text());
    }
    let domains = client.query_domain_list().await.unwrap().output;
    let hosts = client.query_ns_list().await.unwrap().output;
    let contacts = client.query_contact_list().await.unwrap().output;
    for i in 0..N {
        match i % 4 {
            1 => assert!(
                domains
                    .iter()
                    .any(|d| d.domain == domain(&format!("killed-{i}.com")))
            ),
            3 => assert!(
                hosts
                    .iter()
                    .any(|h| h.host == domain(&format!("ns{i}.example.com")))
            ),
            _ => {}
        }
    }
    for i in 0..16 {
        assert!(
            domains
                .iter()
                .any(|d| d.domain == domain(&format!("together-{i}.com")))
        );
    }
    assert!(contacts.len() > N / 4, "{} contacts", contacts.len());
    let zone = client
        .dns_zone_get(domain("example.com"))
        .await
        .unwrap()
        .output;
    let last = format!("value-{}", (0..N).rev().find(|i| i % 4 == 2).unwrap());
    assert!(format!("{zone:?}").contains(&last), "{zone:?}");
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starting on `file` fails with a state-file error whose message contains `expected`, and
/// the file is left as it was.
async fn refused(file: &Path, expected: &str) {
    let bytes = std::fs::read(file).unwrap();
    let err = builder(file).start().await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, dmapi_sandbox::Error::StateFile { .. }),
        "{text}"
    );
    assert!(
        text.contains(&file.display().to_string()),
        "names the file: {text}"
    );
    assert!(text.contains(expected), "{text}");
    assert_eq!(std::fs::read(file).unwrap(), bytes, "the file is untouched");
}

#[tokio::test]
async fn files_that_are_not_our_state_are_refused_and_left_alone() {
    let dir = temp_dir("foreign");

    let garbage = dir.join("garbage");
    std::fs::write(&garbage, b"\x00\x01not a database at all\xff".repeat(20)).unwrap();
    refused(&garbage, "not a SQLite database").await;

    let old = dir.join("old.json");
    std::fs::write(&old, br#"{"settings": {}, "accounts": []}"#).unwrap();
    refused(&old, "JSON state file of an earlier dmapi-sandbox").await;

    let foreign = dir.join("foreign.db");
    {
        let db = rusqlite::Connection::open(&foreign).unwrap();
        db.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    refused(&foreign, "another application").await;

    let newer = dir.join("newer.sqlite");
    builder(&newer)
        .start()
        .await
        .unwrap()
        .shutdown()
        .await
        .unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    refused(&newer, "schema version 99 is newer").await;

    // A real state file, cut in half.
    let real = dir.join("real.sqlite");
    let first = builder(&real).bulk_domains(3000).start().await.unwrap();
    let count = first.domain_count();
    first.shutdown().await.unwrap();
    let bytes = std::fs::read(&real).unwrap();
    assert!(bytes.len() > 100_000, "{} bytes", bytes.len());
    let cut = dir.join("cut.sqlite");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    refused(&cut, "damaged").await;

    // And the real one opens (with its 3000 domains) after all this.
    let again = builder(&real).start().await.unwrap();
    assert_eq!(again.domain_count(), count);
    again.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_change_that_cannot_be_written_is_not_answered_as_done() {
    let dir = temp_dir("locked");
    let file = dir.join("state.sqlite");
    let sandbox = builder(&file).start().await.unwrap();
    let client = client_for(&sandbox);
    client.user_set_property("autorenew", "1").await.unwrap();

    // Another process holds the write lock longer than the sandbox waits for it.
    let other = rusqlite::Connection::open(&file).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = client
        .user_set_property("autorenew", "0")
        .await
        .expect_err("not answered as done");
    // HTTP 500: the client knows the outcome is unknown (it may have been carried out).
    assert!(err.to_string().contains("HTTP status 500"), "{err}");
    other.execute_batch("ROLLBACK").unwrap();

    // The next change writes both (the failed one was made in memory).
    let s = submit_ns(&client, "ns7.example.com").await;
    ack!(&client, s);
    let before = sandbox.state_json();
    drop(sandbox);
    let again = builder(&file).start().await.unwrap();
    assert_eq!(json(&again.state_json()), json(&before));
    let props = json(&again.state_json())["accounts"][0]["properties"].clone();
    assert_eq!(props, json(r#"{"autorenew": "0"}"#));
    again.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
