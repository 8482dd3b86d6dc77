//! The delegation guard: who may change roles, people and teams ([semantics](crate::semantics) §10).

use super::error::{AdminError, GuardError};
use super::{Change, Snapshot};
use crate::audit::Actor;
use crate::condition::Condition;
use crate::directory::User;
use crate::evaluate::{Resource, UserStatus};
use crate::id::PermissionId;
use crate::id::{OrgId, ResourceId, RoleId};
use crate::role::{Role, SystemRole};
use crate::rule::Rule;
use hashbrown::{DefaultHashBuilder, HashMap, HashSet};
use std::hash::BuildHasher;

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

/// The actor's rules, indexed for the coverage test: by permission, each
/// with a 64-bit signature of its conditions, duplicates dropped.
///
/// A held rule covers a granted rule when it is for the same permission,
/// its must-match keys are among the granted rule's, and each of its
/// conditions is one of the granted rule's. The signature sets one bit per
/// condition, so a held rule whose signature has a bit the granted rule's
/// lacks is passed over in one test; only the rest compare conditions, each
/// looked up in a set of the granted rule's. The test of one granted rule
/// therefore costs one signature test per held rule of its permission, and
/// condition lookups only for the (rare) held rules whose signature fits:
/// never the product of both rules' conditions.
struct Held<'r> {
    hasher: DefaultHashBuilder,
    by_permission: HashMap<PermissionId, Vec<(u64, &'r Rule)>>,
}

impl<'r> Held<'r> {
    fn new(rules: &'r [Rule]) -> Self {
        let hasher = DefaultHashBuilder::default();
        let mut seen = HashSet::with_capacity(rules.len());
        let mut by_permission: HashMap<PermissionId, Vec<(u64, &'r Rule)>> = HashMap::new();
        for rule in rules {
            if seen.insert(rule) {
                let signature = signature(&hasher, rule);
                by_permission
                    .entry(rule.permission())
                    .or_default()
                    .push((signature, rule));
            }
        }
        Self {
            hasher,
            by_permission,
        }
    }

    /// Whether some held rule covers `granted`.
    fn covers(&self, granted: &Rule) -> bool {
        let Some(candidates) = self.by_permission.get(&granted.permission()) else {
            return false;
        };
        let signature = signature(&self.hasher, granted);
        let mut conditions: Option<HashSet<&Condition>> = None;
        candidates.iter().any(|&(held_signature, held)| {
            if held_signature & !signature != 0 || !granted.must_match().contains(held.must_match())
            {
                return false;
            }
            let held = held.conditions().as_slice();
            if held.is_empty() {
                return true;
            }
            let set =
                conditions.get_or_insert_with(|| granted.conditions().as_slice().iter().collect());
            held.iter().all(|c| {
                count_lookup();
                set.contains(c)
            })
        })
    }
}

/// One bit per condition of `rule`.
fn signature(hasher: &DefaultHashBuilder, rule: &Rule) -> u64 {
    rule.conditions()
        .as_slice()
        .iter()
        .fold(0, |bits, c| bits | 1u64 << (hasher.hash_one(c) % 64))
}

#[cfg(test)]
thread_local! {
    static LOOKUPS: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
}

/// Counts one condition lookup of the coverage test (tests only).
#[inline]
fn count_lookup() {
    #[cfg(test)]
    LOOKUPS.with(|n| n.set(n.get() + 1));
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
    let held = Held::new(acting.role.map_or(&[][..], Role::rules));
    let mut checked = HashSet::with_capacity(rules.len());
    match rules
        .iter()
        .find(|rule| checked.insert(*rule) && !held.covers(rule))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn rule(catalog: &Catalog, conditions: &str) -> Rule {
        crate::Rule::builder(catalog, "workflows", "update")
            .conditions(conditions)
            .build()
            .unwrap_or_else(|e| unreachable!("{e}"))
    }

    /// Rules for one permission, each with `per_rule` conditions on
    /// `priority` drawn from `offset..`.
    fn rules(catalog: &Catalog, count: usize, per_rule: usize, offset: usize) -> Vec<Rule> {
        (0..count)
            .map(|r| {
                let text: Vec<String> = (0..per_rule)
                    .map(|c| format!("priority != {}", offset + r * per_rule + c))
                    .collect();
                rule(catalog, &text.join(" and "))
            })
            .collect()
    }

    #[test]
    fn coverage_is_not_all_pairs_of_conditions() {
        let catalog = Catalog::standard();
        let per_rule = crate::limits::MAX_CONDITIONS;
        let held = rules(&catalog, 256, per_rule, 0);
        let granted = rules(&catalog, 256, per_rule, 1_000_000);
        let index = Held::new(&held);
        LOOKUPS.with(|n| n.set(0));
        assert!(granted.iter().all(|g| !index.covers(g)));
        let lookups = LOOKUPS.with(core::cell::Cell::get);
        // All pairs would be 256 x 256 rules x 32 x 32 conditions (67 M).
        assert!(lookups < 256 * 256, "{lookups} condition lookups");
        // Covering still works: the same rules, and a narrower one.
        assert!(held.iter().all(|h| index.covers(h)));
        let small = rules(&catalog, 8, 4, 0);
        let index = Held::new(&small);
        let first = small
            .first()
            .map(|h| h.conditions().display(&catalog).to_string())
            .unwrap_or_default();
        assert!(index.covers(&rule(
            &catalog,
            &format!("{first} and status != \"archived\"")
        )));
        assert!(!index.covers(&rule(&catalog, "priority != 0")));
        assert!(
            !index.covers(&rule(&catalog, "")),
            "an unconditional rule is broader"
        );
    }
}
