//! Administrative calls on people: add, remove, assign a role, change a
//! status.

use super::super::error::AdminError;
use super::super::guard::{acting, may_give, may_take, require};
use super::super::{Change, Snapshot};
use super::{Admin, MEMBERS_MANAGE, Target, role_for, team_of, user_of};
use crate::audit::Actor;
use crate::directory::User;
use crate::evaluate::UserStatus;
use crate::id::{RoleId, UserId};

pub(crate) fn add_user(
    snapshot: &Snapshot,
    actor: Actor,
    user: User,
) -> Result<(Change, ()), AdminError> {
    let organization = user.organization();
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    if snapshot.directory.contains(user.id()) {
        return Err(AdminError::DuplicateUser { user: user.id() });
    }
    role_for(snapshot, organization, user.role())?;
    for &team in user.teams() {
        if team_of(snapshot, team)?.organization() != organization {
            return Err(AdminError::CrossOrganization {
                user: user.id(),
                organization,
                team,
            });
        }
    }
    may_give(snapshot, acting.as_ref(), user.role())?;
    Ok((Change::AddUser { user }, ()))
}

fn remove_user(snapshot: &Snapshot, actor: Actor, id: UserId) -> Result<(Change, ()), AdminError> {
    let user = user_of(snapshot, id)?;
    let acting = acting(snapshot, actor, user.organization())?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    may_take(acting.as_ref(), &user)?;
    Ok((Change::RemoveUser { user: id }, ()))
}

fn assign_role(
    snapshot: &Snapshot,
    actor: Actor,
    id: UserId,
    role: RoleId,
) -> Result<(Change, ()), AdminError> {
    let user = user_of(snapshot, id)?;
    let organization = user.organization();
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    role_for(snapshot, organization, role)?;
    if user.role() != role {
        may_take(acting.as_ref(), &user)?;
    }
    may_give(snapshot, acting.as_ref(), role)?;
    Ok((
        Change::AssignRole {
            users: vec![id],
            role,
        },
        (),
    ))
}

fn set_status(
    snapshot: &Snapshot,
    actor: Actor,
    id: UserId,
    status: UserStatus,
) -> Result<(Change, ()), AdminError> {
    let user = user_of(snapshot, id)?;
    let acting = acting(snapshot, actor, user.organization())?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    may_take(acting.as_ref(), &user)?;
    // Making a user active hands them their role's permissions again: it is
    // giving them the role.
    if user.status() != UserStatus::Active && status == UserStatus::Active {
        may_give(snapshot, acting.as_ref(), user.role())?;
    }
    Ok((Change::SetStatus { user: id, status }, ()))
}

