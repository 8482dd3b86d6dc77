//! Administrative calls: each checks the actor, validates, and yields one change.

use super::error::AdminError;
use super::guard::{acting, may_give, may_grant, may_take, require};
use super::{Change, Engine, Snapshot, persist};
use crate::audit::Actor;
use crate::audit::{NewEvent, Outcome, clean_text};
use crate::csv;
use crate::directory::Timestamp;
use crate::directory::{Team, User};
use crate::evaluate::UserStatus;
use crate::id::PermissionSet;
use crate::id::{OrgId, RoleId, TeamId, UserId};
use crate::policy::rule_fits;
use crate::role::{MAX_ROLE_NAME, Role, RoleError, RoleKind};
use crate::rule::Rule;
use crate::text::excerpt;

const ROLES_MANAGE: &str = "roles.manage";

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
        Actor::User(id) => dir.user(id),
        Actor::System => None,
    };
    let (kind, id, organization) = match target {
        Target::NewRole(org) => ("role", None, Some(org)),
        Target::Role(id) => (
            "role",
            Some(id.index().to_string()),
            snapshot.policy.role(id).and_then(Role::organization),
        ),
        Target::NewUser(id, org) => ("user", Some(id.to_string()), Some(org)),
        Target::User(id) => (
            "user",
            Some(id.to_string()),
            dir.user(id).map(User::organization),
        ),
        Target::NewTeam(org) => ("team", None, Some(org)),
        Target::Team(id) => (
            "team",
            Some(id.to_string()),
            dir.team(id).map(Team::organization),
        ),
    };
    NewEvent {
        at,
        organization: organization.or_else(|| acting.map(User::organization)),
        actor,
        role: acting.and_then(|u| {
            snapshot
                .policy
                .role(u.role())
                .map(|r| (u.role(), clean_text(r.name())))
        }),
        action: action.to_owned(),
        resource_type: Some(kind.to_owned()),
        resource_id: id,
        outcome: Outcome::Success,
        reason: None,
        completed_at: None,
    }
}

/// Fills in the id a creating change gave its role or team.
pub(crate) fn created_id(change: &Change, event: &mut NewEvent) {
    match change {
        Change::CreateRole { id, .. } => event.resource_id = Some(id.index().to_string()),
        Change::CreateTeam { team, .. } => event.resource_id = Some(team.to_string()),
        _ => {}
    }
}
const MEMBERS_MANAGE: &str = "members.manage";

/// What a role edit did: the role's id, the permissions it gained and lost,
/// and how many users hold it.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Engine, OrgId, Rule};
///
/// let engine = Engine::new(Catalog::standard());
/// let catalog = engine.snapshot().catalog().clone();
/// let org = OrgId::new(1);
/// let admin = engine.bootstrap();
/// let made = admin.create_role(org, "Runner", vec![Rule::builder(&catalog, "workflows", "read").build()?])?;
/// let edit = admin.replace_rules(made, vec![Rule::builder(&catalog, "workflows", "execute").build()?])?;
/// let names = |set: &rolegate::catalog::PermissionSet| -> Vec<String> {
///     set.iter().filter_map(|p| catalog.permission_name(p)).map(String::from).collect()
/// };
/// assert_eq!(names(&edit.gained), ["workflows.execute"]);
/// assert_eq!(names(&edit.lost), ["workflows.read"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleEdit {
    /// The role.
    pub id: RoleId,
    /// Permissions the role grants now and did not before.
    pub gained: PermissionSet,
    /// Permissions the role granted before and does not now.
    pub lost: PermissionSet,
    /// Users holding the role, whom the edit affects.
    pub holders: usize,
}

/// What deleting a role did.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let org = OrgId::new(1);
/// let boot = engine.bootstrap();
/// let temp = boot.create_role(org, "Temp", vec![])?;
/// boot.add_user(User::new(UserId::new(5), org, temp))?;
/// let done = boot.delete_role(temp, Some(SystemRole::Viewer.id()))?;
/// assert_eq!(done.moved, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleDeletion {
    /// How many holders were moved to the named role.
    pub moved: usize,
}

