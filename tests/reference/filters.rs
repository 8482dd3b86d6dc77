//! Filters agree with `can` (SEMANTICS.md §16): on the same random
//! catalogs, roles, subjects and resources as the differential test,
//! `filter(subject, action, type).matches(resource)` is `can(subject,
//! action, resource)` for every request.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use rolegate::filter::{Comparison, Filter};

use crate::engine_inputs::{engine_action, engine_policy, engine_resource, engine_subject};
use crate::resolve::{
    request_actions, resolve_catalog, resolve_resource, resolve_roles, resolve_subject,
};
use crate::strategy::{RawCase, raw_case};

/// Kinds of filter met, and of agreeing answers.
#[derive(Debug, Default)]
struct Tally {
    checks: usize,
    allowed: usize,
    nothing: usize,
    all: usize,
    any: usize,
    clauses_with_tests: usize,
    clauses_with_keys: usize,
    /// Conditions tested on a resource without the attribute, or with a
    /// value of another type.
    missing_attribute: usize,
    wrong_type: usize,
    /// Filters for subjects with no team, or no customer.
    no_team: usize,
    no_customer: usize,
}

/// The type a comparison compares values of.
fn compared_type(c: &Comparison) -> rolegate::catalog::AttrType {
    match c {
        Comparison::Eq(v)
        | Comparison::Ne(v)
        | Comparison::Lt(v)
        | Comparison::Le(v)
        | Comparison::Gt(v)
        | Comparison::Ge(v) => v.attr_type(),
        Comparison::In { ty, .. } | Comparison::NotIn { ty, .. } => *ty,
        _ => unreachable!("a new comparison"),
    }
}

fn check(raw: &RawCase, tally: &mut Tally) -> Result<(), String> {
    let decl = resolve_catalog(&raw.catalog);
    let roles = resolve_roles(&decl, &raw.roles);
    let policy = engine_policy(&decl, &roles);
    let catalog = policy.catalog();
    for (i, (raw_subject, raw_resource)) in raw.requests.iter().enumerate() {
        let subject = resolve_subject(raw_subject, roles.len());
        let resource = resolve_resource(&decl, &roles, &subject, raw_resource, i);
        let s = engine_subject(&subject);
        let r = engine_resource(catalog, &resource);
        for action in request_actions(&decl, &resource, i) {
            let a = engine_action(catalog, &action);
            let can = policy.can(&s, a, &r);
            let filter = policy.filter(&s, a, r.resource_type());
            tally.checks += 1;
            tally.allowed += usize::from(can);
            tally.no_team += usize::from(s.teams().is_empty());
            tally.no_customer += usize::from(s.customer().is_none());
            match &filter {
                Filter::Nothing => tally.nothing += 1,
                Filter::All { .. } => tally.all += 1,
                Filter::Any { clauses, .. } => {
                    tally.any += 1;
                    tally.clauses_with_tests +=
                        clauses.iter().filter(|c| !c.tests.is_empty()).count();
                    for test in clauses.iter().flat_map(|c| c.tests.iter()) {
                        match r.attribute(test.attribute) {
                            None => tally.missing_attribute += 1,
                            Some(v) if v.attr_type() != compared_type(&test.comparison) => {
                                tally.wrong_type += 1
                            }
                            Some(_) => {}
                        }
                    }
                    tally.clauses_with_keys += clauses
                        .iter()
                        .filter(|c| c.customer.is_some() || c.teams.is_some() || c.owner.is_some())
                        .count();
                }
                _ => {}
            }
            if filter.matches(&r) != can {
                return Err(format!(
                    "filter and can disagree: can {can}\nsubject {s:?}\naction {action}\nresource {r:?}\nfilter {filter:?}\nexplain {}",
                    policy.explain(&s, a, &r).display(&policy)
                ));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn filters_agree_with_can_on_random_worlds(case in raw_case()) {
        check(&case, &mut Tally::default()).map_err(TestCaseError::fail)?;
    }
}

/// The generated requests reach every kind of filter, with keys and
/// conditions, allows and denies alike.
#[test]
fn filter_cases_reach_every_kind_of_filter() {
    let mut runner = TestRunner::deterministic();
    let strategy = raw_case();
    let mut tally = Tally::default();
    for _ in 0..256 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        check(&case, &mut tally).unwrap_or_else(|e| panic!("{e}"));
    }
    let t = &tally;
    assert!(t.checks > 5_000, "{t:?}");
    assert!(
        t.allowed * 10 > t.checks && t.allowed * 10 < t.checks * 9,
        "{t:?}"
    );
    for (what, n) in [("nothing", t.nothing), ("all", t.all), ("any", t.any)] {
        assert!(n * 50 > t.checks, "too few filters of kind {what}: {t:?}");
    }
    // Of the predicates, enough reach each edge.
    for (what, n) in [
        ("clauses with conditions", t.clauses_with_tests),
        ("clauses with must-match keys", t.clauses_with_keys),
        ("conditions on a missing attribute", t.missing_attribute),
        ("conditions on a value of another type", t.wrong_type),
    ] {
        assert!(n * 20 > t.any, "too few {what}: {t:?}");
    }
    for (what, n) in [
        ("subjects without a team", t.no_team),
        ("subjects without a customer", t.no_customer),
    ] {
        assert!(n * 20 > t.checks, "too few {what}: {t:?}");
    }
}
