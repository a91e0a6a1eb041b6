//! One HTTP exchange's parts: where a request goes, and reading a bounded answer.

use super::*;

/// Where and how one request goes.
pub(super) struct Route {
    pub(super) name: &'static str,
    pub(super) path: Cow<'static, str>,
    pub(super) method: Method,
}

impl Route {
    /// The session's own requests (login, logout): POSTs under the session's path.
    pub(super) fn named<P: Protocol>(name: &'static str) -> Route {
        Route {
            name,
            path: Cow::Owned(format!("{}{name}", P::SESSION.path)),
            method: Method::Post,
        }
    }

    pub(super) fn of<P: Protocol>(meta: &'static RequestMeta) -> Route {
        Route {
            name: &meta.name,
            path: meta.path(&P::SESSION.path),
            method: meta.method,
        }
    }
}

/// Why reading a body stopped.
pub(super) enum ReadError {
    Transport(reqwest::Error),
    TooLarge,
}

impl ReadError {
    pub(super) fn into_error(self, request: &'static str, limit: usize) -> Error {
        match self {
            ReadError::Transport(source) => Error::Transport { request, source },
            ReadError::TooLarge => Error::TooLarge { request, limit },
        }
    }
}

/// Reads the body, never holding more than `limit` bytes: an announced length over the limit
/// stops before reading, and the buffer grows by at most doubling, capped at the limit.
pub(super) async fn read_bounded(
    mut reply: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, ReadError> {
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
pub(super) fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl Failure {
    pub(super) fn into_error(self) -> Error {
        match self {
            Failure::SessionRefused(e) | Failure::Other(e) => e,
        }
    }
}

/// `form` plus the session parameter.
pub(super) fn with_session(form: &Form, param: &'static str, sid: &Secret) -> Form {
    let mut out = form.clone();
    out.push_secret(param, sid.expose());
    out
}
