//! The protocol's own vocabulary: envelope header names by role, status codes and what counts
//! as success, the signals that mean "log in again", and the result-list row. The spec's
//! `[protocol]` table; the generated crate bakes it as `metadata::PROTOCOL`.

use super::{Seq, Text};

/// The DMAPI text protocol as the spec's `[protocol]` table states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolMeta {
    /// What the table describes.
    pub doc: Text,
    /// The envelope's header names, by role.
    pub headers: HeaderNames,
    /// `Separator` header value of tab-separated columns.
    pub separator_tab: Text,
    /// `Separator` header value of space-separated columns.
    pub separator_space: Text,
    /// Status codes that mean success, as inclusive ranges.
    pub success: Seq<(u16, u16)>,
    /// HTTP statuses that mean the session was refused (log in again and resend).
    pub relogin_http: Seq<u16>,
    /// `Status-Code`s that mean the session was refused (log in again and resend).
    pub relogin_status: Seq<u16>,
    /// The status codes the server uses, with their meaning.
    pub statuses: Seq<StatusMeta>,
    /// Completion statuses of queued requests (in results and the result list).
    pub completion: CompletionWords,
    /// The rows of the result list.
    pub result_row: ResultRowMeta,
    /// How the server frames answers and the ids it hands out.
    pub framing: Framing,
    /// Joker.com's default name servers, today's.
    pub name_servers: Seq<Text>,
    /// Joker.com's default name servers of before (domains may still use them).
    pub former_name_servers: Seq<Text>,
    /// The forms of domain-modify's DNSSEC values (`ds-N`).
    pub dnssec: DnssecForms,
}

/// The two forms of a DNSSEC value of domain-modify (`ds-N`): the fields of a DS record or of
/// a DNSKEY record, in the order they are sent, joined by `delimiter`. A registry takes one
/// form; inquire-tld's `dnssec` names which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnssecForms {
    /// Joins the fields of one value.
    pub delimiter: char,
    /// The fields of a DS record, in wire order (`dsdata`).
    pub ds_data: Seq<DnssecField>,
    /// The fields of a DNSKEY record, in wire order (`keydata`).
    pub key_data: Seq<DnssecField>,
}

/// A field of a DS or DNSKEY record (RFC 4034), as a DNSSEC value of the DMAPI carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DnssecField {
    /// A DS record's key tag (0..=65535).
    KeyTag,
    /// The DNSSEC algorithm number (DS and DNSKEY).
    Algorithm,
    /// A DS record's digest type number.
    DigestType,
    /// A DS record's digest, in hex.
    Digest,
    /// A DNSKEY record's flags (0..=65535; 257 marks a key-signing key).
    Flags,
    /// A DNSKEY record's protocol number (3).
    Protocol,
    /// A DNSKEY record's public key, in base64.
    PublicKey,
}

impl DnssecField {
    /// Every field, DS record's first, each by its spec name.
    pub const ALL: [(DnssecField, &'static str); 7] = [
        (DnssecField::KeyTag, "key-tag"),
        (DnssecField::Algorithm, "algorithm"),
        (DnssecField::DigestType, "digest-type"),
        (DnssecField::Digest, "digest"),
        (DnssecField::Flags, "flags"),
        (DnssecField::Protocol, "protocol"),
        (DnssecField::PublicKey, "public-key"),
    ];
    /// A DS record's fields, in the record's presentation order.
    pub const DS: [DnssecField; 4] = [
        DnssecField::KeyTag,
        DnssecField::Algorithm,
        DnssecField::DigestType,
        DnssecField::Digest,
    ];
    /// A DNSKEY record's fields, in the record's presentation order.
    pub const DNSKEY: [DnssecField; 4] = [
        DnssecField::Flags,
        DnssecField::Protocol,
        DnssecField::Algorithm,
        DnssecField::PublicKey,
    ];

    /// The field's spec name (`key-tag`).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("", |(_, n)| n)
    }

