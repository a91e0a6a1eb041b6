//! The client against a small fake DMAPI server on loopback: lazy login, re-login once after
//! an expired session, no replay after other failures, one login for concurrent first use,
//! waiting for queued requests, and errors that keep the evidence.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dmapi::meta::RequestMeta;
use dmapi::{
    ClTrIds, Client, CompletionStatus, ContactCreate, ContactName, DomainModify, EncodeError,
    Envelope, Error, Form, OutputError, PollPolicy, QueryProfile, Request, Requests, StatusCode,
    Term, Year,
};
use support::{API_KEY, Fake, Refusal, client, form, renew, start};

#[tokio::test]
async fn logs_in_lazily_once_and_posts_forms_with_the_session() {
    let (url, fake) = start(Fake::default()).await;
    let client = client(&url);
    assert_eq!(client.session_info().await, None, "no login before use");
    let profile = client.send(QueryProfile::new()).await.unwrap();
    let balance = profile.output.balance.as_deref();
    assert_eq!(balance, Some("100.00"));
    assert_eq!(profile.tracking_id(), Some("t-1"));
    client.query_profile().await.unwrap();
    assert_eq!(client.login_count().await, 1);
    let info = client.session_info().await.unwrap();
    assert_eq!(info.timeout, Some(Duration::from_secs(3600)));
    assert_eq!(info.user_access.as_deref(), Some("@full"));

    let f = fake.lock().unwrap();
    assert_eq!(f.logins, 1);
    let names: Vec<&str> = f.seen.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["login", "query-profile", "query-profile"]);
    for (name, uri, body, ct) in &f.seen {
        assert_eq!(uri, &format!("/request/{name}"), "nothing in the URL");
        assert_eq!(ct, "application/x-www-form-urlencoded");
        if name != "login" {
            assert_eq!(
                form(body).get("auth-sid").map(String::as_str),
                Some("sid-1-c0ffee")
            );
        }
    }
}

#[tokio::test]
async fn an_expired_session_logs_in_again_once_and_replays() {
    for refusal in [Refusal::Http401, Refusal::Status2200] {
        let (url, fake) = start(Fake {
            refusal: Some(refusal),
            ..Fake::default()
        })
        .await;
        let client = client(&url);
        client.login().await.unwrap();
        fake.lock().unwrap().sessions.clear(); // the server forgets the session
        let submitted = client.send(renew()).await.unwrap().output;
        assert_eq!(submitted.proc_id, "777");
        assert_eq!(client.login_count().await, 2);
        let f = fake.lock().unwrap();
        assert_eq!(
            f.processed.get("domain-renew"),
            Some(&1),
            "renewed exactly once"
        );
        let renews = f.seen.iter().filter(|s| s.0 == "domain-renew").count();
        assert_eq!(renews, 2, "refused once, replayed once");
    }
}

#[tokio::test]
async fn a_session_refused_twice_is_an_error_not_a_loop() {
    let (url, fake) = start(Fake {
        refuse_all: true,
        ..Fake::default()
    })
    .await;
    let client = client(&url);
    let err = client.send(renew()).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 401, .. }), "{err:?}");
    let f = fake.lock().unwrap();
    assert_eq!(f.logins, 2);
    assert_eq!(f.seen.iter().filter(|s| s.0 == "domain-renew").count(), 2);
    assert_eq!(f.processed.get("domain-renew"), None);
}

