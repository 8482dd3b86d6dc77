//! The engine's state in PostgreSQL: one transaction per commit, the
//! revision checked under a row lock inside it, and the change log every
//! instance catches up from.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use postgres::{Client, Config, NoTls, Row, Transaction};

use rolegate::catalog::RuleSpec;
use rolegate::directory::Timestamp;
use rolegate::store::{
    Commit, Counters, Effect, Revision, Store, StoreError, StoreErrorKind, StoredRole, StoredState,
    StoredTeam,
};
use rolegate::{CustomerId, OrgId, RoleId, TeamId, User, UserId, UserStatus};

use crate::error::{corrupt, pg};
use crate::schema;

/// The channel a commit notifies, with `schema:revision` as the payload
/// (the schema the commit was written in, from `current_schema()`).
pub const CHANNEL: &str = "rolegate_commits";

/// Ids are the host's 64-bit numbers; PostgreSQL's integers are signed. The
/// bits are kept as they are.
pub(crate) fn to_sql(n: u64) -> i64 {
    n as i64
}

/// The inverse of [`to_sql`].
pub(crate) fn from_sql(n: i64) -> u64 {
    n as u64
}

/// A connection, opened again when it was lost.
pub(crate) struct Connection {
    config: Config,
    client: Option<Client>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("config", &self.config)
            .field(
                "connected",
                &self.client.as_ref().is_some_and(|c| !c.is_closed()),
            )
            .finish()
    }
}

impl Connection {
    pub(crate) fn new(config: Config) -> Self {
        Self {
            config,
            client: None,
        }
    }

    /// The open connection, connecting first if there is none or the last
    /// one was closed (the server went away, the backend was terminated).
    pub(crate) fn client(&mut self) -> Result<&mut Client, StoreError> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = None;
            let client = self
                .config
                .connect(NoTls)
                .map_err(|e| pg("cannot connect to PostgreSQL", e))?;
            self.client = Some(client);
        }
        self.client
            .as_mut()
            .ok_or_else(|| StoreError::unavailable("no connection"))
    }

    /// The open connection, without connecting again: for work that a new
    /// session would not carry on (a `LISTEN`).
    pub(crate) fn current(&mut self) -> Result<&mut Client, StoreError> {
        match self.client.as_mut() {
            Some(client) if !client.is_closed() => Ok(client),
            _ => Err(StoreError::unavailable("the connection was closed")),
        }
    }

    /// Drops the connection, so that the server ends its session and what
    /// the session held (an advisory lock) with it.
    pub(crate) fn forget(&mut self) {
        self.client = None;
    }

    /// Forgets the connection after a failure that may have broken it.
    pub(crate) fn reset_if_closed(&mut self) {
        if self.client.as_ref().is_some_and(Client::is_closed) {
            self.client = None;
        }
    }
}

/// A [`Store`] on a PostgreSQL database: custom roles, teams, users and
/// memberships in their own tables (`rolegate_*`), and every commit in a
/// change log (`rolegate_commits`) that every instance on the database
/// catches up from, in revision order.
///
/// Each commit is one transaction that first locks the state row and
/// checks the revision the change was validated against, so two instances
/// writing at once cannot both commit a change validated against the same
/// old state: the second is refused with a conflict, and the engine checks
/// its call again against the newer state. The transaction also notifies
/// the channel [`CHANNEL`] with the new revision: the wake-up a
/// [`ChangeFeed`](crate::ChangeFeed) listens for; the change log stays the
/// truth, since notifications are lost while a connection is down.
///
/// A lost connection (the server restarted, the backend was terminated) is
/// an [`Unavailable`](StoreErrorKind::Unavailable) error for the call that
/// met it, and the next call connects again.
///
/// # Examples
///
/// ```no_run
/// use rolegate::{Catalog, Engine, OrgId};
/// use rolegate_postgres::PostgresStore;
///
/// let store = PostgresStore::connect("host=127.0.0.1 user=postgres dbname=test")?;
/// let engine = Engine::builder(Catalog::standard()).open(store)?;
/// engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct PostgresStore {
    conn: Mutex<Connection>,
}

impl PostgresStore {
    /// Connects with a libpq-style connection string or URL
    /// (`host=127.0.0.1 user=postgres dbname=test`,
    /// `postgresql://postgres@127.0.0.1/test`) and brings the schema up to
    /// date.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the string does not parse, the database cannot
    /// be reached, or its schema was written by a newer version.
    pub fn connect(params: &str) -> Result<Self, StoreError> {
        let config: Config = params
            .parse()
            .map_err(|e| pg("invalid connection string", e))?;
        Self::with_config(config)
    }

