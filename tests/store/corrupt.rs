//! A store that hands back what does not hold together: refused, with the
//! last good state kept whole.

use std::sync::Arc;

use rolegate::store::{Commit, Effect, MemoryStore, Store, StoreErrorKind};
use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, TeamId, User, UserId};

use crate::world::fingerprint;

fn engine_on(store: &Arc<MemoryStore>) -> Engine {
    Engine::builder(Catalog::standard())
        .open(Arc::clone(store))
        .unwrap()
}

#[test]
fn a_commit_deleting_what_cannot_be_deleted_is_refused_on_catch_up() {
    let org = OrgId::new(1);
    let cases: [fn(rolegate::RoleId) -> Effect; 4] = [
        |_| Effect::DeleteRole(SystemRole::Owner.id()),
        Effect::DeleteRole,
        |_| Effect::DeleteUser(UserId::new(99)),
        |_| Effect::DeleteTeam(TeamId::new(99)),
    ];
    for (n, case) in cases.iter().enumerate() {
        let store = Arc::new(MemoryStore::new());
        let engine = engine_on(&store);
        engine
            .bootstrap()
            .add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))
            .unwrap();
        let held = engine.bootstrap().create_role(org, "Held", []).unwrap();
        engine
            .bootstrap()
            .add_user(User::new(UserId::new(2), org, held))
            .unwrap();
        let before = fingerprint(&engine);
        let revision = engine.revision();
        // Another writer commits what does not hold together.
        let state = store.load().unwrap();
        store
            .commit(&Commit {
                base: state.revision,
                effects: vec![case(held)],
                counters: state.counters,
            })
            .unwrap();
        let err = engine.refresh().unwrap_err();
        assert_eq!(err.kind(), StoreErrorKind::Corrupt, "case {n}: {err}");
        assert_eq!(engine.revision(), revision, "case {n}: the last good state");
        assert_eq!(fingerprint(&engine), before, "case {n}");
        // An administrative call refuses to build on it too.
        let err = engine.bootstrap().create_team(org, "After").unwrap_err();
        assert!(matches!(err, AdminError::Store(_)), "case {n}: {err:?}");
        assert_eq!(fingerprint(&engine), before, "case {n}");
    }
}

#[test]
fn team_ids_that_ran_out_are_refused_not_given_to_a_second_team() {
    let engine = Engine::new(Catalog::standard());
    let org = OrgId::new(1);
    let boot = engine.bootstrap();
    boot.create_team_with_id(org, TeamId::new(u64::MAX), "Ops")
        .unwrap();
    let err = boot.create_team(org, "Dev").unwrap_err();
    assert!(matches!(err, AdminError::TeamIdUsed { .. }), "{err:?}");
    let err = boot
        .create_team_with_id(org, TeamId::new(u64::MAX), "Web")
        .unwrap_err();
    assert!(matches!(err, AdminError::TeamIdUsed { .. }), "{err:?}");
    let teams = engine.snapshot().teams(org);
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].name, "Ops");
}
