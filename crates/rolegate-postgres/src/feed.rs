//! The change feed: a thread per engine that listens for commits on the
//! database and applies them to the engine, incrementally and in revision
//! order.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use postgres::Config;
use postgres::fallible_iterator::FallibleIterator;
use rolegate::Engine;
use rolegate::store::{Revision, StoreError};

use crate::error::pg;
use crate::store::{CHANNEL, Connection, from_sql};

/// How a [`ChangeFeed`] waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FeedOptions {
    /// How long the feed waits for a notification before it checks the
    /// store's revision anyway: the bound on how stale an instance can be
    /// when a notification is lost. 500 ms by default.
    pub poll: Duration,
    /// The first pause before connecting again after a failure, doubling
    /// up to [`max_backoff`](Self::max_backoff). 50 ms by default.
    pub backoff: Duration,
    /// The longest pause between attempts to connect. 2 s by default.
    pub max_backoff: Duration,
}

impl Default for FeedOptions {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(500),
            backoff: Duration::from_millis(50),
            max_backoff: Duration::from_secs(2),
        }
    }
}

impl FeedOptions {
    /// The options with another poll interval.
    #[must_use]
    pub fn poll(mut self, poll: Duration) -> Self {
        self.poll = poll;
        self
    }
}

/// How fresh an engine fed by a [`ChangeFeed`] is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Freshness {
    /// The revision the engine serves.
    pub served: Revision,
    /// The newest revision the feed knows the database to be at.
    pub store: Revision,
    /// Whether the feed's connection is up.
    pub connected: bool,
    /// The last failure to connect or to catch up, until a later catch-up
    /// succeeds. The engine keeps serving its last good state meanwhile.
    pub last_error: Option<StoreError>,
    /// Catch-ups that applied at least one change.
    pub refreshes: u64,
    /// Failures met since the feed started: lost connections and
    /// catch-ups that could not read the change log.
    pub failures: u64,
    /// The largest lag the feed has seen, in revisions.
    pub max_lag: u64,
    /// Times the feed connected again after losing its connection.
    pub reconnects: u64,
}

impl Freshness {
    /// How many revisions the engine is behind the database, as far as the
    /// feed knows.
    #[must_use]
    pub fn lag(&self) -> u64 {
        self.store.get().saturating_sub(self.served.get())
    }
}

#[derive(Debug)]
struct Shared {
    stop: AtomicBool,
    state: Mutex<Freshness>,
    changed: Condvar,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, Freshness> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn update(&self, f: impl FnOnce(&mut Freshness)) {
        let mut state = self.state();
        f(&mut state);
        state.max_lag = state.max_lag.max(state.lag());
        drop(state);
        self.changed.notify_all();
    }

    /// Records a failure: the connection is down, or a catch-up failed.
    fn failed(&self, error: StoreError, connected: bool) {
        self.update(|s| {
            s.connected = connected;
            s.failures += 1;
            s.last_error = Some(error);
        });
    }

    /// Records the database's revision.
    fn store_at(&self, revision: Revision) {
        self.update(|s| s.store = s.store.max(revision));
    }
}

