//! UTC timestamps with millisecond precision.

use core::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A point in time, UTC, in milliseconds since the Unix epoch.
///
/// Displays as RFC 3339: `2026-11-23T09:30:00.000Z`.
///
/// # Examples
///
/// ```
/// use rolegate::directory::Timestamp;
///
/// let t = Timestamp::from_unix_millis(1_795_426_200_000);
/// assert_eq!(t.to_string(), "2026-11-23T09:30:00.000Z");
/// assert_eq!(t.unix_millis(), 1_795_426_200_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The Unix epoch, `1970-01-01T00:00:00.000Z`.
    pub const EPOCH: Self = Self(0);

    /// A timestamp from milliseconds since the Unix epoch.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::Timestamp;
    ///
    /// assert_eq!(Timestamp::from_unix_millis(0), Timestamp::EPOCH);
    /// ```
    #[must_use]
    pub const fn from_unix_millis(millis: i64) -> Self {
        Self(millis)
    }

    /// Milliseconds since the Unix epoch.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::Timestamp;
    ///
    /// assert_eq!(Timestamp::from_unix_millis(42).unix_millis(), 42);
    /// ```
    #[must_use]
    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// The system clock's current time; the epoch if the clock reads
    /// before it.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::Timestamp;
    ///
    /// assert!(Timestamp::now() > Timestamp::EPOCH);
    /// ```
    #[must_use]
    pub fn now() -> Self {
        // Seconds and milliseconds apart: `as_millis` divides in 128 bits.
        let millis = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| {
            i64::try_from(d.as_secs())
                .unwrap_or(i64::MAX / 1000)
                .saturating_mul(1000)
                .saturating_add(i64::from(d.subsec_millis()))
        });
        Self(millis)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.0.rem_euclid(1000);
        let seconds = self.0.div_euclid(1000);
        let days = seconds.div_euclid(86_400);
        let in_day = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            in_day / 3600,
            in_day / 60 % 60,
            in_day % 60
        )
    }
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates_across_eras_and_leap_days() {
        let at = |ms| Timestamp::from_unix_millis(ms).to_string();
        assert_eq!(at(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(at(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(at(4_102_444_799_999), "2099-12-31T23:59:59.999Z");
    }
}
