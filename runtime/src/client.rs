//! The HTTP client: one session shared by all callers, requests as `POST` forms (or `GET`
//! where the spec says so), typed answers,
//! and waiting for queued requests.
//!
//! Every protocol name (endpoints, the session parameter, the login request and its parameters,
//! the result request) comes from the spec's `[session]` table through [`Protocol`].
//!
//! Logging ([`tracing`], target `dmapi_runtime`): each exchange is a span `dmapi_request`
//! (request, tracking id, status, elapsed ms) closed by a DEBUG event; at TRACE, the form sent
//! and the answer received, secrets as `***` ([`Form`]'s `Debug`, [`Envelope::redacted`] with
//! [`Protocol::SECRET_KEYS`]). Retries and re-logins are INFO events.

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use tracing::Instrument;

use crate::envelope::Envelope;
use crate::error::{ApiError, Error};
use crate::form::Form;
use crate::meta::{Method, ProtocolMeta, RequestMeta, SessionMeta};
use crate::outcome::{ClTrIdMaker, ClTrIds, outcome_unknown};
use crate::output::{KeyValues, QueuedResult, Submitted};
use crate::values::Secret;
use crate::{Request, validate};

/// The spec's session facts, as a type: the generated crate implements it (`dmapi::Dmapi`).
pub trait Protocol: Send + Sync + 'static {
    /// The `[session]` table.
    const SESSION: &'static SessionMeta;
    /// The `[protocol]` table: envelope header names, status codes, completion statuses.
    const PROTOCOL: &'static ProtocolMeta;
    /// The request that fetches the outcome of a queued request ([`SessionMeta::result`]).
    const RESULT: &'static RequestMeta;
    /// The request that lists the outcomes of queued requests ([`SessionMeta::results`]).
    const RESULTS: &'static RequestMeta;
    /// The keys of answer headers and `key: value` lines that hold secrets (the spec's
    /// `secret` answer fields, e.g. an AUTH-ID): a traced answer shows them as `***`.
    const SECRET_KEYS: &'static [&'static str] = &[];
}

/// How to log in.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// Joker.com username (e-mail address) and password.
    Password {
        /// The username.
        username: String,
        /// The password.
        password: Secret,
    },
    /// An API key made in "My Profile" at Joker.com (possibly read-only or modify-only).
    ApiKey(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Password { username, .. } => f
                .debug_struct("Password")
                .field("username", username)
                .field("password", &"***")
                .finish(),
            Credentials::ApiKey(_) => f.debug_tuple("ApiKey").field(&"***").finish(),
        }
    }
}

/// How [`Client::wait`] polls for the outcome of a queued request. The default follows
/// Joker.com's own module: wait 5 s, then ask every second, for at most 5 minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPolicy {
    /// Before the first poll.
    pub first_delay: Duration,
    /// Between polls.
    pub interval: Duration,
    /// Give up after this long (from the start of the wait).
    pub max_wait: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            first_delay: Duration::from_secs(5),
            interval: Duration::from_secs(1),
            max_wait: Duration::from_secs(300),
        }
    }
}

