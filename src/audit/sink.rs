//! Where events go: the sink trait, its errors, and the failure policy.

use core::fmt;
use std::time::Duration;

use super::event::{EventId, NewEvent, clean_text};
use super::query::{AuditPage, AuditQuery};

/// Why a sink could not take or return events.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{SinkError, SinkErrorKind};
///
/// let err = SinkError::unavailable("database is down");
/// assert_eq!(err.kind(), SinkErrorKind::Unavailable);
/// assert_eq!(err.to_string(), "audit sink unavailable: database is down");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("audit sink {}: {message}", kind.as_str())]
pub struct SinkError {
    kind: SinkErrorKind,
    message: String,
}

/// The kind of a [`SinkError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SinkErrorKind {
    /// The sink is bounded and full.
    Full,
    /// The sink cannot be reached.
    Unavailable,
    /// Anything else.
    Other,
}

impl SinkErrorKind {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Unavailable => "unavailable",
            Self::Other => "error",
        }
    }
}

impl SinkError {
    /// The sink is full.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{SinkError, SinkErrorKind};
    ///
    /// let err = SinkError::full("the queue holds 10000 events");
    /// assert_eq!(err.kind(), SinkErrorKind::Full);
    /// assert_eq!(err.to_string(), "audit sink full: the queue holds 10000 events");
    /// ```
    #[must_use]
    pub fn full(message: &str) -> Self {
        Self::new(SinkErrorKind::Full, message)
    }

    /// The sink cannot be reached.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{SinkError, SinkErrorKind};
    ///
    /// let err = SinkError::unavailable("connection refused");
    /// assert_eq!(err.kind(), SinkErrorKind::Unavailable);
    /// assert_eq!(err.to_string(), "audit sink unavailable: connection refused");
    /// ```
    #[must_use]
    pub fn unavailable(message: &str) -> Self {
        Self::new(SinkErrorKind::Unavailable, message)
    }

    /// Any other failure.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{SinkError, SinkErrorKind};
    ///
    /// let err = SinkError::other("bad row\nOutcome: success");
    /// assert_eq!(err.kind(), SinkErrorKind::Other);
    /// assert_eq!(err.to_string(), "audit sink error: bad row\\nOutcome: success", "cleaned");
    /// ```
    #[must_use]
    pub fn other(message: &str) -> Self {
        Self::new(SinkErrorKind::Other, message)
    }

    fn new(kind: SinkErrorKind, message: &str) -> Self {
        Self {
            kind,
            message: clean_text(message),
        }
    }

    /// What kind of failure it is.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditSink, MemorySink, SinkErrorKind};
    ///
    /// let err = MemorySink::bounded(0).reserve().unwrap_err();
    /// assert_eq!(err.kind(), SinkErrorKind::Full);
    /// ```
    #[must_use]
    pub fn kind(&self) -> SinkErrorKind {
        self.kind
    }
}

/// Where events go: implemented by the host for its own store, or
/// [`MemorySink`](super::MemorySink).
///
/// A sink gives each appended event its id, in append order, so that a
/// query's cursor is stable.
///
/// An allowed check is recorded only when the host completes its grant,
/// after the work is done; [`reserve`](Self::reserve) is asked first, when
/// the grant is handed out, so that the log's policy can refuse the work
/// before it starts. A sink that can run out of room or become unreachable
/// should implement it (reserve room, or check it can write): with the
/// default, which always succeeds, such a sink's failure shows only at
/// completion, where it can no longer refuse and is counted in
/// [`AuditLog::dropped`](super::AuditLog::dropped).
pub trait AuditSink: Send + Sync + fmt::Debug {
    /// Stores an event and returns its id. `reserved` says that room was
    /// reserved for it by [`reserve`](Self::reserve).
    ///
    /// # Errors
    ///
    /// A [`SinkError`] when the event could not be stored.
    fn append(&self, event: NewEvent, reserved: bool) -> Result<EventId, SinkError>;

    /// Reserves room for one event to be appended later. The default has
    /// nothing to reserve.
    ///
    /// # Errors
    ///
    /// A [`SinkError`] when there is no room (or no way to write).
    fn reserve(&self) -> Result<(), SinkError> {
        Ok(())
    }

    /// The events that pass `query`, newest first.
    ///
    /// # Errors
    ///
    /// A [`SinkError`] when the events cannot be read.
    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError>;
}

/// What to do when the sink cannot take an event.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use rolegate::audit::{AuditLog, MemorySink, OnSinkFailure};
///
/// let log = AuditLog::new(MemorySink::bounded(10_000)).on_failure(OnSinkFailure::Wait(Duration::from_millis(50)));
/// assert_eq!(log.policy(), OnSinkFailure::Wait(Duration::from_millis(50)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnSinkFailure {
    /// Refuse the action: nothing happens that is not recorded. The default.
    Refuse,
    /// Retry for up to this long, then refuse.
    Wait(Duration),
    /// Let the action happen and count the lost event in
    /// [`AuditLog::dropped`](super::AuditLog::dropped).
    Count,
}

/// What went wrong recording or reading events.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// The sink failed and the policy refuses the action.
    #[error("the audit sink failed; the action was refused")]
    Sink(#[source] SinkError),
    /// The sink kept failing for as long as the policy waits.
    #[error("the audit sink still failed after {waited:?}; the action was refused")]
    TimedOut {
        /// How long the log waited.
        waited: Duration,
        /// The last failure.
        #[source]
        source: SinkError,
    },
    /// A host event's action is not a dotted lowercase name.
    #[error("invalid audit action {name:?}: expected dotted lowercase words such as `auth.login`")]
    InvalidAction {
        /// The name (cleaned).
        name: String,
    },
    /// A host event's resource type is not a lowercase word.
    #[error("invalid resource type {name:?} for an audit event")]
    InvalidResourceType {
        /// The name (cleaned).
        name: String,
    },
    /// A query could not be answered.
    #[error("the audit sink could not answer the query")]
    Query(#[source] SinkError),
}