    /// The field of spec name `name`.
    pub fn from_name(name: &str) -> Option<DnssecField> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(f, _)| *f)
    }
}

/// How the live server frames its answers, and the shape of the ids it hands out (recorded
/// production answers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framing {
    /// Whether the last line of a payload of lines (a list, `key: value` lines, the login's
    /// TLD list) ends with a LF. Zone lines always do.
    pub final_newline: bool,
    /// Lowercase hex digits in a tracking id (`Tracking-Id`, `SvTrId`).
    pub tracking_id_hex: usize,
    /// Lowercase hex digits in a session id (`Auth-Sid`, and the session cookie).
    pub session_id_hex: usize,
}

/// The envelope's header names, by role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderNames {
    /// The status code.
    pub status_code: Text,
    /// A short status text.
    pub status_text: Text,
    /// The server's tracking id.
    pub tracking_id: Text,
    /// The tracking id under its older name.
    pub tracking_id_old: Text,
    /// The id of queued work.
    pub proc_id: Text,
    /// One problem (repeated).
    pub error: Text,
    /// One warning (repeated).
    pub warning: Text,
    /// Column names of a tabular payload, comma-separated.
    pub columns: Text,
    /// How the columns are separated.
    pub separator: Text,
    /// The number of rows of a listing.
    pub row_count: Text,
    /// The server's protocol version.
    pub version: Text,
    /// The session id (the login answer carries it; `Debug` never shows it).
    pub session_id: Text,
}

/// One status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMeta {
    /// The number.
    pub code: u16,
    /// A name in kebab case (`object-does-not-exist`); the generated enum's variant.
    pub name: Text,
    /// The status text the server sends with it.
    pub text: Text,
    /// What it means.
    pub doc: Text,
}

/// The completion statuses of queued requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionWords {
    /// Done.
    pub ack: Text,
    /// Failed.
    pub nack: Text,
    /// Still running (any of these words).
    pub pending: Seq<Text>,
}

/// A row of the result list: positional, space-separated columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRowMeta {
    /// The columns in order, as the docs name them (the row has no `Columns` header).
    pub columns: Seq<Text>,
    /// The position of each value in the row.
    pub at: ResultRowColumns,
    /// The cell that stands for "no value" (a result without a client transaction id).
    pub none: Text,
    /// The key of the single payload line of a count-only listing (`Records: N`).
    pub count_key: Text,
}

/// Where each value of a result row is (0-based positions into
/// [`ResultRowMeta::columns`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultRowColumns {
    /// When the request was made.
    pub timestamp: usize,
    /// The server's tracking id.
    pub svtrid: usize,
    /// The processing id.
    pub proc_id: usize,
    /// The request's wire name.
    pub request_type: usize,
    /// The object (domain, contact handle, host).
    pub object: usize,
    /// The completion status.
    pub status: usize,
    /// The client's transaction id.
    pub cltrid: usize,
}

impl ProtocolMeta {
    /// Whether `code` means success.
    pub fn is_success(&self, code: u16) -> bool {
        self.success
            .iter()
            .any(|&(low, high)| (low..=high).contains(&code))
    }

    /// The `Status-Code` of a successful answer of shape `returns`: its declared
    /// [`status`](super::ReturnsMeta::status), or the protocol's first success code.
    pub fn success_status(&self, returns: &super::ReturnsMeta) -> u16 {
        let first = self.success.first().map_or(0, |&(low, _)| low);
        returns.status.unwrap_or(first)
    }

    /// What the spec says of `code`, if it lists it.
    pub fn status(&self, code: u16) -> Option<&StatusMeta> {
        self.statuses.iter().find(|s| s.code == code)
    }

    /// Whether an answer with this HTTP status means the session was refused.
    pub fn relogin_on_http(&self, http: u16) -> bool {
        self.relogin_http.contains(&http)
    }

    /// Whether a `Status-Code` means the session was refused.
    pub fn relogin_on_status(&self, code: u16) -> bool {
        self.relogin_status.contains(&code)
    }
}
