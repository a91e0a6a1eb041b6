//! DNS zones in the DMAPI zone format (`dns-zone-get`, `dns-zone-put`).
//!
//! One entry per line: records `<label> <type> <pri> <target> <ttl> [<valid-from> <valid-to>
//! <parameters>...]`, directives (`$dnssec=no`, `$dyndns=yes:user:pass`), blank lines, and
//! lines this crate cannot read, which are kept verbatim ([`Unparsed`]) and written back
//! unchanged, so a get/modify/put round trip never loses anything.
//!
//! - [`Zone::parse`] reads what the server sends and never fails; `str::parse` is the strict
//!   form that reports every unreadable line with its number.
//! - [`Zone::to_text`] writes the canonical form, and refuses (never writes) a value that would
//!   change the zone's structure: a newline or another control character, a quote, a trailing
//!   backslash. Every line it writes is read back and compared before it is accepted, so
//!   `Zone::parse(&zone.to_text()?) == zone` always holds, and a value from an untrusted caller
//!   cannot add a record.
//! - [`Zone::validate`] checks the documented rules (TTL minimums, `pri`, NAPTR, `$dyndns`,
//!   non-empty zone) before a zone is sent.
//!
//! The canonical form is the docs' and the server's: fields separated by one space, targets
//! quoted only when they hold a space, TXT always quoted, `<valid-from> <valid-to>` written only
//! when not zero or when parameters follow. The server answers TXT records as
//! `label TXT 0  "value " 60` (an extra space before and inside the quotes, even when
//! `"value"` was sent); that reads as `value` and is written back as `"value"`, as clients
//! send it.
//!
//! ```
//! use dmapi_runtime::zone::{RecordData, Upsert, Zone};
//!
//! let mut zone = Zone::parse("$dnssec=no\nwww A 0 192.0.2.1 86400\n_acme-challenge TXT 0  \"old \" 300\n");
//! assert_eq!(zone.upsert_txt("_acme-challenge", "token-123", 300)?, Upsert::Added);
//! assert_eq!(zone.remove("_acme-challenge", "TXT", Some("old")), 1);
//! assert_eq!(
//!     zone.to_text()?,
//!     "$dnssec=no\nwww A 0 192.0.2.1 86400\n_acme-challenge TXT 0 \"token-123\" 300\n"
//! );
//!
//! // A value that would add a line is refused, not written.
//! let err = zone.upsert_txt("x", "v\" 60\nevil A 0 192.0.2.66 60\nx TXT 0 \"", 60).unwrap_err();
//! assert!(err.to_string().contains("control character"));
//! # Ok::<(), dmapi_runtime::zone::ZoneError>(())
//! ```

mod borrowed;
mod check;
mod edit;
mod format;
mod read;
mod syntax;
mod write;

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use crate::values::Secret;

pub use syntax::Token;

/// A zone: its entries in order, one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Zone {
    entries: Vec<Entry>,
}

/// One line of a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Entry {
    /// A resource record.
    Record(Record),
    /// A `$name=value` line.
    Directive(Directive),
    /// An empty line.
    Blank,
    /// A line that is not in the zone format as this crate reads it, kept as it came.
    Unparsed(Unparsed),
}

/// A line kept verbatim because it could not be read. Only [`Zone::parse`] makes one, so its
/// text is always a single line as the server (or the caller's zone text) had it.
#[derive(Clone, PartialEq, Eq)]
pub struct Unparsed {
    text: String,
    reason: String,
}

impl Unparsed {
    /// The line as it came.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Why it could not be read.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The line for people (messages, diffs): control characters escaped, and a `$dyndns` line
    /// without its value, which may hold the DynDNS password.
    pub fn shown(&self) -> String {
        write::describe_unparsed(&self.text)
    }
}

impl fmt::Debug for Unparsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A malformed `$dyndns` line may still hold the DynDNS password.
        let hidden;
        let text: &dyn fmt::Debug = if read::is_dyndns_line(&self.text) {
            hidden = write::describe_unparsed(&self.text);
            &hidden
        } else {
            &self.text
        };
        f.debug_struct("Unparsed")
            .field("text", text)
            .field("reason", &self.reason)
            .finish()
    }
}

/// A `$name=value` directive line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Directive {
    /// `$dnssec=yes|no`.
    Dnssec(bool),
    /// `$dyndns=yes|no:user:password`.
    Dyndns(Dyndns),
    /// Any other directive, or `$dnssec`/`$dyndns` with a value of another form.
    Other {
        /// The name, without `$`.
        name: String,
        /// Everything after `=`.
        value: String,
    },
}