/// How the client retries requests whose answer was lost.
///
/// A query (a request that changes nothing, [`RequestMeta::changes`] false) is sent again after
/// a transport failure, an HTTP 5xx or an unreadable body, with exponential backoff. Any
/// request is sent again when it never reached the server (connection refused, HTTP 429).
/// Anything else that may have been carried out is never sent twice: the caller gets
/// [`Error::OutcomeUnknown`] with the query that tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: never retry).
    pub attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1-based).
    fn delay(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

#[derive(Debug, Clone)]
enum Endpoint {
    Production,
    Ote,
    Url(String),
}

/// Builds a [`Client`]: endpoint, credentials, and HTTP settings.
#[derive(Debug)]
#[must_use = "call .build() to get a client"]
pub struct ClientBuilder<P: Protocol> {
    endpoint: Endpoint,
    credentials: Option<Credentials>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    allow_http: bool,
    poll: PollPolicy,
    retry: RetryPolicy,
    max_answer: usize,
    cltrids: ClTrIds,
    protocol: PhantomData<P>,
}

/// The default of [`ClientBuilder::max_answer_bytes`]: far above the largest real lists.
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 256 << 20;

impl<P: Protocol> ClientBuilder<P> {
    fn new() -> Self {
        ClientBuilder {
            endpoint: Endpoint::Production,
            credentials: None,
            http: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("dmapi-rs/", env!("CARGO_PKG_VERSION")).to_owned(),
            allow_http: false,
            poll: PollPolicy::default(),
            retry: RetryPolicy::default(),
            max_answer: DEFAULT_MAX_ANSWER_BYTES,
            cltrids: ClTrIds::default(),
            protocol: PhantomData,
        }
    }

    /// Use the production endpoint (the default).
    pub fn production(mut self) -> Self {
        self.endpoint = Endpoint::Production;
        self
    }

    /// Use the OT&E test endpoint (separate accounts, no real registrations).
    pub fn ote(mut self) -> Self {
        self.endpoint = Endpoint::Ote;
        self
    }

    /// Use another endpoint, e.g. a local sandbox (`http://127.0.0.1:PORT`, which also needs
    /// [`allow_http`](Self::allow_http)).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Endpoint::Url(url.into());
        self
    }

    /// Log in with a username and password.
    pub fn password(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::Password {
            username: username.into(),
            password: password.into(),
        });
        self
    }

    /// Log in with an API key.
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::ApiKey(key.into()));
        self
    }

    /// Log in with these credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Send through this `reqwest::Client` (its own timeouts and user agent then apply, except
    /// the per-request [`timeout`](Self::timeout)). Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: a client that follows redirects would
    /// send the form, credentials included, to wherever the redirect points before this client
    /// sees it (it then still fails with [`Error::Redirect`]).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Whole-request timeout (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connect timeout (default 10 s; not applied to a caller-supplied `reqwest::Client`).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` (default `dmapi-rs/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Allow a plain `http://` endpoint. Off by default: credentials and session ids would
    /// travel unencrypted. Meant for a sandbox on loopback.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// The largest answer body read, in bytes (default [`DEFAULT_MAX_ANSWER_BYTES`], 256 MiB).
    /// A bigger one stops reading at once with [`Error::TooLarge`].
    pub fn max_answer_bytes(mut self, bytes: usize) -> Self {
        self.max_answer = bytes;
        self
    }

    /// How [`Client::wait`] polls.
    pub fn poll_policy(mut self, poll: PollPolicy) -> Self {
        self.poll = poll;
        self
    }

    /// Whether requests that change something get a unique client transaction id when the
    /// caller gives none (default [`ClTrIds::Unique`]). With one, a lost answer's
    /// [`Error::OutcomeUnknown`] check finds that very request in the result list.
    pub fn cltrids(mut self, cltrids: ClTrIds) -> Self {
        self.cltrids = cltrids;
        self
    }

    /// How lost answers are retried (see [`RetryPolicy`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Checks the settings and builds the client. It logs in on first use.
    pub fn build(self) -> Result<Client<P>, Error> {
        let session = P::SESSION;
        let url = match &self.endpoint {
            Endpoint::Production => session.production.to_string(),
            Endpoint::Ote => session.ote.to_string(),
            Endpoint::Url(u) => u.clone(),
        };
        let parsed = reqwest::Url::parse(&url)
            .map_err(|e| Error::Config(format!("endpoint `{url}` is not a URL: {e}")))?;
        match parsed.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => {
                return Err(Error::Config(format!(
                    "endpoint `{url}` is plain http; credentials would travel unencrypted \
                     (use https, or allow_http(true) for a local sandbox)"
                )));
            }
            other => {
                return Err(Error::Config(format!(
                    "endpoint `{url}`: unsupported scheme `{other}`"
                )));
            }
        }
        if parsed.query().is_some() || !parsed.username().is_empty() {
            return Err(Error::Config(format!(
                "endpoint `{url}` must not carry a query or user info"
            )));
        }
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config("no credentials: call .password(user, pass) or .api_key(key)".into())
        })?;
        let http = match self.http {
            Some(c) => c,
            None => reqwest::Client::builder()
                // DMAPI never redirects; following one would carry the form elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                // Bounded HTTP header blocks (hyper also caps HTTP/1 buffers at ~400 KiB).
                .http1_max_headers(MAX_HTTP_HEADERS)
                .http2_max_header_list_size(MAX_HTTP_HEADER_BYTES)
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let endpoint = url.trim_end_matches('/').to_owned();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint,
                credentials,
                timeout: self.timeout,
                poll: self.poll,
                retry: self.retry,
                max_answer: self.max_answer,
                cltrids: ClTrIdMaker::new(&self.cltrids),
                session: Mutex::new(SessionState::default()),
            }),
            protocol: PhantomData,
        })
    }
}

