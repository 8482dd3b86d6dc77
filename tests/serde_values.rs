//! serde for what a service sends: audit events, role and team summaries
//! and people read back from their JSON as they were written, with the
//! documented shape; malformed values refused. Without the `serde` feature
//! the test compiles to nothing.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use rolegate::audit::{AuditLog, AuditQuery, Event, HostEvent, ManualClock, Outcome};
use rolegate::directory::{PeopleFilter, Timestamp};
use rolegate::engine::{Person, RoleSummary, TeamSummary};
use rolegate::*;

const ACME: OrgId = OrgId::new(1);

/// An engine with a custom role, a team, people, and an audit trail of
/// every kind of event.
fn engine() -> Engine {
    let catalog = Catalog::standard();
    let rule = Rule::builder(&catalog, "workflows", "update")
        .must_match(MustMatch::TEAM)
        .build()
        .unwrap();
    let mut b = Engine::builder(catalog);
    let clock = Arc::new(ManualClock::new(Timestamp::from_unix_millis(
        1_700_000_000_000,
    )));
    b.audit(AuditLog::in_memory().with_clock(clock));
    let engine = b.build();
    let boot = engine.bootstrap();
    boot.add_user(User::new(UserId::new(1), ACME, SystemRole::Owner.id()))
        .unwrap();
    let admin = engine.admin(UserId::new(1));
    let team = admin.create_team(ACME, "Marketing").unwrap();
    let editor = admin.create_role(ACME, "Marketing Editor", [rule]).unwrap();
    admin
        .add_user(User::new(UserId::new(2), ACME, editor).with_team(team))
        .unwrap();
    admin
        .add_user(
            User::new(UserId::new(3), ACME, SystemRole::Viewer.id())
                .with_customer(CustomerId::new(30)),
        )
        .unwrap();
    assert!(
        admin
            .assign_role(UserId::new(1), SystemRole::Viewer.id())
            .is_err()
    );
    let c = engine.catalog();
    let workflow = Resource::new(
        c.resource_type("workflows").unwrap(),
        ResourceId::new(9),
        ACME,
    )
    .with_team(team);
    let update = c.action("update").unwrap();
    engine
        .authorize(UserId::new(2), update, &workflow)
        .unwrap()
        .success()
        .unwrap();
    engine
        .authorize(UserId::new(2), update, &workflow)
        .unwrap()
        .failure("the disk was full")
        .unwrap();
    assert!(engine.authorize(UserId::new(3), update, &workflow).is_err());
    // A grant never completed leaves its decision as `allowed`.
    std::mem::forget(engine.authorize(UserId::new(2), update, &workflow).unwrap());
    engine
        .audit()
        .record(HostEvent::new(ACME, "auth.login", Outcome::Success).user(UserId::new(3)))
        .unwrap();
    engine
}

#[test]
fn every_audit_event_reads_back_from_its_json() {
    let engine = engine();
    let page = engine.audit().query(&AuditQuery::new().limit(100)).unwrap();
    assert!(page.events.len() >= 10, "{}", page.events.len());
    let outcomes: std::collections::BTreeSet<String> = page
        .events
        .iter()
        .map(|e| e.outcome().to_string())
        .collect();
    assert_eq!(
        outcomes.len(),
        4,
        "success, failure, denied and allowed all seen: {outcomes:?}"
    );
    for event in &page.events {
        let text = serde_json::to_string(event).unwrap();
        let back: Event = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, event, "{text}");
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
}

#[test]
fn a_denied_check_reads_as_documented() {
    let engine = engine();
    let page = engine
        .audit()
        .query(&AuditQuery::new().outcome(Outcome::Denied).limit(100))
        .unwrap();
    let denied = page
        .events
        .iter()
        .find(|e| e.action() == "workflows.update")
        .unwrap();
    let value = serde_json::to_value(denied).unwrap();
    assert_eq!(value["user"], 3);
    assert_eq!(value["organization"], 1);
    assert_eq!(
        value["role"],
        serde_json::json!({"id": 4, "name": "Viewer"})
    );
    assert_eq!(value["resource_type"], "workflows");
    assert_eq!(value["resource_id"], "9");
    assert_eq!(value["outcome"], "denied");
    assert_eq!(
        value["reason"],
        "denied: Viewer has no rule for workflows.update"
    );
    assert_eq!(value["at"], 1_700_000_000_000_i64);
    assert!(value.get("completed_at").is_none());
    // A change by trusted configuration names no user.
    let all = engine.audit().query(&AuditQuery::new().limit(100)).unwrap();
    let first = all.events.last().unwrap();
    assert!(serde_json::to_value(first).unwrap().get("user").is_none());
}

