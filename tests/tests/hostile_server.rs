//! The client against hostile servers on loopback: each case answers `login` properly, then
//! answers `query-profile` with something hostile. Asserted: the error, that a redirect sends
//! nothing to its target, and (in a child process, `peak_memory`) that reading stays within
//! the configured answer size plus a small constant.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dmapi::{Client, Credentials, Error, Requests, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LIMIT: usize = 1 << 20;
const LOGIN: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 40\r\n\r\nStatus-Code: 0\nAuth-Sid: 0123456789abcd\n\n";

/// What the server does after `login`.
#[derive(Clone)]
enum Hostile {
    /// Raw bytes, then close.
    Bytes(Vec<u8>),
    /// Headers, then chunks of `chunk` bytes forever.
    Endless(&'static [u8]),
    /// One byte of `body` every `every`.
    Trickle(Duration),
}

fn http(head: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {head}\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

async fn read_request(sock: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Ok(n) = sock.read(&mut chunk).await else {
            return buf;
        };
        if n == 0 {
            return buf;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return buf;
            }
        }
    }
}

/// Serves on `ip`; returns its URL and a counter of bytes received by connections after login.
async fn serve(ip: &str, hostile: Hostile) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind((ip, 0)).await.expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let received = Arc::new(AtomicUsize::new(0));
    let seen = received.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let hostile = hostile.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                loop {
                    let req = read_request(&mut sock).await;
                    if req.is_empty() {
                        return;
                    }
                    seen.fetch_add(req.len(), Ordering::SeqCst);
                    if req.windows(6).any(|w| w == b"/login") {
                        let _ = sock.write_all(LOGIN).await;
                        continue;
                    }
                    match hostile {
                        Hostile::Bytes(b) => {
                            let _ = sock.write_all(&b).await;
                        }
                        Hostile::Endless(line) => {
                            let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
                            let _ = sock.write_all(head).await;
                            let mut chunk = format!("{:x}\r\n", line.len() * 1000).into_bytes();
                            chunk.extend(line.repeat(1000));
                            chunk.extend_from_slice(b"\r\n");
                            while sock.write_all(&chunk).await.is_ok() {}
                        }
                        Hostile::Trickle(every) => {
                            let head = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nS";
                            let _ = sock.write_all(head).await;
                            loop {
                                tokio::time::sleep(every).await;
                                if sock.write_all(b"t").await.is_err() {
                                    break;
                                }
                            }
                        }
                    }
                    return;
                }
            });
        }
    });
    (url, received)
}

fn client(url: &str, limit: usize) -> Client {
    let retry = RetryPolicy {
        attempts: 1,
        ..RetryPolicy::default()
    };
    Client::builder()
        .endpoint(url)
        .allow_http(true)
        .api_key("secret-api-key-1234")
        .timeout(Duration::from_secs(2))
        .retry_policy(retry)
        .max_answer_bytes(limit)
        .build()
        .expect("client")
}

async fn run(hostile: Hostile, limit: usize) -> Error {
    let (url, _) = serve("127.0.0.1", hostile).await;
    client(&url, limit)
        .query_profile()
        .await
        .expect_err("a hostile answer is an error")
}

fn cases() -> Vec<(&'static str, Hostile)> {
    let many_errors = {
        let mut b = b"Status-Code: 2400\n".to_vec();
        b.extend(b"Error: x\n".repeat(100_000));
        b
    };
    let huge_columns = {
        let mut b = b"Status-Code: 0\nColumns: ".to_vec();
        b.extend(b"c,".repeat(400_000));
        b.extend_from_slice(b"\n\n");
        b
    };
    vec![
        ("endless", Hostile::Endless(b"domain.com 2030-01-01\n")),
        (
            "announced",
            Hostile::Bytes(
                b"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\nStatus".to_vec(),
            ),
        ),
        ("trickle", Hostile::Trickle(Duration::from_millis(500))),
        (
            "mid-headers",
            Hostile::Bytes(b"HTTP/1.1 200 OK\r\nContent-Ty".to_vec()),
        ),
        ("many-errors", Hostile::Bytes(http("200 OK", &many_errors))),
        (
            "huge-columns",
            Hostile::Bytes(http("200 OK", &huge_columns)),
        ),
        (
            "status-nan",
            Hostile::Bytes(http("200 OK", b"Status-Code: abc\n\n")),
        ),
        (
            "status-overflow",
            Hostile::Bytes(http("200 OK", b"Status-Code: 99999999999999999999\n\n")),
        ),
        (
            "not-utf8",
            Hostile::Bytes(http("200 OK", b"Status-Code: 0\n\n\xff\xfe")),
        ),
        (
            "nul",
            Hostile::Bytes(http("200 OK", b"Status-Code: 0\n\nexample.com\0 2030")),
        ),
        (
            "gzip",
            Hostile::Bytes({
                // Compression is never asked for: a gzip body stays bytes that are not DMAPI.
                let gz = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xed, 0xc1, 1, 1, 0, 0];
                let mut r = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n".to_vec();
                r.extend(format!("Content-Length: {}\r\n\r\n", gz.len()).into_bytes());
                r.extend_from_slice(&gz);
                r
            }),
        ),
    ]
}

