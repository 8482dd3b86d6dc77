//! CSV export and import of roles (SEMANTICS.md §13): the standard roles row by row,
//! formula neutralising, every kind of bad file rejected with line and
//! column and nothing changed, the delegation guard and the audit log, and
//! export then import as the identity on custom roles (proptest).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use rolegate::audit::{AuditQuery, Outcome};
use rolegate::condition::{Literal, Operand};
use rolegate::csv::{ReadError, ReadProblemKind, read_roles};
use rolegate::engine::GuardError;
use rolegate::role::RoleKind;
use rolegate::*;

const ACME: OrgId = OrgId::new(1);
const GLOBEX: OrgId = OrgId::new(2);
const HEADER_LINE: &str = "Role name,Resource,Action,Conditions,Must Match";

fn engine() -> Engine {
    let engine = Engine::new(Catalog::standard());
    engine
        .bootstrap()
        .add_user(User::new(UserId::new(1), ACME, SystemRole::Owner.id()))
        .unwrap();
    engine
}

/// Reads CSV text into rows of strings with the csv crate's own parser.
fn rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_standard_roles_export_row_by_row() {
    let text = engine().snapshot().export_roles(ACME);
    let rows = rows(&text);
    assert_eq!(rows[0], HEADER_LINE.split(',').collect::<Vec<_>>());
    let body = &rows[1..];
    let count = |role: &str| body.iter().filter(|r| r[0] == role).count();
    assert_eq!(
        [
            "Owner",
            "Admin",
            "Developer",
            "Operator",
            "Viewer",
            "End User"
        ]
        .map(count),
        [39, 39, 34, 18, 7, 9]
    );
    assert_eq!(body.len(), 146);
    // Roles in the order of SEMANTICS.md §13.1 (system roles as in §7.1), each contiguous.
    let order: Vec<&str> = body
        .iter()
        .map(|r| r[0].as_str())
        .fold(Vec::new(), |mut v, n| {
            if v.last() != Some(&n) {
                v.push(n);
            }
            v
        });
    assert_eq!(
        order,
        [
            "Owner",
            "Admin",
            "Developer",
            "Operator",
            "Viewer",
            "End User"
        ]
    );
    for row in body {
        assert_eq!(row[3], "", "system roles carry no conditions");
        let want = match (row[0].as_str(), row[1].as_str()) {
            ("End User", "connections") => "organization;customer;owner",
            ("End User", _) => "organization;customer",
            _ => "organization",
        };
        assert_eq!(row[4], want, "{row:?}");
    }
    let viewer: Vec<String> = body
        .iter()
        .filter(|r| r[0] == "Viewer")
        .map(|r| format!("{}.{}", r[1], r[2]))
        .collect();
    assert_eq!(
        viewer,
        [
            "connectors.read",
            "connections.read",
            "workflows.read",
            "agents.read",
            "tools.read",
            "organization.read",
            "activity.read"
        ]
    );
    let developer_lacks = [
        "organization.update",
        "billing.read",
        "billing.update",
        "members.manage",
        "roles.manage",
    ];
    assert!(
        body.iter()
            .filter(|r| r[0] == "Developer")
            .all(|r| !developer_lacks.contains(&format!("{}.{}", r[1], r[2]).as_str()))
    );
}

