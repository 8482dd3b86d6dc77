//! One consistent state of the engine: the compiled policy and the
//! directory, as of one revision.

use std::sync::Arc;

use crate::catalog::Catalog;
use crate::directory::{Directory, User};
use crate::evaluate::{Denial, Explanation, Resource, Subject};
use crate::id::{ActionId, OrgId, UserId};
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
/// let viewer = UserId::new(7);
/// assert!(snapshot.can(viewer, catalog.action("read")?, &workflow));
/// assert!(!snapshot.can(viewer, catalog.action("update")?, &workflow));
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

    /// Whether the directory's user `user` may perform `action` on
    /// `resource` in this state: their role, status, customer and teams are
    /// this state's, read in place, whatever the number of teams. An
    /// unknown user is denied.
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
    /// assert!(snapshot.can(UserId::new(2), catalog.action("read")?, &workflow));
    /// assert!(!snapshot.can(UserId::new(2), catalog.action("delete")?, &workflow));
    /// assert!(!snapshot.can(UserId::new(9), catalog.action("read")?, &workflow), "unknown users are denied");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn can(&self, user: UserId, action: ActionId, resource: &Resource<'_>) -> bool {
        self.directory
            .principal(user)
            .is_some_and(|user| self.policy.decide(&user, action, resource))
    }

    /// Which of `resources` the directory's user `user` may perform
    /// `action` on, in order: a list page checked at once, the user and
    /// their role read once. An unknown user is denied everything.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let (acme, globex) = (OrgId::new(1), OrgId::new(2));
    /// engine.bootstrap().add_user(User::new(UserId::new(2), acme, SystemRole::Viewer.id()))?;
    /// let catalog = engine.catalog();
    /// let workflows = catalog.resource_type("workflows")?;
    /// let page: Vec<Resource> = [acme, globex, acme]
    ///     .iter()
    ///     .enumerate()
    ///     .map(|(i, &org)| Resource::new(workflows, ResourceId::new(i as u64), org))
    ///     .collect();
    /// let read = catalog.action("read")?;
    /// assert_eq!(engine.snapshot().can_many(UserId::new(2), read, &page), [true, false, true]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn can_many(
        &self,
        user: UserId,
        action: ActionId,
        resources: &[Resource<'_>],
    ) -> Vec<bool> {
        // The team list is read once for the page, not once per resource.
        match self.directory.who(user) {
            Some(who) => self.policy.decide_many(&who, action, resources),
            None => vec![false; resources.len()],
        }
    }

    /// The resources of type `resource_type` the directory's user `user`
    /// may act on with `action` in this state, as a [`Filter`](crate::filter::Filter)
    /// that agrees with [`can`](Self::can) on every resource
    /// ([semantics](crate::semantics) §16); [`Nothing`](crate::filter::Filter::Nothing)
    /// for an unknown user.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::filter::Filter;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().add_user(User::new(UserId::new(2), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// let catalog = engine.catalog();
    /// let (workflows, read) = (catalog.resource_type("workflows")?, catalog.action("read")?);
    /// let snapshot = engine.snapshot();
    /// assert!(matches!(snapshot.filter(UserId::new(2), read, workflows), Filter::All { .. }));
    /// assert_eq!(snapshot.filter(UserId::new(9), read, workflows), Filter::Nothing);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn filter(
        &self,
        user: UserId,
        action: ActionId,
        resource_type: crate::id::ResourceTypeId,
    ) -> crate::filter::Filter {
        match self.directory.who(user) {
            Some(who) => self.policy.filter_for(&who, action, resource_type),
            None => crate::filter::Filter::Nothing,
        }
    }

    /// Why the directory's user `user` may or may not perform `action` on
    /// `resource` in this state: the rule that allows it, or the reason it
    /// is denied; it always agrees with [`can`](Self::can).
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
    /// assert!(snapshot.explain(UserId::new(2), catalog.action("read")?, &workflow).is_allowed());
    /// let why = snapshot.explain(UserId::new(2), catalog.action("delete")?, &workflow);
    /// assert!(matches!(why.denial(), Some(Denial::NoRule { .. })));
    /// let unknown = snapshot.explain(UserId::new(9), catalog.action("read")?, &workflow);
    /// assert_eq!(unknown.denial(), Some(&Denial::UnknownUser { user: UserId::new(9) }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn explain(&self, user: UserId, action: ActionId, resource: &Resource<'_>) -> Explanation {
        match self.directory.who(user) {
            Some(who) => self.policy.explain_who(&who, action, resource),
            None => Explanation::Denied(Denial::UnknownUser { user }),
        }
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
        self.directory.user(id)
    }

    /// Number of users in the directory.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let mut builder = Engine::builder(Catalog::standard());
    /// for i in 1..=3 {
    ///     builder.add_user(User::new(UserId::new(i), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// }
    /// let engine = builder.build();
    /// assert_eq!(engine.snapshot().user_count(), 3);
    /// engine.bootstrap().remove_user(UserId::new(2))?;
    /// assert_eq!(engine.snapshot().user_count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn user_count(&self) -> usize {
        self.directory.user_count()
    }

    /// The organization of user `id`, read in place; `None` for a user the
    /// directory does not have.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().add_user(User::new(UserId::new(4), OrgId::new(3), SystemRole::Viewer.id()))?;
    /// let snapshot = engine.snapshot();
    /// assert_eq!(snapshot.organization_of(UserId::new(4)), Some(OrgId::new(3)));
    /// assert_eq!(snapshot.organization_of(UserId::new(5)), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn organization_of(&self, id: UserId) -> Option<OrgId> {
        self.directory.who(id).map(|who| who.organization)
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
        self.directory.who(id).map(|w| w.subject())
    }
}
