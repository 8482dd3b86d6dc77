//! The delegation guard: who may change roles, people and teams ([semantics](crate::semantics) §10).

use super::error::{AdminError, GuardError};
use super::{Change, Snapshot};
use crate::audit::Actor;
use crate::directory::User;
use crate::evaluate::{Resource, UserStatus};
use crate::id::{OrgId, ResourceId, RoleId};
use crate::role::{Role, SystemRole};
use crate::rule::Rule;

/// The acting user, resolved in a snapshot.
pub(crate) struct Acting<'s> {
    user: User,
    role: Option<&'s Role>,
}

impl Acting<'_> {
    fn is_owner(&self) -> bool {
        self.user.role() == SystemRole::Owner.id()
    }
}

/// Resolves the actor for a call on `organization`: the system (no checks)
/// or an active user of that organization.
pub(crate) fn acting(
    snapshot: &Snapshot,
    actor: Actor,
    organization: OrgId,
) -> Result<Option<Acting<'_>>, GuardError> {
    let Actor::User(id) = actor else {
        return Ok(None);
    };
    let user = snapshot
        .directory
        .user(id)
        .ok_or(GuardError::UnknownActor { user: id })?;
    if user.status() != UserStatus::Active {
        return Err(GuardError::InactiveActor {
            user: id,
            status: user.status(),
        });
    }
    if user.organization() != organization {
        return Err(GuardError::OtherOrganization {
            actor: user.organization(),
            target: organization,
        });
    }
    Ok(Some(Acting {
        role: snapshot.policy.role(user.role()),
        user,
    }))
}

/// The actor must be allowed `permission` (`roles.manage` or
/// `members.manage`) on their organization. A catalog without that
/// permission leaves such calls to the system alone.
pub(crate) fn require(
    snapshot: &Snapshot,
    acting: Option<&Acting<'_>>,
    permission: &str,
) -> Result<(), GuardError> {
    let Some(acting) = acting else {
        return Ok(());
    };
    let missing = || GuardError::MissingPermission {
        permission: permission.to_owned(),
    };
    let catalog = snapshot.catalog();
    let p = catalog
        .permission_named(permission)
        .map_err(|_| missing())?;
    let info = catalog.permission_info(p).ok_or_else(missing)?;
    let target = Resource::new(
        info.resource_type,
        ResourceId::new(0),
        acting.user.organization(),
    );
    if snapshot
        .policy
        .can(&acting.user.subject(), info.action, &target)
    {
        Ok(())
    } else {
        Err(missing())
    }
}

/// Whether `held` is at least as broad as `granted`: the same permission,
/// and every must-match key and condition of `held` also narrows `granted`.
fn covers(held: &Rule, granted: &Rule) -> bool {
    held.permission() == granted.permission()
        && granted.must_match().contains(held.must_match())
        && held
            .conditions()
            .as_slice()
            .iter()
            .all(|c| granted.conditions().as_slice().contains(c))
}

/// No escalation: every rule in `rules` must be covered by a rule of the
/// actor's role.
pub(crate) fn may_grant(
    snapshot: &Snapshot,
    acting: Option<&Acting<'_>>,
    rules: &[Rule],
) -> Result<(), GuardError> {
    let Some(acting) = acting else {
        return Ok(());
    };
    let held = acting.role.map_or(&[][..], Role::rules);
    match rules
        .iter()
        .find(|rule| !held.iter().any(|h| covers(h, rule)))
    {
        None => Ok(()),
        Some(rule) => Err(GuardError::Escalation {
            permission: snapshot
                .catalog()
                .permission_name(rule.permission())
                .unwrap_or_default()
                .to_owned(),
        }),
    }
}

/// The actor may give `role` to a user: only an Owner gives Owner, and the
/// role may grant nothing the actor does not hold.
pub(crate) fn may_give(
    snapshot: &Snapshot,
    acting: Option<&Acting<'_>>,
    role: RoleId,
) -> Result<(), GuardError> {
    let Some(a) = acting else {
        return Ok(());
    };
    if role == SystemRole::Owner.id() && !a.is_owner() {
        return Err(GuardError::OwnerOnly);
    }
    let rules = snapshot.policy.role(role).map_or(&[][..], Role::rules);
    may_grant(snapshot, acting, rules)
}

/// The actor may take a user's current role away (or suspend or remove
/// them): only an Owner acts on an Owner.
pub(crate) fn may_take(acting: Option<&Acting<'_>>, user: &User) -> Result<(), GuardError> {
    match acting {
        Some(a) if user.role() == SystemRole::Owner.id() && !a.is_owner() => {
            Err(GuardError::OwnerOnly)
        }
        _ => Ok(()),
    }
}

/// The last active Owner of an organization cannot be demoted, suspended or
/// removed: if the change's organization had one before, it has one after.
pub(crate) fn keeps_owners(
    before: &Snapshot,
    after: &Snapshot,
    change: &Change,
) -> Result<(), AdminError> {
    let Some(organization) = change.organization(before) else {
        return Ok(());
    };
    let owner = SystemRole::Owner.id();
    if before.directory.active_holders(organization, owner) > 0
        && after.directory.active_holders(organization, owner) == 0
    {
        return Err(GuardError::LastOwner { organization }.into());
    }
    Ok(())
}
