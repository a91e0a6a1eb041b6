//! The sandbox's clock: real time plus an offset tests can move forward, and the calendar days
//! registrations are counted in (on [`dmapi::Date`], which holds the calendar arithmetic).

use std::time::{SystemTime, UNIX_EPOCH};

use dmapi::Date;

const DAY_MS: i64 = 86_400_000;

/// Milliseconds since the Unix epoch, shifted by `offset_ms`.
pub(crate) fn now_ms(offset_ms: i64) -> i64 {
    let real = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    real.saturating_add(offset_ms)
}

/// A calendar day: a [`Date`] that saturates at the ends of its range instead of failing, so
/// that a far-fetched clock offset cannot make the sandbox refuse to answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Day(Date);

impl Day {
    fn clamped(days: i64) -> Day {
        let first = Date::from_ymd(1, 1, 1).map_or(-719_162, Date::days_since_epoch);
        let last = Date::from_ymd(9999, 12, 31).map_or(2_932_896, Date::days_since_epoch);
        let days = days.clamp(first, last);
        Day(Date::from_days_since_epoch(days).unwrap_or_else(|_| Date::today()))
    }

    /// The day of a timestamp in milliseconds.
    pub(crate) fn of_ms(ms: i64) -> Day {
        Day::clamped(ms.div_euclid(DAY_MS))
    }

    /// Midnight of the day, in milliseconds.
    pub(crate) fn to_ms(self) -> i64 {
        self.0.days_since_epoch() * DAY_MS
    }

    /// The same day `months` later (the last day of the month when it is shorter).
    pub(crate) fn plus_months(self, months: i64) -> Day {
        match self.0.plus_months(months) {
            Ok(d) => Day(d),
            Err(_) if months < 0 => Day::clamped(i64::MIN),
            Err(_) => Day::clamped(i64::MAX),
        }
    }

    /// The same day in `year` (the 28th for a 29 February outside leap years).
    pub(crate) fn in_year(self, year: u16) -> Day {
        self.plus_months((i64::from(year) - i64::from(self.0.year())) * 12)
    }

    /// The year.
    pub(crate) fn year(self) -> i64 {
        i64::from(self.0.year())
    }

    /// Whole months from `self` to `later` (day of month ignored).
    pub(crate) fn months_until(self, later: Day) -> i64 {
        (later.year() - self.year()) * 12 + i64::from(later.0.month()) - i64::from(self.0.month())
    }

    /// `YYYY-MM-DD`.
    pub(crate) fn iso(self) -> String {
        let mut s = String::with_capacity(10);
        self.write_iso(&mut s);
        s
    }

    /// Appends `YYYY-MM-DD` (the hot path of domain lists: no formatting machinery).
    pub(crate) fn write_iso(self, out: &mut String) {
        let y = u32::from(self.0.year());
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        for d in [y / 1000, y / 100, y / 10, y] {
            out.push(digit(d));
        }
        for n in [self.0.month(), self.0.day()] {
            out.push('-');
            out.push(digit(u32::from(n) / 10));
            out.push(digit(u32::from(n)));
        }
    }

    /// `YYYYMMDDHHMMSS` at midnight, the whois date format.
    pub(crate) fn whois(self) -> String {
        format!("{}000000", self.iso().replace('-', ""))
    }
}

/// `YYYYMMDDHHMMSS` of a timestamp in milliseconds (result-list timestamps).
pub(crate) fn stamp(ms: i64) -> String {
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}{:02}{:02}{:02}",
        Day::of_ms(ms).iso().replace('-', ""),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_clamp_and_format() {
        let d = Day::of_ms(Date::new("2024-01-31").unwrap().days_since_epoch() * DAY_MS);
        assert_eq!(d.iso(), "2024-01-31");
        assert_eq!(d.plus_months(1).iso(), "2024-02-29");
        assert_eq!(d.plus_months(13).iso(), "2025-02-28");
        assert_eq!(d.in_year(2030).iso(), "2030-01-31");
        assert_eq!(d.months_until(d.plus_months(14)), 14);
        assert_eq!(stamp(d.to_ms() + 3_723_000), "20240131010203");
        assert_eq!(Day::of_ms(i64::MAX).iso(), "9999-12-31");
        assert_eq!(Day::of_ms(0).whois(), "19700101000000");
    }
}
