//! The wire: `GET`/`POST` under the spec's request path (and each request's own path, GET only
//! where the spec says so), sessions, validation from the
//! metadata, access levels, queueing, and answers in the DMAPI text format.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::ConnectInfo;
use axum::extract::{DefaultBodyLimit, Path, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use dmapi::meta::{Method, RequestKind, RequestMeta};

use dmapi::StatusCode as S;
use dmapi::metadata::PROTOCOL;
use dmapi::reply::Reply;
use dmapi::serve::{Refusal, ServeError};
use dmapi::validate::Problem;
use dmapi::{AnyRequest, Service, ZoneStyle, decode, metadata};

use crate::faults::{self, Exchange, Fault, Faults};
use crate::framing::Framing;
use crate::handlers::{Desk, fail, sweep};
use crate::persist::{self, Store, Ticket};
use crate::queue;
use crate::session;
use crate::state::{Access, State};
use dmapi::form::parse_strict;

/// The server's shared state.
pub(crate) struct App {
    pub(crate) state: Mutex<State>,
    /// The state file, if any.
    pub(crate) store: Option<Store>,
    pub(crate) faults: Mutex<Faults>,
    /// Requests received, per lowercase request name.
    pub(crate) received: Mutex<BTreeMap<String, u64>>,
    /// Every exchange, while recording.
    pub(crate) traffic: Mutex<Option<Vec<Exchange>>>,
    /// The largest request body accepted.
    pub(crate) max_body: usize,
    /// How answers are framed.
    pub(crate) framing: Framing,
    /// How long every request waits before it is handled (a simulated round trip).
    pub(crate) latency: std::time::Duration,
}

impl App {
    /// Locks a part of the server's bookkeeping (not the registrar state).
    pub(crate) fn guard<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
        m.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the data half-written in a way later
        // requests could not handle, so keep serving.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// After `st` was handled (under its lock): queues what changed for the state file and
    /// says what the answer must wait for. Without a state file, forgets what changed.
    pub(crate) fn keep(&self, st: &mut State) -> Ticket {
        match &self.store {
            Some(store) => store.after(st),
            None => {
                persist::forget(st);
                Ticket::Ready
            }
        }
    }

    /// Writes what is left to the state file and closes it.
    pub(crate) fn close(&self) -> Result<(), crate::Error> {
        match &self.store {
            Some(store) => store.close(&mut self.lock()),
            None => Ok(()),
        }
    }
}

/// The routes: every request name under the spec's path, `GET` and `POST`; a request with a
/// path of its own at that path only, `GET` only when its method says so.
pub(crate) fn router(app: Arc<App>) -> Router {
    let path = format!("{}{{name}}", metadata::SESSION.path);
    let mut router = Router::new().route(&path, get(by_name).post(by_name));
    for meta in metadata::REQUESTS.iter().copied() {
        let Some(own) = meta.path.as_deref() else {
            continue;
        };
        let name: &'static str = &meta.name;
        let h = move |st, uri, headers, peer, body| {
            handle(st, name.to_owned(), Incoming { uri, headers, peer }, body)
        };
        router = match meta.method {
            Method::Get => router.route(own, get(h)),
            Method::Post => router.route(own, get(h).post(h)),
        };
    }
    router
        // The handler reads the body itself, so that an oversized one gets a DMAPI answer.
        .layer(DefaultBodyLimit::disable())
        .with_state(app)
}

/// A request under the spec's path, by name: one with a path of its own is not there.
async fn by_name(
    st: AxumState<Arc<App>>,
    Path(name): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    peer: Option<Peer>,
    body: axum::body::Body,
) -> Response {
    if metadata::find(&name).is_some_and(|m| m.path.is_some()) {
        let svtrid = st.0.lock().tracking_id();
        let why = format!("unknown request `{name}`");
        let a = refused(200, &svtrid, fail(S::UnknownCommand, why));
        return plain(a.http, a.body);
    }
    handle(st, name, Incoming { uri, headers, peer }, body).await
}

async fn handle(
    AxumState(app): AxumState<Arc<App>>,
    name: String,
    req: Incoming,
    body: axum::body::Body,
) -> Response {
    let body = match axum::body::to_bytes(body, app.max_body).await {
        Ok(b) => b,
        Err(_) => {
            let svtrid = app.lock().tracking_id();
            let f = fail(
                S::ParameterValueSyntaxError,
                format!("the request body is over {} bytes", app.max_body),
            );
            let a = refused(413, &svtrid, f);
            return plain(a.http, a.body);
        }
    };
    *App::guard(&app.received)
        .entry(name.to_ascii_lowercase())
        .or_default() += 1;
    if !app.latency.is_zero() {
        tokio::time::sleep(app.latency).await;
    }
    let fault = App::guard(&app.faults).take(&name);
    let (status, answer, set_cookie) = match fault {
        Some(Fault::DropBefore) => return broken(String::new(), 0),
        Some(Fault::Status(code)) => (code, faults::HTML.to_owned(), None),
        Some(Fault::Html) => (200, faults::HTML.to_owned(), None),
        other => {
            match other {
                Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
                Some(Fault::ExpireSession) => app.lock().sessions.clear(),
                _ => {}
            }
            let a = answer(&app, &name, &req, &body).await;
            match other {
                Some(Fault::DropAfter) => return broken(a.body, 0),
                Some(Fault::Truncate) => {
                    let half = a.body.len() / 2;
                    return broken(a.body, half);
                }
                _ => {}
            }
            (a.http, app.framing.apply(a.body), a.cookie)
        }
    };
    let set_cookie =
        set_cookie.map(|sid| format!("{}={sid}; Path=/; HttpOnly", metadata::SESSION.cookie));
    if let Some(log) = App::guard(&app.traffic).as_mut() {
        log.push(Exchange {
            request: name.clone(),
            query: req.uri.query().unwrap_or_default().to_owned(),
            body: String::from_utf8_lossy(&body).into_owned(),
            cookie: req
                .headers
                .get(header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
            status,
            answer: answer.clone(),
            set_cookie: set_cookie.clone().unwrap_or_default(),
        });
    }
    let mut response = plain(status, answer);
    if let Some(v) = set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// The caller's address (the listener adds it to every request).
type Peer = Extension<ConnectInfo<SocketAddr>>;

/// What the handler reads of a request besides its body.
struct Incoming {
    uri: Uri,
    headers: HeaderMap,
    peer: Option<Peer>,
}

/// A `text/plain` response.
fn plain(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Handles the request; with a state file, answers only once what it changed is on disk.
async fn answer(app: &App, name: &str, req: &Incoming, body: &[u8]) -> Answer {
    let Incoming { uri, headers, peer } = req;
    let peer = peer.as_ref().map(|p| p.0.0.ip());
    let query = uri.query().unwrap_or_default().as_bytes();
    let params = match parse_strict(query).and_then(|mut p| {
        p.extend(parse_strict(body)?);
        Ok(p)
    }) {
        Ok(p) => p,
        Err(why) => {
            let svtrid = app.lock().tracking_id();
            return refused(200, &svtrid, fail(S::ParameterValueSyntaxError, why));
        }
    };
    let cookie = cookie_value(headers, &metadata::SESSION.cookie);
    let caller = Caller {
        cookie: cookie.as_deref(),
        peer,
        zone_style: app.framing.zone_style(),
    };
    let (answer, ticket) = {
        let mut st = app.lock();
        let answer = process(&mut st, name, &params, &caller);
        (answer, app.keep(&mut st))
    };
    match ticket.wait().await {
        Ok(()) => answer,
        Err(why) => {
            tracing::error!(request = name, changed = answer.changed, error = %why, "answered as failed");
            let svtrid = app.lock().tracking_id();
            let why = format!(
                "the change was made but may not be durable: {why} (the sandbox writes it \
                 again with the next change)"
            );
            refused(500, &svtrid, fail(S::CommandFailed, why))
        }
    }
}

/// A response that breaks the connection after `keep` bytes of `body` (announcing all of it).
fn broken(body: String, keep: usize) -> Response {
    // Announce at least one byte, so that even an empty answer is visibly cut short.
    let total = body.len().max(1);
    let mut bytes = body.into_bytes();
    bytes.truncate(keep);
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from(bytes)),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fault injected: connection dropped",
        )),
    ];
    let stream = futures_util::stream::iter(chunks);
    let mut response = Response::new(axum::body::Body::from_stream(stream));
    if let Ok(v) = HeaderValue::from_str(&total.to_string()) {
        response.headers_mut().insert(header::CONTENT_LENGTH, v);
    }
    response
}

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// What goes back over HTTP.
pub(crate) struct Answer {
    pub(crate) http: u16,
    pub(crate) body: String,
    /// A session id to set as the session cookie.
    pub(crate) cookie: Option<String>,
    /// Whether the request is one that may change state (by its metadata; what the state file
    /// writes is what was changed, see `App::keep`).
    pub(crate) changed: bool,
}

