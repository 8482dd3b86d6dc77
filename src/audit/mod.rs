//! The audit trail: every permission-gated action, recorded with its outcome.
//!
//! The engine records its own administrative calls and the checks a host
//! makes through [`Engine::authorize`](crate::Engine::authorize); hosts add
//! their own events (logins, token refreshes) through [`AuditLog::record`].
//! Events go to an [`AuditSink`]: [`MemorySink`] by default, or the host's.
//! A sink that is full or failing is never ignored silently: the
//! [`OnSinkFailure`] policy refuses the action, waits, or counts the lost
//! event exactly.

mod clock;
mod event;
mod grant;
mod log;
mod memory;
mod query;
mod reason;
mod sink;

pub use crate::text::Text;
pub(crate) use crate::text::clean_text;
#[cfg(feature = "coarse-clock")]
pub use clock::CoarseClock;
pub use clock::{Clock, ManualClock, SystemClock};
pub use event::{
    Actor, Completion, Event, EventId, HostEvent, NewEvent, Outcome, OutcomeError,
    RESERVED_ACTION_PREFIXES,
};
pub(crate) use grant::check_event;
pub use grant::{AuthorizeError, Grant};
pub use log::AuditLog;
pub use memory::{DEFAULT_CAPACITY, MemorySink};
pub use query::{AuditPage, AuditQuery, Cursor};
pub use reason::Reason;
pub use sink::{AuditError, AuditSink, OnSinkFailure, SinkError, SinkErrorKind};
