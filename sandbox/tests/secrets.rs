//! Secrets: a full scenario whose logs (every level) and traffic are searched for the
//! password, the API key and every session id, and the `Debug` output of every type that holds
//! one. Alone in its test binary, so that no other test's threads share tracing's callsite
//! cache with the captured subscriber.

use std::io::Write;
use std::sync::{Arc, Mutex};

use dmapi::{
    Client, DomainName, Envelope, Form, Login, LoginWith, Months, Requests, Secret, Term, Year,
    Zone,
};
use dmapi_sandbox::Sandbox;

fn client_for(sandbox: &Sandbox) -> Client {
    sandbox.client_builder().build().unwrap()
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
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

#[tokio::test(flavor = "current_thread")]
async fn credentials_and_session_ids_never_leak_into_logs_traffic_or_debug_output() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sandbox = Sandbox::start().await.unwrap();
    sandbox.record_traffic(true);
    let creds = sandbox.credentials().clone();
    let client = client_for(&sandbox);
    let keyed = Client::builder()
        .endpoint(sandbox.url())
        .allow_http(true)
        .api_key(creds.api_key.as_str())
        .build()
        .unwrap();

    // A full scenario, with a session expiry and a failing request in it.
    let domain: DomainName = "example.com".parse().unwrap();
    client.domain_check(domain.clone()).await.unwrap();
    let renew = client
        .domain_renew(domain.clone(), Term::Expyear(Year::new(2031).unwrap()))
        .await
        .unwrap()
        .output;
    client.wait(&renew).await.unwrap();
    sandbox.expire_sessions();
    let mut zone = client.dns_zone_get(domain.clone()).await.unwrap().output;
    zone.upsert_txt("_acme-challenge", "token", 300).unwrap();
    client.dns_zone_put(domain.clone(), zone).await.unwrap();
    let err = client
        .domain_renew(
            "nope.com".parse().unwrap(),
            Term::Period(Months::years(1).unwrap()),
        )
        .await
        .unwrap_err();
    keyed.query_profile().await.unwrap();
    let login = client
        .send(Login::new(LoginWith::UsernamePassword {
            username: creds.username.clone(),
            password: Secret::new(creds.password.as_str()),
        }))
        .await
        .unwrap();
    client.logout().await.unwrap();
    keyed.logout().await.unwrap();

    let traffic = sandbox.traffic();
    let sids: Vec<String> = traffic
        .iter()
        .filter_map(|x| {
            Envelope::parse(&x.answer, &dmapi::metadata::PROTOCOL)
                .ok()?
                .header("Auth-Sid")
                .map(str::to_owned)
        })
        .collect();
    assert!(sids.len() >= 4, "logins: {}", sids.len());
    let secrets: Vec<&str> = [creds.password.as_str(), creds.api_key.as_str()]
        .into_iter()
        .chain(sids.iter().map(String::as_str))
        .collect();

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("dmapi_request"),
        "the scenario was logged: {logs}"
    );
    for s in &secrets {
        assert!(!logs.contains(s), "a secret is in the logs");
    }
    for x in &traffic {
        let is_login = x.request.eq_ignore_ascii_case("login");
        assert!(
            !x.query.contains(creds.password.as_str()),
            "password in a URL"
        );
        for s in &secrets {
            assert!(!x.query.contains(s), "{}: a secret in the URL", x.request);
        }
        for s in [creds.password.as_str(), creds.api_key.as_str()] {
            assert!(
                !x.answer.contains(s),
                "{}: a credential in an answer",
                x.request
            );
            if !is_login {
                assert!(!x.body.contains(s), "{}: a credential sent", x.request);
            }
        }
        if !is_login {
            for sid in &sids {
                assert!(
                    !x.answer.contains(sid.as_str()),
                    "{}: a session id answered",
                    x.request
                );
                assert!(x.set_cookie.is_empty());
            }
        }
    }

    // Debug output of everything that holds a secret.
    let form = {
        let mut f = Form::new();
        f.push_secret("password", creds.password.as_str());
        f
    };
    let debug = [
        format!("{client:?}"),
        format!("{keyed:?}"),
        format!("{:?}", login.envelope),
        format!("{login:?}"),
        format!("{err:?}"),
        format!("{creds:?}"),
        format!("{sandbox:?}"),
        format!("{form:?}"),
        format!("{:?}", Secret::new(creds.api_key.as_str())),
        format!(
            "{:?}",
            LoginWith::ApiKey(Secret::new(creds.api_key.as_str()))
        ),
        format!("{:?}", Zone::parse("$dyndns=yes:user:dyn-pa55word\n")),
    ];
    for d in &debug {
        for s in secrets.iter().copied().chain(["dyn-pa55word"]) {
            assert!(!d.contains(s), "Debug shows a secret: {d}");
        }
    }
}
