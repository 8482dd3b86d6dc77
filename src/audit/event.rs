//! Events: what is recorded, and how text is made safe to record.

use core::fmt;

use super::Reason;
use crate::directory::Timestamp;
use crate::id::{OrgId, RoleId, UserId};
use crate::text::{Text, clean_text, excerpt};

/// Who acted: a user of the directory, or the system (trusted
/// configuration, and host events that name no user).
///
/// # Examples
///
/// ```
/// use rolegate::audit::Actor;
/// use rolegate::{Catalog, Engine, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// assert_eq!(engine.admin(UserId::new(3)).actor(), Actor::User(UserId::new(3)));
/// assert_eq!(engine.bootstrap().actor(), Actor::System);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Actor {
    /// Trusted configuration: not subject to the delegation guard.
    System,
    /// A user of the directory, checked by the delegation guard.
    User(UserId),
}

/// An event's id, given by the sink in the order events are appended.
///
/// # Examples
///
/// ```
/// use rolegate::audit::EventId;
///
/// assert!(EventId::new(2) > EventId::new(1));
/// assert_eq!(EventId::new(7).get(), 7);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(u64);

impl EventId {
    /// An id from its number.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::EventId;
    ///
    /// let id = EventId::new(7);
    /// assert_eq!(id.get(), 7);
    /// assert_eq!(id.to_string(), "7");
    /// ```
    #[must_use]
    pub const fn new(id: u64) -> Self {
        Self(id)
    }

    /// The id's number.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// let id = log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// assert_eq!(id.map(|i| i.get()), Some(1), "the in-memory sink counts from 1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// How a recorded action ended.
///
/// # Examples
///
/// ```
/// use rolegate::audit::Outcome;
///
/// assert_eq!(Outcome::Denied.to_string(), "denied");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// Allowed, and not completed: the work is under way, or its
    /// completion never came (the process died, the grant was leaked).
    Allowed,
    /// Allowed and done.
    Success,
    /// Allowed, or attempted, and failed.
    Failure,
    /// Refused by a permission check or the delegation guard.
    Denied,
}

impl Outcome {
    /// The lowercase name.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::Outcome;
    ///
    /// let names: Vec<&str> = [Outcome::Success, Outcome::Failure, Outcome::Denied]
    ///     .iter()
    ///     .map(|o| o.as_str())
    ///     .collect();
    /// assert_eq!(names, ["success", "failure", "denied"]);
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Denied => "denied",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text that names no outcome.
///
/// # Examples
///
/// ```
/// use rolegate::audit::Outcome;
///
/// let err = "maybe".parse::<Outcome>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown outcome \"maybe\": expected allowed, success, failure or denied");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown outcome {0:?}: expected allowed, success, failure or denied")]
pub struct OutcomeError(String);

impl core::str::FromStr for Outcome {
    type Err = OutcomeError;

    /// Reads the lowercase name [`Outcome::as_str`] gives.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        [Self::Allowed, Self::Success, Self::Failure, Self::Denied]
            .into_iter()
            .find(|o| o.as_str() == text)
            .ok_or_else(|| OutcomeError(excerpt(text)))
    }
}

/// Whether `name` is an action name: lowercase words of letters, digits and
/// `_`, joined by `.`, at most 64 characters (`workflows.execute`,
/// `auth.login`).
/// The first words of the engine's own action names: a host event may not
/// begin with one.
pub const RESERVED_ACTION_PREFIXES: [&str; 3] = ["role", "member", "team"];

/// Whether `name` is one of the engine's own action names, or could pass
/// for one: its first word is reserved.
pub(crate) fn is_reserved_action(name: &str) -> bool {
    let first = name.split('.').next().unwrap_or_default();
    RESERVED_ACTION_PREFIXES.contains(&first)
}

