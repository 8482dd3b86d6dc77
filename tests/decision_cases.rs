//! Decision tests as data: the case file of the standard roles passes, a
//! failing case is reported with its explanation, and a case file that
//! names what the policy does not have is refused with the field named.
//! Without the `serde` feature the test compiles to nothing.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rolegate::cases::{self, CaseError};
use rolegate::*;

const STANDARD: &str = include_str!("cases/standard_roles.json");

#[test]
fn the_standard_roles_pass_their_case_file() {
    let policy = Policy::new(Catalog::standard());
    let report = cases::run(&policy, STANDARD).unwrap();
    assert!(report.passed(), "{report}");
    assert_eq!(report.total(), 17);
    assert_eq!(report.to_string(), "17 of 17 cases pass");
}

#[test]
fn the_file_against_a_catalog_without_its_names_is_refused_naming_the_case() {
    // Workflows without `deploy_prod` and no `organization` type: the first
    // case's action is the first name the catalog lacks.
    let catalog = Catalog::builder()
        .resource_type("workflows", ["read", "execute"])
        .build()
        .unwrap();
    let err = cases::run(&Policy::new(catalog), STANDARD).unwrap_err();
    match &err {
        CaseError::Case { index, field, .. } => assert_eq!((*index, field.as_str()), (0, "action")),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().starts_with("cases[0].action: "), "{err}");
}

#[test]
fn a_failing_case_is_reported_with_its_explanation() {
    let policy = Policy::new(Catalog::standard());
    let text = r#"{"version": 1, "cases": [
        {"name": "viewers may execute", "subject": {"role": "Viewer", "organization": 1},
         "action": "execute", "resource": {"type": "workflows"}, "expect": "allow"},
        {"name": "owners may not", "subject": {"role": "Owner", "organization": 1},
         "action": "execute", "resource": {"type": "workflows"}, "expect": "deny"},
        {"name": "wrong code", "subject": {"role": "End User", "organization": 1, "id": 7, "customer": 30},
         "action": "read", "resource": {"type": "connections", "customer": 30, "owner": 8},
         "expect": "deny", "code": "no_rule"},
        {"name": "right", "subject": {"role": "Viewer", "organization": 1},
         "action": "read", "resource": {"type": "workflows"}, "expect": "allow"}
    ]}"#;
    let report = cases::run(&policy, text).unwrap();
    assert!(!report.passed());
    assert_eq!(report.total(), 4);
    let indexes: Vec<usize> = report.mismatches().iter().map(|m| m.index).collect();
    assert_eq!(indexes, [0, 1, 2]);
    let text = report.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "1 of 4 cases pass");
    assert_eq!(
        lines[1],
        "case 0 `viewers may execute`: expected allow, got denied: Viewer has no rule for workflows.execute (code no_rule)"
    );
    assert!(
        lines[2].starts_with("case 1 `owners may not`: expected deny, got allowed: Owner grants workflows.execute by rule"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("case 2 `wrong code`: expected deny with code no_rule, got denied: no rule of End User allows connections.read here"),
        "{}",
        lines[3]
    );
    assert!(
        lines[3].ends_with("(code must_match.owner)"),
        "{}",
        lines[3]
    );
}

#[test]
fn custom_roles_and_typed_attributes_are_resolved_against_the_policy() {
    let catalog = Catalog::standard();
    let rule = Rule::builder(&catalog, "workflows", "update")
        .must_match(MustMatch::TEAM)
        .conditions(r#"status != "archived" and priority <= 3"#)
        .build()
        .unwrap();
    let mut b = Policy::builder(catalog);
    b.create_role(OrgId::new(1), "Marketing Editor", [rule])
        .unwrap();
    let policy = b.build();
    let case = |team: u64, status: &str, priority: i64, expect: &str| {
        format!(
            r#"{{"version": 1, "cases": [{{"subject": {{"role": "Marketing Editor", "organization": 1, "teams": [5, 2]}},
                "action": "update", "resource": {{"type": "workflows", "team": {team},
                "attributes": {{"status": "{status}", "priority": {priority}}}}}, "expect": "{expect}"}}]}}"#
        )
    };
    let passes = |text: String| cases::run(&policy, &text).unwrap().passed();
    assert!(passes(case(5, "draft", 2, "allow")));
    assert!(!passes(case(5, "draft", 2, "deny")));
    assert!(passes(case(5, "archived", 2, "deny")));
    assert!(passes(case(5, "draft", 4, "deny")));
    assert!(passes(case(7, "draft", 2, "deny")));
    assert!(!passes(case(7, "draft", 2, "allow")));
    // The custom role exists in organization 1 only.
    let elsewhere =
        case(5, "draft", 2, "allow").replace(r#""organization": 1"#, r#""organization": 2"#);
    let err = cases::run(&policy, &elsewhere).unwrap_err().to_string();
    assert_eq!(
        err,
        r#"cases[0].subject.role: no role named "Marketing Editor" in organization 2"#
    );
}

