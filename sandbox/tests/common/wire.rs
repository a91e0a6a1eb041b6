//! A bare HTTP client for the tests that look at the sandbox's raw answers (the wire facts
//! WIRE-NOTES.md gives), with no DMAPI client in between.

use dmapi::{Envelope, metadata};
use dmapi_sandbox::Sandbox;

/// Form POSTs and GETs under the sandbox's request path; answers as text.
pub struct Wire {
    http: reqwest::Client,
    base: String,
}

impl Wire {
    /// A client of `sandbox`.
    pub fn new(sandbox: &Sandbox) -> Wire {
        Wire {
            http: reqwest::Client::new(),
            base: format!("{}{}", sandbox.url(), metadata::SESSION.path),
        }
    }

    /// POSTs request `name` with `params` as a form: HTTP status, headers, body.
    pub async fn post(
        &self,
        name: &str,
        params: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, String) {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        let r = self
            .http
            .post(format!("{}{name}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        (status, headers, r.text().await.unwrap())
    }

    /// GETs request `name` with `query`, sending `cookie` if given: HTTP status, body.
    pub async fn get(&self, name: &str, query: &str, cookie: Option<&str>) -> (u16, String) {
        let mut req = self.http.get(format!("{}{name}?{query}", self.base));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let r = req.send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Logs in with the reseller's password: the session id and the `Set-Cookie` value.
    pub async fn login(&self, sandbox: &Sandbox) -> (String, String) {
        let c = sandbox.credentials();
        let (status, headers, body) = self
            .post(
                "login",
                &[("username", &c.username), ("password", &c.password)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let env = Envelope::parse(&body, &dmapi::metadata::PROTOCOL).unwrap();
        let sid = env.header("Auth-Sid").unwrap().to_owned();
        let cookie = headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap()
            .to_owned();
        (sid, cookie)
    }
}

/// `body` read as a DMAPI answer; a test failure if it is not one.
pub fn env(body: &str) -> Envelope {
    Envelope::parse(body, &dmapi::metadata::PROTOCOL)
        .unwrap_or_else(|e| panic!("not DMAPI: {e}: {body}"))
}

/// The payload of a raw answer exactly as sent: everything after the first blank line (what
/// clients that split on it see; [`Envelope`] would hide a final newline's absence or presence).
pub fn raw_payload(body: &str) -> &str {
    body.split_once("\n\n").map_or("", |(_, payload)| payload)
}
