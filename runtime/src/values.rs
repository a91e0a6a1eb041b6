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

// ---------------------------------------------------------------------------------------------
// Rules. Each returns an error without the value (see the module docs); callers that may show
// the value add it with `ValueError::with_value`.

/// `true` for characters no single-line value may contain.
fn is_control(c: char) -> bool {
    c.is_control()
}

/// Rule for single-line text: no control characters (this includes tab and newline).
pub(crate) fn rule_no_controls(kind: &'static str, s: &str) -> Result<(), ValueError> {
    // Fast path: printable ASCII has no control character.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Ok(());
    }
    match s.chars().find(|&c| is_control(c)) {
        Some(c) => Err(ValueError::new(
            kind,
            format!("contains the control character `{}`", c.escape_debug()),
        )),
        None => Ok(()),
    }
}

fn invalid_char(kind: &'static str, c: char, allowed: &str) -> ValueError {
    ValueError::new(
        kind,
        format!(
            "invalid character `{}` (allowed: {allowed})",
            c.escape_debug()
        ),
    )
}

fn too_long(kind: &'static str, len: usize, max: usize) -> ValueError {
    ValueError::new(kind, format!("too long: {len} characters (at most {max})"))
}

/// Every byte of the word set to `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// `0x80` in each byte of `x` (all below `0x80`) from `lo` to `hi`, `0` in the others.
#[inline(always)]
fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = x.wrapping_add(splat(0x80 - lo));
    let above_hi = x.wrapping_add(splat(0x7f - hi));
    at_least_lo & !above_hi & splat(0x80)
}

/// `0x80` in each byte of `x` equal to `b`, `0` in the others (exact).
#[inline(always)]
fn bytes_eq(x: u64, b: u8) -> u64 {
    let y = x ^ splat(b);
    !(((y & splat(0x7f)).wrapping_add(splat(0x7f))) | y | splat(0x7f))
}

/// The `0x80` flags of a word's bytes as 8 bits, bit `k` for byte `k`.
#[inline(always)]
fn gather(flags: u64) -> u64 {
    ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Whether `b` is a valid domain name: the rules of [`rule_domain`], which finds the reason
/// when this says no.
///
/// Names of up to 64 bytes (nearly all) are checked 8 bytes at a time with no branch per
/// byte: the allowed bytes, and the dots and hyphens as bit masks whose shifts find empty
/// labels and hyphens at a label's ends. Longer names take a byte loop.
#[inline]
pub(crate) fn domain_ok(b: &[u8]) -> bool {
    let n = b.len();
    if n == 0 || n > 64 {
        return n != 0 && long_domain_ok(b);
    }
    let (mut dots, mut hyphens, mut bad) = (0u64, 0u64, 0u64);
    let mut word = |k: usize, w: u64| {
        let ascii = w & splat(0x7f);
        let letter = bytes_in(ascii | splat(0x20), b'a', b'z');
        // `-`, `.`, `/` and the digits are 0x2d to 0x39; `/` is not allowed.
        let dash_dot_digit = bytes_in(ascii, b'-', b'9') & !bytes_eq(w, b'/');
        bad |= (w & splat(0x80)) | (!(letter | dash_dot_digit) & splat(0x80));
        dots |= gather(bytes_eq(w, b'.')) << (8 * k);
        hyphens |= gather(bytes_eq(w, b'-')) << (8 * k);
    };
    let (full, rem) = (n / 8, n % 8);
    for (k, w) in b.chunks_exact(8).enumerate() {
        word(
            k,
            u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]),
        );
    }
    if rem > 0 {
        // The last bytes, padded with `a` (allowed, neither a dot nor a hyphen).
        let w = match b.get(n.wrapping_sub(8)..) {
            Some(t) => {
                let t = u64::from_le_bytes([t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]]);
                (t >> (8 * (8 - rem))) | (splat(b'a') << (8 * rem))
            }
            None => {
                let mut padded = [b'a'; 8];
                padded[..rem].copy_from_slice(b);
                u64::from_le_bytes(padded)
            }
        };
        word(full, w);
    }
    let last = 1u64 << (n - 1);
    // No empty label (a dot first, last or after a dot), at least one dot, and no hyphen
    // first or last in a label. With at most 64 bytes and a dot, no label exceeds 63.
    let empty_label = dots & (1 | last | (dots >> 1));
    let hyphen_at_end = hyphens & (1 | last | (dots << 1) | (dots >> 1));
    bad == 0 && dots != 0 && empty_label == 0 && hyphen_at_end == 0
}

