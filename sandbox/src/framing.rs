//! How the sandbox frames its answers where the live server is known to vary (WIRE-NOTES):
//! the order of the header lines, the case of their keys, the blank line of an answer with no
//! payload, and TXT records in the live server's form. A client meant for the live server
//! must read every variant; tests run it against each.

use dmapi::ZoneStyle;
use dmapi::metadata::PROTOCOL;

/// How answers are framed. The default is the live server's most common framing: headers in
/// the order written (`Status-Code` first), keys as the protocol spells them, a blank line
/// after the headers even with no payload, TXT records as the live server sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Framing {
    /// Where the status lines go.
    pub header_order: HeaderOrder,
    /// How header keys are spelled.
    pub key_case: KeyCase,
    /// Whether an answer without a payload ends with the blank line.
    pub blank_line: BlankLine,
    /// Whether `dns-zone-get` answers TXT records in the live server's form,
    /// `label TXT 0  "value " ttl` (two spaces before the quote, one inside it), as the live
    /// server does whatever was put. Clients must cope with it, so it is on by default.
    pub txt_quirk: bool,
}

impl Default for Framing {
    fn default() -> Self {
        Framing {
            header_order: HeaderOrder::AsWritten,
            key_case: KeyCase::AsWritten,
            blank_line: BlankLine::Always,
            txt_quirk: true,
        }
    }
}

/// The order of the header lines (the live server sends `Status-Code` first in some answers,
/// last in others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderOrder {
    /// As written: `Status-Code` and `Status-Text` first.
    AsWritten,
    /// `Status-Code` and `Status-Text` after every other header.
    StatusLast,
}

/// How header keys are spelled (the live server's are not case-stable: `Auth-Sid` and
/// `Auth-SID`, `Account-balance` and `Account-Balance`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyCase {
    /// As the protocol spells them.
    AsWritten,
    /// Every word capitalised, the rest lowercase (`Proc-Id`, `Account-Balance`).
    Title,
    /// All lowercase.
    Lower,
    /// All uppercase.
    Upper,
}

/// Whether an answer with no payload ends with the blank line after its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlankLine {
    /// Always (an empty `dns-zone-put` answer ends with it).
    Always,
    /// Only when a payload follows.
    BeforePayload,
}

impl Framing {
    /// With the status lines placed by `order`.
    #[must_use]
    pub fn header_order(mut self, order: HeaderOrder) -> Self {
        self.header_order = order;
        self
    }

    /// With header keys spelled by `case`.
    #[must_use]
    pub fn key_case(mut self, case: KeyCase) -> Self {
        self.key_case = case;
        self
    }

    /// With the blank line of an answer without payload as `blank`.
    #[must_use]
    pub fn blank_line(mut self, blank: BlankLine) -> Self {
        self.blank_line = blank;
        self
    }

    /// With TXT records in the live server's form (`true`) or the canonical one.
    #[must_use]
    pub fn txt_quirk(mut self, on: bool) -> Self {
        self.txt_quirk = on;
        self
    }

    /// How `dns-zone-get` writes its zone.
    pub(crate) fn zone_style(&self) -> ZoneStyle {
        if self.txt_quirk {
            ZoneStyle::Served
        } else {
            ZoneStyle::Canonical
        }
    }

    /// Whether `apply` leaves every answer as written.
    fn is_as_written(&self) -> bool {
        self.header_order == HeaderOrder::AsWritten
            && self.key_case == KeyCase::AsWritten
            && self.blank_line == BlankLine::Always
    }

    /// The answer `text` (headers, a blank line, the payload) framed as set.
    pub(crate) fn apply(&self, text: String) -> String {
        if self.is_as_written() {
            return text;
        }
        let (head, payload) = match text.split_once("\n\n") {
            Some((head, payload)) => (head, payload),
            None => (text.strip_suffix('\n').unwrap_or(&text), ""),
        };
        let h = &PROTOCOL.headers;
        let is_status = |line: &&str| {
            let key = line.split_once(':').map_or(*line, |(k, _)| k);
            key.eq_ignore_ascii_case(&h.status_code) || key.eq_ignore_ascii_case(&h.status_text)
        };
        let lines: Vec<&str> = head.lines().collect();
        let ordered: Vec<&str> = match self.header_order {
            HeaderOrder::AsWritten => lines,
            HeaderOrder::StatusLast => {
                let (status, rest): (Vec<&str>, Vec<&str>) = lines.into_iter().partition(is_status);
                rest.into_iter().chain(status).collect()
            }
        };
        let mut out = String::with_capacity(text.len());
        for line in ordered {
            match line.split_once(':') {
                Some((key, value)) => {
                    out.push_str(&self.spell(key));
                    out.push(':');
                    out.push_str(value);
                }
                None => out.push_str(line),
            }
            out.push('\n');
        }
        if !payload.is_empty() || self.blank_line == BlankLine::Always {
            out.push('\n');
        }
        out.push_str(payload);
        out
    }

    /// `key` spelled by the key case.
    fn spell(&self, key: &str) -> String {
        match self.key_case {
            KeyCase::AsWritten => key.to_owned(),
            KeyCase::Lower => key.to_ascii_lowercase(),
            KeyCase::Upper => key.to_ascii_uppercase(),
            KeyCase::Title => {
                let mut out = String::with_capacity(key.len());
                let mut start = true;
                for c in key.chars() {
                    out.push(if start {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    });
                    start = c == '-' || c == '_';
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = "Status-Code: 0\nStatus-Text: Command completed successfully\nProc-ID: 42\nAccount-balance: 1.00\n\n";

    #[test]
    fn the_default_leaves_answers_as_written() {
        assert_eq!(Framing::default().apply(ANSWER.to_owned()), ANSWER);
    }

    #[test]
    fn status_last_title_case_and_no_blank_line() {
        let f = Framing::default()
            .header_order(HeaderOrder::StatusLast)
            .key_case(KeyCase::Title)
            .blank_line(BlankLine::BeforePayload);
        assert_eq!(
            f.apply(ANSWER.to_owned()),
            "Proc-Id: 42\nAccount-Balance: 1.00\nStatus-Code: 0\nStatus-Text: Command completed successfully\n"
        );
        let with_payload = "Status-Code: 0\nColumns: a\n\nrow 1\nrow 2".to_owned();
        assert_eq!(
            f.apply(with_payload),
            "Columns: a\nStatus-Code: 0\n\nrow 1\nrow 2"
        );
    }

    #[test]
    fn a_value_keeps_its_case_and_colons() {
        let f = Framing::default().key_case(KeyCase::Upper);
        assert_eq!(
            f.apply("Status-Code: 0\nError: Parameter x: bad\n\n".to_owned()),
            "STATUS-CODE: 0\nERROR: Parameter x: bad\n\n"
        );
    }
}