impl Directive {
    /// The name, without `$`: `dnssec`, `dyndns`, or another directive's own.
    pub fn name(&self) -> &str {
        match self {
            Directive::Dnssec(_) => read::DNSSEC,
            Directive::Dyndns(_) => read::DYNDNS,
            Directive::Other { name, .. } => name,
        }
    }

    /// The line for people (messages, diffs): as the writer writes it, with a DynDNS password
    /// as `***`, also in a `$dyndns` directive of another form.
    ///
    /// ```
    /// use dmapi_runtime::zone::{Directive, Zone};
    ///
    /// let zone = Zone::parse("$dyndns=yes:me:s3cret\n$dyndns=maybe:me:s3cret\n$dnssec=no");
    /// let shown: Vec<String> = zone.directives().map(Directive::shown).collect();
    /// assert_eq!(shown, ["$dyndns=yes:me:***", "$dyndns=***", "$dnssec=no"]);
    /// assert_eq!(zone.directives().next().map(Directive::name), Some("dyndns"));
    /// ```
    pub fn shown(&self) -> String {
        write::describe_directive(self)
    }
}

/// DynDNS settings (`$dyndns=yes:user:password`); `Debug` hides the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dyndns {
    /// Whether DynDNS is on (`DYNA`/`DYNAAAA` records have no effect when off).
    pub enabled: bool,
    /// The DynDNS user name (no spaces or colons).
    pub user: String,
    /// The DynDNS password (no spaces or colons).
    pub password: Secret,
}

/// A resource record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The label relative to the zone, `@` for the zone itself.
    pub label: String,
    /// Time to live in seconds.
    pub ttl: u32,
    /// Not valid before this UNIX time; 0 for always (not implemented by the server yet).
    pub valid_from: u64,
    /// Not valid after this UNIX time; 0 for always (not implemented by the server yet).
    pub valid_to: u64,
    /// Type, priority, target and parameters.
    pub data: RecordData,
}

/// What a record holds, by type. Records of a type this crate does not know, or of a known type
/// in a form the docs do not describe, are [`RecordData::Other`] and are kept as they came.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordData {
    /// `A`: an IPv4 address.
    A(Ipv4Addr),
    /// `AAAA`: an IPv6 address.
    Aaaa(Ipv6Addr),
    /// `DYNA`: an IPv4 address DynDNS may update.
    Dyna(Ipv4Addr),
    /// `DYNAAAA`: an IPv6 address DynDNS may update.
    Dynaaaa(Ipv6Addr),
    /// `MX`: mail exchanger with its preference (`pri`).
    Mx {
        /// Preference; lower is preferred.
        priority: u16,
        /// The mail server's host name.
        host: String,
    },
    /// `CNAME`: alias of another name.
    Cname(String),
    /// `URL`: HTTP redirection to this URL.
    Url(String),
    /// `FRAME`: frame-based redirection.
    Frame(Frame),
    /// `MAILFW`: mail forwarding of `label@zone`.
    Mailfw {
        /// The address mail is forwarded to.
        to: String,
        /// The spam-filter parameter (`1` on, `0` off); `None` when not given.
        spam_filter: Option<bool>,
    },
    /// `TXT`: text (always quoted on the wire).
    Txt(String),
    /// `NAPTR` (RFC 2915).
    Naptr(Naptr),
    /// `SRV` (RFC 2782).
    Srv(Srv),
    /// Any other record, field by field as written.
    Other(GenericRecord),
}

/// A `FRAME` record's target and parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frame {
    /// The framed URL.
    pub url: String,
    /// Extra HTTP headers, one per line (written with `\n` escapes).
    pub headers: String,
    /// Extra text for the generated page's `<head>`.
    pub head: String,
    /// The generated page's `<title>`.
    pub title: String,
    /// Text for the `<noframes>` section.
    pub body: String,
}

/// A `NAPTR` record's fields. Give a `regex` with replacement `.`, or a replacement with an
/// empty `regex`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Naptr {
    /// Order (`pri` before the slash).
    pub order: u16,
    /// Preference (`pri` after the slash).
    pub preference: u16,
    /// The replacement domain, or `.` when `regex` is given.
    pub replacement: String,
    /// Flags.
    pub flags: String,
    /// Service.
    pub service: String,
    /// Regular expression, or empty when `replacement` is given.
    pub regex: String,
}

