//! The scenarios every store passes, on PostgreSQL.

use std::sync::Arc;

use rolegate::audit::AuditLog;
use rolegate::store::{Revision, Store};
use rolegate::{Catalog, Engine, OrgId};
use rolegate_postgres::{PostgresSink, PostgresStore, SCHEMA_VERSION};

use crate::db::database;
use crate::faulty::Faulty;
use crate::scenarios::{
    every_call_survives_a_failed_commit, followers_apply_every_call_alike,
    reopened_engines_answer_alike, the_last_owner_survives_two_writers, two_writers_lose_nothing,
};

#[test]
fn an_engine_reopened_on_the_database_answers_alike_audit_included() {
    let Some(db) = database("reopen") else { return };
    reopened_engines_answer_alike(|| db.engine("a"), true);
}

#[test]
fn every_administrative_call_the_database_fails_changes_nothing_and_is_recorded() {
    let Some(db) = database("faults") else { return };
    let store = Arc::new(Faulty::new(
        PostgresStore::with_config(db.config("a")).unwrap(),
    ));
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(
        PostgresSink::with_config(db.config("a")).unwrap(),
    ));
    let engine = builder.open(Arc::clone(&store)).unwrap();
    every_call_survives_a_failed_commit(&engine, &store);
}

#[test]
fn two_engines_on_one_database_lose_nothing() {
    let Some(db) = database("writers") else {
        return;
    };
    two_writers_lose_nothing(|| db.engine("a"), 40);
}

#[test]
fn two_engines_on_one_database_keep_the_last_owner() {
    for i in 0..5 {
        let Some(db) = database(&format!("owners{i}")) else {
            return;
        };
        the_last_owner_survives_two_writers(|| db.engine("a"));
    }
}

#[test]
fn a_follower_on_the_database_applies_every_call_alike() {
    let Some(db) = database("follower") else {
        return;
    };
    followers_apply_every_call_alike(|| db.engine("a"));
}

#[test]
fn the_schema_is_versioned_and_a_newer_one_is_refused() {
    let Some(db) = database("schema") else { return };
    let store = PostgresStore::with_config(db.config("a")).unwrap();
    assert_eq!(store.load().unwrap().revision, Revision::ZERO);
    let mut client = db.client();
    let version: i32 = client
        .query_one("SELECT version FROM rolegate_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, SCHEMA_VERSION);
    // Connecting again migrates nothing twice.
    let engine = Engine::builder(Catalog::standard())
        .open(PostgresStore::with_config(db.config("b")).unwrap())
        .unwrap();
    engine
        .bootstrap()
        .create_team(OrgId::new(1), "Ops")
        .unwrap();
    assert_eq!(store.head().unwrap(), Revision::new(1));
    client
        .execute(
            "UPDATE rolegate_schema SET version = $1",
            &[&(SCHEMA_VERSION + 1)],
        )
        .unwrap();
    let err = PostgresStore::with_config(db.config("c")).unwrap_err();
    assert!(err.to_string().contains("schema version"), "{err}");
}

#[test]
fn a_commit_on_an_old_revision_is_a_conflict_and_writes_nothing() {
    let Some(db) = database("conflict") else {
        return;
    };
    let one = db.engine("a");
    let store = PostgresStore::with_config(db.config("b")).unwrap();
    one.bootstrap().create_team(OrgId::new(1), "Ops").unwrap();
    let stale = rolegate::store::Commit {
        base: Revision::ZERO,
        effects: vec![],
        counters: Default::default(),
    };
    let err = store.commit(&stale).unwrap_err();
    assert_eq!(err.kind(), rolegate::store::StoreErrorKind::Conflict);
    assert_eq!(store.head().unwrap(), Revision::new(1));
    assert_eq!(store.commits_since(Revision::ZERO).unwrap().len(), 1);
}
