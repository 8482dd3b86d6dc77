//! Storage: the trait a host implements to keep the engine's state, the
//! values that cross it, and the in-memory store.
//!
//! The engine is in memory; the store is the record. An engine opened on a
//! store ([`EngineBuilder::open`](crate::engine::EngineBuilder::open)) loads
//! the whole state from it, and writes every administrative change through
//! it, as one [`Commit`], before the change takes effect. The audit trail
//! has its own trait, [`AuditSink`](crate::audit::AuditSink), since it is
//! appended to on the hot path of a service and may live elsewhere.
//!
//! # The contract
//!
//! - **One transaction per commit.** [`Store::commit`] applies every
//!   [`Effect`] of the commit and records the commit itself, all or
//!   nothing. An error leaves the store exactly as it was.
//! - **Revisions.** The store is at a [`Revision`], zero when empty; each
//!   commit moves it up by one. A commit names the revision it was
//!   validated against ([`Commit::base`]); a store at any other revision
//!   refuses it with [`StoreErrorKind::Conflict`] and changes nothing, so a
//!   change validated against an old state never commits over a newer one.
//!   The engine then catches up with [`Store::commits_since`] and validates
//!   the call again.
//! - **Ids.** Role and team ids are chosen by the engine from the
//!   [`Counters`] the store keeps with each commit; they only grow, so the
//!   id of a deleted role or team is never given to another one.
//!
//! # Why synchronous
//!
//! The trait is synchronous, and the core depends on no async runtime.
//! Administrative calls are rare next to checks, and checks never touch the
//! store: a check reads the engine's own state. A host whose database client
//! is async runs its administrative calls on its runtime's blocking pool
//! (with tokio, `spawn_blocking`) and bridges to its client there (with
//! tokio, `Handle::block_on`): the store call blocks that thread only, never
//! a thread that serves requests. A synchronous host (tests, scripts, the
//! SQLite store) calls the engine directly.
//!
//! # Examples
//!
//! Two engines on one store: a change made through one reaches the other
//! when it catches up, and neither can commit over the other.
//!
//! ```
//! use std::sync::Arc;
//! use rolegate::store::MemoryStore;
//! use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
//!
//! let store = Arc::new(MemoryStore::new());
//! let first = Engine::builder(Catalog::standard()).open(Arc::clone(&store))?;
//! let second = Engine::builder(Catalog::standard()).open(Arc::clone(&store))?;
//!
//! first.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id()))?;
//! assert!(second.snapshot().user(UserId::new(1)).is_none(), "not caught up yet");
//! second.refresh()?;
//! assert!(second.snapshot().user(UserId::new(1)).is_some());
//! assert_eq!(second.snapshot().revision(), first.snapshot().revision());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod memory;

pub use memory::MemoryStore;

use core::fmt;
use std::error::Error;
use std::sync::Arc;

use crate::catalog::RuleSpec;
use crate::directory::User;
use crate::id::{OrgId, RoleId, TeamId, UserId};

/// The number of changes a store has committed: zero when empty, one more
/// with each commit.
///
/// # Examples
///
/// ```
/// use rolegate::store::Revision;
///
/// assert_eq!(Revision::ZERO.next(), Revision::new(1));
/// assert!(Revision::new(2) > Revision::new(1));
/// assert_eq!(Revision::new(7).get(), 7);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Revision(u64);

impl Revision {
    /// The revision of an empty store.
    pub const ZERO: Self = Self(0);

    /// A revision from its number.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::Revision;
    ///
    /// assert_eq!(Revision::new(0), Revision::ZERO);
    /// ```
    #[must_use]
    pub const fn new(revision: u64) -> Self {
        Self(revision)
    }

    /// The revision's number.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::Revision;
    ///
    /// assert_eq!(Revision::new(3).get(), 3);
    /// ```
    #[must_use]
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The revision after this one.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::Revision;
    ///
    /// assert_eq!(Revision::new(3).next().get(), 4);
    /// ```
    #[must_use]
    pub const fn next(self) -> Self {
        Self(self.0.saturating_add(1))
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "revision {}", self.0)
    }
}