/// An `SRV` record's fields (`pri` is `priority/weight`, the target `host:port`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Srv {
    /// Priority.
    pub priority: u16,
    /// Weight.
    pub weight: u16,
    /// Target host.
    pub host: String,
    /// Target port.
    pub port: u16,
}

/// A record kept field by field: its type as written, `pri` and target, and the parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericRecord {
    /// The type as written, e.g. `CAA`.
    pub record_type: String,
    /// The `pri` field as written.
    pub priority: String,
    /// The target field.
    pub target: Token,
    /// The record-specific parameters after `<valid-from> <valid-to>`.
    pub params: Vec<Token>,
}

/// How a zone is written ([`Zone::to_text_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ZoneStyle {
    /// The canonical form, which the server takes (`dns-zone-put`).
    #[default]
    Canonical,
    /// The form the live server answers `dns-zone-get` with: a TXT record as
    /// `label TXT 0  "value " ttl`, two spaces before the quote and one inside it, whatever
    /// was put. Every reader of this crate reads it back as the same zone.
    Served,
}

/// What [`Zone::upsert_txt`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// The record was added.
    Added,
    /// The record was there with another TTL, which was updated.
    Updated,
    /// The record was there already.
    Unchanged,
}

/// One problem with a zone: an entry that cannot be written, or a rule the zone breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneProblem {
    /// The line (from 1), or `None` for the zone as a whole.
    pub line: Option<usize>,
    /// The entry as it would be written (password hidden), or a description of it when it
    /// cannot be written.
    pub record: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ZoneProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line} (`{}`): {}", self.record, self.message),
            None => write!(f, "zone: {}", self.message),
        }
    }
}

/// Every problem found in a zone (see [`ZoneProblem`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneError {
    problems: Vec<ZoneProblem>,
}

impl ZoneError {
    /// The problems, in line order.
    pub fn problems(&self) -> &[ZoneProblem] {
        &self.problems
    }

    /// The problems, owned.
    pub fn into_problems(self) -> Vec<ZoneProblem> {
        self.problems
    }

    fn from_problems(problems: Vec<ZoneProblem>) -> Result<(), ZoneError> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ZoneError { problems })
        }
    }
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ZoneError {}

impl Zone {
    /// An empty zone.
    pub fn new() -> Self {
        Zone::default()
    }

    /// Reads zone text as the server sends it. Never fails: a line that cannot be read is kept
    /// as [`Entry::Unparsed`] (see [`unparsed`](Self::unparsed)). Lines end at `\n`; trailing
    /// `\r`s are dropped.
    pub fn parse(text: &str) -> Zone {
        Zone {
            entries: read::entries(text),
        }
    }

    /// Writes the zone in canonical form, one line per entry, each ending in `\n`.
    ///
    /// Fails, listing every offending entry, when a value cannot be written without changing
    /// the zone's structure; nothing is written then.
    pub fn to_text(&self) -> Result<String, ZoneError> {
        write::zone(self, ZoneStyle::Canonical)
    }

    /// Writes the zone in `style`: [`ZoneStyle::Served`] is how the live server answers
    /// `dns-zone-get` (what a server such as the sandbox sends, so that clients meet it).
    pub fn to_text_in(&self, style: ZoneStyle) -> Result<String, ZoneError> {
        write::zone(self, style)
    }

    /// Checks the zone against the documented rules, and that it can be written: every
    /// problem, in line order. Lines kept as [`Entry::Unparsed`] are not judged (they came from
    /// the server or the caller, and the server decides).
    pub fn validate(&self) -> Result<(), ZoneError> {
        ZoneError::from_problems(check::zone(self))
    }

    /// The entries, one per line.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries, to edit freely ([`to_text`](Self::to_text) checks them again).
    pub fn entries_mut(&mut self) -> &mut Vec<Entry> {
        &mut self.entries
    }

