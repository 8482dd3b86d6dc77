//! The in-memory sink: the default, keeping the newest events, or refusing
//! when full.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use super::event::{Completion, Event, EventId, NewEvent, Outcome};
use super::query::{AuditPage, AuditQuery};
use super::sink::{AuditSink, SinkError};

#[derive(Debug, Default)]
struct State {
    /// Events in id order, with no gap: the one at index `i` has id
    /// `first + i`, so an event's id is not stored with it.
    events: VecDeque<NewEvent>,
    first: u64,
    next: u64,
    /// Events evicted to make room, since the sink was made.
    evicted: u64,
}

/// The number of events [`MemorySink::new`] keeps: the newest 100,000.
pub const DEFAULT_CAPACITY: usize = 100_000;

/// What a full sink does with a new event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WhenFull {
    /// Evict the oldest event, counted in [`MemorySink::evicted`].
    Evict,
    /// Refuse the new one.
    Refuse,
}

/// Keeps events in memory, in the order they arrive, never more than its
/// capacity.
///
/// The default ([`new`](Self::new), [`keeping`](Self::keeping)) keeps the
/// newest events: when it is full the oldest is evicted, and every eviction
/// is counted in [`evicted`](Self::evicted) (and in
/// [`AuditLog::evicted`](super::AuditLog::evicted)), so that no event is lost
/// without a trace. A [`bounded`](Self::bounded) sink never evicts: when it is
/// full it refuses new events (the log's
/// [`OnSinkFailure`](super::OnSinkFailure) policy decides what happens then),
/// and [`drain`](Self::drain) moves the oldest events out, to ship them
/// elsewhere and make room.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{AuditLog, HostEvent, MemorySink, OnSinkFailure, Outcome};
/// use rolegate::OrgId;
/// use std::sync::Arc;
///
/// let sink = Arc::new(MemorySink::bounded(1));
/// let log = AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Count);
/// let login = || HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success);
/// assert!(log.record(login())?.is_some());
/// assert!(log.record(login())?.is_none(), "full: counted");
/// assert_eq!(log.dropped(), 1);
/// assert_eq!(sink.drain(10).len(), 1);
/// assert!(log.record(login())?.is_some(), "room again");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct MemorySink {
    state: Mutex<State>,
    capacity: usize,
    when_full: WhenFull,
}

impl Default for MemorySink {
    fn default() -> Self {
        Self::keeping(DEFAULT_CAPACITY)
    }
}

impl MemorySink {
    /// A sink keeping the newest [`DEFAULT_CAPACITY`] events.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::audit::{AuditLog, HostEvent, MemorySink, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let sink = Arc::new(MemorySink::new());
    /// let log = AuditLog::new(Arc::clone(&sink));
    /// log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// assert_eq!(sink.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A sink keeping the newest `capacity` events: when it is full, the
    /// oldest is evicted and counted.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, MemorySink, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let sink = Arc::new(MemorySink::keeping(2));
    /// let log = AuditLog::new(Arc::clone(&sink));
    /// for action in ["auth.login", "auth.refresh", "auth.logout"] {
    ///     log.record(HostEvent::new(OrgId::new(1), action, Outcome::Success))?;
    /// }
    /// let kept: Vec<String> = log.query(&AuditQuery::new())?.events.iter().map(|e| e.action().to_owned()).collect();
    /// assert_eq!(kept, ["auth.logout", "auth.refresh"], "newest first; the oldest was evicted");
    /// assert_eq!(sink.evicted(), 1);
    /// assert_eq!(log.evicted(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn keeping(capacity: usize) -> Self {
        Self {
            state: Mutex::default(),
            capacity,
            when_full: WhenFull::Evict,
        }
    }

    /// A sink holding at most `capacity` events.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, HostEvent, MemorySink, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::new(MemorySink::bounded(1));
    /// let login = || HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success);
    /// assert!(log.record(login()).is_ok());
    /// assert!(log.record(login()).is_err(), "full: refused under the default policy");
    /// ```
    #[must_use]
    pub fn bounded(capacity: usize) -> Self {
        Self {
            state: Mutex::default(),
            capacity,
            when_full: WhenFull::Refuse,
        }
    }

    /// The most events the sink holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{MemorySink, DEFAULT_CAPACITY};
    ///
    /// assert_eq!(MemorySink::new().capacity(), DEFAULT_CAPACITY);
    /// assert_eq!(MemorySink::bounded(10).capacity(), 10);
    /// ```
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many events were evicted to make room for newer ones. Always 0
    /// for a [`bounded`](Self::bounded) sink, which refuses instead.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::audit::{AuditLog, HostEvent, MemorySink, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let sink = Arc::new(MemorySink::keeping(1));
    /// let log = AuditLog::new(Arc::clone(&sink));
    /// log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// assert_eq!(sink.evicted(), 0);
    /// log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// assert_eq!((sink.len(), sink.evicted()), (1, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn evicted(&self) -> u64 {
        self.state().evicted
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Number of events held.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::audit::{AuditLog, HostEvent, MemorySink, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let sink = Arc::new(MemorySink::new());
    /// let log = AuditLog::new(Arc::clone(&sink));
    /// for _ in 0..3 {
    ///     log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// }
    /// assert_eq!(sink.len(), 3);
    /// let _shipped = sink.drain(2);
    /// assert_eq!(sink.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.state().events.len()
    }

    /// Whether no event is held.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::audit::{AuditLog, HostEvent, MemorySink, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let sink = Arc::new(MemorySink::new());
    /// assert!(sink.is_empty());
    /// let log = AuditLog::new(Arc::clone(&sink));
    /// log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// assert!(!sink.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes and returns up to `max` of the oldest events.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::audit::{AuditLog, HostEvent, MemorySink, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let sink = Arc::new(MemorySink::new());
    /// let log = AuditLog::new(Arc::clone(&sink));
    /// for action in ["auth.login", "auth.logout"] {
    ///     log.record(HostEvent::new(OrgId::new(1), action, Outcome::Success))?;
    /// }
    /// let shipped: Vec<String> = sink.drain(10).iter().map(|e| e.action().to_owned()).collect();
    /// assert_eq!(shipped, ["auth.login", "auth.logout"], "oldest first");
    /// assert!(sink.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn drain(&self, max: usize) -> Vec<Event> {
        let mut state = self.state();
        let n = max.min(state.events.len());
        let first = state.first;
        state.first += n as u64;
        (first..)
            .zip(state.events.drain(..n))
            .map(|(id, event)| event.with_id(EventId::new(id)))
            .collect()
    }

    fn full(&self, state: &State) -> bool {
        state.events.len() >= self.capacity
    }
}