#[test]
fn custom_roles_export_with_conditions_quoting_and_neutralised_cells() {
    let engine = engine();
    let catalog = engine.catalog();
    let boot = engine.bootstrap();
    let rule = Rule::builder(catalog, "workflows", "update")
        .must_match(MustMatch::TEAM)
        .conditions(r#"status != "archived, \"old\"" and priority <= -3"#)
        .build()
        .unwrap();
    boot.create_role(ACME, "=cmd|' /C calc'!A0", vec![rule])
        .unwrap();
    boot.create_role(ACME, "Empty, but \"quoted\"", vec![])
        .unwrap();
    let text = engine.snapshot().export_roles(ACME);
    let custom: Vec<Vec<String>> = rows(&text).into_iter().skip(147).collect();
    assert_eq!(
        custom,
        [
            vec![
                "'=cmd|' /C calc'!A0".to_owned(),
                "workflows".to_owned(),
                "update".to_owned(),
                r#"status != "archived, \"old\"" and priority <= -3"#.to_owned(),
                "organization;team".to_owned()
            ],
            vec![
                "Empty, but \"quoted\"".to_owned(),
                String::new(),
                String::new(),
                String::new(),
                String::new()
            ],
        ]
    );
    // Another organization's custom roles are not exported.
    assert_eq!(rows(&engine.snapshot().export_roles(GLOBEX)).len(), 147);
}

#[test]
fn import_creates_and_updates_custom_roles_atomically() {
    let engine = engine();
    let admin = engine.admin(UserId::new(1));
    let existing = admin.create_role(ACME, "Runner", vec![]).unwrap();
    let csv = format!(
        "{HEADER_LINE}\n\
         RUNNER,workflows,execute,,organization\n\
         Runner,workflows,read,,\n\
         Auditor,audit_log,read,,organization\n\
         Viewer,workflows,read,,organization\n\
         Nobody,,,,\n"
    );
    let version = engine.snapshot().revision().get();
    let done = admin.import_roles(ACME, &csv).unwrap();
    assert_eq!(done.updated, [existing]);
    assert_eq!(done.created.len(), 2);
    let snapshot = engine.snapshot();
    assert_eq!(snapshot.revision().get(), version + 1, "one change");
    let runner = snapshot.policy().role(existing).unwrap();
    assert_eq!(runner.name(), "RUNNER");
    assert_eq!(runner.rules().len(), 2);
    let nobody = snapshot.policy().role_named(ACME, "nobody").unwrap();
    assert!(snapshot.policy().role(nobody).unwrap().rules().is_empty());
    // The Viewer row was checked, not imported: Viewer is unchanged.
    assert_eq!(
        snapshot
            .policy()
            .role(SystemRole::Viewer.id())
            .unwrap()
            .rules()
            .len(),
        7
    );
}

/// Imports `body` (after the header) as the Owner and expects it refused
/// with problems at these (line, column) places, the engine unchanged.
#[track_caller]
fn rejected(body: &str, places: &[(u64, usize)]) -> ReadError {
    let engine = engine();
    let before = engine.snapshot();
    let text = format!("{HEADER_LINE}\n{body}");
    let err = match engine.admin(UserId::new(1)).import_roles(ACME, &text) {
        Err(AdminError::Import(e)) => e,
        other => panic!("expected an import error, got {other:?}"),
    };
    let got: Vec<(u64, usize)> = err
        .problems()
        .iter()
        .map(|p| (p.line(), p.column()))
        .collect();
    assert_eq!(got, places, "{err}");
    let after = engine.snapshot();
    assert_eq!(
        after.revision().get(),
        before.revision().get(),
        "a rejected file changed something"
    );
    assert_eq!(after.roles(ACME).len(), 6);
    err
}

#[test]
fn every_kind_of_bad_row_is_named_with_line_and_column() {
    let err = rejected(
        "Good,workflows,read,,organization\n\
         A,rockets,read,,organization\n\
         B,workflows,fly,,organization\n\
         C,billing,execute,,organization\n\
         D,workflows,read,status ~ \"x\",organization\n\
         E,workflows,read,,organization;tenant\n\
         F,profile,read,,organization\n\
         G,workflows,,,organization\n\
         ,workflows,read,,organization\n\
         Owner,workflows,read,,organization;team\n\
         H,workflows,read\n\
         End User,,,,\n",
        &[
            (3, 2),
            (4, 3),
            (5, 3),
            (6, 4),
            (7, 5),
            (8, 2),
            (9, 3),
            (10, 1),
            (11, 2),
            (12, 0),
            (13, 2),
        ],
    );
    let kinds: Vec<String> = err
        .problems()
        .iter()
        .map(|p| p.kind().to_string())
        .collect();
    assert!(
        kinds[0].contains("unknown resource type \"rockets\""),
        "{kinds:?}"
    );
    assert!(kinds[1].contains("unknown action \"fly\""));
    assert!(kinds[2].contains("not applicable"));
    assert!(
        kinds[3].contains("at column 8"),
        "the condition error says where in the cell"
    );
    assert!(kinds[4].contains("unknown must-match key \"tenant\""));
    assert!(kinds[5].contains("built in"));
    assert!(kinds[6].contains("both be given"));
    assert!(kinds[7].contains("role name is empty"));
    assert!(kinds[8].contains("system role Owner has no such rule"));
    assert!(kinds[9].contains("expected 5 fields, found 3"));
    assert!(
        err.to_string()
            .starts_with("the roles file has 11 problem(s): line 3, column 2: ")
    );
}

#[test]
fn system_roles_without_rules_round_trip_on_the_content_platform() {
    // Operator, Viewer and End User hold nothing there: they export as empty
    // rows, which import checks and accepts.
    let engine = Engine::new(Catalog::content_platform());
    let catalog = engine.catalog();
    let boot = engine.bootstrap();
    boot.create_role(
        ACME,
        "Editors",
        vec![Rule::builder(catalog, "content", "update").build().unwrap()],
    )
    .unwrap();
    let text = engine.snapshot().export_roles(ACME);
    assert!(text.contains("\nViewer,,,,\n"));
    let target = Engine::new(Catalog::content_platform());
    target.bootstrap().import_roles(ACME, &text).unwrap();
    assert_eq!(target.snapshot().export_roles(ACME), text);
    // A rule row for such a role is still refused.
    let bad = format!("{HEADER_LINE}\nViewer,content,read,,organization\n");
    assert!(matches!(
        target.bootstrap().import_roles(ACME, &bad),
        Err(AdminError::Import(_))
    ));
}

#[test]
fn a_quoted_cell_may_span_lines() {
    let engine = engine();
    let file = format!(
        "{HEADER_LINE}\nMultiline,workflows,read,\"status != \"\"first\nsecond\"\"\",organization\n"
    );
    engine.bootstrap().import_roles(ACME, &file).unwrap();
    let snapshot = engine.snapshot();
    let id = snapshot.policy().role_named(ACME, "Multiline").unwrap();
    let rule = &snapshot.policy().role(id).unwrap().rules()[0];
    let Operand::Literal(Literal::String(text)) = rule.conditions().as_slice()[0].operand() else {
        panic!("a string literal")
    };
    assert_eq!(&**text, "first\nsecond");
    // Exported in canonical text, the newline is an escape on one line.
    let exported = snapshot.export_roles(ACME);
    assert!(
        exported.ends_with(
            "Multiline,workflows,read,\"status != \"\"first\\nsecond\"\"\",organization\n"
        )
    );
}

#[test]
fn role_names_are_checked_like_any_role_name() {
    rejected(&format!("{},workflows,read,,\n", "x".repeat(65)), &[(2, 1)]);
    rejected("\"tab\there\",workflows,read,,\n", &[(2, 1)]);
}

#[test]
fn bad_files_are_rejected_whole() {
    let engine = engine();
    let admin = engine.admin(UserId::new(1));
    let refuse = |text: &str| match admin.import_roles(ACME, text) {
        Err(AdminError::Import(e)) => e,
        other => panic!("{text:?}: expected an import error, got {other:?}"),
    };
    for text in [
        "",
        "Name,Resource,Action,Conditions,Must Match\nX,workflows,read,,\n",
        "Role name,Resource,Action\n",
    ] {
        let err = refuse(text);
        assert_eq!(
            err.problems()[0].kind(),
            &ReadProblemKind::Header,
            "{text:?}"
        );
    }
    // An unterminated quote runs to the end of the text: the row is short.
    let err = refuse(&format!("{HEADER_LINE}\nX,workflows,read,\"unterminated\n"));
    assert_eq!(
        (err.problems()[0].line(), err.problems()[0].column()),
        (2, 0)
    );
    assert_eq!(
        err.problems()[0].kind(),
        &ReadProblemKind::FieldCount { found: 4 }
    );
    // Invalid UTF-8 cannot reach the parser: it takes `&str`.
    // A byte-order mark and CRLF line ends are fine.
    let done = admin
        .import_roles(
            ACME,
            &format!("\u{feff}{HEADER_LINE}\r\nX,workflows,read,,organization\r\n"),
        )
        .unwrap();
    assert_eq!(done.created.len(), 1);
    assert_eq!(engine.snapshot().roles(ACME).len(), 7);
}

#[test]
fn import_goes_through_the_guard_and_the_audit_log() {
    let engine = engine();
    let boot = engine.bootstrap();
    let catalog = engine.catalog();
    let lead = boot
        .create_role(
            ACME,
            "Lead",
            vec![
                Rule::builder(catalog, "roles", "manage").build().unwrap(),
                Rule::builder(catalog, "tools", "read").build().unwrap(),
            ],
        )
        .unwrap();
    boot.add_user(User::new(UserId::new(2), ACME, lead))
        .unwrap();
    boot.add_user(User::new(UserId::new(3), ACME, SystemRole::Viewer.id()))
        .unwrap();
    let file = format!("{HEADER_LINE}\nBillers,billing,update,,organization\n");
    assert_eq!(
        engine
            .admin(UserId::new(3))
            .import_roles(ACME, &file)
            .unwrap_err(),
        AdminError::Denied(GuardError::MissingPermission {
            permission: "roles.manage".into()
        })
    );
    assert_eq!(
        engine
            .admin(UserId::new(2))
            .import_roles(ACME, &file)
            .unwrap_err(),
        AdminError::Denied(GuardError::Escalation {
            permission: "billing.update".into()
        })
    );
    let fine = format!("{HEADER_LINE}\nReaders,tools,read,,organization\n");
    engine
        .admin(UserId::new(2))
        .import_roles(ACME, &fine)
        .unwrap();
    let events = engine
        .audit()
        .query(&AuditQuery::new().action("role.import"))
        .unwrap()
        .events;
    let outcomes: Vec<(Option<UserId>, Outcome)> =
        events.iter().map(|e| (e.user(), e.outcome())).collect();
    assert_eq!(
        outcomes,
        [
            (Some(UserId::new(2)), Outcome::Success),
            (Some(UserId::new(2)), Outcome::Denied),
            (Some(UserId::new(3)), Outcome::Denied),
        ]
    );
}

// ---- property: export then import is the identity on custom roles ----

fn hostile_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9 ]{0,20}",
        Just("=SUM(A1:A9)".to_owned()),
        Just("+1".to_owned()),
        Just("-2".to_owned()),
        Just("@import".to_owned()),
        Just("'quoted".to_owned()),
        Just("''twice".to_owned()),
        Just("comma, in name".to_owned()),
        Just("\"double\" quotes".to_owned()),
        Just("ünïcødé ✓ 名前".to_owned()),
        "[a-z]{1,5}\n?[a-z]{1,5}".prop_map(|s| s.replace('\n', " ")),
    ]
    .prop_filter("a valid role name", |n| Role::validate_name(n).is_ok())
}

