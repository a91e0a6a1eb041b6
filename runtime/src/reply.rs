//! Writing responses in the DMAPI text format: the server side of [`Envelope`](crate::Envelope),
//! for servers such as the sandbox.
//!
//! A reply is `Key: value` header lines, a blank line, then the payload, with LF line ends, as
//! the live server sends them (WIRE-NOTES). Header names of the common envelope come from the
//! protocol ([`ProtocolMeta`]); request-specific ones from the metadata.

use crate::ZoneStyle;
use crate::meta::{ProtocolMeta, Separator};

/// A response being written: headers in order, then [`finish`](Self::finish) with the payload.
///
/// Values are written on one line: a CR or LF in a value becomes a space, so no value can add
/// a header or end the header block.
///
/// ```ignore
/// use dmapi::{Envelope, metadata::PROTOCOL, reply::Reply};
///
/// let text = Reply::new(&PROTOCOL, 0, "Command completed successfully")
///     .proc_id("42")
///     .finish("");
/// let env = Envelope::parse(&text, &PROTOCOL)?;
/// assert_eq!(env.proc_id(), Some("42"));
/// # Ok::<(), dmapi::EnvelopeError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "finish the reply to get its text"]
pub struct Reply {
    text: String,
    protocol: &'static ProtocolMeta,
    zone_style: ZoneStyle,
}

impl Reply {
    /// A reply with this status code and text.
    pub fn new(protocol: &'static ProtocolMeta, status: u16, text: &str) -> Reply {
        let h = &protocol.headers;
        Reply {
            text: String::with_capacity(256),
            protocol,
            zone_style: ZoneStyle::Canonical,
        }
        .header(&h.status_code, &status.to_string())
        .header(&h.status_text, text)
    }

    /// A reply with this status code and the text the protocol gives it (an unlisted code
    /// gets the text of `fallback`).
    pub fn status(protocol: &'static ProtocolMeta, status: u16, fallback: u16) -> Reply {
        let text = protocol
            .status(status)
            .or_else(|| protocol.status(fallback))
            .map_or("", |s| &*s.text);
        Reply::new(protocol, status, text)
    }

    /// Writes a zone payload of this reply in `style` (default [`ZoneStyle::Canonical`]);
    /// [`ZoneStyle::Served`] is the live server's.
    pub fn zone_style(mut self, style: ZoneStyle) -> Reply {
        self.zone_style = style;
        self
    }

    /// How a zone payload of this reply is written.
    pub fn zone_style_of(&self) -> ZoneStyle {
        self.zone_style
    }

    /// The protocol the reply is written in.
    pub fn protocol(&self) -> &'static ProtocolMeta {
        self.protocol
    }

    /// Appends the tracking id under its name and its older name.
    pub fn tracking_id(self, id: &str) -> Reply {
        let h = &self.protocol.headers;
        self.header(&h.tracking_id, id)
            .header(&h.tracking_id_old, id)
    }

    /// Appends the Proc-ID of queued work.
    pub fn proc_id(self, id: &str) -> Reply {
        let h = &self.protocol.headers;
        self.header(&h.proc_id, id)
    }

    /// Appends the server's protocol version.
    pub fn version(self, version: &str) -> Reply {
        let h = &self.protocol.headers;
        self.header(&h.version, version)
    }

    /// Appends the row count of a listing.
    pub fn row_count(self, count: usize) -> Reply {
        let h = &self.protocol.headers;
        self.header(&h.row_count, &count.to_string())
    }

    /// Appends one warning.
    pub fn warning(self, message: &str) -> Reply {
        let h = &self.protocol.headers;
        self.header(&h.warning, message)
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

    /// Appends one error line.
    pub fn error(self, message: &str) -> Reply {
        let h = &self.protocol.headers;
        self.header(&h.error, message)
    }

    /// Appends one error line in place.
    pub fn push_error(&mut self, message: &str) {
        let h = &self.protocol.headers;
        self.push_line(&h.error, message);
    }

    /// The `Columns` and `Separator` headers of a tabular payload.
    pub fn columns<'a>(self, columns: impl IntoIterator<Item = &'a str>, sep: Separator) -> Reply {
        let joined = columns.into_iter().collect::<Vec<_>>().join(",");
        let p = self.protocol;
        let word = match sep {
            Separator::Tab => &p.separator_tab,
            Separator::Whitespace => &p.separator_space,
        };
        self.header(&p.headers.columns, &joined)
            .header(&p.headers.separator, word)
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
