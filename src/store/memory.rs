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
    /// The revision the first commit of `log` was made on: zero, or the
    /// revision of the state the store was made with.
    log_base: Revision,
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

    /// A store holding `state`, at its revision, with no commit before it:
    /// what an engine opened on it loads, and checks, as it would load a
    /// database. Records are keyed by id; of two with the same id, the later
    /// one is kept.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::store::{MemoryStore, Revision, Store, StoredState, StoredTeam};
    /// use rolegate::{Catalog, Engine, OrgId, TeamId};
    ///
    /// let state = StoredState {
    ///     revision: Revision::new(4),
    ///     teams: vec![StoredTeam { id: TeamId::new(3), organization: OrgId::new(1), name: "Ops".into() }],
    ///     ..StoredState::default()
    /// };
    /// let store = Arc::new(MemoryStore::with_state(state));
    /// let engine = Engine::builder(Catalog::standard()).open(Arc::clone(&store))?;
    /// assert_eq!(engine.revision(), Revision::new(4));
    /// let next = engine.bootstrap().create_team(OrgId::new(1), "Dev")?;
    /// assert_eq!(next, TeamId::new(4));
    /// assert_eq!(store.revision(), Revision::new(5));
    /// assert_eq!(store.commits_since(Revision::new(4))?.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_state(state: StoredState) -> Self {
        let StoredState {
            revision,
            counters,
            roles,
            teams,
            users,
        } = state;
        Self {
            state: Mutex::new(State {
                revision,
                counters,
                roles: roles.into_iter().map(|r| (r.id, r)).collect(),
                teams: teams.into_iter().map(|t| (t.id, t)).collect(),
                users: users.into_iter().map(|u| (u.id(), u)).collect(),
                log_base: revision,
                log: Vec::new(),
            }),
        }
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
        // The commit on `log_base + n` sits at index `n`; a store made with
        // a state keeps no commit before it.
        let Some(offset) = after.get().checked_sub(state.log_base.get()) else {
            return Err(StoreError::unavailable(&format!(
                "the store keeps no commit before {}",
                state.log_base
            )));
        };
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        Ok(state.log.get(start..).unwrap_or_default().to_vec())
    }
}