/// Keeps an engine in step with the database it was opened on: a thread
/// with its own connection listens on the channel
/// [`CHANNEL`](crate::CHANNEL), and on every notification (or, when none
/// comes, every [`poll`](FeedOptions::poll)) calls
/// [`Engine::refresh`], which applies the commits after the engine's
/// revision from the change log, in revision order, as one new state. A
/// notification is only the wake-up: after any reconnection the feed
/// catches up from the log, so nothing sent while it was away is missed.
///
/// A failure (the connection lost, a catch-up that could not read the
/// log) leaves the engine serving its last good state, whole; it is
/// reported in [`Freshness::last_error`] (and, with the `tracing` feature,
/// by the engine's catch-up event), and the feed connects again with a
/// growing pause. Dropping the feed stops it.
///
/// # Examples
///
/// ```no_run
/// use rolegate::{Catalog, Engine};
/// use rolegate_postgres::{ChangeFeed, PostgresStore};
///
/// let url = "host=127.0.0.1 user=postgres dbname=test";
/// let engine = Engine::builder(Catalog::standard()).open(PostgresStore::connect(url)?)?;
/// let feed = ChangeFeed::start(engine.clone(), url)?;
/// let fresh = feed.freshness();
/// println!("serving {} ({} behind)", fresh.served, fresh.lag());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ChangeFeed {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl ChangeFeed {
    /// Starts a feed for `engine` on the database of the connection string
    /// `params` (the same database the engine's store is on).
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the string does not parse. A database that
    /// cannot be reached is not an error here: the feed keeps trying, and
    /// says so in [`freshness`](Self::freshness).
    pub fn start(engine: Engine, params: &str) -> Result<Self, StoreError> {
        let config: Config = params
            .parse()
            .map_err(|e| pg("invalid connection string", e))?;
        Ok(Self::with_config(engine, config, FeedOptions::default()))
    }

    /// As [`start`](Self::start), with a [`Config`] and options of the
    /// host's.
    #[must_use]
    pub fn with_config(engine: Engine, config: Config, options: FeedOptions) -> Self {
        let served = engine.revision();
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            state: Mutex::new(Freshness {
                served,
                store: served,
                connected: false,
                last_error: None,
                refreshes: 0,
                failures: 0,
                max_lag: 0,
                reconnects: 0,
            }),
            changed: Condvar::new(),
        });
        let thread = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("rolegate-feed".into())
                .spawn(move || run(&engine, config, options, &shared))
                .ok()
        };
        if thread.is_none() {
            shared.update(|s| {
                s.last_error = Some(StoreError::unavailable("cannot start the feed's thread"));
            });
        }
        Self { shared, thread }
    }

    /// How fresh the engine is now.
    #[must_use]
    pub fn freshness(&self) -> Freshness {
        self.shared.state().clone()
    }

    /// Waits until the engine serves `revision` or later, for at most
    /// `timeout`; whether it does.
    #[must_use]
    pub fn wait_for(&self, revision: Revision, timeout: Duration) -> bool {
        // A timeout past what an `Instant` can hold waits without end.
        let deadline = Instant::now().checked_add(timeout);
        let mut state = self.shared.state();
        loop {
            if state.served >= revision {
                return true;
            }
            let left = deadline.map_or(Duration::from_secs(3600), |d| {
                d.saturating_duration_since(Instant::now())
            });
            if left.is_zero() {
                return false;
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Stops the feed and waits for its thread.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ChangeFeed {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Catches the engine up and records how it went.
fn catch_up(engine: &Engine, shared: &Shared) {
    let before = engine.revision();
    let result = engine.refresh();
    shared.update(|s| match result {
        Ok(revision) => {
            s.served = revision;
            s.store = s.store.max(revision);
            s.last_error = None;
            if revision > before {
                s.refreshes += 1;
            }
        }
        Err(e) => {
            s.served = engine.revision();
            s.failures += 1;
            s.last_error = Some(e);
        }
    });
}

/// The revision a notification announces, if it is for `schema`.
fn announced(payload: &str, schema: &str) -> Option<Revision> {
    let (from, revision) = payload.rsplit_once(':')?;
    (from == schema)
        .then(|| revision.parse::<i64>().ok())
        .flatten()
        .map(|r| Revision::new(from_sql(r)))
}

/// The database's revision, read on the feed's connection.
fn head(client: &mut postgres::Client) -> Result<Revision, StoreError> {
    let row = client
        .query_one("SELECT revision FROM rolegate_state WHERE id = 0", &[])
        .map_err(|e| pg("cannot read the revision", e))?;
    let head: i64 = row
        .try_get(0)
        .map_err(|e| crate::error::corrupt("the stored revision", e))?;
    Ok(Revision::new(from_sql(head)))
}

fn run(engine: &Engine, config: Config, options: FeedOptions, shared: &Shared) {
    let mut conn = Connection::new(config);
    let mut pause = options.backoff.min(options.max_backoff);
    let mut connected_before = false;
    while !shared.stop.load(Ordering::SeqCst) {
        let listening = conn.client().and_then(|client| {
            client
                .batch_execute(&format!("LISTEN {CHANNEL}"))
                .map_err(|e| pg("cannot listen for commits", e))?;
            let schema: String = client
                .query_one("SELECT current_schema()", &[])
                .and_then(|row| row.try_get(0))
                .map_err(|e| pg("cannot read the schema", e))?;
            Ok((head(client)?, schema))
        });
        let (at, schema) = match listening {
            Ok(found) => found,
            Err(e) => {
                conn.reset_if_closed();
                shared.failed(e, false);
                std::thread::sleep(pause);
                pause = pause.saturating_mul(2).min(options.max_backoff);
                continue;
            }
        };
        pause = options.backoff.min(options.max_backoff);
        shared.update(|s| {
            s.connected = true;
            s.store = s.store.max(at);
            if connected_before {
                s.reconnects += 1;
            }
        });
        connected_before = true;
        // Whatever was committed while the feed was away.
        catch_up(engine, shared);
        if let Err(e) = listen(engine, &mut conn, &schema, options, shared) {
            conn.reset_if_closed();
            shared.failed(e, false);
        }
    }
}

/// Waits for notifications and catches up on each, until the connection
/// fails or the feed is stopped.
fn listen(
    engine: &Engine,
    conn: &mut Connection,
    schema: &str,
    options: FeedOptions,
    shared: &Shared,
) -> Result<(), StoreError> {
    while !shared.stop.load(Ordering::SeqCst) {
        // The listening session, never a new one: a new session would not
        // be listening. A closed one is a failure, and `run` starts over.
        let client = conn.current()?;
        let mut newest: Option<Revision> = None;
        {
            let mut notifications = client.notifications();
            let first = notifications
                .timeout_iter(options.poll)
                .next()
                .map_err(|e| pg("the feed's connection failed", e))?;
            if let Some(n) = first {
                newest = announced(n.payload(), schema);
                // Take every notification already here in one catch-up.
                let mut pending = notifications.iter();
                while let Some(n) = pending
                    .next()
                    .map_err(|e| pg("the feed's connection failed", e))?
                {
                    newest = newest.max(announced(n.payload(), schema));
                }
            }
        }
        if client.is_closed() {
            return Err(StoreError::unavailable("the feed's connection was closed"));
        }
        match newest {
            Some(revision) => shared.store_at(revision),
            // No notification for a poll interval: ask the database where
            // it is, in case one was lost.
            None => shared.store_at(head(client)?),
        }
        if engine.revision() < shared.state().store {
            catch_up(engine, shared);
        } else {
            // The engine's own commits reach it without a catch-up.
            let served = engine.revision();
            shared.update(|s| s.served = s.served.max(served));
        }
    }
    Ok(())
}