/// The custom role `id`, if live; system roles are refused.
fn custom_role(snapshot: &Snapshot, id: RoleId) -> Result<(&Role, OrgId), AdminError> {
    let role = snapshot
        .policy
        .role(id)
        .ok_or(AdminError::UnknownRole { role: id })?;
    match role.kind() {
        RoleKind::Custom { organization } => Ok((role, organization)),
        RoleKind::System(_) => Err(RoleError::SystemRole {
            name: role.name().to_owned(),
        }
        .into()),
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

/// Checks rules against the catalog and the name against the organization's
/// other roles.
fn check_role(
    snapshot: &Snapshot,
    organization: OrgId,
    name: &str,
    rules: &[Rule],
    except: Option<RoleId>,
) -> Result<(), AdminError> {
    if let Some(index) = rules
        .iter()
        .position(|r| !rule_fits(snapshot.catalog(), r, false))
    {
        return Err(RoleError::ForeignRule {
            role: excerpt(name),
            index,
        }
        .into());
    }
    match snapshot.policy.custom_role_named(organization, name) {
        Some(other) if Some(other) != except => Err(RoleError::DuplicateName {
            organization,
            name: excerpt(name),
        }
        .into()),
        _ => Ok(()),
    }
}

fn too_many_roles() -> AdminError {
    RoleError::TooMany {
        max: RoleId::MAX + 1,
    }
    .into()
}

fn next_role_id(snapshot: &Snapshot) -> Result<RoleId, AdminError> {
    snapshot.policy.next_role_id().ok_or_else(too_many_roles)
}

pub(crate) fn create_role(
    snapshot: &Snapshot,
    actor: Actor,
    organization: OrgId,
    name: &str,
    rules: Vec<Rule>,
) -> Result<(Change, RoleId), AdminError> {
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), ROLES_MANAGE)?;
    let role = Role::custom(organization, name, rules)?;
    check_role(snapshot, organization, role.name(), role.rules(), None)?;
    may_grant(snapshot, acting.as_ref(), role.rules())?;
    let id = next_role_id(snapshot)?;
    Ok((Change::CreateRole { id, role }, id))
}

/// What importing a roles file did.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Engine, OrgId};
///
/// let engine = Engine::new(Catalog::standard());
/// let csv = "Role name,Resource,Action,Conditions,Must Match\nAuditor,audit_log,read,,organization\n";
/// let done = engine.bootstrap().import_roles(OrgId::new(1), csv)?;
/// assert_eq!((done.created.len(), done.updated.len()), (1, 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleImport {
    /// Roles the file created.
    pub created: Vec<RoleId>,
    /// Existing roles (matched by name, case-insensitively) whose name and
    /// rules the file replaced.
    pub updated: Vec<RoleId>,
}

fn import_roles(
    snapshot: &Snapshot,
    actor: Actor,
    organization: OrgId,
    text: &str,
) -> Result<(Change, RoleImport), AdminError> {
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), ROLES_MANAGE)?;
    let roles = csv::read_roles(snapshot.catalog(), organization, text)?;
    let mut next = snapshot.policy.role_counter() as usize;
    let (mut created, mut updated) = (Vec::new(), Vec::new());
    for role in roles {
        match snapshot.policy.custom_role_named(organization, role.name()) {
            Some(id) => {
                let old = snapshot.policy.role(id).map_or(&[][..], Role::rules);
                may_grant(snapshot, acting.as_ref(), old)?;
                may_grant(snapshot, acting.as_ref(), role.rules())?;
                updated.push((id, role));
            }
            None => {
                may_grant(snapshot, acting.as_ref(), role.rules())?;
                let id = RoleId::new(next).ok_or_else(too_many_roles)?;
                next += 1;
                created.push((id, role));
            }
        }
    }
    let summary = RoleImport {
        created: created.iter().map(|(id, _)| *id).collect(),
        updated: updated.iter().map(|(id, _)| *id).collect(),
    };
    Ok((Change::ImportRoles { created, updated }, summary))
}

fn duplicate_role(
    snapshot: &Snapshot,
    actor: Actor,
    organization: OrgId,
    source: RoleId,
    name: &str,
) -> Result<(Change, RoleId), AdminError> {
    let rules = role_for(snapshot, organization, source)?.rules().to_vec();
    create_role(snapshot, actor, organization, name, rules)
}

