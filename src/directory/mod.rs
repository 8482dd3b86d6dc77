//! The directory: users with their role and status, teams, and the people listing.
//!
//! Kept in persistent maps, so that a snapshot of the engine shares all of it
//! with the next one and a change copies only what it touches.

mod activity;
mod idset;
mod state;
mod table;
mod time;

pub(crate) use idset::IdSet;
pub(crate) use state::Directory;
pub use time::Timestamp;

use smallvec::SmallVec;

use crate::evaluate::{Subject, UserStatus};
use crate::id::{CustomerId, OrgId, PermissionId, RoleId, TeamId, UserId};

/// A user of an organization: exactly one role, a status, optional customer,
/// teams, and the last time they were active.
///
/// # Examples
///
/// ```
/// use rolegate::{CustomerId, OrgId, SystemRole, User, UserId, UserStatus};
///
/// let dave = User::new(UserId::new(4), OrgId::new(1), SystemRole::EndUser.id())
///     .with_customer(CustomerId::new(30))
///     .with_status(UserStatus::Invited);
/// assert_eq!(dave.status(), UserStatus::Invited);
/// assert_eq!(dave.subject().customer(), Some(CustomerId::new(30)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub(crate) id: UserId,
    pub(crate) organization: OrgId,
    pub(crate) customer: Option<CustomerId>,
    pub(crate) teams: SmallVec<[TeamId; 4]>,
    pub(crate) role: RoleId,
    pub(crate) status: UserStatus,
    pub(crate) last_active: Option<Timestamp>,
}

impl User {
    /// An active user with no customer and no team.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// let ada = User::new(UserId::new(1), OrgId::new(1), SystemRole::Developer.id());
    /// assert_eq!(ada.status(), UserStatus::Active);
    /// assert!(ada.customer().is_none() && ada.teams().is_empty());
    /// ```
    #[must_use]
    pub fn new(id: UserId, organization: OrgId, role: RoleId) -> Self {
        Self {
            id,
            organization,
            customer: None,
            teams: SmallVec::new(),
            role,
            status: UserStatus::Active,
            last_active: None,
        }
    }

    /// Sets the user's customer.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{CustomerId, OrgId, SystemRole, User, UserId};
    ///
    /// let widget = User::new(UserId::new(7), OrgId::new(1), SystemRole::EndUser.id())
    ///     .with_customer(CustomerId::new(30));
    /// assert_eq!(widget.customer(), Some(CustomerId::new(30)));
    /// ```
    #[must_use]
    pub fn with_customer(mut self, customer: CustomerId) -> Self {
        self.customer = Some(customer);
        self
    }

    /// Sets the user's status.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// let bea = User::new(UserId::new(2), OrgId::new(1), SystemRole::Viewer.id())
    ///     .with_status(UserStatus::Suspended);
    /// assert_eq!(bea.status(), UserStatus::Suspended);
    /// assert_eq!(bea.subject().status(), UserStatus::Suspended);
    /// ```
    #[must_use]
    pub fn with_status(mut self, status: UserStatus) -> Self {
        self.status = status;
        self
    }

    /// Adds the user to a team of their organization (checked when the
    /// user is added).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, SystemRole, TeamId, User, UserId};
    ///
    /// let cy = User::new(UserId::new(3), OrgId::new(1), SystemRole::Operator.id())
    ///     .with_team(TeamId::new(9))
    ///     .with_team(TeamId::new(4))
    ///     .with_team(TeamId::new(9));
    /// assert_eq!(cy.teams(), [TeamId::new(4), TeamId::new(9)]);
    /// ```
    #[must_use]
    pub fn with_team(mut self, team: TeamId) -> Self {
        if let Err(at) = self.teams.binary_search(&team) {
            self.teams.insert(at, team);
        }
        self
    }

