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

mod builder;
mod http;
mod wait;

pub use builder::{ClientBuilder, Credentials, DEFAULT_MAX_ANSWER_BYTES, PollPolicy, RetryPolicy};
use http::{ReadError, Route, lossy, read_bounded, with_session};
pub use wait::{Completion, CompletionStatus};
