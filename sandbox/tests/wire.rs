//! The sandbox on the wire, with a bare HTTP client: what WIRE-NOTES.md says the live server
//! does (paths, GET and POST, case-insensitive names, header spellings, the session cookie,
//! HTTP 401), and validation from the spec's metadata (nothing processed when it fails).

mod common;

use common::wire::{Wire, env};
use dmapi_sandbox::Sandbox;

#[tokio::test]
async fn login_answers_the_live_header_spellings_a_cookie_and_the_tlds() {
    let sandbox = Sandbox::start().await.unwrap();
    let wire = Wire::new(&sandbox);
    let c = sandbox.credentials();
    let (status, headers, body) = wire
        .post(
            "LOGIN",
            &[("USERNAME", &c.username), ("Password", &c.password)],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    let keys: Vec<&str> = body
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':').map(|p| p.0))
        .collect();
    for key in [
        "Status-Code",
        "Status-Text",
        "Tracking-Id",
        "Version",
        "Auth-Sid",
        "Session-Timeout",
        "User-Access",
    ] {
        assert!(keys.contains(&key), "{key} missing in {keys:?}");
    }
    let env = env(&body);
    let sid = env.header("auth-sid").unwrap();
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with(&format!("dmapi-auth={sid};")),
        "{cookie}"
    );
    assert!(env.payload().lines().any(|l| l == "com"), "TLD list");
    assert!(!body.contains(&c.password), "the password is never echoed");
}

#[tokio::test]
async fn get_and_the_cookie_work_and_a_bad_session_is_http_401() {
    let sandbox = Sandbox::start().await.unwrap();
    let wire = Wire::new(&sandbox);
    let (sid, cookie) = wire.login(&sandbox).await;
    let (status, body) = wire
        .get("query-profile", &format!("auth-sid={sid}"), None)
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(env(&body).is_success());
    // The cookie stands in for auth-sid.
    let pair = cookie.split(';').next().unwrap();
    let (status, body) = wire.get("Query-Domain-List", "", Some(pair)).await;
    assert_eq!(status, 200, "{body}");
    assert!(env(&body).payload().contains("example.com"));
    // auth-sid wins over the cookie.
    let (status, _) = wire.get("query-profile", "auth-sid=nope", Some(pair)).await;
    assert_eq!(status, 401);
    let (status, body) = wire.get("query-profile", "", None).await;
    assert_eq!(status, 401);
    assert_eq!(env(&body).status_code(), Some(2200));
    sandbox.expire_sessions();
    let (status, _) = wire
        .get("query-profile", &format!("auth-sid={sid}"), None)
        .await;
    assert_eq!(status, 401, "an expired session is refused");
}

#[tokio::test]
async fn invalid_requests_get_every_problem_and_change_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    let wire = Wire::new(&sandbox);
    let (sid, _) = wire.login(&sandbox).await;
    let balance = sandbox.balance_cents();

    let (_, _, body) = wire.post("no-such-request", &[("auth-sid", &sid)]).await;
    assert_eq!(env(&body).status_code(), Some(2000));

    let (_, _, body) = wire
        .post(
            "domain-renew",
            &[
                ("auth-sid", &sid),
                ("domain", "example.com"),
                ("period", "12"),
                ("expyear", "2030"),
                ("colour", "red"),
            ],
        )
        .await;
    let e = env(&body);
    assert!(!e.is_success());
    let errors: Vec<&str> = e.errors().collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().any(|m| m.contains("colour")), "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|m| m.contains("period") && m.contains("expyear")),
        "{errors:?}"
    );

    let (_, _, body) = wire
        .post(
            "domain-register",
            &[("auth-sid", &sid), ("domain", "bad..name")],
        )
        .await;
    let e = env(&body);
    assert_eq!(
        e.status_code(),
        Some(2005),
        "the first problem decides the code"
    );
    assert!(
        e.errors().any(|m| m.contains("owner-c")),
        "missing ones are listed too"
    );

    let (_, _, body) = wire
        .post(
            "dns-zone-put",
            &[("auth-sid", &sid), ("domain", "example.com"), ("zone", "")],
        )
        .await;
    assert_eq!(env(&body).status_code(), Some(2400), "an empty zone: 2400");

    assert_eq!(sandbox.balance_cents(), balance);
    assert_eq!(
        sandbox.effects("domain-renew") + sandbox.effects("domain-register"),
        0
    );
    let (_, _, body) = wire
        .post("result-list", &[("auth-sid", &sid), ("pending", "1")])
        .await;
    assert_eq!(env(&body).payload(), "", "nothing was queued");
}