/// [`domain_ok`] for names over 64 bytes, a byte at a time.
fn long_domain_ok(b: &[u8]) -> bool {
    const MAX: usize = 253;
    const MAX_LABEL: usize = 63;
    b.len() <= MAX
        && b.split(|&c| c == b'.').count() >= 2
        && b.split(|&c| c == b'.').all(|label| {
            (1..=MAX_LABEL).contains(&label.len())
                && label[0] != b'-'
                && label[label.len() - 1] != b'-'
                && label
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || c == b'-')
        })
}

/// Rule for [`DomainName`] (also name servers).
pub(crate) fn rule_domain(s: &str) -> Result<(), ValueError> {
    const MAX: usize = 253;
    const MAX_LABEL: usize = 63;
    if domain_ok(s.as_bytes()) {
        return Ok(());
    }
    let err = |reason: &str| ValueError::new(DOMAIN, reason);
    if s.is_empty() {
        return Err(err("empty"));
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
    if !s.bytes().all(allowed) {
        if !s.is_ascii() {
            return Err(err(
                "contains non-ASCII characters; give an internationalised (IDN) name in its punycode (`xn--`) form",
            ));
        }
        if let Some(c) = s.chars().find(|&c| !allowed(c as u8)) {
            return Err(invalid_char(DOMAIN, c, "letters, digits, `-` and `.`"));
        }
    }
    if s.len() > MAX {
        return Err(too_long(DOMAIN, s.len(), MAX));
    }
    if s.ends_with('.') {
        return Err(err("a trailing dot is not allowed"));
    }
    let mut labels = 0;
    for label in s.split('.') {
        labels += 1;
        if label.is_empty() {
            return Err(err("empty label"));
        }
        if label.len() > MAX_LABEL {
            return Err(err(&format!(
                "label {labels} is too long: {} characters (at most {MAX_LABEL})",
                label.len()
            )));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(err(&format!("label {labels} starts or ends with a hyphen")));
        }
    }
    if labels < 2 {
        return Err(err("needs at least two labels, like `example.com`"));
    }
    Ok(())
}

/// Rule for [`Handle`].
pub(crate) fn rule_handle(s: &str) -> Result<(), ValueError> {
    const MAX: usize = 64;
    if s.is_empty() {
        return Err(ValueError::new(HANDLE, "empty"));
    }
    if let Some(c) = s
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(invalid_char(HANDLE, c, "letters, digits, `.`, `_` and `-`"));
    }
    if s.len() > MAX {
        return Err(too_long(HANDLE, s.len(), MAX));
    }
    Ok(())
}

/// Rule for [`Email`].
pub(crate) fn rule_email(s: &str) -> Result<(), ValueError> {
    const MAX: usize = 254;
    let err = |reason: &str| ValueError::new(EMAIL, reason);
    if s.is_empty() {
        return Err(err("empty"));
    }
    let len = s.chars().count();
    if len > MAX {
        return Err(too_long(EMAIL, len, MAX));
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Err(err("needs an `@`"));
    };
    if domain.contains('@') {
        return Err(err("contains more than one `@`"));
    }
    let blank = |c: char| c.is_whitespace() || is_control(c);
    if local.is_empty() {
        return Err(err("nothing before the `@`"));
    }
    if local.chars().any(blank) {
        return Err(err("whitespace or a control character before the `@`"));
    }
    if domain.chars().any(blank) {
        return Err(err("whitespace or a control character after the `@`"));
    }
    if !domain.contains('.') {
        return Err(err(
            "the part after the `@` needs a dot, like `example.com`",
        ));
    }
    if domain.split('.').any(str::is_empty) {
        return Err(err("the part after the `@` has an empty label"));
    }
    Ok(())
}

/// Rule for [`Pattern`].
pub(crate) fn rule_pattern(s: &str) -> Result<(), ValueError> {
    if s.is_empty() {
        return Err(ValueError::new(PATTERN, "empty"));
    }
    match s.chars().find(|&c| c.is_whitespace() || is_control(c)) {
        Some(c) => Err(ValueError::new(
            PATTERN,
            format!(
                "contains whitespace or a control character (`{}`)",
                c.escape_debug()
            ),
        )),
        None => Ok(()),
    }
}

/// Rule for [`CountryCode`].
pub(crate) fn rule_country(s: &str) -> Result<(), ValueError> {
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(ValueError::new(
            COUNTRY,
            "expected two letters (ISO 3166-1 alpha-2, like `DE`)",
        ))
    }
}

/// Rule for [`LanguageCode`].
pub(crate) fn rule_language(s: &str) -> Result<(), ValueError> {
    if (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(ValueError::new(
            LANGUAGE,
            "expected two or three letters (ISO 639, like `en`)",
        ))
    }
}