#[tokio::test]
async fn other_failures_are_never_replayed_and_keep_the_evidence() {
    let mut canned = HashMap::new();
    canned.insert(
        "domain-renew".to_owned(),
        (
            200,
            "Status-Code: 2400\nStatus-Text: Command failed\nTracking-Id: t-9\nError: insufficient funds\nError: try later\n\n".to_owned(),
        ),
    );
    canned.insert("query-profile".to_owned(), (500, "oops".to_owned()));
    canned.insert(
        "domain-check".to_owned(),
        (200, "<html><body>Bad Gateway</body></html>".to_owned()),
    );
    let (url, fake) = start(Fake {
        canned,
        ..Fake::default()
    })
    .await;
    let client = client(&url);

    let err = client.send(renew()).await.unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.request, "domain-renew");
    assert_eq!(StatusCode::from(api.status), StatusCode::CommandFailed);
    assert_eq!(api.status_text, "Command failed");
    assert_eq!(api.errors, ["insufficient funds", "try later"]);
    assert_eq!(api.tracking_id.as_deref(), Some("t-9"));
    assert_eq!(
        err.to_string(),
        "domain-renew: status 2400 Command failed; insufficient funds; try later (tracking id t-9)"
    );
    assert!(!err.is_retryable());

    let err = client.send(QueryProfile::new()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Http { request: "query-profile", status: 500, body } if body == "oops"),
        "{err:?}"
    );
    assert!(err.is_ambiguous(), "a 500 may have been processed");

    let check = dmapi::DomainCheck::new("example.com".parse().unwrap());
    let err = client.send(check).await.unwrap_err();
    match &err {
        Error::Protocol { request, raw, .. } => {
            assert_eq!(*request, "domain-check");
            assert_eq!(raw, b"<html><body>Bad Gateway</body></html>");
        }
        other => panic!("{other:?}"),
    }

    let f = fake.lock().unwrap();
    // The refused renewal is not sent again; the queries were retried (3 attempts in all).
    assert_eq!(f.seen.iter().filter(|s| s.0 == "domain-renew").count(), 1);
    for name in ["query-profile", "domain-check"] {
        assert_eq!(f.seen.iter().filter(|s| s.0 == name).count(), 3, "{name}");
    }
}

