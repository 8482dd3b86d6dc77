//! Clocks the audit log takes its timestamps from.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::directory::Timestamp;

/// Where the audit log's timestamps come from. The host injects one to make
/// tests deterministic or to share its own time source.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{Clock, ManualClock};
/// use rolegate::directory::Timestamp;
///
/// let clock = ManualClock::new(Timestamp::from_unix_millis(1_000));
/// assert_eq!(clock.now(), Timestamp::from_unix_millis(1_000));
/// clock.advance(500);
/// assert_eq!(clock.now(), Timestamp::from_unix_millis(1_500));
/// ```
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time, UTC.
    fn now(&self) -> Timestamp;
}

/// The system clock.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{Clock, SystemClock};
/// use rolegate::directory::Timestamp;
///
/// assert!(SystemClock.now() > Timestamp::EPOCH);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that moves only when told to: for tests and replays.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{Clock, ManualClock};
/// use rolegate::directory::Timestamp;
///
/// let clock = ManualClock::new(Timestamp::EPOCH);
/// clock.set(Timestamp::from_unix_millis(42));
/// assert_eq!(clock.now().unix_millis(), 42);
/// ```
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock reading `start`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{Clock, ManualClock};
    /// use rolegate::directory::Timestamp;
    ///
    /// let clock = ManualClock::new(Timestamp::from_unix_millis(1_000));
    /// assert_eq!(clock.now(), Timestamp::from_unix_millis(1_000));
    /// ```
    #[must_use]
    pub fn new(start: Timestamp) -> Self {
        Self(AtomicI64::new(start.unix_millis()))
    }

    /// Sets the time.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{Clock, ManualClock};
    /// use rolegate::directory::Timestamp;
    ///
    /// let clock = ManualClock::new(Timestamp::from_unix_millis(5_000));
    /// clock.set(Timestamp::EPOCH);
    /// assert_eq!(clock.now(), Timestamp::EPOCH, "a set clock may go back");
    /// ```
    pub fn set(&self, at: Timestamp) {
        self.0.store(at.unix_millis(), Ordering::SeqCst);
    }

    /// Moves the time forward by `millis` milliseconds.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{Clock, ManualClock};
    /// use rolegate::directory::Timestamp;
    ///
    /// let clock = ManualClock::new(Timestamp::EPOCH);
    /// clock.advance(250);
    /// clock.advance(250);
    /// assert_eq!(clock.now().unix_millis(), 500);
    /// ```
    pub fn advance(&self, millis: i64) {
        self.0.fetch_add(millis, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(self.0.load(Ordering::SeqCst))
    }
}
