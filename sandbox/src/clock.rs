//! The sandbox's clock: real time plus an offset tests can move forward, and the calendar
//! arithmetic registrations need (expiration dates, periods in months).

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, shifted by `offset_ms`.
pub(crate) fn now_ms(offset_ms: i64) -> i64 {
    let real = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    real.saturating_add(offset_ms)
}

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Day {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> Day {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Day { year, month, day }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Day {
    /// The day of a timestamp in milliseconds.
    pub(crate) fn of_ms(ms: i64) -> Day {
        civil_from_days(ms.div_euclid(86_400_000))
    }

    /// Midnight of the day, in milliseconds.
    pub(crate) fn to_ms(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400_000
    }

    /// The same day `months` later (the last day of the month when it is shorter).
    pub(crate) fn plus_months(self, months: i64) -> Day {
        let index = self.year * 12 + i64::from(self.month) - 1 + months;
        let year = index.div_euclid(12);
        let month = (index.rem_euclid(12) + 1) as u32;
        Day {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// `YYYY-MM-DD`.
    pub(crate) fn iso(self) -> String {
        let mut s = String::with_capacity(10);
        self.write_iso(&mut s);
        s
    }

    /// Appends `YYYY-MM-DD` (the hot path of domain lists: no formatting machinery).
    pub(crate) fn write_iso(self, out: &mut String) {
        let y = self.year.clamp(0, 9999) as u32;
        for d in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
            out.push(char::from(b'0' + d as u8));
        }
        for n in [self.month, self.day] {
            out.push('-');
            out.push(char::from(b'0' + (n / 10 % 10) as u8));
            out.push(char::from(b'0' + (n % 10) as u8));
        }
    }

    /// `YYYYMMDDHHMMSS` at midnight, the whois date format.
    pub(crate) fn whois(self) -> String {
        format!("{:04}{:02}{:02}000000", self.year, self.month, self.day)
    }
}

/// `YYYYMMDDHHMMSS` of a timestamp in milliseconds (result-list timestamps).
pub(crate) fn stamp(ms: i64) -> String {
    let day = Day::of_ms(ms);
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        day.year,
        day.month,
        day.day,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips_and_clamps_month_ends() {
        let d = Day {
            year: 2024,
            month: 1,
            day: 31,
        };
        assert_eq!(Day::of_ms(d.to_ms()), d);
        assert_eq!(d.plus_months(1).iso(), "2024-02-29");
        assert_eq!(d.plus_months(13).iso(), "2025-02-28");
        assert_eq!(d.plus_months(-1).iso(), "2023-12-31");
        assert_eq!(stamp(d.to_ms() + 3_723_000), "20240131010203");
        assert_eq!(Day::of_ms(0).iso(), "1970-01-01");
    }
}