impl Admin<'_> {
    /// Adds a user with their role, status, customer and teams.
    ///
    /// # Errors
    ///
    /// [`AdminError::Denied`] without `members.manage`, for a role granting
    /// what the actor does not hold, or the Owner role given by a
    /// non-Owner; [`AdminError::DuplicateUser`]; [`AdminError::UnknownRole`];
    /// [`AdminError::UnknownTeam`]; [`AdminError::CrossOrganization`].
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::engine::GuardError;
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(1), org, SystemRole::Admin.id()))?;
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// // User 1 is an Admin, user 2 a Viewer.
    /// let admin = engine.admin(UserId::new(1));
    /// admin.add_user(User::new(UserId::new(3), org, SystemRole::Developer.id()))?;
    /// assert_eq!(engine.snapshot().user(UserId::new(3)).map(|u| u.role()), Some(SystemRole::Developer.id()));
    ///
    /// // Only an Owner gives the Owner role; a Viewer lacks members.manage.
    /// let owner = User::new(UserId::new(4), org, SystemRole::Owner.id());
    /// assert_eq!(admin.add_user(owner.clone()), Err(AdminError::Denied(GuardError::OwnerOnly)));
    /// let err = engine.admin(UserId::new(2)).add_user(owner).unwrap_err();
    /// assert_eq!(err, AdminError::Denied(GuardError::MissingPermission { permission: "members.manage".into() }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_user(&self, user: User) -> Result<(), AdminError> {
        let actor = self.actor;
        let target = Target::NewUser(user.id(), user.organization());
        self.engine.write(actor, "member.add", target, |s| {
            add_user(s, actor, user.clone())
        })
    }

    /// Removes a user and their team memberships.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownUser`]; [`AdminError::Denied`] without
    /// `members.manage`, for an Owner removed by a non-Owner, or for the last
    /// active Owner.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::engine::GuardError;
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))?;
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Admin.id()))?;
    /// # engine.bootstrap().add_user(User::new(UserId::new(3), org, SystemRole::Viewer.id()))?;
    /// // User 1 is the Owner, user 2 an Admin, user 3 a Viewer.
    /// engine.admin(UserId::new(2)).remove_user(UserId::new(3))?;
    /// assert!(engine.snapshot().user(UserId::new(3)).is_none());
    ///
    /// // Only an Owner removes an Owner.
    /// let err = engine.admin(UserId::new(2)).remove_user(UserId::new(1)).unwrap_err();
    /// assert_eq!(err, AdminError::Denied(GuardError::OwnerOnly));
    /// assert!(engine.snapshot().user(UserId::new(1)).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove_user(&self, user: UserId) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "member.remove", Target::User(user), |s| {
                remove_user(s, actor, user)
            })
    }

    /// Gives a user another role.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownUser`]; [`AdminError::UnknownRole`];
    /// [`AdminError::Denied`] without `members.manage`, for a role granting
    /// what the actor does not hold, for giving or taking Owner as a
    /// non-Owner, or for demoting the last active Owner.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::engine::GuardError;
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(1), org, SystemRole::Admin.id()))?;
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// // User 1 is an Admin, user 2 a Viewer.
    /// let admin = engine.admin(UserId::new(1));
    /// admin.assign_role(UserId::new(2), SystemRole::Developer.id())?;
    /// assert_eq!(engine.snapshot().user(UserId::new(2)).map(|u| u.role()), Some(SystemRole::Developer.id()));
    ///
    /// // Only an Owner gives the Owner role.
    /// let err = admin.assign_role(UserId::new(2), SystemRole::Owner.id()).unwrap_err();
    /// assert_eq!(err, AdminError::Denied(GuardError::OwnerOnly));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assign_role(&self, user: UserId, role: RoleId) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "member.role_assign", Target::User(user), |s| {
                assign_role(s, actor, user, role)
            })
    }

    /// Changes a user's status. Making a user active gives them their role's
    /// permissions again, so it is checked as giving them their role.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownUser`]; [`AdminError::Denied`] without
    /// `members.manage`, for an Owner's status changed by a non-Owner, for
    /// activating a user whose role grants what the actor does not hold, or
    /// for suspending the last active Owner.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::engine::GuardError;
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId, UserStatus};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(1), org, SystemRole::Admin.id()))?;
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// // User 1 is an Admin, user 2 a Viewer.
    /// let catalog = engine.catalog();
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), org);
    /// let read = catalog.action("read")?;
    /// assert!(engine.can(UserId::new(2), read, &workflow));
    /// engine.admin(UserId::new(1)).set_status(UserId::new(2), UserStatus::Suspended)?;
    /// assert!(!engine.can(UserId::new(2), read, &workflow));
    ///
    /// // A suspended user can no longer act.
    /// let err = engine.admin(UserId::new(2)).set_status(UserId::new(2), UserStatus::Active).unwrap_err();
    /// assert!(matches!(err, AdminError::Denied(GuardError::InactiveActor { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_status(&self, user: UserId, status: UserStatus) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "member.status_change", Target::User(user), |s| {
                set_status(s, actor, user, status)
            })
    }
}
