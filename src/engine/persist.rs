//! Changes as a store sees them: their effects record by record, applying
//! effects to a state, and loading a stored state.

use super::{Change, Snapshot};
use crate::catalog::Catalog;
use crate::directory::{IdSet, Team, User};
use crate::id::{OrgId, RoleId, TeamId, UserId};
use crate::role::{Role, RoleKind, SystemRole};
use crate::store::{
    Counters, Effect, StoreError, StoreErrorKind, StoredRole, StoredState, StoredTeam,
};

/// A custom role in its stored form.
fn stored_role(catalog: &Catalog, id: RoleId, role: &Role) -> Option<StoredRole> {
    Some(StoredRole {
        id,
        organization: role.organization()?,
        name: role.name().to_owned(),
        rules: role.rules().iter().map(|r| r.spec(catalog)).collect(),
    })
}

/// The current value of user `id` in `before`, changed by `f`.
fn changed_user(before: &Snapshot, id: UserId, f: impl FnOnce(&mut User)) -> Option<Effect> {
    let mut user = before.directory.user(id)?;
    f(&mut user);
    Some(Effect::PutUser(user))
}

impl Change {
    /// What the change does to `before`, the state it was validated
    /// against, record by record.
    pub(crate) fn effects(&self, before: &Snapshot) -> Vec<Effect> {
        let catalog = before.catalog();
        let dir = &before.directory;
        match self {
            Self::CreateRole { id, role } | Self::UpdateRole { id, role } => {
                stored_role(catalog, *id, role)
                    .map(Effect::PutRole)
                    .into_iter()
                    .collect()
            }
            Self::ImportRoles { created, updated } => created
                .iter()
                .chain(updated)
                .filter_map(|(id, role)| stored_role(catalog, *id, role).map(Effect::PutRole))
                .collect(),
            Self::DeleteRole { id, move_to } => {
                let mut effects: Vec<Effect> = match move_to {
                    Some(to) => dir
                        .all_holders(*id)
                        .into_iter()
                        .filter_map(|u| changed_user(before, u, |user| user.role = *to))
                        .collect(),
                    None => Vec::new(),
                };
                effects.push(Effect::DeleteRole(*id));
                effects
            }
            Self::AddUser { user } => vec![Effect::PutUser(user.clone())],
            Self::RemoveUser { user } => vec![Effect::DeleteUser(*user)],
            Self::AssignRole { users, role } => users
                .iter()
                .filter_map(|u| changed_user(before, *u, |user| user.role = *role))
                .collect(),
            Self::SetStatus { user, status } => changed_user(before, *user, |u| u.status = *status)
                .into_iter()
                .collect(),
            Self::CreateTeam {
                team,
                organization,
                name,
            } => vec![Effect::PutTeam(StoredTeam {
                id: *team,
                organization: *organization,
                name: name.clone(),
            })],
            Self::RenameTeam { team, name } => dir
                .team(*team)
                .map(|t| {
                    Effect::PutTeam(StoredTeam {
                        id: *team,
                        organization: t.organization(),
                        name: name.clone(),
                    })
                })
                .into_iter()
                .collect(),
            Self::DeleteTeam { team } => {
                let mut effects: Vec<Effect> = dir
                    .team(*team)
                    .into_iter()
                    .flat_map(Team::members)
                    .filter_map(|u| {
                        changed_user(before, u, |user| user.teams.retain(|t| t != team))
                    })
                    .collect();
                effects.push(Effect::DeleteTeam(*team));
                effects
            }
            Self::AddMember { team, user } => changed_user(before, *user, |u| {
                if let Err(at) = u.teams.binary_search(team) {
                    u.teams.insert(at, *team);
                }
            })
            .into_iter()
            .collect(),
            Self::RemoveMember { team, user } => {
                changed_user(before, *user, |u| u.teams.retain(|t| t != team))
                    .into_iter()
                    .collect()
            }
        }
    }
}

/// The id counters of a state.
pub(crate) fn counters(snapshot: &Snapshot) -> Counters {
    Counters {
        next_role: snapshot.policy.role_counter(),
        next_team: snapshot.directory.next_team.max(1),
    }
}

