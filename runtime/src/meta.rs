//! Static metadata tables: what the generated code says about each request.
//!
//! Everything here is `&'static` and has public fields so that generated code can write the
//! tables as `static` items. The validator, the CLI and the sandbox read them; nothing in this
//! crate knows any particular request.
//!
//! This module depends on [`values`] only: the rules over these tables live above it, in
//! [`validate`](crate::validate) (which also defines [`RequestMeta::example_params`]) and
//! [`encode`](crate::encode).

use crate::values::{self, ValueError};
use std::borrow::Cow;

/// How a boolean flag is spelled on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlagSpelling {
    /// `1` / `0`.
    ZeroOne,
    /// `yes` / `no`.
    YesNo,
    /// `Y` / `N` (also read: `Yes` / `No`).
    YN,
    /// `1` / `0`, also read as `Y` / `Yes` / `N` / `No` (e.g. `force` on domain-delete).
    OneY,
}

impl FlagSpelling {
    /// The wire text for `value`.
    pub fn encode(self, value: bool) -> &'static str {
        match (self, value) {
            (FlagSpelling::ZeroOne, true) => "1",
            (FlagSpelling::ZeroOne, false) => "0",
            (FlagSpelling::YesNo, true) => "yes",
            (FlagSpelling::YesNo, false) => "no",
            (FlagSpelling::YN, true) => "Y",
            (FlagSpelling::YN, false) => "N",
            (FlagSpelling::OneY, true) => "1",
            (FlagSpelling::OneY, false) => "0",
        }
    }

    /// Reads a flag. Accepted spellings (case-insensitive): `ZeroOne`: `1`/`0`; `YesNo`:
    /// `yes`/`no`; `YN`: `Y`/`Yes`/`N`/`No`; `OneY`: both of the
    /// `ZeroOne` and `YN` sets.
    pub fn decode(self, raw: &str) -> Option<bool> {
        let is = |word: &str| raw.eq_ignore_ascii_case(word);
        match self {
            FlagSpelling::ZeroOne if raw == "1" => Some(true),
            FlagSpelling::ZeroOne if raw == "0" => Some(false),
            FlagSpelling::YesNo if is("yes") => Some(true),
            FlagSpelling::YesNo if is("no") => Some(false),
            FlagSpelling::YN if is("y") || is("yes") => Some(true),
            FlagSpelling::YN if is("n") || is("no") => Some(false),
            FlagSpelling::OneY if raw == "1" || is("y") || is("yes") => Some(true),
            FlagSpelling::OneY if raw == "0" || is("n") || is("no") => Some(false),
            _ => None,
        }
    }

    /// What [`decode`](Self::decode) accepts, for messages.
    fn expected(self) -> &'static str {
        match self {
            FlagSpelling::ZeroOne => "1 or 0",
            FlagSpelling::YesNo => "yes or no",
            FlagSpelling::YN => "Y, Yes, N or No",
            FlagSpelling::OneY => "1, Y, Yes, 0, N or No",
        }
    }
}

/// The type of a parameter or column value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// Single-line text (no control characters).
    String,
    /// Free text, newlines allowed.
    Text,
    /// A password, key or code: single-line, never shown.
    Secret,
    /// A [`DomainName`](crate::DomainName).
    Domain,
    /// A contact [`Handle`](crate::Handle).
    Handle,
    /// An [`Email`](crate::Email) address.
    Email,
    /// A glob [`Pattern`](crate::Pattern).
    Pattern,
    /// A [`CountryCode`](crate::CountryCode).
    Country,
    /// A [`LanguageCode`](crate::LanguageCode).
    Language,
    /// A [`Date`](crate::Date), `YYYY-MM-DD`.
    Date,
    /// A period in [`Months`](crate::Months).
    Months,
    /// A calendar [`Year`](crate::Year).
    Year,
    /// A [`Price`](crate::Price).
    Price,
    /// An IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
    /// A decimal integer within optional bounds (inclusive).
    Int {
        /// Smallest value allowed.
        min: Option<i64>,
        /// Largest value allowed.
        max: Option<i64>,
    },
    /// One of a fixed set of values, matched exactly.
    Enum(&'static [&'static str]),
    /// A boolean with the given spelling.
    Flag(FlagSpelling),
    /// Items of one type joined by a delimiter.
    List {
        /// The items' type.
        item: &'static ValueType,
        /// What separates the items.
        delimiter: char,
    },
    /// A whole zone file (any text).
    Zone,
}