pub(crate) fn is_action_name(name: &str) -> bool {
    name.len() <= 64
        && !name.is_empty()
        && name.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// An event before the sink has given it an id: what a sink stores.
///
/// A sink reads the fields to store them, and rebuilds an event from what
/// it stored with [`NewEvent::new`], the fields and
/// [`with_id`](Self::with_id).
///
/// # Examples
///
/// ```
/// use rolegate::audit::{Actor, EventId, NewEvent, Outcome};
/// use rolegate::directory::Timestamp;
/// use rolegate::{OrgId, UserId};
///
/// let mut event = NewEvent::new(Timestamp::from_unix_millis(1_000), Actor::User(UserId::new(3)), "auth.login", Outcome::Success);
/// event.organization = Some(OrgId::new(1));
/// let stored = event.with_id(EventId::new(7));
/// assert_eq!((stored.id(), stored.action(), stored.user()), (EventId::new(7), "auth.login", Some(UserId::new(3))));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewEvent {
    /// When it happened (for an allowed check, when it was decided), UTC.
    pub at: Timestamp,
    /// The organization it belongs to; `None` for a system call that names
    /// none.
    pub organization: Option<OrgId>,
    /// Who acted.
    pub actor: Actor,
    /// The role the acting user held then, with its name then.
    pub role: Option<(RoleId, Text)>,
    /// The action: `workflows.execute`, `role.update`, `auth.login`...
    pub action: Text,
    /// The resource type acted on, if any.
    pub resource_type: Option<Text>,
    /// The resource's id, if any.
    pub resource_id: Option<Text>,
    /// How it ended, so far.
    pub outcome: Outcome,
    /// Why it was denied or failed: for a denied check, the denial itself,
    /// put in words when read.
    pub reason: Option<Reason>,
    /// When an allowed event was completed.
    pub completed_at: Option<Timestamp>,
}

impl NewEvent {
    /// An event of `action` by `actor` at `at`, with no organization,
    /// role, resource or reason.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{Actor, NewEvent, Outcome};
    /// use rolegate::directory::Timestamp;
    ///
    /// let event = NewEvent::new(Timestamp::EPOCH, Actor::System, "team.create", Outcome::Success);
    /// assert_eq!((event.action.as_str(), event.organization), ("team.create", None));
    /// ```
    #[must_use]
    pub fn new(at: Timestamp, actor: Actor, action: &str, outcome: Outcome) -> Self {
        Self {
            at,
            organization: None,
            actor,
            role: None,
            action: Text::from(action),
            resource_type: None,
            resource_id: None,
            outcome,
            reason: None,
            completed_at: None,
        }
    }

    /// The event with the id its sink gives it.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{Actor, EventId, NewEvent, Outcome};
    /// use rolegate::directory::Timestamp;
    ///
    /// let event = NewEvent::new(Timestamp::EPOCH, Actor::System, "team.create", Outcome::Success);
    /// assert_eq!(event.with_id(EventId::new(1)).id(), EventId::new(1));
    /// ```
    #[must_use]
    pub fn with_id(self, id: EventId) -> Event {
        Event { id, new: self }
    }

    /// The event with `completion` applied: its outcome, reason and time.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{Actor, Completion, NewEvent, Outcome};
    /// use rolegate::directory::Timestamp;
    ///
    /// let allowed = NewEvent::new(Timestamp::EPOCH, Actor::System, "workflows.execute", Outcome::Allowed);
    /// let done = allowed.completed(&Completion::new(Outcome::Failure, Some("timeout"), Timestamp::from_unix_millis(5)));
    /// assert_eq!(done.outcome, Outcome::Failure);
    /// assert_eq!(done.reason.as_ref().map(|r| r.as_str()), Some("timeout"));
    /// assert_eq!(done.completed_at, Some(Timestamp::from_unix_millis(5)));
    /// ```
    #[must_use]
    pub fn completed(mut self, completion: &Completion) -> Self {
        self.complete(completion);
        self
    }

    /// Applies `completion` in place.
    pub(crate) fn complete(&mut self, completion: &Completion) {
        self.outcome = completion.outcome;
        self.reason = completion.reason.as_deref().map(Reason::from);
        self.completed_at = Some(completion.at);
    }
}