/// A custom role as a store keeps it: its id, organization and name, and
/// its rules in text form, resolved against the catalog when loaded.
///
/// # Examples
///
/// ```
/// use rolegate::catalog::RuleSpec;
/// use rolegate::store::StoredRole;
/// use rolegate::{OrgId, RoleId};
///
/// let role = StoredRole {
///     id: RoleId::new(6).ok_or("too large")?,
///     organization: OrgId::new(1),
///     name: "Auditor".into(),
///     rules: vec![RuleSpec::new("audit_log", "read")],
/// };
/// assert_eq!(role.rules.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRole {
    /// The role's id.
    pub id: RoleId,
    /// Its organization.
    pub organization: OrgId,
    /// Its name.
    pub name: String,
    /// Its rules, in order.
    pub rules: Vec<RuleSpec>,
}

/// A team as a store keeps it; its members are the users that name it.
///
/// # Examples
///
/// ```
/// use rolegate::store::StoredTeam;
/// use rolegate::{OrgId, TeamId};
///
/// let team = StoredTeam { id: TeamId::new(1), organization: OrgId::new(1), name: "Ops".into() };
/// assert_eq!(team.name, "Ops");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredTeam {
    /// The team's id.
    pub id: TeamId,
    /// Its organization.
    pub organization: OrgId,
    /// Its name.
    pub name: String,
}

/// One row-level effect of a commit. A store applies a commit's effects in
/// order; each one replaces or removes one record.
///
/// # Examples
///
/// ```
/// use rolegate::store::Effect;
/// use rolegate::UserId;
///
/// let effect = Effect::DeleteUser(UserId::new(4));
/// assert!(matches!(effect, Effect::DeleteUser(id) if id == UserId::new(4)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// Adds or replaces a custom role.
    PutRole(StoredRole),
    /// Removes a custom role; its id is not given to another role.
    DeleteRole(RoleId),
    /// Adds or replaces a team.
    PutTeam(StoredTeam),
    /// Removes a team; its id is not given to another team.
    DeleteTeam(TeamId),
    /// Adds or replaces a user, with their role, status, customer, teams
    /// and last activity. Activity recorded with
    /// [`Engine::record_activity`](crate::Engine::record_activity) is not a
    /// change: it reaches the store only with the user's next change.
    PutUser(User),
    /// Removes a user.
    DeleteUser(UserId),
}

/// The id counters a store keeps: the next role and team ids the engine
/// will hand out. They only grow.
///
/// # Examples
///
/// ```
/// use rolegate::store::Counters;
///
/// let empty = Counters::default();
/// assert_eq!((empty.next_role, empty.next_team), (6, 1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Counters {
    /// The next custom role's id; the six system roles take 0 to 5.
    pub next_role: u32,
    /// The next team's id, from 1.
    pub next_team: u64,
}

impl Default for Counters {
    fn default() -> Self {
        Self {
            next_role: 6,
            next_team: 1,
        }
    }
}

/// One administrative change as a store commits it: the revision it was
/// validated against, its effects in order, and the counters after it.
///
/// # Examples
///
/// ```
/// use rolegate::store::{Commit, Counters, Effect, Revision};
/// use rolegate::UserId;
///
/// let commit = Commit {
///     base: Revision::ZERO,
///     effects: vec![Effect::DeleteUser(UserId::new(4))],
///     counters: Counters::default(),
/// };
/// assert_eq!(commit.revision(), Revision::new(1));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    /// The revision the change was validated against; the store must be at
    /// it.
    pub base: Revision,
    /// What the change does, record by record.
    pub effects: Vec<Effect>,
    /// The id counters after the change.
    pub counters: Counters,
}

impl Commit {
    /// The revision the store is at once this commit is in.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::{Commit, Counters, Revision};
    ///
    /// let commit = Commit { base: Revision::new(4), effects: vec![], counters: Counters::default() };
    /// assert_eq!(commit.revision(), Revision::new(5));
    /// ```
    #[must_use]
    pub fn revision(&self) -> Revision {
        self.base.next()
    }
}

/// Everything a store holds, as of one revision: what an engine loads when
/// it opens.
///
/// # Examples
///
/// ```
/// use rolegate::store::{MemoryStore, Revision, Store};
///
/// let state = MemoryStore::new().load()?;
/// assert_eq!(state.revision, Revision::ZERO);
/// assert!(state.roles.is_empty() && state.users.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredState {
    /// The revision of this state.
    pub revision: Revision,
    /// The id counters.
    pub counters: Counters,
    /// The custom roles of every organization.
    pub roles: Vec<StoredRole>,
    /// The teams of every organization.
    pub teams: Vec<StoredTeam>,
    /// The users of every organization.
    pub users: Vec<User>,
}