/// What the server said about the session at login.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionInfo {
    /// Inactivity timeout (`Session-Timeout`).
    pub timeout: Option<Duration>,
    /// Access level (`User-Access`: `@full`, `@read-only`, `@modify-only`).
    pub user_access: Option<String>,
}

#[derive(Default)]
struct SessionState {
    sid: Option<Secret>,
    /// Bumped at every login, so a caller that saw an expired session can tell whether
    /// someone else already logged in again.
    generation: u64,
    info: SessionInfo,
    logins: u64,
}

struct Inner {
    http: reqwest::Client,
    /// The server's URL without a path; each request adds its own ([`RequestMeta::path`]).
    endpoint: String,
    credentials: Credentials,
    timeout: Duration,
    poll: PollPolicy,
    retry: RetryPolicy,
    max_answer: usize,
    cltrids: ClTrIdMaker,
    session: Mutex<SessionState>,
}

/// HTTP response headers accepted (a DMAPI answer has a handful; its own headers are in the body).
const MAX_HTTP_HEADERS: usize = 100;
/// HTTP/2 header list size accepted, in bytes.
const MAX_HTTP_HEADER_BYTES: u32 = 64 * 1024;

/// A DMAPI client: cheap to clone, all clones share one session.
///
/// Logs in lazily on first use and keeps the session id. When the server says the session is
/// expired or unknown (HTTP 401, or status 2200), it logs in again **once** and replays the
/// request: the server refused it before processing, so even a request that costs money is not
/// doubled. After any other failure nothing is replayed. Concurrent callers share one login.
pub struct Client<P: Protocol> {
    inner: Arc<Inner>,
    protocol: PhantomData<P>,
}

impl<P: Protocol> Clone for Client<P> {
    fn clone(&self) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
            protocol: PhantomData,
        }
    }
}

impl<P: Protocol> fmt::Debug for Client<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

/// A typed answer with the response it came from (tracking id, warnings, every header).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The typed output.
    pub output: T,
    /// The whole response.
    pub envelope: Envelope,
    /// The client transaction id the request was sent with (the caller's, or the one the client
    /// gave it; see [`ClTrIds`]), if any.
    pub cltrid: Option<String>,
}

impl<T> Response<T> {
    /// The typed output.
    pub fn into_output(self) -> T {
        self.output
    }

    /// `Tracking-Id`.
    pub fn tracking_id(&self) -> Option<&str> {
        self.envelope.tracking_id()
    }

    /// Every `Warning` header.
    pub fn warnings(&self) -> impl Iterator<Item = &str> {
        self.envelope.warnings()
    }
}

/// Completion status of a queued request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionStatus {
    /// Done.
    Ack,
    /// Failed.
    Nack,
}

