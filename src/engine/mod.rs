//! The live engine: roles, users and teams of every organization, served from
//! immutable snapshots that administrative changes replace atomically.
//!
//! Every administrative call runs the same way: under the writer lock it
//! checks the acting user against the delegation guard, validates its input
//! and produces one [`Change`]; the change is applied to a copy of the
//! current [`Snapshot`] (which shares everything it does not touch) and the
//! copy is published. Readers never block: a check loads the current
//! snapshot without taking a lock or counting a reference (the load marks a
//! slot of the reading thread's own, which no other reader writes), and sees
//! either the whole state before a change or the whole state after it. A
//! check on a [`Snapshot`] taken once per request writes nothing at all.

mod admin;
mod builder;
mod change;
mod error;
mod guard;
mod listing;
mod persist;
mod snapshot;
mod trace;

pub use admin::{Admin, RoleDeletion, RoleEdit, RoleImport};
pub use builder::EngineBuilder;
pub use change::Change;
pub use error::{AdminError, GuardError};
pub use listing::{MatrixCell, MatrixRow, PermissionMatrix, Person, RoleSummary, TeamSummary};
pub use snapshot::Snapshot;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwap;
use hashbrown::HashSet;

use crate::audit::{
    Actor, AuditLog, AuthorizeError, Completion, Grant, Outcome, Reason, check_event, clean_text,
};

use crate::catalog::Catalog;
use crate::directory::Timestamp;
use crate::evaluate::{Denial, Explanation, Resource};
use crate::id::{ActionId, UserId};
use crate::store::{Commit, Effect, Revision, Store, StoreError, StoreErrorKind};
use admin::Target;

/// The live engine: cheap to clone and share across threads and tasks.
///
/// Checks read the current [`Snapshot`] without a lock or a write to memory
/// another thread reads (take one with [`Engine::snapshot`] per request for checks that write
/// nothing at all); administrative calls go through [`Engine::admin`] (checked
/// by the delegation guard, in the acting user's name) or
/// [`Engine::bootstrap`] (trusted configuration, in the system's name), and
/// take effect for every check that starts after they return.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, Rule, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let org = OrgId::new(1);
/// let boot = engine.bootstrap();
/// boot.add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))?;
/// boot.add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
///
/// let catalog = engine.snapshot().catalog().clone();
/// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(9), org);
/// let execute = catalog.action("execute")?;
/// assert!(!engine.can(UserId::new(2), execute, &workflow));
///
/// // The Owner promotes the Viewer; the next check sees it.
/// engine.admin(UserId::new(1)).assign_role(UserId::new(2), SystemRole::Operator.id())?;
/// assert!(engine.can(UserId::new(2), execute, &workflow));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Engine {
    inner: Arc<Inner>,
}

/// Numbers engines, for the per-thread cache of their current state.
static ENGINES: AtomicU64 = AtomicU64::new(1);

/// Stamps published states, across every engine of the process: a stamp
/// names one state of one engine, so a thread's cached state is current
/// when its stamp is the engine's, one compare.
static STAMPS: AtomicU64 = AtomicU64::new(1);

/// How many engines a thread keeps the current state of.
const CACHED: usize = 4;

/// A thread's copy of an engine's current state, with the stamp it was
/// published under. The state is a clone of the published one sharing all
/// its tables, owned by this thread alone, so that taking it for a check
/// counts a reference no other thread reads.
struct Cached {
    engine: u64,
    stamp: u64,
    snapshot: Rc<Snapshot>,
}

thread_local! {
    /// The current state of the last engines this thread checked on. A check
    /// uses it while the engine's stamp has not moved: one atomic load, a
    /// reference count in this thread's own memory, no write to memory
    /// another thread reads.
    static CURRENT: RefCell<[Option<Cached>; CACHED]> =
        const { RefCell::new([const { None }; CACHED]) };
}

#[derive(Debug)]
struct Inner {
    /// This engine among all engines of the process, for the per-thread
    /// cache.
    id: u64,
    /// The stamp of the state last published, taken from [`STAMPS`] after
    /// the state is in place.
    stamp: AtomicU64,
    catalog: Arc<Catalog>,
    current: ArcSwap<Snapshot>,
    writer: Mutex<()>,
    audit: AuditLog,
    /// Where changes are written through; `None` for an engine in memory
    /// only.
    store: Option<Arc<dyn Store>>,
}

