//! `authorize`: a check that records, and the grant a host completes.

use super::event::Actor;
use super::event::{Completion, EventId, NewEvent, Outcome};
use super::log::AuditLog;
use super::sink::{AuditError, SinkError};
use crate::directory::Timestamp;
use crate::evaluate::{Denial, Resource};
use crate::id::{ActionId, OrgId, RoleId, UserId};
use crate::policy::Policy;
use crate::text::Text;

/// Why [`Engine::authorize`](crate::Engine::authorize) refused.
///
/// # Examples
///
/// ```
/// use rolegate::audit::AuthorizeError;
/// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let org = OrgId::new(1);
/// engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
/// let catalog = engine.catalog();
/// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(5), org);
/// let viewer = UserId::new(2);
///
/// match engine.authorize(viewer, catalog.action("delete")?, &workflow) {
///     Err(AuthorizeError::Denied { event, .. }) => assert!(event.is_some(), "recorded at once"),
///     other => return Err(format!("expected a denial, got {other:?}").into()),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthorizeError {
    /// The check denied the request; the denial is recorded.
    #[error("access denied")]
    Denied {
        /// Why.
        denial: Denial,
        /// The event recording it; `None` if the sink would not take it (the
        /// loss is counted in [`AuditLog::dropped`]).
        event: Option<EventId>,
    },
    /// The check allowed the request, but it could not be recorded and the
    /// policy refuses unrecorded actions.
    #[error("the request could not be recorded")]
    Audit(#[source] AuditError),
}

/// Permission to go ahead, to be completed as a success or a failure once
/// the work is done. The decision is on record before the grant is handed
/// out (as [`Outcome::Allowed`](super::Outcome::Allowed)); completing it
/// records the outcome, and dropping it without completion records a
/// failure. A grant that is never completed at all, because the process
/// died or the value was leaked, leaves the allowed decision in the log.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{AuditQuery, Outcome};
/// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let org = OrgId::new(1);
/// engine.bootstrap().add_user(User::new(UserId::new(3), org, SystemRole::Developer.id()))?;
/// let catalog = engine.catalog();
/// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(5), org);
/// let developer = UserId::new(3);
///
/// let grant = engine.authorize(developer, catalog.action("execute")?, &workflow)?;
/// // ... run the workflow ...
/// grant.success()?;
///
/// {
///     let _forgotten = engine.authorize(developer, catalog.action("execute")?, &workflow)?;
/// }
/// let log = engine.audit().query(&AuditQuery::new().action("workflows.execute"))?;
/// let outcomes: Vec<Outcome> = log.events.iter().map(|e| e.outcome()).collect();
/// assert_eq!(outcomes, [Outcome::Failure, Outcome::Success]);
/// assert_eq!(log.events[0].reason(), Some("the grant was dropped without being completed"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use = "complete the grant with `success` or `failure`; dropping it records a failure"]
pub struct Grant {
    log: AuditLog,
    /// What is left to record; `None` once completed.
    pending: Option<Pending>,
    /// The recorded decision; `None` when the sink failed and the policy
    /// counted the loss.
    id: Option<EventId>,
}

/// What a grant records when it is completed.
#[derive(Debug)]
enum Pending {
    /// The outcome of the recorded decision.
    Outcome(EventId),
    /// The whole event, whose decision could not be recorded.
    Event(Box<NewEvent>),
}

impl Grant {
    /// A grant for the recorded decision, or for the event whose decision
    /// could not be recorded, kept to record it whole at completion.
    pub(crate) fn new(log: AuditLog, recorded: Result<EventId, Box<NewEvent>>) -> Self {
        let (pending, id) = match recorded {
            Ok(id) => (Pending::Outcome(id), Some(id)),
            Err(event) => (Pending::Event(event), None),
        };
        Self {
            log,
            pending: Some(pending),
            id,
        }
    }

    fn complete(&mut self, outcome: Outcome, reason: Option<&str>) -> Result<EventId, AuditError> {
        let Some(pending) = self.pending.take() else {
            return Err(AuditError::Sink(SinkError::other(
                "grant already completed",
            )));
        };
        let completion = Completion::new(outcome, reason, self.log.now());
        match pending {
            Pending::Outcome(id) => self.log.complete(id, &completion).map(|()| id),
            // The decision's loss was counted; recording the whole event now
            // makes up for it.
            Pending::Event(event) => self.log.append_completed(event.completed(&completion)),
        }
    }