    /// As [`connect`](Self::connect), with a [`Config`] built by the host
    /// (an application name, a `search_path` in `options`, timeouts).
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect).
    pub fn with_config(config: Config) -> Result<Self, StoreError> {
        let mut conn = Connection::new(config);
        schema::migrate(conn.client()?)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the connection; a failure that closed it is forgotten,
    /// so that the next call connects again.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn();
        let result = f(conn.client()?);
        if result.is_err() {
            conn.reset_if_closed();
        }
        result
    }

    /// Whether the change log holds `commit` itself at its revision.
    fn committed(&self, commit: &Commit) -> Result<bool, StoreError> {
        let body =
            serde_json::to_string(commit).map_err(|e| corrupt("cannot encode the commit", e))?;
        self.with(|client| {
            let row = client
                .query_opt(
                    "SELECT body FROM rolegate_commits WHERE revision = $1",
                    &[&to_sql(commit.revision().get())],
                )
                .map_err(|e| pg("cannot read the change log", e))?;
            Ok(match row {
                Some(row) => get::<&str>(&row, 0)? == body,
                None => false,
            })
        })
    }

    /// The revision the database is at: what every instance will reach.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when it cannot be read.
    pub fn head(&self) -> Result<Revision, StoreError> {
        self.with(|client| {
            let row = client
                .query_one("SELECT revision FROM rolegate_state WHERE id = 0", &[])
                .map_err(|e| pg("cannot read the revision", e))?;
            Ok(Revision::new(from_sql(get(&row, 0)?)))
        })
    }
}

/// The revision and counters row; `lock` takes it for update.
fn state_row(tx: &mut Transaction<'_>, lock: bool) -> Result<(Revision, Counters), StoreError> {
    let query = if lock {
        "SELECT revision, next_role, next_team FROM rolegate_state WHERE id = 0 FOR UPDATE"
    } else {
        "SELECT revision, next_role, next_team FROM rolegate_state WHERE id = 0"
    };
    let row = tx
        .query_one(query, &[])
        .map_err(|e| pg("cannot read the revision", e))?;
    let (revision, next_role, next_team): (i64, i64, i64) =
        (get(&row, 0)?, get(&row, 1)?, get(&row, 2)?);
    let next_role = u32::try_from(next_role).ok();
    match next_role {
        Some(next_role) if revision >= 0 && next_team >= 1 => Ok((
            Revision::new(from_sql(revision)),
            Counters {
                next_role,
                next_team: from_sql(next_team),
            },
        )),
        _ => Err(StoreError::new(
            StoreErrorKind::Corrupt,
            &format!("the stored revision ({revision}) or id counters are out of range"),
        )),
    }
}

/// A column of a row, or a corrupt-record error naming it: never a panic
/// on a value of another type.
fn get<'r, T: postgres::types::FromSql<'r>>(row: &'r Row, column: usize) -> Result<T, StoreError> {
    row.try_get(column)
        .map_err(|e| corrupt(&format!("column {column} of a stored row"), e))
}

fn role_id(id: i64, what: &str) -> Result<RoleId, StoreError> {
    usize::try_from(id)
        .ok()
        .and_then(RoleId::new)
        .ok_or_else(|| {
            StoreError::new(StoreErrorKind::Corrupt, &format!("{what} has role id {id}"))
        })
}

fn load(client: &mut Client) -> Result<StoredState, StoreError> {
    // One snapshot of the database, so that the state is one revision's.
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| pg("cannot start reading", e))?;
    let (revision, counters) = state_row(&mut tx, false)?;
    let mut roles = Vec::new();
    for row in tx
        .query(
            "SELECT id, organization, name, rules FROM rolegate_roles ORDER BY id",
            &[],
        )
        .map_err(|e| pg("cannot read roles", e))?
    {
        let id = role_id(get(&row, 0)?, "a stored role")?;
        let rules: Vec<RuleSpec> = serde_json::from_str(get(&row, 3)?)
            .map_err(|e| corrupt(&format!("the rules of stored {id}"), e))?;
        roles.push(StoredRole {
            id,
            organization: OrgId::new(from_sql(get(&row, 1)?)),
            name: get(&row, 2)?,
            rules,
        });
    }
    let mut teams = Vec::new();
    for row in tx
        .query(
            "SELECT id, organization, name FROM rolegate_teams ORDER BY id",
            &[],
        )
        .map_err(|e| pg("cannot read teams", e))?
    {
        teams.push(StoredTeam {
            id: TeamId::new(from_sql(get(&row, 0)?)),
            organization: OrgId::new(from_sql(get(&row, 1)?)),
            name: get(&row, 2)?,
        });
    }
    let mut by_user: HashMap<u64, Vec<u64>> = HashMap::new();
    for row in tx
        .query("SELECT member, team FROM rolegate_memberships", &[])
        .map_err(|e| pg("cannot read memberships", e))?
    {
        by_user
            .entry(from_sql(get(&row, 0)?))
            .or_default()
            .push(from_sql(get(&row, 1)?));
    }
    let mut users = Vec::new();
    for row in tx
        .query(
            "SELECT id, organization, customer, role, status, last_active FROM rolegate_users ORDER BY id",
            &[],
        )
        .map_err(|e| pg("cannot read users", e))?
    {
        let id = from_sql(get(&row, 0)?);
        let role = role_id(get(&row, 3)?, &format!("stored user {id}"))?;
        let status: &str = get(&row, 4)?;
        let status: UserStatus = status
            .parse()
            .map_err(|e| corrupt(&format!("stored user {id} has status {status:?}"), e))?;
        let mut user = User::new(UserId::new(id), OrgId::new(from_sql(get(&row, 1)?)), role).with_status(status);
        if let Some(c) = get::<Option<i64>>(&row, 2)? {
            user = user.with_customer(CustomerId::new(from_sql(c)));
        }
        for team in by_user.remove(&id).unwrap_or_default() {
            user = user.with_team(TeamId::new(team));
        }
        if let Some(at) = get::<Option<i64>>(&row, 5)? {
            user = user.with_last_active(Timestamp::from_unix_millis(at));
        }
        users.push(user);
    }
    tx.commit().map_err(|e| pg("cannot finish reading", e))?;
    Ok(StoredState {
        revision,
        counters,
        roles,
        teams,
        users,
    })
}

