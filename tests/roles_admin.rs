//! Role management through the live engine (SEMANTICS.md §8): listing and search,
//! create, duplicate, rename, replace rules with their impact, delete with
//! and without moving holders, the permission matrix, and every refusal.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rolegate::catalog::PermissionSet;
use rolegate::engine::MatrixCell;
use rolegate::role::RoleKind;
use rolegate::*;

const ACME: OrgId = OrgId::new(1);
const GLOBEX: OrgId = OrgId::new(2);

fn engine() -> Engine {
    let engine = Engine::new(Catalog::standard());
    engine
        .bootstrap()
        .add_user(User::new(UserId::new(1), ACME, SystemRole::Owner.id()))
        .unwrap();
    engine
}

fn rule(engine: &Engine, ty: &str, action: &str) -> Rule {
    Rule::builder(engine.catalog(), ty, action).build().unwrap()
}

fn names(engine: &Engine, set: &PermissionSet) -> Vec<String> {
    let catalog = engine.catalog();
    set.iter()
        .map(|p| catalog.permission_name(p).unwrap().to_owned())
        .collect()
}

fn workflow(engine: &Engine) -> (Resource<'static>, ActionId, ActionId) {
    let catalog = engine.catalog();
    (
        Resource::new(
            catalog.resource_type("workflows").unwrap(),
            ResourceId::new(9),
            ACME,
        ),
        catalog.action("read").unwrap(),
        catalog.action("execute").unwrap(),
    )
}

#[test]
fn the_listing_shows_system_roles_with_counts_then_custom_roles() {
    let engine = engine();
    let admin = engine.admin(UserId::new(1));
    admin
        .create_role(ACME, "  Auditor ", vec![rule(&engine, "audit_log", "read")])
        .unwrap();
    admin
        .create_role(GLOBEX, "Hidden", vec![])
        .expect_err("another organization's role");
    let snapshot = engine.snapshot();
    let listed: Vec<(String, RoleKind, usize, usize, usize)> = snapshot
        .roles(ACME)
        .into_iter()
        .map(|r| (r.name, r.kind, r.users, r.permissions, r.rules))
        .collect();
    let system = |r: SystemRole| RoleKind::System(r);
    assert_eq!(
        listed,
        vec![
            ("Owner".into(), system(SystemRole::Owner), 1, 39, 39),
            ("Admin".into(), system(SystemRole::Admin), 0, 39, 39),
            ("Developer".into(), system(SystemRole::Developer), 0, 34, 34),
            ("Operator".into(), system(SystemRole::Operator), 0, 18, 18),
            ("Viewer".into(), system(SystemRole::Viewer), 0, 7, 7),
            ("End User".into(), system(SystemRole::EndUser), 0, 9, 9),
            (
                "Auditor".into(),
                RoleKind::Custom { organization: ACME },
                0,
                1,
                1
            ),
        ]
    );
    // Another organization sees the system roles only.
    assert_eq!(snapshot.roles(GLOBEX).len(), 6);
    let found: Vec<String> = snapshot
        .search_roles(ACME, "dit")
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(found, ["Auditor"]);
    assert!(snapshot.search_roles(ACME, "nothing like it").is_empty());
}

#[test]
fn a_permission_counted_twice_counts_once() {
    let engine = engine();
    let catalog = engine.catalog();
    let narrowed = Rule::builder(catalog, "workflows", "read")
        .must_match(MustMatch::TEAM)
        .build()
        .unwrap();
    engine
        .bootstrap()
        .create_role(
            ACME,
            "Readers",
            vec![rule(&engine, "workflows", "read"), narrowed],
        )
        .unwrap();
    let readers = engine
        .snapshot()
        .roles(ACME)
        .into_iter()
        .find(|r| r.name == "Readers")
        .unwrap();
    assert_eq!((readers.permissions, readers.rules), (1, 2));
}

