//! Invariants on random worlds (the same generated catalogs, roles,
//! subjects and resources as the differential test): default deny, no
//! allow across organizations, inactive subjects denied everything, adding
//! a rule never removes an allow and removing one never adds one, rule
//! order and duplication do not matter, and `explain` agrees with `can`.

use proptest::prelude::*;
use rolegate::policy::RuleSource;
use rolegate::*;

use crate::engine_inputs::{engine_action, engine_policy, engine_resource, engine_subject};
use crate::plain::{CatalogDecl, RoleDecl};
use crate::resolve::{
    request_actions, resolve_catalog, resolve_resource, resolve_roles, resolve_subject,
};
use crate::strategy::{RawCase, raw_case};
use crate::system_roles::SYSTEM_ROLE_NAMES;

/// The policies a case is compared across: the roles as generated, and
/// variants of one custom role (`target`).
struct Worlds {
    base: Policy,
    /// Every custom role's rules reversed and each given twice.
    reordered: Policy,
    /// The target role with one more rule (another role's).
    grown: Policy,
    /// The target role without its first rule.
    shrunk: Policy,
    /// The target role with no rules at all.
    emptied: Policy,
    target: Option<usize>,
}

fn worlds(decl: &CatalogDecl, roles: &[RoleDecl], pick: usize) -> Worlds {
    let custom = roles.len() - SYSTEM_ROLE_NAMES.len();
    let target = (custom > 0).then(|| SYSTEM_ROLE_NAMES.len() + pick % custom);
    let with = |change: &dyn Fn(&mut Vec<RoleDecl>)| {
        let mut changed = roles.to_vec();
        change(&mut changed);
        engine_policy(decl, &changed)
    };
    let donor = roles
        .iter()
        .skip(SYSTEM_ROLE_NAMES.len())
        .flat_map(|r| r.rules.iter())
        .nth(pick % 7)
        .cloned();
    Worlds {
        base: engine_policy(decl, roles),
        reordered: with(&|rs| {
            for r in rs.iter_mut().skip(SYSTEM_ROLE_NAMES.len()) {
                r.rules.reverse();
                let twice = r.rules.clone();
                r.rules.extend(twice);
            }
        }),
        grown: with(&|rs| {
            if let (Some(t), Some(rule)) = (target, donor.clone()) {
                rs[t].rules.push(rule);
            }
        }),
        shrunk: with(&|rs| {
            if let Some(t) = target
                && !rs[t].rules.is_empty()
            {
                rs[t].rules.remove(0);
            }
        }),
        emptied: with(&|rs| {
            if let Some(t) = target {
                rs[t].rules.clear();
            }
        }),
        target,
    }
}

fn check(raw: &RawCase, pick: usize) -> Result<(usize, usize), String> {
    let decl = resolve_catalog(&raw.catalog);
    let roles = resolve_roles(&decl, &raw.roles);
    let w = worlds(&decl, &roles, pick);
    let catalog = w.base.catalog();
    let (mut checks, mut on_target) = (0, 0);
    for (i, (raw_subject, raw_resource)) in raw.requests.iter().enumerate() {
        let subject = resolve_subject(raw_subject, roles.len());
        let resource = resolve_resource(&decl, &roles, &subject, raw_resource, i);
        let s = engine_subject(&subject);
        let r = engine_resource(catalog, &resource);
        let holds_target = w.target.is_some_and(|t| s.role().index() == t);
        for action in request_actions(&decl, &resource, i) {
            checks += 1;
            on_target += usize::from(holds_target);
            let a = engine_action(catalog, &action);
            let can = w.base.can(&s, a, &r);
            let why = w.base.explain(&s, a, &r);
            let fail = |what: &str| {
                Err(format!(
                    "{what}: {s:?} {action} {r:?}\nbase: {}",
                    why.display(&w.base)
                ))
            };
            if why.is_allowed() != can {
                return fail("explain disagrees with can");
            }
            if can && s.organization() != r.organization() {
                return fail("allowed across organizations");
            }
            if can && s.status() != UserStatus::Active {
                return fail("an inactive subject was allowed");
            }
            if w.reordered.can(&s, a, &r) != can {
                return fail("rule order or duplication changed the decision");
            }
            let grown = w.grown.can(&s, a, &r);
            let shrunk = w.shrunk.can(&s, a, &r);
            if can && !grown {
                return fail("adding a rule removed an allow");
            }
            if !can && shrunk {
                return fail("removing a rule added an allow");
            }
            if !holds_target && (grown != can || shrunk != can) {
                return fail("changing another role changed the decision");
            }
            // Default deny: a role without rules allows only what a
            // built-in rule of the catalog allows.
            if holds_target {
                let empty = w.emptied.explain(&s, a, &r);
                if let Explanation::Allowed { rule, .. } = &empty
                    && rule.source != RuleSource::BuiltIn
                {
                    return fail("a role without rules allowed through a rule of its own");
                }
                if empty.is_allowed() != w.emptied.can(&s, a, &r) {
                    return fail("explain disagrees with can on the emptied role");
                }
            }
        }
    }
    Ok((checks, on_target))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decisions_keep_their_invariants_on_random_worlds(case in raw_case(), pick in 0..1000usize) {
        check(&case, pick).map_err(TestCaseError::fail)?;
    }
}

/// The generated worlds exercise the invariants: many checks, and the
/// changed role is held by some of the subjects.
#[test]
fn invariant_worlds_reach_the_changed_role() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = raw_case();
    let (mut checks, mut on_target) = (0, 0);
    let mut cases_with_custom_roles = 0;
    for pick in 0..64 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        if case.roles.iter().any(|r| !r.rules.is_empty()) {
            cases_with_custom_roles += 1;
        }
        let (n, t) = check(&case, pick).unwrap_or_else(|e| panic!("{e}"));
        checks += n;
        on_target += t;
    }
    assert!(checks > 1_000, "{checks} checks");
    assert!(
        on_target * 20 > checks,
        "{on_target} of {checks} checks by a holder of the changed role"
    );
    assert!(
        cases_with_custom_roles > 32,
        "{cases_with_custom_roles} of 64 cases"
    );
}