impl ValueType {
    /// Checks raw wire text against the type.
    ///
    /// `String` and `Secret`: no control characters (not even tab or newline); `Text` and
    /// `Zone`: any text here ([`validate`](crate::validate::validate) checks it with
    /// [`Zone::validate`](crate::zone::Zone::validate)); `Enum`: exactly one of the values; `Flag`: one of
    /// the spellings [`FlagSpelling::decode`] accepts; `List`: split on the delimiter, each item
    /// non-empty and valid; `Int`: a decimal `i64` within the bounds; the others: the rules of
    /// the matching type in [`values`].
    ///
    /// The error quotes the value, except for [`ValueType::Secret`].
    pub fn check(&self, raw: &str) -> Result<(), ValueError> {
        self.check_bare(raw).map_err(|e| match self {
            ValueType::Secret => e,
            _ => e.with_value(raw),
        })
    }

    /// [`check`](Self::check) without the value in the error.
    pub(crate) fn check_bare(&self, raw: &str) -> Result<(), ValueError> {
        match *self {
            ValueType::String => values::rule_no_controls(values::STRING, raw),
            ValueType::Text | ValueType::Zone => Ok(()),
            ValueType::Secret => values::rule_no_controls(values::SECRET, raw),
            ValueType::Domain => values::rule_domain(raw),
            ValueType::Handle => values::rule_handle(raw),
            ValueType::Email => values::rule_email(raw),
            ValueType::Pattern => values::rule_pattern(raw),
            ValueType::Country => values::rule_country(raw),
            ValueType::Language => values::rule_language(raw),
            ValueType::Date => values::Date::parse_bare(raw).map(drop),
            ValueType::Months => values::Months::parse_bare(raw).map(drop),
            ValueType::Year => values::Year::parse_bare(raw).map(drop),
            ValueType::Price => values::normalise_price(raw).map(drop),
            ValueType::Ipv4 => values::parse_ipv4(raw).map(drop),
            ValueType::Ipv6 => values::parse_ipv6(raw).map(drop),
            ValueType::Int { min, max } => {
                let n: i64 = values::parse_int(values::INTEGER, raw)?;
                if let Some(min) = min.filter(|&min| n < min) {
                    return Err(ValueError::new(
                        values::INTEGER,
                        format!("must be at least {min}"),
                    ));
                }
                if let Some(max) = max.filter(|&max| n > max) {
                    return Err(ValueError::new(
                        values::INTEGER,
                        format!("must be at most {max}"),
                    ));
                }
                Ok(())
            }
            ValueType::Enum(choices) => {
                if choices.contains(&raw) {
                    Ok(())
                } else {
                    Err(ValueError::new(
                        "choice",
                        format!("expected one of {}", choices.join("|")),
                    ))
                }
            }
            ValueType::Flag(spelling) => match spelling.decode(raw) {
                Some(_) => Ok(()),
                None => Err(ValueError::new(
                    "flag",
                    format!("expected {}", spelling.expected()),
                )),
            },
            ValueType::List { item, delimiter } => {
                for (i, part) in raw.split(delimiter).enumerate() {
                    let n = i + 1;
                    if part.is_empty() {
                        return Err(ValueError::new(
                            item.kind(),
                            format!("item {n} of the `{delimiter}`-separated list is empty"),
                        ));
                    }
                    item.check_bare(part)
                        .map_err(|e| ValueError::new(e.kind, format!("item {n}: {}", e.reason)))?;
                }
                Ok(())
            }
        }
    }