    /// Sets when the user was last active: for a user read back from a
    /// store.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::Timestamp;
    /// use rolegate::{OrgId, SystemRole, User, UserId};
    ///
    /// let at = Timestamp::from_unix_millis(1_700_000_000_000);
    /// let user = User::new(UserId::new(1), OrgId::new(1), SystemRole::Viewer.id()).with_last_active(at);
    /// assert_eq!(user.last_active(), Some(at));
    /// ```
    #[must_use]
    pub fn with_last_active(mut self, at: Timestamp) -> Self {
        self.last_active = Some(at);
        self
    }

    /// The user's id.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().add_user(User::new(UserId::new(5), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// let user = engine.snapshot().user(UserId::new(5)).ok_or("just added")?;
    /// assert_eq!(user.id(), UserId::new(5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn id(&self) -> UserId {
        self.id
    }

    /// The user's organization.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{OrgId, SystemRole, User, UserId};
    ///
    /// let ada = User::new(UserId::new(1), OrgId::new(2), SystemRole::Owner.id());
    /// assert_eq!(ada.organization(), OrgId::new(2));
    /// assert_eq!(ada.subject().organization(), OrgId::new(2));
    /// ```
    #[must_use]
    pub fn organization(&self) -> OrgId {
        self.organization
    }

    /// The user's customer, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{CustomerId, OrgId, SystemRole, User, UserId};
    ///
    /// let staff = User::new(UserId::new(1), OrgId::new(1), SystemRole::Developer.id());
    /// let widget = User::new(UserId::new(2), OrgId::new(1), SystemRole::EndUser.id())
    ///     .with_customer(CustomerId::new(30));
    /// assert_eq!(staff.customer(), None);
    /// assert_eq!(widget.customer(), Some(CustomerId::new(30)));
    /// ```
    #[must_use]
    pub fn customer(&self) -> Option<CustomerId> {
        self.customer
    }

    /// The user's teams, in id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// let web = boot.create_team(org, "Web")?;
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Developer.id()).with_team(web).with_team(ops))?;
    /// let user = engine.snapshot().user(UserId::new(1)).ok_or("just added")?;
    /// assert_eq!(user.teams(), [ops, web]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn teams(&self) -> &[TeamId] {
        &self.teams
    }

    /// The user's role.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let boot = engine.bootstrap();
    /// boot.add_user(User::new(UserId::new(2), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// boot.assign_role(UserId::new(2), SystemRole::Operator.id())?;
    /// let user = engine.snapshot().user(UserId::new(2)).ok_or("just added")?;
    /// assert_eq!(user.role(), SystemRole::Operator.id());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn role(&self) -> RoleId {
        self.role
    }

    /// The user's status.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let boot = engine.bootstrap();
    /// boot.add_user(User::new(UserId::new(2), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// boot.set_status(UserId::new(2), UserStatus::Suspended)?;
    /// let user = engine.snapshot().user(UserId::new(2)).ok_or("just added")?;
    /// assert_eq!(user.status(), UserStatus::Suspended);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn status(&self) -> UserStatus {
        self.status
    }

    /// When the user was last active, if ever recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::Timestamp;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// let last_active = || engine.snapshot().user(UserId::new(1)).and_then(|u| u.last_active());
    /// assert_eq!(last_active(), None);
    /// let at = Timestamp::from_unix_millis(1_795_426_200_000);
    /// engine.record_activity(UserId::new(1), at);
    /// assert_eq!(last_active(), Some(at));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn last_active(&self) -> Option<Timestamp> {
        self.last_active
    }

    /// The user as the subject of a check.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let viewer = User::new(UserId::new(2), OrgId::new(1), SystemRole::Viewer.id());
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), OrgId::new(1));
    /// assert_eq!(viewer.subject().role(), SystemRole::Viewer.id());
    /// assert!(policy.can(&viewer.subject(), catalog.action("read")?, &workflow));
    /// assert!(!policy.can(&viewer.subject(), catalog.action("update")?, &workflow));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn subject(&self) -> Subject {
        let subject = Subject::new(self.id, self.organization, self.role, self.status)
            .with_teams(self.teams.iter().copied());
        match self.customer {
            Some(c) => subject.with_customer(c),
            None => subject,
        }
    }
}