#[test]
fn malformed_case_files_are_refused_with_the_place_named() {
    let policy = Policy::new(Catalog::standard());
    let refused = |case: &str, says: &str| {
        let text = format!(r#"{{"version": 1, "cases": [{case}]}}"#);
        let err = cases::run(&policy, &text).unwrap_err().to_string();
        assert!(err.contains(says), "{case}: {err}");
    };
    let base = r#""subject": {"role": "Viewer", "organization": 1}, "action": "read""#;
    refused(
        &format!(r#"{{{base}, "resource": {{"type": "workflowz"}}, "expect": "allow"}}"#),
        "cases[0].resource.type: ",
    );
    refused(
        &format!(
            r#"{{{base}, "resource": {{"type": "workflows", "attributes": {{"colour": "red"}}}}, "expect": "allow"}}"#
        ),
        "cases[0].resource.attributes.colour: ",
    );
    refused(
        &format!(
            r#"{{{base}, "resource": {{"type": "workflows", "attributes": {{"priority": "high"}}}}, "expect": "allow"}}"#
        ),
        "cases[0].resource.attributes.priority: expected a value of type integer",
    );
    refused(
        &format!(
            r#"{{{base}, "resource": {{"type": "billing", "attributes": {{"priority": 1}}}}, "expect": "allow"}}"#
        ),
        "is not declared on billing",
    );
    refused(
        &format!(
            r#"{{{base}, "resource": {{"type": "workflows"}}, "expect": "deny", "code": "nope"}}"#
        ),
        "cases[0].code: unknown reason code \"nope\"",
    );
    refused(
        &format!(
            r#"{{{base}, "resource": {{"type": "workflows"}}, "expect": "allow", "code": "no_rule"}}"#
        ),
        "cases[0].code: a reason code goes with",
    );
    refused(
        &format!(r#"{{{base}, "resource": {{"type": "workflows"}}, "expect": "maybe"}}"#),
        "unknown variant `maybe`",
    );
    refused(
        &format!(
            r#"{{{base}, "resource": {{"type": "workflows"}}, "expect": "allow", "extra": 1}}"#
        ),
        "unknown field `extra`",
    );
    refused(
        r#"{"subject": {"role": "Viewer", "organization": 1}, "action": "reed", "resource": {"type": "workflows"}, "expect": "allow"}"#,
        "cases[0].action: ",
    );
    // An action that does not apply to the type denies for every role: a
    // case on it must say it tests exactly that.
    refused(
        r#"{"subject": {"role": "Owner", "organization": 1}, "action": "execute", "resource": {"type": "billing"}, "expect": "deny"}"#,
        "cases[0].action: action \"execute\" does not apply to billing",
    );
    let meant = r#"{"version": 1, "cases": [{"subject": {"role": "Owner", "organization": 1},
        "action": "execute", "resource": {"type": "billing"}, "expect": "deny", "code": "not_applicable"}]}"#;
    assert!(cases::run(&policy, meant).unwrap().passed());
    // A file of no cases would pass while testing nothing.
    let err = cases::run(&policy, r#"{"version": 1, "cases": []}"#).unwrap_err();
    assert!(matches!(err, CaseError::NoCases), "{err:?}");
    let err = cases::run(&policy, r#"{"version": 2, "cases": []}"#).unwrap_err();
    assert!(matches!(err, CaseError::Document(_)), "{err:?}");
    let err = cases::run(&policy, "{").unwrap_err();
    assert!(err.to_string().starts_with("line 1, column 1"), "{err}");
}
