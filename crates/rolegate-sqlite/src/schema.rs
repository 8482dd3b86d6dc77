//! The versioned schema: numbered migrations applied in order, the version
//! kept in the file's `user_version`.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::sql;
use rolegate::store::StoreError;

/// The migrations, in order: migration `n` (from 1) brings the schema from
/// version `n - 1` to `n`.
const MIGRATIONS: [&str; 1] = [include_str!("../migrations/0001_initial.sql")];

/// The schema version this crate writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Sets a connection up: WAL, a busy timeout so that writers on one file
/// wait for each other, foreign keys; `synchronous` as given.
pub(crate) fn configure(conn: &Connection, synchronous: &str) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| sql("cannot set the busy timeout", e))?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| sql("cannot switch the file to WAL", e))?;
    conn.pragma_update(None, "synchronous", synchronous)
        .map_err(|e| sql("cannot set synchronous", e))?;
    Ok(())
}

/// Brings the file's schema to [`VERSION`], the missing migrations in order
/// and all in one transaction; refuses a file written by a newer version.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| sql("cannot start the migration", e))?;
    let current: u32 = tx
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| sql("cannot read the schema version", e))?;
    if current > VERSION {
        return Err(StoreError::new(
            rolegate::store::StoreErrorKind::Corrupt,
            &format!(
                "the file has schema version {current}; this version of rolegate-sqlite knows up to {VERSION}"
            ),
        ));
    }
    for (n, migration) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(migration)
            .map_err(|e| sql(&format!("migration {} failed", n + 1), e))?;
        tx.pragma_update(None, "user_version", n as u32 + 1)
            .map_err(|e| sql("cannot record the schema version", e))?;
    }
    tx.commit()
        .map_err(|e| sql("cannot commit the migration", e))
}
