//! Documents that parse but do not hold together, refused at the place of the offending value.

use rolegate::catalog::CatalogError;
use rolegate::document::{self, DirectoryDocument, DocumentError, PolicyDocument};
use rolegate::role::RoleError;
use rolegate::{RuleError, SystemRole, UserId};
use serde_json::{Value, json};

use crate::fixture::{
    directory_refused, directory_with, fixture_documents, policy_refused, policy_with,
    restore_refused,
};

#[test]
fn users_holding_roles_of_another_organization_are_refused() {
    let (policy, directory) = fixture_documents();
    // User 2 of organization 1 holds role 7, organization 2's Auditor.
    let text = directory_with(|v| v["users"][1]["role"] = json!(7));
    let err = restore_refused(&policy, &text, "users[1].role");
    assert_eq!(
        err.to_string(),
        "users[1].role: role #7 is a custom role of organization 2, not of the user's organization 1"
    );
    // A custom role of neither document.
    let text = directory_with(|v| v["users"][0]["role"] = json!(42));
    let err = restore_refused(&policy, &text, "users[0].role");
    assert_eq!(
        err.to_string(),
        "users[0].role: role #42 is not a role of the policy document"
    );
    // Moving the user to organization 2 with their team is refused for the
    // team; without it, for the role.
    let text = directory_with(|v| v["users"][1]["organization"] = json!(2));
    directory_refused(&text, "users[1].teams");
    let text = directory_with(|v| {
        v["users"][1]["organization"] = json!(2);
        v["users"][1]["teams"] = json!([]);
    });
    restore_refused(&policy, &text, "users[1].role");
    // A system role fits every organization.
    let text = directory_with(|v| v["users"][2]["role"] = json!(1));
    let restored = document::restore(
        &PolicyDocument::from_json(&policy).unwrap(),
        &DirectoryDocument::from_json(&text).unwrap(),
    )
    .unwrap();
    assert_eq!(
        restored.snapshot().user(UserId::new(3)).unwrap().role(),
        SystemRole::Admin.id()
    );
    assert!(DirectoryDocument::from_json(&directory).is_ok());
}

#[test]
fn users_in_teams_of_another_organization_are_refused() {
    // User 1 of organization 1 in team 2, organization 2's Sales.
    let text = directory_with(|v| v["users"][0]["teams"] = json!([1, 2]));
    let err = directory_refused(&text, "users[0].teams");
    assert_eq!(
        err.to_string(),
        "users[0].teams: team 2 is a team of organization 2, not of the user's organization 1"
    );
    let text = directory_with(|v| v["users"][3]["teams"] = json!([9]));
    let err = directory_refused(&text, "users[3].teams");
    assert_eq!(
        err.to_string(),
        "users[3].teams: team 9 is not a team of the document"
    );
    // A team moved to another organization leaves its members outside.
    let text = directory_with(|v| v["teams"][1]["organization"] = json!(1));
    directory_refused(&text, "users[2].teams");
}

