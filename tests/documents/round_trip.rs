//! Round trips: states written, read back and restored decide, list and write alike.

use proptest::prelude::*;
use rolegate::catalog::{AttrType, RuleSpec};
use rolegate::directory::Timestamp;
use rolegate::document::{self, DirectoryDocument, PolicyDocument};
use rolegate::{
    Catalog, CustomerId, Engine, MustMatch, Resource, ResourceId, Rule, SystemRole, TeamId, User,
    UserId, UserStatus,
};

use crate::compare::{decisions, listings};
use crate::fixture::{ORGS, SMALL_DIRECTORY, SMALL_POLICY, fixture_documents};
use crate::strategy::{build, raw_state};

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
    assert!(engine.can(UserId::new(1), read, &open));
    assert!(!engine.can(UserId::new(1), read, &closed));
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
        assert!(restored.can(UserId::new(1), update, &fr), "synced to {ty}");
        assert!(engine.can(UserId::new(1), update, &fr));
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
