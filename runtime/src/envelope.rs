//! The common shape of every DMAPI response: `Key: value` header lines, a blank line, a payload.

use std::fmt;
use std::ops::Range;

use crate::form::Redacted;
use crate::names;

/// Header whose value `Debug` does not show: the session id.
const SESSION_HEADER: &str = "auth-sid";

/// A parsed DMAPI response: header lines (order kept, keys as sent, repeated keys kept, empty
/// values kept) and the payload text.
///
/// The response text is kept in one `String`; headers and payload are ranges into it. `Debug`
/// redacts the session id (`Auth-Sid`).
///
/// ```
/// use dmapi_runtime::Envelope;
///
/// let env = Envelope::parse("Status-Code: 0\nProc-ID: 42\nError: \n\nline 1\n")?;
/// assert!(env.is_success());
/// assert_eq!(env.proc_id(), Some("42"));
/// assert_eq!(env.header("error"), Some(""));
/// assert_eq!(env.payload(), "line 1\n");
/// # Ok::<(), dmapi_runtime::EnvelopeError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Envelope {
    text: String,
    headers: Vec<HeaderSpan>,
    payload_start: usize,
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
    pub fn parse(body: &str) -> Result<Envelope, EnvelopeError> {
        Self::parse_owned(body.to_owned())
    }

    /// [`parse`](Self::parse), taking ownership of the body to avoid a copy.
    pub fn parse_owned(text: String) -> Result<Envelope, EnvelopeError> {
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
        })
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

    /// The `Status-Code` as a number.
    pub fn status_code(&self) -> Option<u16> {
        self.header(names::STATUS_CODE)?.trim().parse().ok()
    }

    /// Whether the server reports success: `Status-Code` 0 or 1000..=1999. Without a
    /// `Status-Code`, success means no `Error` header.
    pub fn is_success(&self) -> bool {
        match self.header(names::STATUS_CODE) {
            Some(raw) => matches!(raw.trim().parse::<u16>(), Ok(0 | 1000..=1999)),
            None => self.errors().next().is_none(),
        }
    }

    /// `Status-Text`, unless absent or empty.
    pub fn status_text(&self) -> Option<&str> {
        self.non_empty(names::STATUS_TEXT)
    }

    /// `Tracking-Id`, else `SvTrId` (the same value under its older name); empty counts as absent.
    pub fn tracking_id(&self) -> Option<&str> {
        self.non_empty(names::TRACKING_ID)
            .or_else(|| self.non_empty(names::SVTRID))
    }

    /// `Proc-ID` (the id of queued work), unless absent or empty.
    pub fn proc_id(&self) -> Option<&str> {
        self.non_empty(names::PROC_ID)
    }

    /// Every `Error` header value.
    pub fn errors(&self) -> impl Iterator<Item = &str> {
        self.header_all(names::ERROR)
    }

    /// Every `Warning` header value.
    pub fn warnings(&self) -> impl Iterator<Item = &str> {
        self.header_all(names::WARNING)
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

/// A header for `Debug`, its value redacted if it is the session id.
struct DebugHeader<'e>(&'e str, &'e str);

impl fmt::Debug for DebugHeader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = f.debug_tuple("");
        t.field(&self.0);
        if self.0.eq_ignore_ascii_case(SESSION_HEADER) {
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
                    .map(|(k, v)| DebugHeader(k, v))
                    .collect::<Vec<_>>(),
            )
            .field("payload", &self.payload())
            .finish()
    }
}