impl Engine {
    /// Runs `check` on the current state. The state comes from the calling
    /// thread's cache while the engine's stamp has not moved since it
    /// was cached, so a check costs one atomic load on top of the check
    /// itself; a state published before the load began is always seen. A
    /// thread whose cache is gone (it is being torn down) reads the shared
    /// state instead.
    ///
    /// The cache is only held while the state is taken from it, and the
    /// check runs after, on the state taken: the code that touches the
    /// thread's cache stays small enough to be inlined into the caller, and
    /// a check that checks again (a tracing subscriber calling the engine)
    /// finds the cache free.
    #[inline(always)]
    fn check_current<R>(&self, check: impl Fn(&Snapshot) -> R) -> R {
        match self.current() {
            Some(snapshot) => check(&snapshot),
            None => self.check_shared(check),
        }
    }

    /// This thread's copy of the current state, taken again from the
    /// published one if the engine's stamp moved since it was cached;
    /// `None` if the thread's cache is gone.
    #[inline(always)]
    fn current(&self) -> Option<Rc<Snapshot>> {
        let stamp = self.inner.stamp.load(Ordering::Acquire);
        CURRENT
            .try_with(|cache| {
                // The engine checked on last sits first; its stamp is no
                // other engine's.
                let hit = match &*cache.try_borrow().ok()? {
                    [Some(first), ..] if first.stamp == stamp => Some(Rc::clone(&first.snapshot)),
                    _ => None,
                };
                hit.or_else(|| self.refill(cache, stamp))
            })
            .ok()
            .flatten()
    }

    /// [`check_current`](Self::check_current) without the cache.
    #[cold]
    #[inline(never)]
    fn check_shared<R>(&self, check: impl Fn(&Snapshot) -> R) -> R {
        check(&self.inner.current.load())
    }

    /// Not first in the cache, or not current: brings this engine's entry
    /// to the front, taking the current state if it moved on, and returns
    /// it. Taking it is a clone of the published state (its tables are
    /// shared, so a clone costs a reference count per table), once per
    /// thread per published change. A cache in use (which only this
    /// function holds) gives `None`.
    #[cold]
    #[inline(never)]
    fn refill(
        &self,
        cache: &RefCell<[Option<Cached>; CACHED]>,
        stamp: u64,
    ) -> Option<Rc<Snapshot>> {
        let mut cache = cache.try_borrow_mut().ok()?;
        let id = self.inner.id;
        // The entry of this engine, or else the oldest, moves to the front.
        let at = cache
            .iter()
            .position(|c| c.as_ref().is_some_and(|c| c.engine == id))
            .unwrap_or(CACHED - 1);
        if let Some(moved) = cache.get_mut(..=at) {
            moved.rotate_right(1);
        }
        let first = cache.first_mut()?;
        match first {
            Some(c) if c.engine == id && c.stamp == stamp => Some(Rc::clone(&c.snapshot)),
            _ => {
                let snapshot = Rc::new(Snapshot::clone(&self.inner.current.load()));
                *first = Some(Cached {
                    engine: id,
                    stamp,
                    snapshot: Rc::clone(&snapshot),
                });
                Some(snapshot)
            }
        }
    }

    /// Makes `next` the current state, then gives the engine a new stamp,
    /// so that a check that loads the new stamp finds the new state.
    fn publish(&self, next: Snapshot) {
        self.inner.current.store(Arc::new(next));
        let stamp = STAMPS.fetch_add(1, Ordering::Relaxed);
        self.inner.stamp.store(stamp, Ordering::Release);
    }

    /// An engine over `catalog` with the six system roles and nothing else,
    /// recording into an in-memory audit log.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// assert_eq!(engine.snapshot().roles(OrgId::new(1)).len(), 6);
    /// ```
    #[must_use]
    pub fn new(catalog: impl Into<Arc<Catalog>>) -> Self {
        Self::from_snapshot(Snapshot::new(catalog.into()), AuditLog::in_memory(), None)
    }

