//! Secrets (password, API key, session id, an AUTH-ID in an answer) never reach log lines,
//! URLs or `Debug` output.
//! In its own test binary: the captured log must not see other tests' callsites.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dmapi::{Client, PollPolicy, QueryProfile};
use support::{API_KEY, Fake, PASSWORD, client, renew, start};

/// A `MakeWriter` that keeps everything written, for looking at the log afterwards.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn secrets_never_reach_logs_urls_or_debug_output() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (url, fake) = start(Fake {
        result_status: "ack".into(),
        ..Fake::default()
    })
    .await;
    for client in [
        client(&url),
        Client::builder()
            .endpoint(&url)
            .allow_http(true)
            .api_key(API_KEY)
            .poll_policy(PollPolicy {
                first_delay: Duration::ZERO,
                interval: Duration::ZERO,
                max_wait: Duration::from_secs(1),
            })
            .build()
            .unwrap(),
    ] {
        let submitted = client.send(renew()).await.unwrap().output;
        client.wait(&submitted).await.unwrap();
        fake.lock().unwrap().sessions.clear();
        client.send(QueryProfile::new()).await.unwrap(); // re-login
        let debug = format!("{client:?}");
        client.logout().await.unwrap();
        for secret in [PASSWORD, API_KEY, "c0ffee"] {
            assert!(!debug.contains(secret), "Debug shows a secret: {debug}");
        }
    }

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("dmapi_request"), "spans are logged: {log}");
    assert!(log.contains("request=\"domain-renew\""), "{log}");
    assert!(log.contains("tracking_id=\"t-renew\""), "{log}");
    // Traced answers show the session id and the result's AUTH-ID as ***.
    assert!(log.contains("The Authorization ID is: ***"), "{log}");
    assert!(!log.contains("\"abc\""), "{log}");
    for secret in [PASSWORD, API_KEY, "sid-1-c0ffee", "sid-2-c0ffee", "c0ffee"] {
        for line in log.lines() {
            assert!(!line.contains(secret), "a log line shows a secret: {line}");
        }
    }
    let f = fake.lock().unwrap();
    for (_, uri, _, _) in &f.seen {
        for secret in [PASSWORD, API_KEY, "c0ffee"] {
            assert!(!uri.contains(secret), "a URL carries a secret: {uri}");
        }
    }
    // The secrets did travel, in the bodies that must carry them.
    let bodies: String = f.seen.iter().map(|s| s.2.as_str()).collect();
    assert!(bodies.contains("c0ffee") && bodies.contains(API_KEY));
}