/// Parses a decimal integer: an optional `-` (only if `T` is signed) and digits, nothing else.
pub(crate) fn parse_int<T>(kind: &'static str, s: &str) -> Result<T, ValueError>
where
    T: FromStr<Err = std::num::ParseIntError>,
{
    if s.starts_with('+') {
        return Err(ValueError::new(kind, "expected a whole number"));
    }
    s.parse::<T>().map_err(|e| {
        let reason = match e.kind() {
            IntErrorKind::Empty => "empty",
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "number out of range",
            _ => "expected a whole number",
        };
        ValueError::new(kind, reason)
    })
}

/// Parses digits only (no sign), returning `None` for "too many digits to be in range".
fn parse_digits(kind: &'static str, s: &str) -> Result<Option<u32>, ValueError> {
    if s.is_empty() {
        return Err(ValueError::new(kind, "empty"));
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::new(kind, "expected digits only"));
    }
    Ok(s.parse::<u32>().ok())
}

pub(crate) fn parse_ipv4(s: &str) -> Result<Ipv4Addr, ValueError> {
    s.parse().map_err(|_| {
        ValueError::new(
            IPV4,
            "expected four dot-separated numbers, like `192.0.2.1`",
        )
    })
}

pub(crate) fn parse_ipv6(s: &str) -> Result<Ipv6Addr, ValueError> {
    s.parse()
        .map_err(|_| ValueError::new(IPV6, "expected an IPv6 address, like `2001:db8::1`"))
}

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
// Price.

/// A positive decimal amount such as `12`, `8.21` or `0.5`, stored normalised.
///
/// Digits with an optional `.` and 1 to 4 fraction digits; greater than zero; at most 15 integer
/// digits. Normalising drops leading zeros of the integer part and trailing zeros of the fraction
/// (`012.50` becomes `12.5`, `3.00` becomes `3`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Price(String);

impl Price {
    /// Checks and normalises a decimal amount.
    pub fn new(s: impl AsRef<str>) -> Result<Self, ValueError> {
        let s = s.as_ref();
        normalise_price(s).map(Price).map_err(|e| e.with_value(s))
    }

    /// The normalised decimal text (its wire form).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_conversions!(Price);

/// Rule for [`Price`]; returns the normalised text.
pub(crate) fn normalise_price(s: &str) -> Result<String, ValueError> {
    const MAX_FRACTION: usize = 4;
    const MAX_INTEGER: usize = 15;
    let err = |reason: &str| ValueError::new(PRICE, reason);
    if s.is_empty() {
        return Err(err("empty"));
    }
    if s.starts_with('-') {
        return Err(err("must be greater than 0"));
    }
    let (int, frac) = match s.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return Err(err("expected a decimal number like `12` or `8.21`"));
    }
    let frac = frac.unwrap_or("");
    if frac.len() > MAX_FRACTION {
        return Err(err("more than 4 decimal places"));
    }
    let int = int.trim_start_matches('0');
    if int.len() > MAX_INTEGER {
        return Err(err("too large"));
    }
    let frac = frac.trim_end_matches('0');
    if int.is_empty() && frac.is_empty() {
        return Err(err("must be greater than 0"));
    }
    let mut out = String::with_capacity(int.len().max(1) + 1 + frac.len());
    out.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    Ok(out)
}

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

/// A period in months, 1 to 120. DMAPI periods are in months, not years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Months(u16);

impl Months {
    /// Smallest period.
    pub const MIN: u16 = 1;
    /// Largest period (ten years).
    pub const MAX: u16 = 120;

    /// A period of `months` months.
    pub fn new(months: u16) -> Result<Self, ValueError> {
        if (Self::MIN..=Self::MAX).contains(&months) {
            Ok(Months(months))
        } else {
            Err(ValueError::new(
                MONTHS,
                format!("{months} is not between 1 and 120"),
            ))
        }
    }

    /// A period of `years` whole years (`years * 12` months).
    pub fn years(years: u16) -> Result<Self, ValueError> {
        match years.checked_mul(12) {
            Some(months) => Self::new(months),
            None => Err(ValueError::new(
                MONTHS,
                format!("{years} years is more than 120 months"),
            )),
        }
    }

    /// The number of months.
    pub fn get(self) -> u16 {
        self.0
    }

    /// Rule for `Months` as wire text: digits only, then the range.
    pub(crate) fn parse_bare(s: &str) -> Result<Self, ValueError> {
        match parse_digits(MONTHS, s)?.and_then(|n| u16::try_from(n).ok()) {
            Some(n) => Self::new(n),
            None => Err(ValueError::new(MONTHS, "not between 1 and 120")),
        }
    }
}

