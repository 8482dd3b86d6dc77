//! The scenarios every store must pass, generic over the store: the
//! memory store's tests and the SQLite store's run the same ones.

use std::thread;

use rolegate::audit::{AuditQuery, Outcome};
use rolegate::engine::GuardError;
use rolegate::store::Store;
use rolegate::{AdminError, Engine, OrgId, SystemRole, TeamId, User, UserId};

use crate::faulty::Faulty;
use crate::ops;
use crate::world::{ACME, Built, GLOBEX, audit, fingerprint, populate};

/// Makes every operation fail once at the store, then succeed.
pub fn every_call_survives_a_failed_commit<S: Store + 'static>(engine: &Engine, store: &Faulty<S>) {
    let built = populate(engine);
    for (action, op) in ops::all(&built) {
        let before = fingerprint(engine);
        let stored = store.load().unwrap();
        let revision = engine.revision();
        store.fail_next();
        let err = op(engine).unwrap_err();
        match &err {
            AdminError::Store(e) => {
                let chained = std::error::Error::source(e).map(ToString::to_string);
                assert_eq!(chained.as_deref(), Some("connection reset"), "{action}");
            }
            other => panic!("{action}: expected a store error, got {other:?}"),
        }
        assert_eq!(
            fingerprint(engine),
            before,
            "{action}: decisions and listings unchanged"
        );
        assert_eq!(
            store.load().unwrap(),
            stored,
            "{action}: the store unchanged"
        );
        assert_eq!(engine.revision(), revision, "{action}");
        let newest = &engine
            .audit()
            .query(&AuditQuery::new().limit(1))
            .unwrap()
            .events[0];
        assert_eq!(newest.action(), action);
        assert_eq!(newest.outcome(), Outcome::Failure, "{action}");
        assert!(
            newest.reason().unwrap().contains("injected failure"),
            "{action}: {:?}",
            newest.reason()
        );
        // The same call goes through once the store is back.
        op(engine).unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(engine.revision(), revision.next(), "{action}");
        let newest = &engine
            .audit()
            .query(&AuditQuery::new().limit(1))
            .unwrap()
            .events[0];
        assert_eq!(
            (newest.action(), newest.outcome()),
            (action, Outcome::Success)
        );
    }
}

/// Builds the state on an engine `open` makes, drops it, makes a second
/// one and compares; new ids continue above every id seen, deleted ones
/// included. With `audit_survives`, the audit trail is compared too.
pub fn reopened_engines_answer_alike(open: impl Fn() -> Engine, audit_survives: bool) {
    let engine = open();
    let built: Built = populate(&engine);
    let before = fingerprint(&engine);
    let trail = audit(&engine);
    let revision = engine.revision();
    drop(engine);

    let engine = open();
    assert_eq!(engine.revision(), revision);
    assert_eq!(fingerprint(&engine), before);
    if audit_survives {
        assert_eq!(audit(&engine), trail);
    }

    // New ids continue above every id handed out, deleted ones included.
    let boot = engine.bootstrap();
    let role = boot.create_role(ACME, "After Reopen", []).unwrap();
    let seen_roles = ["Marketing Editor", "Release Manager", "Auditor"]
        .iter()
        .filter_map(|n| engine.snapshot().policy().role_named(ACME, n))
        .chain([built.deleted_role, built.editor]);
    for old in seen_roles {
        assert!(role > old, "{role} after {old}");
    }
    let team = boot.create_team(GLOBEX, "After Reopen").unwrap();
    assert!(team > TeamId::new(900), "{team}");
    assert!(team > built.deleted_team);
    assert!(built.teams.iter().all(|t| team > *t));
}

/// Two engines made by `open` on one store, each creating `n` roles and teams
/// from its own thread; afterwards both hold all of them, alike.
pub fn two_writers_lose_nothing(open: impl Fn() -> Engine, n: usize) {
    let one = open();
    let two = open();
    let org = OrgId::new(1);
    thread::scope(|s| {
        for (name, engine) in [("one", &one), ("two", &two)] {
            s.spawn(move || {
                for i in 0..n {
                    engine
                        .bootstrap()
                        .create_role(org, &format!("{name} role {i}"), [])
                        .unwrap();
                    engine
                        .bootstrap()
                        .create_team(org, &format!("{name} team {i}"))
                        .unwrap();
                }
            });
        }
    });
    one.refresh().unwrap();
    two.refresh().unwrap();
    assert_eq!(one.revision(), two.revision());
    assert_eq!(one.revision().get(), 4 * n as u64);
    assert_eq!(fingerprint(&one), fingerprint(&two));
    let snapshot = one.snapshot();
    assert_eq!(snapshot.roles(org).len(), 6 + 2 * n);
    assert_eq!(snapshot.teams(org).len(), 2 * n);
    // Every id once.
    let mut ids: Vec<_> = snapshot.roles(org).iter().map(|r| r.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 6 + 2 * n);
    // A third engine opened now loads the same state.
    let three = open();
    assert_eq!(fingerprint(&three), fingerprint(&one));
}

/// Two Owners, each on their own engine, demote each other at once: one
/// call is validated against a state that no longer holds, so exactly one
/// succeeds and the organization keeps an active Owner.
pub fn the_last_owner_survives_two_writers(open: impl Fn() -> Engine) {
    let org = OrgId::new(1);
    let (a, b) = (UserId::new(1), UserId::new(2));
    let setup = open();
    for u in [a, b] {
        setup
            .bootstrap()
            .add_user(User::new(u, org, SystemRole::Owner.id()))
            .unwrap();
    }
    let one = open();
    let two = open();
    let results = thread::scope(|s| {
        let first = s.spawn(|| one.admin(a).assign_role(b, SystemRole::Viewer.id()));
        let second = s.spawn(|| two.admin(b).assign_role(a, SystemRole::Viewer.id()));
        [first.join().unwrap(), second.join().unwrap()]
    });
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{results:?}");
    for r in &results {
        if let Err(e) = r {
            assert!(
                matches!(
                    e,
                    AdminError::Denied(
                        GuardError::MissingPermission { .. }
                            | GuardError::OwnerOnly
                            | GuardError::LastOwner { .. }
                    )
                ),
                "{e:?}"
            );
        }
    }
    one.refresh().unwrap();
    let owners = one
        .snapshot()
        .people(
            org,
            &rolegate::directory::PeopleFilter::new().role(SystemRole::Owner.id()),
        )
        .len();
    assert_eq!(owners, 1);
}

/// A follower that catches up from the store after each call of a leader
/// answers exactly as the leader: the leader applies each change directly,
/// the follower through the store's record of it.
pub fn followers_apply_every_call_alike(open: impl Fn() -> Engine) {
    let leader = open();
    let follower = open();
    let built = populate(&leader);
    follower.refresh().unwrap();
    assert_eq!(fingerprint(&follower), fingerprint(&leader));
    for (action, op) in ops::all(&built) {
        op(&leader).unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(follower.refresh().unwrap(), leader.revision(), "{action}");
        assert_eq!(fingerprint(&follower), fingerprint(&leader), "{action}");
    }
}