#[test]
fn listings_read_back_from_their_json() {
    let engine = engine();
    let snapshot = engine.snapshot();
    let roles = snapshot.roles(ACME);
    assert_eq!(roles.len(), 7);
    let text = serde_json::to_string(&roles).unwrap();
    let back: Vec<RoleSummary> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, roles);
    let custom = roles.iter().find(|r| r.name == "Marketing Editor").unwrap();
    let value = serde_json::to_value(custom).unwrap();
    assert_eq!(value["kind"], "custom");
    assert_eq!(value["organization"], 1);
    let viewer = serde_json::to_value(&roles[4]).unwrap();
    assert_eq!(
        (viewer["kind"].clone(), viewer.get("organization")),
        ("system".into(), None)
    );

    let teams = snapshot.teams(ACME);
    let back: Vec<TeamSummary> =
        serde_json::from_str(&serde_json::to_string(&teams).unwrap()).unwrap();
    assert_eq!(back, teams);
    let people = snapshot.people(ACME, &PeopleFilter::new());
    assert_eq!(people.len(), 3);
    let back: Vec<Person> = serde_json::from_str(&serde_json::to_string(&people).unwrap()).unwrap();
    assert_eq!(back, people);
}

#[test]
fn malformed_summaries_are_refused_naming_the_field() {
    let refused = |text: &str, says: &str| {
        let err = serde_json::from_str::<RoleSummary>(text)
            .unwrap_err()
            .to_string();
        assert!(err.contains(says), "{text}: {err}");
    };
    refused(
        r#"{"id": 4, "name": "Owner", "kind": "system", "users": 1, "permissions": 1, "rules": 1}"#,
        "role 4 named \"Owner\" is not a system role",
    );
    refused(
        r#"{"id": 6, "name": "X", "kind": "custom", "users": 1, "permissions": 1, "rules": 1}"#,
        "a custom role needs the field `organization`",
    );
    refused(
        r#"{"id": 6, "name": "X", "kind": "alien", "organization": 1, "users": 1, "permissions": 1, "rules": 1}"#,
        "unknown role kind \"alien\"",
    );
    refused(
        r#"{"id": 4, "name": "Viewer", "kind": "system", "organization": 1, "users": 1, "permissions": 1, "rules": 1}"#,
        "does not belong to a system role",
    );
    let err =
        serde_json::from_str::<Event>(r#"{"id": 1, "at": 0, "action": "x", "outcome": "maybe"}"#)
            .unwrap_err()
            .to_string();
    assert!(err.contains("maybe"), "{err}");
}

#[test]
fn the_permission_matrix_writes_its_rules_by_name_and_they_resolve_back() {
    let engine = engine();
    let snapshot = engine.snapshot();
    let editor = snapshot
        .policy()
        .role_named(ACME, "Marketing Editor")
        .unwrap();
    let matrix = snapshot.permission_matrix(editor).unwrap();
    let value = serde_json::to_value(&matrix).unwrap();
    assert_eq!(value["role"], editor.index());
    let workflows = value["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "workflows")
        .unwrap();
    let update = workflows["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action_name"] == "update")
        .unwrap();
    assert_eq!(
        update["rules"],
        serde_json::json!([{"resource": "workflows", "action": "update", "must_match": ["team"]}])
    );
    // Every cell's rules, read back by name, are the cell's rules.
    let catalog = snapshot.policy().catalog();
    let mut granted = 0;
    for (row, json_row) in matrix.rows.iter().zip(value["rows"].as_array().unwrap()) {
        for (cell, json_cell) in row.cells.iter().zip(json_row["cells"].as_array().unwrap()) {
            let specs: Vec<rolegate::catalog::RuleSpec> =
                serde_json::from_value(json_cell["rules"].clone()).unwrap();
            assert_eq!(
                rolegate::catalog::RuleSpec::resolve_all(&specs, catalog).unwrap(),
                cell.rules
            );
            granted += cell.rules.len();
        }
    }
    assert_eq!(granted, 1);
    // An Owner's matrix: every grantable permission, one rule each.
    let owner = snapshot.permission_matrix(SystemRole::Owner.id()).unwrap();
    let text = serde_json::to_string(&owner).unwrap();
    assert_eq!(text.matches(r#""resource":"#).count(), 39);
}