#[test]
fn role_names_follow_the_rules() {
    let engine = engine();
    let admin = engine.admin(UserId::new(1));
    admin.create_role(ACME, "Release Manager", vec![]).unwrap();
    let refused = |name: &str| admin.create_role(ACME, name, vec![]).unwrap_err();
    assert_eq!(refused("   "), AdminError::Role(RoleError::EmptyName));
    assert!(matches!(
        refused(&"x".repeat(65)),
        AdminError::Role(RoleError::NameTooLong { length: 65, .. })
    ));
    assert!(matches!(
        refused("bad\nname"),
        AdminError::Role(RoleError::ControlCharacter { .. })
    ));
    assert!(matches!(
        refused("end USER"),
        AdminError::Role(RoleError::ReservedName { .. })
    ));
    assert_eq!(
        refused(" release manager"),
        AdminError::Role(RoleError::DuplicateName {
            organization: ACME,
            name: "release manager".into()
        })
    );
    // 64 characters, unicode included, are fine; so is the same name in
    // another organization.
    admin.create_role(ACME, &"é".repeat(64), vec![]).unwrap();
    engine
        .bootstrap()
        .create_role(GLOBEX, "Release Manager", vec![])
        .unwrap();
}

#[test]
fn duplicating_a_system_role_then_editing_it_reports_the_impact() {
    let engine = engine();
    let admin = engine.admin(UserId::new(1));
    let copy = admin
        .duplicate_role(ACME, SystemRole::Developer.id(), "Builder")
        .unwrap();
    let snapshot = engine.snapshot();
    assert_eq!(
        snapshot.policy().role(copy).unwrap().permissions().len(),
        34
    );
    let builder = snapshot.policy().role(copy).unwrap();
    assert_eq!(builder.kind(), RoleKind::Custom { organization: ACME });
    assert_eq!(
        builder.rules(),
        snapshot
            .policy()
            .role(SystemRole::Developer.id())
            .unwrap()
            .rules()
    );

    let mut rules = builder.rules().to_vec();
    rules.retain(|r| {
        engine.catalog().permission_name(r.permission()) != Some("connectors.deploy_prod")
    });
    rules.push(rule(&engine, "billing", "read"));
    let edit = admin.replace_rules(copy, rules).unwrap();
    assert_eq!(names(&engine, &edit.gained), ["billing.read"]);
    assert_eq!(names(&engine, &edit.lost), ["connectors.deploy_prod"]);
    assert_eq!(edit.holders, 0);

    // A custom role duplicates too.
    let again = admin.duplicate_role(ACME, copy, "Builder 2").unwrap();
    assert_eq!(
        engine
            .snapshot()
            .policy()
            .role(again)
            .unwrap()
            .permissions()
            .len(),
        34
    );
    // A role of another organization does not.
    let theirs = engine
        .bootstrap()
        .create_role(GLOBEX, "Theirs", vec![])
        .unwrap();
    assert_eq!(
        admin.duplicate_role(ACME, theirs, "Stolen").unwrap_err(),
        AdminError::UnknownRole { role: theirs }
    );
}

#[test]
fn edits_take_effect_for_the_next_check_and_touch_one_role() {
    let engine = engine();
    let admin = engine.admin(UserId::new(1));
    let runner = admin
        .create_role(ACME, "Runner", vec![rule(&engine, "workflows", "read")])
        .unwrap();
    admin
        .add_user(User::new(UserId::new(2), ACME, runner))
        .unwrap();
    admin
        .add_user(User::new(UserId::new(3), ACME, SystemRole::Viewer.id()))
        .unwrap();
    let (w, read, execute) = workflow(&engine);
    assert!(engine.can(UserId::new(2), read, &w));
    assert!(!engine.can(UserId::new(2), execute, &w));

    let before = engine.snapshot();
    let edit = admin
        .replace_rules(runner, vec![rule(&engine, "workflows", "execute")])
        .unwrap();
    assert_eq!(edit.holders, 1);
    assert!(engine.can(UserId::new(2), execute, &w));
    assert!(!engine.can(UserId::new(2), read, &w));
    // The old snapshot still answers from its own state.
    assert!(before.can(UserId::new(2), read, &w));
    assert_eq!(
        engine.snapshot().revision().get(),
        before.revision().get() + 1
    );
    // Other roles are untouched.
    assert!(engine.can(UserId::new(3), read, &w));
    assert!(!engine.can(UserId::new(3), execute, &w));
}