fn rule(catalog: &Catalog) -> impl Strategy<Value = Rule> + '_ {
    let perms: Vec<(String, String)> = catalog
        .grantable_permissions()
        .map(|p| {
            let (t, a) = p.name.split_once('.').unwrap();
            (t.to_owned(), a.to_owned())
        })
        .collect();
    (
        prop::sample::select(perms),
        prop::sample::subsequence(
            vec![MustMatch::CUSTOMER, MustMatch::TEAM, MustMatch::OWNER],
            0..=3,
        ),
        prop_oneof![
            Just(String::new()),
            prop_oneof![
                "[ -~]{0,8}",
                Just("line\nbreak".to_owned()),
                Just("=1+1".to_owned()),
                Just("ü, \"x\"\r\n@".to_owned()),
            ]
            .prop_map(|s| format!("status != {}", Literal::String(s.into()))),
            any::<i64>().prop_map(|i| format!("priority <= {i}")),
            Just(r#"environment in ["=1+1", "prod, \"eu\""] and priority > -1"#.to_owned()),
        ],
    )
        .prop_filter_map("a rule the type accepts", move |((t, a), keys, cond)| {
            let keys = keys.into_iter().fold(MustMatch::empty(), |k, m| k | m);
            Rule::builder(catalog, &t, &a)
                .must_match(keys)
                .conditions(&cond)
                .build()
                .ok()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn export_then_import_is_the_identity_on_custom_roles(
        roles in prop::collection::vec((hostile_name(), prop::collection::vec(rule(&CATALOG), 0..6)), 1..6)
    ) {
        let source = engine();
        let mut names = std::collections::HashSet::new();
        for (name, rules) in &roles {
            if names.insert(name.trim().to_lowercase()) {
                source.bootstrap().create_role(ACME, name, rules.clone()).unwrap();
            }
        }
        let text = source.snapshot().export_roles(ACME);
        let target = engine();
        target.bootstrap().import_roles(ACME, &text).unwrap();
        let custom = |e: &Engine| -> Vec<(String, Vec<Rule>)> {
            let s = e.snapshot();
            s.roles(ACME)
                .into_iter()
                .filter(|r| matches!(r.kind, RoleKind::Custom { .. }))
                .map(|r| (r.name, s.policy().role(r.id).unwrap().rules().to_vec()))
                .collect()
        };
        prop_assert_eq!(custom(&target), custom(&source));
        // And importing into the same organization changes nothing.
        source.bootstrap().import_roles(ACME, &text).unwrap();
        prop_assert_eq!(source.snapshot().export_roles(ACME), text);
    }

    #[test]
    fn no_input_panics(text in any::<String>()) {
        let _ = read_roles(&CATALOG, ACME, &text);
        let _ = read_roles(&CATALOG, ACME, &format!("{HEADER_LINE}\n{text}"));
    }
}

static CATALOG: std::sync::LazyLock<Catalog> = std::sync::LazyLock::new(Catalog::standard);