/// What kind of failure a [`StoreError`] is.
///
/// # Examples
///
/// ```
/// use rolegate::store::{StoreError, StoreErrorKind};
///
/// assert_eq!(StoreError::unavailable("database is down").kind(), StoreErrorKind::Unavailable);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StoreErrorKind {
    /// The store is at another revision than the commit was validated
    /// against: another writer committed first.
    Conflict,
    /// The store cannot be reached, or refused the operation.
    Unavailable,
    /// What the store holds cannot be read back: a record that does not
    /// parse, or that the catalog does not accept.
    Corrupt,
    /// Anything else.
    Other,
}

impl StoreErrorKind {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Conflict => "conflict",
            Self::Unavailable => "unavailable",
            Self::Corrupt => "corrupt",
            Self::Other => "error",
        }
    }
}

/// Why a store could not do what was asked; the store's own error, if any,
/// is chained as the [source](Error::source).
///
/// # Examples
///
/// ```
/// use std::error::Error;
/// use rolegate::store::{Revision, StoreError, StoreErrorKind};
///
/// let io = std::io::Error::other("disk full");
/// let err = StoreError::with_source(StoreErrorKind::Unavailable, "cannot write the commit", io);
/// assert_eq!(err.to_string(), "store unavailable: cannot write the commit");
/// assert_eq!(err.source().map(|s| s.to_string()), Some("disk full".into()));
///
/// let conflict = StoreError::conflict(Revision::new(3), Revision::new(4));
/// assert_eq!(conflict.kind(), StoreErrorKind::Conflict);
/// ```
#[derive(Clone, Debug)]
pub struct StoreError {
    kind: StoreErrorKind,
    message: String,
    source: Option<Arc<dyn Error + Send + Sync>>,
}

impl StoreError {
    /// An error of `kind`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::{StoreError, StoreErrorKind};
    ///
    /// let err = StoreError::new(StoreErrorKind::Other, "something broke");
    /// assert_eq!(err.message(), "something broke");
    /// ```
    #[must_use]
    pub fn new(kind: StoreErrorKind, message: &str) -> Self {
        Self {
            kind,
            message: message.to_owned(),
            source: None,
        }
    }

    /// An error of `kind` caused by `source`, the store's own error.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::error::Error;
    /// use rolegate::store::{StoreError, StoreErrorKind};
    ///
    /// let err = StoreError::with_source(StoreErrorKind::Corrupt, "bad row", std::fmt::Error);
    /// assert!(err.source().is_some());
    /// ```
    #[must_use]
    pub fn with_source(
        kind: StoreErrorKind,
        message: &str,
        source: impl Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            kind,
            message: message.to_owned(),
            source: Some(Arc::new(source)),
        }
    }

    /// The store was at `found` when the commit expected `expected`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::{Revision, StoreError};
    ///
    /// let err = StoreError::conflict(Revision::new(3), Revision::new(4));
    /// assert_eq!(err.to_string(), "store conflict: the commit was validated against revision 3, the store is at revision 4");
    /// ```
    #[must_use]
    pub fn conflict(expected: Revision, found: Revision) -> Self {
        Self::new(
            StoreErrorKind::Conflict,
            &format!("the commit was validated against {expected}, the store is at {found}"),
        )
    }

    /// The store cannot be reached.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::{StoreError, StoreErrorKind};
    ///
    /// assert_eq!(StoreError::unavailable("down").kind(), StoreErrorKind::Unavailable);
    /// ```
    #[must_use]
    pub fn unavailable(message: &str) -> Self {
        Self::new(StoreErrorKind::Unavailable, message)
    }

    /// What kind of failure it is.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::{StoreError, StoreErrorKind};
    ///
    /// assert_eq!(StoreError::new(StoreErrorKind::Corrupt, "x").kind(), StoreErrorKind::Corrupt);
    /// ```
    #[must_use]
    pub fn kind(&self) -> StoreErrorKind {
        self.kind
    }

    /// The message, without the source.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::StoreError;
    ///
    /// assert_eq!(StoreError::unavailable("down").message(), "down");
    /// ```
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "store {}: {}", self.kind.as_str(), self.message)
    }
}

