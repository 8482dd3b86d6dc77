//! The generated tests: agreement on random cases, and coverage of every allow and deny path.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::compare::{Stats, check_case};
use crate::strategy::raw_case;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The engine agrees with the reference on every generated request, and
    /// `explain` agrees with `can`.
    #[test]
    fn engine_agrees_with_reference(case in raw_case()) {
        check_case(&case, &mut Stats::default()).map_err(TestCaseError::fail)?;
    }
}

/// The generators reach every allow and deny path in useful proportions, so
/// that agreement above means something.
#[test]
fn generated_checks_cover_every_path() {
    let mut runner = TestRunner::deterministic();
    let strategy = raw_case();
    let mut stats = Stats::default();
    for _ in 0..512 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        check_case(&case, &mut stats).unwrap_or_else(|e| panic!("{e}"));
    }
    let s = &stats;
    println!("{s:#?}");
    assert!(s.checks > 10_000, "{s:?}");
    let share = s.allowed as f64 / s.checks as f64;
    assert!((0.1..0.9).contains(&share), "allowed share {share}: {s:?}");
    for (what, n) in [
        ("allowed through a custom role", s.allowed_custom),
        (
            "allowed through a narrowed custom rule",
            s.allowed_narrowed_custom,
        ),
        ("allowed through a sync", s.allowed_synced),
        ("allowed through a built-in rule", s.allowed_builtin),
        ("allowed as End User", s.allowed_end_user),
        (
            "allowed on a permission past the first mask word",
            s.allowed_permission_above_63,
        ),
        ("denied as inactive", s.denied_inactive),
        ("denied across organizations", s.denied_other_org),
        ("denied as not applicable", s.denied_not_applicable),
        ("denied for an unknown role", s.denied_unknown_role),
        (
            "denied for a role of another organization",
            s.denied_role_of_other_org,
        ),
        ("denied for no rule", s.denied_no_rule),
        ("denied as every rule failed", s.denied_rules_failed),
    ] {
        assert!(n >= 20, "too few checks {what}: {s:?}");
    }
    // A sole rule with one condition is decided without reading the role's
    // rule list: each kind of comparison is reached both ways.
    for (kind, what) in ["string", "integer", "boolean", "list", "subject reference"]
        .iter()
        .enumerate()
    {
        for (n, outcome) in [
            (s.allowed_by_one_condition[kind], "allowed"),
            (s.denied_by_one_condition[kind], "denied"),
        ] {
            assert!(
                n >= 10,
                "too few checks {outcome} by one {what} condition: {s:?}"
            );
        }
    }
}
