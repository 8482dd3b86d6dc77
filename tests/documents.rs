//! JSON documents through the public API: a random state written as a
//! policy and a directory document, read back and restored, answers every
//! check and listing alike and writes the same text again; malformed and
//! hostile documents are refused with the place named, and no input
//! panics. Without the `serde` feature the file compiles to nothing.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use rolegate::catalog::{AttrType, CatalogError, RuleSpec};
use rolegate::directory::{PeopleFilter, Timestamp};
use rolegate::document::{
    self, DirectoryDocument, DocumentError, MAX_DOCUMENT_BYTES, PolicyDocument, VERSION,
};
use rolegate::role::RoleError;
use rolegate::{
    Catalog, CustomerId, Engine, MustMatch, NameError, OrgId, Resource, ResourceId, RoleId, Rule,
    RuleError, Snapshot, SystemRole, TeamId, User, UserId, UserStatus,
};
use serde_json::{Value, json};

const ORGS: [OrgId; 2] = [OrgId::new(1), OrgId::new(2)];

/// Condition texts over the attributes of the standard catalog's five
/// categories.
const CONDITIONS: [&str; 8] = [
    r#"status == "draft""#,
    r#"status != "archived""#,
    r#"status in ["draft", "review"]"#,
    r#"status not in ["archived"]"#,
    "priority <= 3",
    "priority > 1",
    r#"environment == "test""#,
    r#"environment != "prod""#,
];

// ---------------------------------------------------------------------------
// Random states
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct RawRule {
    ty: usize,
    action: usize,
    keys: u8,
    conditions: Vec<usize>,
}

#[derive(Clone, Debug)]
struct RawRole {
    org: usize,
    rules: Vec<RawRule>,
}

#[derive(Clone, Debug)]
struct RawUser {
    org: usize,
    system: usize,
    custom: Option<usize>,
    teams: Vec<usize>,
    /// 0 to 3 active, 4 invited, 5 suspended.
    status: usize,
    customer: Option<u64>,
    active: Option<i64>,
}

#[derive(Clone, Debug)]
struct RawState {
    roles: Vec<RawRole>,
    teams: [usize; 2],
    users: Vec<RawUser>,
    delete_role: bool,
    delete_team: bool,
}

fn raw_rule() -> impl Strategy<Value = RawRule> {
    (
        0..11usize,
        0..8usize,
        0..8u8,
        prop::collection::vec(0..CONDITIONS.len(), 0..3),
    )
        .prop_map(|(ty, action, keys, conditions)| RawRule {
            ty,
            action,
            keys,
            conditions,
        })
}

