//! Queries over recorded events: filters, newest first, stable cursors.

use super::event::{Actor, Event, EventId, NewEvent, Outcome};
use crate::directory::Timestamp;
use crate::id::{OrgId, UserId};

/// Which events a query returns: every filter set must hold. Results come
/// newest first, `limit` at a time; pass the page's cursor to
/// [`after`](Self::after) for the next, older page.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{AuditQuery, Outcome};
/// use rolegate::directory::Timestamp;
/// use rolegate::{OrgId, UserId};
///
/// let query = AuditQuery::new()
///     .organization(OrgId::new(1))
///     .user(UserId::new(3))
///     .outcome(Outcome::Denied)
///     .between(Timestamp::EPOCH, Timestamp::now())
///     .limit(20);
/// assert_eq!(query.page_size(), 20);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditQuery {
    pub(crate) organization: Option<OrgId>,
    pub(crate) user: Option<UserId>,
    pub(crate) action: Option<String>,
    pub(crate) resource_type: Option<String>,
    pub(crate) outcome: Option<Outcome>,
    pub(crate) from: Option<Timestamp>,
    pub(crate) until: Option<Timestamp>,
    pub(crate) limit: usize,
    pub(crate) before: Option<EventId>,
}

impl Default for AuditQuery {
    fn default() -> Self {
        Self {
            organization: None,
            user: None,
            action: None,
            resource_type: None,
            outcome: None,
            from: None,
            until: None,
            limit: 100,
            before: None,
        }
    }
}