/// The server version the sandbox writes in its answers' headers (and answers `version` with).
pub(crate) const VERSION: &str = concat!("dmapi-sandbox/", env!("CARGO_PKG_VERSION"));

/// The start of every answer: status, tracking ids, version.
pub(crate) fn reply(code: u16, svtrid: &str) -> Reply {
    // A code the protocol does not list gets the text of a failed command.
    Reply::status(&PROTOCOL, code, dmapi::StatusCode::CommandFailed.code())
        .tracking_id(svtrid)
        .version(VERSION)
}

/// The reply a successful answer to a `meta` request starts with: its declared status, or the
/// protocol's first success code.
pub(crate) fn success(meta: &RequestMeta, svtrid: &str) -> Reply {
    reply(PROTOCOL.success_status(&meta.returns), svtrid)
}

pub(crate) fn refused(http: u16, svtrid: &str, f: Refusal) -> Answer {
    let mut r = reply(f.status, svtrid);
    for e in &f.errors {
        r.push_error(e);
    }
    Answer {
        http,
        body: r.finish(""),
        cookie: None,
        changed: false,
    }
}

/// The answer `answer` (the text a service wrote after the headers of the reply), or the
/// refusal it is.
fn served(svtrid: &str, answer: Result<String, ServeError>, changed: bool) -> Answer {
    let body = match answer {
        Ok(body) => body,
        Err(ServeError::Refused(r)) => return refused(200, svtrid, r),
        // The sandbox built a value its own writer cannot carry: its bug, reported as such.
        Err(e) => return refused(200, svtrid, fail(S::CommandFailed, e.to_string())),
    };
    Answer {
        http: 200,
        body,
        cookie: None,
        changed,
    }
}

