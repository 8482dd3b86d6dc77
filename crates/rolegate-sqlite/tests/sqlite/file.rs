//! The file itself: its schema version, WAL, and an index behind every
//! audit filter.

use rusqlite::Connection;

use rolegate::store::StoreErrorKind;
use rolegate_sqlite::{SCHEMA_VERSION, SqliteStore};

use crate::dir::TempDir;

#[test]
fn a_new_file_gets_the_schema_in_wal_mode() {
    let dir = TempDir::new("schema");
    let path = dir.file("state.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // Opening again migrates nothing and keeps the version.
    drop(SqliteStore::open(&path).unwrap());
    let again: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(again, SCHEMA_VERSION);
}

#[test]
fn a_file_of_a_newer_schema_is_refused() {
    let dir = TempDir::new("newer");
    let path = dir.file("state.db");
    drop(SqliteStore::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert_eq!(err.kind(), StoreErrorKind::Corrupt);
    assert!(err.to_string().contains("schema version"), "{err}");
}

#[test]
fn every_audit_filter_is_served_by_an_index() {
    let dir = TempDir::new("plans");
    let path = dir.file("state.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    for (column, value) in [
        ("organization", "1"),
        ("actor", "1"),
        ("action", "'auth.login'"),
        ("resource_type", "'role'"),
        ("outcome", "'denied'"),
    ] {
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT * FROM events WHERE {column} = {value} AND id < 100 ORDER BY id DESC LIMIT 20"
        );
        let plan: Vec<String> = conn
            .prepare(&sql)
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let text = plan.join(" | ");
        assert!(
            text.contains(&format!("INDEX events_{column}")),
            "{column}: {text}"
        );
        assert!(!text.contains("TEMP B-TREE"), "{column} sorts: {text}");
    }
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT * FROM events WHERE at >= 0 AND at < 10 ORDER BY id DESC LIMIT 20",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(
        plan.contains("events_at") || plan.contains("PRIMARY KEY") || plan.contains("SCAN"),
        "{plan}"
    );
}

#[test]
fn a_file_with_a_negative_revision_is_corrupt() {
    let dir = TempDir::new("negative");
    let path = dir.file("state.db");
    drop(SqliteStore::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE state SET revision = -1", [])
        .unwrap();
    let err = rolegate::Engine::builder(rolegate::Catalog::standard())
        .open(SqliteStore::open(&path).unwrap())
        .map(drop)
        .unwrap_err();
    assert_eq!(err.kind(), StoreErrorKind::Corrupt, "{err}");
}
