//! The scenarios every store passes, on a SQLite file.

use std::path::Path;
use std::sync::Arc;

use rolegate::audit::AuditLog;
use rolegate::{Catalog, Engine};
use rolegate_sqlite::{Durability, SqliteSink, SqliteStore};

use crate::dir::TempDir;
use crate::faulty::Faulty;
use crate::scenarios::{
    every_call_survives_a_failed_commit, followers_apply_every_call_alike,
    reopened_engines_answer_alike, the_last_owner_survives_two_writers, two_writers_lose_nothing,
};

/// An engine on the file, its audit trail in the same file.
fn open(path: &Path) -> Engine {
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(
        SqliteSink::open(path, Durability::Strict).unwrap(),
    ));
    builder.open(SqliteStore::open(path).unwrap()).unwrap()
}

#[test]
fn an_engine_reopened_on_the_file_answers_alike_audit_included() {
    let dir = TempDir::new("reopen");
    let path = dir.file("state.db");
    reopened_engines_answer_alike(|| open(&path), true);
}

#[test]
fn every_administrative_call_the_file_fails_changes_nothing_and_is_recorded() {
    let dir = TempDir::new("faults");
    let path = dir.file("state.db");
    let store = Arc::new(Faulty::new(SqliteStore::open(&path).unwrap()));
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(
        SqliteSink::open(&path, Durability::Strict).unwrap(),
    ));
    let engine = builder.open(Arc::clone(&store)).unwrap();
    every_call_survives_a_failed_commit(&engine, &store);
}

#[test]
fn two_engines_on_one_file_lose_nothing() {
    let dir = TempDir::new("writers");
    let path = dir.file("state.db");
    two_writers_lose_nothing(|| open(&path), 40);
}

#[test]
fn two_engines_on_one_file_keep_the_last_owner() {
    for i in 0..5 {
        let dir = TempDir::new(&format!("owners{i}"));
        let path = dir.file("state.db");
        the_last_owner_survives_two_writers(|| open(&path));
    }
}

#[test]
fn the_batched_sink_keeps_the_same_trail() {
    let dir = TempDir::new("batched");
    let path = dir.file("state.db");
    let batched = || {
        let mut builder = Engine::builder(Catalog::standard());
        builder.audit(AuditLog::new(
            SqliteSink::open(
                &path,
                Durability::Batched {
                    max_events: 64,
                    max_delay: std::time::Duration::from_millis(5),
                },
            )
            .unwrap(),
        ));
        builder.open(SqliteStore::open(&path).unwrap()).unwrap()
    };
    reopened_engines_answer_alike(batched, true);
}

#[test]
fn a_follower_on_the_file_applies_every_call_alike() {
    let dir = TempDir::new("follower");
    let path = dir.file("state.db");
    followers_apply_every_call_alike(|| open(&path));
}