    /// The short name errors use for this type.
    fn kind(&self) -> &'static str {
        match self {
            ValueType::String => values::STRING,
            ValueType::Text => values::TEXT,
            ValueType::Secret => values::SECRET,
            ValueType::Domain => values::DOMAIN,
            ValueType::Handle => values::HANDLE,
            ValueType::Email => values::EMAIL,
            ValueType::Pattern => values::PATTERN,
            ValueType::Country => values::COUNTRY,
            ValueType::Language => values::LANGUAGE,
            ValueType::Date => values::DATE,
            ValueType::Months => values::MONTHS,
            ValueType::Year => values::YEAR,
            ValueType::Price => values::PRICE,
            ValueType::Ipv4 => values::IPV4,
            ValueType::Ipv6 => values::IPV6,
            ValueType::Int { .. } => values::INTEGER,
            ValueType::Enum(_) => "choice",
            ValueType::Flag(_) => "flag",
            ValueType::List { .. } => "list",
            ValueType::Zone => "zone",
        }
    }

    /// Short human name for messages and CLI help, e.g. `domain name`, `months`,
    /// `one of basic|pro|none`, `list of domain name separated by ':'`.
    pub fn describe(&self) -> String {
        match *self {
            ValueType::Date => "date (YYYY-MM-DD)".to_owned(),
            ValueType::Int { min, max } => match (min, max) {
                (Some(min), Some(max)) => format!("integer from {min} to {max}"),
                (Some(min), None) => format!("integer of at least {min}"),
                (None, Some(max)) => format!("integer of at most {max}"),
                (None, None) => values::INTEGER.to_owned(),
            },
            ValueType::Enum(choices) => format!("one of {}", choices.join("|")),
            ValueType::Flag(spelling) => format!(
                "flag ({}|{})",
                spelling.encode(true),
                spelling.encode(false)
            ),
            ValueType::List { item, delimiter } => {
                format!("list of {} separated by '{delimiter}'", item.describe())
            }
            ValueType::Zone => "zone text".to_owned(),
            _ => self.kind().to_owned(),
        }
    }

    /// A sample value that passes [`check`](Self::check): for tools that fill in parameters
    /// from metadata (the CLI's and the sandbox's examples, tests that send every request).
    pub fn example(&self) -> Cow<'static, str> {
        let s = match *self {
            ValueType::String | ValueType::Text => "text",
            ValueType::Secret => "s3cret",
            ValueType::Domain => "example.com",
            ValueType::Handle => "COCO-4711",
            ValueType::Email => "john@example.com",
            ValueType::Pattern => "example*",
            ValueType::Country => "DE",
            ValueType::Language => "en",
            ValueType::Date => "2030-01-31",
            ValueType::Months => "12",
            ValueType::Year => "2030",
            ValueType::Price => "25.00",
            ValueType::Ipv4 => "192.0.2.1",
            ValueType::Ipv6 => "2001:db8::1",
            ValueType::Zone => "$dnssec=no\nwww A 0 192.0.2.1 86400\n",
            ValueType::Int { min, max } => {
                // 1 if allowed, else the nearest bound.
                let (lo, hi) = (min.unwrap_or(i64::MIN), max.unwrap_or(i64::MAX));
                let n = if lo > hi { lo } else { 1.clamp(lo, hi) };
                return Cow::Owned(n.to_string());
            }
            ValueType::Enum(values) => values.first().copied().unwrap_or_default(),
            ValueType::Flag(spelling) => spelling.encode(true),
            ValueType::List { item, .. } => return item.example(),
        };
        Cow::Borrowed(s)
    }
}

/// A condition under which a parameter is required.
///
/// It holds when (`tlds` is empty OR the request's TLD is one of `tlds`, compared
/// case-insensitively without a leading dot) AND for every `(param, values)`: the parameter is
/// present with one of `values` (compared ASCII case-insensitively).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Condition {
    /// TLDs the condition applies to (`"us"` or `".us"`); empty means any.
    pub tlds: &'static [&'static str],
    /// Parameters that must be present with one of the listed values.
    pub params: &'static [(&'static str, &'static [&'static str])],
}

impl Condition {
    /// Whether the condition holds for a request whose TLD is `tld` and whose parameter values
    /// `value_of(name)` returns.
    pub fn holds<'v>(
        &self,
        tld: Option<&str>,
        mut value_of: impl FnMut(&str) -> Option<&'v str>,
    ) -> bool {
        let tld_ok = self.tlds.is_empty()
            || tld.is_some_and(|tld| {
                let tld = tld.trim_start_matches('.');
                self.tlds
                    .iter()
                    .any(|t| t.trim_start_matches('.').eq_ignore_ascii_case(tld))
            });
        tld_ok
            && self.params.iter().all(|(param, values)| {
                value_of(param)
                    .is_some_and(|v| values.iter().any(|want| want.eq_ignore_ascii_case(v)))
            })
    }

    /// The condition in words, e.g. "when the TLD is `us`" or "when `x` is `1`".
    pub fn describe(&self) -> String {
        let mut parts = Vec::with_capacity(1 + self.params.len());
        if !self.tlds.is_empty() {
            parts.push(format!(
                "the TLD is {}",
                or_list(self.tlds.iter().map(|t| t.trim_start_matches('.')))
            ));
        }
        for (param, values) in self.params {
            parts.push(format!("`{param}` is {}", or_list(values.iter().copied())));
        }
        if parts.is_empty() {
            "always".to_owned()
        } else {
            format!("when {}", parts.join(" and "))
        }
    }
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn or_list<'s>(items: impl Iterator<Item = &'s str>) -> String {
    let items: Vec<String> = items.map(|i| format!("`{i}`")).collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// One request parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamMeta {
    /// Wire name; for indexed parameters the base (`ds` for `ds-1` ..= `ds-6`).
    pub name: &'static str,
    /// What the parameter means.
    pub doc: &'static str,
    /// Its value type.
    pub ty: ValueType,
    /// Whether every request must carry it.
    pub required: bool,
    /// Whether its value must never be shown (passwords, keys).
    pub secret: bool,
    /// Whether an empty value is meaningful (e.g. "clear the property").
    pub allow_empty: bool,
    /// Why it is deprecated and what to use instead, if it is.
    pub deprecated: Option<&'static str>,
    /// `Some(n)`: the wire names are `name-1` ..= `name-n`.
    pub indexed: Option<u8>,
    /// Required if ANY of these conditions holds.
    pub required_when: &'static [Condition],
    /// The value the server assumes when the parameter is absent.
    pub default: Option<&'static str>,
    /// A valid sample value given by the spec (`example`), if any.
    pub example: Option<&'static str>,
}

