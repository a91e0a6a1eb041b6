//! The value types of the spec language: each built-in type's spec name, Rust type, wire rule,
//! description and example, stated once.

use std::borrow::Cow;
use std::ops::Deref;

use super::{Seq, Text};
use crate::values::{self, ValueError};

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
    /// Every spelling with its name in the spec language (`spelling = "..."`).
    pub const NAMES: &'static [(&'static str, FlagSpelling)] = &[
        ("0/1", FlagSpelling::ZeroOne),
        ("yes/no", FlagSpelling::YesNo),
        ("Y/N", FlagSpelling::YN),
        ("1/Y", FlagSpelling::OneY),
    ];

    /// The wire text for `value`.
    pub fn encode(self, value: bool) -> &'static str {
        match (self, value) {
            (FlagSpelling::ZeroOne | FlagSpelling::OneY, true) => "1",
            (FlagSpelling::ZeroOne | FlagSpelling::OneY, false) => "0",
            (FlagSpelling::YesNo, true) => "yes",
            (FlagSpelling::YesNo, false) => "no",
            (FlagSpelling::YN, true) => "Y",
            (FlagSpelling::YN, false) => "N",
        }
    }

    /// Reads a flag. Accepted spellings (case-insensitive): `ZeroOne`: `1`/`0`; `YesNo`:
    /// `yes`/`no`; `YN`: `Y`/`Yes`/`N`/`No`; `OneY`: both of the `ZeroOne` and `YN` sets.
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
    pub fn expected(self) -> &'static str {
        match self {
            FlagSpelling::ZeroOne => "1 or 0",
            FlagSpelling::YesNo => "yes or no",
            FlagSpelling::YN => "Y, Yes, N or No",
            FlagSpelling::OneY => "1, Y, Yes, 0, N or No",
        }
    }
}

/// The type of a parameter, column, key or header value.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// A whole zone file (any text; [`Zone`](crate::Zone) checks it).
    Zone,
    /// A decimal integer within optional bounds (inclusive).
    Int {
        /// Smallest value allowed.
        min: Option<i64>,
        /// Largest value allowed.
        max: Option<i64>,
    },
    /// One of a fixed set of values, matched exactly.
    Enum {
        /// The spec's named type it comes from (`[type.<name>]`), or `None` for an inline one.
        name: Option<Text>,
        /// The wire values.
        values: Seq<Text>,
    },
    /// A boolean with the given spelling.
    Flag(FlagSpelling),
    /// Items of one type joined by a delimiter.
    List {
        /// The items' type (never a list).
        item: ItemType,
        /// What separates the items.
        delimiter: char,
    },
}

/// The item type of a [`ValueType::List`]: borrowed in a static table, owned when a spec is
/// read at build time.
#[derive(Clone)]
pub enum ItemType {
    /// In a static table.
    Static(&'static ValueType),
    /// Built by a loader.
    Owned(Box<ValueType>),
}

impl Deref for ItemType {
    type Target = ValueType;

