//! Where events go: the sink trait, its errors, and the failure policy.

use core::fmt;
use std::time::Duration;

use super::event::{Completion, EventId, NewEvent};
use super::query::{AuditPage, AuditQuery};
use crate::text::clean_text;

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
    /// use rolegate::audit::{Actor, AuditSink, MemorySink, NewEvent, Outcome, SinkErrorKind};
    /// use rolegate::directory::Timestamp;
    ///
    /// let event = NewEvent::new(Timestamp::EPOCH, Actor::System, "auth.login", Outcome::Success);
    /// let err = MemorySink::bounded(0).append(event).unwrap_err();
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
/// A sink gives each appended event its id, ids growing in append order, so
/// that a query's cursor is stable.
///
/// An allowed check is appended when it is decided, with
/// [`Outcome::Allowed`](super::Outcome::Allowed), before the host does the
/// work: a decision whose completion never comes (the process died, the
/// grant leaked) is still on record. [`complete`](Self::complete) then
/// records how the work ended. Under the default
/// [`OnSinkFailure::Refuse`] policy, nothing is allowed that the sink did
/// not take first.
pub trait AuditSink: Send + Sync + fmt::Debug {
    /// Stores an event and returns its id.
    ///
    /// # Errors
    ///
    /// A [`SinkError`] when the event could not be stored.
    fn append(&self, event: NewEvent) -> Result<EventId, SinkError>;

    /// Records how the work an allowed event stands for ended: its outcome
    /// becomes `completion.outcome`, with the reason and the time.
    ///
    /// # Errors
    ///
    /// A [`SinkError`] when the completion could not be stored, or the sink
    /// holds no event `id` still waiting for one.
    fn complete(&self, id: EventId, completion: &Completion) -> Result<(), SinkError>;

    /// The events that pass `query`, newest first.
    ///
    /// # Errors
    ///
    /// A [`SinkError`] when the events cannot be read.
    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError>;

    /// How many stored events the sink has evicted to make room, since it
    /// was made: a bounded sink that keeps the newest events counts here
    /// what it let go. 0 for a sink that never evicts (the default).
    fn evicted(&self) -> u64 {
        0
    }
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
    /// A host event takes an action name the engine keeps for its own
    /// records (`role.*`, `member.*`, `team.*`), which nothing a host records
    /// may pass for.
    #[error(
        "audit action {name:?} is reserved for the engine's own records (role.*, member.*, team.*)"
    )]
    ReservedAction {
        /// The name.
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