/// How the work of an allowed event ended: what
/// [`AuditSink::complete`](super::AuditSink::complete) records.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{Completion, Outcome};
/// use rolegate::directory::Timestamp;
///
/// let done = Completion::new(Outcome::Success, None, Timestamp::from_unix_millis(9));
/// assert_eq!((done.outcome, done.reason), (Outcome::Success, None));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Completion {
    /// [`Outcome::Success`] or [`Outcome::Failure`].
    pub outcome: Outcome,
    /// Why it failed (cleaned).
    pub reason: Option<String>,
    /// When it was completed.
    pub at: Timestamp,
}

impl Completion {
    /// A completion with `outcome`, cleaning the reason.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{Completion, Outcome};
    /// use rolegate::directory::Timestamp;
    ///
    /// let failed = Completion::new(Outcome::Failure, Some("line\nbreak"), Timestamp::EPOCH);
    /// assert_eq!(failed.reason.as_deref(), Some("line\\nbreak"));
    /// ```
    #[must_use]
    pub fn new(outcome: Outcome, reason: Option<&str>, at: Timestamp) -> Self {
        Self {
            outcome,
            reason: reason.map(clean_text),
            at,
        }
    }
}

/// One recorded action ([semantics](crate::semantics) §12.1).
///
/// Every text in it has been cleaned: control and line-breaking characters
/// are escaped, so that no field can start another event or line.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{AuditQuery, HostEvent, Outcome};
/// use rolegate::{Catalog, Engine, OrgId, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// engine.audit().record(
///     HostEvent::new(OrgId::new(1), "auth.login", Outcome::Failure)
///         .user(UserId::new(9))
///         .reason("bad password\nOutcome: success"),
/// )?;
/// let page = engine.audit().query(&AuditQuery::new().organization(OrgId::new(1)))?;
/// let event = &page.events[0];
/// assert_eq!(event.action(), "auth.login");
/// assert_eq!(event.reason(), Some("bad password\\nOutcome: success"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub(crate) id: EventId,
    pub(crate) new: NewEvent,
}

