//! SQLite's errors as store and sink errors, with SQLite's chained.

use rolegate::audit::SinkError;
use rolegate::store::{StoreError, StoreErrorKind};

/// A SQLite failure as a store error, with SQLite's error as the source: a
/// value of the wrong type or out of range is a corrupt record; anything
/// else (a busy or locked file, a full disk, ...) makes the store
/// unavailable.
pub(crate) fn sql(what: &str, error: rusqlite::Error) -> StoreError {
    let kind = match error {
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => StoreErrorKind::Corrupt,
        _ => StoreErrorKind::Unavailable,
    };
    StoreError::with_source(kind, what, error)
}

/// A stored record that does not read back.
pub(crate) fn corrupt(
    what: &str,
    error: impl std::error::Error + Send + Sync + 'static,
) -> StoreError {
    StoreError::with_source(StoreErrorKind::Corrupt, what, error)
}

/// A SQLite failure as a sink error.
pub(crate) fn sink(what: &str, error: &rusqlite::Error) -> SinkError {
    SinkError::unavailable(&format!("{what}: {error}"))
}
