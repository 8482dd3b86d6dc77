//! Test sinks: one that can be switched off or made to fail, and one without `reserve`.

use std::fmt::Debug;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};

use rolegate::audit::{AuditPage, AuditQuery, AuditSink, EventId, MemorySink, NewEvent, SinkError};

#[derive(Debug, Default)]
pub(crate) struct SwitchSink {
    store: MemorySink,
    /// Every append and reserve fails while set.
    down: AtomicBool,
    /// The next this many appends or reserves fail, then the sink recovers.
    pub(crate) fail_next: AtomicU64,
    /// Queries fail while set.
    pub(crate) query_down: AtomicBool,
    /// Appends and reserves tried.
    pub(crate) attempts: AtomicU64,
}

impl SwitchSink {
    fn trouble(&self) -> Result<(), SinkError> {
        self.attempts.fetch_add(1, SeqCst);
        if self.down.load(SeqCst) {
            return Err(SinkError::unavailable("switched off"));
        }
        if self
            .fail_next
            .fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(SinkError::unavailable("flaky"));
        }
        Ok(())
    }

    pub(crate) fn set_down(&self, down: bool) {
        self.down.store(down, SeqCst);
    }
}

impl AuditSink for SwitchSink {
    fn append(&self, event: NewEvent, reserved: bool) -> Result<EventId, SinkError> {
        self.trouble()?;
        self.store.append(event, reserved)
    }

    fn reserve(&self) -> Result<(), SinkError> {
        self.trouble()?;
        self.store.reserve()
    }

    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError> {
        if self.query_down.load(SeqCst) {
            return Err(SinkError::other("query switched off"));
        }
        self.store.query(query)
    }
}

/// The same sink without `reserve`: the trait's default, which has nothing
/// to reserve and always succeeds.
#[derive(Debug)]
pub(crate) struct NoReserve(pub(crate) Arc<SwitchSink>);

impl AuditSink for NoReserve {
    fn append(&self, event: NewEvent, reserved: bool) -> Result<EventId, SinkError> {
        self.0.append(event, reserved)
    }

    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError> {
        self.0.query(query)
    }
}