    /// The records, in order.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Record(r) => Some(r),
            _ => None,
        })
    }

    /// The records, to edit in place.
    pub fn records_mut(&mut self) -> impl Iterator<Item = &mut Record> {
        self.entries.iter_mut().filter_map(|e| match e {
            Entry::Record(r) => Some(r),
            _ => None,
        })
    }

    /// The directives, in order.
    pub fn directives(&self) -> impl Iterator<Item = &Directive> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Directive(d) => Some(d),
            _ => None,
        })
    }

    /// The lines kept verbatim, with their line numbers (from 1).
    pub fn unparsed(&self) -> impl Iterator<Item = (usize, &Unparsed)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Entry::Unparsed(u) => Some((i + 1, u)),
                _ => None,
            })
    }

    /// Whether the zone has nothing but blank lines (the server refuses such a zone).
    pub fn is_empty(&self) -> bool {
        self.entries.iter().all(|e| matches!(e, Entry::Blank))
    }

    /// The `$dnssec` setting, if the zone has one.
    pub fn dnssec(&self) -> Option<bool> {
        self.directives().find_map(|d| match d {
            Directive::Dnssec(on) => Some(*on),
            _ => None,
        })
    }

    /// The `$dyndns` settings, if the zone has them.
    pub fn dyndns(&self) -> Option<&Dyndns> {
        self.directives().find_map(|d| match d {
            Directive::Dyndns(d) => Some(d),
            _ => None,
        })
    }
}

impl FromStr for Zone {
    type Err = ZoneError;

    /// Strict reading: like [`Zone::parse`], but every line that cannot be read is an error
    /// with its line number.
    fn from_str(text: &str) -> Result<Zone, ZoneError> {
        let zone = Zone::parse(text);
        let problems = zone
            .unparsed()
            .map(|(line, u)| ZoneProblem {
                line: Some(line),
                record: write::describe_entry(&Entry::Unparsed(u.clone())),
                message: u.reason.clone(),
            })
            .collect();
        ZoneError::from_problems(problems).map(|()| zone)
    }
}

impl FromIterator<Entry> for Zone {
    fn from_iter<I: IntoIterator<Item = Entry>>(iter: I) -> Self {
        Zone {
            entries: iter.into_iter().collect(),
        }
    }
}

impl Extend<Record> for Zone {
    fn extend<I: IntoIterator<Item = Record>>(&mut self, iter: I) {
        self.entries.extend(iter.into_iter().map(Entry::Record));
    }
}

impl Record {
    /// A record valid at all times (`valid-from` and `valid-to` 0).
    pub fn new(label: impl Into<String>, ttl: u32, data: RecordData) -> Self {
        Record {
            label: label.into(),
            ttl,
            valid_from: 0,
            valid_to: 0,
            data,
        }
    }

    /// The type as written: `A`, `TXT`, ..., or a generic record's own.
    pub fn record_type(&self) -> &str {
        self.data.record_type()
    }

    /// Whether the record has this label (ASCII case-insensitive, as DNS names are) and type
    /// (exact, as written).
    pub fn is(&self, label: &str, record_type: &str) -> bool {
        self.label.eq_ignore_ascii_case(label) && self.record_type() == record_type
    }

    /// The target as text: the address, host, URL or text; `host:port` for SRV; the
    /// replacement for NAPTR.
    pub fn value(&self) -> Cow<'_, str> {
        match &self.data {
            RecordData::A(ip) | RecordData::Dyna(ip) => Cow::Owned(ip.to_string()),
            RecordData::Aaaa(ip) | RecordData::Dynaaaa(ip) => Cow::Owned(ip.to_string()),
            RecordData::Mx { host, .. } => Cow::Borrowed(host),
            RecordData::Cname(s) | RecordData::Url(s) | RecordData::Txt(s) => Cow::Borrowed(s),
            RecordData::Frame(f) => Cow::Borrowed(&f.url),
            RecordData::Mailfw { to, .. } => Cow::Borrowed(to),
            RecordData::Naptr(n) => Cow::Borrowed(&n.replacement),
            RecordData::Srv(s) => Cow::Owned(format!("{}:{}", s.host, s.port)),
            RecordData::Other(g) => Cow::Borrowed(&g.target.text),
        }
    }

    /// The record as one line of zone text (no line end), or why it cannot be written.
    pub fn to_line(&self) -> Result<String, String> {
        write::record(self)
    }
}

impl RecordData {
    /// The type as written.
    pub fn record_type(&self) -> &str {
        match self {
            RecordData::A(_) => "A",
            RecordData::Aaaa(_) => "AAAA",
            RecordData::Dyna(_) => "DYNA",
            RecordData::Dynaaaa(_) => "DYNAAAA",
            RecordData::Mx { .. } => "MX",
            RecordData::Cname(_) => "CNAME",
            RecordData::Url(_) => "URL",
            RecordData::Frame(_) => "FRAME",
            RecordData::Mailfw { .. } => "MAILFW",
            RecordData::Txt(_) => "TXT",
            RecordData::Naptr(_) => "NAPTR",
            RecordData::Srv(_) => "SRV",
            RecordData::Other(g) => &g.record_type,
        }
    }
}
