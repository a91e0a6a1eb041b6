//! Bad input everywhere, as tables: what the client refuses before sending (nothing reaches
//! the server), and what the sandbox answers to malformed requests (a DMAPI error, never a
//! crash or a hang; it keeps serving).

use dmapi::validate::Problem;
use dmapi::{Client, Envelope, Error, Form, metadata};
use dmapi_sandbox::Sandbox;

/// One bad request: its name, its parameters, and what the refusal must say.
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

const CLIENT_TABLE: &[Case] = &[
    ("domain-check", &[("domain", "bücher.de")], "domain"),
    ("domain-check", &[("domain", "bad..name")], "domain"),
    ("domain-check", &[("domain", "ex\u{7}ample.com")], "domain"),
    ("domain-check", &[("domain", "-lead.com")], "domain"),
    (
        "domain-renew",
        &[("domain", "example.com"), ("period", "0")],
        "between 1 and 120",
    ),
    (
        "domain-renew",
        &[("domain", "example.com"), ("period", "1y")],
        "months",
    ),
    (
        "domain-renew",
        &[("domain", "example.com"), ("expyear", "20300")],
        "year",
    ),
    (
        "domain-renew",
        &[
            ("domain", "example.com"),
            ("period", "12"),
            ("max-price", "0"),
        ],
        "price",
    ),
    (
        "domain-renew",
        &[
            ("domain", "example.com"),
            ("period", "12"),
            ("max-price", "-5"),
        ],
        "price",
    ),
    (
        "domain-modify",
        &[("domain", "example.com"), ("admin-c", "bad handle!")],
        "handle",
    ),
    (
        "domain-modify",
        &[
            ("domain", "example.com"),
            ("ns-list", "a.ns.joker.com::b.ns.joker.com"),
        ],
        "empty",
    ),
    (
        "domain-modify",
        &[("domain", "example.com"), ("dnssec", "1"), ("ds-7", "x")],
        "at most 6",
    ),
    (
        "ns-create",
        &[("host", "ns9.example.com"), ("ip", "999.1.1.1")],
        "IPv4",
    ),
    (
        "ns-create",
        &[("host", "ns9.example.com"), ("ipv6", "zz::1")],
        "IPv6",
    ),
    (
        "contact-modify",
        &[("handle", "COCO-4711"), ("email", "not-an-email")],
        "e-mail",
    ),
    (
        "contact-modify",
        &[("handle", "COCO-4711"), ("city", "Line\nbreak")],
        "control",
    ),
    (
        "contact-modify",
        &[("handle", "COCO-4711"), ("city", "Tab\there")],
        "control",
    ),
    (
        "domain-check",
        &[("domain", "example.com"), ("domain", "example.net")],
        "more than once",
    ),
    (
        "dns-zone-put",
        &[("domain", "example.com"), ("zone", "")],
        "empty",
    ),
    (
        "dns-zone-put",
        &[
            ("domain", "example.com"),
            ("zone", "www A 0 192.0.2.1 30\n"),
        ],
        "TTL",
    ),
];

#[tokio::test]
async fn the_client_refuses_bad_values_before_sending() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = sandbox.credentials();
    let client = Client::builder()
        .endpoint(sandbox.url())
        .allow_http(true)
        .password(&c.username, c.password.as_str())
        .build()
        .unwrap();
    for (request, params, says) in CLIENT_TABLE {
        let meta = metadata::find(request).unwrap();
        let mut form = Form::new();
        for (k, v) in *params {
            form.push(*k, *v);
        }
        let err = client.send_raw(meta, &form).await.unwrap_err();
        let Error::Invalid { problems, .. } = &err else {
            panic!("{request} {params:?}: {err:?}")
        };
        let text = problems
            .iter()
            .map(Problem::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        assert!(
            text.contains(says),
            "{request} {params:?}: `{text}` lacks `{says}`"
        );
        assert_eq!(sandbox.received(request), 0, "{request}: nothing is sent");
    }
    // Unicode names are accepted through punycode.
    assert_eq!(
        dmapi::DomainName::from_unicode("bücher.de")
            .unwrap()
            .as_str(),
        "xn--bcher-kva.de"
    );
}

/// (raw form body for domain-check, HTTP status, DMAPI status, what the error says)
const SERVER_TABLE: &[(&str, u16, u16, &str)] = &[
    ("domain=%zz.com", 200, 2005, "two hex digits"),
    ("domain=%ff%fe.com", 200, 2005, "not UTF-8"),
    ("%=x", 200, 2005, "two hex digits"),
    ("domain=a.com&domain=b.com", 200, 2001, "more than once"),
    ("domain=a%0a.com", 200, 2005, "domain"),
    ("domain=", 200, 2005, "empty"),
    ("", 200, 2003, "missing required parameter `domain`"),
    (
        "domain=example.com&colour=red",
        200,
        2001,
        "unknown parameter `colour`",
    ),
    ("domain=example.com&check-price=cheap", 200, 2005, "one of"),
    ("domain=example.com&period=0", 200, 2005, "at least 1"),
];

#[tokio::test]
async fn the_sandbox_answers_malformed_requests_with_dmapi_errors() {
    let sandbox = Sandbox::builder()
        .max_body(64 * 1024)
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let base = format!("{}{}", sandbox.url(), metadata::SESSION.path);
    let c = sandbox.credentials();
    let login = http
        .post(format!("{base}login"))
        .body(format!("username={}&password={}", c.username, c.password))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let sid = Envelope::parse(&login, &dmapi::metadata::PROTOCOL)
        .unwrap()
        .header("Auth-Sid")
        .unwrap()
        .to_owned();
    let post = |body: Vec<u8>| {
        let http = http.clone();
        let url = format!("{base}domain-check");
        async move {
            let r = http.post(url).body(body).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    for (body, http_status, code, says) in SERVER_TABLE {
        let full = format!("auth-sid={sid}&{body}").into_bytes();
        let (status, text) = post(full).await;
        let env = Envelope::parse(&text, &dmapi::metadata::PROTOCOL)
            .unwrap_or_else(|e| panic!("{body}: not DMAPI: {e}"));
        assert_eq!(status, *http_status, "{body}");
        assert_eq!(env.status_code(), Some(*code), "{body}: {text}");
        assert!(
            env.errors().any(|e| e.contains(says)),
            "{body}: no error says `{says}`: {text}"
        );
    }
    // A body over the limit.
    let huge = format!(
        "auth-sid={sid}&domain=example.com&x={}",
        "a".repeat(100 * 1024)
    );
    let (status, text) = post(huge.into_bytes()).await;
    assert_eq!(status, 413);
    assert_eq!(
        Envelope::parse(&text, &dmapi::metadata::PROTOCOL)
            .unwrap()
            .status_code(),
        Some(2005)
    );
    // Raw non-UTF-8 bytes.
    let mut raw = format!("auth-sid={sid}&domain=").into_bytes();
    raw.extend_from_slice(&[0xff, 0xfe, b'.', b'c', b'o', b'm']);
    let (_, text) = post(raw).await;
    assert_eq!(
        Envelope::parse(&text, &dmapi::metadata::PROTOCOL)
            .unwrap()
            .status_code(),
        Some(2005)
    );
    // Still serving.
    let (status, text) = post(format!("auth-sid={sid}&domain=example.com").into_bytes()).await;
    assert_eq!(status, 200);
    assert!(
        Envelope::parse(&text, &dmapi::metadata::PROTOCOL)
            .unwrap()
            .is_success(),
        "{text}"
    );
}
