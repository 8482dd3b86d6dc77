//! A store that fails when told to, for fault injection. Shared with the
//! SQLite store's tests.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};

use rolegate::store::{Commit, Revision, Store, StoreError, StoredState};

/// Wraps a store; while `fail` is set, the next commit fails (and changes
/// nothing), as a database that is down would.
#[derive(Debug, Default)]
pub struct Faulty<S> {
    pub inner: S,
    pub fail: AtomicBool,
    pub commits: AtomicUsize,
}

impl<S> Faulty<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            fail: AtomicBool::new(false),
            commits: AtomicUsize::new(0),
        }
    }

    pub fn fail_next(&self) {
        self.fail.store(true, SeqCst);
    }
}

impl<S: Store> Store for Faulty<S> {
    fn load(&self) -> Result<StoredState, StoreError> {
        self.inner.load()
    }

    fn commit(&self, commit: &Commit) -> Result<(), StoreError> {
        if self.fail.swap(false, SeqCst) {
            return Err(StoreError::with_source(
                rolegate::store::StoreErrorKind::Unavailable,
                "injected failure",
                std::io::Error::other("connection reset"),
            ));
        }
        self.inner.commit(commit)?;
        self.commits.fetch_add(1, SeqCst);
        Ok(())
    }

    fn commits_since(&self, after: Revision) -> Result<Vec<Commit>, StoreError> {
        self.inner.commits_since(after)
    }
}
