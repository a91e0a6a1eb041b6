//! Every request of the spec, aliases included, sent to the sandbox over loopback and read with
//! the client's own parser: no request is served only in theory.
//!
//! Each request gets a fresh sandbox with the demo seed ([`dmapi_sandbox::Seed::Demo`]), a
//! session, and the spec's example parameters (`RequestMeta::example_params`), sent twice:
//!
//! - bare: every answer must be well formed (a success that `AnyRequest::check_output` accepts,
//!   or a refusal with a status code and an `Error` header), and exactly the requests in
//!   [`KNOWN_FAILURES`] may fail, each with its reason;
//! - [`prepare`]d: where an example names an object the sandbox cannot have (a Proc-ID, a
//!   verification key) or has in another state (the example's `example.com` is the seed's own,
//!   so it cannot be registered), the typed request is pointed at the seed's objects, or at
//!   ones created first; then every request must succeed.
//!
//! A queued request succeeds when it completes with `ack` (read with `result-retrieve`); an
//! answer with a declared header that reads `NACK` did not succeed. Sandbox time is advanced
//! where a request waits; nothing depends on the wall clock.

use std::time::Duration;

use dmapi::meta::{Method, RequestKind, RequestMeta};
use dmapi::{
    AnyRequest, ContactCreateResult, Envelope, GrantRole, GrantsList, GrantsRevokeType, LoginWith,
    QueuedResult, Request, ResultId, ResultRetrieve, ResultStatus, metadata,
};
use dmapi_sandbox::Sandbox;

/// Requests whose bare example parameters cannot succeed against the demo sandbox, and why;
/// [`prepare`] points each at an object that makes it succeed. Checked both ways: a request
/// listed here that succeeds with its bare examples fails the test, and so does one that fails
/// without being listed.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    // The example credentials (`john@example.com`) are not the sandbox's.
    ("login", "invalid username or password"),
    // The example Proc-ID was never issued by this sandbox.
    ("result-retrieve", "no such result"),
    ("result-delete", "no such result"),
    // `COCO-4711` is the seed's owner contact of its domains.
    ("contact-delete", "the contact is in use"),
    // `example.com` is the seed's own domain.
    ("domain-register", "the domain is taken"),
    (
        "domain-transfer-in-reseller",
        "the domain is already with Joker.com",
    ),
    // The seed's `example.com` is in use, not deleted: there is nothing to restore.
    ("domain-redeem", "the domain is not deleted"),
    ("domain-transfer-in", "the domain is already with Joker.com"),
    // The seed's `example.com` is older than 72 hours: the docs require `force`.
    ("domain-delete", "deleting an older domain needs force"),
    // The seed has an invitation on `example.com`, no grant with the example's scope.
    ("grants-revoke", "no such grant"),
    // `ns1.example.com` is the seed's name server, and serves `example.com`.
    ("ns-create", "the name server exists"),
    ("host-create", "the name server exists"),
    ("ns-delete", "the name server is in use"),
    ("host-delete", "the name server is in use"),
    // The example address, verification key and owner-change key are unknown: `Result: NACK`.
    (
        "wa-email-validate",
        "no verification pending for the address",
    ),
    ("wa-email-verify", "no verification pending with the key"),
    ("cor-verify", "no change of registrant pending with the key"),
];

/// The seed's pending owner e-mail verification (see `Seed::Demo`).
const SEED_OWNER_EMAIL: &str = "owner@example.com";
/// The seed's domain with a zone, an invitation and that verification.
const SEED_DOMAIN: &str = "example.com";
/// A name registered elsewhere in the seed, ready to transfer in, and its AUTH-ID.
const SEED_TRANSFER: (&str, &str) = ("transfer-me.com", "TRANSFER-ME-2026");
/// The seed's owner contact.
const SEED_CONTACT: &str = "COCO-4711";
/// A name nobody holds (not premium, not reserved, a TLD the price table offers).
const FREE_DOMAIN: &str = "brand-new-name.com";
/// A name server the seed does not have (it has `ns1.example.com`).
const FREE_HOST: &str = "ns2.example.com";

/// A sandbox, a logged-in session and a bare HTTP client.
struct Wire {
    sandbox: Sandbox,
    http: reqwest::Client,
    sid: String,
}

impl Wire {
    async fn start() -> Wire {
        let sandbox = Sandbox::start().await.expect("the sandbox starts");
        let mut wire = Wire {
            sandbox,
            http: reqwest::Client::new(),
            sid: String::new(),
        };
        let login = login_request(&wire.sandbox);
        let env = wire.send(&metadata::SESSION.login, &login).await.1;
        let env = env.unwrap_or_else(|e| panic!("login: {e}"));
        assert!(env.is_success(), "login refused: {env:?}");
        wire.sid = env
            .header(&metadata::PROTOCOL.headers.session_id)
            .expect("a session id")
            .to_owned();
        wire
    }

