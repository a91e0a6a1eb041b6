//! Fault injection and traffic recording: what tests of a client's reliability need from the
//! server side.

use std::time::Duration;

/// A failure to inject into the answers to one request name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait this long before handling the request.
    Delay(Duration),
    /// Break the connection without handling the request.
    DropBefore,
    /// Handle the request (its effect happens), then break the connection: the client sees no
    /// answer.
    DropAfter,
    /// Answer this HTTP status with an HTML body, without handling the request (a proxy or
    /// gateway failing in front of the server).
    Status(u16),
    /// Handle the request, then send only the first half of the answer.
    Truncate,
    /// Answer an HTML page with HTTP 200, without handling the request (a captive portal).
    Html,
    /// Expire every session, then handle the request (it gets HTTP 401).
    ExpireSession,
}

/// One request and its answer, as they went over the wire (for tests that look for secrets).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Exchange {
    /// The request name from the path.
    pub request: String,
    /// The query string.
    pub query: String,
    /// The request body.
    pub body: String,
    /// The request's `Cookie` header.
    pub cookie: String,
    /// The HTTP status answered.
    pub status: u16,
    /// The answer's body.
    pub answer: String,
    /// The answer's `Set-Cookie` header.
    pub set_cookie: String,
}

/// Faults waiting to happen: (request name, fault, times left).
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pending: Vec<(String, Fault, u32)>,
}

impl Faults {
    pub(crate) fn add(&mut self, request: &str, fault: Fault, times: u32) {
        self.pending
            .push((request.to_ascii_lowercase(), fault, times));
    }

    /// The next fault for `request`, used up once.
    pub(crate) fn take(&mut self, request: &str) -> Option<Fault> {
        let slot = self
            .pending
            .iter_mut()
            .find(|(name, _, left)| *left > 0 && name.eq_ignore_ascii_case(request))?;
        slot.2 -= 1;
        Some(slot.1)
    }
}

/// The page a failing proxy answers.
pub(crate) const HTML: &str =
    "<html><head><title>Service unavailable</title></head><body>Try again later.</body></html>\n";
