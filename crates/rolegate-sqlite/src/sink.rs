//! The audit trail on the same SQLite file: strict or batched appends,
//! completions in place, queries in SQL.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::types::Value;
use rusqlite::{Connection, TransactionBehavior, params, params_from_iter};

use rolegate::audit::{
    Actor, AuditPage, AuditQuery, AuditSink, Completion, Event, EventId, NewEvent, Outcome, Reason,
    SinkError, Text,
};
use rolegate::directory::Timestamp;
use rolegate::store::StoreError;
use rolegate::{OrgId, RoleId, UserId};

use crate::error::{sink, sql};
use crate::schema;
use crate::store::{from_sql, to_sql};

/// When an appended event is on disk.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use rolegate_sqlite::Durability;
///
/// let batched = Durability::Batched { max_events: 1_000, max_delay: Duration::from_millis(20) };
/// assert_ne!(batched, Durability::Strict);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Durability {
    /// Every append and completion is its own transaction, synced to disk
    /// (`synchronous = FULL`) before the call returns: a decision whose
    /// `authorize` returned survives a crash of the process or the machine.
    Strict,
    /// Appends and completions are queued and written by a background
    /// thread, many to a transaction (`synchronous = NORMAL`): at most
    /// `max_events` at a time (and at most [`MAX_BATCH`]), a batch being
    /// written at most `max_delay` after the writer took its first
    /// operation. The queue holds at most `max_events` operations; an
    /// append waits while it is full. A crash of the process therefore
    /// loses at most the operations not yet written: at most twice
    /// `max_events` (one batch being written, one queued). A batch that
    /// still fails after three tries is dropped: its appends and
    /// completions are counted in [`SqliteSink::lost`], and the next call
    /// on the sink returns the failure once, as an error, without doing its
    /// work (under the log's default policy, that call is refused). A
    /// failure while the sink is dropped is counted and nothing else.
    Batched {
        /// The most events one transaction writes, and the most a crash
        /// can lose.
        max_events: usize,
        /// The longest an event waits before it is written.
        max_delay: Duration,
    },
}

/// How many event ids a writer takes from the file at a time.
const ID_BLOCK: u64 = 1_024;

/// The next event ids of this writer: a block taken from the file's
/// sequence, so that writers on one file never hand out the same id.
#[derive(Debug, Default)]
struct Ids {
    next: u64,
    end: u64,
}

fn take_ids(conn: &mut Connection, count: u64) -> Result<(u64, u64), rusqlite::Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let start: i64 = tx.query_row("SELECT next FROM sequences WHERE name = 'event'", [], |r| {
        r.get(0)
    })?;
    let end = start
        .checked_add(i64::try_from(count).unwrap_or(i64::MAX))
        .filter(|_| start > 0)
        .ok_or_else(|| rusqlite::Error::IntegralValueOutOfRange(0, start))?;
    tx.execute("UPDATE sequences SET next = ?1 WHERE name = 'event'", [end])?;
    tx.commit()?;
    Ok((from_sql(start), from_sql(end)))
}

fn actor_of(actor: Actor) -> Option<i64> {
    match actor {
        Actor::User(u) => Some(to_sql(u.get())),
        _ => None,
    }
}

fn insert(conn: &Connection, id: EventId, e: &NewEvent) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO events (id, at, organization, actor, role, role_name, action, resource_type,
                             resource_id, outcome, reason, completed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    stmt.execute(params![
        to_sql(id.get()),
        e.at.unix_millis(),
        e.organization.map(|o| to_sql(o.get())),
        actor_of(e.actor),
        e.role.as_ref().map(|(r, _)| r.index() as i64),
        e.role.as_ref().map(|(_, n)| n.as_str()),
        e.action.as_str(),
        e.resource_type.as_deref(),
        e.resource_id.as_deref(),
        e.outcome.as_str(),
        e.reason.as_ref().map(Reason::as_str),
        e.completed_at.map(Timestamp::unix_millis),
    ])
    .map(drop)
}

/// Why a completion was not written.
enum Missing {
    /// No allowed event has the id.
    NoEvent,
    /// SQLite failed.
    Sql(SinkError),
}