    /// Sends `name` with `params` at its path, as a POST form (a GET query where the spec says
    /// GET): the HTTP status and the answer read as an envelope.
    async fn send(
        &self,
        name: &str,
        params: &[(String, String)],
    ) -> (u16, Result<Envelope, String>) {
        let meta = metadata::find(name).expect("a request of the spec");
        let url = format!(
            "{}{}",
            self.sandbox.url(),
            meta.path(&metadata::SESSION.path)
        );
        let form = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        let request = match meta.method {
            Method::Get => self.http.get(format!("{url}?{form}")),
            Method::Post => self
                .http
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form),
        };
        let response = request
            .send()
            .await
            .expect("the sandbox answers over loopback");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a text answer");
        let env = Envelope::parse(&text, &metadata::PROTOCOL)
            .map_err(|e| format!("not a DMAPI envelope ({e}):\n{text}"));
        (status, env)
    }

    /// `request`'s parameters, with the session if `meta` takes one.
    fn params(&self, meta: &RequestMeta, request: &AnyRequest) -> Vec<(String, String)> {
        let form = request
            .encode()
            .unwrap_or_else(|e| panic!("{}: {e}", meta.name));
        let mut params: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        if let Some(p) = meta.session_param.as_deref() {
            params.push((p.to_owned(), self.sid.clone()));
        }
        params
    }

    /// Sends a typed request of the session, for setting up: its answer, a success.
    async fn setup_env<Rq: Request>(&self, request: &Rq) -> Envelope {
        let meta = Rq::meta();
        let mut params: Vec<(String, String)> = request
            .encode()
            .expect("a setup request encodes")
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        if let Some(p) = meta.session_param.as_deref() {
            params.push((p.to_owned(), self.sid.clone()));
        }
        let env = self.send(&meta.name, &params).await.1.expect("an envelope");
        assert!(env.is_success(), "setup {} refused: {env:?}", meta.name);
        env
    }

    /// [`setup_env`](Self::setup_env), read by the request's parser.
    async fn setup<Rq: Request>(&self, request: &Rq) -> Rq::Output {
        let env = self.setup_env(request).await;
        request
            .parse_output(&env)
            .unwrap_or_else(|e| panic!("setup {}: {e}", Rq::NAME))
    }

    /// Submits `meta`'s queued request, its examples changed by `edit`: the Proc-ID.
    async fn submit(
        &self,
        meta: &'static RequestMeta,
        edit: impl FnOnce(&mut AnyRequest),
    ) -> String {
        let mut request = decode(meta, &meta.example_params()).expect("its examples decode");
        edit(&mut request);
        let env = self.send(&meta.name, &self.params(meta, &request)).await.1;
        let env = env.expect("an envelope");
        env.proc_id()
            .unwrap_or_else(|| panic!("{} was not queued: {env:?}", meta.name))
            .to_owned()
    }

    /// [`submit`](Self::submit), for setting up: the result's `key: value` lines, once the
    /// request completed with `ack` (the sandbox's queue has no delay).
    async fn queue(
        &self,
        meta: &'static RequestMeta,
        edit: impl FnOnce(&mut AnyRequest),
    ) -> (Envelope, dmapi::KeyValues) {
        let proc_id = self.submit(meta, edit).await;
        let retrieve = ResultRetrieve::new(ResultId::ProcId(proc_id));
        let env = self.setup_env(&retrieve).await;
        let out = retrieve.parse_output(&env).expect("a result");
        let status = out.completion_status.as_deref().unwrap_or_default();
        let status = ResultStatus::read(status, &metadata::PROTOCOL.completion);
        assert_eq!(status, ResultStatus::Ack, "setup {}: {env:?}", meta.name);
        (env, out.fields)
    }
}

fn login_request(sandbox: &Sandbox) -> Vec<(String, String)> {
    let c = sandbox.credentials();
    let s = &metadata::SESSION;
    vec![
        (s.username.to_string(), c.username.clone()),
        (s.password.to_string(), c.password.clone()),
    ]
}

/// The typed request `params` decode to as `meta`'s request.
fn decode(meta: &RequestMeta, params: &[(String, String)]) -> Result<AnyRequest, String> {
    let raw: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    match AnyRequest::decode(&meta.name, &raw) {
        Some((_, Ok(request))) => Ok(request),
        Some((_, Err(problems))) => Err(format!("does not decode: {problems:?}")),
        None => Err("the spec does not know its name".to_owned()),
    }
}