#[test]
fn rename_keeps_the_role_and_refuses_clashes() {
    let engine = engine();
    let admin = engine.admin(UserId::new(1));
    let a = admin.create_role(ACME, "Alpha", vec![]).unwrap();
    admin.create_role(ACME, "Beta", vec![]).unwrap();
    let renamed = admin.rename_role(a, "alpha").unwrap();
    assert_eq!(renamed.id, a);
    assert!(renamed.gained.is_empty() && renamed.lost.is_empty());
    assert_eq!(engine.snapshot().policy().role(a).unwrap().name(), "alpha");
    assert_eq!(
        admin.rename_role(a, "BETA").unwrap_err(),
        AdminError::Role(RoleError::DuplicateName {
            organization: ACME,
            name: "BETA".into()
        })
    );
    admin.rename_role(a, "Gamma").unwrap();
    let snapshot = engine.snapshot();
    assert_eq!(snapshot.policy().role_named(ACME, "gamma"), Some(a));
    assert_eq!(snapshot.policy().role_named(ACME, "alpha"), None);
    // The old name is free again.
    admin.create_role(ACME, "Alpha", vec![]).unwrap();
}

#[test]
fn system_roles_cannot_be_changed() {
    let engine = engine();
    let admin = engine.admin(UserId::new(1));
    for role in SystemRole::ALL {
        let id = role.id();
        let name = role.name().to_owned();
        let want = AdminError::Role(RoleError::SystemRole { name });
        assert_eq!(admin.rename_role(id, "Other").unwrap_err(), want);
        assert_eq!(admin.replace_rules(id, vec![]).unwrap_err(), want);
        assert_eq!(admin.delete_role(id, None).unwrap_err(), want);
    }
    assert_eq!(
        engine.snapshot().revision().get(),
        1,
        "only the bootstrap user"
    );
}

#[test]
fn deleting_a_held_role_needs_somewhere_to_move_its_holders() {
    let engine = engine();
    let admin = engine.admin(UserId::new(1));
    let temp = admin
        .create_role(ACME, "Temp", vec![rule(&engine, "workflows", "execute")])
        .unwrap();
    for id in [2, 3] {
        admin
            .add_user(User::new(UserId::new(id), ACME, temp))
            .unwrap();
    }
    let version = engine.snapshot().revision().get();
    assert_eq!(
        admin.delete_role(temp, None).unwrap_err(),
        AdminError::RoleInUse {
            name: "Temp".into(),
            holders: 2
        }
    );
    assert_eq!(
        admin.delete_role(temp, Some(temp)).unwrap_err(),
        AdminError::UnknownRole { role: temp }
    );
    assert_eq!(
        engine.snapshot().revision().get(),
        version,
        "refusals change nothing"
    );

    let (w, read, execute) = workflow(&engine);
    assert!(engine.can(UserId::new(2), execute, &w));
    let done = admin
        .delete_role(temp, Some(SystemRole::Viewer.id()))
        .unwrap();
    assert_eq!(done.moved, 2);
    let snapshot = engine.snapshot();
    assert_eq!(snapshot.revision().get(), version + 1, "one change");
    assert!(snapshot.policy().role(temp).is_none());
    for id in [2, 3] {
        assert_eq!(
            snapshot.user(UserId::new(id)).unwrap().role(),
            SystemRole::Viewer.id()
        );
        assert!(snapshot.can(UserId::new(id), read, &w));
        assert!(!snapshot.can(UserId::new(id), execute, &w));
    }
    assert!(snapshot.roles(ACME).iter().all(|r| r.name != "Temp"));
    let viewers = snapshot
        .roles(ACME)
        .into_iter()
        .find(|r| r.name == "Viewer")
        .unwrap();
    assert_eq!(viewers.users, 2);
    // A deleted role's id is not reused, and a subject still holding it is
    // denied.
    let next = admin.create_role(ACME, "Temp", vec![]).unwrap();
    assert_ne!(next, temp);
    let stale = Subject::new(UserId::new(2), ACME, temp, UserStatus::Active);
    assert!(!snapshot.policy().can(&stale, read, &w));
    // An unheld role deletes without a move.
    assert_eq!(admin.delete_role(next, None).unwrap().moved, 0);
    assert_eq!(
        admin.delete_role(next, None).unwrap_err(),
        AdminError::UnknownRole { role: next }
    );
}

