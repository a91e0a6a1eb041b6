//! Writing responses in the DMAPI text format: the server side of [`Envelope`](crate::Envelope),
//! for servers such as the sandbox.
//!
//! A reply is `Key: value` header lines, a blank line, then the payload, with LF line ends, as
//! the live server sends them (WIRE-NOTES). Header names of the common envelope are the
//! constants in [`names`]; request-specific ones come from the metadata.

use crate::meta::Separator;
use crate::output::ResultRow;

/// The header names and words of the DMAPI text format (moved to [`crate::names`]).
pub use crate::names;

/// A response being written: headers in order, then [`finish`](Self::finish) with the payload.
///
/// Values are written on one line: a CR or LF in a value becomes a space, so no value can add
/// a header or end the header block.
///
/// ```
/// use dmapi_runtime::{Envelope, reply::Reply};
///
/// let text = Reply::new(0, "Command completed successfully")
///     .header("Proc-ID", "42")
///     .finish("");
/// let env = Envelope::parse(&text)?;
/// assert_eq!(env.proc_id(), Some("42"));
/// # Ok::<(), dmapi_runtime::EnvelopeError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "finish the reply to get its text"]
pub struct Reply {
    text: String,
}

impl Reply {
    /// A reply with this status code and text.
    pub fn new(status: u16, text: &str) -> Reply {
        Reply {
            text: String::with_capacity(256),
        }
        .header(names::STATUS_CODE, &status.to_string())
        .header(names::STATUS_TEXT, text)
    }

    /// Appends a header line.
    pub fn header(mut self, key: &str, value: &str) -> Reply {
        self.push_line(key, value);
        self
    }

    /// Appends a header line in place.
    pub fn push_header(&mut self, key: &str, value: &str) {
        self.push_line(key, value);
    }

    /// Appends one `Error` line.
    pub fn error(self, message: &str) -> Reply {
        self.header(names::ERROR, message)
    }

    /// The `Columns` and `Separator` headers of a tabular payload.
    pub fn columns<'a>(self, columns: impl IntoIterator<Item = &'a str>, sep: Separator) -> Reply {
        let joined = columns.into_iter().collect::<Vec<_>>().join(",");
        let word = match sep {
            Separator::Tab => names::TAB,
            Separator::Whitespace => names::SPACE,
        };
        self.header(names::COLUMNS, &joined)
            .header(names::SEPARATOR, word)
    }

    /// The text: headers, a blank line, the payload.
    pub fn finish(mut self, payload: &str) -> String {
        self.text.push('\n');
        self.text.push_str(payload);
        self.text
    }

    fn push_line(&mut self, key: &str, value: &str) {
        self.text.push_str(key);
        self.text.push_str(": ");
        self.text.extend(
            value
                .chars()
                .map(|c| if c == '\r' || c == '\n' { ' ' } else { c }),
        );
        self.text.push('\n');
    }
}

/// Appends `key: value` lines to a payload (values on one line, like header values).
pub fn push_key_value(payload: &mut String, key: &str, value: &str) {
    payload.push_str(key);
    payload.push_str(": ");
    payload.extend(
        value
            .chars()
            .map(|c| if c == '\r' || c == '\n' { ' ' } else { c }),
    );
    payload.push('\n');
}

/// The payload line of a count-only result list.
pub fn records_line(count: usize) -> String {
    format!("{}: {count}\n", names::RECORDS)
}

impl ResultRow {
    /// The row as a result-list payload line (7 space-separated columns, `-` for no cltrid).
    /// Spaces inside a cell would shift the columns, so they are written as `_`.
    pub fn to_line(&self) -> String {
        let cell = |s: &str| -> String {
            if s.is_empty() {
                "-".to_owned()
            } else {
                s.chars()
                    .map(|c| if c.is_whitespace() { '_' } else { c })
                    .collect()
            }
        };
        format!(
            "{} {} {} {} {} {} {}\n",
            cell(&self.timestamp),
            cell(&self.svtrid),
            cell(&self.proc_id),
            cell(&self.request_type),
            cell(&self.object),
            self.status.as_str(),
            cell(self.cltrid.as_deref().unwrap_or("-")),
        )
    }
}
