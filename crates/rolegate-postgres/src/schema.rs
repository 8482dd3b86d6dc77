//! The versioned schema: numbered migrations applied in order, in one
//! transaction under an advisory lock, so that instances starting at once
//! migrate once.

use postgres::Client;
use rolegate::store::{StoreError, StoreErrorKind};

use crate::error::pg;

/// The migrations, in order: migration `n` (from 1) brings the schema from
/// version `n - 1` to `n`.
const MIGRATIONS: [&str; 1] = [include_str!("../migrations/0001_initial.sql")];

/// The schema version this crate writes.
pub const VERSION: i32 = MIGRATIONS.len() as i32;

/// The advisory lock key migrations hold: "rolegate" in ASCII.
const LOCK: i64 = 0x726f_6c65_6761_7465;

/// Brings the database's schema (in the connection's `search_path`) to
/// [`VERSION`]; refuses a schema written by a newer version.
pub(crate) fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client
        .transaction()
        .map_err(|e| pg("cannot start the migration", e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
        .map_err(|e| pg("cannot take the migration lock", e))?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS rolegate_schema (version integer NOT NULL)")
        .map_err(|e| pg("cannot create the schema version table", e))?;
    let current: i32 = match tx
        .query_opt("SELECT version FROM rolegate_schema", &[])
        .map_err(|e| pg("cannot read the schema version", e))?
    {
        Some(row) => row
            .try_get(0)
            .map_err(|e| crate::error::corrupt("the schema version", e))?,
        None => {
            tx.execute("INSERT INTO rolegate_schema (version) VALUES (0)", &[])
                .map_err(|e| pg("cannot record the schema version", e))?;
            0
        }
    };
    if current > VERSION {
        return Err(StoreError::new(
            StoreErrorKind::Corrupt,
            &format!(
                "the database has schema version {current}; this version of rolegate-postgres knows up to {VERSION}"
            ),
        ));
    }
    for (n, migration) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(current).unwrap_or(0))
    {
        tx.batch_execute(migration)
            .map_err(|e| pg(&format!("migration {} failed", n + 1), e))?;
        tx.execute(
            "UPDATE rolegate_schema SET version = $1",
            &[&(n as i32 + 1)],
        )
        .map_err(|e| pg("cannot record the schema version", e))?;
    }
    tx.commit()
        .map_err(|e| pg("cannot commit the migration", e))
}