fn put_user(tx: &mut Transaction<'_>, user: &User, revision: i64) -> Result<(), postgres::Error> {
    let id = to_sql(user.id().get());
    tx.execute(
        "INSERT INTO rolegate_users (id, organization, customer, role, status, last_active, revision)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET organization = EXCLUDED.organization, customer = EXCLUDED.customer,
           role = EXCLUDED.role, status = EXCLUDED.status, last_active = EXCLUDED.last_active,
           revision = EXCLUDED.revision",
        &[
            &id,
            &to_sql(user.organization().get()),
            &user.customer().map(|c| to_sql(c.get())),
            &(user.role().index() as i64),
            &user.status().as_str(),
            &user.last_active().map(Timestamp::unix_millis),
            &revision,
        ],
    )?;
    tx.execute("DELETE FROM rolegate_memberships WHERE member = $1", &[&id])?;
    for team in user.teams() {
        tx.execute(
            "INSERT INTO rolegate_memberships (team, member) VALUES ($1, $2)",
            &[&to_sql(team.get()), &id],
        )?;
    }
    Ok(())
}

fn apply(tx: &mut Transaction<'_>, effect: &Effect, revision: i64) -> Result<(), StoreError> {
    let written = match effect {
        Effect::PutRole(role) => {
            let rules = serde_json::to_string(&role.rules)
                .map_err(|e| corrupt(&format!("cannot encode the rules of {}", role.id), e))?;
            tx.execute(
                "INSERT INTO rolegate_roles (id, organization, name, rules, revision) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (id) DO UPDATE SET organization = EXCLUDED.organization, name = EXCLUDED.name,
                   rules = EXCLUDED.rules, revision = EXCLUDED.revision",
                &[
                    &(role.id.index() as i64),
                    &to_sql(role.organization.get()),
                    &role.name,
                    &rules,
                    &revision,
                ],
            )
            .map(drop)
        }
        Effect::DeleteRole(id) => tx
            .execute("DELETE FROM rolegate_roles WHERE id = $1", &[&(id.index() as i64)])
            .map(drop),
        Effect::PutTeam(team) => tx
            .execute(
                "INSERT INTO rolegate_teams (id, organization, name, revision) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO UPDATE SET organization = EXCLUDED.organization, name = EXCLUDED.name,
                   revision = EXCLUDED.revision",
                &[
                    &to_sql(team.id.get()),
                    &to_sql(team.organization.get()),
                    &team.name,
                    &revision,
                ],
            )
            .map(drop),
        Effect::DeleteTeam(id) => tx
            .execute("DELETE FROM rolegate_teams WHERE id = $1", &[&to_sql(id.get())])
            .and_then(|_| tx.execute("DELETE FROM rolegate_memberships WHERE team = $1", &[&to_sql(id.get())]))
            .map(drop),
        Effect::PutUser(user) => put_user(tx, user, revision),
        Effect::DeleteUser(id) => tx
            .execute("DELETE FROM rolegate_users WHERE id = $1", &[&to_sql(id.get())])
            .and_then(|_| tx.execute("DELETE FROM rolegate_memberships WHERE member = $1", &[&to_sql(id.get())]))
            .map(drop),
        other => {
            return Err(StoreError::new(
                StoreErrorKind::Other,
                &format!("this version of rolegate-postgres cannot store {other:?}"),
            ));
        }
    };
    written.map_err(|e| pg("cannot write the commit", e))
}

