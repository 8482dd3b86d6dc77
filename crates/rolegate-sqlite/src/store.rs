//! The engine's state on a SQLite file: one transaction per commit, the
//! revision checked inside it.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use rolegate::catalog::RuleSpec;
use rolegate::directory::Timestamp;
use rolegate::store::{
    Commit, Counters, Effect, Revision, Store, StoreError, StoredRole, StoredState, StoredTeam,
};
use rolegate::{CustomerId, OrgId, RoleId, TeamId, User, UserId, UserStatus};

use crate::error::{corrupt, sql};
use crate::schema;

/// Ids are the host's 64-bit numbers; SQLite's integers are signed. The
/// bits are kept as they are.
pub(crate) fn to_sql(n: u64) -> i64 {
    n as i64
}

/// The inverse of [`to_sql`].
pub(crate) fn from_sql(n: i64) -> u64 {
    n as u64
}

/// A [`Store`] on one SQLite file, in WAL mode: custom roles, teams, users
/// and memberships in their own tables, and every commit in a change log
/// that other engines on the file catch up from.
///
/// Every commit is synced to disk (`synchronous = FULL`) before it returns,
/// so a change that took effect survives a crash of the machine too.
///
/// Several engines, in one process or several, may open the same file:
/// each commit runs in an immediate transaction that first checks the
/// file's revision, so a change validated against an old state is refused
/// with a conflict rather than committed over a newer one.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
/// use rolegate_sqlite::SqliteStore;
///
/// let dir = std::env::temp_dir().join(format!("rolegate-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("store.db");
/// # let _ = std::fs::remove_file(&path);
/// let engine = Engine::builder(Catalog::standard()).open(SqliteStore::open(&path)?)?;
/// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id()))?;
/// drop(engine);
///
/// let again = Engine::builder(Catalog::standard()).open(SqliteStore::open(&path)?)?;
/// assert!(again.snapshot().user(UserId::new(1)).is_some());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (or creates) the file at `path`, switches it to WAL and brings
    /// its schema up to date.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the file cannot be opened or migrated, or was
    /// written by a newer schema.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::store::{Revision, Store};
    /// use rolegate_sqlite::SqliteStore;
    ///
    /// let path = std::env::temp_dir().join(format!("rolegate-open-{}.db", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let store = SqliteStore::open(&path)?;
    /// assert_eq!(store.load()?.revision, Revision::ZERO);
    /// # drop(store);
    /// # for suffix in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{suffix}", path.display())); }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(|e| sql("cannot open the file", e))?;
        Self::from_connection(conn)
    }

    /// A store in a private in-memory database, for tests.
    ///
    /// # Errors
    ///
    /// As [`open`](Self::open).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Engine, OrgId};
    /// use rolegate_sqlite::SqliteStore;
    ///
    /// let engine = Engine::builder(Catalog::standard()).open(SqliteStore::open_in_memory()?)?;
    /// engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// assert_eq!(engine.revision().get(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| sql("cannot open memory", e))?;
        Self::from_connection(conn)
    }

    fn from_connection(mut conn: Connection) -> Result<Self, StoreError> {
        schema::configure(&conn, "FULL")?;
        schema::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The revision and counters row.
fn state_row(tx: &Connection) -> Result<(Revision, Counters), StoreError> {
    let (revision, next_role, next_team): (i64, u32, i64) = tx
        .query_row(
            "SELECT revision, next_role, next_team FROM state WHERE id = 0",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .map_err(|e| sql("cannot read the revision", e))?;
    // Both only grow from zero and one: a negative one is a corrupt file.
    if revision < 0 || next_team < 1 {
        return Err(StoreError::new(
            rolegate::store::StoreErrorKind::Corrupt,
            &format!(
                "the file's revision ({revision}) or team counter ({next_team}) is out of range"
            ),
        ));
    }
    Ok((
        Revision::new(from_sql(revision)),
        Counters {
            next_role,
            next_team: from_sql(next_team),
        },
    ))
}

fn status_of(text: &str) -> Result<UserStatus, StoreError> {
    text.parse()
        .map_err(|e| corrupt(&format!("a stored user has status {text:?}"), e))
}

fn load(conn: &mut Connection) -> Result<StoredState, StoreError> {
    // One read transaction, so that the state is one revision's.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Deferred)
        .map_err(|e| sql("cannot start reading", e))?;
    let (revision, counters) = state_row(&tx)?;
    let mut roles = Vec::new();
    {
        let mut stmt = tx
            .prepare("SELECT id, organization, name, rules FROM roles ORDER BY id")
            .map_err(|e| sql("cannot read roles", e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .map_err(|e| sql("cannot read roles", e))?;
        for row in rows {
            let (id, organization, name, rules) = row.map_err(|e| sql("cannot read a role", e))?;
            let id = usize::try_from(id)
                .ok()
                .and_then(RoleId::new)
                .ok_or_else(|| {
                    StoreError::new(
                        rolegate::store::StoreErrorKind::Corrupt,
                        &format!("a stored role has id {id}"),
                    )
                })?;
            let rules: Vec<RuleSpec> = serde_json::from_str(&rules)
                .map_err(|e| corrupt(&format!("the rules of stored {id}"), e))?;
            roles.push(StoredRole {
                id,
                organization: OrgId::new(from_sql(organization)),
                name,
                rules,
            });
        }
    }
    let mut teams = Vec::new();
    {
        let mut stmt = tx
            .prepare("SELECT id, organization, name FROM teams ORDER BY id")
            .map_err(|e| sql("cannot read teams", e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok(StoredTeam {
                    id: TeamId::new(from_sql(row.get(0)?)),
                    organization: OrgId::new(from_sql(row.get(1)?)),
                    name: row.get(2)?,
                })
            })
            .map_err(|e| sql("cannot read teams", e))?;
        for row in rows {
            teams.push(row.map_err(|e| sql("cannot read a team", e))?);
        }
    }
    // Memberships ordered by user, merged into the users ordered by id.
    let mut memberships = Vec::new();
    {
        let mut stmt = tx
            .prepare("SELECT user, team FROM memberships ORDER BY user, team")
            .map_err(|e| sql("cannot read memberships", e))?;
        let rows = stmt
            .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)))
            .map_err(|e| sql("cannot read memberships", e))?;
        for row in rows {
            let (user, team) = row.map_err(|e| sql("cannot read a membership", e))?;
            memberships.push((from_sql(user), from_sql(team)));
        }
    }
    let mut users = Vec::new();
    {
        let mut stmt = tx
            .prepare(
                "SELECT id, organization, customer, role, status, last_active FROM users ORDER BY id",
            )
            .map_err(|e| sql("cannot read users", e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, Option<i64>>(5)?,
                ))
            })
            .map_err(|e| sql("cannot read users", e))?;
        // `memberships` is sorted by the users' ids as unsigned numbers, the
        // users by their stored (signed) ids: index it.
        let mut by_user: std::collections::HashMap<u64, Vec<u64>> =
            std::collections::HashMap::new();
        for (user, team) in memberships {
            by_user.entry(user).or_default().push(team);
        }
        for row in rows {
            let (id, organization, customer, role, status, last_active) =
                row.map_err(|e| sql("cannot read a user", e))?;
            let id = from_sql(id);
            let role = usize::try_from(role)
                .ok()
                .and_then(RoleId::new)
                .ok_or_else(|| {
                    StoreError::new(
                        rolegate::store::StoreErrorKind::Corrupt,
                        &format!("stored user {id} has role id {role}"),
                    )
                })?;
            let mut user = User::new(UserId::new(id), OrgId::new(from_sql(organization)), role)
                .with_status(status_of(&status)?);
            if let Some(c) = customer {
                user = user.with_customer(CustomerId::new(from_sql(c)));
            }
            for team in by_user.remove(&id).unwrap_or_default() {
                user = user.with_team(TeamId::new(team));
            }
            if let Some(at) = last_active {
                user = user.with_last_active(Timestamp::from_unix_millis(at));
            }
            users.push(user);
        }
    }
    Ok(StoredState {
        revision,
        counters,
        roles,
        teams,
        users,
    })
}