fn complete(conn: &Connection, id: EventId, c: &Completion) -> Result<(), Missing> {
    let failed = |e: rusqlite::Error| Missing::Sql(sink("cannot complete an event", &e));
    let mut stmt = conn
        .prepare_cached(
            "UPDATE events SET outcome = ?2, reason = ?3, completed_at = ?4
             WHERE id = ?1 AND outcome = 'allowed'",
        )
        .map_err(failed)?;
    let changed = stmt
        .execute(params![
            to_sql(id.get()),
            c.outcome.as_str(),
            c.reason,
            c.at.unix_millis()
        ])
        .map_err(failed)?;
    if changed == 1 {
        Ok(())
    } else {
        Err(Missing::NoEvent)
    }
}

/// A stored outcome; an unknown one is a corrupt row.
fn outcome_of(text: &str) -> rusqlite::Result<Outcome> {
    text.parse().map_err(|e: rolegate::audit::OutcomeError| {
        rusqlite::Error::FromSqlConversionFailure(9, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The events that pass `query`, newest first, in SQL.
fn query(conn: &Connection, q: &AuditQuery) -> Result<AuditPage, SinkError> {
    let mut sql_text = String::from(
        "SELECT id, at, organization, actor, role, role_name, action, resource_type, resource_id,
                outcome, reason, completed_at FROM events WHERE 1 = 1",
    );
    let mut args: Vec<Value> = Vec::new();
    let mut filter = |clause: &str, value: Value| {
        sql_text.push_str(" AND ");
        sql_text.push_str(clause);
        args.push(value);
    };
    if let Some(before) = q.cursor() {
        filter("id < ?", Value::Integer(to_sql(before.get())));
    }
    if let Some(o) = q.organization_filter() {
        filter("organization = ?", Value::Integer(to_sql(o.get())));
    }
    if let Some(u) = q.user_filter() {
        filter("actor = ?", Value::Integer(to_sql(u.get())));
    }
    if let Some(a) = q.action_filter() {
        filter("action = ?", Value::Text(a.to_owned()));
    }
    if let Some(t) = q.resource_type_filter() {
        filter("resource_type = ?", Value::Text(t.to_owned()));
    }
    if let Some(o) = q.outcome_filter() {
        filter("outcome = ?", Value::Text(o.as_str().to_owned()));
    }
    if let Some((from, until)) = q.time_filter() {
        filter("at >= ?", Value::Integer(from.unix_millis()));
        filter("at < ?", Value::Integer(until.unix_millis()));
    }
    sql_text.push_str(" ORDER BY id DESC LIMIT ?");
    let limit = i64::try_from(q.page_size()).unwrap_or(i64::MAX);
    args.push(Value::Integer(limit));
    let mut stmt = conn
        .prepare_cached(&sql_text)
        .map_err(|e| sink("cannot query the audit trail", &e))?;
    let rows = stmt
        .query_map(params_from_iter(args), |row| {
            let actor = match row.get::<_, Option<i64>>(3)? {
                Some(u) => Actor::User(UserId::new(from_sql(u))),
                None => Actor::System,
            };
            let mut e = NewEvent::new(
                Timestamp::from_unix_millis(row.get(1)?),
                actor,
                &row.get::<_, String>(6)?,
                outcome_of(&row.get::<_, String>(9)?)?,
            );
            e.organization = row
                .get::<_, Option<i64>>(2)?
                .map(|o| OrgId::new(from_sql(o)));
            e.role = match (
                row.get::<_, Option<i64>>(4)?,
                row.get::<_, Option<String>>(5)?,
            ) {
                (Some(r), Some(name)) => usize::try_from(r)
                    .ok()
                    .and_then(RoleId::new)
                    .map(|id| (id, Text::from(name))),
                _ => None,
            };
            e.resource_type = row.get::<_, Option<String>>(7)?.map(Text::from);
            e.resource_id = row.get::<_, Option<String>>(8)?.map(Text::from);
            e.reason = row.get::<_, Option<String>>(10)?.map(Reason::from);
            e.completed_at = row
                .get::<_, Option<i64>>(11)?
                .map(Timestamp::from_unix_millis);
            Ok(e.with_id(EventId::new(from_sql(row.get(0)?))))
        })
        .map_err(|e| sink("cannot query the audit trail", &e))?;
    let mut events: Vec<Event> = Vec::new();
    for row in rows {
        events.push(row.map_err(|e| sink("cannot read an event", &e))?);
    }
    Ok(AuditPage::new(events, q.page_size()))
}

/// One queued write of the batched mode.
#[derive(Debug)]
enum Op {
    Append(EventId, NewEvent),
    Complete(EventId, Completion),
    /// Write everything queued, then answer.
    Flush(Sender<Result<(), SinkError>>),
}

#[derive(Debug)]
struct Batcher {
    queue: Mutex<Option<SyncSender<Op>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// The last failure of the writer thread, reported by the next call.
    failure: Arc<Mutex<Option<SinkError>>>,
}

/// The most operations one batch writes.
pub const MAX_BATCH: usize = 65_536;

/// How often a batch that fails to write is tried, in all.
const BATCH_TRIES: u32 = 3;

/// Writes one batch in one transaction: appends inserted, completions
/// applied. A completion whose event is not on the file (its append was
/// lost, and counted) is counted, not an error: it must not cost the rest
/// of the batch.
fn write_batch(conn: &mut Connection, ops: &[Op], lost: &AtomicU64) -> Result<(), SinkError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| sink("cannot start an audit batch", &e))?;
    let mut missing = 0;
    for op in ops {
        match op {
            Op::Append(id, e) => {
                insert(&tx, *id, e).map_err(|e| sink("cannot append an event", &e))?;
            }
            Op::Complete(id, c) => match complete(&tx, *id, c) {
                Ok(()) => {}
                Err(Missing::NoEvent) => missing += 1,
                Err(Missing::Sql(e)) => return Err(e),
            },
            Op::Flush(_) => {}
        }
    }
    tx.commit()
        .map_err(|e| sink("cannot commit an audit batch", &e))?;
    lost.fetch_add(missing, Ordering::SeqCst);
    Ok(())
}

/// Writes queued operations in transactions of at most `max_events`, each
/// batch starting at most `max_delay` after the writer took its first
/// operation. A batch that still fails after [`BATCH_TRIES`] tries is
/// dropped: its events are counted as lost and the failure is kept for the
/// sink to report.
fn writer(
    mut conn: Connection,
    ops: Receiver<Op>,
    max_events: usize,
    max_delay: Duration,
    failure: Arc<Mutex<Option<SinkError>>>,
    lost: Arc<AtomicU64>,
) {
    let mut batch: Vec<Op> = Vec::with_capacity(max_events.min(1_024));
    loop {
        let first = match ops.recv() {
            Ok(op) => op,
            Err(_) => return,
        };
        batch.push(first);
        // A delay too long to add to now has no deadline.
        let deadline = Instant::now().checked_add(max_delay);
        while batch.len() < max_events && !matches!(batch.last(), Some(Op::Flush(_))) {
            let next = match deadline {
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        break;
                    }
                    ops.recv_timeout(deadline - now).ok()
                }
                None => ops.recv().ok(),
            };
            match next {
                Some(op) => batch.push(op),
                None => break,
            }
        }
        let mut written = write_batch(&mut conn, &batch, &lost);
        let mut tries = 1;
        while written.is_err() && tries < BATCH_TRIES {
            std::thread::sleep(Duration::from_millis(10 << tries));
            written = write_batch(&mut conn, &batch, &lost);
            tries += 1;
        }
        if let Err(e) = &written {
            let events = batch
                .iter()
                .filter(|op| matches!(op, Op::Append(..) | Op::Complete(..)))
                .count() as u64;
            lost.fetch_add(events, Ordering::SeqCst);
            *failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(e.clone());
        }
        // Every flush is answered, whatever happened to the batch.
        for op in batch.drain(..) {
            if let Op::Flush(answer) = op {
                let _ = answer.send(written.clone());
            }
        }
    }
}