/// The outcome of a queued request, from the result request (`result-retrieve`): `T` is the
/// request's typed result ([`QueuedResult`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Completion<T = KeyValues> {
    /// The queued request's Proc-ID.
    pub proc_id: String,
    /// Ack or nack.
    pub status: CompletionStatus,
    /// The typed result of an ack (`None` for a nack, whose keys need not follow the spec).
    pub result: Option<T>,
    /// Every `key: value` line of the result, in order.
    pub fields: KeyValues,
    /// The whole response.
    pub envelope: Envelope,
    /// The key of the completion status line.
    status_key: &'static str,
}

impl<T> Completion<T> {
    /// Whether the request completed successfully.
    pub fn is_ack(&self) -> bool {
        self.status == CompletionStatus::Ack
    }

    /// The result's text for a nack: its `Error` headers, else its payload lines other than
    /// the completion status.
    pub fn error_text(&self) -> String {
        let errors: Vec<&str> = self.envelope.errors().filter(|e| !e.is_empty()).collect();
        if !errors.is_empty() {
            return errors.join("; ");
        }
        self.fields
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case(self.status_key))
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A request bound to a client: `.await` sends it. Apply optional setters with
/// [`with`](Self::with).
#[must_use = "a call does nothing until awaited"]
pub struct Call<'c, P: Protocol, R: Request> {
    client: &'c Client<P>,
    request: R,
}

impl<'c, P: Protocol, R: Request> Call<'c, P, R> {
    /// Binds `request` to `client`.
    pub fn new(client: &'c Client<P>, request: R) -> Self {
        Call { client, request }
    }

    /// Changes the request, e.g. `.with(|r| r.privacy(RenewPrivacy::Keep))`.
    pub fn with(mut self, f: impl FnOnce(R) -> R) -> Self {
        self.request = f(self.request);
        self
    }

    /// The request as it will be sent.
    pub fn request(&self) -> &R {
        &self.request
    }
}

impl<'c, P: Protocol, R: Request + Send + Sync + 'c> IntoFuture for Call<'c, P, R>
where
    R::Output: Send,
{
    type Output = Result<Response<R::Output>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.client.send(self.request).await })
    }
}

/// Why a round trip failed: the session was refused (so the request was not processed), or
/// anything else.
enum Failure {
    SessionRefused(Error),
    Other(Error),
}

impl<P: Protocol> Client<P> {
    /// A builder, for the production endpoint unless told otherwise.
    pub fn builder() -> ClientBuilder<P> {
        ClientBuilder::new()
    }

    /// Sends a request and parses its answer. The request is encoded once
    /// ([`Request::encode`]); a request whose parameters break the spec is not sent
    /// ([`Error::Invalid`]).
    pub async fn send<R: Request>(&self, request: R) -> Result<Response<R::Output>, Error> {
        let meta = R::meta();
        let form = request.encode().map_err(|err| Error::Invalid {
            request: &meta.name,
            problems: err.into_problems(),
        })?;
        let form = self.inner.cltrids.fill::<P>(meta, &form);
        let envelope = self.call(meta, &form).await?;
        let output = request.parse_output(&envelope)?;
        Ok(Response {
            output,
            envelope,
            cltrid: form.get(&P::SESSION.cltrid).map(str::to_owned),
        })
    }

    /// Sends parameters as given (checked against `meta` first; a client transaction id added
    /// as [`ClTrIds`] says) and returns the raw answer of a successful request. For tools that
    /// work from metadata, like the CLI.
    pub async fn send_raw(
        &self,
        meta: &'static RequestMeta,
        form: &Form,
    ) -> Result<Envelope, Error> {
        if let Err(problems) = validate::validate_form(meta, form) {
            return Err(Error::Invalid {
                request: &meta.name,
                problems,
            });
        }
        self.call(meta, &self.inner.cltrids.fill::<P>(meta, form))
            .await
    }