impl Event {
    /// The event's id.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, EventId, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// let recorded = log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// let page = log.query(&AuditQuery::new())?;
    /// let event = page.events.first().ok_or("recorded")?;
    /// assert_eq!(Some(event.id()), recorded);
    /// assert_eq!(event.id(), EventId::new(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn id(&self) -> EventId {
        self.id
    }

    /// When it happened, UTC.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, ManualClock, Outcome};
    /// use rolegate::directory::Timestamp;
    /// use rolegate::OrgId;
    ///
    /// let clock = Arc::new(ManualClock::new(Timestamp::from_unix_millis(1_000)));
    /// let log = AuditLog::in_memory().with_clock(clock);
    /// log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// let page = log.query(&AuditQuery::new())?;
    /// assert_eq!(page.events.first().map(|e| e.at()), Some(Timestamp::from_unix_millis(1_000)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn at(&self) -> Timestamp {
        self.new.at
    }

    /// The organization it belongs to; `None` for a system call that names
    /// none.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// log.record(HostEvent::new(OrgId::new(4), "auth.login", Outcome::Success))?;
    /// let page = log.query(&AuditQuery::new())?;
    /// assert_eq!(page.events.first().and_then(|e| e.organization()), Some(OrgId::new(4)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn organization(&self) -> Option<OrgId> {
        self.new.organization
    }

    /// Who acted.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{Actor, AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::{OrgId, UserId};
    ///
    /// let log = AuditLog::in_memory();
    /// let rotate = HostEvent::new(OrgId::new(1), "credential.rotate", Outcome::Success);
    /// log.record(rotate.clone())?;
    /// log.record(rotate.user(UserId::new(3)))?;
    /// let page = log.query(&AuditQuery::new())?;
    /// let actors: Vec<Actor> = page.events.iter().map(|e| e.actor()).collect();
    /// assert_eq!(actors, [Actor::User(UserId::new(3)), Actor::System], "newest first");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn actor(&self) -> Actor {
        self.new.actor
    }

    /// The acting user, if a user acted.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::{OrgId, UserId};
    ///
    /// let log = AuditLog::in_memory();
    /// let login = HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success);
    /// log.record(login.clone())?;
    /// log.record(login.user(UserId::new(3)))?;
    /// let page = log.query(&AuditQuery::new())?;
    /// let users: Vec<Option<UserId>> = page.events.iter().map(|e| e.user()).collect();
    /// assert_eq!(users, [Some(UserId::new(3)), None]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn user(&self) -> Option<UserId> {
        match self.new.actor {
            Actor::User(u) => Some(u),
            Actor::System => None,
        }
    }

    /// The role the user held at the time, with its name then.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let (org, owner) = (OrgId::new(1), UserId::new(1));
    /// engine.bootstrap().add_user(User::new(owner, org, SystemRole::Owner.id()))?;
    /// engine.admin(owner).create_team(org, "Ops")?;
    /// let page = engine.audit().query(&AuditQuery::new().user(owner))?;
    /// let event = page.events.first().ok_or("recorded")?;
    /// assert_eq!(event.role(), Some((SystemRole::Owner.id(), "Owner")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn role(&self) -> Option<(RoleId, &str)> {
        self.new
            .role
            .as_ref()
            .map(|(id, name)| (*id, name.as_str()))
    }

    /// The action: `workflows.execute`, `role.update`, `auth.login`...
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// let page = engine.audit().query(&AuditQuery::new())?;
    /// assert_eq!(page.events.first().map(|e| e.action()), Some("team.create"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn action(&self) -> &str {
        &self.new.action
    }

    /// The resource type acted on, if any: `workflows`, `role`, `user`...
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// let page = engine.audit().query(&AuditQuery::new())?;
    /// assert_eq!(page.events.first().and_then(|e| e.resource_type()), Some("team"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn resource_type(&self) -> Option<&str> {
        self.new.resource_type.as_deref()
    }

    /// The resource's id, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// let rotate = HostEvent::new(OrgId::new(1), "credential.rotate", Outcome::Success);
    /// log.record(rotate.resource("credential", "tok_81"))?;
    /// let page = log.query(&AuditQuery::new())?;
    /// assert_eq!(page.events.first().and_then(|e| e.resource_id()), Some("tok_81"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn resource_id(&self) -> Option<&str> {
        self.new.resource_id.as_deref()
    }

    /// How it ended.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditQuery, Outcome};
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let (org, viewer) = (OrgId::new(1), UserId::new(2));
    /// engine.bootstrap().add_user(User::new(viewer, org, SystemRole::Viewer.id()))?;
    /// assert!(engine.admin(viewer).create_team(org, "Ops").is_err());
    /// let page = engine.audit().query(&AuditQuery::new().user(viewer))?;
    /// assert_eq!(page.events.first().map(|e| e.outcome()), Some(Outcome::Denied));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn outcome(&self) -> Outcome {
        self.new.outcome
    }

    /// Why it was denied or failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// let login = HostEvent::new(OrgId::new(1), "auth.login", Outcome::Failure);
    /// log.record(login.reason("bad password\nOutcome: success"))?;
    /// let page = log.query(&AuditQuery::new())?;
    /// let reason = page.events.first().and_then(|e| e.reason());
    /// assert_eq!(reason, Some("bad password\\nOutcome: success"), "the line break is escaped");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn reason(&self) -> Option<&str> {
        self.new.reason.as_ref().map(Reason::as_str)
    }

    /// When an allowed event was completed, if it was.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditQuery, Outcome};
    /// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Developer.id()))?;
    /// let catalog = engine.catalog();
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(5), org);
    /// let developer = UserId::new(2);
    /// let grant = engine.authorize(developer, catalog.action("execute")?, &workflow)?;
    ///
    /// let query = AuditQuery::new().action("workflows.execute");
    /// let before = engine.audit().query(&query)?.events;
    /// assert_eq!((before[0].outcome(), before[0].completed_at()), (Outcome::Allowed, None));
    /// grant.success()?;
    /// let after = engine.audit().query(&query)?.events;
    /// assert_eq!(after[0].outcome(), Outcome::Success);
    /// assert!(after[0].completed_at().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn completed_at(&self) -> Option<Timestamp> {
        self.new.completed_at
    }

    /// The event's fields.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{Actor, EventId, NewEvent, Outcome};
    /// use rolegate::directory::Timestamp;
    ///
    /// let event = NewEvent::new(Timestamp::EPOCH, Actor::System, "team.create", Outcome::Success).with_id(EventId::new(3));
    /// assert_eq!(event.fields().action, "team.create");
    /// ```
    #[must_use]
    pub fn fields(&self) -> &NewEvent {
        &self.new
    }
}