#[tokio::test]
async fn a_lost_answer_to_a_change_is_outcome_unknown_with_the_query_to_check() {
    // (client transaction ids, the caller's own, the one the check asks for)
    let cases: [(ClTrIds, Option<&str>, Option<&str>); 4] = [
        (ClTrIds::default(), None, None),
        (ClTrIds::Prefixed("shop".into()), None, Some("shop-1")),
        (ClTrIds::default(), Some("order-42"), Some("order-42")),
        (ClTrIds::Off, None, None),
    ];
    for (mode, own, want) in cases {
        let mut canned = HashMap::new();
        canned.insert(
            "domain-renew".to_owned(),
            (502, "<html>Bad Gateway</html>".to_owned()),
        );
        let (url, fake) = start(Fake {
            canned,
            ..Fake::default()
        })
        .await;
        let client = support::builder(&url)
            .cltrids(mode.clone())
            .build()
            .unwrap();
        let request = match own {
            Some(id) => renew().cltrid(id),
            None => renew(),
        };
        let err = client.send(request).await.unwrap_err();
        let sent = {
            let f = fake.lock().unwrap();
            let renews: Vec<_> = f.seen.iter().filter(|s| s.0 == "domain-renew").collect();
            assert_eq!(renews.len(), 1, "never sent twice");
            form(&renews[0].2).get("cltrid").cloned()
        };
        match &err {
            Error::OutcomeUnknown {
                request,
                object,
                cltrid,
                check,
                cause,
                ..
            } => {
                assert_eq!(*request, "domain-renew");
                assert_eq!(object.as_deref(), Some("example.com"));
                assert!(
                    matches!(**cause, Error::Http { status: 502, .. }),
                    "{cause:?}"
                );
                assert_eq!(cltrid, &sent, "{mode:?}: the id sent");
                assert_eq!(check.request.name, "result-list");
                assert_eq!(check.form.get("pending"), Some("1"));
                match (&mode, want) {
                    (ClTrIds::Off, _) => {
                        assert_eq!(sent, None, "no id when turned off");
                        assert_eq!(check.form.get("rtype"), Some("domain-renew"));
                        assert_eq!(check.form.get("objid"), Some("example.com"));
                    }
                    _ => {
                        let id = sent.as_deref().expect("sent with an id");
                        if let Some(want) = want {
                            assert_eq!(id, want, "{mode:?}");
                        } else {
                            assert!(id.starts_with("dmapi-") && id.len() > 8, "{id}");
                        }
                        assert_eq!(check.form.get("cltrid"), Some(id), "that very request");
                        assert_eq!(check.form.get("rtype"), None);
                    }
                }
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("outcome is unknown"), "{err}");
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn queries_carry_no_client_transaction_id_and_each_change_its_own() {
    let (url, fake) = start(Fake::default()).await;
    let client = client(&url);
    let first = client.send(renew()).await.unwrap();
    let second = client.send(renew()).await.unwrap();
    client.query_profile().await.unwrap();
    assert!(first.cltrid.is_some() && first.cltrid != second.cltrid);
    let f = fake.lock().unwrap();
    let ids: Vec<Option<String>> = f
        .seen
        .iter()
        .filter(|s| s.0 != "login")
        .map(|s| form(&s.2).get("cltrid").cloned())
        .collect();
    assert_eq!(ids, [first.cltrid.clone(), second.cltrid.clone(), None]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_use_logs_in_once() {
    let (url, fake) = start(Fake {
        login_delay_ms: 100,
        ..Fake::default()
    })
    .await;
    let client = client(&url);
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.send(QueryProfile::new()).await.map(|_| ()) })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(fake.lock().unwrap().logins, 1);
    assert_eq!(
        fake.lock().unwrap().processed.get("query-profile"),
        Some(&16)
    );
}

#[tokio::test]
async fn waiting_for_a_queued_request_polls_until_ack_or_nack() {
    let (url, fake) = start(Fake {
        result_polls: 2,
        result_status: "ack".into(),
        ..Fake::default()
    })
    .await;
    let client = client(&url);
    let submitted = client
        .domain_renew(
            "example.com".parse().unwrap(),
            Term::Expyear(Year::new(2030).unwrap()),
        )
        .await
        .unwrap()
        .output;
    let done = client.wait(&submitted).await.unwrap();
    assert_eq!(done.status, CompletionStatus::Ack);
    assert_eq!(done.proc_id, "777");
    assert_eq!(done.fields.get("Domain"), Some("example.com"));
    // The typed result reads the key case-insensitively.
    let result = done.result.clone().expect("a typed result for an ack");
    assert_eq!(result.domain, Some("example.com".parse().unwrap()));
    assert_eq!(result.all, done.fields);
    {
        let f = fake.lock().unwrap();
        let polls: Vec<&String> = f
            .seen
            .iter()
            .filter(|s| s.0 == "result-retrieve")
            .map(|s| &s.2)
            .collect();
        assert_eq!(polls.len(), 3, "two pending answers, then the result");
        assert_eq!(
            form(polls[0]).get("proc-id").map(String::as_str),
            Some("777")
        );
    }

    fake.lock().unwrap().result_status = "nack".into();
    let done = client.wait(&submitted).await.unwrap();
    assert_eq!(done.status, CompletionStatus::Nack);
    assert!(
        done.error_text().contains("Domain: example.com"),
        "{}",
        done.error_text()
    );

    fake.lock().unwrap().result_polls = 1_000_000;
    let err = client
        .wait_with(
            &submitted,
            PollPolicy {
                first_delay: Duration::from_millis(5),
                interval: Duration::from_millis(5),
                max_wait: Duration::from_millis(60),
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::WaitTimeout { proc_id, .. } if proc_id == "777"),
        "{err:?}"
    );
    assert!(err.is_retryable(), "waiting again cannot double anything");
}

#[tokio::test]
async fn a_bad_api_key_is_a_session_error_with_the_servers_detail() {
    let (url, fake) = start(Fake::default()).await;
    let client = Client::builder()
        .endpoint(&url)
        .allow_http(true)
        .api_key("wrong")
        .build()
        .unwrap();
    let err = client.send(QueryProfile::new()).await.unwrap_err();
    assert!(matches!(err, Error::Session { .. }), "{err:?}");
    assert_eq!(
        err.status().map(StatusCode::from),
        Some(StatusCode::AuthenticationError)
    );
    assert_eq!(
        err.to_string(),
        "login failed: login: status 2200 Authentication error; API key is invalid"
    );
    let f = fake.lock().unwrap();
    assert_eq!(f.seen.len(), 1, "only the login was attempted");
}

#[tokio::test]
async fn invalid_requests_are_not_sent() {
    let (url, fake) = start(Fake::default()).await;
    let client = client(&url);
    // A .eu contact needs `lang`.
    let contact = ContactCreate::new(
        "eu",
        "john@example.com".parse().unwrap(),
        "Street 1",
        "Town",
        "12345",
        "DE".parse().unwrap(),
        "+49.1234",
        ContactName::Name("John Doe".into()),
    );
    assert!(contact.validate().is_err());
    let err = client.send(contact).await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("contact-create: not sent, its parameters do not match the spec: missing parameter `lang`"),
        "{err}"
    );
    assert!(fake.lock().unwrap().seen.is_empty());
}

/// A request that counts the calls of its `encode` (the wrapped request does the work).
struct Counted<R> {
    inner: R,
    encodes: Arc<AtomicUsize>,
}

impl<R> Counted<R> {
    fn new(inner: R, encodes: &Arc<AtomicUsize>) -> Self {
        Counted {
            inner,
            encodes: encodes.clone(),
        }
    }
}

impl<R: Request> Request for Counted<R> {
    const NAME: &'static str = R::NAME;
    type Output = R::Output;

    fn meta() -> &'static RequestMeta {
        R::meta()
    }

    fn encode(&self) -> Result<Form, EncodeError> {
        self.encodes.fetch_add(1, Ordering::SeqCst);
        self.inner.encode()
    }

    fn parse_output(&self, env: &Envelope) -> Result<R::Output, OutputError> {
        self.inner.parse_output(env)
    }
}

#[tokio::test]
async fn send_encodes_a_request_once_even_when_it_is_refused_or_replayed() {
    let (url, fake) = start(Fake::default()).await;
    let client = client(&url);
    client.login().await.unwrap();
    fake.lock().unwrap().sessions.clear(); // the server forgets the session: one replay
    let encodes = Arc::new(AtomicUsize::new(0));
    let submitted = client
        .send(Counted::new(renew(), &encodes))
        .await
        .unwrap()
        .output;
    assert_eq!(submitted.proc_id, "777");
    assert_eq!(
        encodes.load(Ordering::SeqCst),
        1,
        "one encode for two posts"
    );
    let posts = |fake: &support::Shared, name: &str| {
        let f = fake.lock().unwrap();
        f.seen.iter().filter(|s| s.0 == name).count()
    };
    assert_eq!(posts(&fake, "domain-renew"), 2, "sent, refused, sent again");

    // dnssec=1 requires keys: refused after one encode, and not sent.
    let no_keys = Counted::new(
        DomainModify::new("example.com".parse().unwrap()).dnssec(true),
        &encodes,
    );
    let err = client.send(no_keys).await.unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err}");
    assert_eq!(encodes.load(Ordering::SeqCst), 2);
    assert_eq!(posts(&fake, "domain-modify"), 0);
}