impl AuditQuery {
    /// Every event, 100 a page.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    ///
    /// let query = AuditQuery::new();
    /// assert_eq!(query.page_size(), 100);
    /// assert_eq!(query, AuditQuery::default());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Only events of this organization.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// for org in [1, 2, 1] {
    ///     log.record(HostEvent::new(OrgId::new(org), "auth.login", Outcome::Success))?;
    /// }
    /// let page = log.query(&AuditQuery::new().organization(OrgId::new(1)))?;
    /// assert_eq!(page.events.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn organization(mut self, organization: OrgId) -> Self {
        self.organization = Some(organization);
        self
    }

    /// Only events by this user.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::{OrgId, UserId};
    ///
    /// let log = AuditLog::in_memory();
    /// for user in [3, 4, 3] {
    ///     let login = HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success);
    ///     log.record(login.user(UserId::new(user)))?;
    /// }
    /// let page = log.query(&AuditQuery::new().user(UserId::new(4)))?;
    /// assert_eq!(page.events.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn user(mut self, user: UserId) -> Self {
        self.user = Some(user);
        self
    }

    /// Only events of this action.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// for action in ["auth.login", "auth.logout", "auth.login"] {
    ///     log.record(HostEvent::new(OrgId::new(1), action, Outcome::Success))?;
    /// }
    /// let page = log.query(&AuditQuery::new().action("auth.logout"))?;
    /// assert_eq!(page.events.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn action(mut self, action: &str) -> Self {
        self.action = Some(action.to_owned());
        self
    }

    /// Only events on this resource type.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// let rotate = HostEvent::new(OrgId::new(1), "credential.rotate", Outcome::Success);
    /// log.record(rotate.clone())?;
    /// log.record(rotate.resource("credential", "tok_81"))?;
    /// let page = log.query(&AuditQuery::new().resource_type("credential"))?;
    /// assert_eq!(page.events.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn resource_type(mut self, resource_type: &str) -> Self {
        self.resource_type = Some(resource_type.to_owned());
        self
    }

    /// Only events with this outcome.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// for outcome in [Outcome::Success, Outcome::Denied, Outcome::Denied] {
    ///     log.record(HostEvent::new(OrgId::new(1), "auth.login", outcome))?;
    /// }
    /// let page = log.query(&AuditQuery::new().outcome(Outcome::Denied))?;
    /// assert_eq!(page.events.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = Some(outcome);
        self
    }

    /// Only events at or after `from` and before `until`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use rolegate::audit::{AuditLog, AuditQuery, HostEvent, ManualClock, Outcome};
    /// # use rolegate::directory::Timestamp;
    /// # use rolegate::OrgId;
    /// let clock = Arc::new(ManualClock::new(Timestamp::from_unix_millis(1_000)));
    /// let log = AuditLog::in_memory().with_clock(clock.clone());
    /// for _ in 0..3 {
    ///     log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    ///     clock.advance(1_000);
    /// }
    /// let (from, until) = (Timestamp::from_unix_millis(1_000), Timestamp::from_unix_millis(3_000));
    /// let page = log.query(&AuditQuery::new().between(from, until))?;
    /// assert_eq!(page.events.len(), 2, "at 1s and 2s: `from` is in, `until` is out");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn between(mut self, from: Timestamp, until: Timestamp) -> Self {
        self.from = Some(from);
        self.until = Some(until);
        self
    }

    /// At most `limit` events a page (at least one).
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
    /// let page = log.query(&AuditQuery::new().limit(2))?;
    /// assert_eq!(page.events.len(), 2);
    /// assert!(page.next.is_some(), "there may be more");
    /// assert_eq!(AuditQuery::new().limit(0).page_size(), 1, "at least one");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit.max(1);
        self
    }

    /// The page after the one `cursor` came with: older events only.
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
    /// let query = AuditQuery::new().limit(2);
    /// let first = log.query(&query)?;
    /// let second = log.query(&query.after(first.next.ok_or("a full page has a cursor")?))?;
    /// let ids: Vec<u64> = first.events.iter().chain(&second.events).map(|e| e.id().get()).collect();
    /// assert_eq!(ids, [3, 2, 1]);
    /// assert!(second.next.is_none(), "the last page");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn after(mut self, cursor: Cursor) -> Self {
        self.before = Some(cursor.0);
        self
    }

    /// The page size.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    ///
    /// assert_eq!(AuditQuery::new().page_size(), 100);
    /// assert_eq!(AuditQuery::new().limit(20).page_size(), 20);
    /// ```
    #[must_use]
    pub fn page_size(&self) -> usize {
        self.limit
    }

    /// The organization filter, if set: for sinks that query their own
    /// store.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    /// use rolegate::OrgId;
    ///
    /// assert_eq!(AuditQuery::new().organization(OrgId::new(2)).organization_filter(), Some(OrgId::new(2)));
    /// ```
    #[must_use]
    pub fn organization_filter(&self) -> Option<OrgId> {
        self.organization
    }

    /// The user filter, if set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    /// use rolegate::UserId;
    ///
    /// assert_eq!(AuditQuery::new().user(UserId::new(3)).user_filter(), Some(UserId::new(3)));
    /// ```
    #[must_use]
    pub fn user_filter(&self) -> Option<UserId> {
        self.user
    }

    /// The action filter, if set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    ///
    /// assert_eq!(AuditQuery::new().action("auth.login").action_filter(), Some("auth.login"));
    /// ```
    #[must_use]
    pub fn action_filter(&self) -> Option<&str> {
        self.action.as_deref()
    }

    /// The resource type filter, if set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    ///
    /// assert_eq!(AuditQuery::new().resource_type("role").resource_type_filter(), Some("role"));
    /// ```
    #[must_use]
    pub fn resource_type_filter(&self) -> Option<&str> {
        self.resource_type.as_deref()
    }

    /// The outcome filter, if set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditQuery, Outcome};
    ///
    /// assert_eq!(AuditQuery::new().outcome(Outcome::Denied).outcome_filter(), Some(Outcome::Denied));
    /// ```
    #[must_use]
    pub fn outcome_filter(&self) -> Option<Outcome> {
        self.outcome
    }

    /// The time range, `from` included and `until` not, if set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    /// use rolegate::directory::Timestamp;
    ///
    /// let (from, until) = (Timestamp::EPOCH, Timestamp::from_unix_millis(10));
    /// assert_eq!(AuditQuery::new().between(from, until).time_filter(), Some((from, until)));
    /// ```
    #[must_use]
    pub fn time_filter(&self) -> Option<(Timestamp, Timestamp)> {
        self.from.zip(self.until)
    }

    /// Only events with an id below this one, if set: where the previous
    /// page ended.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditQuery, Cursor, EventId};
    ///
    /// let next = AuditQuery::new().after(Cursor::before(EventId::new(40)));
    /// assert_eq!(next.cursor(), Some(EventId::new(40)));
    /// ```
    #[must_use]
    pub fn cursor(&self) -> Option<EventId> {
        self.before
    }

    /// Whether `event` passes every filter, the cursor included.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::{OrgId, UserId};
    ///
    /// let log = AuditLog::in_memory();
    /// log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Denied).user(UserId::new(3)))?;
    /// let page = log.query(&AuditQuery::new())?;
    /// let event = page.events.first().ok_or("recorded")?;
    /// assert!(AuditQuery::new().user(UserId::new(3)).outcome(Outcome::Denied).matches(event));
    /// assert!(!AuditQuery::new().organization(OrgId::new(2)).matches(event));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn matches(&self, event: &Event) -> bool {
        self.matches_parts(event.id, &event.new)
    }

    /// [`matches`](Self::matches) on an event's id and its fields, as a
    /// sink that keeps them apart holds them.
    pub(crate) fn matches_parts(&self, id: EventId, event: &NewEvent) -> bool {
        let user = match event.actor {
            Actor::User(u) => Some(u),
            Actor::System => None,
        };
        self.before.is_none_or(|b| id < b)
            && self
                .organization
                .is_none_or(|o| event.organization == Some(o))
            && self.user.is_none_or(|u| user == Some(u))
            && self.action.as_deref().is_none_or(|a| *event.action == *a)
            && self
                .resource_type
                .as_deref()
                .is_none_or(|t| event.resource_type.as_deref() == Some(t))
            && self.outcome.is_none_or(|o| event.outcome == o)
            && self.from.is_none_or(|f| event.at >= f)
            && self.until.is_none_or(|u| event.at < u)
    }
}

