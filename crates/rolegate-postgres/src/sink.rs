//! The audit trail in PostgreSQL: one row per event, ids from a sequence,
//! queries in SQL on indexes.

use std::sync::{Mutex, MutexGuard, PoisonError};

use postgres::types::ToSql;
use postgres::{Client, Config, Row};

use rolegate::audit::{
    Actor, AuditPage, AuditQuery, AuditSink, Completion, Event, EventId, NewEvent, Outcome, Reason,
    SinkError, Text,
};
use rolegate::directory::Timestamp;
use rolegate::{OrgId, RoleId, UserId};

use crate::error::{pg, sink};
use crate::schema;
use crate::store::{Connection, from_sql, to_sql};

/// An [`AuditSink`] on a PostgreSQL database: every event a row of
/// `rolegate_events`, written before `append` returns, ids from the table's
/// sequence (growing in append order, shared by every instance on the
/// database), and [`query`](AuditSink::query) answered in SQL, newest
/// first, on one index per filter.
///
/// # Examples
///
/// ```no_run
/// use rolegate::audit::AuditLog;
/// use rolegate::{Catalog, Engine};
/// use rolegate_postgres::{PostgresSink, PostgresStore};
///
/// let url = "host=127.0.0.1 user=postgres dbname=test";
/// let mut builder = Engine::builder(Catalog::standard());
/// builder.audit(AuditLog::new(PostgresSink::connect(url)?));
/// let engine = builder.open(PostgresStore::connect(url)?)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct PostgresSink {
    conn: Mutex<Connection>,
}

impl PostgresSink {
    /// Connects with a connection string and brings the schema up to date.
    ///
    /// # Errors
    ///
    /// A [`StoreError`](rolegate::store::StoreError) when the string does
    /// not parse or the database cannot be reached or migrated.
    pub fn connect(params: &str) -> Result<Self, rolegate::store::StoreError> {
        let config: Config = params
            .parse()
            .map_err(|e| pg("invalid connection string", e))?;
        Self::with_config(config)
    }

    /// As [`connect`](Self::connect), with the host's [`Config`].
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect).
    pub fn with_config(config: Config) -> Result<Self, rolegate::store::StoreError> {
        let mut conn = Connection::new(config);
        schema::migrate(conn.client()?)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn with<T>(&self, f: impl FnOnce(&mut Client) -> Result<T, SinkError>) -> Result<T, SinkError> {
        let mut conn = self.conn();
        let client = conn
            .client()
            .map_err(|e| SinkError::unavailable(&e.to_string()))?;
        let result = f(client);
        if result.is_err() {
            conn.reset_if_closed();
        }
        result
    }
}

fn actor_of(actor: Actor) -> Option<i64> {
    match actor {
        Actor::User(u) => Some(to_sql(u.get())),
        _ => None,
    }
}

fn column<'r, T: postgres::types::FromSql<'r>>(row: &'r Row, i: usize) -> Result<T, SinkError> {
    row.try_get(i)
        .map_err(|e| SinkError::other(&format!("a stored event does not read back: {e}")))
}

fn event(row: &Row) -> Result<Event, SinkError> {
    let actor = match column::<Option<i64>>(row, 3)? {
        Some(u) => Actor::User(UserId::new(from_sql(u))),
        None => Actor::System,
    };
    let outcome: Outcome = column::<&str>(row, 9)?
        .parse()
        .map_err(|e| SinkError::other(&format!("a stored event has {e}")))?;
    let mut e = NewEvent::new(
        Timestamp::from_unix_millis(column(row, 1)?),
        actor,
        column(row, 6)?,
        outcome,
    );
    e.organization = column::<Option<i64>>(row, 2)?.map(|o| OrgId::new(from_sql(o)));
    e.role = match (
        column::<Option<i64>>(row, 4)?,
        column::<Option<String>>(row, 5)?,
    ) {
        (Some(r), Some(name)) => usize::try_from(r)
            .ok()
            .and_then(RoleId::new)
            .map(|id| (id, Text::from(name))),
        _ => None,
    };
    e.resource_type = column::<Option<String>>(row, 7)?.map(Text::from);
    e.resource_id = column::<Option<String>>(row, 8)?.map(Text::from);
    e.reason = column::<Option<String>>(row, 10)?.map(Reason::from);
    e.completed_at = column::<Option<i64>>(row, 11)?.map(Timestamp::from_unix_millis);
    Ok(e.with_id(EventId::new(from_sql(column(row, 0)?))))
}

