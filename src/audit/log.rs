//! The audit log: a sink, a clock and a failure policy.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::Reason;
use super::clock::{Clock, SystemClock};
use super::event::Actor;
use super::event::{Completion, EventId, HostEvent, NewEvent, is_action_name, is_reserved_action};
use super::memory::MemorySink;
use super::query::{AuditPage, AuditQuery};
use super::sink::{AuditError, AuditSink, OnSinkFailure, SinkError};
use crate::directory::Timestamp;
use crate::text::{Text, clean_text};

#[derive(Debug)]
struct LogInner {
    sink: Arc<dyn AuditSink>,
    clock: Arc<dyn Clock>,
    policy: OnSinkFailure,
    dropped: AtomicU64,
}

/// The audit log: a sink, a clock and a failure policy. Cheap to clone.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use rolegate::audit::{AuditLog, AuditQuery, ManualClock, MemorySink};
/// use rolegate::directory::Timestamp;
/// use rolegate::{Catalog, Engine};
///
/// let clock = Arc::new(ManualClock::new(Timestamp::from_unix_millis(1_000)));
/// let log = AuditLog::new(MemorySink::new()).with_clock(clock.clone());
/// let mut builder = Engine::builder(Catalog::standard());
/// builder.audit(log);
/// let engine = builder.build();
/// assert_eq!(engine.audit().dropped(), 0);
/// assert!(engine.audit().query(&AuditQuery::new())?.events.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct AuditLog {
    inner: Arc<LogInner>,
}

impl AuditLog {
    /// A log writing to `sink`, timed by the system clock, refusing actions
    /// it cannot record.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditError, AuditLog, HostEvent, MemorySink, OnSinkFailure, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::new(MemorySink::bounded(0));
    /// assert_eq!(log.policy(), OnSinkFailure::Refuse);
    /// let login = HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success);
    /// assert!(matches!(log.record(login), Err(AuditError::Sink(_))), "full, so refused");
    /// ```
    #[must_use]
    pub fn new(sink: impl AuditSink + 'static) -> Self {
        Self::from_parts(Arc::new(sink), Arc::new(SystemClock), OnSinkFailure::Refuse)
    }