/// Where a page ended: pass it to [`AuditQuery::after`] for the next one.
/// Events recorded meanwhile are newer and never appear in later pages, so
/// paging neither repeats nor skips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor(EventId);

impl Cursor {
    /// A cursor before `id`: the next page holds older events only.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, Cursor, EventId, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// for _ in 0..3 {
    ///     log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// }
    /// let page = log.query(&AuditQuery::new().after(Cursor::before(EventId::new(3))))?;
    /// let ids: Vec<u64> = page.events.iter().map(|e| e.id().get()).collect();
    /// assert_eq!(ids, [2, 1]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn before(id: EventId) -> Self {
        Self(id)
    }
}

/// One page of a query, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuditPage {
    /// The events.
    pub events: Vec<Event>,
    /// The cursor for the next page, if there may be one.
    pub next: Option<Cursor>,
}

impl AuditPage {
    /// A page of `events`, newest first, the last page when shorter than
    /// `limit`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use rolegate::audit::{AuditLog, AuditPage, AuditQuery, Cursor, EventId, HostEvent, Outcome};
    /// # use rolegate::OrgId;
    /// # let log = AuditLog::in_memory();
    /// # for _ in 0..2 {
    /// #     log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// # }
    /// // A sink's query answer: the two newest events, ids 2 and 1.
    /// let events = log.query(&AuditQuery::new())?.events;
    /// let full = AuditPage::new(events.clone(), 2);
    /// assert_eq!(full.next, Some(Cursor::before(EventId::new(1))), "there may be more");
    /// assert_eq!(AuditPage::new(events, 3).next, None, "short: the last page");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(events: Vec<Event>, limit: usize) -> Self {
        let next = if events.len() < limit {
            None
        } else {
            events.last().map(|e| Cursor(e.id))
        };
        Self { events, next }
    }
}