    /// Logs in now (normally done on first use) and tells what the server said.
    pub async fn login(&self) -> Result<SessionInfo, Error> {
        let mut state = self.inner.session.lock().await;
        self.login_locked(&mut state).await?;
        Ok(state.info.clone())
    }

    /// What the server said at the last login, if logged in.
    pub async fn session_info(&self) -> Option<SessionInfo> {
        let state = self.inner.session.lock().await;
        state.sid.as_ref().map(|_| state.info.clone())
    }

    /// How many times this client (and its clones) logged in.
    pub async fn login_count(&self) -> u64 {
        self.inner.session.lock().await.logins
    }

    /// Closes the session, if there is one. The next request logs in again.
    pub async fn logout(&self) -> Result<(), Error> {
        let session = P::SESSION;
        let mut state = self.inner.session.lock().await;
        let Some(sid) = state.sid.take() else {
            return Ok(());
        };
        let mut form = Form::new();
        form.push_secret(session.param.clone(), sid.expose());
        match self
            .round_trip(Route::named::<P>(&session.logout), &form)
            .await
        {
            Ok(_) | Err(Failure::SessionRefused(_)) => Ok(()),
            Err(Failure::Other(e)) => Err(e),
        }
    }

    /// Waits for the outcome of a queued request, polling the result request as the client's
    /// [`PollPolicy`] says. An ack carries the request's typed result; a result that does not
    /// read as the spec declares it is an [`Error::Output`]. A nack is an `Ok` [`Completion`]
    /// with status `Nack`.
    pub async fn wait<T: QueuedResult>(
        &self,
        submitted: &Submitted<T>,
    ) -> Result<Completion<T>, Error> {
        self.wait_with(submitted, self.inner.poll).await
    }

    /// [`wait`](Self::wait) with another policy.
    pub async fn wait_with<T: QueuedResult>(
        &self,
        submitted: &Submitted<T>,
        poll: PollPolicy,
    ) -> Result<Completion<T>, Error> {
        let start = Instant::now();
        let mut delay = poll.first_delay;
        loop {
            let left = poll.max_wait.saturating_sub(start.elapsed());
            if delay > left {
                tokio::time::sleep(left).await;
                if let Some(done) = self.completion_of(submitted).await? {
                    return Ok(done);
                }
                return Err(Error::WaitTimeout {
                    proc_id: submitted.proc_id.clone(),
                    waited: start.elapsed(),
                });
            }
            tokio::time::sleep(delay).await;
            if let Some(done) = self.completion_of(submitted).await? {
                return Ok(done);
            }
            delay = poll.interval;
        }
    }

    /// Asks once for the outcome of a queued request, untyped: `None` while it is still
    /// running.
    pub async fn completion(&self, proc_id: &str) -> Result<Option<Completion>, Error> {
        self.completion_of(&Submitted::<KeyValues>::new(proc_id, None))
            .await
    }

