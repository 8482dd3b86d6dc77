//! Stable reason codes: every denial a check gives carries one of
//! `Denial::CODES`, the codes are those the semantics list, and with the
//! `serde` feature every explanation reads back from its JSON, which names
//! its code; malformed explanations are refused with the field named.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use rolegate::*;

const ORG: OrgId = OrgId::new(1);
const OTHER: OrgId = OrgId::new(2);
const RED: TeamId = TeamId::new(100);

struct World {
    policy: Policy,
    editor: RoleId,
    runner: RoleId,
    foreign: RoleId,
}

/// A Marketing Editor (team and a condition), a Runner whose two rules
/// fail in different ways, and a role of another organization.
fn world() -> World {
    let catalog = Catalog::standard();
    let rule = |action: &str| Rule::builder(&catalog, "workflows", action);
    let editor = [rule("update")
        .must_match(MustMatch::TEAM)
        .conditions(r#"status != "archived""#)
        .build()
        .unwrap()];
    let runner = [
        rule("execute")
            .must_match(MustMatch::OWNER)
            .build()
            .unwrap(),
        rule("execute")
            .conditions(r#"environment == "test""#)
            .build()
            .unwrap(),
    ];
    let mut b = Policy::builder(catalog.clone());
    let editor = b.create_role(ORG, "Marketing Editor", editor).unwrap();
    let runner = b.create_role(ORG, "Runner", runner).unwrap();
    let foreign = b
        .create_role(OTHER, "Elsewhere", [rule("read").build().unwrap()])
        .unwrap();
    World {
        policy: b.build(),
        editor,
        runner,
        foreign,
    }
}

/// Every kind of denial a check gives, by its expected code, with the
/// explanation; and one allow.
fn explanations(w: &World) -> Vec<(&'static str, Explanation)> {
    let p = &w.policy;
    let c = p.catalog();
    let action = |name: &str| c.action(name).unwrap();
    let status = c.attribute("status").unwrap();
    let environment = c.attribute("environment").unwrap();
    let workflow = |org| {
        Resource::new(
            c.resource_type("workflows").unwrap(),
            ResourceId::new(9),
            org,
        )
    };
    let who = |role, status| Subject::new(UserId::new(7), ORG, role, status);
    let active = |role| who(role, UserStatus::Active);
    let editor = active(w.editor).with_team(RED);
    let draft = workflow(ORG).with_team(RED).with_attribute(status, "draft");
    let archived = workflow(ORG)
        .with_team(RED)
        .with_attribute(status, "archived");
    let theirs = Resource::new(
        c.resource_type("connections").unwrap(),
        ResourceId::new(2),
        ORG,
    )
    .with_customer(CustomerId::new(30))
    .with_owner(UserId::new(8));
    let end_user = active(SystemRole::EndUser.id()).with_customer(CustomerId::new(30));
    let other_customer = active(SystemRole::EndUser.id()).with_customer(CustomerId::new(31));
    let prod = workflow(ORG)
        .with_owner(UserId::new(8))
        .with_attribute(environment, "prod");
    let engine = Engine::new(Catalog::standard());

    vec![
        ("allowed", p.explain(&editor, action("update"), &draft)),
        (
            "unknown_user",
            engine.explain(UserId::new(5), action("read"), &workflow(ORG)),
        ),
        (
            "inactive",
            p.explain(
                &who(w.editor, UserStatus::Suspended),
                action("update"),
                &draft,
            ),
        ),
        (
            "other_organization",
            p.explain(&editor, action("update"), &workflow(OTHER)),
        ),
        (
            "not_applicable",
            p.explain(&editor, ActionId::new(ActionId::MAX).unwrap(), &draft),
        ),
        (
            "unknown_role",
            p.explain(&active(RoleId::new(4_000).unwrap()), action("read"), &draft),
        ),
        (
            "role_of_other_organization",
            p.explain(&active(w.foreign), action("read"), &draft),
        ),
        (
            "no_rule",
            p.explain(&active(SystemRole::Viewer.id()), action("delete"), &draft),
        ),
        (
            "must_match.team",
            p.explain(&active(w.editor), action("update"), &draft),
        ),
        ("condition", p.explain(&editor, action("update"), &archived)),
        (
            "must_match.owner",
            p.explain(&end_user, action("read"), &theirs),
        ),
        (
            "must_match.customer",
            p.explain(&other_customer, action("read"), &theirs),
        ),
        (
            "rules_failed",
            p.explain(&active(w.runner), action("execute"), &prod),
        ),
    ]
}

#[test]
fn every_denial_a_check_gives_carries_its_listed_code() {
    let w = world();
    let cases = explanations(&w);
    let codes: BTreeSet<&str> = Denial::CODES.iter().copied().collect();
    assert_eq!(codes.len(), Denial::CODES.len(), "each code once");
    for (want, why) in &cases {
        match why.denial() {
            None => assert_eq!(*want, "allowed", "{why:?}"),
            Some(denial) => {
                assert_eq!(denial.code(), *want, "{denial:?}");
                assert!(codes.contains(denial.code()));
            }
        }
    }
    // Every code but the organization key, which a check tests before any
    // rule, is given by some check above.
    let given: BTreeSet<&str> = cases
        .iter()
        .filter_map(|(_, why)| why.denial().map(Denial::code))
        .collect();
    let never: Vec<&str> = codes.difference(&given).copied().collect();
    assert_eq!(never, ["must_match.organization"]);
}

#[test]
fn failed_rules_share_a_code_only_when_they_failed_alike() {
    let w = world();
    let cases = explanations(&w);
    let failures = |code: &str| match cases.iter().find(|(c, _)| *c == code).unwrap().1.denial() {
        Some(Denial::RulesFailed { failures, .. }) => failures.clone(),
        other => panic!("{other:?}"),
    };
    // The Runner's two rules: one wants the owner, one a condition.
    let mixed = failures("rules_failed");
    let each: Vec<&str> = mixed.iter().map(|f| f.code()).collect();
    assert_eq!(each, ["must_match.owner", "condition"]);
    // One failure: the denial has its code.
    let single = failures("condition");
    assert_eq!(single.len(), 1);
    assert_eq!(single[0].code(), "condition");
}

#[cfg(feature = "serde")]
mod json {
    use super::*;

    #[test]
    fn every_explanation_reads_back_from_its_json_which_names_its_code() {
        let w = world();
        for (code, why) in explanations(&w) {
            let text = serde_json::to_string(&why).unwrap();
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            if code == "allowed" {
                assert_eq!(value["decision"], "allowed", "{text}");
                assert!(value.get("code").is_none(), "{text}");
            } else {
                assert_eq!(value["decision"], "denied", "{text}");
                assert_eq!(value["code"], code, "{text}");
            }
            let back: Explanation = serde_json::from_str(&text).unwrap();
            assert_eq!(back, why, "{text}");
            if let Some(denial) = why.denial() {
                let alone = serde_json::to_string(denial).unwrap();
                assert!(!alone.contains("decision"), "{alone}");
                let back: Denial = serde_json::from_str(&alone).unwrap();
                assert_eq!(&back, denial, "{alone}");
            }
        }
    }

    #[test]
    fn the_json_of_a_denial_is_as_documented() {
        let w = world();
        let cases = explanations(&w);
        let find = |code: &str| {
            serde_json::to_value(&cases.iter().find(|(c, _)| *c == code).unwrap().1).unwrap()
        };
        let no_rule = find("no_rule");
        let delete = w
            .policy
            .catalog()
            .permission("workflows", "delete")
            .unwrap();
        assert_eq!(
            no_rule,
            serde_json::json!({
                "decision": "denied",
                "code": "no_rule",
                "role": SystemRole::Viewer.id().index(),
                "permission": delete.index(),
            })
        );
        let mixed = find("rules_failed");
        assert_eq!(
            mixed["failures"],
            serde_json::json!([
                {"code": "must_match.owner", "rule": {"source": "role", "index": 0}},
                {"code": "condition", "rule": {"source": "role", "index": 1}, "index": 0},
            ])
        );
    }

    #[test]
    fn malformed_explanations_are_refused_with_the_field_named() {
        let refused = |text: &str, says: &str| {
            let err = serde_json::from_str::<Explanation>(text)
                .unwrap_err()
                .to_string();
            assert!(err.contains(says), "{text}: {err}");
        };
        refused(
            r#"{"decision": "denied", "code": "no_such_code"}"#,
            "unknown reason code \"no_such_code\"",
        );
        refused(
            r#"{"decision": "denied", "code": "no_rule", "role": 3}"#,
            "a denial `no_rule` needs the field `permission`",
        );
        refused(
            r#"{"decision": "denied", "code": "inactive", "status": "suspended", "role": 3}"#,
            "field `role` does not belong to a denial `inactive`",
        );
        refused(
            r#"{"decision": "denied", "code": "inactive", "status": "asleep"}"#,
            "asleep",
        );
        refused(r#"{"decision": "maybe"}"#, "unknown decision \"maybe\"");
        refused(r#"{"code": "no_rule"}"#, "needs the field `decision`");
        refused(
            r#"{"decision": "allowed", "role": 1, "permission": 2}"#,
            "needs the field `rule`",
        );
        refused(
            r#"{"decision": "denied", "code": "no_rule", "role": 1, "permission": 2, "colour": 1}"#,
            "unknown field `colour`",
        );
        // A code written beside failures that give another.
        refused(
            r#"{"decision": "denied", "code": "condition", "role": 1, "permission": 2,
                "failures": [{"code": "must_match.team", "rule": {"source": "role", "index": 0}}]}"#,
            "give the code `must_match.team`",
        );
        refused(
            r#"{"decision": "denied", "code": "rules_failed", "role": 1, "permission": 2,
                "failures": [{"code": "must_match.colour", "rule": {"source": "role", "index": 0}}]}"#,
            "unknown rule failure code \"must_match.colour\"",
        );
        refused(
            r#"{"decision": "denied", "code": "condition", "role": 1, "permission": 2,
                "failures": [{"code": "condition", "rule": {"source": "role", "index": 0}}]}"#,
            "needs `index`",
        );
        refused(
            r#"{"decision": "denied", "code": "no_rule", "role": 1, "permission": 70000}"#,
            "out of range",
        );
        refused(
            r#"{"decision": "denied", "code": "rules_failed", "role": 1, "permission": 2, "failures": []}"#,
            "needs at least one failure",
        );
    }
}