fn put_user(tx: &Transaction<'_>, user: &User, revision: i64) -> rusqlite::Result<()> {
    let id = to_sql(user.id().get());
    tx.execute(
        "INSERT OR REPLACE INTO users (id, organization, customer, role, status, last_active, revision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id,
            to_sql(user.organization().get()),
            user.customer().map(|c| to_sql(c.get())),
            user.role().index() as i64,
            user.status().as_str(),
            user.last_active().map(Timestamp::unix_millis),
            revision,
        ],
    )?;
    tx.execute("DELETE FROM memberships WHERE user = ?1", [id])?;
    let mut insert = tx.prepare_cached("INSERT INTO memberships (team, user) VALUES (?1, ?2)")?;
    for team in user.teams() {
        insert.execute(params![to_sql(team.get()), id])?;
    }
    Ok(())
}

fn apply(tx: &Transaction<'_>, effect: &Effect, revision: i64) -> Result<(), StoreError> {
    let written = match effect {
        Effect::PutRole(role) => {
            let rules = serde_json::to_string(&role.rules)
                .map_err(|e| corrupt(&format!("cannot encode the rules of {}", role.id), e))?;
            tx.execute(
                "INSERT OR REPLACE INTO roles (id, organization, name, rules, revision) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    role.id.index() as i64,
                    to_sql(role.organization.get()),
                    role.name,
                    rules,
                    revision
                ],
            )
            .map(drop)
        }
        Effect::DeleteRole(id) => tx
            .execute("DELETE FROM roles WHERE id = ?1", [id.index() as i64])
            .map(drop),
        Effect::PutTeam(team) => tx
            .execute(
                "INSERT OR REPLACE INTO teams (id, organization, name, revision) VALUES (?1, ?2, ?3, ?4)",
                params![
                    to_sql(team.id.get()),
                    to_sql(team.organization.get()),
                    team.name,
                    revision
                ],
            )
            .map(drop),
        Effect::DeleteTeam(id) => tx
            .execute("DELETE FROM teams WHERE id = ?1", [to_sql(id.get())])
            .and_then(|_| {
                tx.execute(
                    "DELETE FROM memberships WHERE team = ?1",
                    [to_sql(id.get())],
                )
            })
            .map(drop),
        Effect::PutUser(user) => put_user(tx, user, revision),
        Effect::DeleteUser(id) => tx
            .execute("DELETE FROM users WHERE id = ?1", [to_sql(id.get())])
            .and_then(|_| {
                tx.execute(
                    "DELETE FROM memberships WHERE user = ?1",
                    [to_sql(id.get())],
                )
            })
            .map(drop),
        other => {
            return Err(StoreError::new(
                rolegate::store::StoreErrorKind::Other,
                &format!("this version of rolegate-sqlite cannot store {other:?}"),
            ));
        }
    };
    written.map_err(|e| sql("cannot write the commit", e))
}