fn expect(name: &str, err: &Error) {
    let text = err.to_string();
    let ok = match name {
        "endless" | "announced" => matches!(err, Error::TooLarge { limit, .. } if *limit == LIMIT),
        "trickle" | "mid-headers" => matches!(err, Error::Transport { .. }),
        "many-errors" | "huge-columns" => text.contains("header block exceeds"),
        "status-nan" | "status-overflow" => text.contains("is not a status code"),
        "not-utf8" | "gzip" => text.contains("not UTF-8"),
        "nul" => text.contains("NUL byte"),
        _ => false,
    };
    assert!(ok, "{name}: unexpected error {text} ({err:?})");
}

#[tokio::test]
async fn each_hostile_answer_is_a_clear_error() {
    for (name, hostile) in cases() {
        let err = run(hostile, LIMIT).await;
        expect(name, &err);
    }
}

#[tokio::test]
async fn no_redirect_is_followed_and_nothing_reaches_its_target() {
    for status in [301, 302, 303, 307, 308] {
        for other_host in [false, true] {
            let target_ip = if other_host { "127.0.0.2" } else { "127.0.0.1" };
            let (target, target_got) = serve(
                target_ip,
                Hostile::Bytes(http("200 OK", b"Status-Code: 0\n\n")),
            )
            .await;
            let location = format!("{target}/request/query-profile");
            let redirect = format!(
                "HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n"
            );
            // After a good login: the session id must not follow.
            let (url, _) = serve("127.0.0.1", Hostile::Bytes(redirect.clone().into_bytes())).await;
            let err = client(&url, LIMIT)
                .query_profile()
                .await
                .expect_err("redirect refused");
            assert!(
                matches!(&err, Error::Redirect { status: s, location: Some(l), .. } if *s == status && *l == location),
                "{status}: {err:?}"
            );
            // On login itself: neither the API key nor a password may follow.
            let login_url = serve_redirecting_login(&redirect).await;
            let logins = [
                Credentials::ApiKey("secret-api-key-1234".into()),
                Credentials::Password {
                    username: "reseller".into(),
                    password: "secret-password-1234".into(),
                },
            ];
            for credentials in logins {
                let err = Client::builder()
                    .endpoint(&login_url)
                    .allow_http(true)
                    .credentials(credentials)
                    .build()
                    .expect("client")
                    .query_profile()
                    .await
                    .expect_err("login redirect refused");
                let Error::Session { source } = &err else {
                    panic!("{status} on login: {err:?}")
                };
                assert!(
                    matches!(**source, Error::Redirect { status: s, .. } if s == status),
                    "{status} on login: {err:?}"
                );
            }
            assert_eq!(
                target_got.load(Ordering::SeqCst),
                0,
                "{status} to {target_ip}: the target got a request"
            );
        }
    }
}

/// A server that redirects every request, login included.
async fn serve_redirecting_login(redirect: &str) -> String {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let redirect = redirect.as_bytes().to_vec();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let redirect = redirect.clone();
            tokio::spawn(async move {
                let _ = read_request(&mut sock).await;
                let _ = sock.write_all(&redirect).await;
            });
        }
    });
    url
}

fn vm_hwm() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Run by `peak_memory_stays_within_the_answer_limit` in a child process, one case each.
#[test]
#[ignore = "a child of peak_memory_stays_within_the_answer_limit"]
fn child_case() {
    let Ok(case) = std::env::var("DMAPI_HOSTILE_CASE") else {
        return;
    };
    let limit: usize = std::env::var("DMAPI_HOSTILE_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(LIMIT);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (_, hostile) = cases()
        .into_iter()
        .find(|(n, _)| *n == case)
        .expect("a known case");
    rt.block_on(async {
        // Warm up: a first exchange, so that lazy setup is not counted.
        let (url, _) = serve(
            "127.0.0.1",
            Hostile::Bytes(http("200 OK", b"Status-Code: 0\n\n")),
        )
        .await;
        client(&url, limit)
            .query_profile()
            .await
            .expect("a good answer");
        let before = vm_hwm();
        let err = run(hostile, limit).await;
        println!(
            "PEAK_GROWTH={} ERROR={err}",
            vm_hwm().saturating_sub(before)
        );
    });
}

#[test]
fn peak_memory_stays_within_the_answer_limit() {
    if std::env::var_os("DMAPI_HOSTILE_CASE").is_some() {
        return;
    }
    let exe = std::env::current_exe().expect("test binary");
    let mut report = Vec::new();
    let mut runs: Vec<(&str, usize)> = cases().iter().map(|(n, _)| (*n, LIMIT)).collect();
    runs.push(("endless", dmapi::DEFAULT_MAX_ANSWER_BYTES));
    for (case, limit) in runs {
        let out = std::process::Command::new(&exe)
            .args(["--exact", "child_case", "--ignored", "--nocapture"])
            .env("DMAPI_HOSTILE_CASE", case)
            .env("DMAPI_HOSTILE_LIMIT", limit.to_string())
            .output()
            .expect("child runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let growth: usize = stdout
            .lines()
            .find_map(|l| l.split_once("PEAK_GROWTH=").map(|(_, r)| r))
            .and_then(|r| r.split(' ').next()?.parse().ok())
            .unwrap_or_else(|| panic!("{case}: no measurement in {stdout}"));
        report.push(format!("{case} (limit {limit}): peak +{growth} bytes"));
        assert!(
            growth <= limit + (8 << 20),
            "{case}: the peak grew by {growth} bytes, over the limit {limit} + 8 MiB"
        );
    }
    println!("{}", report.join("\n"));
}
