//! Numeric values: prices, periods in months, years.

use super::*;

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
