//! SQLite's errors as store and sink errors, with SQLite's chained.

use rolegate::audit::SinkError;
use rolegate::store::{StoreError, StoreErrorKind};

/// A SQLite failure as a store error: busy and locked files are
/// unavailable, anything else too, with SQLite's error as the source.
pub(crate) fn sql(what: &str, error: rusqlite::Error) -> StoreError {
    StoreError::with_source(StoreErrorKind::Unavailable, what, error)
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