impl Snapshot {
    /// This state as a store keeps it: the custom roles of every
    /// organization with their rules in text form, the teams and the users
    /// (with their latest activity), each in id order, the id counters and
    /// the revision. A [`MemoryStore`](crate::store::MemoryStore) made with
    /// it opens as this state.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::MemoryStore;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let ops = engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id()).with_team(ops))?;
    /// let state = engine.snapshot().stored_state();
    /// assert_eq!((state.teams.len(), state.users.len()), (1, 1));
    ///
    /// let copy = Engine::builder(Catalog::standard()).open(MemoryStore::with_state(state))?;
    /// assert_eq!(copy.snapshot().team(ops).map(|t| t.member_count()), Some(1));
    /// assert_eq!(copy.revision(), engine.revision());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn stored_state(&self) -> StoredState {
        let catalog = self.catalog();
        let roles = self
            .policy
            .roles()
            .filter_map(|(id, role)| stored_role(catalog, id, role))
            .collect();
        let mut teams: Vec<StoredTeam> = self
            .directory
            .teams
            .values()
            .map(|t| StoredTeam {
                id: t.id,
                organization: t.organization,
                name: t.name.to_string(),
            })
            .collect();
        teams.sort_unstable_by_key(|t| t.id);
        let mut users: Vec<User> = self.directory.users().collect();
        users.sort_unstable_by_key(User::id);
        StoredState {
            revision: self.revision,
            counters: counters(self),
            roles,
            teams,
            users,
        }
    }
}

/// A record the catalog or the rest of the state does not accept.
fn corrupt(what: &str, source: Option<Box<dyn std::error::Error + Send + Sync>>) -> StoreError {
    match source {
        Some(e) => StoreError::with_source(StoreErrorKind::Corrupt, what, BoxedError(e)),
        None => StoreError::new(StoreErrorKind::Corrupt, what),
    }
}

/// A boxed error as an error, to chain it.
#[derive(Debug)]
struct BoxedError(Box<dyn std::error::Error + Send + Sync>);

impl core::fmt::Display for BoxedError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for BoxedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// A stored custom role, resolved against the catalog.
fn resolve_role(catalog: &Catalog, stored: &StoredRole) -> Result<Role, StoreError> {
    let mut rules = Vec::with_capacity(stored.rules.len());
    for (index, spec) in stored.rules.iter().enumerate() {
        let rule = spec.resolve(catalog).map_err(|e| {
            corrupt(
                &format!("rule {index} of stored role {}", stored.id),
                Some(Box::new(e)),
            )
        })?;
        rules.push(rule);
    }
    Role::custom(stored.organization, &stored.name, rules).map_err(|e| {
        corrupt(
            &format!("the name of stored role {}", stored.id),
            Some(Box::new(e)),
        )
    })
}

/// Whether a user of `organization` may hold `role` in `snapshot`.
fn role_fits_user(snapshot: &Snapshot, organization: OrgId, role: RoleId) -> bool {
    snapshot.policy.role(role).is_some_and(|r| match r.kind() {
        RoleKind::System(_) => true,
        RoleKind::Custom { organization: org } => org == organization,
    })
}

/// Checks a stored user against the state it joins: their role and teams
/// exist in their organization.
fn check_user(snapshot: &Snapshot, user: &User) -> Result<(), StoreError> {
    if !role_fits_user(snapshot, user.organization(), user.role()) {
        return Err(corrupt(
            &format!(
                "stored user {} holds {}, which is not a role of organization {}",
                user.id(),
                user.role(),
                user.organization()
            ),
            None,
        ));
    }
    for &team in user.teams() {
        if snapshot.directory.team(team).map(Team::organization) != Some(user.organization()) {
            return Err(corrupt(
                &format!(
                    "stored user {} is in team {team}, which is not a team of organization {}",
                    user.id(),
                    user.organization()
                ),
                None,
            ));
        }
    }
    Ok(())
}