#[test]
fn holders_move_only_to_a_role_of_the_same_organization() {
    let engine = engine();
    let admin = engine.admin(UserId::new(1));
    let temp = admin.create_role(ACME, "Temp", vec![]).unwrap();
    admin
        .add_user(User::new(UserId::new(2), ACME, temp))
        .unwrap();
    let theirs = engine
        .bootstrap()
        .create_role(GLOBEX, "Theirs", vec![])
        .unwrap();
    assert_eq!(
        admin.delete_role(temp, Some(theirs)).unwrap_err(),
        AdminError::UnknownRole { role: theirs }
    );
    let other = admin.create_role(ACME, "Other", vec![]).unwrap();
    admin.delete_role(temp, Some(other)).unwrap();
    assert_eq!(
        engine.snapshot().user(UserId::new(2)).unwrap().role(),
        other
    );
}

#[test]
fn rules_of_another_catalog_are_refused() {
    let engine = engine();
    let other = Catalog::content_platform();
    let foreign = Rule::builder(&other, "content", "read").build().unwrap();
    assert_eq!(
        engine
            .bootstrap()
            .create_role(
                ACME,
                "Foreign",
                vec![rule(&engine, "tools", "read"), foreign]
            )
            .unwrap_err(),
        AdminError::Role(RoleError::ForeignRule {
            role: "Foreign".into(),
            index: 1
        })
    );
}

#[test]
fn the_permission_matrix_shows_every_applicable_action() {
    let engine = engine();
    let catalog = engine.catalog();
    let editor = |action| {
        Rule::builder(catalog, "workflows", action)
            .must_match(MustMatch::TEAM)
            .conditions(r#"status != "archived""#)
            .build()
            .unwrap()
    };
    let id = engine
        .bootstrap()
        .create_role(
            ACME,
            "Marketing Editor",
            vec![editor("read"), editor("update")],
        )
        .unwrap();
    let matrix = engine.snapshot().permission_matrix(id).unwrap();
    let rows: Vec<(&str, usize)> = matrix
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.cells.len()))
        .collect();
    assert_eq!(
        rows,
        [
            ("connectors", 6),
            ("connections", 6),
            ("workflows", 7),
            ("agents", 5),
            ("tools", 5),
            ("organization", 2),
            ("billing", 2),
            ("members", 2),
            ("roles", 2),
            ("activity", 1),
            ("audit_log", 1)
        ]
    );
    let workflows = &matrix.rows[2];
    let granted: Vec<(&str, bool)> = workflows
        .cells
        .iter()
        .map(|c| (c.action_name.as_str(), c.granted()))
        .collect();
    assert_eq!(
        granted,
        [
            ("create", false),
            ("read", true),
            ("update", true),
            ("delete", false),
            ("execute", false),
            ("deploy_test", false),
            ("deploy_prod", false)
        ]
    );
    let read = &workflows.cells[1];
    assert!(!read.unconditional());
    assert_eq!(
        read.rules[0].display(catalog).to_string(),
        r#"workflows.read [organization;team] if status != "archived""#
    );
    assert!(matrix.rows.iter().all(|r| r.name != "profile"));
    assert!(
        engine
            .snapshot()
            .permission_matrix(RoleId::new(999).unwrap())
            .is_none()
    );
    let owner = engine
        .snapshot()
        .permission_matrix(SystemRole::Owner.id())
        .unwrap();
    assert!(
        owner
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .all(MatrixCell::unconditional)
    );
}