impl TryFrom<u16> for Months {
    type Error = ValueError;
    fn try_from(months: u16) -> Result<Self, ValueError> {
        Self::new(months)
    }
}

impl fmt::Display for Months {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

parsed_conversions!(Months);

/// A four-digit calendar year, 1970 to 9999 (e.g. an expiration year).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Year(u16);

impl Year {
    /// Earliest year accepted.
    pub const MIN: u16 = 1970;
    /// Latest year accepted.
    pub const MAX: u16 = 9999;

    /// The year `year`.
    pub fn new(year: u16) -> Result<Self, ValueError> {
        if (Self::MIN..=Self::MAX).contains(&year) {
            Ok(Year(year))
        } else {
            Err(ValueError::new(
                YEAR,
                format!("{year} is not between 1970 and 9999"),
            ))
        }
    }

    /// The year as a number.
    pub fn get(self) -> u16 {
        self.0
    }

    /// Rule for `Year` as wire text: exactly four digits, then the range.
    pub(crate) fn parse_bare(s: &str) -> Result<Self, ValueError> {
        let n = parse_digits(YEAR, s)?;
        match n.and_then(|n| u16::try_from(n).ok()) {
            Some(n) if s.len() == 4 => Self::new(n),
            _ => Err(ValueError::new(YEAR, "expected four digits, like `2030`")),
        }
    }
}

impl TryFrom<u16> for Year {
    type Error = ValueError;
    fn try_from(year: u16) -> Result<Self, ValueError> {
        Self::new(year)
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

parsed_conversions!(Year);

/// A calendar date, written `YYYY-MM-DD` on the wire (proleptic Gregorian, years 1 to 9999).
///
/// ```
/// use dmapi_runtime::Date;
///
/// let d: Date = "2024-02-29".parse()?;
/// assert_eq!((d.year(), d.month(), d.day()), (2024, 2, 29));
/// assert!("2023-02-29".parse::<Date>().is_err());
/// # Ok::<(), dmapi_runtime::ValueError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn new(s: impl AsRef<str>) -> Result<Self, ValueError> {
        s.as_ref().parse()
    }

