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

/// The system's real-time clock read coarsely: the kernel's time as of its
/// last tick, to within a few milliseconds (4 ms at a tick rate of 250 Hz),
/// for a few nanoseconds a reading where [`SystemClock`] costs tens on many
/// virtual machines. An audit log on it records two readings per allowed
/// and completed check, which then cost next to nothing; events keep their
/// order by id, whatever their times. On a system without a coarse clock it
/// reads the system clock.
///
/// With the `coarse-clock` feature.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use rolegate::audit::{AuditLog, Clock, CoarseClock, SystemClock};
///
/// let coarse = CoarseClock.now().unix_millis();
/// let precise = SystemClock.now().unix_millis();
/// assert!((precise - coarse).abs() < 1_000, "within the kernel's tick");
/// let log = AuditLog::in_memory().with_clock(Arc::new(CoarseClock));
/// # let _ = log;
/// ```
#[cfg(feature = "coarse-clock")]
#[derive(Clone, Copy, Debug, Default)]
pub struct CoarseClock;

#[cfg(feature = "coarse-clock")]
impl Clock for CoarseClock {
    #[inline]
    fn now(&self) -> Timestamp {
        coarse_now()
    }
}

#[cfg(all(
    feature = "coarse-clock",
    any(target_os = "linux", target_os = "android")
))]
#[inline]
fn coarse_now() -> Timestamp {
    use rustix::time::{ClockId, clock_gettime};
    let t = clock_gettime(ClockId::RealtimeCoarse);
    // Nanoseconds are below 10⁹ and seconds since 1970 far below the range
    // of milliseconds in an `i64`; saturating all the same.
    let millis = t
        .tv_sec
        .saturating_mul(1000)
        .saturating_add(t.tv_nsec / 1_000_000);
    Timestamp::from_unix_millis(millis)
}

#[cfg(all(
    feature = "coarse-clock",
    not(any(target_os = "linux", target_os = "android"))
))]
#[inline]
fn coarse_now() -> Timestamp {
    Timestamp::now()
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