impl AuditSink for PostgresSink {
    fn append(&self, e: NewEvent) -> Result<EventId, SinkError> {
        self.with(|client| {
            let row = client
                .query_one(
                    "INSERT INTO rolegate_events (at, organization, actor, role, role_name, action,
                         resource_type, resource_id, outcome, reason, completed_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                    &[
                        &e.at.unix_millis(),
                        &e.organization.map(|o| to_sql(o.get())),
                        &actor_of(e.actor),
                        &e.role.as_ref().map(|(r, _)| r.index() as i64),
                        &e.role.as_ref().map(|(_, n)| n.as_str()),
                        &e.action.as_str(),
                        &e.resource_type.as_deref(),
                        &e.resource_id.as_deref(),
                        &e.outcome.as_str(),
                        &e.reason.as_ref().map(Reason::as_str),
                        &e.completed_at.map(Timestamp::unix_millis),
                    ],
                )
                .map_err(|err| sink("cannot append an event", &err))?;
            Ok(EventId::new(from_sql(column(&row, 0)?)))
        })
    }

    fn complete(&self, id: EventId, c: &Completion) -> Result<(), SinkError> {
        self.with(|client| {
            let changed = client
                .execute(
                    "UPDATE rolegate_events SET outcome = $2, reason = $3, completed_at = $4
                     WHERE id = $1 AND outcome = 'allowed'",
                    &[
                        &to_sql(id.get()),
                        &c.outcome.as_str(),
                        &c.reason,
                        &c.at.unix_millis(),
                    ],
                )
                .map_err(|e| sink("cannot complete an event", &e))?;
            if changed == 1 {
                Ok(())
            } else {
                Err(SinkError::other(
                    "the audit trail holds no allowed event with this id",
                ))
            }
        })
    }

    fn query(&self, q: &AuditQuery) -> Result<AuditPage, SinkError> {
        let mut sql = String::from(
            "SELECT id, at, organization, actor, role, role_name, action, resource_type, resource_id,
                    outcome, reason, completed_at FROM rolegate_events WHERE TRUE",
        );
        let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let mut filter = |clause: &str, value: Box<dyn ToSql + Sync>| {
            args.push(value);
            sql.push_str(&format!(" AND {clause} ${}", args.len()));
        };
        if let Some(before) = q.cursor() {
            filter("id <", Box::new(to_sql(before.get())));
        }
        if let Some(o) = q.organization_filter() {
            filter("organization =", Box::new(to_sql(o.get())));
        }
        if let Some(u) = q.user_filter() {
            filter("actor =", Box::new(to_sql(u.get())));
        }
        if let Some(a) = q.action_filter() {
            filter("action =", Box::new(a.to_owned()));
        }
        if let Some(t) = q.resource_type_filter() {
            filter("resource_type =", Box::new(t.to_owned()));
        }
        if let Some(o) = q.outcome_filter() {
            filter("outcome =", Box::new(o.as_str().to_owned()));
        }
        if let Some((from, until)) = q.time_filter() {
            filter("at >=", Box::new(from.unix_millis()));
            filter("at <", Box::new(until.unix_millis()));
        }
        args.push(Box::new(i64::try_from(q.page_size()).unwrap_or(i64::MAX)));
        sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", args.len()));
        self.with(|client| {
            let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| &**a).collect();
            let rows = client
                .query(&sql, &params)
                .map_err(|e| sink("cannot query the audit trail", &e))?;
            let events = rows.iter().map(event).collect::<Result<Vec<_>, _>>()?;
            Ok(AuditPage::new(events, q.page_size()))
        })
    }
}