/// An [`AuditSink`] on a SQLite file, usually the one a
/// [`SqliteStore`](crate::SqliteStore) keeps the state in: events in one
/// table with an index per filter, queries in SQL, completions updating the
/// event in place. See [`Durability`] for the two modes.
///
/// Event ids come from a sequence on the file, so that writers on one file
/// never hand out the same id; a batched sink takes them a block of 1,024 at
/// a time. With one writer, ids grow in append order. With several writers
/// on one file, ids are unique but a later event may have a lower id than
/// an earlier one of another writer: pages newest first are by id, and
/// each event's time is in [`Event::at`](rolegate::audit::Event::at).
///
/// # Examples
///
/// ```
/// use rolegate::audit::{AuditLog, AuditQuery, Outcome};
/// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
/// use rolegate_sqlite::{Durability, SqliteSink, SqliteStore};
///
/// let path = std::env::temp_dir().join(format!("rolegate-sink-{}.db", std::process::id()));
/// # for suffix in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{suffix}", path.display())); }
/// let mut builder = Engine::builder(Catalog::standard());
/// builder.audit(AuditLog::new(SqliteSink::open(&path, Durability::Strict)?));
/// let engine = builder.open(SqliteStore::open(&path)?)?;
///
/// let acme = OrgId::new(1);
/// engine.bootstrap().add_user(User::new(UserId::new(2), acme, SystemRole::Developer.id()))?;
/// let catalog = engine.catalog();
/// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(7), acme);
/// engine.authorize(UserId::new(2), catalog.action("execute")?, &workflow)?.success()?;
///
/// let page = engine.audit().query(&AuditQuery::new().action("workflows.execute"))?;
/// assert_eq!(page.events[0].outcome(), Outcome::Success);
/// # drop(engine);
/// # for suffix in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{suffix}", path.display())); }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SqliteSink {
    conn: Mutex<Connection>,
    ids: Mutex<Ids>,
    batcher: Option<Batcher>,
    lost: Arc<AtomicU64>,
}