/// Applies `effects` to `snapshot` in order. On an error `snapshot` may be
/// half changed: callers apply to a copy and drop it.
pub(crate) fn apply(snapshot: &mut Snapshot, effects: &[Effect]) -> Result<(), StoreError> {
    for effect in effects {
        match effect {
            Effect::PutRole(stored) => {
                let role = resolve_role(snapshot.policy.catalog(), stored)?;
                let taken = snapshot
                    .policy
                    .custom_role_named(stored.organization, role.name())
                    .is_some_and(|other| other != stored.id);
                let other_org = snapshot
                    .policy
                    .role(stored.id)
                    .is_some_and(|r| r.organization() != Some(stored.organization));
                if taken || other_org || stored.id.index() < SystemRole::ALL.len() {
                    return Err(corrupt(
                        &format!("stored role {} clashes with another role", stored.id),
                        None,
                    ));
                }
                if snapshot.policy.role(stored.id).is_none()
                    && let Err(e) = snapshot.policy.room_for_roles(stored.organization, 1)
                {
                    return Err(corrupt(
                        &format!("stored role {}", stored.id),
                        Some(Box::new(e)),
                    ));
                }
                snapshot.policy.put_role(stored.id, role);
            }
            Effect::DeleteRole(id) => {
                let live = snapshot.policy.role(*id).is_some();
                let held = !snapshot.directory.all_holders(*id).is_empty();
                if id.index() < SystemRole::ALL.len() || !live || held {
                    return Err(corrupt(
                        &format!(
                            "the store deletes {id}, a system role, no live role, or a role users hold"
                        ),
                        None,
                    ));
                }
                snapshot.policy.remove_role(*id);
            }
            Effect::PutTeam(stored) => match snapshot.directory.team(stored.id) {
                Some(t) if t.organization() == stored.organization => {
                    snapshot.directory.rename_team(stored.id, &stored.name);
                }
                Some(_) => {
                    return Err(corrupt(
                        &format!("stored team {} changes organization", stored.id),
                        None,
                    ));
                }
                None => snapshot.directory.insert_team(Team {
                    id: stored.id,
                    organization: stored.organization,
                    name: stored.name.as_str().into(),
                    members: IdSet::new(),
                }),
            },
            Effect::DeleteTeam(id) => {
                if snapshot.directory.team(*id).is_none() {
                    return Err(corrupt(
                        &format!("the store deletes team {id}, which does not exist"),
                        None,
                    ));
                }
                snapshot.directory.delete_team(*id);
            }
            Effect::PutUser(user) => {
                check_user(snapshot, user)?;
                snapshot.directory.put_user(user.clone());
            }
            Effect::DeleteUser(id) => {
                if snapshot.directory.user(*id).is_none() {
                    return Err(corrupt(
                        &format!("the store deletes user {id}, who does not exist"),
                        None,
                    ));
                }
                snapshot.directory.remove_user(*id);
            }
        }
    }
    Ok(())
}

/// Raises the state's id counters to at least `counters`.
pub(crate) fn raise_counters(snapshot: &mut Snapshot, counters: Counters) {
    snapshot.policy.raise_role_counter(counters.next_role);
    let next_team = snapshot.directory.next_team.max(counters.next_team);
    snapshot.directory.next_team = next_team;
}

/// Loads a stored state into `snapshot`, which holds no custom role, team
/// or user yet: roles first, then teams, then users, each checked.
pub(crate) fn load(snapshot: &mut Snapshot, state: StoredState) -> Result<(), StoreError> {
    let StoredState {
        revision,
        counters,
        roles,
        teams,
        users,
    } = state;
    for stored in &roles {
        apply(snapshot, &[Effect::PutRole(stored.clone())])?;
    }
    for stored in teams {
        if snapshot.directory.team(stored.id).is_some() {
            return Err(corrupt(
                &format!("stored team {} appears twice", stored.id),
                None,
            ));
        }
        apply(snapshot, &[Effect::PutTeam(stored)])?;
    }
    let mut ids: Vec<UserId> = users.iter().map(User::id).collect();
    ids.sort_unstable();
    if let Some(twice) = ids.windows(2).find_map(|w| match w {
        [a, b] if a == b => Some(*a),
        _ => None,
    }) {
        return Err(corrupt(&format!("stored user {twice} appears twice"), None));
    }
    drop(ids);
    for user in &users {
        check_user(snapshot, user)?;
    }
    snapshot.directory.add_users(users);
    raise_counters(snapshot, counters);
    snapshot.revision = revision;
    Ok(())
}

/// A team id the engine may give out: above every team id it has seen.
pub(crate) fn next_team_id(snapshot: &Snapshot) -> TeamId {
    TeamId::new(snapshot.directory.next_team.max(1))
}