impl AuditSink for MemorySink {
    fn append(&self, event: NewEvent) -> Result<EventId, SinkError> {
        let mut state = self.state();
        if self.full(&state) {
            if self.when_full == WhenFull::Refuse || state.events.is_empty() {
                return Err(SinkError::full("the in-memory audit sink is full"));
            }
            state.events.pop_front();
            state.first += 1;
            state.evicted += 1;
        }
        if state.events.is_empty() {
            state.first = state.next + 1;
        }
        state.next += 1;
        let id = EventId::new(state.next);
        state.events.push_back(event);
        Ok(id)
    }

    fn complete(&self, id: EventId, completion: &Completion) -> Result<(), SinkError> {
        let mut state = self.state();
        let at = id
            .get()
            .checked_sub(state.first)
            .and_then(|i| usize::try_from(i).ok());
        match at.and_then(|i| state.events.get_mut(i)) {
            Some(event) if event.outcome == Outcome::Allowed => {
                event.complete(completion);
                Ok(())
            }
            _ => Err(SinkError::other(
                "the in-memory audit sink holds no allowed event with this id",
            )),
        }
    }

    fn evicted(&self) -> u64 {
        MemorySink::evicted(self)
    }

    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError> {
        let state = self.state();
        // Events are in id order: start just below the cursor.
        let end = match query.before {
            Some(before) => {
                let above_first = before.get().saturating_sub(state.first);
                usize::try_from(above_first)
                    .unwrap_or(usize::MAX)
                    .min(state.events.len())
            }
            None => state.events.len(),
        };
        let first = state.first;
        let events: Vec<Event> = state
            .events
            .range(..end)
            .enumerate()
            .rev()
            .map(|(i, e)| (EventId::new(first + i as u64), e))
            .filter(|&(id, e)| query.matches_parts(id, e))
            .take(query.limit)
            .map(|(id, e)| e.clone().with_id(id))
            .collect();
        Ok(AuditPage::new(events, query.limit))
    }
}

impl<S: AuditSink + ?Sized> AuditSink for std::sync::Arc<S> {
    #[inline]
    fn append(&self, event: NewEvent) -> Result<EventId, SinkError> {
        (**self).append(event)
    }

    #[inline]
    fn complete(&self, id: EventId, completion: &Completion) -> Result<(), SinkError> {
        (**self).complete(id, completion)
    }

    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError> {
        (**self).query(query)
    }

    fn evicted(&self) -> u64 {
        (**self).evicted()
    }
}