impl SqliteSink {
    /// Opens (or creates) the audit trail of the file at `path`, bringing
    /// its schema up to date.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the file cannot be opened or migrated.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use rolegate_sqlite::{Durability, SqliteSink};
    ///
    /// let path = std::env::temp_dir().join(format!("rolegate-sink-open-{}.db", std::process::id()));
    /// let sink = SqliteSink::open(&path, Durability::Batched { max_events: 512, max_delay: Duration::from_millis(10) })?;
    /// assert_eq!(sink.lost(), 0);
    /// # drop(sink);
    /// # for suffix in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{suffix}", path.display())); }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>, durability: Durability) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let mut conn = Connection::open(path).map_err(|e| sql("cannot open the file", e))?;
        let synchronous = match durability {
            Durability::Strict => "FULL",
            Durability::Batched { .. } => "NORMAL",
        };
        schema::configure(&conn, synchronous)?;
        schema::migrate(&mut conn)?;
        let lost = Arc::new(AtomicU64::new(0));
        let batcher = match durability {
            Durability::Strict => None,
            Durability::Batched {
                max_events,
                max_delay,
            } => {
                let writer_conn =
                    Connection::open(path).map_err(|e| sql("cannot open the file", e))?;
                schema::configure(&writer_conn, synchronous)?;
                let max_events = max_events.clamp(1, MAX_BATCH);
                let (queue, ops) = mpsc::sync_channel(max_events);
                let failure = Arc::new(Mutex::new(None));
                let (f, l) = (Arc::clone(&failure), Arc::clone(&lost));
                let thread = std::thread::Builder::new()
                    .name("rolegate-audit".into())
                    .spawn(move || writer(writer_conn, ops, max_events, max_delay, f, l))
                    .map_err(|e| {
                        StoreError::with_source(
                            rolegate::store::StoreErrorKind::Other,
                            "cannot start the audit writer",
                            e,
                        )
                    })?;
                Some(Batcher {
                    queue: Mutex::new(Some(queue)),
                    thread: Mutex::new(Some(thread)),
                    failure,
                })
            }
        };
        Ok(Self {
            conn: Mutex::new(conn),
            ids: Mutex::new(Ids::default()),
            batcher,
            lost,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many appends and completions a batched writer failed to write,
    /// or found no event to complete (none in strict mode, where every
    /// failure is an error of the call). The engine's
    /// [`AuditLog::dropped`](rolegate::audit::AuditLog::dropped) does not
    /// see these: a host on a batched sink watches both.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate_sqlite::{Durability, SqliteSink};
    ///
    /// let path = std::env::temp_dir().join(format!("rolegate-sink-lost-{}.db", std::process::id()));
    /// assert_eq!(SqliteSink::open(&path, Durability::Strict)?.lost(), 0);
    /// # for suffix in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{suffix}", path.display())); }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn lost(&self) -> u64 {
        self.lost.load(Ordering::SeqCst)
    }

    /// Writes every queued event now (nothing to do in strict mode).
    ///
    /// # Errors
    ///
    /// A [`SinkError`] when the batch could not be written.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use rolegate::audit::{AuditLog, AuditQuery, HostEvent, Outcome};
    /// use rolegate::OrgId;
    /// use rolegate_sqlite::{Durability, SqliteSink};
    /// use std::sync::Arc;
    ///
    /// let path = std::env::temp_dir().join(format!("rolegate-sink-flush-{}.db", std::process::id()));
    /// # for suffix in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{suffix}", path.display())); }
    /// let sink = Arc::new(SqliteSink::open(&path, Durability::Batched { max_events: 100, max_delay: Duration::from_secs(60) })?);
    /// let log = AuditLog::new(Arc::clone(&sink));
    /// log.record(HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success))?;
    /// sink.flush()?;
    /// assert_eq!(log.query(&AuditQuery::new())?.events.len(), 1);
    /// # drop(log); drop(sink);
    /// # for suffix in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{suffix}", path.display())); }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn flush(&self) -> Result<(), SinkError> {
        let Some(b) = &self.batcher else {
            return Ok(());
        };
        let (answer, wait) = mpsc::channel();
        self.send(b, Op::Flush(answer))?;
        wait.recv()
            .map_err(|_| SinkError::unavailable("the audit writer stopped"))?
    }