    fn deref(&self) -> &ValueType {
        match self {
            ItemType::Static(t) => t,
            ItemType::Owned(t) => t,
        }
    }
}

impl PartialEq for ItemType {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for ItemType {}

impl std::fmt::Debug for ItemType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// What the spec language says about a built-in type that takes no settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// Its name in the spec (`type = "..."`).
    pub name: &'static str,
    /// The Rust type generated code uses, as a path: in the runtime crate unless it starts
    /// with `::` or is a primitive or `String`.
    pub rust: &'static str,
    /// The short name errors use.
    pub kind: &'static str,
    /// How documentation and help describe it.
    pub describe: &'static str,
    /// A valid sample value.
    pub example: &'static str,
}

macro_rules! builtins {
    ($($variant:ident: $name:literal, $rust:literal, $kind:expr, $describe:literal, $example:literal;)*) => {
        /// The names of every built-in type of the spec language: those without settings, then
        /// `int`, `enum`, `flag` and `list`.
        pub const BUILTIN_TYPES: &[&str] = &[$($name,)* "int", "enum", "flag", "list"];

        impl ValueType {
            /// Every built-in type that takes no settings.
            pub const SIMPLE: &'static [ValueType] = &[$(ValueType::$variant),*];

            /// The facts of a built-in type without settings; `None` for `int`, `enum`,
            /// `flag` and `list`.
            pub fn builtin(&self) -> Option<Builtin> {
                match self {
                    $(ValueType::$variant => Some(Builtin {
                        name: $name,
                        rust: $rust,
                        kind: $kind,
                        describe: $describe,
                        example: $example,
                    }),)*
                    _ => None,
                }
            }
        }
    };
}

builtins! {
    String: "string", "String", values::STRING, "string", "text";
    Text: "text", "String", values::TEXT, "text", "text";
    Secret: "secret", "Secret", values::SECRET, "secret", "s3cret";
    Domain: "domain", "DomainName", values::DOMAIN, "domain name", "example.com";
    Handle: "handle", "Handle", values::HANDLE, "contact handle", "COCO-4711";
    Email: "email", "Email", values::EMAIL, "e-mail address", "john@example.com";
    Pattern: "pattern", "Pattern", values::PATTERN, "pattern", "example*";
    Country: "country", "CountryCode", values::COUNTRY, "country code", "DE";
    Language: "language", "LanguageCode", values::LANGUAGE, "language code", "en";
    Date: "date", "Date", values::DATE, "date (YYYY-MM-DD)", "2030-01-31";
    Months: "months", "Months", values::MONTHS, "months", "12";
    Year: "year", "Year", values::YEAR, "year", "2030";
    Price: "price", "Price", values::PRICE, "price", "25.00";
    Ipv4: "ipv4", "::std::net::Ipv4Addr", values::IPV4, "IPv4 address", "192.0.2.1";
    Ipv6: "ipv6", "::std::net::Ipv6Addr", values::IPV6, "IPv6 address", "2001:db8::1";
    Zone: "zone", "Zone", "zone", "zone text", "$dnssec=no\nwww A 0 192.0.2.1 86400\n";
}

impl ValueType {
    /// The built-in type without settings named `name` in the spec language.
    pub fn simple(name: &str) -> Option<ValueType> {
        Self::SIMPLE
            .iter()
            .find(|t| t.builtin().is_some_and(|b| b.name == name))
            .cloned()
    }

    /// Checks raw wire text against the type.
    ///
    /// `String` and `Secret`: no control characters (not even tab or newline); `Text` and
    /// `Zone`: any text here ([`validate`](crate::validate::validate) checks a zone with
    /// [`Zone::validate`](crate::zone::Zone::validate)); `Enum`: exactly one of the values;
    /// `Flag`: one of the spellings [`FlagSpelling::decode`] accepts; `List`: split on the
    /// delimiter, each item non-empty and valid; `Int`: a decimal `i64` within the bounds; the
    /// others: the rules of the matching type in [`values`].
    ///
    /// The error quotes the value, except for [`ValueType::Secret`].
    #[inline(always)]
    pub fn check(&self, raw: &str) -> Result<(), ValueError> {
        // The checks on every row of a long list take a fast path that only says yes, inlined
        // where the type is a constant (a generated parser); the full check words the error.
        let fast = match self {
            ValueType::Domain => values::domain_ok(raw.as_bytes()),
            ValueType::List { item, delimiter } => words_ok(item, *delimiter, raw),
            _ => false,
        };
        if fast { Ok(()) } else { self.check_slow(raw) }
    }

    fn check_slow(&self, raw: &str) -> Result<(), ValueError> {
        self.check_bare(raw).map_err(|e| match self {
            ValueType::Secret => e,
            _ => e.with_value(raw),
        })
    }