fn update_role(
    snapshot: &Snapshot,
    actor: Actor,
    id: RoleId,
    name: Option<&str>,
    rules: Option<Vec<Rule>>,
) -> Result<(Change, RoleEdit), AdminError> {
    let (old, organization) = custom_role(snapshot, id)?;
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), ROLES_MANAGE)?;
    let name = name.unwrap_or(old.name());
    let rules = rules.unwrap_or_else(|| old.rules().to_vec());
    let role = Role::custom(organization, name, rules)?;
    check_role(snapshot, organization, role.name(), role.rules(), Some(id))?;
    // Nobody edits a role that grants what they do not hold (SEMANTICS.md §10.3): the
    // actor covers every rule of the role, before and after.
    may_grant(snapshot, acting.as_ref(), old.rules())?;
    may_grant(snapshot, acting.as_ref(), role.rules())?;
    let (before, after) = (old.permissions(), role.permissions());
    let edit = RoleEdit {
        id,
        gained: after.difference(&before),
        lost: before.difference(&after),
        holders: snapshot.directory.holder_count(organization, id),
    };
    Ok((Change::UpdateRole { id, role }, edit))
}

fn delete_role(
    snapshot: &Snapshot,
    actor: Actor,
    id: RoleId,
    move_to: Option<RoleId>,
) -> Result<(Change, RoleDeletion), AdminError> {
    let (role, organization) = custom_role(snapshot, id)?;
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), ROLES_MANAGE)?;
    let holders = snapshot.directory.holder_count(organization, id);
    let moved = match move_to {
        None if holders > 0 => {
            return Err(AdminError::RoleInUse {
                name: role.name().to_owned(),
                holders,
            });
        }
        None => 0,
        Some(to) => {
            if to == id {
                return Err(AdminError::UnknownRole { role: to });
            }
            role_for(snapshot, organization, to)?;
            if holders > 0 {
                require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
                may_give(snapshot, acting.as_ref(), to)?;
            }
            holders
        }
    };
    Ok((Change::DeleteRole { id, move_to }, RoleDeletion { moved }))
}