    /// The recorded decision's event id; `None` when the log's policy let
    /// the work go ahead unrecorded (and counted the loss).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// engine.bootstrap().add_user(User::new(UserId::new(3), org, SystemRole::Developer.id()))?;
    /// let catalog = engine.catalog();
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(5), org);
    /// let developer = UserId::new(3);
    /// let grant = engine.authorize(developer, catalog.action("execute")?, &workflow)?;
    /// let id = grant.event().ok_or("recorded")?;
    /// assert_eq!(grant.success()?, id);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn event(&self) -> Option<EventId> {
        self.id
    }

    /// Records that the work succeeded.
    ///
    /// # Errors
    ///
    /// [`AuditError::Sink`] when the sink would not take the completion;
    /// the work is done, so the loss is also counted in
    /// [`AuditLog::dropped`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use rolegate::audit::{AuditQuery, Outcome};
    /// # use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(3), org, SystemRole::Developer.id()))?;
    /// let catalog = engine.catalog();
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(5), org);
    /// let developer = UserId::new(3);
    /// let grant = engine.authorize(developer, catalog.action("execute")?, &workflow)?;
    /// let id = grant.success()?;
    /// let page = engine.audit().query(&AuditQuery::new().action("workflows.execute"))?;
    /// assert_eq!((page.events[0].id(), page.events[0].outcome()), (id, Outcome::Success));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn success(mut self) -> Result<EventId, AuditError> {
        self.complete(Outcome::Success, None)
    }

    /// Records that the work failed, and why.
    ///
    /// # Errors
    ///
    /// As [`success`](Self::success).
    ///
    /// # Examples
    ///
    /// ```
    /// # use rolegate::audit::{AuditQuery, Outcome};
    /// # use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(3), org, SystemRole::Developer.id()))?;
    /// let catalog = engine.catalog();
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(5), org);
    /// let developer = UserId::new(3);
    /// let grant = engine.authorize(developer, catalog.action("execute")?, &workflow)?;
    /// // ... the workflow runs out of time ...
    /// grant.failure("the runner timed out")?;
    /// let page = engine.audit().query(&AuditQuery::new().action("workflows.execute"))?;
    /// let event = page.events.first().ok_or("recorded")?;
    /// assert_eq!(event.outcome(), Outcome::Failure);
    /// assert_eq!(event.reason(), Some("the runner timed out"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn failure(mut self, reason: &str) -> Result<EventId, AuditError> {
        self.complete(Outcome::Failure, Some(reason))
    }
}

impl Drop for Grant {
    fn drop(&mut self) {
        if self.pending.is_some() {
            // A completion the sink will not take is counted by the log; a
            // drop has nowhere else to report it.
            let _ = self.complete(
                Outcome::Failure,
                Some("the grant was dropped without being completed"),
            );
        }
    }
}

/// Makes the event for a check: the permission's name as the action, the
/// resource's type and id.
pub(crate) fn check_event(
    policy: &Policy,
    (user, organization, role): (UserId, OrgId, Option<RoleId>),
    action: ActionId,
    resource: &Resource<'_>,
    at: Timestamp,
) -> NewEvent {
    let catalog = policy.catalog();
    let resource_type = resource.resource_type();
    let type_name = match catalog.resource_type_text(resource_type) {
        Some(name) => name.clone(),
        None => Text::from(resource_type.to_string()),
    };
    // The permission's name; an inapplicable pair is named from its parts
    // (the one case that allocates).
    let action_name = match catalog
        .permission_of(resource_type, action)
        .and_then(|p| catalog.permission_text(p))
    {
        Some(name) => name.clone(),
        None => Text::from(catalog.pair_name(resource_type, action)),
    };
    NewEvent {
        at,
        organization: Some(organization),
        actor: Actor::User(user),
        role: role.and_then(|id| policy.entry(id).map(|e| (id, e.label.clone()))),
        action: action_name,
        resource_type: Some(type_name),
        resource_id: Some(Text::number(resource.id().get())),
        outcome: Outcome::Success,
        reason: None,
        completed_at: None,
    }
}
