//! Calendar dates.

use super::*;

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