fn user_of(snapshot: &Snapshot, id: UserId) -> Result<&User, AdminError> {
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

pub(crate) fn add_user(
    snapshot: &Snapshot,
    actor: Actor,
    user: User,
) -> Result<(Change, ()), AdminError> {
    let organization = user.organization();
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    if snapshot.directory.user(user.id()).is_some() {
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
    may_take(acting.as_ref(), user)?;
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
        may_take(acting.as_ref(), user)?;
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
    may_take(acting.as_ref(), user)?;
    // Making a user active hands them their role's permissions again: it is
    // giving them the role.
    if user.status() != UserStatus::Active && status == UserStatus::Active {
        may_give(snapshot, acting.as_ref(), user.role())?;
    }
    Ok((Change::SetStatus { user: id, status }, ()))
}

/// A team name: trimmed, 1 to 64 characters, no control character.
fn team_name(name: &str) -> Result<&str, AdminError> {
    let trimmed = name.trim();
    let length = trimmed.chars().count();
    if length == 0 || length > MAX_ROLE_NAME || trimmed.chars().any(char::is_control) {
        return Err(AdminError::InvalidTeamName {
            name: excerpt(name),
        });
    }
    Ok(trimmed)
}

fn unique_team_name(
    snapshot: &Snapshot,
    organization: OrgId,
    name: &str,
    except: Option<TeamId>,
) -> Result<(), AdminError> {
    match snapshot.directory.team_named(organization, name) {
        Some(other) if Some(other) != except => Err(AdminError::DuplicateTeamName {
            organization,
            name: excerpt(name),
        }),
        _ => Ok(()),
    }
}

pub(crate) fn create_team(
    snapshot: &Snapshot,
    actor: Actor,
    organization: OrgId,
    name: &str,
    id: Option<TeamId>,
) -> Result<(Change, TeamId), AdminError> {
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    let name = team_name(name)?;
    unique_team_name(snapshot, organization, name, None)?;
    let next = persist::next_team_id(snapshot);
    let team = match id {
        None => next,
        // A host's own id must be above every id the engine has seen, so
        // that no deleted team's id is given to another team.
        Some(id) if id >= next => id,
        Some(id) => return Err(AdminError::TeamIdUsed { team: id, next }),
    };
    Ok((
        Change::CreateTeam {
            team,
            organization,
            name: name.to_owned(),
        },
        team,
    ))
}

fn rename_team(
    snapshot: &Snapshot,
    actor: Actor,
    team: TeamId,
    name: &str,
) -> Result<(Change, ()), AdminError> {
    let organization = team_of(snapshot, team)?.organization();
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    let name = team_name(name)?;
    unique_team_name(snapshot, organization, name, Some(team))?;
    Ok((
        Change::RenameTeam {
            team,
            name: name.to_owned(),
        },
        (),
    ))
}

fn team_call(
    snapshot: &Snapshot,
    actor: Actor,
    team: TeamId,
    user: Option<UserId>,
) -> Result<(), AdminError> {
    let organization = team_of(snapshot, team)?.organization();
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    if let Some(id) = user {
        let user = user_of(snapshot, id)?;
        if user.organization() != organization {
            return Err(AdminError::CrossOrganization {
                user: id,
                organization: user.organization(),
                team,
            });
        }
    }
    Ok(())
}

fn assign_team_role(
    snapshot: &Snapshot,
    actor: Actor,
    team: TeamId,
    role: RoleId,
) -> Result<(Change, usize), AdminError> {
    let t = team_of(snapshot, team)?;
    let organization = t.organization();
    let acting = acting(snapshot, actor, organization)?;
    require(snapshot, acting.as_ref(), MEMBERS_MANAGE)?;
    role_for(snapshot, organization, role)?;
    may_give(snapshot, acting.as_ref(), role)?;
    let mut users = Vec::with_capacity(t.member_count());
    for id in t.members() {
        let user = user_of(snapshot, id)?;
        if user.role() != role {
            may_take(acting.as_ref(), user)?;
            users.push(id);
        }
    }
    let changed = users.len();
    Ok((Change::AssignRole { users, role }, changed))
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

    /// Creates a custom role in `organization` ([semantics](crate::semantics) §8.2).
    ///
    /// # Errors
    ///
    /// [`AdminError::Denied`] without `roles.manage`, or for a rule the actor
    /// does not hold as broadly; [`AdminError::Role`] for a bad name, a name
    /// the organization already has, or a rule of another catalog.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::engine::GuardError;
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, Rule, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(1), org, SystemRole::Admin.id()))?;
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// // User 1 is an Admin, user 2 a Viewer.
    /// let run = Rule::builder(engine.catalog(), "workflows", "execute").build()?;
    /// let runner = engine.admin(UserId::new(1)).create_role(org, "Runner", [run])?;
    /// let roles = engine.snapshot().roles(org);
    /// assert_eq!(roles.last().map(|r| (r.id, r.name.as_str(), r.rules)), Some((runner, "Runner", 1)));
    ///
    /// // A Viewer lacks roles.manage.
    /// let err = engine.admin(UserId::new(2)).create_role(org, "Auditor", []).unwrap_err();
    /// assert_eq!(err, AdminError::Denied(GuardError::MissingPermission { permission: "roles.manage".into() }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_role<I>(
        &self,
        organization: OrgId,
        name: &str,
        rules: I,
    ) -> Result<RoleId, AdminError>
    where
        I: IntoIterator<Item = Rule>,
    {
        let actor = self.actor;
        let rules: Vec<Rule> = rules.into_iter().collect();
        self.engine
            .write(actor, "role.create", Target::NewRole(organization), |s| {
                create_role(s, actor, organization, name, rules.clone())
            })
    }

    /// Creates a custom role in `organization` with the rules of `source`, a
    /// system role or one of the organization's custom roles.
    ///
    /// # Errors
    ///
    /// As [`create_role`](Self::create_role), and
    /// [`AdminError::UnknownRole`] for a source that is not visible to the
    /// organization.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let reader = engine.bootstrap().duplicate_role(org, SystemRole::Viewer.id(), "Reader")?;
    /// let roles = engine.snapshot().roles(org);
    /// let copy = roles.iter().find(|r| r.id == reader).ok_or("listed")?;
    /// assert_eq!((copy.name.as_str(), copy.permissions), ("Reader", 7));
    ///
    /// // Another organization's custom role is not visible.
    /// let err = engine.bootstrap().duplicate_role(OrgId::new(2), reader, "Reader").unwrap_err();
    /// assert_eq!(err, AdminError::UnknownRole { role: reader });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn duplicate_role(
        &self,
        organization: OrgId,
        source: RoleId,
        name: &str,
    ) -> Result<RoleId, AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "role.create", Target::NewRole(organization), |s| {
                duplicate_role(s, actor, organization, source, name)
            })
    }

    /// Imports a roles file ([semantics](crate::semantics) §13.4) into the custom roles of
    /// `organization`, as one change: a role of the file whose name an
    /// existing custom role has (compared case-insensitively) replaces that
    /// role's name and rules; any other is created. Rows of system roles are
    /// checked against them and otherwise ignored. Roles the file does not
    /// name are left alone.
    ///
    /// # Errors
    ///
    /// [`AdminError::Import`] listing every problem of the file with its
    /// line and column; [`AdminError::Denied`] without `roles.manage` or
    /// for a rule the actor does not hold as broadly. Either way nothing is
    /// imported.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let header = "Role name,Resource,Action,Conditions,Must Match\n";
    /// let first = engine.bootstrap().import_roles(org, &format!("{header}Auditor,audit_log,read,,organization\n"))?;
    /// // The same name, compared case-insensitively: the role is replaced, not added.
    /// let again = engine.bootstrap().import_roles(org, &format!("{header}auditor,activity,read,,organization\n"))?;
    /// assert_eq!((again.created.len(), &again.updated), (0, &first.created));
    /// let roles = engine.snapshot().roles(org);
    /// assert_eq!(roles.last().map(|r| (r.name.as_str(), r.rules)), Some(("auditor", 1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn import_roles(&self, organization: OrgId, csv: &str) -> Result<RoleImport, AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "role.import", Target::NewRole(organization), |s| {
                import_roles(s, actor, organization, csv)
            })
    }

    /// Renames a custom role.
    ///
    /// # Errors
    ///
    /// [`AdminError::Role`] for a system role, a bad name or one the
    /// organization already has; [`AdminError::UnknownRole`];
    /// [`AdminError::Denied`] without `roles.manage` or when the role grants
    /// something the actor does not hold as broadly.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, RoleError};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let auditors = boot.create_role(org, "Auditors", [])?;
    /// let reviewers = boot.create_role(org, "Reviewers", [])?;
    /// assert_eq!(boot.rename_role(auditors, "Compliance")?.id, auditors);
    /// assert_eq!(engine.snapshot().policy().role(auditors).map(|r| r.name()), Some("Compliance"));
    ///
    /// let err = boot.rename_role(reviewers, "compliance").unwrap_err();
    /// assert!(matches!(err, AdminError::Role(RoleError::DuplicateName { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rename_role(&self, role: RoleId, name: &str) -> Result<RoleEdit, AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "role.update", Target::Role(role), |s| {
                update_role(s, actor, role, Some(name), None)
            })
    }

    /// Replaces a custom role's rules; recompiles that role only.
    ///
    /// # Errors
    ///
    /// As [`rename_role`](Self::rename_role): the actor must hold every rule
    /// of the role as broadly, before and after
    /// ([`GuardError::Escalation`](super::GuardError::Escalation)
    /// otherwise).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, Rule, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// let catalog = engine.catalog();
    /// let boot = engine.bootstrap();
    /// let runner = boot.create_role(org, "Runner", [Rule::builder(catalog, "workflows", "read").build()?])?;
    /// boot.add_user(User::new(UserId::new(5), org, runner))?;
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), org);
    /// let execute = catalog.action("execute")?;
    /// assert!(!engine.can_user(UserId::new(5), execute, &workflow));
    ///
    /// let edit = boot.replace_rules(runner, [Rule::builder(catalog, "workflows", "execute").build()?])?;
    /// assert_eq!(edit.holders, 1);
    /// assert!(engine.can_user(UserId::new(5), execute, &workflow));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replace_rules<I>(&self, role: RoleId, rules: I) -> Result<RoleEdit, AdminError>
    where
        I: IntoIterator<Item = Rule>,
    {
        let actor = self.actor;
        let rules: Vec<Rule> = rules.into_iter().collect();
        self.engine
            .write(actor, "role.update", Target::Role(role), |s| {
                update_role(s, actor, role, None, Some(rules.clone()))
            })
    }

    /// Deletes a custom role. While users hold it, the call must name a role
    /// to move them to; the move and the deletion happen together.
    ///
    /// # Errors
    ///
    /// [`AdminError::RoleInUse`] when held and `move_to` is `None`;
    /// [`AdminError::Role`] for a system role; [`AdminError::UnknownRole`];
    /// [`AdminError::Denied`] without `roles.manage` (and, to move holders,
    /// `members.manage` and the right to give the target role).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let temp = boot.create_role(org, "Temp", [])?;
    /// boot.add_user(User::new(UserId::new(5), org, temp))?;
    /// let err = boot.delete_role(temp, None).unwrap_err();
    /// assert_eq!(err, AdminError::RoleInUse { name: "Temp".into(), holders: 1 });
    ///
    /// assert_eq!(boot.delete_role(temp, Some(SystemRole::Viewer.id()))?.moved, 1);
    /// let snapshot = engine.snapshot();
    /// assert_eq!(snapshot.user(UserId::new(5)).map(|u| u.role()), Some(SystemRole::Viewer.id()));
    /// assert!(snapshot.policy().role(temp).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delete_role(
        &self,
        role: RoleId,
        move_to: Option<RoleId>,
    ) -> Result<RoleDeletion, AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "role.delete", Target::Role(role), |s| {
                delete_role(s, actor, role, move_to)
            })
    }

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
    /// assert!(engine.can_user(UserId::new(2), read, &workflow));
    /// engine.admin(UserId::new(1)).set_status(UserId::new(2), UserStatus::Suspended)?;
    /// assert!(!engine.can_user(UserId::new(2), read, &workflow));
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

    /// Creates a team; returns its id.
    ///
    /// # Errors
    ///
    /// [`AdminError::Denied`] without `members.manage`;
    /// [`AdminError::InvalidTeamName`]; [`AdminError::DuplicateTeamName`].
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
    /// let ops = engine.admin(UserId::new(1)).create_team(org, "Ops")?;
    /// let teams = engine.snapshot().teams(org);
    /// assert_eq!(teams.iter().map(|t| (t.id, t.name.as_str())).collect::<Vec<_>>(), [(ops, "Ops")]);
    ///
    /// // A Viewer lacks members.manage.
    /// let err = engine.admin(UserId::new(2)).create_team(org, "Web").unwrap_err();
    /// assert_eq!(err, AdminError::Denied(GuardError::MissingPermission { permission: "members.manage".into() }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_team(&self, organization: OrgId, name: &str) -> Result<TeamId, AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.create", Target::NewTeam(organization), |s| {
                create_team(s, actor, organization, name, None)
            })
    }

    /// Creates a team under an id of the host's own choosing, for hosts
    /// whose teams already have ids. The id must be above every team id the
    /// engine (or its store) has seen, so that no deleted team's id is ever
    /// given to another team; the engine's own ids continue above it.
    ///
    /// # Errors
    ///
    /// [`AdminError::TeamIdUsed`] for an id at or below one already seen,
    /// and as [`create_team`](Self::create_team).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, TeamId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let boot = engine.bootstrap();
    /// boot.create_team_with_id(OrgId::new(1), TeamId::new(500), "Imported")?;
    /// assert_eq!(boot.create_team(OrgId::new(1), "Next")?, TeamId::new(501));
    /// let err = boot.create_team_with_id(OrgId::new(1), TeamId::new(20), "Too low").unwrap_err();
    /// assert!(matches!(err, AdminError::TeamIdUsed { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_team_with_id(
        &self,
        organization: OrgId,
        team: TeamId,
        name: &str,
    ) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.create", Target::NewTeam(organization), |s| {
                create_team(s, actor, organization, name, Some(team)).map(|(c, _)| (c, ()))
            })
    }

    /// Renames a team.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownTeam`], and as
    /// [`create_team`](Self::create_team).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.create_team(org, "Web")?;
    /// boot.rename_team(ops, "Platform")?;
    /// assert_eq!(engine.snapshot().team(ops).map(|t| t.name().to_owned()), Some("Platform".into()));
    ///
    /// let err = boot.rename_team(ops, "web").unwrap_err();
    /// assert!(matches!(err, AdminError::DuplicateTeamName { .. }), "names are unique");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rename_team(&self, team: TeamId, name: &str) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.update", Target::Team(team), |s| {
                rename_team(s, actor, team, name)
            })
    }

    /// Deletes a team; its memberships go with it.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownTeam`]; [`AdminError::Denied`] without
    /// `members.manage`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Developer.id()).with_team(ops))?;
    /// boot.delete_team(ops)?;
    /// let snapshot = engine.snapshot();
    /// assert!(snapshot.team(ops).is_none());
    /// assert_eq!(snapshot.user(UserId::new(1)).map(|u| u.teams().len()), Some(0));
    /// assert_eq!(boot.delete_team(ops), Err(AdminError::UnknownTeam { team: ops }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delete_team(&self, team: TeamId) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.delete", Target::Team(team), |s| {
                team_call(s, actor, team, None)?;
                Ok((Change::DeleteTeam { team }, ()))
            })
    }

    /// Adds a user to a team of their organization.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownTeam`]; [`AdminError::UnknownUser`];
    /// [`AdminError::CrossOrganization`]; [`AdminError::Denied`] without
    /// `members.manage`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Developer.id()))?;
    /// boot.add_to_team(ops, UserId::new(1))?;
    /// assert_eq!(engine.snapshot().team(ops).map(|t| t.member_count()), Some(1));
    ///
    /// // A user of another organization cannot join.
    /// boot.add_user(User::new(UserId::new(2), OrgId::new(2), SystemRole::Developer.id()))?;
    /// let err = boot.add_to_team(ops, UserId::new(2)).unwrap_err();
    /// assert!(matches!(err, AdminError::CrossOrganization { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_to_team(&self, team: TeamId, user: UserId) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.member_add", Target::Team(team), |s| {
                team_call(s, actor, team, Some(user))?;
                Ok((Change::AddMember { team, user }, ()))
            })
    }

    /// Removes a user from a team.
    ///
    /// # Errors
    ///
    /// As [`add_to_team`](Self::add_to_team).
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
    /// # let ops = engine.bootstrap().create_team(org, "Ops")?;
    /// # engine.bootstrap().add_to_team(ops, UserId::new(2))?;
    /// // User 2 is in team `ops`; a Viewer lacks members.manage.
    /// let err = engine.admin(UserId::new(2)).remove_from_team(ops, UserId::new(2)).unwrap_err();
    /// assert_eq!(err, AdminError::Denied(GuardError::MissingPermission { permission: "members.manage".into() }));
    ///
    /// engine.admin(UserId::new(1)).remove_from_team(ops, UserId::new(2))?;
    /// let snapshot = engine.snapshot();
    /// assert_eq!(snapshot.team(ops).map(|t| t.member_count()), Some(0));
    /// assert_eq!(snapshot.user(UserId::new(2)).map(|u| u.teams().is_empty()), Some(true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove_from_team(&self, team: TeamId, user: UserId) -> Result<(), AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.member_remove", Target::Team(team), |s| {
                team_call(s, actor, team, Some(user))?;
                Ok((Change::RemoveMember { team, user }, ()))
            })
    }

    /// Gives every member of a team the same role, in one change; returns
    /// how many members changed role.
    ///
    /// # Errors
    ///
    /// [`AdminError::UnknownTeam`]; [`AdminError::UnknownRole`];
    /// [`AdminError::Denied`] as for [`assign_role`](Self::assign_role), for
    /// any member.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::PeopleFilter;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// let ops = boot.create_team(org, "Ops")?;
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Viewer.id()).with_team(ops))?;
    /// boot.add_user(User::new(UserId::new(2), org, SystemRole::Operator.id()).with_team(ops))?;
    /// assert_eq!(boot.assign_team_role(ops, SystemRole::Operator.id())?, 1, "one member changed role");
    /// let operators = engine.snapshot().people(org, &PeopleFilter::new().role(SystemRole::Operator.id()));
    /// assert_eq!(operators.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assign_team_role(&self, team: TeamId, role: RoleId) -> Result<usize, AdminError> {
        let actor = self.actor;
        self.engine
            .write(actor, "team.role_assign", Target::Team(team), |s| {
                assign_team_role(s, actor, team, role)
            })
    }
}
