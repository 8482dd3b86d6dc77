//! The unit of every administrative write: one validated change.

use crate::directory::{Directory, IdSet, Team, User};
use crate::evaluate::UserStatus;
use crate::id::{OrgId, RoleId, TeamId, UserId};
use crate::policy::Policy;
use crate::role::Role;

/// One validated administrative change, the unit in which the engine's state
/// moves.
///
/// Every administrative call produces exactly one change after the
/// delegation guard and validation pass; the engine then applies it to a
/// copy of the current state and publishes the copy. A change carries
/// everything needed to replay it (a created role's id, a new team's id), so
/// that it can be persisted, and replayed onto the state it was validated
/// against.
///
/// # Examples
///
/// ```
/// use rolegate::engine::Change;
/// use rolegate::{Catalog, Engine, OrgId};
///
/// let engine = Engine::new(Catalog::standard());
/// let team = engine.bootstrap().create_team(OrgId::new(1), "Support")?;
/// let change = Change::CreateTeam { team, organization: OrgId::new(1), name: "Support".into() };
/// assert_eq!(change.organization(&engine.snapshot()), Some(OrgId::new(1)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// A custom role is created under `id`.
    CreateRole {
        /// The new role's id.
        id: RoleId,
        /// The role.
        role: Role,
    },
    /// A custom role is renamed or its rules replaced: `role` is its new
    /// value.
    UpdateRole {
        /// The role's id.
        id: RoleId,
        /// Its new value.
        role: Role,
    },
    /// Custom roles are created and updated together, from an imported file.
    ImportRoles {
        /// New roles with their ids, in order.
        created: Vec<(RoleId, Role)>,
        /// Existing roles with their new values.
        updated: Vec<(RoleId, Role)>,
    },
    /// A custom role is deleted, its holders first moved to `move_to`.
    DeleteRole {
        /// The role's id.
        id: RoleId,
        /// Where its holders go.
        move_to: Option<RoleId>,
    },
    /// A user is added.
    AddUser {
        /// The user.
        user: User,
    },
    /// A user is removed, with their team memberships.
    RemoveUser {
        /// The user.
        user: UserId,
    },
    /// These users now hold `role`.
    AssignRole {
        /// The users.
        users: Vec<UserId>,
        /// The role.
        role: RoleId,
    },
    /// A user's status changes.
    SetStatus {
        /// The user.
        user: UserId,
        /// The new status.
        status: UserStatus,
    },
    /// A team is created.
    CreateTeam {
        /// The new team's id.
        team: TeamId,
        /// Its organization.
        organization: OrgId,
        /// Its name.
        name: String,
    },
    /// A team is renamed.
    RenameTeam {
        /// The team.
        team: TeamId,
        /// Its new name.
        name: String,
    },
    /// A team is deleted, with its memberships.
    DeleteTeam {
        /// The team.
        team: TeamId,
    },
    /// A user joins a team.
    AddMember {
        /// The team.
        team: TeamId,
        /// The user.
        user: UserId,
    },
    /// A user leaves a team.
    RemoveMember {
        /// The team.
        team: TeamId,
        /// The user.
        user: UserId,
    },
}

impl Change {
    /// The organization the change concerns, looked up in `snapshot` where
    /// the change names only a user, role or team.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::engine::Change;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().add_user(User::new(UserId::new(3), OrgId::new(2), SystemRole::Viewer.id()))?;
    /// let snapshot = engine.snapshot();
    /// // The change names only a user: their organization is looked up.
    /// let suspend = Change::SetStatus { user: UserId::new(3), status: UserStatus::Suspended };
    /// assert_eq!(suspend.organization(&snapshot), Some(OrgId::new(2)));
    /// let unknown = Change::RemoveUser { user: UserId::new(9) };
    /// assert_eq!(unknown.organization(&snapshot), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn organization(&self, snapshot: &super::Snapshot) -> Option<OrgId> {
        let dir = &snapshot.directory;
        let user_org = |u: &UserId| dir.who(*u).map(|w| w.organization);
        let team_org = |t: &TeamId| dir.team(*t).map(Team::organization);
        match self {
            Self::CreateRole { role, .. } | Self::UpdateRole { role, .. } => role.organization(),
            Self::ImportRoles { created, updated } => created
                .iter()
                .chain(updated)
                .find_map(|(_, role)| role.organization()),
            Self::DeleteRole { id, .. } => snapshot.policy.role(*id).and_then(Role::organization),
            Self::AddUser { user } => Some(user.organization()),
            Self::RemoveUser { user } | Self::SetStatus { user, .. } => user_org(user),
            Self::AssignRole { users, .. } => users.first().and_then(user_org),
            Self::CreateTeam { organization, .. } => Some(*organization),
            Self::RenameTeam { team, .. }
            | Self::DeleteTeam { team }
            | Self::AddMember { team, .. }
            | Self::RemoveMember { team, .. } => team_org(team),
        }
    }

    /// Applies the change to the state it was validated against. The same
    /// result as applying its [effects](Self::effects) to that state, which
    /// is what an engine catching up from a store does; this path skips
    /// rendering and resolving rules.
    pub(crate) fn apply_to(&self, policy: &mut Policy, directory: &mut Directory) {
        match self {
            Self::CreateRole { id, role } | Self::UpdateRole { id, role } => {
                policy.put_role(*id, role.clone());
            }
            Self::ImportRoles { created, updated } => {
                for (id, role) in created.iter().chain(updated) {
                    policy.put_role(*id, role.clone());
                }
            }
            Self::DeleteRole { id, move_to } => {
                if let Some(to) = move_to {
                    for user in directory.all_holders(*id) {
                        directory.update_user(user, |u| u.role = *to);
                    }
                }
                policy.remove_role(*id);
            }
            Self::AddUser { user } => directory.add_user(user.clone()),
            Self::RemoveUser { user } => directory.remove_user(*user),
            Self::AssignRole { users, role } => {
                for user in users {
                    directory.update_user(*user, |u| u.role = *role);
                }
            }
            Self::SetStatus { user, status } => {
                directory.update_user(*user, |u| u.status = *status);
            }
            Self::CreateTeam {
                team,
                organization,
                name,
            } => directory.insert_team(Team {
                id: *team,
                organization: *organization,
                name: name.as_str().into(),
                members: IdSet::new(),
            }),
            Self::RenameTeam { team, name } => directory.rename_team(*team, name),
            Self::DeleteTeam { team } => directory.delete_team(*team),
            Self::AddMember { team, user } => directory.update_user(*user, |u| {
                if let Err(at) = u.teams.binary_search(team) {
                    u.teams.insert(at, *team);
                }
            }),
            Self::RemoveMember { team, user } => {
                directory.update_user(*user, |u| u.teams.retain(|t| t != team));
            }
        }
    }
}