/// An event the host records itself, such as `auth.login`.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{HostEvent, Outcome};
/// use rolegate::{Catalog, Engine, OrgId, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let id = engine.audit().record(
///     HostEvent::new(OrgId::new(1), "credential.token_refresh", Outcome::Success)
///         .user(UserId::new(4))
///         .resource("credential", "tok_81"),
/// )?;
/// assert_eq!(id.map(|i| i.get()), Some(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostEvent {
    pub(crate) organization: OrgId,
    pub(crate) action: String,
    pub(crate) outcome: Outcome,
    pub(crate) user: Option<UserId>,
    pub(crate) resource: Option<(String, String)>,
    pub(crate) reason: Option<String>,
}

impl HostEvent {
    /// An event of `organization`: `action` is a dotted lowercase name such
    /// as `auth.login`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditError, AuditLog, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// let login = HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success);
    /// assert!(log.record(login).is_ok());
    /// let spaced = HostEvent::new(OrgId::new(1), "Auth Login", Outcome::Success);
    /// assert!(matches!(log.record(spaced), Err(AuditError::InvalidAction { .. })));
    /// ```
    #[must_use]
    pub fn new(organization: OrgId, action: &str, outcome: Outcome) -> Self {
        Self {
            organization,
            action: action.to_owned(),
            outcome,
            user: None,
            resource: None,
            reason: None,
        }
    }

    /// The user who acted.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::{OrgId, UserId};
    ///
    /// let log = AuditLog::in_memory();
    /// let login = HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success);
    /// log.record(login.user(UserId::new(3)))?;
    /// let page = log.query(&AuditQuery::new().user(UserId::new(3)))?;
    /// assert_eq!(page.events.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn user(mut self, user: UserId) -> Self {
        self.user = Some(user);
        self
    }

    /// The resource acted on: a type name (lowercase word) and an id.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditError, AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    ///
    /// let log = AuditLog::in_memory();
    /// let rotate = HostEvent::new(OrgId::new(1), "credential.rotate", Outcome::Success);
    /// log.record(rotate.clone().resource("credential", "tok_81"))?;
    /// let bad = log.record(rotate.resource("API Key", "tok_82"));
    /// assert!(matches!(bad, Err(AuditError::InvalidResourceType { .. })));
    /// let page = log.query(&AuditQuery::new().resource_type("credential"))?;
    /// assert_eq!(page.events.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn resource(mut self, resource_type: &str, id: &str) -> Self {
        self.resource = Some((resource_type.to_owned(), id.to_owned()));
        self
    }

    /// Why it failed or was denied.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::{OrgId, UserId};
    ///
    /// let log = AuditLog::in_memory();
    /// let login = HostEvent::new(OrgId::new(1), "auth.login", Outcome::Failure).user(UserId::new(3));
    /// log.record(login.reason("bad password"))?;
    /// let page = log.query(&AuditQuery::new().outcome(Outcome::Failure))?;
    /// assert_eq!(page.events.first().and_then(|e| e.reason()), Some("bad password"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn reason(mut self, reason: &str) -> Self {
        self.reason = Some(reason.to_owned());
        self
    }
}
