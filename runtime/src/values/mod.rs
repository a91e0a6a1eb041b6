//! Typed DMAPI values: validated newtypes and their wire codecs.
//!
//! Each rule (what makes a domain name, a handle, a date, ...) is written once, here. The
//! newtype constructors and [`ValueType::check`](crate::meta::ValueType::check) both call it, so
//! a value accepted by one is accepted by the other.
//!
//! Errors raised by the constructors quote the offending value; the same rule reached through
//! [`validate`](crate::validate::validate) leaves the value out of the error and shows it (or
//! `***` for a secret) next to it instead.

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::num::IntErrorKind;
use std::str::FromStr;

use compact_str::CompactString;

/// Error for a value that does not meet its type's rules.
///
/// `kind` names the type ("domain name", "date", ...); `reason` says what is wrong. Errors from
/// the newtype constructors start the reason with the offending value, quoted:
///
/// ```
/// use dmapi_runtime::DomainName;
///
/// let err = DomainName::new("a..b").unwrap_err();
/// assert_eq!(err.to_string(), "invalid domain name: `a..b`: empty label");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind}: {reason}")]
pub struct ValueError {
    /// What kind of value was expected, e.g. `"domain name"`.
    pub kind: &'static str,
    /// Why the value was rejected.
    pub reason: String,
}

impl ValueError {
    /// An error for a value of `kind`, rejected because of `reason`.
    pub fn new(kind: &'static str, reason: impl Into<String>) -> Self {
        ValueError {
            kind,
            reason: reason.into(),
        }
    }

    /// Prefixes the reason with `value`, quoted, escaped and shortened for display.
    ///
    /// Never call this with a secret value.
    pub fn with_value(mut self, value: &str) -> Self {
        self.reason = format!("`{}`: {}", shown(value), self.reason);
        self
    }
}

/// Longest part of a value that messages quote.
const SHOWN_CHARS: usize = 64;

/// `value` made safe to put in a one-line message: control characters escaped, long values cut.
pub(crate) fn shown(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(SHOWN_CHARS + 8));
    for (i, c) in value.chars().enumerate() {
        if i == SHOWN_CHARS {
            out.push('…');
            break;
        }
        out.extend(c.escape_debug());
    }
    out
}

/// Encode a typed value into its DMAPI wire text.
pub trait ToWire {
    /// The value as the server expects it in a form parameter.
    fn to_wire(&self) -> Cow<'_, str>;
}

/// Decode a typed value from DMAPI wire text (used by response parsers).
pub trait FromWire: Sized {
    /// Parses wire text; the error quotes the text.
    fn from_wire(s: &str) -> Result<Self, ValueError>;
}

impl<T: ToWire + ?Sized> ToWire for &T {
    fn to_wire(&self) -> Cow<'_, str> {
        (**self).to_wire()
    }
}

