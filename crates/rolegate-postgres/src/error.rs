//! PostgreSQL's errors as store and sink errors, with PostgreSQL's chained.

use rolegate::audit::SinkError;
use rolegate::store::{StoreError, StoreErrorKind};

/// A PostgreSQL failure as a store error, with the driver's error as the
/// source: a lost or refused connection makes the store unavailable, a
/// value that does not convert is a corrupt record, anything else (a
/// constraint, a query the server refused) is another failure.
pub(crate) fn pg(what: &str, error: postgres::Error) -> StoreError {
    // No server error behind it: the connection itself failed.
    let kind = if error.is_closed() || error.as_db_error().is_none() {
        StoreErrorKind::Unavailable
    } else {
        StoreErrorKind::Other
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

/// A PostgreSQL failure as a sink error.
pub(crate) fn sink(what: &str, error: &postgres::Error) -> SinkError {
    SinkError::unavailable(&format!("{what}: {error}"))
}