    /// [`check`](Self::check) without the value in the error.
    pub(crate) fn check_bare(&self, raw: &str) -> Result<(), ValueError> {
        match self {
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
                    let reason = format!("must be at least {min}");
                    return Err(ValueError::new(values::INTEGER, reason));
                }
                if let Some(max) = max.filter(|&max| n > max) {
                    let reason = format!("must be at most {max}");
                    return Err(ValueError::new(values::INTEGER, reason));
                }
                Ok(())
            }
            ValueType::Enum { values, .. } => {
                if values.iter().any(|v| v == raw) {
                    Ok(())
                } else {
                    let reason = format!("expected one of {}", values.join("|"));
                    Err(ValueError::new("choice", reason))
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
                for (i, part) in raw.split(*delimiter).enumerate() {
                    let n = i + 1;
                    if part.is_empty() {
                        let reason =
                            format!("item {n} of the `{delimiter}`-separated list is empty");
                        return Err(ValueError::new(item.kind(), reason));
                    }
                    item.check_bare(part)
                        .map_err(|e| ValueError::new(e.kind, format!("item {n}: {}", e.reason)))?;
                }
                Ok(())
            }
        }
    }

    /// The short name errors use for this type.
    pub fn kind(&self) -> &'static str {
        match self {
            ValueType::Int { .. } => values::INTEGER,
            ValueType::Enum { .. } => "choice",
            ValueType::Flag(_) => "flag",
            ValueType::List { .. } => "list",
            simple => simple.builtin().map_or("value", |b| b.kind),
        }
    }

    /// Short human name for messages, help and documentation, e.g. `domain name`,
    /// `one of basic|pro|none`, `list of domain name separated by ':'`.
    pub fn describe(&self) -> String {
        match self {
            ValueType::Int { min, max } => match (min, max) {
                (Some(min), Some(max)) => format!("integer from {min} to {max}"),
                (Some(min), None) => format!("integer of at least {min}"),
                (None, Some(max)) => format!("integer of at most {max}"),
                (None, None) => values::INTEGER.to_owned(),
            },
            ValueType::Enum { values, .. } => format!("one of {}", values.join("|")),
            ValueType::Flag(spelling) => format!(
                "flag ({}|{})",
                spelling.encode(true),
                spelling.encode(false)
            ),
            ValueType::List { item, delimiter } => {
                format!("list of {} separated by '{delimiter}'", item.describe())
            }
            simple => simple
                .builtin()
                .map_or_else(String::new, |b| b.describe.to_owned()),
        }
    }

    /// A sample value that passes [`check`](Self::check): for tools that fill in parameters
    /// from metadata (the CLI's and the sandbox's examples, tests that send every request,
    /// generated docs).
    pub fn example(&self) -> Cow<'static, str> {
        match self {
            ValueType::Int { min, max } => {
                // 1 if allowed, else the nearest bound.
                let (lo, hi) = (min.unwrap_or(i64::MIN), max.unwrap_or(i64::MAX));
                let n = if lo > hi { lo } else { 1.clamp(lo, hi) };
                Cow::Owned(n.to_string())
            }
            ValueType::Enum { values, .. } => values.first().cloned().unwrap_or_default(),
            ValueType::Flag(spelling) => Cow::Borrowed(spelling.encode(true)),
            ValueType::List { item, .. } => item.example(),
            simple => Cow::Borrowed(simple.builtin().map_or("", |b| b.example)),
        }
    }
}

/// Whether `raw` is a list of known words (an enum's values) separated by an ASCII
/// `delimiter`, as status flags are: one pass, no allocation. `false` also for any other list.
#[inline]
fn words_ok(item: &ItemType, delimiter: char, raw: &str) -> bool {
    let (ValueType::Enum { values, .. }, Ok(d)) = (&**item, u8::try_from(delimiter)) else {
        return false;
    };
    raw.as_bytes()
        .split(|&b| b == d)
        .all(|part| values.iter().any(|v| v.as_bytes() == part))
}
