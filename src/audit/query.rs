//! Queries over recorded events: filters, newest first, stable cursors.

use super::event::{Event, EventId, Outcome};
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
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Only events of this organization.
    #[must_use]
    pub fn organization(mut self, organization: OrgId) -> Self {
        self.organization = Some(organization);
        self
    }

    /// Only events by this user.
    #[must_use]
    pub fn user(mut self, user: UserId) -> Self {
        self.user = Some(user);
        self
    }

    /// Only events of this action.
    #[must_use]
    pub fn action(mut self, action: &str) -> Self {
        self.action = Some(action.to_owned());
        self
    }

    /// Only events on this resource type.
    #[must_use]
    pub fn resource_type(mut self, resource_type: &str) -> Self {
        self.resource_type = Some(resource_type.to_owned());
        self
    }

    /// Only events with this outcome.
    #[must_use]
    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = Some(outcome);
        self
    }

    /// Only events at or after `from` and before `until`.
    #[must_use]
    pub fn between(mut self, from: Timestamp, until: Timestamp) -> Self {
        self.from = Some(from);
        self.until = Some(until);
        self
    }

    /// At most `limit` events a page (at least one).
    #[must_use]
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit.max(1);
        self
    }

    /// The page after the one `cursor` came with: older events only.
    #[must_use]
    pub fn after(mut self, cursor: Cursor) -> Self {
        self.before = Some(cursor.0);
        self
    }

    /// The page size.
    #[must_use]
    pub fn page_size(&self) -> usize {
        self.limit
    }

    /// Whether `event` passes every filter, the cursor included.
    #[must_use]
    pub fn matches(&self, event: &Event) -> bool {
        self.before.is_none_or(|b| event.id < b)
            && self
                .organization
                .is_none_or(|o| event.organization() == Some(o))
            && self.user.is_none_or(|u| event.user() == Some(u))
            && self.action.as_deref().is_none_or(|a| event.action() == a)
            && self
                .resource_type
                .as_deref()
                .is_none_or(|t| event.resource_type() == Some(t))
            && self.outcome.is_none_or(|o| event.outcome() == o)
            && self.from.is_none_or(|f| event.at() >= f)
            && self.until.is_none_or(|u| event.at() < u)
    }
}

/// Where a page ended: pass it to [`AuditQuery::after`] for the next one.
/// Events recorded meanwhile are newer and never appear in later pages, so
/// paging neither repeats nor skips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor(EventId);

impl Cursor {
    /// A cursor before `id`: the next page holds older events only.
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
