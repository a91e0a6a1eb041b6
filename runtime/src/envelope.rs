//! The common shape of every DMAPI response: `Key: value` header lines, a blank line, a payload.

use std::fmt;
use std::ops::Range;

use crate::form::Redacted;
use crate::meta::ProtocolMeta;

/// A parsed DMAPI response: header lines (order kept, keys as sent, repeated keys kept, empty
/// values kept) and the payload text.
///
/// The response text is kept in one `String`; headers and payload are ranges into it. The
/// header names of the roles ([`status_code`](Self::status_code), [`proc_id`](Self::proc_id),
/// ...) and the meaning of status codes come from the protocol the envelope was read with (the
/// generated `metadata::PROTOCOL`). `Debug` redacts the session id.
///
/// ```ignore
/// use dmapi::{Envelope, metadata::PROTOCOL};
///
/// let env = Envelope::parse("Status-Code: 0\nProc-ID: 42\nError: \n\nline 1\n", &PROTOCOL)?;
/// assert!(env.is_success());
/// assert_eq!(env.proc_id(), Some("42"));
/// assert_eq!(env.header("error"), Some(""));
/// assert_eq!(env.payload(), "line 1\n");
/// # Ok::<(), dmapi::EnvelopeError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Envelope {
    text: String,
    headers: Vec<HeaderSpan>,
    payload_start: usize,
    protocol: &'static ProtocolMeta,
}

/// Where one header's key and value are in [`Envelope::text`].
#[derive(Clone, Debug, PartialEq, Eq)]
struct HeaderSpan {
    key: Range<usize>,
    value: Range<usize>,
}

/// A response body that is not a DMAPI response.
///
/// Display gives the message only; the body is in `raw`.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct EnvelopeError {
    /// What is wrong.
    pub message: String,
    /// The whole response body.
    pub raw: String,
}

impl Envelope {
    /// Parses a response body.
    ///
    /// Splits at the first blank line, tolerating CRLF line ends, a missing blank line (then the
    /// `Key: value` lines from the start are headers and the rest is payload; when every line is
    /// a header line the payload is empty), a missing trailing newline and an empty payload.
    /// Each header is split at its first `:` and one leading space of the value is dropped (an
    /// empty value is kept). A header key is letters, digits, `-`, `_` and `.`.
    ///
    /// A body that does not start with a header line (an HTML error page, an empty body) is an
    /// [`EnvelopeError`] that keeps the raw text.
    pub fn parse(body: &str, protocol: &'static ProtocolMeta) -> Result<Envelope, EnvelopeError> {
        Self::parse_owned(body.to_owned(), protocol)
    }