    /// Asks once for the outcome of a queued request, with its typed result: `None` while it
    /// is still running.
    pub async fn completion_of<T: QueuedResult>(
        &self,
        submitted: &Submitted<T>,
    ) -> Result<Option<Completion<T>>, Error> {
        let proc_id = submitted.proc_id.as_str();
        let session = P::SESSION;
        let mut form = Form::new();
        form.push(session.result_id.clone(), proc_id);
        let envelope = self.call(P::RESULT, &form).await?;
        let fields = KeyValues::parse(envelope.payload());
        let status = fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&session.status_key))
            .map(|(_, v)| v.trim().to_owned());
        let status = match status.as_deref() {
            Some(s) if s.eq_ignore_ascii_case(&P::PROTOCOL.completion.ack) => CompletionStatus::Ack,
            Some(s) if s.eq_ignore_ascii_case(&P::PROTOCOL.completion.nack) => {
                CompletionStatus::Nack
            }
            _ => return Ok(None),
        };
        let result = match status {
            CompletionStatus::Ack => {
                let name: &'static str = &P::RESULT.name;
                Some(T::from_result(name, &envelope, fields.clone()).map_err(Error::Output)?)
            }
            CompletionStatus::Nack => None,
        };
        Ok(Some(Completion {
            proc_id: proc_id.to_owned(),
            status,
            result,
            fields,
            envelope,
            status_key: &session.status_key,
        }))
    }

    /// Sends as [`RetryPolicy`] says: queries again after a lost answer, anything again when it
    /// never reached the server; [`Error::OutcomeUnknown`] when a request that changes
    /// something may have been carried out.
    async fn call(&self, meta: &'static RequestMeta, form: &Form) -> Result<Envelope, Error> {
        let retry = self.inner.retry;
        let query = !meta.changes;
        let mut attempt = 1;
        loop {
            let err = match self.call_once(meta, form).await {
                Ok(env) => return Ok(env),
                Err(e) => e,
            };
            let too_large = matches!(err, Error::TooLarge { .. });
            let again = err.is_retryable() || (query && err.is_ambiguous() && !too_large);
            if again && attempt < retry.attempts {
                let wait = retry.delay(attempt);
                tracing::info!(request = &*meta.name, attempt, error = %err, ?wait, "retrying");
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            if !query && err.is_ambiguous() {
                return Err(outcome_unknown::<P>(meta, form, err));
            }
            return Err(err);
        }
    }

    /// Sends with the session, logging in first if needed and once more if it was refused.
    async fn call_once(&self, meta: &'static RequestMeta, form: &Form) -> Result<Envelope, Error> {
        // A request from a user's own spec has no `[session]` table of its own: it carries the
        // session the way this client's protocol says.
        let Some(param) = meta
            .auth
            .then(|| meta.session_param.as_deref().unwrap_or(&P::SESSION.param))
        else {
            return self
                .round_trip(Route::of::<P>(meta), form)
                .await
                .map_err(Failure::into_error);
        };
        let (sid, generation) = self.session(None).await?;
        match self
            .round_trip(Route::of::<P>(meta), &with_session(form, param, &sid))
            .await
        {
            Ok(env) => Ok(env),
            Err(Failure::Other(e)) => Err(e),
            Err(Failure::SessionRefused(_)) => {
                tracing::info!(request = &*meta.name, "session refused; logging in again");
                let (sid, _) = self.session(Some(generation)).await?;
                self.round_trip(Route::of::<P>(meta), &with_session(form, param, &sid))
                    .await
                    .map_err(Failure::into_error)
            }
        }
    }

    /// The session id and its generation. With `stale = Some(g)`, the session of generation
    /// `g` was refused: log in again unless another caller already did.
    async fn session(&self, stale: Option<u64>) -> Result<(Secret, u64), Error> {
        let mut state = self.inner.session.lock().await;
        let usable = state.sid.is_some() && stale != Some(state.generation);
        if !usable {
            self.login_locked(&mut state).await?;
        }
        match &state.sid {
            Some(sid) => Ok((sid.clone(), state.generation)),
            None => Err(Error::Config("no session after login".into())),
        }
    }

    async fn login_locked(&self, state: &mut SessionState) -> Result<(), Error> {
        let session = P::SESSION;
        let mut form = Form::new();
        match &self.inner.credentials {
            Credentials::Password { username, password } => {
                form.push(session.username.clone(), username.as_str());
                form.push_secret(session.password.clone(), password.expose());
            }
            Credentials::ApiKey(key) => form.push_secret(session.api_key.clone(), key.expose()),
        }
        let login = &*session.login;
        let envelope = self
            .round_trip(Route::named::<P>(login), &form)
            .await
            .map_err(|f| Error::Session {
                source: Box::new(f.into_error()),
            })?;
        let sid = envelope
            .header(&P::PROTOCOL.headers.session_id)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::Session {
                source: Box::new(Error::Protocol {
                    request: login,
                    message: format!(
                        "no `{}` header in the login answer",
                        P::PROTOCOL.headers.session_id
                    ),
                    raw: Vec::new(),
                }),
            })?;
        state.sid = Some(Secret::new(sid));
        state.generation += 1;
        state.logins += 1;
        state.info = SessionInfo {
            timeout: envelope
                .header(&session.timeout_header)
                .and_then(|t| t.trim().parse().ok())
                .map(Duration::from_secs),
            user_access: envelope
                .header(&session.access_header)
                .map(|a| a.trim().to_owned()),
        };
        Ok(())
    }

    /// One HTTP exchange: POST the form, read a DMAPI answer, check its status.
    async fn round_trip(&self, route: Route, form: &Form) -> Result<Envelope, Failure> {
        let name = route.name;
        let span = tracing::info_span!(
            "dmapi_request",
            request = name,
            tracking_id = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        // The form's `Debug` shows secrets (passwords, the session id, codes) as `***`.
        span.in_scope(|| tracing::trace!(?form, "sending"));
        let started = Instant::now();
        let result = self.exchange(route, form).instrument(span.clone()).await;
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(env) => {
                if let Some(t) = env.tracking_id() {
                    span.record("tracking_id", t);
                }
                if let Some(code) = env.status_code() {
                    span.record("status", code);
                }
            }
            Err(Failure::SessionRefused(e) | Failure::Other(e)) => {
                if let Some(api) = e.api() {
                    span.record("status", api.status);
                    if let Some(t) = &api.tracking_id {
                        span.record("tracking_id", t.as_str());
                    }
                }
            }
        }
        if let Ok(env) = &result {
            span.in_scope(|| tracing::trace!("answer:\n{}", env.redacted(P::SECRET_KEYS)));
        }
        span.in_scope(|| match &result {
            Ok(_) => tracing::debug!("ok"),
            Err(Failure::SessionRefused(_)) => tracing::debug!("session refused"),
            Err(Failure::Other(e)) => tracing::debug!(error = %e, "failed"),
        });
        result
    }

    async fn exchange(&self, route: Route, form: &Form) -> Result<Envelope, Failure> {
        let request = route.name;
        let mut url = format!("{}{}", self.inner.endpoint, route.path);
        let http = &self.inner.http;
        let builder = match route.method {
            Method::Get => {
                if !form.is_empty() {
                    url.push('?');
                    url.push_str(&form.to_urlencoded());
                }
                http.get(&url)
            }
            Method::Post => http
                .post(&url)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(form.to_urlencoded()),
        };
        // A GET carries its parameters (the session id among them) in the URL: keep it out of
        // errors.
        let hide = |e: reqwest::Error| match route.method {
            Method::Get => e.without_url(),
            Method::Post => e,
        };
        let reply = builder
            .timeout(self.inner.timeout)
            .send()
            .await
            .map_err(|source| {
                Failure::Other(Error::Transport {
                    request,
                    source: hide(source),
                })
            })?;
        let status = reply.status();
        // A caller's own HTTP client may follow redirects: a final URL that is not ours is one.
        let moved = reqwest::Url::parse(&url).ok().as_ref() != Some(reply.url());
        if status.is_redirection() || moved {
            return Err(Failure::Other(Error::Redirect {
                request,
                status: status.as_u16(),
                location: reply
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned())
                    .or_else(|| Some(reply.url().to_string())),
            }));
        }
        let bytes = read_bounded(reply, self.inner.max_answer)
            .await
            .map_err(|e| {
                let e = match e {
                    ReadError::Transport(t) => ReadError::Transport(hide(t)),
                    other => other,
                };
                Failure::Other(e.into_error(request, self.inner.max_answer))
            })?;
        if P::PROTOCOL.relogin_on_http(status.as_u16()) {
            return Err(Failure::SessionRefused(Error::Http {
                request,
                status: status.as_u16(),
                body: lossy(bytes),
            }));
        }
        if !status.is_success() {
            return Err(Failure::Other(Error::Http {
                request,
                status: status.as_u16(),
                body: lossy(bytes),
            }));
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                return Err(Failure::Other(Error::Protocol {
                    request,
                    message: "the body is not UTF-8".into(),
                    raw: e.into_bytes(),
                }));
            }
        };
        if let Some(at) = memchr::memchr(0, text.as_bytes()) {
            return Err(Failure::Other(Error::Protocol {
                request,
                message: format!("a NUL byte at offset {at}: DMAPI answers are text"),
                raw: text.into_bytes(),
            }));
        }
        let envelope = Envelope::parse_owned(text, P::PROTOCOL).map_err(|e| {
            Failure::Other(Error::Protocol {
                request,
                message: e.message,
                raw: e.raw.into_bytes(),
            })
        })?;
        if envelope.status_code().is_none() {
            let name = &P::PROTOCOL.headers.status_code;
            let message = match envelope.header(name) {
                Some(v) => format!("`{name}: {v}` is not a status code"),
                None => format!("no `{name}` header"),
            };
            return Err(Failure::Other(Error::Protocol {
                request,
                message,
                raw: envelope.into_text().into_bytes(),
            }));
        }
        if envelope.is_success() {
            return Ok(envelope);
        }
        let api = Error::Api(Box::new(ApiError::from_envelope(request, envelope)));
        if api
            .status()
            .is_some_and(|code| P::PROTOCOL.relogin_on_status(code))
        {
            Err(Failure::SessionRefused(api))
        } else {
            Err(Failure::Other(api))
        }
    }
}