fn domain(name: &str) -> dmapi::DomainName {
    name.parse().expect("a domain name")
}

/// Points `request` at objects the demo sandbox has, creating them first where needed.
async fn prepare(wire: &Wire, request: &mut AnyRequest) {
    let sandbox = &wire.sandbox;
    match request {
        AnyRequest::Login(r) => {
            let c = sandbox.credentials();
            r.login_with = LoginWith::UsernamePassword {
                username: c.username.clone(),
                password: c.password.clone().into(),
            };
        }
        AnyRequest::DomainRegister(r) => r.domain = domain(FREE_DOMAIN),
        AnyRequest::DomainTransferInReseller(r) => {
            r.domain = domain(SEED_TRANSFER.0);
            r.transfer_auth_id = SEED_TRANSFER.1.into();
        }
        AnyRequest::DomainTransferIn(r) => {
            r.domain = domain(SEED_TRANSFER.0);
            r.transfer_auth_id = SEED_TRANSFER.1.into();
            r.billing_c = SEED_CONTACT.parse().expect("a handle");
        }
        AnyRequest::DomainRedeem(r) => {
            // A domain deleted just now is in its redemption grace period.
            wire.queue(&metadata::DOMAIN_DELETE, |d| {
                if let AnyRequest::DomainDelete(d) = d {
                    d.domain = domain(SEED_DOMAIN);
                    d.force = Some(true);
                }
            })
            .await;
            r.domain = domain(SEED_DOMAIN);
        }
        AnyRequest::NsCreate(r) => r.host = domain(FREE_HOST),
        AnyRequest::GrantsRevoke(r) => {
            // The seed's pending invitation, as grants-list shows it.
            let rows = wire.setup(&GrantsList::new(domain(SEED_DOMAIN))).await;
            let row = rows.first().expect("the seed's invitation");
            r.domain = domain(SEED_DOMAIN);
            r.scope = row.scope.clone();
            r.r#type = GrantsRevokeType::Invitation;
            r.role = GrantRole::Tech;
        }
        AnyRequest::WaEmailValidate(r) => r.email = SEED_OWNER_EMAIL.parse().expect("an email"),
        AnyRequest::WaEmailDetails(r) => r.key = verification_key(sandbox).into(),
        AnyRequest::WaEmailVerify(r) => r.key = verification_key(sandbox).into(),
        AnyRequest::CorVerify(r) => {
            // A change of registrant waiting for confirmation, from the spec's example.
            wire.queue(&metadata::DOMAIN_OWNER_CHANGE, |_| {}).await;
            let key = sandbox.owner_change_key(SEED_DOMAIN);
            r.key = key.expect("a confirmation key").into();
        }
        // The seed's domain is older than 72 hours: the docs' way to delete it.
        AnyRequest::DomainDelete(r) => r.force = Some(true),
        AnyRequest::ContactDelete(r) => {
            // The seed's contact owns its domains: delete a new one.
            let (env, fields) = wire.queue(&metadata::CONTACT_CREATE, |_| {}).await;
            let made = ContactCreateResult::from_result(ResultRetrieve::NAME, &env, fields);
            r.handle = made.ok().and_then(|m| m.handle).expect("the new handle");
        }
        AnyRequest::NsDelete(r) => {
            // The seed's name server serves its domain: delete a new one.
            wire.queue(&metadata::NS_CREATE, |c| {
                if let AnyRequest::NsCreate(c) = c {
                    c.host = domain(FREE_HOST);
                }
            })
            .await;
            r.host = domain(FREE_HOST);
        }
        AnyRequest::ResultRetrieve(r) => r.result_id = ResultId::ProcId(some_proc_id(wire).await),
        AnyRequest::ResultDelete(r) => r.result_id = ResultId::ProcId(some_proc_id(wire).await),
        _ => {}
    }
}

/// The Proc-ID of the spec's first queued request that its examples get queued, submitted
/// with them.
async fn some_proc_id(wire: &Wire) -> String {
    let meta = metadata::REQUESTS
        .iter()
        .filter(|m| !KNOWN_FAILURES.iter().any(|(n, _)| *n == &*m.name))
        .find(|m| m.kind == RequestKind::Async)
        .expect("the spec has a queued request");
    wire.submit(meta, |_| {}).await
}

fn verification_key(sandbox: &Sandbox) -> String {
    sandbox
        .verification_key(SEED_OWNER_EMAIL)
        .expect("the seed's pending verification")
}

/// What became of a request whose answer was well formed.
#[derive(Debug)]
enum Outcome {
    /// Answered successfully (and, if queued, completed with `ack`).
    Done,
    /// Refused, or queued and failed: why.
    NotDone(String),
}