    /// Starts loading an engine in bulk, from trusted data such as a store.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, User, UserId};
    ///
    /// let mut builder = Engine::builder(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let auditors = builder.create_role(org, "Auditors", [])?;
    /// builder.add_user(User::new(UserId::new(1), org, auditors))?;
    /// let engine = builder.build();
    /// assert_eq!(engine.snapshot().user(UserId::new(1)).map(|u| u.role()), Some(auditors));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn builder(catalog: impl Into<Arc<Catalog>>) -> EngineBuilder {
        EngineBuilder {
            snapshot: Snapshot::new(catalog.into()),
            audit: AuditLog::in_memory(),
            loaded: false,
            pending: Vec::new(),
            pending_ids: HashSet::new(),
        }
    }

    fn from_snapshot(snapshot: Snapshot, audit: AuditLog, store: Option<Arc<dyn Store>>) -> Self {
        Self {
            inner: Arc::new(Inner {
                id: ENGINES.fetch_add(1, Ordering::Relaxed),
                stamp: AtomicU64::new(STAMPS.fetch_add(1, Ordering::Relaxed)),
                catalog: Arc::clone(snapshot.policy.shared_catalog()),
                current: ArcSwap::from_pointee(snapshot),
                writer: Mutex::new(()),
                audit,
                store,
            }),
        }
    }

    /// The audit log: query it, record host events in it, read its count
    /// of lost events.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::AuditQuery;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// let page = engine.audit().query(&AuditQuery::new().action("team.create"))?;
    /// assert_eq!(page.events.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn audit(&self) -> &AuditLog {
        &self.inner.audit
    }

    /// Checks a request and records it ([semantics](crate::semantics) §12.2): a denial is recorded at
    /// once and returned; an allow returns a [`Grant`] to complete as a
    /// success or failure when the work is done, recorded then (or as a
    /// failure if it is dropped). [`can`](Self::can) never records.
    ///
    /// # Errors
    ///
    /// [`AuthorizeError::Denied`] when the check denies; [`AuthorizeError::Audit`] when it
    /// allows but the log cannot promise a record and its policy refuses
    /// unrecorded actions.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::audit::{AuditQuery, AuthorizeError, Outcome};
    /// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(3), org, SystemRole::Operator.id()))?;
    /// # let catalog = engine.catalog();
    /// # let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(5), org);
    /// // User 3 is an Operator.
    /// let operator = UserId::new(3);
    /// let grant = engine.authorize(operator, catalog.action("execute")?, &workflow)?;
    /// grant.success()?;
    /// let denied = engine.authorize(operator, catalog.action("delete")?, &workflow);
    /// assert!(matches!(denied, Err(AuthorizeError::Denied { .. })));
    ///
    /// let page = engine.audit().query(&AuditQuery::new().resource_type("workflows"))?;
    /// let outcomes: Vec<Outcome> = page.events.iter().map(|e| e.outcome()).collect();
    /// assert_eq!(outcomes, [Outcome::Denied, Outcome::Success], "newest first");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authorize(
        &self,
        user: UserId,
        action: ActionId,
        resource: &Resource<'_>,
    ) -> Result<Grant, AuthorizeError> {
        self.check_current(move |snapshot| self.authorize_in(snapshot, user, action, resource))
    }

    /// [`authorize`](Self::authorize) on the current state.
    fn authorize_in(
        &self,
        snapshot: &Snapshot,
        user: UserId,
        action: ActionId,
        resource: &Resource<'_>,
    ) -> Result<Grant, AuthorizeError> {
        let policy = snapshot.policy();
        let audit = &self.inner.audit;
        let who = snapshot.directory.who(user);
        // An unknown user's attempt belongs to the organization they tried.
        let (organization, role) = match &who {
            Some(u) => (u.organization, Some(u.role)),
            None => (resource.organization(), None),
        };
        let mut event = check_event(
            policy,
            (user, organization, role),
            action,
            resource,
            audit.now(),
        );
        // The decision as `can` takes it; only a denial is explained (the
        // two always agree), so that an allowed check costs no search for
        // the rule that allowed it.
        let allowed = who
            .as_ref()
            .is_some_and(|who| policy.decide(who, action, resource));
        if allowed {
            trace::decision("authorize", snapshot, user, action, resource, true, || None);
            // On record before the work starts.
            event.outcome = Outcome::Allowed;
            let recorded = audit
                .append_decision(event)
                .map_err(AuthorizeError::Audit)?;
            return Ok(Grant::new(audit.clone(), recorded));
        }
        let denial = match &who {
            Some(who) => match policy.explain_who(who, action, resource) {
                Explanation::Denied(denial) => denial,
                // Unreachable while explain agrees with can (a property
                // the tests check); `can` decides, so it stays denied.
                Explanation::Allowed {
                    role, permission, ..
                } => Denial::NoRule { role, permission },
            },
            None => Denial::UnknownUser { user },
        };
        trace::decision("authorize", snapshot, user, action, resource, false, || {
            Some(denial.clone())
        });
        event.outcome = Outcome::Denied;
        // Kept as values, put in words when the event is read.
        event.reason = Some(Reason::denied(
            denial.clone(),
            Arc::clone(policy.shared_catalog()),
            role.and_then(|r| policy.shared_entry(r).map(|e| (r, Arc::clone(e)))),
        ));
        // An attempt on another organization's resource is on record in
        // that organization's log as well as the actor's.
        let target = resource.organization();
        if target != organization {
            let mut theirs = event.clone();
            theirs.organization = Some(target);
            audit.append_refusal(theirs);
        }
        Err(AuthorizeError::Denied {
            denial,
            event: audit.append_refusal(event),
        })
    }

    /// The catalog, to resolve names and write rules with.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// assert_eq!(engine.catalog().grantable_permission_count(), 39);
    /// ```
    #[must_use]
    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// Runs `f` on the current state, taken as [`can`](Self::can) takes it:
    /// from the calling thread's cache, with no shared reference count, so a few
    /// checks and reads on one state cost what the checks cost. Keep the
    /// state beyond the call with [`snapshot`](Self::snapshot) instead.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().add_user(User::new(UserId::new(2), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// let catalog = engine.catalog();
    /// let (workflows, read) = (catalog.resource_type("workflows")?, catalog.action("read")?);
    /// // The user's organization and a check of it, on one state.
    /// let allowed = engine.with_current(|s| {
    ///     let org = s.organization_of(UserId::new(2))?;
    ///     Some(s.can(UserId::new(2), read, &Resource::new(workflows, ResourceId::new(1), org)))
    /// });
    /// assert_eq!(allowed, Some(true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn with_current<R>(&self, f: impl Fn(&Snapshot) -> R) -> R {
        self.check_current(f)
    }

    /// The current state, to run many checks and listings on. Costs one
    /// reference count; the checks on it cost nothing more.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let snapshot = engine.snapshot();
    /// engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// assert!(snapshot.teams(OrgId::new(1)).is_empty(), "a snapshot does not change");
    /// assert_eq!(engine.snapshot().teams(OrgId::new(1)).len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.inner.current.load_full()
    }

    /// Whether the directory's user `user` may perform `action` on
    /// `resource`: the engine's first way to check. The user's role,
    /// status, customer and teams are read from the current state at the
    /// check, in place, so a role or status change applies to the very next
    /// check and the cost does not grow with the user's teams; an unknown
    /// user is denied. The current state comes from a per-thread cache
    /// revalidated by one atomic load: no lock, no shared reference count,
    /// no write another thread reads.
    ///
    /// A host that keeps its own directory checks a [`Subject`](crate::Subject) on a
    /// compiled policy instead ([`Policy::can`](crate::Policy::can)): a
    /// subject is a value, and answers from the role and status it was
    /// built with.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId, UserStatus};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Developer.id()))?;
    /// # let catalog = engine.catalog();
    /// # let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), org);
    /// // User 2 is a Developer.
    /// let (dev, update) = (UserId::new(2), catalog.action("update")?);
    /// assert!(engine.can(dev, update, &workflow));
    /// engine.bootstrap().assign_role(dev, SystemRole::Viewer.id())?;
    /// assert!(!engine.can(dev, update, &workflow), "the next check sees the new role");
    /// engine.bootstrap().set_status(dev, UserStatus::Suspended)?;
    /// assert!(!engine.can(dev, catalog.action("read")?, &workflow));
    /// assert!(!engine.can(UserId::new(9), update, &workflow), "unknown users are denied");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    #[must_use]
    pub fn can(&self, user: UserId, action: ActionId, resource: &Resource<'_>) -> bool {
        // Inlined, so that the check runs in the caller's frame with no call
        // of its own.
        self.check_current(
            #[inline(always)]
            move |s| {
                let allowed = s.can(user, action, resource);
                trace::decision("can", s, user, action, resource, allowed, || {
                    s.explain(user, action, resource).denial().cloned()
                });
                allowed
            },
        )
    }

    /// [`Snapshot::can_many`] on the current state: which of a list page's
    /// resources the user may act on, the user and their role read once.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Operator.id()))?;
    /// let catalog = engine.catalog();
    /// let page = [
    ///     Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), org),
    ///     Resource::new(catalog.resource_type("billing")?, ResourceId::new(1), org),
    /// ];
    /// assert_eq!(engine.can_many(UserId::new(2), catalog.action("read")?, &page), [true, false]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn can_many(
        &self,
        user: UserId,
        action: ActionId,
        resources: &[Resource<'_>],
    ) -> Vec<bool> {
        self.check_current(move |s| {
            let allowed = s.can_many(user, action, resources);
            trace::page(s, user, action, resources, &allowed);
            allowed
        })
    }

    /// [`Snapshot::explain`] on the current state: why the directory's user
    /// `user` may or may not perform `action` on `resource`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Denial, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
    ///
    /// # let engine = Engine::new(Catalog::standard());
    /// # let org = OrgId::new(1);
    /// # engine.bootstrap().add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))?;
    /// # let catalog = engine.catalog();
    /// # let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), org);
    /// // User 2 is a Viewer.
    /// let why = engine.explain(UserId::new(2), catalog.action("update")?, &workflow);
    /// let permission = catalog.permission("workflows", "update")?;
    /// assert_eq!(why.denial(), Some(&Denial::NoRule { role: SystemRole::Viewer.id(), permission }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn explain(&self, user: UserId, action: ActionId, resource: &Resource<'_>) -> Explanation {
        self.check_current(move |s| {
            let why = s.explain(user, action, resource);
            trace::decision(
                "explain",
                s,
                user,
                action,
                resource,
                why.is_allowed(),
                || why.denial().cloned(),
            );
            why
        })
    }

    /// Administrative calls in the name of `actor`, each checked by the
    /// delegation guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::engine::GuardError;
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// engine.bootstrap().add_user(User::new(UserId::new(1), org, SystemRole::Admin.id()))?;
    /// let ops = engine.admin(UserId::new(1)).create_team(org, "Ops")?;
    /// assert!(engine.snapshot().team(ops).is_some());
    ///
    /// // The guard checks the acting user: one not in the directory cannot act.
    /// let err = engine.admin(UserId::new(9)).create_team(org, "Web").unwrap_err();
    /// assert_eq!(err, AdminError::Denied(GuardError::UnknownActor { user: UserId::new(9) }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn admin(&self, actor: UserId) -> Admin<'_> {
        Admin::new(self, Actor::User(actor))
    }

    /// Administrative calls from trusted configuration, in the system's
    /// name: not subject to the delegation guard (the last-Owner rule still
    /// holds).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::engine::GuardError;
    /// use rolegate::{AdminError, Catalog, Engine, OrgId, SystemRole, User, UserId, UserStatus};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let org = OrgId::new(1);
    /// let boot = engine.bootstrap();
    /// boot.add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))?;
    /// assert_eq!(engine.snapshot().user(UserId::new(1)).map(|u| u.role()), Some(SystemRole::Owner.id()));
    ///
    /// // The last-Owner rule holds even for the system.
    /// let err = boot.set_status(UserId::new(1), UserStatus::Suspended).unwrap_err();
    /// assert_eq!(err, AdminError::Denied(GuardError::LastOwner { organization: org }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn bootstrap(&self) -> Admin<'_> {
        Admin::new(self, Actor::System)
    }

    /// Records that `user` was active at `at`: a later time replaces an
    /// earlier one. Not an administrative change: no new snapshot, no
    /// guard, nothing written to the store; the time reaches a store with
    /// the user's next change. Returns whether the user exists.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::directory::Timestamp;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// let at = Timestamp::from_unix_millis(1_795_426_200_000);
    /// assert!(engine.record_activity(UserId::new(1), at));
    /// assert!(engine.record_activity(UserId::new(1), Timestamp::EPOCH), "earlier: ignored");
    /// assert_eq!(engine.snapshot().user(UserId::new(1)).and_then(|u| u.last_active()), Some(at));
    /// assert_eq!(engine.snapshot().revision().get(), 1, "no new snapshot");
    /// assert!(!engine.record_activity(UserId::new(9), at), "no such user");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_activity(&self, user: UserId, at: Timestamp) -> bool {
        self.inner.current.load().directory.touch(user, at)
    }

    /// The revision the engine serves: its current state's.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::Revision;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// assert_eq!(engine.revision(), Revision::new(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn revision(&self) -> Revision {
        self.inner.current.load().revision
    }

    /// Catches up with the store: applies, in revision order, every change
    /// another engine on the same store committed since this engine's
    /// revision, and publishes the result as one new state. Returns the
    /// revision now served. An engine without a store has nothing to catch
    /// up with.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the changes cannot be read or do not apply;
    /// the engine keeps serving its last good state, whole.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rolegate::store::MemoryStore;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let store = Arc::new(MemoryStore::new());
    /// let one = Engine::builder(Catalog::standard()).open(Arc::clone(&store))?;
    /// let two = Engine::builder(Catalog::standard()).open(Arc::clone(&store))?;
    /// let ops = one.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// assert!(two.snapshot().team(ops).is_none());
    /// assert_eq!(two.refresh()?, one.revision());
    /// assert!(two.snapshot().team(ops).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn refresh(&self) -> Result<Revision, StoreError> {
        let _writer = self
            .inner
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.catch_up()
    }

    /// Applies the store's commits after the current revision and publishes
    /// the result. Called with the writer lock held.
    fn catch_up(&self) -> Result<Revision, StoreError> {
        let caught_up = self.apply_commits();
        if let Err(error) = &caught_up {
            trace::catch_up_failed(error, self.inner.current.load().revision);
        }
        caught_up
    }

    /// [`catch_up`](Self::catch_up) itself.
    fn apply_commits(&self) -> Result<Revision, StoreError> {
        let current = self.inner.current.load_full();
        let Some(store) = &self.inner.store else {
            return Ok(current.revision);
        };
        let commits = store.commits_since(current.revision)?;
        if commits.is_empty() {
            return Ok(current.revision);
        }
        let mut next = Snapshot::clone(&current);
        for commit in &commits {
            if commit.base != next.revision {
                return Err(StoreError::new(
                    StoreErrorKind::Corrupt,
                    &format!(
                        "the store gave a commit on {} to apply on {}",
                        commit.base, next.revision
                    ),
                ));
            }
            persist::apply(&mut next, &commit.effects)?;
            persist::raise_counters(&mut next, commit.counters);
            next.revision = commit.revision();
        }
        let revision = next.revision;
        self.publish(next);
        let published = self.inner.current.load();
        for effect in commits.iter().flat_map(|c| c.effects.iter()) {
            if let Effect::DeleteUser(user) = effect {
                published.directory.forget_activity(*user);
            }
        }
        trace::caught_up(commits.len(), revision);
        Ok(revision)
    }

    /// Runs one administrative call: catch up with the store, validate
    /// against the current state and produce one change, apply it to a
    /// copy, check the invariants, put the decision on record, commit it to
    /// the store, publish, and record the outcome. A refused or failed call
    /// is recorded too. A commit that loses a race with another writer is
    /// validated again against the newer state after a short pause that
    /// doubles each time, a bounded number of times.
    pub(crate) fn write<T>(
        &self,
        actor: Actor,
        action: &'static str,
        target: Target,
        call: impl Fn(&Snapshot) -> Result<(Change, T), AdminError>,
    ) -> Result<T, AdminError> {
        const ATTEMPTS: u32 = 12;
        let _writer = self
            .inner
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // The store's turn for writers of every engine on it, if it keeps
        // one; released when the call returns.
        let _turn = self.inner.store.as_deref().and_then(WriteTurn::take);
        let audit = &self.inner.audit;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let caught_up = self.catch_up();
            let current = self.inner.current.load_full();
            let mut event = admin::event(&current, actor, action, target, audit.now());
            let prepared = caught_up
                .map_err(AdminError::Store)
                .and_then(|_| call(&current))
                .and_then(|(change, out)| {
                    let mut next = Snapshot::clone(&current);
                    change.apply_to(&mut next.policy, &mut next.directory);
                    guard::keeps_owners(&current, &next, &change)?;
                    // Only a store needs the change record by record.
                    let effects = match &self.inner.store {
                        Some(_) => change.effects(&current),
                        None => Vec::new(),
                    };
                    Ok((change, effects, next, out))
                });
            let (change, effects, mut next, out) = match prepared {
                Ok(prepared) => prepared,
                Err(error) => {
                    event.outcome = match error {
                        AdminError::Denied(_) => Outcome::Denied,
                        _ => Outcome::Failure,
                    };
                    event.reason = Some(Reason::from(clean_text(&error_text(&error))));
                    trace::change(
                        &event,
                        event.outcome,
                        event.reason.as_ref().map(Reason::as_str),
                        current.revision,
                    );
                    // An attempt on another organization's objects is on
                    // record in the actor's log as well as the target's.
                    let actor_org = match actor {
                        Actor::User(id) => current.directory.who(id).map(|u| u.organization),
                        Actor::System => None,
                    };
                    if let Some(own) = actor_org
                        && event.organization != Some(own)
                    {
                        let mut theirs = event.clone();
                        theirs.organization = Some(own);
                        audit.append_refusal(theirs);
                    }
                    audit.append_refusal(event);
                    return Err(error);
                }
            };
            admin::created_id(&change, &mut event);
            // On record before it takes effect.
            event.outcome = Outcome::Allowed;
            let id = audit.append(&event)?;
            let commit = Commit {
                base: current.revision,
                effects,
                counters: persist::counters(&next),
            };
            let committed = match &self.inner.store {
                Some(store) => store.commit(&commit),
                None => Ok(()),
            };
            let (outcome, reason, result) = match committed {
                Ok(()) => {
                    next.revision = commit.revision();
                    self.publish(next);
                    if let Change::RemoveUser { user } = &change {
                        self.inner.current.load().directory.forget_activity(*user);
                    }
                    (Outcome::Success, None, Some(Ok(out)))
                }
                Err(e) if e.kind() == StoreErrorKind::Conflict && attempt < ATTEMPTS => (
                    Outcome::Failure,
                    Some("another writer committed first; the call is checked again".to_owned()),
                    None,
                ),
                Err(e) => {
                    let error = AdminError::Store(e);
                    (Outcome::Failure, Some(error_text(&error)), Some(Err(error)))
                }
            };
            trace::change(
                &event,
                outcome,
                reason.as_deref(),
                self.inner.current.load().revision,
            );
            if let Some(id) = id {
                // The change is committed or refused either way; a
                // completion the sink will not take is counted.
                let _ = audit.complete(
                    id,
                    &Completion::new(outcome, reason.as_deref(), audit.now()),
                );
            }
            if let Some(result) = result {
                return result;
            }
            // Let the writer that won finish its burst: 20 µs, doubling,
            // at most 2 ms.
            std::thread::sleep(std::time::Duration::from_micros(
                (20_u64 << attempt.min(7)).min(2_000),
            ));
        }
    }
}

/// A store's writer turn ([`Store::begin_write`]), ended when dropped.
struct WriteTurn<'s>(&'s dyn Store);

impl<'s> WriteTurn<'s> {
    /// The turn, or `None` when the store could not give it: the call goes
    /// ahead, its commit still checked against its revision.
    fn take(store: &'s dyn Store) -> Option<Self> {
        store.begin_write().ok().map(|()| Self(store))
    }
}

impl Drop for WriteTurn<'_> {
    fn drop(&mut self) {
        self.0.end_write();
    }
}

/// An error with its causes, for an event's reason.
fn error_text(error: &AdminError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