fn commit(client: &mut Client, commit: &Commit) -> Result<(), StoreError> {
    let mut tx = client
        .transaction()
        .map_err(|e| pg("cannot start the commit", e))?;
    // The row lock orders concurrent commits: the second waits, then sees
    // the first's revision and is refused.
    let (found, _) = state_row(&mut tx, true)?;
    if found != commit.base {
        return Err(StoreError::conflict(commit.base, found));
    }
    let revision = to_sql(commit.revision().get());
    for effect in &commit.effects {
        apply(&mut tx, effect, revision)?;
    }
    tx.execute(
        "UPDATE rolegate_state SET revision = $1, next_role = $2, next_team = $3 WHERE id = 0",
        &[
            &revision,
            &i64::from(commit.counters.next_role),
            &to_sql(commit.counters.next_team),
        ],
    )
    .map_err(|e| pg("cannot write the revision", e))?;
    let body = serde_json::to_string(commit).map_err(|e| corrupt("cannot encode the commit", e))?;
    tx.execute(
        "INSERT INTO rolegate_commits (revision, body, committed_at) VALUES ($1, $2, $3)",
        &[&revision, &body, &Timestamp::now().unix_millis()],
    )
    .map_err(|e| pg("cannot write the change log", e))?;
    // Delivered to listeners when, and only if, the transaction commits.
    // The payload names the schema, so that engines of several schemas on
    // one database wake only for their own: `schema:revision`.
    tx.execute(
        "SELECT pg_notify($1, current_schema() || ':' || $2)",
        &[&CHANNEL, &revision.to_string()],
    )
    .map_err(|e| pg("cannot notify the commit", e))?;
    // Dropped without commit on any error above: rolled back.
    tx.commit().map_err(|e| pg("cannot commit", e))
}

fn commits_since(client: &mut Client, after: Revision) -> Result<Vec<Commit>, StoreError> {
    let rows = client
        .query(
            "SELECT revision, body FROM rolegate_commits WHERE revision > $1 ORDER BY revision",
            &[&to_sql(after.get())],
        )
        .map_err(|e| pg("cannot read the change log", e))?;
    rows.into_iter()
        .map(|row| {
            let revision: i64 = get(&row, 0)?;
            serde_json::from_str(get(&row, 1)?)
                .map_err(|e| corrupt(&format!("commit {revision} does not read back"), e))
        })
        .collect()
}

/// The advisory lock key writers queue on: "rgwriter" in ASCII.
const WRITERS: i64 = 0x7267_7772_6974_6572;

/// How long an engine waits for the writers' turn before its call goes
/// ahead without it.
pub const WRITE_TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl Store for PostgresStore {
    /// Queues this engine's writer behind those of every other engine on
    /// the database (a session advisory lock, released by
    /// [`end_write`](Store::end_write) or when the connection ends), so
    /// that validation and commit of one call are not raced.
    ///
    /// The wait is bounded ([`WRITE_TURN_WAIT`]): a session that holds the
    /// lock and is never heard from again cannot stall this engine, whose
    /// call then goes ahead without the turn.
    fn begin_write(&self) -> Result<(), StoreError> {
        self.with(|client| {
            let mut tx = client
                .transaction()
                .map_err(|e| pg("cannot take the writers' lock", e))?;
            tx.batch_execute(&format!(
                "SET LOCAL lock_timeout = {}",
                WRITE_TURN_WAIT.as_millis()
            ))
            .map_err(|e| pg("cannot take the writers' lock", e))?;
            tx.execute("SELECT pg_advisory_lock($1)", &[&WRITERS])
                .map_err(|e| pg("cannot take the writers' lock", e))?;
            tx.commit()
                .map_err(|e| pg("cannot take the writers' lock", e))
        })
    }

    /// Releases the lock; if the session cannot say it did (the connection
    /// was lost or replaced), drops the connection, which ends the session
    /// and any lock it held.
    fn end_write(&self) {
        let mut conn = self.conn();
        let released = conn.current().ok().and_then(|client| {
            client
                .query_one("SELECT pg_advisory_unlock($1)", &[&WRITERS])
                .and_then(|row| row.try_get::<_, bool>(0))
                .ok()
        });
        if released != Some(true) {
            conn.forget();
        }
    }

    fn load(&self) -> Result<StoredState, StoreError> {
        self.with(load)
    }

    fn commit(&self, c: &Commit) -> Result<(), StoreError> {
        match self.with(|client| commit(client, c)) {
            // The connection failed: the commit may have reached the
            // database before the reply was lost. The change log says.
            Err(e) if e.kind() == StoreErrorKind::Unavailable => match self.committed(c) {
                Ok(true) => Ok(()),
                _ => Err(e),
            },
            other => other,
        }
    }

    fn commits_since(&self, after: Revision) -> Result<Vec<Commit>, StoreError> {
        self.with(|client| commits_since(client, after))
    }
}