impl ParamMeta {
    /// A valid sample value: the spec's [`example`](Self::example), else
    /// [`ValueType::example`].
    pub fn example_value(&self) -> Cow<'static, str> {
        match self.example {
            Some(e) => Cow::Borrowed(e),
            None => self.ty.example(),
        }
    }
}

/// How the alternatives of a [`GroupMeta`] combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    /// Exactly one alternative must be given.
    ExactlyOne,
    /// At most one alternative may be given.
    AtMostOne,
}

/// Parameters that exclude each other.
///
/// Each alternative is a set of parameter names that go together (e.g. `[["name"], ["fname",
/// "lname"]]`); an alternative is "chosen" when any of its parameters is present, and then ALL of
/// its parameters must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupMeta {
    /// The group's name (for messages and generated type names).
    pub name: &'static str,
    /// How many alternatives may or must be chosen.
    pub kind: GroupKind,
    /// The alternatives, each a set of parameter names.
    pub alternatives: &'static [&'static [&'static str]],
    /// What the group means.
    pub doc: &'static str,
}

/// Whether the server answers at once or queues the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// Answered at once.
    Sync,
    /// Queued: answers a `Proc-ID`; the outcome comes later through the result requests.
    Async,
}

/// The shape of a response payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyKind {
    /// No payload.
    None,
    /// One item per line.
    Lines,
    /// `key: value` lines.
    KeyValue,
    /// Rows of columns.
    Table,
    /// A zone file.
    Zone,
    /// Result rows of queued requests.
    Results,
    /// Free text.
    Text,
}

/// One column of a tabular payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnMeta {
    /// Column name as in the `Columns` header.
    pub name: &'static str,
    /// What the column holds.
    pub doc: &'static str,
    /// Its value type.
    pub ty: ValueType,
    /// The cell value that means "absent" (e.g. `-`), if the column has one.
    pub none: Option<&'static str>,
}

/// Columns appended when parameter `flag` is set to a true value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtraColumns {
    /// The flag parameter.
    pub flag: &'static str,
    /// The columns it adds, in order.
    pub columns: &'static [ColumnMeta],
}

/// A response header a request is documented to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderMeta {
    /// Header name.
    pub name: &'static str,
    /// What it carries.
    pub doc: &'static str,
    /// Whether a successful response always carries it.
    pub required: bool,
}

/// How columns are separated in a tabular payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Separator {
    /// Runs of spaces and tabs.
    Whitespace,
    /// A single tab per column boundary (empty cells possible).
    Tab,
}

/// What a successful response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnsMeta {
    /// The payload's shape.
    pub body: BodyKind,
    /// What the response means.
    pub doc: &'static str,
    /// Headers the response carries besides the common ones.
    pub headers: &'static [HeaderMeta],
    /// Default columns of a tabular payload.
    pub columns: &'static [ColumnMeta],
    /// Columns added by flag parameters.
    pub extra_columns: &'static [ExtraColumns],
    /// Default separator when the response has no `Separator` header.
    pub separator: Separator,
}

/// Everything known about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestMeta {
    /// Wire name.
    pub name: &'static str,
    /// Documentation section.
    pub section: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Full documentation.
    pub docs: &'static str,
    /// Sync or queued.
    pub kind: RequestKind,
    /// Whether it can cost money.
    pub costs: bool,
    /// Whether it changes state on the server; `false` for queries, which are safe to repeat
    /// and allowed with `@read-only` access. Requests that cost money always change state.
    pub changes: bool,
    /// Whether it needs a session (`auth-sid`).
    pub auth: bool,
    /// The parameter that carries the session id, when the request needs a session and the
    /// spec declares how sessions work (its `[session]` table).
    pub session_param: Option<&'static str>,
    /// Why it is deprecated and what to use instead, if it is.
    pub deprecated: Option<&'static str>,
    /// The request this one is another name for.
    pub alias_of: Option<&'static str>,
    /// The extension (product area) the request belongs to, if any.
    pub extension: Option<&'static str>,
    /// Parameter whose value (or, for a domain-typed parameter, the last label of it) is the
    /// request's TLD.
    pub tld_from: Option<&'static str>,
    /// Parameters in spec order.
    pub params: &'static [ParamMeta],
    /// Exclusive groups.
    pub groups: &'static [GroupMeta],
    /// The response.
    pub returns: ReturnsMeta,
}

