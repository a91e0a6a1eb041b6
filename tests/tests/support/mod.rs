//! A small fake DMAPI server on loopback for the client tests, and helpers.
#![allow(dead_code)] // each test file uses its own part

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode as HttpStatus, Uri};
use axum::routing::any;
use dmapi::{Client, DomainName, DomainRenew, PollPolicy, Term, Year};

pub const USER: &str = "reseller@example.com";
pub const PASSWORD: &str = "pa55-w0rd-XYZ";
pub const API_KEY: &str = "KEY-0123456789abcdef";

/// How the fake answers requests with a session it does not know.
#[derive(Clone, Copy, PartialEq)]
pub enum Refusal {
    Http401,
    Status2200,
}

#[derive(Default)]
pub struct Fake {
    pub sessions: Vec<String>,
    pub logins: u32,
    /// Every request: (name, URI as received, body, content type).
    pub seen: Vec<(String, String, String, String)>,
    /// Effects: request name -> times processed.
    pub processed: HashMap<String, u32>,
    /// Answer this request with this canned response instead (status, body).
    pub canned: HashMap<String, (u16, String)>,
    /// Refuse every session, even fresh ones.
    pub refuse_all: bool,
    pub refusal: Option<Refusal>,
    /// Polls before a result is ready, and its final status.
    pub result_polls: u32,
    pub result_status: String,
    pub login_delay_ms: u64,
}

pub type Shared = Arc<Mutex<Fake>>;

pub fn form(body: &str) -> HashMap<String, String> {
    form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

async fn handle(
    State(fake): State<Shared>,
    Path(name): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> (HttpStatus, String) {
    // A GET carries its parameters in the query string.
    let mut params = form(uri.query().unwrap_or_default());
    params.extend(form(&body));
    let delay = {
        let mut f = fake.lock().unwrap();
        let ct = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        f.seen
            .push((name.clone(), uri.to_string(), body.clone(), ct));
        if name == "login" { f.login_delay_ms } else { 0 }
    };
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let mut f = fake.lock().unwrap();
    if name == "login" {
        let ok = params.get("api-key").map(String::as_str) == Some(API_KEY)
            || (params.get("username").map(String::as_str) == Some(USER)
                && params.get("password").map(String::as_str) == Some(PASSWORD));
        if !ok {
            return (
                HttpStatus::OK,
                "Status-Code: 2200\nStatus-Text: Authentication error\n\nAPI key is invalid\n"
                    .into(),
            );
        }
        f.logins += 1;
        let sid = format!("sid-{}-c0ffee", f.logins);
        f.sessions.push(sid.clone());
        return (
            HttpStatus::OK,
            format!(
                "Status-Code: 0\nStatus-Text: OK\nAuth-Sid: {sid}\nUID: 4711\nUser-Access: @full\nSession-Timeout: 3600\n\ncom\nnet\norg\n"
            ),
        );
    }
    let sid_ok = params
        .get("auth-sid")
        .is_some_and(|s| f.sessions.contains(s))
        && !f.refuse_all;
    if !sid_ok {
        return match f.refusal.unwrap_or(Refusal::Http401) {
            Refusal::Http401 => (HttpStatus::UNAUTHORIZED, "session expired".into()),
            Refusal::Status2200 => (
                HttpStatus::OK,
                "Status-Code: 2200\nStatus-Text: Authentication error\nError: invalid session\n\n"
                    .into(),
            ),
        };
    }
    if let Some((status, body)) = f.canned.get(&name).cloned() {
        *f.processed.entry(name).or_default() += 1;
        return (HttpStatus::from_u16(status).unwrap(), body);
    }
    *f.processed.entry(name.clone()).or_default() += 1;
    match name.as_str() {
        "logout" => {
            let sid = params.get("auth-sid").cloned().unwrap_or_default();
            f.sessions.retain(|s| *s != sid);
            (HttpStatus::OK, "Status-Code: 0\n\n".into())
        }
        "query-profile" => (
            HttpStatus::OK,
            "Status-Code: 0\nTracking-Id: t-1\n\ncustomer-id: 4711\nbalance: 100.00\n".into(),
        ),
        "domain-renew" => (
            HttpStatus::OK,
            "Status-Code: 0\nTracking-Id: t-renew\nProc-ID: 777\n\n".into(),
        ),
        "result-retrieve" => {
            if f.result_polls > 0 {
                f.result_polls -= 1;
                (
                    HttpStatus::OK,
                    "Status-Code: 0\n\nCompletion-Status: ?\n".into(),
                )
            } else {
                (
                    HttpStatus::OK,
                    format!(
                        "Status-Code: 0\n\nCompletion-Status: {}\nDomain: example.com\nThe Authorization ID is: \"abc\"\n",
                        f.result_status
                    ),
                )
            }
        }
        _ => (HttpStatus::OK, "Status-Code: 0\n\n".into()),
    }
}

pub async fn start(fake: Fake) -> (String, Shared) {
    let shared: Shared = Arc::new(Mutex::new(fake));
    let app = Router::new()
        .route("/request/{name}", any(handle))
        // Requests at paths of their own (`/whois`, `/v2/contact/create`), named by the path.
        .route("/{*path}", any(handle))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, shared)
}

pub fn client(url: &str) -> Client {
    builder(url).build().unwrap()
}

/// The builder of [`client`], for a test that sets more.
pub fn builder(url: &str) -> dmapi::ClientBuilder {
    Client::builder()
        .endpoint(url)
        .allow_http(true)
        .password(USER, PASSWORD)
        .poll_policy(PollPolicy {
            first_delay: Duration::from_millis(10),
            interval: Duration::from_millis(10),
            max_wait: Duration::from_secs(5),
        })
}

pub fn renew() -> DomainRenew {
    DomainRenew::new(
        "example.com".parse::<DomainName>().unwrap(),
        Term::Expyear(Year::new(2030).unwrap()),
    )
}