#[tokio::test]
async fn the_builder_refuses_plain_http_and_missing_credentials() {
    let err = Client::builder()
        .endpoint("http://127.0.0.1:1")
        .api_key(API_KEY)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("plain http"), "{err}");
    let err = Client::builder().build().unwrap_err();
    assert!(err.to_string().contains("no credentials"), "{err}");
    let err = Client::builder()
        .endpoint("ftp://example.com")
        .api_key(API_KEY)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("unsupported scheme"), "{err}");
    // Production and OT&E come from the spec and are https.
    assert!(Client::builder().ote().api_key(API_KEY).build().is_ok());
}

#[tokio::test]
async fn an_unreachable_server_is_a_retryable_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener); // nothing listens there now
    let err = client(&url).send(QueryProfile::new()).await.unwrap_err();
    match &err {
        Error::Session { source } => {
            assert!(
                matches!(
                    **source,
                    Error::Transport {
                        request: "login",
                        ..
                    }
                ),
                "{source:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable(), "the request never reached a server");
}

#[tokio::test]
async fn requests_with_paths_of_their_own_go_there_and_get_only_ones_as_a_get() {
    let (url, fake) = start(Fake::default()).await;
    let client = client(&url);
    client
        .send(dmapi::Whois::new("example.com".parse().unwrap()).disclaimer(false))
        .await
        .unwrap();
    let contact = dmapi::V2ContactCreate::new(
        "com",
        "john@example.com".parse().unwrap(),
        "Smartroad 1",
        "Smalltown",
        "40122",
        "US".parse().unwrap(),
        "+1.422.8001",
        ContactName::Name("John Doe".into()),
    );
    // The fake answers no payload: no handle, so an output error; the request is what matters.
    let err = client.send(contact).await.unwrap_err();
    assert!(matches!(err, Error::Output(_)), "{err:?}");
    let f = fake.lock().unwrap();
    let (name, uri, body, ct) = &f.seen[1];
    assert_eq!(name, "whois");
    assert!(uri.starts_with("/whois?"), "{uri}");
    let query = form(uri.split_once('?').unwrap().1);
    assert_eq!(query.get("domain").map(String::as_str), Some("example.com"));
    assert_eq!(query.get("disclaimer").map(String::as_str), Some("0"));
    assert!(query.contains_key("auth-sid"), "the session goes along");
    assert!(body.is_empty() && ct.is_empty(), "a GET: {body:?} {ct:?}");
    let (name, uri, body, ct) = &f.seen[2];
    assert_eq!(name, "v2/contact/create");
    assert_eq!(uri, "/v2/contact/create", "a POST: nothing in the URL");
    assert_eq!(ct, "application/x-www-form-urlencoded");
    assert_eq!(form(body).get("tld").map(String::as_str), Some("com"));
}
