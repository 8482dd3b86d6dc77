//! Loading an engine in bulk, or opening it on a store.

use std::sync::Arc;

use hashbrown::HashSet;

use super::{AdminError, Change, Engine, Snapshot, admin, persist};
use crate::audit::{Actor, AuditLog};
use crate::directory::User;
use crate::id::{OrgId, RoleId, TeamId, UserId};
use crate::rule::Rule;
use crate::store::{Store, StoreError, StoreErrorKind};

/// Loads an engine in bulk from trusted data, validating each item as it is
/// added. Made by [`Engine::builder`].
///
/// Items are checked as [`Engine::bootstrap`] checks them, but no snapshot
/// is published until [`build`](Self::build), and nothing is recorded in the
/// audit log: loading restores a state, it changes none. Each method that
/// creates something returns its id.
///
/// # Examples
///
/// ```
/// use rolegate::audit::{AuditLog, MemorySink};
/// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
///
/// let org = OrgId::new(1);
/// let mut builder = Engine::builder(Catalog::standard());
/// builder.audit(AuditLog::new(MemorySink::bounded(10_000)));
/// let ops = builder.create_team(org, "Ops")?;
/// builder.add_user(User::new(UserId::new(1), org, SystemRole::Operator.id()).with_team(ops))?;
/// let engine = builder.build();
/// assert_eq!(engine.snapshot().team(ops).map(|t| t.member_count()), Some(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct EngineBuilder {
    pub(super) snapshot: Snapshot,
    pub(super) audit: AuditLog,
    /// Whether anything was added.
    pub(super) loaded: bool,
    /// Users checked and waiting to be added in one pass when the engine
    /// is built, and their ids.
    pub(super) pending: Vec<User>,
    pub(super) pending_ids: HashSet<UserId>,
}

impl EngineBuilder {
    /// Uses `log` as the engine's audit log (an in-memory log by default).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditLog, MemorySink, OnSinkFailure};
    /// use rolegate::{Catalog, Engine};
    ///
    /// let mut builder = Engine::builder(Catalog::standard());
    /// builder.audit(AuditLog::new(MemorySink::new()).on_failure(OnSinkFailure::Count));
    /// let engine = builder.build();
    /// assert_eq!(engine.audit().policy(), OnSinkFailure::Count);
    /// ```
    pub fn audit(&mut self, log: AuditLog) -> &mut Self {
        self.audit = log;
        self
    }

    fn add<T>(
        &mut self,
        call: impl FnOnce(&Snapshot) -> Result<(Change, T), AdminError>,
    ) -> Result<T, AdminError> {
        let (change, out) = call(&self.snapshot)?;
        change.apply_to(&mut self.snapshot.policy, &mut self.snapshot.directory);
        self.loaded = true;
        Ok(out)
    }

    /// Creates a custom role; returns its id.
    ///
    /// # Errors
    ///
    /// As [`Admin::create_role`](super::Admin::create_role).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let read = Rule::builder(&catalog, "audit_log", "read").build()?;
    /// let mut builder = Engine::builder(catalog);
    /// let auditor = builder.create_role(OrgId::new(1), "Auditor", [read])?;
    /// assert!(builder.create_role(OrgId::new(1), "auditor", []).is_err(), "names are unique");
    /// let engine = builder.build();
    /// assert_eq!(engine.snapshot().policy().role(auditor).map(|r| r.name()), Some("Auditor"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_role<I>(
        &mut self,
        organization: OrgId,
        name: &str,
        rules: I,
    ) -> Result<RoleId, AdminError>
    where
        I: IntoIterator<Item = Rule>,
    {
        let rules = rules.into_iter().collect();
        self.add(|s| admin::create_role(s, Actor::System, organization, name, rules))
    }

    /// Creates a team; returns its id.
    ///
    /// # Errors
    ///
    /// As [`Admin::create_team`](super::Admin::create_team).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let mut builder = Engine::builder(Catalog::standard());
    /// let ops = builder.create_team(OrgId::new(1), "Ops")?;
    /// assert!(builder.create_team(OrgId::new(1), "ops").is_err(), "names are unique");
    /// let engine = builder.build();
    /// assert_eq!(engine.snapshot().team(ops).map(|t| t.name().to_owned()), Some("Ops".into()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_team(&mut self, organization: OrgId, name: &str) -> Result<TeamId, AdminError> {
        self.add(|s| admin::create_team(s, Actor::System, organization, name, None))
    }

    /// Adds a user.
    ///
    /// # Errors
    ///
    /// As [`Admin::add_user`](super::Admin::add_user).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let mut builder = Engine::builder(Catalog::standard());
    /// let ada = User::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id());
    /// builder.add_user(ada.clone())?;
    /// assert!(builder.add_user(ada).is_err(), "ids are unique");
    /// assert!(builder.build().snapshot().user(UserId::new(1)).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_user(&mut self, user: User) -> Result<(), AdminError> {
        let id = user.id();
        if self.pending_ids.contains(&id) {
            return Err(AdminError::DuplicateUser { user: id });
        }
        match admin::add_user(&self.snapshot, Actor::System, user)? {
            (Change::AddUser { user }, ()) => {
                self.pending_ids.insert(id);
                self.pending.push(user);
            }
            (change, ()) => {
                change.apply_to(&mut self.snapshot.policy, &mut self.snapshot.directory)
            }
        }
        self.loaded = true;
        Ok(())
    }

    /// The loaded state, with the users added so far indexed in one pass.
    fn into_snapshot(mut self) -> (Snapshot, AuditLog) {
        self.snapshot.directory.add_users(self.pending);
        (self.snapshot, self.audit)
    }

    /// Publishes the loaded state as a new engine.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::builder(Catalog::standard()).build();
    /// assert_eq!(engine.snapshot().roles(OrgId::new(1)).len(), 6);
    /// ```
    #[must_use]
    pub fn build(self) -> Engine {
        let (snapshot, audit) = self.into_snapshot();
        Engine::from_snapshot(snapshot, audit, None)
    }

    /// Opens the engine on `store`: loads the store's whole state, checks
    /// it against the catalog, and returns an engine that writes every
    /// administrative change through the store before it takes effect. The
    /// builder itself must hold nothing: the store is the record.
    ///
    /// # Errors
    ///
    /// A [`StoreError`]: the store's own when it cannot be read;
    /// [`StoreErrorKind::Corrupt`] naming the record when what it holds
    /// does not fit the catalog (an unknown resource, a user holding a role
    /// of another organization, ...) or when the builder already holds
    /// roles, teams or users.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::store::MemoryStore;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let store = Arc::new(MemoryStore::new());
    /// let engine = Engine::builder(Catalog::standard()).open(Arc::clone(&store))?;
    /// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id()))?;
    /// drop(engine);
    ///
    /// // A new engine on the same store starts where the last one ended.
    /// let again = Engine::builder(Catalog::standard()).open(store)?;
    /// assert!(again.snapshot().user(UserId::new(1)).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(mut self, store: impl Store + 'static) -> Result<Engine, StoreError> {
        if self.loaded {
            return Err(StoreError::new(
                StoreErrorKind::Corrupt,
                "an engine opened on a store loads its state from the store; the builder already holds some",
            ));
        }
        let store: Arc<dyn Store> = Arc::new(store);
        let state = store.load()?;
        persist::load(&mut self.snapshot, state)?;
        Ok(Engine::from_snapshot(
            self.snapshot,
            self.audit,
            Some(store),
        ))
    }
}