/// Where and how one request goes.
struct Route {
    name: &'static str,
    path: Cow<'static, str>,
    method: Method,
}

impl Route {
    /// The session's own requests (login, logout): POSTs under the session's path.
    fn named<P: Protocol>(name: &'static str) -> Route {
        Route {
            name,
            path: Cow::Owned(format!("{}{name}", P::SESSION.path)),
            method: Method::Post,
        }
    }

    fn of<P: Protocol>(meta: &'static RequestMeta) -> Route {
        Route {
            name: &meta.name,
            path: meta.path(&P::SESSION.path),
            method: meta.method,
        }
    }
}

/// Why reading a body stopped.
enum ReadError {
    Transport(reqwest::Error),
    TooLarge,
}

impl ReadError {
    fn into_error(self, request: &'static str, limit: usize) -> Error {
        match self {
            ReadError::Transport(source) => Error::Transport { request, source },
            ReadError::TooLarge => Error::TooLarge { request, limit },
        }
    }
}

/// Reads the body, never holding more than `limit` bytes: an announced length over the limit
/// stops before reading, and the buffer grows by at most doubling, capped at the limit.
async fn read_bounded(mut reply: reqwest::Response, limit: usize) -> Result<Vec<u8>, ReadError> {
    let announced = reply.content_length().unwrap_or(0);
    if announced > limit as u64 {
        return Err(ReadError::TooLarge);
    }
    let mut body = Vec::with_capacity(announced as usize);
    while let Some(chunk) = reply.chunk().await.map_err(ReadError::Transport)? {
        let need = body.len() + chunk.len();
        if need > limit {
            return Err(ReadError::TooLarge);
        }
        if need > body.capacity() {
            let target = need.max(body.capacity() * 2).min(limit);
            body.reserve_exact(target - body.len());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A body as text for an error, without a copy when it is UTF-8.
fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl Failure {
    fn into_error(self) -> Error {
        match self {
            Failure::SessionRefused(e) | Failure::Other(e) => e,
        }
    }
}

/// `form` plus the session parameter.
fn with_session(form: &Form, param: &'static str, sid: &Secret) -> Form {
    let mut out = form.clone();
    out.push_secret(param, sid.expose());
    out
}