impl ToWire for str {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ToWire for String {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl FromWire for String {
    fn from_wire(s: &str) -> Result<Self, ValueError> {
        Ok(s.to_owned())
    }
}

// ---------------------------------------------------------------------------------------------
// Kinds: the names used in errors and in `ValueType::describe`.

pub(crate) const STRING: &str = "string";
pub(crate) const TEXT: &str = "text";
pub(crate) const SECRET: &str = "secret";
pub(crate) const DOMAIN: &str = "domain name";
pub(crate) const HANDLE: &str = "contact handle";
pub(crate) const EMAIL: &str = "e-mail address";
pub(crate) const PATTERN: &str = "pattern";
pub(crate) const COUNTRY: &str = "country code";
pub(crate) const LANGUAGE: &str = "language code";
pub(crate) const DATE: &str = "date";
pub(crate) const MONTHS: &str = "months";
pub(crate) const YEAR: &str = "year";
pub(crate) const PRICE: &str = "price";
pub(crate) const IPV4: &str = "IPv4 address";
pub(crate) const IPV6: &str = "IPv6 address";
pub(crate) const INTEGER: &str = "integer";

macro_rules! int_wire {
    ($($t:ty),*) => {$(
        impl ToWire for $t {
            fn to_wire(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
        impl FromWire for $t {
            fn from_wire(s: &str) -> Result<Self, ValueError> {
                parse_int(INTEGER, s).map_err(|e| e.with_value(s))
            }
        }
    )*};
}
int_wire!(i64, u32, u64);

impl ToWire for Ipv4Addr {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl FromWire for Ipv4Addr {
    fn from_wire(s: &str) -> Result<Self, ValueError> {
        parse_ipv4(s).map_err(|e| e.with_value(s))
    }
}

impl ToWire for Ipv6Addr {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl FromWire for Ipv6Addr {
    fn from_wire(s: &str) -> Result<Self, ValueError> {
        parse_ipv6(s).map_err(|e| e.with_value(s))
    }
}

// ---------------------------------------------------------------------------------------------
// Text newtypes.

/// The conversions every text-backed newtype has, given `Self::new(&str)` and `as_str()`.
macro_rules! text_conversions {
    ($ty:ident) => {
        impl FromStr for $ty {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, ValueError> {
                Self::new(s)
            }
        }
        impl TryFrom<&str> for $ty {
            type Error = ValueError;
            fn try_from(s: &str) -> Result<Self, ValueError> {
                Self::new(s)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = ValueError;
            fn try_from(s: String) -> Result<Self, ValueError> {
                Self::new(s)
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ToWire for $ty {
            fn to_wire(&self) -> Cow<'_, str> {
                Cow::Borrowed(self.as_str())
            }
        }
        impl FromWire for $ty {
            fn from_wire(s: &str) -> Result<Self, ValueError> {
                Self::new(s)
            }
        }
        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.0.into()
            }
        }
    };
}

/// A newtype over `String` checked by `$rule` and then normalised by `$normalise`.
macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident, $rule:path, $normalise:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(CompactString);

        impl $name {
            /// Checks `s` against the type's rules and wraps it (normalised).
            pub fn new(s: impl AsRef<str>) -> Result<Self, ValueError> {
                let s = s.as_ref();
                $rule(s).map_err(|e| e.with_value(s))?;
                let normalise: fn(&mut str) = $normalise;
                // Up to 24 bytes stay inline: reading a long list allocates nothing for them.
                let mut value = CompactString::new(s);
                normalise(value.as_mut_str());
                Ok($name(value))
            }

            /// The value as text (its wire form).
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }

        text_conversions!($name);
    };
}

text_newtype!(
    /// An ASCII domain name (also used for name servers), stored lowercased.
    ///
    /// 1 to 253 characters; at least two dot-separated labels of 1 to 63 letters, digits and
    /// hyphens, none starting or ending with a hyphen; no trailing dot. Internationalised names
    /// must be passed in their punycode (`xn--`) form.
    ///
    /// ```
    /// use dmapi_runtime::DomainName;
    ///
    /// assert_eq!(DomainName::new("Example.COM")?.as_str(), "example.com");
    /// assert!(DomainName::new("bücher.de").is_err());
    /// assert!(DomainName::new("xn--bcher-kva.de").is_ok());
    /// # Ok::<(), dmapi_runtime::ValueError>(())
    /// ```
    DomainName,
    rule_domain,
    str::make_ascii_lowercase
);

impl DomainName {
    /// A domain name given in Unicode (`bücher.de`), converted to its punycode form
    /// (`xn--bcher-kva.de`) by IDNA (UTS #46) and then checked like [`DomainName::new`].
    ///
    /// ```
    /// use dmapi_runtime::DomainName;
    ///
    /// assert_eq!(DomainName::from_unicode("Bücher.de")?.as_str(), "xn--bcher-kva.de");
    /// assert!(DomainName::from_unicode("bad..name").is_err());
    /// # Ok::<(), dmapi_runtime::ValueError>(())
    /// ```
    pub fn from_unicode(s: &str) -> Result<Self, ValueError> {
        let ascii = idna::domain_to_ascii(s).map_err(|_| {
            ValueError::new(DOMAIN, "not a valid internationalised domain name").with_value(s)
        })?;
        Self::new(ascii)
    }
}

text_newtype!(
    /// A contact handle such as `COCO-4711` or `CCOM-1`: 1 to 64 letters, digits, `.`, `_`, `-`.
    Handle,
    rule_handle,
    |_| {}
);

text_newtype!(
    /// An e-mail address: one `@`, a local part without whitespace or control characters, a
    /// domain part with at least one dot; at most 254 characters.
    Email,
    rule_email,
    |_| {}
);

text_newtype!(
    /// A glob pattern for list filters (`*` and `?` are wildcards): non-empty, without whitespace
    /// or control characters.
    Pattern,
    rule_pattern,
    |_| {}
);

text_newtype!(
    /// An ISO 3166-1 alpha-2 country code, stored uppercase (`DE`, `US`).
    CountryCode,
    rule_country,
    str::make_ascii_uppercase
);

text_newtype!(
    /// An ISO 639 language code of two or three letters, stored lowercase (`en`, `deu`).
    LanguageCode,
    rule_language,
    str::make_ascii_lowercase
);

// ---------------------------------------------------------------------------------------------
// Numbers with a unit or range.

/// The conversions the numeric newtypes share, given a bare parser `Self::parse_bare(&str)`.
macro_rules! parsed_conversions {
    ($ty:ident) => {
        impl FromStr for $ty {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, ValueError> {
                Self::parse_bare(s).map_err(|e| e.with_value(s))
            }
        }
        impl TryFrom<&str> for $ty {
            type Error = ValueError;
            fn try_from(s: &str) -> Result<Self, ValueError> {
                s.parse()
            }
        }
        impl TryFrom<String> for $ty {
            type Error = ValueError;
            fn try_from(s: String) -> Result<Self, ValueError> {
                s.parse()
            }
        }
        impl ToWire for $ty {
            fn to_wire(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
        impl FromWire for $ty {
            fn from_wire(s: &str) -> Result<Self, ValueError> {
                s.parse()
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Secret.

/// A value that must not appear in logs: a password, an API key, a session id, an auth code.
///
/// Not validated. `Debug` prints `Secret(***)` and `Display` prints `***`; only
/// [`expose`](Secret::expose) and [`ToWire`] give the real value, so that only the form body
/// carries it.
///
/// ```
/// use dmapi_runtime::{Secret, ToWire};
///
/// let s = Secret::new("hunter2");
/// assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
/// assert_eq!(s.to_wire(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The real value. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl ToWire for Secret {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}

impl FromWire for Secret {
    fn from_wire(s: &str) -> Result<Self, ValueError> {
        Ok(Secret(s.to_owned()))
    }
}

// The parts, declared after the macros they use.
mod date;
mod numbers;
mod rules;

pub use date::Date;
pub(crate) use numbers::normalise_price;
pub use numbers::{Months, Price, Year};
pub(crate) use rules::*;