/// A server with no rules of its own: the generated [`Service`]'s defaults, the shape the spec
/// declares with example values.
struct Defaults;

impl Service for Defaults {}

/// The status code for a set of problems: that of the first.
fn problem_code(problems: &[Problem]) -> S {
    match problems.first() {
        Some(Problem::Missing { .. } | Problem::MissingWhen { .. }) => S::RequiredParameterMissing,
        Some(Problem::Unknown { .. } | Problem::Duplicate { .. } | Problem::Group { .. }) => {
            S::CommandSyntaxError
        }
        Some(Problem::Zone { .. }) => S::CommandFailed,
        _ => S::ParameterValueSyntaxError,
    }
}

/// Who sent a request, and how its answer is written.
pub(crate) struct Caller<'a> {
    /// The session cookie, if any.
    pub(crate) cookie: Option<&'a str>,
    /// The caller's address.
    pub(crate) peer: Option<IpAddr>,
    /// How a zone answer is written.
    pub(crate) zone_style: ZoneStyle,
}

/// Handles one request under the state lock.
pub(crate) fn process(
    st: &mut State,
    name: &str,
    params: &[(String, String)],
    caller: &Caller<'_>,
) -> Answer {
    let now = st.now_ms();
    // Domains due to go (deleted at end of life, or past their redemption grace), then the
    // queued requests that are due.
    sweep(st, now);
    queue::advance(st, now);
    let svtrid = st.tracking_id();
    let raw: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let Some(meta) = metadata::find(name) else {
        return refused(
            200,
            &svtrid,
            fail(S::UnknownCommand, format!("unknown request `{name}`")),
        );
    };

    // The session comes first: without one nothing is looked at.
    let mut who: Option<(String, usize, Access)> = None;
    if let Some(param) = meta.session_param.as_deref() {
        let sid = decode::first(&raw, param).or(caller.cookie).unwrap_or("");
        match session::live_session(st, sid, now) {
            Some((acct, access)) => who = Some((sid.to_owned(), acct, access)),
            None => {
                return refused(
                    401,
                    &svtrid,
                    fail(
                        S::AuthenticationError,
                        "the session is unknown or has expired; log in again",
                    ),
                );
            }
        }
    }

    // A malformed username is refused as the live server does, before the request is read.
    if meta.name == metadata::SESSION.login
        && let Some(refusal) = session::malformed_username(&svtrid, &raw)
    {
        return refusal;
    }

    let req = match AnyRequest::decode(name, &raw) {
        Some((_, Ok(req))) => req,
        Some((_, Err(problems))) => {
            let code = problem_code(&problems);
            let errors = problems.iter().map(ToString::to_string).collect();
            return refused(
                200,
                &svtrid,
                Refusal {
                    status: code.code(),
                    errors,
                },
            );
        }
        None => {
            return refused(
                200,
                &svtrid,
                fail(S::UnknownCommand, format!("unknown request `{name}`")),
            );
        }
    };

    let reply = success(meta, &svtrid).zone_style(caller.zone_style);
    if let AnyRequest::Login(login) = &req {
        return session::login(st, &svtrid, login, now, caller.peer);
    }
    let Some((sid, acct, access)) = who else {
        // A request the spec says needs no session, which the sandbox has no account for.
        return served(&svtrid, req.serve(&mut Defaults, reply), false);
    };
    if let Some(why) = session::denied(access, meta) {
        return refused(200, &svtrid, fail(S::AuthorizationError, why));
    }
    let mut desk = Desk {
        st,
        acct,
        now,
        svtrid: &svtrid,
        sid: &sid,
        raw: &raw,
        access,
        queued: false,
    };
    let mut answer = req.serve(&mut desk, reply);
    if meta.kind == RequestKind::Async && answer.is_ok() && !desk.queued {
        // A queued request the sandbox has no rules for (one added to the spec later): the
        // `Service` default answers an example Proc-ID; queue it for real instead.
        answer = desk
            .queue_job(meta, None)
            .map(|id| success(meta, &svtrid).proc_id(&id).finish(""))
            .map_err(ServeError::from);
    }
    let changed = meta.changes || meta.kind == RequestKind::Async;
    served(&svtrid, answer, changed)
}