    /// [`parse`](Self::parse), taking ownership of the body to avoid a copy.
    pub fn parse_owned(
        text: String,
        protocol: &'static ProtocolMeta,
    ) -> Result<Envelope, EnvelopeError> {
        let mut headers = Vec::new();
        let mut pos = 0;
        let payload_start = loop {
            let rest = &text[pos..];
            if rest.is_empty() {
                break pos;
            }
            let (line, next) = match rest.find('\n') {
                Some(i) => (&rest[..i], pos + i + 1),
                None => (rest, text.len()),
            };
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                if headers.is_empty() {
                    return Err(not_dmapi("the response starts with a blank line", text));
                }
                break next;
            }
            if headers.len() >= MAX_HEADER_LINES || next > MAX_HEADER_BYTES {
                return Err(not_dmapi(
                    &format!(
                        "the header block exceeds {MAX_HEADER_LINES} lines or {MAX_HEADER_BYTES} bytes"
                    ),
                    text,
                ));
            }
            match header_colon(line) {
                Some(colon) => {
                    let value = &line[colon + 1..];
                    let skip = usize::from(value.starts_with(' '));
                    headers.push(HeaderSpan {
                        key: pos..pos + colon,
                        value: pos + colon + 1 + skip..pos + line.len(),
                    });
                    pos = next;
                }
                None if headers.is_empty() => {
                    return Err(not_dmapi(
                        "the response does not start with `Key: value` header lines",
                        text,
                    ));
                }
                // No blank line: the payload starts at the first line that is not a header.
                None => break pos,
            }
        };
        if headers.is_empty() {
            return Err(not_dmapi("the response is empty", text));
        }
        Ok(Envelope {
            text,
            headers,
            payload_start,
            protocol,
        })
    }

    /// The protocol the envelope was read with.
    pub fn protocol(&self) -> &'static ProtocolMeta {
        self.protocol
    }

    /// All headers in order, keys as sent.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .iter()
            .map(|h| (&self.text[h.key.clone()], &self.text[h.value.clone()]))
    }

    /// The whole response text, giving up the parsed view.
    pub fn into_text(self) -> String {
        self.text
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// Every value of header `name` (case-insensitive), in order.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.headers()
            .filter(move |(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// The payload: everything after the header block, as sent.
    pub fn payload(&self) -> &str {
        &self.text[self.payload_start..]
    }

    /// The answer as received, for logs: the session id header and every header or payload
    /// `key: value` line whose key is one of `secret_keys` (case-insensitive) show `***`.
    pub fn redacted(&self, secret_keys: &[&str]) -> String {
        let secret = |key: &str| {
            let key = key.trim();
            key.eq_ignore_ascii_case(&self.protocol.headers.session_id)
                || secret_keys.iter().any(|s| s.eq_ignore_ascii_case(key))
        };
        let mut out = String::with_capacity(self.text.len());
        for (k, v) in self.headers() {
            out.push_str(k);
            out.push_str(": ");
            out.push_str(if secret(k) { "***" } else { v });
            out.push('\n');
        }
        out.push('\n');
        for line in self.payload().split_inclusive('\n') {
            match line.split_once(':') {
                Some((k, _)) if secret(k) => {
                    out.push_str(k);
                    out.push_str(": ***");
                    if line.ends_with('\n') {
                        out.push('\n');
                    }
                }
                _ => out.push_str(line),
            }
        }
        out
    }

    /// The status code header as a number.
    pub fn status_code(&self) -> Option<u16> {
        self.header(&self.protocol.headers.status_code)?
            .trim()
            .parse()
            .ok()
    }

    /// Whether the server reports success: a status code the protocol counts as success.
    /// Without a status code, success means no error header.
    pub fn is_success(&self) -> bool {
        match self.header(&self.protocol.headers.status_code) {
            Some(raw) => raw
                .trim()
                .parse::<u16>()
                .is_ok_and(|code| self.protocol.is_success(code)),
            None => self.errors().next().is_none(),
        }
    }

    /// The status text, unless absent or empty.
    pub fn status_text(&self) -> Option<&str> {
        self.non_empty(&self.protocol.headers.status_text)
    }

    /// The tracking id, else the same value under its older name; empty counts as absent.
    pub fn tracking_id(&self) -> Option<&str> {
        let h = &self.protocol.headers;
        self.non_empty(&h.tracking_id)
            .or_else(|| self.non_empty(&h.tracking_id_old))
    }

    /// The Proc-ID (the id of queued work), unless absent or empty.
    pub fn proc_id(&self) -> Option<&str> {
        self.non_empty(&self.protocol.headers.proc_id)
    }

    /// Every error header value.
    pub fn errors(&self) -> impl Iterator<Item = &str> {
        self.header_all(&self.protocol.headers.error)
    }

    /// Every warning header value.
    pub fn warnings(&self) -> impl Iterator<Item = &str> {
        self.header_all(&self.protocol.headers.warning)
    }

    /// The first value of `name`, trimmed, if not empty.
    fn non_empty(&self, name: &str) -> Option<&str> {
        self.header(name).map(str::trim).filter(|v| !v.is_empty())
    }
}

/// The position of the colon if `line` is a header line: `Key: value` with a key of letters,
/// digits, `-`, `_` and `.`.
fn header_colon(line: &str) -> Option<usize> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let key_ok = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    key_ok.then_some(colon)
}

/// Header lines accepted in one answer (a real one has a few dozen, one `Error:` per problem).
pub const MAX_HEADER_LINES: usize = 4096;
/// Bytes accepted in the header block (the payload, such as a long list, is not counted).
pub const MAX_HEADER_BYTES: usize = 256 * 1024;

fn not_dmapi(message: &str, raw: String) -> EnvelopeError {
    EnvelopeError {
        message: format!("not a DMAPI response: {message}"),
        raw,
    }
}

/// A header for `Debug`, its value redacted if it is the session id (the third field).
struct DebugHeader<'e>(&'e str, &'e str, &'e str);

impl fmt::Debug for DebugHeader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = f.debug_tuple("");
        t.field(&self.0);
        if self.0.eq_ignore_ascii_case(self.2) {
            t.field(&Redacted);
        } else {
            t.field(&self.1);
        }
        t.finish()
    }
}

impl fmt::Debug for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope")
            .field(
                "headers",
                &self
                    .headers()
                    .map(|(k, v)| DebugHeader(k, v, &self.protocol.headers.session_id))
                    .collect::<Vec<_>>(),
            )
            .field("payload", &self.payload())
            .finish()
    }
}