fn commit(conn: &mut Connection, commit: &Commit) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| sql("cannot start the commit", e))?;
    let (found, _) = state_row(&tx)?;
    if found != commit.base {
        return Err(StoreError::conflict(commit.base, found));
    }
    let revision = to_sql(commit.revision().get());
    for effect in &commit.effects {
        apply(&tx, effect, revision)?;
    }
    tx.execute(
        "UPDATE state SET revision = ?1, next_role = ?2, next_team = ?3 WHERE id = 0",
        params![
            revision,
            commit.counters.next_role,
            to_sql(commit.counters.next_team)
        ],
    )
    .map_err(|e| sql("cannot write the revision", e))?;
    let body = serde_json::to_string(commit).map_err(|e| corrupt("cannot encode the commit", e))?;
    tx.execute(
        "INSERT INTO commits (revision, body, committed_at) VALUES (?1, ?2, ?3)",
        params![revision, body, Timestamp::now().unix_millis()],
    )
    .map_err(|e| sql("cannot write the change log", e))?;
    // Dropped without commit on any error above: rolled back.
    tx.commit().map_err(|e| sql("cannot commit", e))
}

fn commits_since(conn: &Connection, after: Revision) -> Result<Vec<Commit>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT revision, body FROM commits WHERE revision > ?1 ORDER BY revision")
        .map_err(|e| sql("cannot read the change log", e))?;
    let rows = stmt
        .query_map([to_sql(after.get())], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(|e| sql("cannot read the change log", e))?;
    let mut out = Vec::new();
    for row in rows {
        let (revision, body) = row.map_err(|e| sql("cannot read a commit", e))?;
        let commit: Commit = serde_json::from_str(&body)
            .map_err(|e| corrupt(&format!("commit {revision} does not read back"), e))?;
        out.push(commit);
    }
    Ok(out)
}

impl Store for SqliteStore {
    fn load(&self) -> Result<StoredState, StoreError> {
        load(&mut self.conn())
    }

    fn commit(&self, c: &Commit) -> Result<(), StoreError> {
        commit(&mut self.conn(), c)
    }

    fn commits_since(&self, after: Revision) -> Result<Vec<Commit>, StoreError> {
        commits_since(&self.conn(), after)
    }
}
