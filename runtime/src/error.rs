//! Errors of the client: every one names the request and keeps the evidence.

use std::fmt;
use std::time::Duration;

use crate::envelope::Envelope;
use crate::output::OutputError;
use crate::validate::{Problem, join};

/// The server answered with an error status.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The request.
    pub request: &'static str,
    /// The status code (the generated `StatusCode::from` names it; the protocol's
    /// [`status`](crate::meta::ProtocolMeta::status) tells what it means).
    pub status: u16,
    /// `Status-Text` (short, like `Command failed`).
    pub status_text: String,
    /// Every `Error` header, in order.
    pub errors: Vec<String>,
    /// `Tracking-Id`, to quote to Joker.com support.
    pub tracking_id: Option<String>,
    /// The payload, when the server put the detail there (e.g. `API key is invalid`).
    pub detail: Option<String>,
    /// The whole response.
    pub envelope: Envelope,
}

impl ApiError {
    /// Reads an error response.
    pub fn from_envelope(request: &'static str, envelope: Envelope) -> ApiError {
        let detail = Some(envelope.payload().trim())
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        ApiError {
            request,
            status: envelope.status_code().unwrap_or(0),
            status_text: envelope.status_text().unwrap_or_default().to_owned(),
            errors: envelope.errors().map(str::to_owned).collect(),
            tracking_id: envelope.tracking_id().map(str::to_owned),
            detail,
            envelope,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: status {}", self.request, self.status)?;
        if !self.status_text.is_empty() {
            write!(f, " {}", self.status_text)?;
        }
        for e in self.errors.iter().filter(|e| !e.is_empty()) {
            write!(f, "; {e}")?;
        }
        if let Some(d) = &self.detail {
            write!(f, "; {}", d.lines().next().unwrap_or_default())?;
        }
        if let Some(t) = &self.tracking_id {
            write!(f, " (tracking id {t})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// What went wrong with a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request's parameters break the spec; nothing was sent.
    #[error(
        "{request}: not sent, its parameters do not match the spec: {}",
        join(problems)
    )]
    Invalid {
        /// The request.
        request: &'static str,
        /// Every problem.
        problems: Vec<Problem>,
    },
    /// The client is misconfigured (built by [`ClientBuilder`](crate::ClientBuilder)).
    #[error("client configuration: {0}")]
    Config(String),
    /// The HTTP exchange failed (connection, TLS, timeout, reading the body).
    #[error("{request}: transport error: {source}")]
    Transport {
        /// The request.
        request: &'static str,
        /// The cause.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with an HTTP error status.
    #[error("{request}: HTTP status {status}")]
    Http {
        /// The request.
        request: &'static str,
        /// The HTTP status.
        status: u16,
        /// The response body (lossily decoded).
        body: String,
    },
    /// The server answered with a redirect (HTTP 3xx), which DMAPI never sends. It is not
    /// followed: the form, with its credentials or session id, goes to no other URL.
    #[error("{request}: HTTP {status} redirect to {} refused (DMAPI never redirects; nothing was sent there)", location.as_deref().unwrap_or("nowhere"))]
    Redirect {
        /// The request.
        request: &'static str,
        /// The HTTP status.
        status: u16,
        /// The `Location` header, if any.
        location: Option<String>,
    },
    /// The answer is larger than the client's limit
    /// ([`ClientBuilder::max_answer_bytes`](crate::ClientBuilder::max_answer_bytes)); reading
    /// stopped there. Not retried, even for a query: the same answer would come again.
    #[error("{request}: the answer exceeds the limit of {limit} bytes; reading stopped")]
    TooLarge {
        /// The request.
        request: &'static str,
        /// The limit in bytes.
        limit: usize,
    },
    /// The server answered something that is not a DMAPI response.
    #[error("{request}: not a DMAPI response: {message}")]
    Protocol {
        /// The request.
        request: &'static str,
        /// What is wrong.
        message: String,
        /// The raw response body.
        raw: Vec<u8>,
    },
    /// The server answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// Logging in failed.
    #[error("login failed: {source}")]
    Session {
        /// Why.
        #[source]
        source: Box<Error>,
    },
    /// The response could not be read into the request's output type.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The request was sent but its answer was lost or unreadable (a dropped connection, a
    /// timeout, an HTTP 5xx, a truncated or non-DMAPI body): it may or may not have been
    /// carried out. The client never sends such a request again by itself; look it up with
    /// [`check`](OutcomeCheck) before deciding.
    #[error(
        "{request}{}: the outcome is unknown ({cause}); it may have been carried out: check with {} before sending it again",
        object.as_deref().map(|o| format!(" {o}")).unwrap_or_default(),
        check.request.name
    )]
    OutcomeUnknown {
        /// The request.
        request: &'static str,
        /// Its object (domain, contact handle or host), if it names one.
        object: Option<String>,
        /// The server's tracking id, if any of the answer arrived.
        tracking_id: Option<String>,
        /// The client transaction id it was sent with, if any: the check finds it by this.
        cltrid: Option<String>,
        /// The query that shows whether it was carried out.
        check: Box<OutcomeCheck>,
        /// What went wrong.
        #[source]
        cause: Box<Error>,
    },
    /// A queued request had no outcome within the wait's bound.
    #[error("no outcome for Proc-ID {proc_id} after {waited:?}; it may still complete")]
    WaitTimeout {
        /// The queued request.
        proc_id: String,
        /// How long the client waited.
        waited: Duration,
    },
}

/// A ready query for the outcome of a request whose answer was lost: the result list filtered
/// by the request's client transaction id (which finds that very request), or without one by
/// request name and object, running requests included (send it with
/// [`Client::send_raw`](crate::Client::send_raw)). Only queued requests are listed there; for
/// another request, look at the object itself (e.g. with a whois query).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OutcomeCheck {
    /// The result-list request.
    pub request: &'static crate::meta::RequestMeta,
    /// Its parameters.
    pub form: crate::Form,
}

impl Error {
    /// Whether sending again cannot double an effect: the request never reached the server
    /// (connection refused or unreachable, HTTP 429), or the error came from waiting for a
    /// result (polling is read-only). Timeouts, broken connections and server errors are
    /// ambiguous — the request may have been processed — and are not retryable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_connect(),
            Error::Http { status, .. } => *status == 429,
            Error::Session { source } => source.is_retryable(),
            Error::OutcomeUnknown { .. } => false,
            Error::WaitTimeout { .. } => true,
            _ => false,
        }
    }

    /// Whether the request may have reached the server without its answer reaching the client:
    /// a timeout or broken connection after sending, an HTTP 5xx, or a body that is not a
    /// (complete) DMAPI response.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::Transport { source, .. } => !source.is_connect(),
            Error::Http { status, .. } => *status >= 500,
            Error::Protocol { .. } | Error::OutcomeUnknown { .. } | Error::TooLarge { .. } => true,
            _ => false,
        }
    }

    /// The API error, if the server answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::Session { source } => source.api(),
            _ => None,
        }
    }

    /// The status code of an API error (`dmapi::StatusCode::from` names it).
    pub fn status(&self) -> Option<u16> {
        self.api().map(|e| e.status)
    }
}