/// Sends `meta`'s request with its examples, [`prepare`]d or not: its outcome, or why its
/// answer is broken.
async fn run(meta: &'static RequestMeta, prepared: bool) -> Result<Outcome, String> {
    let wire = Wire::start().await;
    let mut request = decode(meta, &meta.example_params())?;
    if prepared {
        prepare(&wire, &mut request).await;
    }
    let params = wire.params(meta, &request);
    let (http, env) = wire.send(&meta.name, &params).await;
    let env = env?;
    // Read back with the client's parser, as the parameters that went out decode.
    let sent = decode(meta, &params)?;
    if !env.is_success() {
        let errors: Vec<&str> = env.errors().collect();
        if env.status_code().is_none() || errors.is_empty() {
            return Err(format!(
                "a refusal without a status or an error (HTTP {http}): {env:?}"
            ));
        }
        return Ok(Outcome::NotDone(errors.join("; ")));
    }
    sent.check_output(&env)
        .map_err(|e| format!("the success answer does not parse: {e}\n{env:?}"))?;
    // A declared header that says the request did nothing (`Result: NACK`).
    for h in meta.returns.headers.iter() {
        let value = env.header(&h.name).unwrap_or_default();
        if ResultStatus::read(value, &metadata::PROTOCOL.completion) == ResultStatus::Nack {
            return Ok(Outcome::NotDone(format!("{}: {value}", h.name)));
        }
    }
    if meta.kind != RequestKind::Async {
        return Ok(Outcome::Done);
    }
    let proc_id = env
        .proc_id()
        .ok_or("a queued request's answer without a Proc-ID")?;
    completion(&wire, proc_id.to_owned()).await
}

/// How the queued request `proc_id` completed. A request that waits (a transfer, which moves
/// one state per queue delay) gets a minute of sandbox time, not wall-clock time, at a time.
async fn completion(wire: &Wire, proc_id: String) -> Result<Outcome, String> {
    let retrieve = ResultRetrieve::new(ResultId::ProcId(proc_id));
    for _ in 0..3 {
        let out = wire.setup(&retrieve).await;
        let status = out.completion_status.as_deref().unwrap_or_default();
        match ResultStatus::read(status, &metadata::PROTOCOL.completion) {
            ResultStatus::Ack => return Ok(Outcome::Done),
            ResultStatus::Nack => {
                let error = out.fields.get(&metadata::PROTOCOL.headers.error);
                return Ok(Outcome::NotDone(format!("nack: {}", error.unwrap_or("-"))));
            }
            ResultStatus::Pending => wire.sandbox.advance_clock(Duration::from_secs(60)),
            other => return Err(format!("completion status {other:?}")),
        }
    }
    Ok(Outcome::NotDone(
        "still pending after three minutes".to_owned(),
    ))
}

/// With [`prepare`], every request of the spec succeeds, and its answer parses.
#[tokio::test]
async fn every_request_of_the_spec_succeeds_and_its_answer_parses() {
    assert!(!metadata::REQUESTS.is_empty());
    let mut problems = Vec::new();
    for meta in metadata::REQUESTS {
        match run(meta, true).await {
            Ok(Outcome::Done) => {}
            Ok(Outcome::NotDone(why)) => {
                problems.push(format!("{} did not succeed: {why}", meta.name));
            }
            Err(broken) => problems.push(format!("{}: {broken}", meta.name)),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// With its bare examples, every request gets a well-formed answer (a success that parses, or
/// a refusal with an error), and exactly those in [`KNOWN_FAILURES`] do not succeed.
#[tokio::test]
async fn every_request_with_its_bare_examples_fails_only_as_listed() {
    for (name, _) in KNOWN_FAILURES {
        assert!(
            metadata::find(name).is_some(),
            "KNOWN_FAILURES names `{name}`, which the spec does not have"
        );
    }
    let mut problems = Vec::new();
    for meta in metadata::REQUESTS {
        let known = KNOWN_FAILURES.iter().find(|(n, _)| *n == &*meta.name);
        match (run(meta, false).await, known) {
            (Err(broken), _) => problems.push(format!("{}: {broken}", meta.name)),
            (Ok(Outcome::Done), Some((_, why))) => problems.push(format!(
                "{} succeeds: take it off KNOWN_FAILURES (listed as: {why})",
                meta.name
            )),
            (Ok(Outcome::NotDone(why)), None) => problems.push(format!(
                "{} did not succeed ({why}): list it in KNOWN_FAILURES with the reason",
                meta.name
            )),
            (Ok(_), _) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
