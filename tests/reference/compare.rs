//! Comparing the engine with the reference on one generated case, with tallies of the paths.

use rolegate::evaluate::RuleFailure;
use rolegate::policy::RuleSource;
use rolegate::*;

use crate::engine_inputs::{engine_action, engine_policy, engine_resource, engine_subject};
use crate::evaluator::{reference_can, rules_granting};
use crate::plain::{Cmp, Lit, Rhs, RoleDecl};
use crate::render::{describe_catalog, describe_request, describe_roles};
use crate::resolve::{
    request_actions, resolve_catalog, resolve_resource, resolve_roles, resolve_subject,
};
use crate::strategy::RawCase;
use crate::system_roles::SYSTEM_ROLE_NAMES;

/// Tallies of what the generated checks went through, by the engine's own
/// explanation, so that the generators can be seen to reach every path.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub(crate) checks: usize,
    pub(crate) allowed: usize,
    pub(crate) allowed_custom: usize,
    pub(crate) allowed_narrowed_custom: usize,
    /// Allows and denials decided by the one condition of the only rule
    /// that grants the permission (a custom role's), by kind of right-hand
    /// side (string, integer, boolean, list, subject reference).
    pub(crate) allowed_by_one_condition: [usize; 5],
    pub(crate) denied_by_one_condition: [usize; 5],
    pub(crate) allowed_synced: usize,
    pub(crate) allowed_builtin: usize,
    pub(crate) allowed_end_user: usize,
    pub(crate) allowed_permission_above_63: usize,
    pub(crate) denied_inactive: usize,
    pub(crate) denied_other_org: usize,
    pub(crate) denied_not_applicable: usize,
    pub(crate) denied_unknown_role: usize,
    pub(crate) denied_role_of_other_org: usize,
    pub(crate) denied_no_rule: usize,
    pub(crate) denied_rules_failed: usize,
}

/// Runs every check of one generated case; the first disagreement comes back
/// as a message with the generated data and both answers.
pub(crate) fn check_case(raw: &RawCase, stats: &mut Stats) -> Result<(), String> {
    let decl = resolve_catalog(&raw.catalog);
    let roles = resolve_roles(&decl, &raw.roles);
    let policy = engine_policy(&decl, &roles);
    let catalog = policy.catalog();
    for (i, (raw_subject, raw_resource)) in raw.requests.iter().enumerate() {
        let subject = resolve_subject(raw_subject, roles.len());
        let resource = resolve_resource(&decl, &roles, &subject, raw_resource, i);
        let actions = request_actions(&decl, &resource, i);
        let engine_subject = engine_subject(&subject);
        let engine_resource = engine_resource(catalog, &resource);
        for action in &actions {
            let expected = reference_can(&decl, &roles, &subject, action, &resource);
            let action_id = engine_action(catalog, action);
            let can = policy.can(&engine_subject, action_id, &engine_resource);
            let why = policy.explain(&engine_subject, action_id, &engine_resource);
            let grants = rules_granting(&decl, &roles, &subject, action, &resource);
            stats.record(&why, &roles, grants);
            if can != expected || why.is_allowed() != can {
                return Err(format!(
                    "reference and engine disagree\n{}{}{}reference (SEMANTICS.md §2-§6): {}\nPolicy::can: {}\nPolicy::explain: {}\n",
                    describe_catalog(&decl),
                    describe_roles(&roles),
                    describe_request(&roles, &subject, action, &resource),
                    verdict(expected),
                    verdict(can),
                    why.display(&policy),
                ));
            }
        }
    }
    Ok(())
}

fn verdict(allowed: bool) -> &'static str {
    if allowed { "allow" } else { "deny" }
}

/// The kind of a comparison's right-hand side, as counted in [`Stats`].
fn rhs_kind(c: &Cmp) -> usize {
    match &c.rhs {
        Rhs::Lit(Lit::Str(_)) => 0,
        Rhs::Lit(Lit::Int(_)) => 1,
        Rhs::Lit(Lit::Bool(_)) => 2,
        Rhs::List(_) => 3,
        Rhs::SubjectId | Rhs::SubjectOrganization | Rhs::SubjectCustomer => 4,
    }
}

impl Stats {
    /// Records one decision; `grants` is how many rules of the subject's
    /// role and built-in rules grant the permission asked for.
    fn record(&mut self, why: &Explanation, roles: &[RoleDecl], grants: usize) {
        self.checks += 1;
        match why {
            Explanation::Allowed {
                role,
                rule,
                permission,
            } => {
                self.allowed += 1;
                if permission.index() >= 64 {
                    self.allowed_permission_above_63 += 1;
                }
                if rule.source == RuleSource::BuiltIn {
                    self.allowed_builtin += 1;
                }
                if rule.synced_to.is_some() {
                    self.allowed_synced += 1;
                }
                if role.index() == 5 {
                    self.allowed_end_user += 1;
                }
                if role.index() >= SYSTEM_ROLE_NAMES.len() && rule.source == RuleSource::Role {
                    self.allowed_custom += 1;
                    let r = &roles[role.index()].rules[rule.index];
                    if !r.conditions.is_empty() || r.keys.customer || r.keys.team || r.keys.owner {
                        self.allowed_narrowed_custom += 1;
                    }
                    if let ([c], 1) = (r.conditions.as_slice(), grants) {
                        self.allowed_by_one_condition[rhs_kind(c)] += 1;
                    }
                }
            }
            Explanation::Denied(Denial::RulesFailed { role, failures, .. })
                if role.index() >= SYSTEM_ROLE_NAMES.len() =>
            {
                self.denied_rules_failed += 1;
                if let [failure] = failures.as_slice()
                    && let RuleFailure::Condition { rule, .. } = failure
                    && rule.source == RuleSource::Role
                    && let [c] = roles[role.index()].rules[rule.index].conditions.as_slice()
                {
                    self.denied_by_one_condition[rhs_kind(c)] += 1;
                }
            }
            Explanation::Denied(denial) => match denial {
                Denial::Inactive { .. } => self.denied_inactive += 1,
                Denial::OtherOrganization { .. } => self.denied_other_org += 1,
                Denial::NotApplicable { .. } => self.denied_not_applicable += 1,
                Denial::UnknownRole { .. } => self.denied_unknown_role += 1,
                Denial::RoleOfOtherOrganization { .. } => self.denied_role_of_other_org += 1,
                Denial::NoRule { .. } => self.denied_no_rule += 1,
                Denial::RulesFailed { .. } => self.denied_rules_failed += 1,
                _ => {}
            },
            other => panic!("an explanation the reference does not know: {other:?}"),
        }
    }
}