/// Where a wire name points in [`RequestMeta::params`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// `params[slot]`, and the index for an indexed parameter.
    Found { slot: usize, index: Option<u8> },
    /// An indexed parameter's name with an index outside `1..=max`.
    OutOfRange { slot: usize, max: u8 },
    /// No such parameter.
    NotFound,
}

impl RequestMeta {
    /// The parameter a wire name refers to: case-insensitive; resolves indexed names like `ds-3`
    /// to the `ds` entry (index within `1..=max`, else `None`).
    pub fn param(&self, wire_name: &str) -> Option<&'static ParamMeta> {
        match self.lookup(wire_name) {
            Lookup::Found { slot, .. } => self.params.get(slot),
            Lookup::OutOfRange { .. } | Lookup::NotFound => None,
        }
    }

    pub(crate) fn lookup(&self, wire_name: &str) -> Lookup {
        let params = self.params;
        if let Some(slot) = params
            .iter()
            .position(|p| p.indexed.is_none() && p.name.eq_ignore_ascii_case(wire_name))
        {
            return Lookup::Found { slot, index: None };
        }
        let Some((base, number)) = wire_name.rsplit_once('-') else {
            return Lookup::NotFound;
        };
        // Only canonical numbers: digits, no leading zero (except the out-of-range `0`).
        let canonical = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && (number == "0" || !number.starts_with('0'));
        if !canonical {
            return Lookup::NotFound;
        }
        for (slot, p) in params.iter().enumerate() {
            if let Some(max) = p.indexed
                && p.name.eq_ignore_ascii_case(base)
            {
                return match number.parse::<u8>() {
                    Ok(index) if (1..=max).contains(&index) => Lookup::Found {
                        slot,
                        index: Some(index),
                    },
                    _ => Lookup::OutOfRange { slot, max },
                };
            }
        }
        Lookup::NotFound
    }
}

/// How a client opens, carries and uses a DMAPI session: the spec's `[session]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionMeta {
    /// Production endpoint URL.
    pub production: &'static str,
    /// Test (OT&E) endpoint URL.
    pub ote: &'static str,
    /// Path prefix of requests; the request name follows.
    pub path: &'static str,
    /// The parameter carrying the session id.
    pub param: &'static str,
    /// The request that opens a session.
    pub login: &'static RequestMeta,
    /// Its username parameter.
    pub username: &'static str,
    /// Its password parameter.
    pub password: &'static str,
    /// Its API key parameter.
    pub api_key: &'static str,
    /// The request that closes a session.
    pub logout: &'static RequestMeta,
    /// The login response header with the session id.
    pub sid_header: &'static str,
    /// The login response header with the inactivity timeout in seconds.
    pub timeout_header: &'static str,
    /// The login response header with the access level.
    pub access_header: &'static str,
    /// The cookie the server sets at login; it stands in for the session parameter, which wins
    /// when both are present.
    pub cookie: &'static str,
    /// The access level (in [`access_header`](Self::access_header)) of unrestricted sessions.
    pub access_full: &'static str,
    /// The access level of sessions refused every request that [`changes`](RequestMeta::changes)
    /// anything.
    pub access_read_only: &'static str,
    /// The access level of sessions refused every request that [`costs`](RequestMeta::costs)
    /// money.
    pub access_modify_only: &'static str,
    /// The request that fetches the outcome of a queued request.
    pub result: &'static RequestMeta,
    /// Its parameter naming the queued request by Proc-ID.
    pub result_id: &'static str,
    /// The request that lists the outcomes of queued requests.
    pub results: &'static RequestMeta,
    /// Its filter by request name.
    pub results_type: &'static str,
    /// Its filter by object (domain, contact, host).
    pub results_object: &'static str,
    /// Its flag (a [`ValueType::Flag`] parameter) that includes requests still running.
    pub results_pending: &'static str,
    /// The result key with the completion status.
    pub status_key: &'static str,
    /// The completion status of success.
    pub ack: &'static str,
    /// The completion status of failure.
    pub nack: &'static str,
}