    /// The date `year`-`month`-`day`, if it exists.
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Result<Self, ValueError> {
        if !(1..=9999).contains(&year) {
            return Err(ValueError::new(
                DATE,
                format!("year {year} is out of range"),
            ));
        }
        if !(1..=12).contains(&month) {
            return Err(ValueError::new(
                DATE,
                format!("month {month} does not exist"),
            ));
        }
        let days = days_in_month(year, month);
        if !(1..=days).contains(&day) {
            return Err(ValueError::new(
                DATE,
                format!("day {day} does not exist in {year:04}-{month:02} ({days} days)"),
            ));
        }
        Ok(Date { year, month, day })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The date `days` days after 1970-01-01 (negative: before), if its year is 1 to 9999.
    ///
    /// ```
    /// use dmapi_runtime::Date;
    /// assert_eq!(Date::from_days_since_epoch(0)?.to_string(), "1970-01-01");
    /// assert_eq!(Date::from_days_since_epoch(19_782)?.to_string(), "2024-02-29");
    /// assert_eq!(Date::new("2024-02-29")?.days_since_epoch(), 19_782);
    /// # Ok::<(), dmapi_runtime::ValueError>(())
    /// ```
    pub fn from_days_since_epoch(days: i64) -> Result<Self, ValueError> {
        // Howard Hinnant's civil_from_days.
        let z = days.saturating_add(719_468);
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let year = u16::try_from(year)
            .map_err(|_| ValueError::new(DATE, format!("year {year} is out of range")))?;
        // month is 1..=12 and day 1..=31 by construction.
        Self::from_ymd(year, month as u8, day as u8)
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Today in UTC, by the system clock.
    pub fn today() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = i64::try_from(secs / 86_400).unwrap_or(0);
        Self::from_days_since_epoch(days).unwrap_or(Date {
            year: 9999,
            month: 12,
            day: 31,
        })
    }

    /// The same day `months` months later (earlier when negative); the last day of the month
    /// when the month is shorter (`2024-01-31` plus one month is `2024-02-29`).
    ///
    /// ```
    /// use dmapi_runtime::Date;
    /// assert_eq!(Date::new("2024-01-31")?.plus_months(1)?.to_string(), "2024-02-29");
    /// assert_eq!(Date::new("2024-01-31")?.plus_months(-2)?.to_string(), "2023-11-30");
    /// # Ok::<(), dmapi_runtime::ValueError>(())
    /// ```
    pub fn plus_months(self, months: i64) -> Result<Self, ValueError> {
        let index = (i64::from(self.year) * 12 + i64::from(self.month) - 1).saturating_add(months);
        let year = u16::try_from(index.div_euclid(12))
            .map_err(|_| ValueError::new(DATE, "the year is out of range"))?;
        let month = (index.rem_euclid(12) + 1) as u8;
        let day = self.day.min(days_in_month(year, month));
        Self::from_ymd(year, month, day)
    }

    /// The same date as a registry of one of `tlds` has it, for a date the server reports
    /// `days` days off the registry's (the spec's `registry_days` on a date column): `self`
    /// plus `days` when `domain`'s TLD is one of `tlds` (ASCII case-insensitive), else `self`.
    /// Generated rows call it (`QueryDomainListRow::registry_expiration_date`).
    ///
    /// ```
    /// use dmapi_runtime::Date;
    /// let d = Date::new("2027-01-01")?;
    /// assert_eq!(d.for_registry("example.eu", &["eu"], -1).to_string(), "2026-12-31");
    /// assert_eq!(d.for_registry("example.com", &["eu"], -1), d);
    /// # Ok::<(), dmapi_runtime::ValueError>(())
    /// ```
    pub fn for_registry(self, domain: &str, tlds: &[&str], days: i64) -> Self {
        let tld = domain
            .trim_end_matches('.')
            .rsplit('.')
            .next()
            .unwrap_or("");
        if !tlds.iter().any(|t| t.eq_ignore_ascii_case(tld)) {
            return self;
        }
        Self::from_days_since_epoch(self.days_since_epoch().saturating_add(days)).unwrap_or(self)
    }

    /// Rule for `Date` as wire text.
    pub(crate) fn parse_bare(s: &str) -> Result<Self, ValueError> {
        let b = s.as_bytes();
        if b.len() != 10 {
            return Err(ValueError::new(DATE, "expected YYYY-MM-DD"));
        }
        // Every check at once, no branch per byte: long lists have a date on every row.
        let d = |i: usize| b[i].wrapping_sub(b'0');
        let not_digit = |i: usize| d(i) > 9;
        let bad = not_digit(0)
            | not_digit(1)
            | not_digit(2)
            | not_digit(3)
            | not_digit(5)
            | not_digit(6)
            | not_digit(8)
            | not_digit(9)
            | (b[4] != b'-')
            | (b[7] != b'-');
        if bad {
            return Err(ValueError::new(DATE, "expected YYYY-MM-DD"));
        }
        let n = |i: usize| u16::from(d(i));
        let year = n(0) * 1000 + n(1) * 100 + n(2) * 10 + n(3);
        // Two-digit fields are below 100, so they fit a u8.
        let (month, day) = (d(5) * 10 + d(6), d(8) * 10 + d(9));
        if year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
            return Ok(Date { year, month, day });
        }
        Self::from_ymd(year, month, day)
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

parsed_conversions!(Date);

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The domain rules read plainly, label by label.
    fn plain_domain_rules(s: &str) -> bool {
        let labels: Vec<&str> = s.split('.').collect();
        !s.is_empty()
            && s.len() <= 253
            && labels.len() >= 2
            && labels.iter().all(|l| {
                (1..=63).contains(&l.len())
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
    }

    #[test]
    fn the_one_pass_domain_check_agrees_with_the_rules() {
        // Every string of up to 6 bytes over an alphabet with each kind of byte.
        let alphabet = ["a", "Z", "0", "-", ".", "_", "ü"];
        let mut cases = vec![String::new()];
        let mut last = cases.clone();
        for _ in 0..6 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            cases.extend(last.iter().cloned());
        }
        let long = "a".repeat(63);
        cases.extend([
            format!("{long}.com"),
            format!("{long}a.com"),
            format!("example.{long}"),
            format!("example.{long}a"),
            format!("{}.com", ["abcdefghi"; 25].join(".")),
            format!("{}.com", ["abcdefghi"; 26].join(".")),
        ]);
        // Every byte, at each place of a word and of a label.
        for c in 0..=255u8 {
            for at in 0..10 {
                let mut name = b"abcdefghij.com".to_vec();
                name[at] = c;
                if let Ok(s) = String::from_utf8(name) {
                    cases.push(s);
                }
            }
            let s = char::from(c).to_string();
            cases.extend([format!("{s}a.com"), format!("a{s}.com"), format!("a.co{s}")]);
        }
        for s in &cases {
            assert_eq!(domain_ok(s.as_bytes()), plain_domain_rules(s), "{s:?}");
            assert_eq!(rule_domain(s).is_ok(), plain_domain_rules(s), "{s:?}");
        }
    }
}