impl Error for StoreError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

/// Two store errors are equal when their kind and message are: sources are
/// the store's own and are not compared.
impl PartialEq for StoreError {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.message == other.message
    }
}

impl Eq for StoreError {}

/// Where the engine keeps its state: custom roles, users, teams and
/// memberships. Implemented by the host for its database;
/// [`MemoryStore`] keeps it in memory. See the [module docs](self) for the
/// contract and for why the trait is synchronous.
///
/// # Examples
///
/// A store that wraps another and counts commits:
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use rolegate::store::{Commit, MemoryStore, Revision, Store, StoreError, StoredState};
/// use rolegate::{Catalog, Engine, OrgId};
///
/// #[derive(Debug, Default)]
/// struct Counting { inner: MemoryStore, commits: AtomicUsize }
///
/// impl Store for Counting {
///     fn load(&self) -> Result<StoredState, StoreError> { self.inner.load() }
///     fn commit(&self, commit: &Commit) -> Result<(), StoreError> {
///         self.inner.commit(commit)?;
///         self.commits.fetch_add(1, Ordering::SeqCst);
///         Ok(())
///     }
///     fn commits_since(&self, after: Revision) -> Result<Vec<Commit>, StoreError> {
///         self.inner.commits_since(after)
///     }
/// }
///
/// let store = Arc::new(Counting::default());
/// let engine = Engine::builder(Catalog::standard()).open(Arc::clone(&store))?;
/// engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
/// assert_eq!(store.commits.load(Ordering::SeqCst), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Store: Send + Sync + fmt::Debug {
    /// The whole state, as of the store's current revision.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the state cannot be read.
    fn load(&self) -> Result<StoredState, StoreError>;

    /// Applies `commit` in one transaction, if the store is at
    /// [`commit.base`](Commit::base); afterwards it is at
    /// [`commit.revision()`](Commit::revision).
    ///
    /// # Errors
    ///
    /// [`StoreErrorKind::Conflict`] when the store is at another revision;
    /// any other [`StoreError`] when the commit could not be written. Either
    /// way the store is unchanged.
    fn commit(&self, commit: &Commit) -> Result<(), StoreError>;

    /// The commits after revision `after`, in revision order: what another
    /// engine on the same store committed since.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when they cannot be read.
    fn commits_since(&self, after: Revision) -> Result<Vec<Commit>, StoreError>;

    /// Called before an engine validates and commits an administrative
    /// call, [`end_write`](Self::end_write) after: a store shared by several
    /// engines may take a lock here that queues their writers, so that a
    /// busy writer cannot make another lose the revision race again and
    /// again. Correctness never depends on it (every commit is still
    /// checked against its revision); an error here only means the call
    /// goes ahead without the turn. Nothing by default.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the turn could not be taken.
    fn begin_write(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Ends what [`begin_write`](Self::begin_write) began. Nothing by
    /// default.
    fn end_write(&self) {}
}

impl<S: Store + ?Sized> Store for Box<S> {
    fn load(&self) -> Result<StoredState, StoreError> {
        (**self).load()
    }

    fn commit(&self, commit: &Commit) -> Result<(), StoreError> {
        (**self).commit(commit)
    }

    fn commits_since(&self, after: Revision) -> Result<Vec<Commit>, StoreError> {
        (**self).commits_since(after)
    }

    fn begin_write(&self) -> Result<(), StoreError> {
        (**self).begin_write()
    }

    fn end_write(&self) {
        (**self).end_write();
    }
}

impl<S: Store + ?Sized> Store for Arc<S> {
    fn load(&self) -> Result<StoredState, StoreError> {
        (**self).load()
    }

    fn commit(&self, commit: &Commit) -> Result<(), StoreError> {
        (**self).commit(commit)
    }

    fn commits_since(&self, after: Revision) -> Result<Vec<Commit>, StoreError> {
        (**self).commits_since(after)
    }

    fn begin_write(&self) -> Result<(), StoreError> {
        (**self).begin_write()
    }

    fn end_write(&self) {
        (**self).end_write();
    }
}