    fn send(&self, b: &Batcher, op: Op) -> Result<(), SinkError> {
        if let Some(e) = b
            .failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            return Err(e);
        }
        let queue = b.queue.lock().unwrap_or_else(PoisonError::into_inner);
        match queue.as_ref() {
            Some(q) => q
                .send(op)
                .map_err(|_| SinkError::unavailable("the audit writer stopped")),
            None => Err(SinkError::unavailable("the audit writer stopped")),
        }
    }

    /// The next event id, taking a new block from the file when this one is
    /// used up.
    fn next_id(&self, conn: &mut Connection) -> Result<EventId, SinkError> {
        let mut ids = self.ids.lock().unwrap_or_else(PoisonError::into_inner);
        if ids.next >= ids.end {
            let block = if self.batcher.is_some() { ID_BLOCK } else { 1 };
            let (next, end) =
                take_ids(conn, block).map_err(|e| sink("cannot take event ids", &e))?;
            *ids = Ids { next, end };
        }
        let id = ids.next;
        ids.next += 1;
        Ok(EventId::new(id))
    }
}

impl AuditSink for SqliteSink {
    fn append(&self, event: NewEvent) -> Result<EventId, SinkError> {
        match &self.batcher {
            Some(b) => {
                let id = self.next_id(&mut self.conn())?;
                self.send(b, Op::Append(id, event))?;
                Ok(id)
            }
            None => {
                let mut conn = self.conn();
                // The id and the event in one durable transaction.
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(|e| sink("cannot start an append", &e))?;
                let start: i64 = tx
                    .query_row("SELECT next FROM sequences WHERE name = 'event'", [], |r| {
                        r.get(0)
                    })
                    .map_err(|e| sink("cannot take an event id", &e))?;
                let next = start.checked_add(1).filter(|_| start > 0).ok_or_else(|| {
                    SinkError::other("the event id sequence is exhausted or corrupt")
                })?;
                let id = EventId::new(from_sql(start));
                tx.execute(
                    "UPDATE sequences SET next = ?1 WHERE name = 'event'",
                    [next],
                )
                .map_err(|e| sink("cannot take an event id", &e))?;
                insert(&tx, id, &event).map_err(|e| sink("cannot append an event", &e))?;
                tx.commit()
                    .map_err(|e| sink("cannot commit an append", &e))?;
                Ok(id)
            }
        }
    }

    fn complete(&self, id: EventId, completion: &Completion) -> Result<(), SinkError> {
        match &self.batcher {
            Some(b) => self.send(b, Op::Complete(id, completion.clone())),
            None => complete(&self.conn(), id, completion).map_err(|e| match e {
                Missing::Sql(e) => e,
                Missing::NoEvent => {
                    SinkError::other(&format!("the audit trail holds no allowed event {id}"))
                }
            }),
        }
    }

    fn query(&self, q: &AuditQuery) -> Result<AuditPage, SinkError> {
        // Queued events are part of the trail: write them first.
        self.flush()?;
        query(&self.conn(), q)
    }
}

impl Drop for SqliteSink {
    fn drop(&mut self) {
        if let Some(b) = &self.batcher {
            // Closing the queue lets the writer drain it and stop.
            b.queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(t) = b
                .thread
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
            {
                let _ = t.join();
            }
        }
    }
}
