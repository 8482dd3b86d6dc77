//! One consistent state of the engine: the compiled policy and the
//! directory, as of one revision.

use std::sync::Arc;

use crate::catalog::Catalog;
use crate::directory::{Directory, User};
use crate::evaluate::{Explanation, Resource, Subject};
use crate::id::{ActionId, UserId};
use crate::policy::Policy;
use crate::store::Revision;

/// One consistent state of the engine: the compiled policy and the
/// directory, as of one version.
///
/// Take one per request with [`Engine::snapshot`](super::Engine::snapshot) and run as many checks on
/// it as the request needs: they all see the same state, and cost no
/// synchronisation at all.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let org = OrgId::new(1);
/// engine.bootstrap().add_user(User::new(UserId::new(7), org, SystemRole::Viewer.id()))?;
///
/// let snapshot = engine.snapshot();
/// let catalog = snapshot.policy().catalog();
/// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), org);
/// let viewer = snapshot.subject(UserId::new(7)).ok_or("just added")?;
/// assert!(snapshot.can(&viewer, catalog.action("read")?, &workflow));
/// assert!(!snapshot.can(&viewer, catalog.action("update")?, &workflow));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub(crate) policy: Policy,
    pub(crate) directory: Directory,
    pub(crate) revision: Revision,
}

impl Snapshot {
    pub(crate) fn new(catalog: Arc<Catalog>) -> Self {
        Self {
            policy: Policy::new(catalog),
            directory: Directory::default(),
            revision: Revision::ZERO,
        }
    }

    /// The compiled policy of this state.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let runner = engine.bootstrap().create_role(OrgId::new(1), "Runner", [])?;
    /// let snapshot = engine.snapshot();
    /// assert_eq!(snapshot.policy().role(runner).map(|r| r.name()), Some("Runner"));
    /// assert_eq!(snapshot.policy().roles().count(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The catalog.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let snapshot = engine.snapshot();
    /// assert_eq!(snapshot.catalog().fingerprint(), engine.catalog().fingerprint());
    /// assert!(snapshot.catalog().resource_type("workflows").is_ok());
    /// ```
    #[must_use]
    pub fn catalog(&self) -> &Catalog {
        self.policy.catalog()
    }

    /// The revision of this state: how many changes led to it, and, on a
    /// store, the store revision it reflects.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::Revision;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// assert_eq!(engine.snapshot().revision(), Revision::ZERO);
    /// engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// assert_eq!(engine.snapshot().revision(), Revision::new(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// [`Policy::can`] on this state.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// # let catalog = engine.catalog();
    /// # let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), org);
    /// // User 2 is a Viewer.
    /// let snapshot = engine.snapshot();
    /// let viewer = snapshot.subject(UserId::new(2)).ok_or("added")?;
    /// assert!(snapshot.can(&viewer, catalog.action("read")?, &workflow));
    /// assert!(!snapshot.can(&viewer, catalog.action("delete")?, &workflow));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    #[must_use]
    pub fn can(&self, subject: &Subject, action: ActionId, resource: &Resource<'_>) -> bool {
        self.policy.can(subject, action, resource)
    }

    /// [`Policy::explain`] on this state.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Denial, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// # let catalog = engine.catalog();
    /// # let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), org);
    /// // User 2 is a Viewer.
    /// let snapshot = engine.snapshot();
    /// let viewer = snapshot.subject(UserId::new(2)).ok_or("added")?;
    /// assert!(snapshot.explain(&viewer, catalog.action("read")?, &workflow).is_allowed());
    /// let why = snapshot.explain(&viewer, catalog.action("delete")?, &workflow);
    /// assert!(matches!(why.denial(), Some(Denial::NoRule { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn explain(
        &self,
        subject: &Subject,
        action: ActionId,
        resource: &Resource<'_>,
    ) -> Explanation {
        self.policy.explain(subject, action, resource)
    }

    /// A user of the directory, with their latest recorded activity.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::Timestamp;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// let snapshot = engine.snapshot();
    /// let at = Timestamp::from_unix_millis(1_795_426_200_000);
    /// engine.record_activity(UserId::new(1), at);
    /// assert_eq!(snapshot.user(UserId::new(1)).and_then(|u| u.last_active()), Some(at));
    /// assert!(snapshot.user(UserId::new(2)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn user(&self, id: UserId) -> Option<User> {
        self.directory.record(id).map(|r| r.current())
    }

    /// A user of the directory as the subject of a check: their current
    /// role, status, customer and teams.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, CustomerId, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let widget = User::new(UserId::new(4), OrgId::new(1), SystemRole::EndUser.id()).with_customer(CustomerId::new(30));
    /// engine.bootstrap().add_user(widget)?;
    /// let snapshot = engine.snapshot();
    /// let subject = snapshot.subject(UserId::new(4)).ok_or("just added")?;
    /// assert_eq!((subject.role(), subject.customer()), (SystemRole::EndUser.id(), Some(CustomerId::new(30))));
    /// assert!(snapshot.subject(UserId::new(5)).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn subject(&self, id: UserId) -> Option<Subject> {
        self.directory.user(id).map(User::subject)
    }

    /// Whether the directory's user `id` may perform `action` on `resource`;
    /// an unknown user is denied.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// # let catalog = engine.catalog();
    /// # let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), org);
    /// // User 2 is a Viewer.
    /// let execute = catalog.action("execute")?;
    /// let before = engine.snapshot();
    /// engine.bootstrap().assign_role(UserId::new(2), SystemRole::Operator.id())?;
    /// assert!(!before.can_user(UserId::new(2), execute, &workflow), "a snapshot does not change");
    /// assert!(engine.snapshot().can_user(UserId::new(2), execute, &workflow));
    /// assert!(!engine.snapshot().can_user(UserId::new(9), execute, &workflow), "unknown users are denied");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn can_user(&self, id: UserId, action: ActionId, resource: &Resource<'_>) -> bool {
        self.directory
            .user(id)
            .is_some_and(|u| self.policy.can(&u.subject(), action, resource))
    }
}
