//! The client reads every framing the live server is known to send (WIRE-NOTES): headers with
//! the status first or last, keys in any case, no blank line when there is no payload, and TXT
//! records in the live form or the canonical one. Each variant serves a whole session: login,
//! lists, a zone put and get, a queued request waited for, refusals, logout.

mod common;

use std::time::Duration;

use common::wire::env;
use common::{client_for, domain};
use dmapi::{Error, Requests, WhoisObject, Zone, metadata};
use dmapi_sandbox::{BlankLine, Framing, HeaderOrder, KeyCase, Sandbox};

/// Every combination of the varying parts of the framing.
fn variants() -> Vec<Framing> {
    let mut all = Vec::new();
    for order in [HeaderOrder::AsWritten, HeaderOrder::StatusLast] {
        for case in [
            KeyCase::AsWritten,
            KeyCase::Title,
            KeyCase::Lower,
            KeyCase::Upper,
        ] {
            for blank in [BlankLine::Always, BlankLine::BeforePayload] {
                for quirk in [true, false] {
                    all.push(
                        Framing::default()
                            .header_order(order)
                            .key_case(case)
                            .blank_line(blank)
                            .txt_quirk(quirk),
                    );
                }
            }
        }
    }
    all
}

#[tokio::test]
async fn the_client_reads_every_framing_the_live_server_sends() {
    for framing in variants() {
        let sandbox = Sandbox::builder()
            .framing(framing)
            .async_delay(Duration::from_millis(50))
            .start()
            .await
            .unwrap();
        sandbox.record_traffic(true);
        let client = client_for(&sandbox);
        let why = format!("{framing:?}");

        let login = client.login().await.expect(&why);
        assert_eq!(login.timeout, Some(Duration::from_secs(3600)), "{why}");
        assert_eq!(login.user_access.as_deref(), Some("@full"), "{why}");
        let rows = client.query_domain_list().await.expect(&why).output;
        assert_eq!(rows.len(), sandbox.domain_count(), "{why}");

        // A zone put is read back at once, its TXT value as put, whatever the framing.
        let mut zone = client
            .dns_zone_get(domain("example.com"))
            .await
            .expect(&why)
            .output;
        zone.upsert_txt("_acme-challenge", "token-42", 300).unwrap();
        let put = client
            .dns_zone_put(domain("example.com"), zone.clone())
            .await
            .expect(&why);
        assert!(put.cltrid.is_some(), "{why}");
        let back: Zone = client
            .dns_zone_get(domain("example.com"))
            .await
            .expect(&why)
            .output;
        assert_eq!(back.records().count(), zone.records().count(), "{why}");
        assert!(
            back.records()
                .any(|r| r.label == "_acme-challenge" && r.value() == "token-42"),
            "{why}: {back:?}"
        );
        // On the wire: the live server's TXT form unless switched off.
        let served = sandbox
            .traffic()
            .into_iter()
            .rfind(|x| x.request == "dns-zone-get")
            .expect("the get was recorded")
            .answer;
        let line = if framing.txt_quirk {
            "\n_acme-challenge TXT 0  \"token-42 \" 300\n"
        } else {
            "\n_acme-challenge TXT 0 \"token-42\" 300\n"
        };
        assert!(served.contains(line), "{why}: {served}");
        let done = client.wait(&put.output).await.expect(&why);
        assert!(done.is_ack(), "{why}: {done:?}");

        // A refusal keeps its status and error lines.
        let err = client
            .dns_zone_get(domain("not-mine.com"))
            .await
            .expect_err(&why);
        match err {
            Error::Api(e) => {
                assert_eq!(e.status, 2303, "{why}");
                assert!(!e.errors.is_empty(), "{why}: {e:?}");
            }
            other => panic!("{why}: a refusal, not {other:?}"),
        }
        client.logout().await.expect(&why);

        // An unknown API key: the detail is the payload line, there is no Error header.
        let stranger = sandbox
            .client_builder()
            .api_key("no-such-key")
            .build()
            .unwrap();
        let Error::Session { source } = stranger.login().await.expect_err(&why) else {
            panic!("{why}: a failed login is a session error");
        };
        let Error::Api(e) = *source else {
            panic!("{why}: a refusal, not {source:?}");
        };
        assert_eq!(e.status, 2200, "{why}");
        assert!(e.errors.is_empty(), "{why}: {e:?}");
        assert_eq!(e.detail.as_deref(), Some("API key is invalid"), "{why}");
        sandbox.shutdown().await.unwrap();
    }
}

/// Whether `s` is `n` lowercase hex digits.
fn hex(s: &str, n: usize) -> bool {
    s.len() == n
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The value of header `key` in a raw answer (keys compared without case).
fn header(answer: &str, key: &str) -> Option<String> {
    env(answer).header(key).map(str::to_owned)
}

#[tokio::test]
async fn ids_and_the_login_headers_are_shaped_like_the_live_servers() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.record_traffic(true);
    let client = client_for(&sandbox);
    client.login().await.unwrap();
    client.logout().await.unwrap();
    // A second login reports the first one's time and address.
    client.login().await.unwrap();
    let put = client
        .domain_modify(domain("example.com"))
        .with(|r| r.tech_c(common::handle("COCO-4711")))
        .await
        .unwrap();
    let traffic = sandbox.traffic();
    let logins: Vec<&str> = traffic
        .iter()
        .filter(|x| x.request == "login")
        .map(|x| x.answer.as_str())
        .collect();
    let login = logins[1];
    for key in [
        "Auth-Sid",
        "UID",
        "User-Login",
        "User-Access",
        "Session-Timeout",
        "Account-balance",
        "Account-currency",
        "Account-pending_amount",
        "Account-rebate",
        "Stats-number-of-domains",
        "Stats-last-login",
        "Stats-last-ip",
        "Stats-last-error",
        "Timing",
        "Version",
    ] {
        assert!(header(login, key).is_some(), "no {key}: {login}");
    }
    assert!(hex(&header(login, "Auth-Sid").unwrap(), 40), "{login}");
    assert_eq!(
        header(login, "Stats-last-ip").as_deref(),
        Some("127.0.0.1"),
        "{login}"
    );
    assert_eq!(
        header(logins[0], "Stats-last-ip").as_deref(),
        Some(""),
        "{login}"
    );
    let tlds = common::wire::raw_payload(login);
    assert!(
        tlds.lines().any(|t| t == "com") && !tlds.ends_with('\n'),
        "{tlds:?}"
    );
    for x in &traffic {
        let id = header(&x.answer, "Tracking-Id").unwrap();
        assert!(hex(&id, 32), "{}: {id}", x.request);
        assert_eq!(header(&x.answer, "SvTrId"), Some(id));
    }
    assert!(put.output.proc_id.bytes().all(|b| b.is_ascii_digit()));
    // A seeded domain on Joker.com's name servers has today's (x/y/z), not the former ones.
    let whois = client
        .query_whois(WhoisObject::Domain(domain("expiring-soon.net")))
        .await
        .unwrap()
        .output;
    let today: Vec<String> = metadata::PROTOCOL
        .name_servers
        .iter()
        .map(|n| n.to_string())
        .collect();
    let got: Vec<String> = whois.nameservers.iter().map(|n| n.to_string()).collect();
    assert_eq!(got, today, "{whois:?}");
}
