//! Administrative calls on roles: create, duplicate, import, rename,
//! replace rules, delete.

use super::super::error::AdminError;
use super::super::guard::{acting, may_give, may_grant, require};
use super::super::{Change, Snapshot};
use super::{Admin, MEMBERS_MANAGE, ROLES_MANAGE, Target, role_for};
use crate::audit::Actor;
use crate::csv;
use crate::id::{OrgId, PermissionSet, RoleId};
use crate::policy::rule_fits;
use crate::role::{Role, RoleError, RoleKind};
use crate::rule::Rule;
use crate::text::excerpt;

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
    snapshot.policy.room_for_roles(organization, 1)?;
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
    /// Existing roles (matched by name, compared as names are) whose name and
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
    snapshot
        .policy
        .room_for_roles(organization, created.len())?;
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

impl Admin<'_> {
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
    /// existing custom role has (compared as names are, [semantics](crate::semantics) §8.1) replaces that
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
    /// ([`GuardError::Escalation`](crate::engine::GuardError::Escalation)
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
    /// assert!(!engine.can(UserId::new(5), execute, &workflow));
    ///
    /// let edit = boot.replace_rules(runner, [Rule::builder(catalog, "workflows", "execute").build()?])?;
    /// assert_eq!(edit.holders, 1);
    /// assert!(engine.can(UserId::new(5), execute, &workflow));
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
}