#[test]
fn unknown_resources_and_actions_are_refused_at_their_rule() {
    for (resource, action, expected) in [
        ("rockets", "read", "unknown resource type \"rockets\""),
        ("workflows", "launch", "unknown action \"launch\""),
        (
            "billing",
            "execute",
            "action \"execute\" is not applicable to resource type \"billing\"",
        ),
        (
            "profile",
            "read",
            "permission \"profile.read\" is built in and cannot be granted by a rule",
        ),
    ] {
        let text = policy_with(|v| {
            v["roles"][1]["rules"][0]["resource"] = json!(resource);
            v["roles"][1]["rules"][0]["action"] = json!(action);
        });
        let err = policy_refused(&text, "roles[1].rules[0]");
        let DocumentError::Rule { source, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(source.to_string(), expected);
        assert_eq!(err.to_string(), "roles[1].rules[0]: invalid rule");
        assert_eq!(
            std::error::Error::source(&err).unwrap().to_string(),
            expected
        );
    }
}

#[test]
fn bad_condition_text_is_refused_at_its_rule() {
    for conditions in [
        "status ==",
        r#"priority <= "high""#,
        r#"colour == "red""#,
        "priority <= 3 or priority > 9",
        r#"status == "unterminated"#,
        "priority == 99999999999999999999",
        r#"status == subject.team"#,
    ] {
        let text = policy_with(|v| v["roles"][0]["rules"][1]["conditions"] = json!(conditions));
        let err = policy_refused(&text, "roles[0].rules[1]");
        assert!(
            matches!(
                &err,
                DocumentError::Rule {
                    source: RuleError::Condition(_),
                    ..
                }
            ),
            "{conditions}: {err:?}"
        );
    }
    // `audit_log` declares no attributes.
    let text =
        policy_with(|v| v["roles"][1]["rules"][0]["conditions"] = json!(r#"status == "open""#));
    policy_refused(&text, "roles[1].rules[0]");
}

#[test]
fn repeated_ids_and_names_are_refused() {
    let text = policy_with(|v| v["roles"][1]["id"] = json!(6));
    let err = policy_refused(&text, "roles[1].id");
    assert_eq!(
        err.to_string(),
        "roles[1].id: role #6 is also the id of roles[0]"
    );
    let text = policy_with(|v| v["roles"][0]["id"] = json!(3));
    policy_refused(&text, "roles[0].id");
    // Names compare trimmed and case-insensitively within an organization.
    let text = policy_with(|v| {
        v["roles"][1]["organization"] = json!(1);
        v["roles"][1]["name"] = json!(" editor ");
    });
    let err = policy_refused(&text, "roles[1].name");
    assert!(matches!(
        &err,
        DocumentError::RoleName {
            source: RoleError::DuplicateName { .. },
            ..
        }
    ));
    let text = policy_with(|v| v["roles"][1]["name"] = json!("Editor"));
    assert!(
        PolicyDocument::from_json(&text).is_ok(),
        "another organization"
    );
    let text = policy_with(|v| v["roles"][0]["name"] = json!("Owner"));
    policy_refused(&text, "roles[0].name");
    let text = policy_with(|v| v["roles"][0]["name"] = json!("   "));
    policy_refused(&text, "roles[0].name");

    let text = directory_with(|v| v["teams"][1]["id"] = json!(1));
    directory_refused(&text, "teams[1].id");
    let text = directory_with(|v| {
        v["teams"][1]["organization"] = json!(1);
        v["teams"][1]["name"] = json!("OPS");
        v["users"][2]["teams"] = json!([]);
    });
    directory_refused(&text, "teams[1].name");
    let text = directory_with(|v| v["teams"][0]["name"] = json!("tab\there"));
    directory_refused(&text, "teams[0].name");
    let text = directory_with(|v| v["users"][3]["id"] = json!(2));
    let err = directory_refused(&text, "users[3].id");
    assert_eq!(
        err.to_string(),
        "users[3].id: user 2 is also the id of users[1]"
    );
}

#[test]
fn catalogs_the_builder_refuses_are_refused() {
    for (f, expected) in [
        (
            Box::new(|v: &mut Value| {
                v["catalog"]["resource_types"][1]["name"] = json!("connectors")
            }) as Box<dyn Fn(&mut Value)>,
            CatalogError::DuplicateResourceType {
                name: "connectors".into(),
            },
        ),
        (
            Box::new(|v: &mut Value| {
                v["catalog"]["syncs"] = json!([{"from": "connectors", "to": "spaceships"}])
            }),
            CatalogError::UnknownResourceType {
                name: "spaceships".into(),
                context: rolegate::catalog::NameKind::Sync,
            },
        ),
        (
            Box::new(|v: &mut Value| v["catalog"]["resource_types"][0]["actions"] = json!([])),
            CatalogError::NoActions {
                resource: "connectors".into(),
            },
        ),
    ] {
        let text = policy_with(f);
        let err = policy_refused(&text, "catalog");
        assert_eq!(err, DocumentError::Catalog { source: expected });
    }
    for f in [
        Box::new(|v: &mut Value| v["catalog"]["builtin_rules"][0]["resource"] = json!("rockets"))
            as Box<dyn Fn(&mut Value)>,
        Box::new(|v: &mut Value| {
            v["catalog"]["builtin_rules"][0]["conditions"] = json!("status ==")
        }),
        Box::new(|v: &mut Value| v["catalog"]["resource_types"][0]["name"] = json!("bad name")),
        Box::new(|v: &mut Value| {
            v["catalog"]["resource_types"][0]["attributes"][0]["name"] = json!("and");
        }),
        Box::new(|v: &mut Value| {
            v["catalog"]["syncs"] = json!([{"from": "connectors", "to": "connectors"}])
        }),
    ] {
        policy_refused(&policy_with(f), "catalog");
    }
    // A rule that resolved against the old catalog but not the new one.
    let text = policy_with(|v| v["catalog"]["resource_types"][2]["attributes"] = json!([]));
    policy_refused(&text, "roles[0].rules[1]");
}