fn raw_state() -> impl Strategy<Value = RawState> {
    let role = (0..2usize, prop::collection::vec(raw_rule(), 0..5))
        .prop_map(|(org, rules)| RawRole { org, rules });
    let user = (
        0..2usize,
        0..6usize,
        prop::option::of(0..8usize),
        prop::collection::vec(0..4usize, 0..3),
        0..6usize,
        prop::option::of(1..4u64),
        prop::option::of(1_700_000_000_000..1_800_000_000_000i64),
    )
        .prop_map(
            |(org, system, custom, teams, status, customer, active)| RawUser {
                org,
                system,
                custom,
                teams,
                status,
                customer,
                active,
            },
        );
    (
        prop::collection::vec(role, 0..7),
        [0..4usize, 0..4usize],
        prop::collection::vec(user, 0..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(roles, teams, users, delete_role, delete_team)| RawState {
            roles,
            teams,
            users,
            delete_role,
            delete_team,
        })
}

fn rule(catalog: &Catalog, raw: &RawRule) -> Rule {
    let types: Vec<_> = catalog
        .resource_types()
        .filter(|&t| catalog.is_grantable(t))
        .collect();
    let ty = types[raw.ty % types.len()];
    let actions = catalog.actions_of(ty);
    let action = actions[raw.action % actions.len()];
    let mut keys = MustMatch::empty();
    for (bit, key) in [
        (1, MustMatch::CUSTOMER),
        (2, MustMatch::TEAM),
        (4, MustMatch::OWNER),
    ] {
        if raw.keys & bit != 0 {
            keys |= key;
        }
    }
    let status = catalog.attribute("status").unwrap();
    let mut conditions: Vec<&str> = Vec::new();
    if catalog.attribute_type(ty, status).is_some() {
        for &c in &raw.conditions {
            if !conditions.contains(&CONDITIONS[c]) {
                conditions.push(CONDITIONS[c]);
            }
        }
    }
    Rule::builder(
        catalog,
        catalog.resource_type_name(ty).unwrap(),
        catalog.action_name(action).unwrap(),
    )
    .must_match(keys)
    .conditions(&conditions.join(" and "))
    .build()
    .unwrap()
}

/// Builds the state through the engine's administrative calls: custom
/// roles, teams and users of two organizations, statuses, activity, and a
/// deleted role and team so that the counters run ahead of the ids.
fn build(raw: &RawState) -> Engine {
    let engine = Engine::new(Catalog::standard());
    let catalog = engine.catalog().clone();
    let boot = engine.bootstrap();
    let mut roles: [Vec<RoleId>; 2] = [Vec::new(), Vec::new()];
    for (i, r) in raw.roles.iter().enumerate() {
        let rules: Vec<Rule> = r.rules.iter().map(|x| rule(&catalog, x)).collect();
        let id = boot
            .create_role(ORGS[r.org], &format!("Role {i}"), rules)
            .unwrap();
        roles[r.org].push(id);
    }
    let mut teams: [Vec<TeamId>; 2] = [Vec::new(), Vec::new()];
    for (org, &count) in raw.teams.iter().enumerate() {
        for n in 0..count {
            let id = boot
                .create_team(ORGS[org], &format!("Team {org}.{n}"))
                .unwrap();
            teams[org].push(id);
        }
    }
    for (i, u) in raw.users.iter().enumerate() {
        let id = UserId::new(i as u64 + 1);
        let org = u.org;
        let role = match u.custom {
            Some(c) if !roles[org].is_empty() => roles[org][c % roles[org].len()],
            _ => SystemRole::ALL[u.system].id(),
        };
        let mut user =
            User::new(id, ORGS[org], role).with_status(UserStatus::ALL[u.status.saturating_sub(3)]);
        if !teams[org].is_empty() {
            for &t in &u.teams {
                user = user.with_team(teams[org][t % teams[org].len()]);
            }
        }
        if let Some(c) = u.customer {
            user = user.with_customer(CustomerId::new(c));
        }
        boot.add_user(user).unwrap();
        if let Some(at) = u.active {
            assert!(engine.record_activity(id, Timestamp::from_unix_millis(at)));
        }
    }
    if raw.delete_role
        && let Some(&last) = roles.iter().flatten().max()
    {
        boot.delete_role(last, Some(SystemRole::Viewer.id()))
            .unwrap();
    }
    if raw.delete_team
        && let Some(&first) = teams.iter().flatten().next()
    {
        boot.delete_team(first).unwrap();
    }
    engine
}

/// Every check of every user (and of one unknown user) on a probe set of
/// resources: each type of the catalog in both organizations, in no team,
/// in each team and in an unknown one, with and without an owner and a
/// customer, and with three sets of attribute values where the type has
/// attributes.
fn decisions(snapshot: &Snapshot, users: &[UserId], teams: &[TeamId]) -> Vec<bool> {
    let catalog = snapshot.catalog();
    let status = catalog.attribute("status").unwrap();
    let priority = catalog.attribute("priority").unwrap();
    let environment = catalog.attribute("environment").unwrap();
    let mut team_choices: Vec<Option<TeamId>> = vec![None, Some(TeamId::new(999))];
    team_choices.extend(teams.iter().copied().map(Some));
    let mut out = Vec::new();
    let mut n = 0;
    for ty in catalog.resource_types() {
        let values: &[(&str, i64, &str)] = if catalog.attribute_type(ty, status).is_some() {
            &[
                ("draft", 2, "test"),
                ("archived", 5, "prod"),
                ("review", 1, "staging"),
            ]
        } else {
            &[("", 0, "")]
        };
        for org in ORGS {
            for &team in &team_choices {
                for owner in [None, Some(UserId::new(1)), Some(UserId::new(2))] {
                    for customer in [None, Some(CustomerId::new(2))] {
                        for &(s, p, e) in values {
                            n += 1;
                            let mut r = Resource::new(ty, ResourceId::new(n), org);
                            if let Some(t) = team {
                                r = r.with_team(t);
                            }
                            if let Some(o) = owner {
                                r = r.with_owner(o);
                            }
                            if let Some(c) = customer {
                                r = r.with_customer(c);
                            }
                            if !s.is_empty() {
                                r = r
                                    .with_attribute(status, s)
                                    .with_attribute(priority, p)
                                    .with_attribute(environment, e);
                            }
                            for &user in users {
                                for &action in catalog.actions_of(ty) {
                                    out.push(snapshot.can_user(user, action, &r));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// Everything listed about both organizations, as text.
fn listings(snapshot: &Snapshot) -> Vec<String> {
    let catalog = snapshot.catalog();
    let mut out = Vec::new();
    for org in ORGS {
        let roles = snapshot.roles(org);
        out.push(format!("{roles:?}"));
        for summary in &roles {
            let role = snapshot.policy().role(summary.id).unwrap();
            for r in role.rules() {
                out.push(format!("{} {}", summary.id, r.display(catalog)));
            }
            out.push(format!("{:?}", snapshot.permission_matrix(summary.id)));
            out.push(format!(
                "{:?}",
                snapshot.people(org, &PeopleFilter::new().role(summary.id))
            ));
        }
        out.push(format!("{:?}", snapshot.people(org, &PeopleFilter::new())));
        for status in UserStatus::ALL {
            out.push(format!(
                "{:?}",
                snapshot.people(org, &PeopleFilter::new().status(status))
            ));
        }
        let teams = snapshot.teams(org);
        out.push(format!("{teams:?}"));
        for team in &teams {
            out.push(format!(
                "{:?}",
                snapshot.people(org, &PeopleFilter::new().team(team.id))
            ));
        }
        out.push(snapshot.export_roles(org));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// document → JSON → document → engine: the restored engine decides
    /// every check and lists everything as the original does, writes the
    /// same two documents again, and goes on handing out the same ids.
    #[test]
    fn random_states_survive_a_round_trip(raw in raw_state()) {
        let engine = build(&raw);
        let snapshot = engine.snapshot();
        let policy = PolicyDocument::of(&snapshot);
        let directory = DirectoryDocument::of(&snapshot);
        let (policy_json, directory_json) = (policy.to_json(), directory.to_json());
        prop_assert_eq!(&policy.to_json(), &policy_json, "stable text");

        let policy_read = PolicyDocument::from_json(&policy_json).unwrap();
        let directory_read = DirectoryDocument::from_json(&directory_json).unwrap();
        prop_assert_eq!(&policy_read, &policy);
        prop_assert_eq!(&directory_read, &directory);

        let restored = document::restore(&policy_read, &directory_read).unwrap();
        let again = restored.snapshot();
        prop_assert_eq!(again.catalog().fingerprint(), snapshot.catalog().fingerprint());

        let users: Vec<UserId> = directory
            .users()
            .iter()
            .map(User::id)
            .chain([UserId::new(500)])
            .collect();
        let teams: Vec<TeamId> = directory.teams().iter().map(|t| t.id).collect();
        prop_assert!(decisions(&again, &users, &teams) == decisions(&snapshot, &users, &teams));
        for &user in &users {
            prop_assert_eq!(again.user(user), snapshot.user(user));
        }
        let (before, after) = (listings(&snapshot), listings(&again));
        prop_assert_eq!(before.len(), after.len());
        for (b, a) in before.iter().zip(&after) {
            prop_assert_eq!(b, a);
        }

        prop_assert_eq!(PolicyDocument::of(&again).to_json(), policy_json);
        prop_assert_eq!(DirectoryDocument::of(&again).to_json(), directory_json);

        // The counters came along: both engines give out the same next ids.
        for org in ORGS {
            let a = engine.bootstrap().create_role(org, "Next role", []).unwrap();
            let b = restored.bootstrap().create_role(org, "Next role", []).unwrap();
            prop_assert_eq!(a, b);
            let a = engine.bootstrap().create_team(org, "Next team").unwrap();
            let b = restored.bootstrap().create_team(org, "Next team").unwrap();
            prop_assert_eq!(a, b);
        }
    }

    /// Random edits of valid documents (characters deleted, inserted and
    /// repeated) are read, refused or restored, never a panic; whatever
    /// reads restores or is refused with a place.
    #[test]
    fn edited_documents_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..4u8, any::<prop::sample::Index>()), 1..6),
        which in any::<bool>(),
    ) {
        const ALPHABET: &[u8] = b"{}[]\",:0123456789-+.eE \n\\uatrsnlfx7";
        let (policy, directory) = fixture_documents();
        let mut text = if which { policy.clone() } else { directory.clone() }.into_bytes();
        for (at, kind, pick) in edits {
            let i = at.index(text.len() + 1);
            match kind {
                0 if i < text.len() => {
                    text.remove(i);
                }
                1 => text.insert(i, *pick.get(ALPHABET)),
                2 if i < text.len() => {
                    let end = (i + 1 + pick.index(16)).min(text.len());
                    let copy = text[i..end].to_vec();
                    text.splice(i..i, copy);
                }
                _ => text.truncate(i),
            }
        }
        let text = String::from_utf8_lossy(&text).into_owned();
        let (p, d) = if which {
            (PolicyDocument::from_json(&text), DirectoryDocument::from_json(&directory))
        } else {
            (PolicyDocument::from_json(&policy), DirectoryDocument::from_json(&text))
        };
        match (p, d) {
            (Ok(p), Ok(d)) => {
                if let Err(e) = document::restore(&p, &d) {
                    prop_assert!(e.path().is_some() || e.position().is_some(), "{}", e);
                }
            }
            (Err(e), _) | (_, Err(e)) => {
                prop_assert!(e.path().is_some() || e.position().is_some(), "{}", e);
                prop_assert!(e.to_string().len() < 2_000);
            }
        }
    }

    /// Arbitrary text is refused (or, by chance, read) without a panic.
    #[test]
    fn arbitrary_text_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = PolicyDocument::from_json(&text);
        let _ = DirectoryDocument::from_json(&text);
    }
}

/// The generated states hold what the round trip is meant to carry, so
/// that its passing means something.
#[test]
fn generated_states_cover_what_documents_carry() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = raw_state();
    let (mut conditional, mut narrowed, mut custom_holders, mut members) = (0, 0, 0, 0);
    let (mut inactive, mut active_at, mut customers, mut allowed, mut checks) = (0, 0, 0, 0, 0);
    let mut counters_ahead = 0;
    for _ in 0..64 {
        let engine = build(&strategy.new_tree(&mut runner).unwrap().current());
        let snapshot = engine.snapshot();
        let policy = PolicyDocument::of(&snapshot);
        let directory = DirectoryDocument::of(&snapshot);
        for role in policy.roles() {
            conditional += role
                .rules
                .iter()
                .filter(|r| !r.conditions.is_empty())
                .count();
            narrowed += role
                .rules
                .iter()
                .filter(|r| !r.must_match.is_empty())
                .count();
        }
        for user in directory.users() {
            custom_holders += usize::from(user.role().index() >= SystemRole::ALL.len());
            members += usize::from(!user.teams().is_empty());
            inactive += usize::from(user.status() != UserStatus::Active);
            active_at += usize::from(user.last_active().is_some());
            customers += usize::from(user.customer().is_some());
        }
        let max_role = policy
            .roles()
            .iter()
            .map(|r| r.id.index() + 1)
            .max()
            .unwrap_or(6);
        counters_ahead += usize::from(policy.counters().next_role as usize > max_role);
        let users: Vec<UserId> = directory.users().iter().map(User::id).collect();
        let teams: Vec<TeamId> = directory.teams().iter().map(|t| t.id).collect();
        let d = decisions(&snapshot, &users, &teams);
        checks += d.len();
        allowed += d.iter().filter(|&&b| b).count();
    }
    for (what, n) in [
        ("rules with conditions", conditional),
        ("rules with must-match keys", narrowed),
        ("users holding custom roles", custom_holders),
        ("users in teams", members),
        ("users not active", inactive),
        ("users with activity", active_at),
        ("users with a customer", customers),
        ("role counters above every id", counters_ahead),
    ] {
        println!("{what}: {n}");
        assert!(n >= 10, "{what}: {n}");
    }
    let share = allowed as f64 / checks as f64;
    println!("{checks} checks, {share:.3} allowed");
    assert!(
        (0.02..0.9).contains(&share),
        "allowed share {share} of {checks}"
    );
}

// ---------------------------------------------------------------------------
// A fixed state, and refusals
// ---------------------------------------------------------------------------

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

fn fixture_documents() -> (String, String) {
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

fn policy_with(f: impl FnOnce(&mut Value)) -> String {
    edit(&fixture_documents().0, f)
}

fn directory_with(f: impl FnOnce(&mut Value)) -> String {
    edit(&fixture_documents().1, f)
}

/// The policy refused, with the place named first in the message.
#[track_caller]
fn policy_refused(json: &str, path: &str) -> DocumentError {
    let err = PolicyDocument::from_json(json).unwrap_err();
    assert_eq!(err.path(), Some(path), "{err}");
    assert!(err.to_string().starts_with(path), "{err}");
    assert!(err.to_string().len() < 1_000, "a short message");
    err
}

/// The directory refused, with the place named first in the message.
#[track_caller]
fn directory_refused(json: &str, path: &str) -> DocumentError {
    let err = DirectoryDocument::from_json(json).unwrap_err();
    assert_eq!(err.path(), Some(path), "{err}");
    assert!(err.to_string().starts_with(path), "{err}");
    assert!(err.to_string().len() < 1_000, "a short message");
    err
}

/// Both documents read, and restoring them refused at `path`.
#[track_caller]
fn restore_refused(policy: &str, directory: &str, path: &str) -> DocumentError {
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
fn json_refused(err: DocumentError, text: &str, at: &str, message: &str) {
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

const SMALL_POLICY: &str = r#"{
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

const SMALL_DIRECTORY: &str = r#"{
  "version": 1,
  "teams": [{ "id": 1, "organization": 1, "name": "Ops" }],
  "users": [
    { "id": 1, "organization": 1, "teams": [1], "role": 6, "status": "active" },
    { "id": 2, "organization": 1, "customer": 30, "teams": [], "role": 5, "status": "invited", "last_active": 1700000000000 }
  ]
}"#;

#[test]
fn small_documents_read_and_restore() {
    let policy = PolicyDocument::from_json(SMALL_POLICY).unwrap();
    let directory = DirectoryDocument::from_json(SMALL_DIRECTORY).unwrap();
    let engine = document::restore(&policy, &directory).unwrap();
    let catalog = engine.catalog();
    let status = catalog.attribute("status").unwrap();
    let read = catalog.action("read").unwrap();
    let docs = catalog.resource_type("docs").unwrap();
    let open = Resource::new(docs, ResourceId::new(1), ORGS[0])
        .with_team(TeamId::new(1))
        .with_attribute(status, "open");
    let closed = open.clone().with_attribute(status, "closed");
    assert!(engine.can_user(UserId::new(1), read, &open));
    assert!(!engine.can_user(UserId::new(1), read, &closed));
    let user = engine.snapshot().user(UserId::new(2)).unwrap();
    assert_eq!(user.status(), UserStatus::Invited);
    assert_eq!(user.customer(), Some(CustomerId::new(30)));
    assert_eq!(
        user.last_active(),
        Some(Timestamp::from_unix_millis(1_700_000_000_000))
    );
    // Written again in the canonical form, which reads back the same.
    let snapshot = engine.snapshot();
    let written = PolicyDocument::of(&snapshot);
    assert_eq!(written, policy);
    assert_eq!(DirectoryDocument::of(&snapshot), directory);
    assert_eq!(
        PolicyDocument::from_json(&written.to_json()).unwrap(),
        policy
    );
}

#[test]
fn reading_gives_the_canonical_form() {
    let loose = SMALL_POLICY
        .replacen("\"Reader\"", "\"  Reader \"", 1)
        .replacen("[\"team\"]", "[\"team\", \"organization\"]", 1)
        .replacen("status == \\\"open\\\"", "status==\\\"open\\\"  ", 1);
    assert_ne!(loose, SMALL_POLICY);
    let read = PolicyDocument::from_json(&loose).unwrap();
    assert_eq!(read, PolicyDocument::from_json(SMALL_POLICY).unwrap());
    assert_eq!(read.roles()[0].name, "Reader");
    assert_eq!(read.roles()[0].rules[0].must_match, MustMatch::TEAM);
    assert_eq!(read.roles()[0].rules[0].conditions, r#"status == "open""#);
    let directory =
        DirectoryDocument::from_json(&SMALL_DIRECTORY.replacen("\"Ops\"", "\" Ops  \"", 1))
            .unwrap();
    assert_eq!(directory.teams()[0].name, "Ops");
    let engine = document::restore(&read, &directory).unwrap();
    assert_eq!(PolicyDocument::of(&engine.snapshot()), read);
    assert_eq!(DirectoryDocument::of(&engine.snapshot()), directory);
}

#[test]
fn the_format_is_the_documented_one() {
    let (policy, directory) = fixture_documents();
    let policy: Value = serde_json::from_str(&policy).unwrap();
    assert_eq!(policy["version"], json!(VERSION));
    assert_eq!(
        policy["roles"][0],
        json!({
            "id": 6,
            "organization": 1,
            "name": "Editor",
            "rules": [
                { "resource": "workflows", "action": "read" },
                {
                    "resource": "workflows",
                    "action": "update",
                    "must_match": ["team"],
                    "conditions": "status != \"archived\" and priority <= 3"
                }
            ]
        })
    );
    assert_eq!(
        policy["catalog"]["resource_types"][2],
        json!({
            "name": "workflows",
            "builtin": false,
            "actions": ["create", "read", "update", "delete", "execute", "deploy_test", "deploy_prod"],
            "attributes": [
                { "name": "status", "type": "string" },
                { "name": "priority", "type": "integer" },
                { "name": "environment", "type": "string" }
            ]
        })
    );
    assert_eq!(
        policy["catalog"]["builtin_rules"],
        json!([
            { "resource": "profile", "action": "read", "must_match": ["owner"] },
            { "resource": "profile", "action": "update", "must_match": ["owner"] }
        ])
    );
    assert_eq!(policy["catalog"]["syncs"], json!([]));
    assert_eq!(
        policy["counters"],
        json!({ "next_role": 8, "next_team": 3 })
    );
    let directory: Value = serde_json::from_str(&directory).unwrap();
    assert_eq!(
        directory,
        json!({
            "version": 1,
            "teams": [
                { "id": 1, "organization": 1, "name": "Ops" },
                { "id": 2, "organization": 2, "name": "Sales" }
            ],
            "users": [
                { "id": 1, "organization": 1, "teams": [1], "role": 0, "status": "active" },
                { "id": 2, "organization": 1, "teams": [1], "role": 6, "status": "active" },
                { "id": 3, "organization": 2, "customer": 30, "teams": [2], "role": 7, "status": "active" },
                { "id": 4, "organization": 2, "teams": [], "role": 4, "status": "suspended" }
            ]
        })
    );
}

#[test]
fn declared_syncs_survive_a_round_trip() {
    let catalog = Catalog::builder()
        .resource_type("content", ["read", "update"])
        .resource_type("attachments", ["read", "update", "delete"])
        .resource_type("thumbnails", ["read", "update", "delete"])
        .attribute("content", "locale", AttrType::String)
        .attribute("attachments", "locale", AttrType::String)
        .attribute("thumbnails", "locale", AttrType::String)
        .attribute("thumbnails", "public", AttrType::Boolean)
        .sync("attachments", "thumbnails")
        .sync("content", "attachments")
        .builtin_resource_type("profile", ["read", "update"])
        .builtin_rule("profile", "read", MustMatch::OWNER, "")
        .build()
        .unwrap();
    let update = Rule::builder(&catalog, "content", "update")
        .conditions(r#"locale == "fr""#)
        .build()
        .unwrap();
    let engine = Engine::new(catalog.clone());
    let editor = engine
        .bootstrap()
        .create_role(ORGS[0], "Editor", [update])
        .unwrap();
    engine
        .bootstrap()
        .add_user(User::new(UserId::new(1), ORGS[0], editor))
        .unwrap();
    let snapshot = engine.snapshot();
    let policy = PolicyDocument::from_json(&PolicyDocument::of(&snapshot).to_json()).unwrap();
    let directory =
        DirectoryDocument::from_json(&DirectoryDocument::of(&snapshot).to_json()).unwrap();
    let rebuilt = policy.catalog().unwrap();
    let names = |c: &Catalog| -> Vec<(String, String)> {
        c.syncs()
            .iter()
            .map(|&(f, t)| {
                (
                    c.resource_type_name(f).unwrap().to_owned(),
                    c.resource_type_name(t).unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        names(&rebuilt),
        [
            ("attachments".to_owned(), "thumbnails".to_owned()),
            ("content".to_owned(), "attachments".to_owned())
        ]
    );
    assert_eq!(rebuilt.fingerprint(), catalog.fingerprint());
    let restored = document::restore(&policy, &directory).unwrap();
    let c = restored.catalog();
    let locale = c.attribute("locale").unwrap();
    let update = c.action("update").unwrap();
    for ty in ["content", "attachments", "thumbnails"] {
        let fr = Resource::new(c.resource_type(ty).unwrap(), ResourceId::new(1), ORGS[0])
            .with_attribute(locale, "fr");
        assert!(
            restored.can_user(UserId::new(1), update, &fr),
            "synced to {ty}"
        );
        assert!(engine.can_user(UserId::new(1), update, &fr));
    }

    // The content platform's syncs as well.
    let engine = Engine::new(Catalog::content_platform());
    let policy = PolicyDocument::of(&engine.snapshot());
    let read = PolicyDocument::from_json(&policy.to_json()).unwrap();
    assert_eq!(
        names(&read.catalog().unwrap()),
        names(&Catalog::content_platform())
    );
    assert_eq!(
        read.catalog().unwrap().fingerprint(),
        Catalog::content_platform().fingerprint()
    );
}

#[test]
fn an_empty_engine_round_trips() {
    let engine = Engine::new(Catalog::standard());
    let snapshot = engine.snapshot();
    let policy = PolicyDocument::from_json(&PolicyDocument::of(&snapshot).to_json()).unwrap();
    let directory =
        DirectoryDocument::from_json(&DirectoryDocument::of(&snapshot).to_json()).unwrap();
    assert!(policy.roles().is_empty() && directory.users().is_empty());
    let restored = document::restore(&policy, &directory).unwrap();
    assert_eq!(restored.snapshot().roles(ORGS[0]).len(), 6);
    assert_eq!(
        DirectoryDocument::of(&restored.snapshot()).to_json(),
        "{\n  \"version\": 1,\n  \"teams\": [],\n  \"users\": []\n}\n"
    );
}

#[test]
fn wrong_types_are_refused_with_their_line_and_column() {
    for (from, to, at, message) in [
        (
            r#""version": 1"#,
            r#""version": "1""#,
            r#""version": "1""#,
            "invalid type: string \"1\"",
        ),
        (
            r#""version": 1"#,
            r#""version": -1"#,
            r#""version": -1"#,
            "invalid value: integer `-1`",
        ),
        (
            r#""version": 1"#,
            r#""version": null"#,
            r#""version": null"#,
            "invalid type: null",
        ),
        (
            r#""id": 6"#,
            r#""id": "six""#,
            r#""id": "six""#,
            "invalid type: string \"six\"",
        ),
        (
            r#""id": 6"#,
            r#""id": 6.5"#,
            r#""id": 6.5"#,
            "invalid type: floating point",
        ),
        (
            r#""id": 6"#,
            r#""id": 99999999999"#,
            r#""id": 99999999999"#,
            "role id 99999999999 is out of range",
        ),
        (
            r#""must_match": ["team"]"#,
            r#""must_match": "team""#,
            r#""must_match": "team""#,
            "invalid type: string \"team\"",
        ),
        (
            r#""must_match": ["team"]"#,
            r#""must_match": ["teams"]"#,
            r#""must_match": ["teams"]"#,
            "unknown must-match key \"teams\"",
        ),
        (
            r#""actions": ["read", "update"]"#,
            r#""actions": "read""#,
            r#""actions": "read""#,
            "invalid type: string \"read\"",
        ),
        (
            r#""builtin": false"#,
            r#""builtin": "no""#,
            r#""builtin": "no""#,
            "invalid type: string \"no\"",
        ),
        // A value read whole and then refused is placed where the parser
        // stands, here past the end of its object.
        (
            r#""type": "string""#,
            r#""type": "float""#,
            r#""type": "float" }"#,
            "unknown attribute type \"float\"",
        ),
        (
            r#""next_team": 2"#,
            r#""next_team": true"#,
            r#""next_team": true"#,
            "invalid type: boolean `true`",
        ),
        (
            r#""catalog": {"#,
            r#""catalog": 5, "x": {"#,
            r#""catalog": 5"#,
            "invalid type: integer `5`",
        ),
    ] {
        let text = SMALL_POLICY.replacen(from, to, 1);
        assert_ne!(text, SMALL_POLICY, "{from}");
        json_refused(
            PolicyDocument::from_json(&text).unwrap_err(),
            &text,
            at,
            message,
        );
    }
    for (from, to, at, message) in [
        (
            r#""status": "active""#,
            r#""status": 7"#,
            r#""status": 7"#,
            "invalid type: integer `7`",
        ),
        (
            r#""status": "active""#,
            r#""status": "retired""#,
            r#""status": "retired" }"#,
            "unknown status \"retired\"",
        ),
        // An object or a list where another value belongs is placed just
        // before it.
        (
            r#""teams": [1]"#,
            r#""teams": {"a": 1}"#,
            r#""organization": 1, "teams": "#,
            "invalid type: map",
        ),
        (
            r#""teams": [1]"#,
            r#""teams": [-1]"#,
            r#""teams": [-1"#,
            "invalid value: integer `-1`",
        ),
        (
            r#""customer": 30"#,
            r#""customer": "30""#,
            r#""customer": "30""#,
            "invalid type: string \"30\"",
        ),
        (
            r#""last_active": 1700000000000"#,
            r#""last_active": 1e400"#,
            r#""last_active": 1e400"#,
            "number out of range",
        ),
        (
            r#""name": "Ops""#,
            r#""name": ["Ops"]"#,
            r#""name": "#,
            "invalid type: sequence",
        ),
    ] {
        let text = SMALL_DIRECTORY.replacen(from, to, 1);
        assert_ne!(text, SMALL_DIRECTORY, "{from}");
        json_refused(
            DirectoryDocument::from_json(&text).unwrap_err(),
            &text,
            at,
            message,
        );
    }
}

#[test]
fn unknown_fields_are_refused_with_their_line_and_column() {
    for (after, what) in [
        ("\"version\": 1,", "the document"),
        ("\"catalog\": {", "the catalog"),
        ("{ \"name\": \"docs\",", "a resource type"),
        ("{ \"name\": \"status\",", "an attribute"),
        ("{ \"id\": 6,", "a role"),
        ("{ \"resource\": \"docs\",", "a rule"),
        ("\"counters\": {", "the counters"),
    ] {
        let text = SMALL_POLICY.replacen(after, &format!("{after} \"extra\": 1,"), 1);
        assert_ne!(text, SMALL_POLICY, "{what}");
        let err = PolicyDocument::from_json(&text).unwrap_err();
        json_refused(err, &text, "\"extra\"", "unknown field `extra`");
    }
    let text = SMALL_POLICY.replacen(
        "\"syncs\": []",
        "\"syncs\": [{\"from\": \"docs\", \"to\": \"docs\", \"extra\": 1}]",
        1,
    );
    json_refused(
        PolicyDocument::from_json(&text).unwrap_err(),
        &text,
        "\"extra\"",
        "unknown field `extra`",
    );
    for after in [
        "\"version\": 1,",
        "{ \"id\": 1,",
        "{ \"id\": 1, \"organization\": 1, \"teams\": [1],",
    ] {
        let text = SMALL_DIRECTORY.replacen(after, &format!("{after} \"extra\": 1,"), 1);
        assert_ne!(text, SMALL_DIRECTORY);
        json_refused(
            DirectoryDocument::from_json(&text).unwrap_err(),
            &text,
            "\"extra\"",
            "unknown field `extra`",
        );
    }
    // A misspelt field is an unknown one too, and a missing one is named.
    let text = SMALL_DIRECTORY.replacen("\"teams\": [{", "\"team\": [{", 1);
    json_refused(
        DirectoryDocument::from_json(&text).unwrap_err(),
        &text,
        "\"team\"",
        "unknown field `team`",
    );
    let err = PolicyDocument::from_json(r#"{"version": 1}"#).unwrap_err();
    assert!(
        matches!(&err, DocumentError::Json { message, .. } if message.contains("missing field `catalog`")),
        "{err}"
    );
    let err = DirectoryDocument::from_json(r#"{"teams": []}"#).unwrap_err();
    assert!(
        matches!(&err, DocumentError::Json { message, .. } if message.contains("missing field `version`")),
        "{err}"
    );
    // A field given twice.
    let text = SMALL_DIRECTORY.replacen("\"teams\": [{", "\"teams\": [], \"teams\": [{", 1);
    let err = DirectoryDocument::from_json(&text).unwrap_err();
    assert!(
        matches!(&err, DocumentError::Json { message, .. } if message.contains("duplicate field `teams`")),
        "{err}"
    );
}

#[test]
fn unknown_versions_are_refused() {
    for version in [0, 2, 3, u64::MAX] {
        let text = SMALL_POLICY.replacen("\"version\": 1", &format!("\"version\": {version}"), 1);
        let err = PolicyDocument::from_json(&text).unwrap_err();
        assert_eq!(
            err,
            DocumentError::Version {
                found: version,
                supported: VERSION
            }
        );
        assert_eq!(err.path(), Some("version"));
        assert_eq!(
            err.to_string(),
            format!(
                "version: unsupported document version {version}; this version of rolegate reads version 1"
            )
        );
        let text =
            SMALL_DIRECTORY.replacen("\"version\": 1", &format!("\"version\": {version}"), 1);
        assert!(matches!(
            DirectoryDocument::from_json(&text),
            Err(DocumentError::Version { found, .. }) if found == version
        ));
    }
    // A document of another version is refused as such whatever else it
    // holds, and wherever its version stands.
    let err = DirectoryDocument::from_json(r#"{"people": {"a": [1]}, "version": 2}"#).unwrap_err();
    assert!(
        matches!(err, DocumentError::Version { found: 2, .. }),
        "{err}"
    );
    let err = PolicyDocument::from_json(r#"{"version": 2, "catalog": "v2 catalogs are strings"}"#)
        .unwrap_err();
    assert!(
        matches!(err, DocumentError::Version { found: 2, .. }),
        "{err}"
    );
}

#[test]
fn text_that_is_not_a_document_is_refused_with_a_position() {
    for text in [
        "",
        "   ",
        "null",
        "[]",
        "1",
        "\"policy\"",
        "{",
        "{\"version\": 1,}",
        "{\"version\": 1} trailing",
        "{\"version\": 1, \"teams\": [], \"users\": []}{}",
        "\u{feff}{\"version\": 1}",
        "{\"version\": 1, \"teams\": [], \"users\": [] /* comment */}",
    ] {
        for err in [
            PolicyDocument::from_json(text).unwrap_err(),
            DirectoryDocument::from_json(text).unwrap_err(),
        ] {
            let (line, column) = err.position().unwrap_or_else(|| panic!("{text:?}: {err}"));
            assert!(line >= 1, "{text:?}: {err}");
            assert!(
                err.to_string()
                    .starts_with(&format!("line {line}, column {column}: "))
            );
        }
    }
}

#[test]
fn documents_over_the_size_limit_are_refused_before_parsing() {
    assert_eq!(MAX_DOCUMENT_BYTES, 64 * 1024 * 1024);
    let mut text = String::with_capacity(MAX_DOCUMENT_BYTES + 1);
    text.push_str(SMALL_DIRECTORY);
    text.push_str(&" ".repeat(MAX_DOCUMENT_BYTES + 1 - SMALL_DIRECTORY.len()));
    let expected = DocumentError::TooLarge {
        size: MAX_DOCUMENT_BYTES + 1,
        limit: MAX_DOCUMENT_BYTES,
    };
    assert_eq!(DirectoryDocument::from_json(&text).unwrap_err(), expected);
    assert_eq!(PolicyDocument::from_json(&text).unwrap_err(), expected);
    // At the limit exactly, the document is read.
    text.pop();
    assert!(DirectoryDocument::from_json(&text).is_ok());
}

#[test]
fn huge_strings_are_refused_with_short_messages() {
    let huge = "x".repeat(10 * 1024 * 1024);

    // A 10 MB role name.
    let text = policy_with(|v| v["roles"][1]["name"] = json!(huge));
    let err = policy_refused(&text, "roles[1].name");
    assert!(
        matches!(
            &err,
            DocumentError::RoleName { source: RoleError::NameTooLong { length, .. }, .. } if *length == huge.len()
        ),
        "{err:?}"
    );

    // A 10 MB team name.
    let text = directory_with(|v| v["teams"][0]["name"] = json!(huge));
    directory_refused(&text, "teams[0].name");

    // 10 MB names of a resource type and of an action.
    let text = policy_with(|v| v["roles"][0]["rules"][1]["resource"] = json!(huge));
    let err = policy_refused(&text, "roles[0].rules[1]");
    assert!(matches!(
        &err,
        DocumentError::Rule {
            source: RuleError::Name(NameError::UnknownResourceType { .. }),
            ..
        }
    ));
    let text = policy_with(|v| v["roles"][0]["rules"][0]["action"] = json!(huge));
    policy_refused(&text, "roles[0].rules[0]");

    // 10 MB of condition text that does not parse, and a valid condition
    // on a 10 MB string, which reads.
    let text = policy_with(|v| {
        v["roles"][0]["rules"][0]["conditions"] = json!(format!("status == {huge}"))
    });
    let err = policy_refused(&text, "roles[0].rules[0]");
    assert!(matches!(
        &err,
        DocumentError::Rule {
            source: RuleError::Condition(_),
            ..
        }
    ));
    let text = policy_with(|v| {
        v["roles"][0]["rules"][0]["conditions"] = json!(format!("status == \"{huge}\""))
    });
    assert!(PolicyDocument::from_json(&text).is_ok());

    // 10 MB in the catalog: a type's name, an action, an attribute.
    let text = policy_with(|v| v["catalog"]["resource_types"][0]["name"] = json!(huge));
    let err = policy_refused(&text, "catalog");
    assert!(matches!(
        &err,
        DocumentError::Catalog {
            source: CatalogError::InvalidName { .. }
        }
    ));
    let text = policy_with(|v| v["catalog"]["resource_types"][0]["actions"][0] = json!(huge));
    policy_refused(&text, "catalog");

    // 10 MB where the parser expects something else: the message quotes
    // only the start of it.
    for text in [
        SMALL_DIRECTORY.replacen(
            "\"status\": \"active\"",
            &format!("\"status\": \"{huge}\""),
            1,
        ),
        SMALL_DIRECTORY.replacen("\"id\": 1,", &format!("\"id\": \"{huge}\","), 1),
        SMALL_DIRECTORY.replacen("\"id\": 1,", &format!("\"{huge}\": 1, \"id\": 1,"), 1),
        SMALL_POLICY.replacen(
            "\"must_match\": [\"team\"]",
            &format!("\"must_match\": [\"{huge}\"]"),
            1,
        ),
        SMALL_POLICY.replacen(
            "\"version\": 1",
            &format!("\"version\": 1, \"{huge}\": 1"),
            1,
        ),
    ] {
        let err = PolicyDocument::from_json(&text)
            .err()
            .or_else(|| DirectoryDocument::from_json(&text).err())
            .unwrap();
        assert!(err.position().is_some(), "{err}");
        assert!(
            err.to_string().len() < 1_000,
            "{} bytes",
            err.to_string().len()
        );
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    const DEPTH: usize = 100_000;
    let arrays = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let objects = format!("{}1{}", "{\"a\":".repeat(DEPTH), "}".repeat(DEPTH));
    let open = "[".repeat(DEPTH);
    for nested in [&arrays, &objects, &open] {
        let texts = [
            nested.clone(),
            format!("{{\"version\": 1, \"extra\": {nested}}}"),
            format!("{{\"extra\": {nested}, \"version\": 1}}"),
            format!("{{\"version\": {nested}}}"),
            SMALL_POLICY.replacen("\"roles\": [", &format!("\"roles\": [{nested}, "), 1),
            SMALL_POLICY.replacen("\"syncs\": []", &format!("\"syncs\": {nested}"), 1),
            SMALL_POLICY.replacen(
                "\"conditions\": ",
                &format!("\"conditions\": {nested}, \"x\": "),
                1,
            ),
            SMALL_DIRECTORY.replacen("\"teams\": [1]", &format!("\"teams\": [{nested}]"), 1),
            SMALL_DIRECTORY.replacen("\"users\": [", &format!("\"users\": [{nested}, "), 1),
        ];
        for text in &texts {
            for err in [
                PolicyDocument::from_json(text).unwrap_err(),
                DirectoryDocument::from_json(text).unwrap_err(),
            ] {
                assert!(err.position().is_some(), "{err}");
                assert!(err.to_string().len() < 1_000);
            }
        }
    }
}

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

#[test]
fn a_stored_state_opens_on_any_store() {
    let (policy, directory) = fixture_documents();
    let policy = PolicyDocument::from_json(&policy).unwrap();
    let directory = DirectoryDocument::from_json(&directory).unwrap();
    let state = document::stored_state(&policy, &directory).unwrap();
    assert_eq!(state.roles, policy.roles());
    assert_eq!(state.teams, directory.teams());
    assert_eq!(state.users, directory.users());
    let store = std::sync::Arc::new(rolegate::store::MemoryStore::with_state(state));
    let engine = Engine::builder(policy.catalog().unwrap())
        .open(std::sync::Arc::clone(&store))
        .unwrap();
    let spec = &engine.snapshot().stored_state().roles[0].rules[1];
    assert_eq!(
        RuleSpec {
            must_match: spec.must_match - MustMatch::ORGANIZATION,
            ..spec.clone()
        },
        policy.roles()[0].rules[1]
    );
    // Changes go on from there, through the store.
    let team = engine.bootstrap().create_team(ORGS[0], "New").unwrap();
    assert_eq!(team, TeamId::new(3));
    let again = Engine::builder(Catalog::standard()).open(store).unwrap();
    assert!(again.snapshot().team(team).is_some());
}
