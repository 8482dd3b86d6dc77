//! A fixed state, small hand-written documents, and helpers that edit and refuse documents.

use rolegate::document::{self, DirectoryDocument, DocumentError, PolicyDocument};
use rolegate::{
    Catalog, CustomerId, Engine, MustMatch, OrgId, RoleId, Rule, SystemRole, TeamId, User, UserId,
    UserStatus,
};
use serde_json::Value;

pub(crate) const ORGS: [OrgId; 2] = [OrgId::new(1), OrgId::new(2)];

/// Two organizations: 1 with the custom role Editor (id 6) and team Ops
/// (id 1), 2 with the custom role Auditor (id 7) and team Sales (id 2);
/// users 1 and 2 in organization 1, 3 and 4 in organization 2.
fn fixture() -> Engine {
    let engine = Engine::new(Catalog::standard());
    let catalog = engine.catalog().clone();
    let boot = engine.bootstrap();
    let (acme, globex) = (ORGS[0], ORGS[1]);
    let edit = Rule::builder(&catalog, "workflows", "update")
        .must_match(MustMatch::TEAM)
        .conditions(r#"status != "archived" and priority <= 3"#)
        .build()
        .unwrap();
    let read = Rule::builder(&catalog, "workflows", "read")
        .build()
        .unwrap();
    let editor = boot.create_role(acme, "Editor", [read, edit]).unwrap();
    let audit = Rule::builder(&catalog, "audit_log", "read")
        .build()
        .unwrap();
    let auditor = boot.create_role(globex, "Auditor", [audit]).unwrap();
    assert_eq!((editor, auditor), (role_id(6), role_id(7)));
    let ops = boot.create_team(acme, "Ops").unwrap();
    let sales = boot.create_team(globex, "Sales").unwrap();
    assert_eq!((ops, sales), (TeamId::new(1), TeamId::new(2)));
    for user in [
        User::new(UserId::new(1), acme, SystemRole::Owner.id()).with_team(ops),
        User::new(UserId::new(2), acme, editor).with_team(ops),
        User::new(UserId::new(3), globex, auditor)
            .with_team(sales)
            .with_customer(CustomerId::new(30)),
        User::new(UserId::new(4), globex, SystemRole::Viewer.id())
            .with_status(UserStatus::Suspended),
    ] {
        boot.add_user(user).unwrap();
    }
    engine
}

fn role_id(n: usize) -> RoleId {
    RoleId::new(n).unwrap()
}

pub(crate) fn fixture_documents() -> (String, String) {
    let snapshot = fixture().snapshot();
    (
        PolicyDocument::of(&snapshot).to_json(),
        DirectoryDocument::of(&snapshot).to_json(),
    )
}

/// `json` parsed, changed by `f` and written again.
fn edit(json: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(json).unwrap();
    f(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}

pub(crate) fn policy_with(f: impl FnOnce(&mut Value)) -> String {
    edit(&fixture_documents().0, f)
}

pub(crate) fn directory_with(f: impl FnOnce(&mut Value)) -> String {
    edit(&fixture_documents().1, f)
}

/// The policy refused, with the place named first in the message.
#[track_caller]
pub(crate) fn policy_refused(json: &str, path: &str) -> DocumentError {
    let err = PolicyDocument::from_json(json).unwrap_err();
    assert_eq!(err.path(), Some(path), "{err}");
    assert!(err.to_string().starts_with(path), "{err}");
    assert!(err.to_string().len() < 1_000, "a short message");
    err
}

/// The directory refused, with the place named first in the message.
#[track_caller]
pub(crate) fn directory_refused(json: &str, path: &str) -> DocumentError {
    let err = DirectoryDocument::from_json(json).unwrap_err();
    assert_eq!(err.path(), Some(path), "{err}");
    assert!(err.to_string().starts_with(path), "{err}");
    assert!(err.to_string().len() < 1_000, "a short message");
    err
}

/// Both documents read, and restoring them refused at `path`.
#[track_caller]
pub(crate) fn restore_refused(policy: &str, directory: &str, path: &str) -> DocumentError {
    let policy = PolicyDocument::from_json(policy).unwrap();
    let directory = DirectoryDocument::from_json(directory).unwrap();
    let err = document::stored_state(&policy, &directory).unwrap_err();
    assert_eq!(err.path(), Some(path), "{err}");
    assert_eq!(document::restore(&policy, &directory).unwrap_err(), err);
    err
}

/// The line and column of the last character of the first `needle` in
/// `text`, from 1: where serde_json reports a value it refuses.
fn end_of(text: &str, needle: &str) -> (usize, usize) {
    let end = text.find(needle).unwrap() + needle.len();
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    (line, column)
}

/// Refused while parsing, at the line and column of the end of `at`, with
/// a message containing `message`.
#[track_caller]
pub(crate) fn json_refused(err: DocumentError, text: &str, at: &str, message: &str) {
    let DocumentError::Json {
        line,
        column,
        message: got,
    } = &err
    else {
        panic!("not a parse error: {err:?}");
    };
    assert_eq!((*line, *column), end_of(text, at), "{err}");
    assert_eq!(err.position(), Some((*line, *column)));
    assert!(got.contains(message), "{err}");
    assert!(
        err.to_string()
            .starts_with(&format!("line {line}, column {column}: ")),
        "{err}"
    );
    assert!(err.to_string().len() < 1_000, "a short message");
}

pub(crate) const SMALL_POLICY: &str = r#"{
  "version": 1,
  "catalog": {
    "resource_types": [
      { "name": "docs", "builtin": false, "actions": ["read", "update"],
        "attributes": [{ "name": "status", "type": "string" }] }
    ],
    "syncs": [],
    "builtin_rules": []
  },
  "roles": [
    { "id": 6, "organization": 1, "name": "Reader",
      "rules": [{ "resource": "docs", "action": "read", "must_match": ["team"], "conditions": "status == \"open\"" }] }
  ],
  "counters": { "next_role": 7, "next_team": 2 }
}"#;

pub(crate) const SMALL_DIRECTORY: &str = r#"{
  "version": 1,
  "teams": [{ "id": 1, "organization": 1, "name": "Ops" }],
  "users": [
    { "id": 1, "organization": 1, "teams": [1], "role": 6, "status": "active" },
    { "id": 2, "organization": 1, "customer": 30, "teams": [], "role": 5, "status": "invited", "last_active": 1700000000000 }
  ]
}"#;