    /// A log keeping the newest
    /// [`DEFAULT_CAPACITY`](super::DEFAULT_CAPACITY) events in memory,
    /// evictions counted in [`evicted`](Self::evicted): the default.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// for _ in 0..3 {
    ///     log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// }
    /// assert_eq!(log.query(&AuditQuery::new())?.events.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn in_memory() -> Self {
        Self::new(MemorySink::new())
    }

    fn from_parts(sink: Arc<dyn AuditSink>, clock: Arc<dyn Clock>, policy: OnSinkFailure) -> Self {
        Self {
            inner: Arc::new(LogInner {
                sink,
                clock,
                policy,
                dropped: AtomicU64::new(0),
            }),
        }
    }

    /// The same log with another clock.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::audit::{AuditLog, ManualClock};
    /// use rolegate::directory::Timestamp;
    ///
    /// let clock = Arc::new(ManualClock::new(Timestamp::from_unix_millis(1_000)));
    /// let log = AuditLog::in_memory().with_clock(clock.clone());
    /// clock.advance(500);
    /// assert_eq!(log.now(), Timestamp::from_unix_millis(1_500));
    /// ```
    #[must_use]
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        Self::from_parts(Arc::clone(&self.inner.sink), clock, self.inner.policy)
    }

    /// The same log with another failure policy.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, HostEvent, MemorySink, OnSinkFailure, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::new(MemorySink::bounded(0)).on_failure(OnSinkFailure::Count);
    /// let login = HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success);
    /// assert_eq!(log.record(login)?, None, "not written, and not refused");
    /// assert_eq!(log.dropped(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn on_failure(self, policy: OnSinkFailure) -> Self {
        Self::from_parts(
            Arc::clone(&self.inner.sink),
            Arc::clone(&self.inner.clock),
            policy,
        )
    }

    /// The failure policy.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, OnSinkFailure};
    ///
    /// let log = AuditLog::in_memory();
    /// assert_eq!(log.policy(), OnSinkFailure::Refuse, "the default");
    /// assert_eq!(log.on_failure(OnSinkFailure::Count).policy(), OnSinkFailure::Count);
    /// ```
    #[must_use]
    pub fn policy(&self) -> OnSinkFailure {
        self.inner.policy
    }

    /// How many events were lost: not written under
    /// [`OnSinkFailure::Count`], or for calls refused anyway (a denied
    /// check, a refused administrative call) whose record the sink would not
    /// take. Exact.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, HostEvent, MemorySink, OnSinkFailure, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::new(MemorySink::bounded(1)).on_failure(OnSinkFailure::Count);
    /// for _ in 0..3 {
    ///     log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// }
    /// assert_eq!(log.dropped(), 2, "only the first fitted");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn dropped(&self) -> u64 {
        self.inner.dropped.load(Ordering::SeqCst)
    }

    /// How many stored events the sink evicted to make room for newer ones
    /// ([`AuditSink::evicted`]): for the default in-memory sink, which keeps
    /// the newest [`DEFAULT_CAPACITY`](super::DEFAULT_CAPACITY) events.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, HostEvent, MemorySink, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::new(MemorySink::keeping(1));
    /// for _ in 0..3 {
    ///     log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// }
    /// assert_eq!(log.evicted(), 2);
    /// assert_eq!(log.dropped(), 0, "evicted events were stored first");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn evicted(&self) -> u64 {
        self.inner.sink.evicted()
    }

    /// The log's current time.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::audit::{AuditLog, ManualClock};
    /// use rolegate::directory::Timestamp;
    ///
    /// assert!(AuditLog::in_memory().now() > Timestamp::EPOCH, "the system clock");
    /// let clock = Arc::new(ManualClock::new(Timestamp::from_unix_millis(42)));
    /// assert_eq!(AuditLog::in_memory().with_clock(clock).now(), Timestamp::from_unix_millis(42));
    /// ```
    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    /// Records a host event, such as `auth.login`. Returns its id, or
    /// `None` when the sink failed and the policy counts the loss.
    ///
    /// # Errors
    ///
    /// [`AuditError::InvalidAction`] or [`AuditError::InvalidResourceType`]
    /// for a malformed name; [`AuditError::ReservedAction`] for an action
    /// the engine keeps for its own records (`role.*`, `member.*`,
    /// `team.*`); [`AuditError::Sink`] or
    /// [`AuditError::TimedOut`] when the sink fails and the policy refuses.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditError, AuditLog, EventId, HostEvent, Outcome};
    /// use rolegate::{OrgId, UserId};
    ///
    /// let log = AuditLog::in_memory();
    /// let login = HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success).user(UserId::new(3));
    /// assert_eq!(log.record(login)?, Some(EventId::new(1)));
    /// let bad = HostEvent::new(OrgId::new(1), "login!", Outcome::Success);
    /// assert!(matches!(log.record(bad), Err(AuditError::InvalidAction { .. })));
    /// let forged = HostEvent::new(OrgId::new(1), "role.delete", Outcome::Success).resource("role", "6");
    /// assert!(matches!(log.record(forged), Err(AuditError::ReservedAction { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(&self, event: HostEvent) -> Result<Option<EventId>, AuditError> {
        if !is_action_name(&event.action) {
            return Err(AuditError::InvalidAction {
                name: clean_text(&event.action),
            });
        }
        if is_reserved_action(&event.action) {
            return Err(AuditError::ReservedAction {
                name: event.action.to_string(),
            });
        }
        if let Some((ty, _)) = &event.resource
            && (!is_action_name(ty) || ty.contains('.'))
        {
            return Err(AuditError::InvalidResourceType {
                name: clean_text(ty),
            });
        }
        let (resource_type, resource_id) = match event.resource {
            Some((ty, id)) => (Some(ty), Some(clean_text(&id))),
            None => (None, None),
        };
        self.append(&NewEvent {
            at: self.now(),
            organization: Some(event.organization),
            actor: event.user.map_or(Actor::System, Actor::User),
            role: None,
            action: Text::from(event.action),
            resource_type: resource_type.map(Text::from),
            resource_id: resource_id.map(Text::from),
            outcome: event.outcome,
            reason: event.reason.as_deref().map(|r| Reason::from(clean_text(r))),
            completed_at: None,
        })
    }

    /// The events that pass `query`, newest first.
    ///
    /// # Errors
    ///
    /// [`AuditError::Query`] when the sink cannot answer.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// for outcome in [Outcome::Success, Outcome::Failure, Outcome::Success] {
    ///     log.record(HostEvent::new(OrgId::new(1), "auth.login", outcome))?;
    /// }
    /// let failures = log.query(&AuditQuery::new().outcome(Outcome::Failure))?;
    /// let ids: Vec<u64> = failures.events.iter().map(|e| e.id().get()).collect();
    /// assert_eq!(ids, [2]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn query(&self, query: &AuditQuery) -> Result<AuditPage, AuditError> {
        self.inner.sink.query(query).map_err(AuditError::Query)
    }

    /// Runs `attempt` under the failure policy: `Ok(true)` done, `Ok(false)`
    /// failed and counted, `Err` refused.
    fn under_policy(
        &self,
        mut attempt: impl FnMut() -> Result<(), SinkError>,
    ) -> Result<bool, AuditError> {
        let Err(first) = attempt() else {
            return Ok(true);
        };
        match self.inner.policy {
            OnSinkFailure::Refuse => Err(AuditError::Sink(first)),
            OnSinkFailure::Count => {
                self.inner.dropped.fetch_add(1, Ordering::SeqCst);
                Ok(false)
            }
            OnSinkFailure::Wait(limit) => retry(limit, first, attempt).map(|()| true),
        }
    }

    /// Appends an allowed decision under the policy: its id, or the event
    /// back when the sink failed and the policy counts the loss, `Err` when
    /// it refuses. Under [`OnSinkFailure::Refuse`], the default, nothing is
    /// retried and nothing kept, so the event goes to the sink as it is.
    #[inline]
    pub(crate) fn append_decision(
        &self,
        event: NewEvent,
    ) -> Result<Result<EventId, Box<NewEvent>>, AuditError> {
        match self.inner.policy {
            OnSinkFailure::Refuse => self
                .inner
                .sink
                .append(event)
                .map(Ok)
                .map_err(AuditError::Sink),
            _ => self.append_kept(event),
        }
    }

    /// [`append_decision`](Self::append_decision) under a policy that may
    /// count the loss and keep the event.
    #[inline(never)]
    fn append_kept(&self, event: NewEvent) -> Result<Result<EventId, Box<NewEvent>>, AuditError> {
        Ok(match self.append(&event)? {
            Some(id) => Ok(id),
            None => Err(Box::new(event)),
        })
    }

    /// Appends an event under the policy: its id, `None` when the sink
    /// failed and the policy counts the loss, `Err` when it refuses.
    pub(crate) fn append(&self, event: &NewEvent) -> Result<Option<EventId>, AuditError> {
        let mut id = None;
        let sink = &self.inner.sink;
        let done = self.under_policy(|| {
            sink.append(event.clone()).map(|i| {
                id = Some(i);
            })
        })?;
        Ok(if done { id } else { None })
    }

    /// Appends the record of a call that is refused anyway: a failure to
    /// write it cannot refuse anything more, so it is counted.
    pub(crate) fn append_refusal(&self, event: NewEvent) -> Option<EventId> {
        match self.inner.sink.append(event) {
            Ok(id) => Some(id),
            Err(_) => {
                self.inner.dropped.fetch_add(1, Ordering::SeqCst);
                None
            }
        }
    }

    /// Records how the work of allowed event `id` ended. The work happened,
    /// so this cannot refuse anything: under [`OnSinkFailure::Wait`] it is
    /// retried for as long; a failure that remains is counted and returned.
    pub(crate) fn complete(&self, id: EventId, completion: &Completion) -> Result<(), AuditError> {
        let sink = &self.inner.sink;
        let attempt = || sink.complete(id, completion);
        let outcome = match (attempt(), self.inner.policy) {
            (Ok(()), _) => Ok(()),
            (Err(first), OnSinkFailure::Wait(limit)) => retry(limit, first, attempt),
            (Err(first), _) => Err(AuditError::Sink(first)),
        };
        if outcome.is_err() {
            self.inner.dropped.fetch_add(1, Ordering::SeqCst);
        }
        outcome
    }

    /// Appends a completed event whose decision could not be recorded (the
    /// policy counted that loss): recorded now, the loss is taken back off
    /// the count; failing again, it stays counted once.
    pub(crate) fn append_completed(&self, event: NewEvent) -> Result<EventId, AuditError> {
        let sink = &self.inner.sink;
        let mut id = None;
        let mut attempt = || sink.append(event.clone()).map(|i| id = Some(i));
        let outcome = match (attempt(), self.inner.policy) {
            (Ok(()), _) => Ok(()),
            (Err(first), OnSinkFailure::Wait(limit)) => retry(limit, first, attempt),
            (Err(first), _) => Err(AuditError::Sink(first)),
        };
        match (outcome, id) {
            (Ok(()), Some(id)) => {
                // Counted when the decision could not be appended; it is on
                // record after all.
                let _ = self
                    .inner
                    .dropped
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
                Ok(id)
            }
            (Err(error), _) => Err(error),
            (Ok(()), None) => Err(AuditError::Sink(SinkError::other(
                "the sink returned no id",
            ))),
        }
    }
}

/// Retries `attempt` with a growing pause for up to `limit`.
fn retry(
    limit: Duration,
    first: SinkError,
    mut attempt: impl FnMut() -> Result<(), SinkError>,
) -> Result<(), AuditError> {
    let start = Instant::now();
    let mut pause = Duration::from_micros(50);
    let mut last = first;
    while start.elapsed() < limit {
        std::thread::sleep(pause.min(limit.saturating_sub(start.elapsed())));
        pause = (pause * 2).min(Duration::from_millis(10));
        match attempt() {
            Ok(()) => return Ok(()),
            Err(e) => last = e,
        }
    }
    Err(AuditError::TimedOut {
        waited: start.elapsed(),
        source: last,
    })
}