/// A team: a named group of users of one organization.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Engine, OrgId};
///
/// let engine = Engine::new(Catalog::standard());
/// let team = engine.bootstrap().create_team(OrgId::new(1), "Marketing")?;
/// let snapshot = engine.snapshot();
/// let marketing = snapshot.team(team).ok_or("just created")?;
/// assert_eq!(marketing.name(), "Marketing");
/// assert_eq!(marketing.members().count(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Team {
    pub(crate) id: TeamId,
    pub(crate) organization: OrgId,
    pub(crate) name: Box<str>,
    pub(crate) members: IdSet<UserId>,
}

impl Team {
    /// The team's id.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let ops = engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// let snapshot = engine.snapshot();
    /// let team = snapshot.team(ops).ok_or("just created")?;
    /// assert_eq!(team.id(), ops);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn id(&self) -> TeamId {
        self.id
    }

    /// The team's organization.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let ops = engine.bootstrap().create_team(OrgId::new(2), "Ops")?;
    /// let snapshot = engine.snapshot();
    /// let team = snapshot.team(ops).ok_or("just created")?;
    /// assert_eq!(team.organization(), OrgId::new(2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn organization(&self) -> OrgId {
        self.organization
    }

    /// The team's name.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let ops = engine.bootstrap().create_team(OrgId::new(1), "  Ops ")?;
    /// let snapshot = engine.snapshot();
    /// let team = snapshot.team(ops).ok_or("just created")?;
    /// assert_eq!(team.name(), "Ops", "names are trimmed");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The team's members, in id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.add_user(User::new(UserId::new(8), org, SystemRole::Operator.id()).with_team(ops))?;
    /// boot.add_user(User::new(UserId::new(3), org, SystemRole::Developer.id()).with_team(ops))?;
    /// let snapshot = engine.snapshot();
    /// let team = snapshot.team(ops).ok_or("just created")?;
    /// assert_eq!(team.members().collect::<Vec<_>>(), [UserId::new(3), UserId::new(8)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn members(&self) -> impl Iterator<Item = UserId> + '_ {
        self.members.iter()
    }

    /// Number of members.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Operator.id()).with_team(ops))?;
    /// assert_eq!(engine.snapshot().team(ops).map(|t| t.member_count()), Some(1));
    /// boot.remove_user(UserId::new(1))?;
    /// assert_eq!(engine.snapshot().team(ops).map(|t| t.member_count()), Some(0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn member_count(&self) -> usize {
        self.members.len()
    }
}

/// Which people a listing shows: every filter set must hold.
///
/// # Examples
///
/// ```
/// use rolegate::directory::PeopleFilter;
/// use rolegate::{SystemRole, UserStatus};
///
/// let filter = PeopleFilter::new()
///     .role(SystemRole::Developer.id())
///     .status(UserStatus::Active);
/// assert_eq!(filter.role_filter(), Some(SystemRole::Developer.id()));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeopleFilter {
    pub(crate) role: Option<RoleId>,
    pub(crate) status: Option<UserStatus>,
    pub(crate) team: Option<TeamId>,
    pub(crate) can: Option<PermissionId>,
}

