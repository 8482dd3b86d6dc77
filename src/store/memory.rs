//! The in-memory store: the whole state and every commit, behind one lock.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{
    Commit, Counters, Effect, Revision, Store, StoreError, StoredRole, StoredState, StoredTeam,
};
use crate::directory::User;
use crate::id::{RoleId, TeamId, UserId};

#[derive(Debug, Default)]
struct State {
    revision: Revision,
    counters: Counters,
    roles: BTreeMap<RoleId, StoredRole>,
    teams: BTreeMap<TeamId, StoredTeam>,
    users: BTreeMap<UserId, User>,
    log: Vec<Commit>,
}

/// A [`Store`] in memory: for tests, and for several engines in one process
/// sharing one state. It keeps every commit, so that an engine can catch up
/// from any revision; it loses everything when dropped.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use rolegate::store::{MemoryStore, Revision, Store};
/// use rolegate::{Catalog, Engine, OrgId};
///
/// let store = Arc::new(MemoryStore::new());
/// let engine = Engine::builder(Catalog::standard()).open(Arc::clone(&store))?;
/// let team = engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
/// let state = store.load()?;
/// assert_eq!(state.revision, Revision::new(1));
/// assert_eq!(state.teams[0].id, team);
/// assert_eq!(store.commits_since(Revision::ZERO)?.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

impl MemoryStore {
    /// An empty store, at revision zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::{MemoryStore, Revision};
    ///
    /// assert_eq!(MemoryStore::new().revision(), Revision::ZERO);
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The revision the store is at.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::store::{MemoryStore, Revision};
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let store = Arc::new(MemoryStore::new());
    /// let engine = Engine::builder(Catalog::standard()).open(Arc::clone(&store))?;
    /// engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// assert_eq!(store.revision(), Revision::new(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn revision(&self) -> Revision {
        self.state().revision
    }
}

impl Store for MemoryStore {
    fn load(&self) -> Result<StoredState, StoreError> {
        let state = self.state();
        Ok(StoredState {
            revision: state.revision,
            counters: state.counters,
            roles: state.roles.values().cloned().collect(),
            teams: state.teams.values().cloned().collect(),
            users: state.users.values().cloned().collect(),
        })
    }

    fn commit(&self, commit: &Commit) -> Result<(), StoreError> {
        let mut state = self.state();
        if state.revision != commit.base {
            return Err(StoreError::conflict(commit.base, state.revision));
        }
        // Effects cannot fail here, so applying them in place is one
        // transaction.
        for effect in &commit.effects {
            match effect {
                Effect::PutRole(role) => {
                    state.roles.insert(role.id, role.clone());
                }
                Effect::DeleteRole(id) => {
                    state.roles.remove(id);
                }
                Effect::PutTeam(team) => {
                    state.teams.insert(team.id, team.clone());
                }
                Effect::DeleteTeam(id) => {
                    state.teams.remove(id);
                }
                Effect::PutUser(user) => {
                    state.users.insert(user.id(), user.clone());
                }
                Effect::DeleteUser(id) => {
                    state.users.remove(id);
                }
            }
        }
        state.counters = commit.counters;
        state.revision = commit.revision();
        state.log.push(commit.clone());
        Ok(())
    }

    fn commits_since(&self, after: Revision) -> Result<Vec<Commit>, StoreError> {
        let state = self.state();
        // Commit `n` (from 1) sits at index `n - 1`.
        let start = usize::try_from(after.get()).unwrap_or(usize::MAX);
        Ok(state.log.get(start..).unwrap_or_default().to_vec())
    }
}
