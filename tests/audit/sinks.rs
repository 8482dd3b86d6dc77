//! A test sink that can be switched off or made to fail.

use std::fmt::Debug;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};

use rolegate::audit::{
    AuditPage, AuditQuery, AuditSink, Completion, EventId, MemorySink, NewEvent, SinkError,
};

#[derive(Debug, Default)]
pub(crate) struct SwitchSink {
    store: MemorySink,
    /// Every append and completion fails while set.
    down: AtomicBool,
    /// The next this many appends or completions fail, then the sink recovers.
    pub(crate) fail_next: AtomicU64,
    /// Queries fail while set.
    pub(crate) query_down: AtomicBool,
    /// Appends and completions tried.
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
    fn append(&self, event: NewEvent) -> Result<EventId, SinkError> {
        self.trouble()?;
        self.store.append(event)
    }

    fn complete(&self, id: EventId, completion: &Completion) -> Result<(), SinkError> {
        self.trouble()?;
        self.store.complete(id, completion)
    }

    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError> {
        if self.query_down.load(SeqCst) {
            return Err(SinkError::other("query switched off"));
        }
        self.store.query(query)
    }
}

/// A sink that asks the engine it records for before it takes an event:
/// a host sink may check, and the check it makes from inside `authorize`
/// must answer from the current state like any other.
#[derive(Debug, Default)]
pub(crate) struct CheckingSink {
    store: MemorySink,
    /// The engine to ask, and whether a user may execute a resource, set
    /// once the engine is built.
    pub(crate) ask: std::sync::OnceLock<(
        rolegate::Engine,
        rolegate::UserId,
        rolegate::Resource<'static>,
    )>,
    /// The answers given, one per append.
    pub(crate) answers: std::sync::Mutex<Vec<bool>>,
}

impl AuditSink for CheckingSink {
    fn append(&self, event: NewEvent) -> Result<EventId, SinkError> {
        if let Some((engine, user, resource)) = self.ask.get() {
            let execute = engine
                .catalog()
                .action("execute")
                .map_err(|e| SinkError::other(&e.to_string()))?;
            let answer = engine.can(*user, execute, resource);
            self.answers
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(answer);
        }
        self.store.append(event)
    }

    fn complete(&self, id: EventId, completion: &Completion) -> Result<(), SinkError> {
        self.store.complete(id, completion)
    }

    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError> {
        self.store.query(query)
    }
}