impl PeopleFilter {
    /// No filter: everyone of the organization.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::PeopleFilter;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # let boot = engine.bootstrap();
    /// # let ops = boot.create_team(org, "Ops")?;
    /// # boot.add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))?;
    /// # boot.add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()).with_team(ops))?;
    /// # boot.add_user(User::new(UserId::new(3), org, SystemRole::Admin.id()).with_status(UserStatus::Suspended))?;
    /// # let ids = |people: Vec<rolegate::engine::Person>| people.iter().map(|p| p.user.id()).collect::<Vec<_>>();
    ///
    /// // Users 1 to 3 of organization 1.
    /// let everyone = engine.snapshot().people(org, &PeopleFilter::new());
    /// assert_eq!(ids(everyone), [UserId::new(1), UserId::new(2), UserId::new(3)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Only users holding this role.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::PeopleFilter;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # let boot = engine.bootstrap();
    /// # let ops = boot.create_team(org, "Ops")?;
    /// # boot.add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))?;
    /// # boot.add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()).with_team(ops))?;
    /// # boot.add_user(User::new(UserId::new(3), org, SystemRole::Admin.id()).with_status(UserStatus::Suspended))?;
    /// # let ids = |people: Vec<rolegate::engine::Person>| people.iter().map(|p| p.user.id()).collect::<Vec<_>>();
    ///
    /// // User 1 is the Owner, 2 a Viewer, 3 a suspended Admin.
    /// let owners = engine.snapshot().people(org, &PeopleFilter::new().role(SystemRole::Owner.id()));
    /// assert_eq!(ids(owners), [UserId::new(1)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn role(mut self, role: RoleId) -> Self {
        self.role = Some(role);
        self
    }

    /// Only users with this status.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::PeopleFilter;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # let boot = engine.bootstrap();
    /// # let ops = boot.create_team(org, "Ops")?;
    /// # boot.add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))?;
    /// # boot.add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()).with_team(ops))?;
    /// # boot.add_user(User::new(UserId::new(3), org, SystemRole::Admin.id()).with_status(UserStatus::Suspended))?;
    /// # let ids = |people: Vec<rolegate::engine::Person>| people.iter().map(|p| p.user.id()).collect::<Vec<_>>();
    ///
    /// // User 1 is the Owner, 2 a Viewer, 3 a suspended Admin.
    /// let suspended = engine.snapshot().people(org, &PeopleFilter::new().status(UserStatus::Suspended));
    /// assert_eq!(ids(suspended), [UserId::new(3)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn status(mut self, status: UserStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Only members of this team.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::PeopleFilter;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # let boot = engine.bootstrap();
    /// # let ops = boot.create_team(org, "Ops")?;
    /// # boot.add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))?;
    /// # boot.add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()).with_team(ops))?;
    /// # boot.add_user(User::new(UserId::new(3), org, SystemRole::Admin.id()).with_status(UserStatus::Suspended))?;
    /// # let ids = |people: Vec<rolegate::engine::Person>| people.iter().map(|p| p.user.id()).collect::<Vec<_>>();
    ///
    /// // Only user 2 is in team `ops`.
    /// let members = engine.snapshot().people(org, &PeopleFilter::new().team(ops));
    /// assert_eq!(ids(members), [UserId::new(2)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn team(mut self, team: TeamId) -> Self {
        self.team = Some(team);
        self
    }

    /// Only active users whose role grants this permission, unconditionally
    /// or under must-match keys or conditions: who can do it on at least
    /// some resource of the organization.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::PeopleFilter;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # let boot = engine.bootstrap();
    /// # let ops = boot.create_team(org, "Ops")?;
    /// # boot.add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))?;
    /// # boot.add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()).with_team(ops))?;
    /// # boot.add_user(User::new(UserId::new(3), org, SystemRole::Admin.id()).with_status(UserStatus::Suspended))?;
    /// # let ids = |people: Vec<rolegate::engine::Person>| people.iter().map(|p| p.user.id()).collect::<Vec<_>>();
    ///
    /// // User 1 is the Owner, 2 a Viewer, 3 a suspended Admin.
    /// let manage = engine.catalog().permission_named("members.manage")?;
    /// let managers = engine.snapshot().people(org, &PeopleFilter::new().can(manage));
    /// assert_eq!(ids(managers), [UserId::new(1)], "suspended users can do nothing");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn can(mut self, permission: PermissionId) -> Self {
        self.can = Some(permission);
        self
    }

    /// The role filter, if set.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::PeopleFilter;
    /// use rolegate::SystemRole;
    ///
    /// assert_eq!(PeopleFilter::new().role_filter(), None);
    /// let viewers = PeopleFilter::new().role(SystemRole::Viewer.id());
    /// assert_eq!(viewers.role_filter(), Some(SystemRole::Viewer.id()));
    /// ```
    #[must_use]
    pub fn role_filter(&self) -> Option<RoleId> {
        self.role
    }
}
