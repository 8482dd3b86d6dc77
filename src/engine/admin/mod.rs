//! Administrative calls: each checks the actor, validates, and yields one
//! change. The calls on roles, on people and on teams each have their file.

mod people;
mod roles;
mod teams;

pub(crate) use people::add_user;
pub(crate) use roles::create_role;
pub use roles::{RoleDeletion, RoleEdit, RoleImport};
pub(crate) use teams::create_team;

use super::error::AdminError;
use super::{Change, Engine, Snapshot};
use crate::audit::{Actor, NewEvent, Outcome, Text};
use crate::directory::{Team, Timestamp, User};
use crate::id::{OrgId, RoleId, TeamId, UserId};
use crate::role::Role;

/// The permission role changes need.
const ROLES_MANAGE: &str = "roles.manage";
/// The permission changes to people and teams need.
const MEMBERS_MANAGE: &str = "members.manage";

/// What an administrative call is about, for its audit event.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Target {
    /// A role of this organization, not created yet.
    NewRole(OrgId),
    /// An existing role.
    Role(RoleId),
    /// A user of this organization, not added yet.
    NewUser(UserId, OrgId),
    /// An existing user.
    User(UserId),
    /// A team of this organization, not created yet.
    NewTeam(OrgId),
    /// An existing team.
    Team(TeamId),
}

/// The audit event of an administrative call, before its outcome is known:
/// the actor with the role they hold, the organization and the resource.
pub(crate) fn event(
    snapshot: &Snapshot,
    actor: Actor,
    action: &str,
    target: Target,
    at: Timestamp,
) -> NewEvent {
    let dir = &snapshot.directory;
    let acting = match actor {
        Actor::User(id) => dir.who(id),
        Actor::System => None,
    };
    let (kind, id, organization) = match target {
        Target::NewRole(org) => ("role", None, Some(org)),
        Target::Role(id) => (
            "role",
            Some(Text::number(id.index() as u64)),
            snapshot.policy.role(id).and_then(Role::organization),
        ),
        Target::NewUser(id, org) => ("user", Some(Text::number(id.get())), Some(org)),
        Target::User(id) => (
            "user",
            Some(Text::number(id.get())),
            dir.who(id).map(|u| u.organization),
        ),
        Target::NewTeam(org) => ("team", None, Some(org)),
        Target::Team(id) => (
            "team",
            Some(Text::number(id.get())),
            dir.team(id).map(Team::organization),
        ),
    };
    NewEvent {
        at,
        organization: organization.or_else(|| acting.map(|u| u.organization)),
        actor,
        role: acting.and_then(|u| {
            snapshot
                .policy
                .entry(u.role)
                .map(|e| (u.role, e.label.clone()))
        }),
        action: Text::from(action),
        resource_type: Some(Text::from(kind)),
        resource_id: id,
        outcome: Outcome::Success,
        reason: None,
        completed_at: None,
    }
}

/// Fills in the id a creating change gave its role or team.
pub(crate) fn created_id(change: &Change, event: &mut NewEvent) {
    match change {
        Change::CreateRole { id, .. } => event.resource_id = Some(Text::number(id.index() as u64)),
        Change::CreateTeam { team, .. } => event.resource_id = Some(Text::number(team.get())),
        _ => {}
    }
}

/// A role a user of `organization` may hold: a system role or a live custom
/// role of that organization. Another organization's role reads as unknown.
fn role_for(snapshot: &Snapshot, organization: OrgId, id: RoleId) -> Result<&Role, AdminError> {
    match snapshot.policy.role(id) {
        Some(role) if role.organization().is_none_or(|org| org == organization) => Ok(role),
        _ => Err(AdminError::UnknownRole { role: id }),
    }
}

fn user_of(snapshot: &Snapshot, id: UserId) -> Result<User, AdminError> {
    snapshot
        .directory
        .user(id)
        .ok_or(AdminError::UnknownUser { user: id })
}

fn team_of(snapshot: &Snapshot, id: TeamId) -> Result<&Team, AdminError> {
    snapshot
        .directory
        .team(id)
        .ok_or(AdminError::UnknownTeam { team: id })
}

/// Administrative calls in one actor's name. Made by [`Engine::admin`] and
/// [`Engine::bootstrap`].
///
/// Every call is checked and validated against the current state, produces
/// one [`Change`], and is published atomically before it returns; a refused
/// call changes nothing.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let org = OrgId::new(1);
/// engine.bootstrap().add_user(User::new(UserId::new(1), org, SystemRole::Admin.id()))?;
/// let admin = engine.admin(UserId::new(1));
/// admin.add_user(User::new(UserId::new(2), org, SystemRole::Developer.id()))?;
/// let team = admin.create_team(org, "Platform")?;
/// admin.add_to_team(team, UserId::new(2))?;
/// assert_eq!(engine.snapshot().user(UserId::new(2)).map(|u| u.teams().to_vec()), Some(vec![team]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Admin<'e> {
    engine: &'e Engine,
    actor: Actor,
}

impl<'e> Admin<'e> {
    pub(crate) fn new(engine: &'e Engine, actor: Actor) -> Self {
        Self { engine, actor }
    }

    /// Who the calls are made by.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::Actor;
    /// use rolegate::{Catalog, Engine, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// assert_eq!(engine.admin(UserId::new(1)).actor(), Actor::User(UserId::new(1)));
    /// assert_eq!(engine.bootstrap().actor(), Actor::System);
    /// ```
    #[must_use]
    pub fn actor(&self) -> Actor {
        self.actor
    }
}
