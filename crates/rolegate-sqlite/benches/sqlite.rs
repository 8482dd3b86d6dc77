//! The SQLite store and sink against plain rusqlite: opening an engine on a
//! file of 100,000 users and 1,000 custom roles, one administrative change
//! end to end, and appending audit events in batched and strict mode.
//!
//! Each group times a floor on the same file layout: the same rows read
//! into `Vec`s, one `UPDATE` in its own transaction, the same `INSERT`s
//! without the sink. The file of the first two groups is built once, before
//! any timing, through the engine's `bootstrap()` calls (one commit each:
//! there is no bulk path from a builder to a store). Run with
//! `cargo bench -p rolegate-sqlite`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use rolegate::audit::{AuditLog, HostEvent, Outcome};
use rolegate::*;
use rolegate_sqlite::{Durability, SqliteSink, SqliteStore};
use rusqlite::{Connection, params};

const USERS: u64 = 100_000;
const ORGS: u64 = 100;
const ROLES_PER_ORG: usize = 10;
const TEAMS_PER_ORG: usize = 5;
const BATCH: u64 = 10_000;
const BATCHED: Durability = Durability::Batched {
    max_events: 1_000,
    max_delay: Duration::from_millis(20),
};

/// A directory under the system's temporary one, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let path = std::env::temp_dir().join(format!("rolegate-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The five rules of each generated custom role, varied by `i`, as in the
/// core's `benches/engine.rs`.
fn rules(catalog: &Catalog, i: usize) -> Vec<Rule> {
    let types = ["connectors", "connections", "workflows", "agents", "tools"];
    let ty = types[i % types.len()];
    vec![
        Rule::builder(catalog, ty, "read").build().unwrap(),
        Rule::builder(catalog, ty, "update")
            .must_match(MustMatch::TEAM)
            .build()
            .unwrap(),
        Rule::builder(catalog, ty, "delete")
            .conditions(r#"status != "archived" and priority <= 3"#)
            .build()
            .unwrap(),
        Rule::builder(catalog, "activity", "read").build().unwrap(),
        Rule::builder(catalog, "organization", "read")
            .build()
            .unwrap(),
    ]
}

fn org_of(user: u64) -> OrgId {
    OrgId::new((user - 1) % ORGS + 1)
}

/// A Developer of organization 3 (not its Owner): the user whose status
/// `admin_change` flips.
const TARGET: UserId = UserId::new(ORGS * 3 + 3);

/// Writes the file: per organization 10 custom roles of 5 rules and 5
/// teams, then 100,000 users over the 100 organizations (the first of each
/// its Owner), a third of them in one team or two, every tenth End User
/// with a customer. One `bootstrap()` call, one commit, per item.
fn build(path: &Path) {
    let started = Instant::now();
    let catalog = Catalog::standard();
    let engine = Engine::builder(catalog.clone())
        .open(SqliteStore::open(path).unwrap())
        .unwrap();
    let boot = engine.bootstrap();
    let mut roles: Vec<Vec<RoleId>> = Vec::new();
    let mut teams: Vec<Vec<TeamId>> = Vec::new();
    for o in 1..=ORGS {
        let org = OrgId::new(o);
        roles.push(
            (0..ROLES_PER_ORG)
                .map(|k| {
                    boot.create_role(org, &format!("Role {k}"), rules(&catalog, k))
                        .unwrap()
                })
                .collect(),
        );
        teams.push(
            (0..TEAMS_PER_ORG)
                .map(|k| boot.create_team(org, &format!("Team {k}")).unwrap())
                .collect(),
        );
    }
    let system = [
        SystemRole::Admin.id(),
        SystemRole::Developer.id(),
        SystemRole::Operator.id(),
        SystemRole::Viewer.id(),
        SystemRole::EndUser.id(),
    ];
    for i in 1..=USERS {
        let org = org_of(i);
        let o = (org.get() - 1) as usize;
        let n = (i - 1) / ORGS; // the user's rank in its organization
        let role = if n == 0 {
            SystemRole::Owner.id()
        } else if n.is_multiple_of(2) {
            roles[o][(n as usize / 2) % ROLES_PER_ORG]
        } else {
            system[(n as usize / 2) % system.len()]
        };
        let mut user = User::new(UserId::new(i), org, role);
        if role == SystemRole::EndUser.id() && n % 10 < 5 {
            user = user.with_customer(CustomerId::new(1_000 + n % 20));
        }
        if n.is_multiple_of(3) {
            user = user.with_team(teams[o][n as usize % TEAMS_PER_ORG]);
            if n.is_multiple_of(9) {
                user = user.with_team(teams[o][(n as usize + 1) % TEAMS_PER_ORG]);
            }
        }
        boot.add_user(user).unwrap();
    }
    assert_eq!(
        engine.snapshot().user(TARGET).map(|u| u.role()),
        Some(SystemRole::Developer.id())
    );
    eprintln!(
        "built {}: {USERS} users, {} custom roles, {} teams, {} in {:.1?}",
        path.display(),
        ORGS as usize * ROLES_PER_ORG,
        ORGS as usize * TEAMS_PER_ORG,
        engine.revision(),
        started.elapsed()
    );
}

/// A user's row: id, organization, customer, role, status, last activity.
type UserRow = (i64, i64, Option<i64>, i64, String, Option<i64>);

/// The rows of the file as plain values, read with the store's queries.
#[derive(Default)]
struct Rows {
    roles: Vec<(i64, i64, String, String)>,
    teams: Vec<(i64, i64, String)>,
    memberships: Vec<(i64, i64)>,
    users: Vec<UserRow>,
}

fn read_rows(path: &Path) -> Rows {
    let mut conn = Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    let mut rows = Rows::default();
    {
        let mut stmt = tx
            .prepare("SELECT id, organization, name, rules FROM roles ORDER BY id")
            .unwrap();
        let it = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap();
        rows.roles = it.collect::<Result<_, _>>().unwrap();
        let mut stmt = tx
            .prepare("SELECT id, organization, name FROM teams ORDER BY id")
            .unwrap();
        let it = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        rows.teams = it.collect::<Result<_, _>>().unwrap();
        let mut stmt = tx
            .prepare("SELECT user, team FROM memberships ORDER BY user, team")
            .unwrap();
        let it = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.memberships = it.collect::<Result<_, _>>().unwrap();
        let mut stmt = tx
            .prepare(
                "SELECT id, organization, customer, role, status, last_active FROM users ORDER BY id",
            )
            .unwrap();
        let it = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap();
        rows.users = it.collect::<Result<_, _>>().unwrap();
    }
    tx.commit().unwrap();
    rows
}

fn load(c: &mut Criterion, path: &Path) {
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("floor_rusqlite_rows", |b| {
        b.iter_with_large_drop(|| {
            let rows = read_rows(path);
            assert_eq!(rows.users.len(), USERS as usize);
            assert_eq!(rows.roles.len(), ORGS as usize * ROLES_PER_ORG);
            rows
        })
    });
    g.bench_function("engine_open", |b| {
        b.iter_with_large_drop(|| {
            let engine = Engine::builder(Catalog::standard())
                .open(SqliteStore::open(path).unwrap())
                .unwrap();
            let snapshot = engine.snapshot();
            assert!(snapshot.user(UserId::new(USERS)).is_some());
            assert_eq!(snapshot.roles(OrgId::new(ORGS)).len(), 6 + ROLES_PER_ORG);
            engine
        })
    });
    g.finish();
}

fn engine_with(path: &Path, durability: Durability) -> Engine {
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(SqliteSink::open(path, durability).unwrap()));
    builder.open(SqliteStore::open(path).unwrap()).unwrap()
}

/// One `UPDATE` of a user's status in its own transaction, on a connection
/// set up as the store's (`NORMAL`) or the strict sink's (`FULL`).
fn floor_update(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    path: &Path,
    synchronous: &str,
) {
    let mut conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", synchronous)
        .unwrap();
    // Another user than the engine's target, put back as it was.
    let user = TARGET.get() as i64 + ORGS as i64 * 2;
    g.bench_function(
        format!("floor_update_{}", synchronous.to_lowercase()),
        |b| {
            let mut flip = false;
            b.iter(|| {
                flip = !flip;
                let status = if flip { "suspended" } else { "active" };
                let tx = conn.transaction().unwrap();
                let changed = tx
                    .execute(
                        "UPDATE users SET status = ?1 WHERE id = ?2",
                        params![status, user],
                    )
                    .unwrap();
                tx.commit().unwrap();
                assert_eq!(changed, 1);
            })
        },
    );
    conn.execute("UPDATE users SET status = 'active' WHERE id = ?1", [user])
        .unwrap();
}

fn admin_change(c: &mut Criterion, path: &Path) {
    let mut g = c.benchmark_group("admin_change");
    g.sample_size(20);
    floor_update(&mut g, path, "NORMAL");
    floor_update(&mut g, path, "FULL");
    for (name, durability) in [
        ("set_status_strict_sink", Durability::Strict),
        ("set_status_batched_sink", BATCHED),
    ] {
        let engine = engine_with(path, durability);
        let boot = engine.bootstrap();
        g.bench_function(name, |b| {
            let mut flip = false;
            b.iter(|| {
                flip = !flip;
                let status = if flip {
                    UserStatus::Suspended
                } else {
                    UserStatus::Active
                };
                boot.set_status(TARGET, status).unwrap();
                assert_eq!(
                    engine.snapshot().user(TARGET).map(|u| u.status()),
                    Some(status)
                );
            })
        });
        boot.set_status(TARGET, UserStatus::Active).unwrap();
    }
    g.finish();
}

fn login(i: u64) -> HostEvent {
    HostEvent::new(org_of(i % USERS + 1), "auth.login", Outcome::Success)
        .user(UserId::new(i % USERS + 1))
        .resource("session", "web")
}

/// The row the sink writes for [`login`], with plain rusqlite.
fn insert_login(conn: &Connection, id: i64) {
    let user = id % USERS as i64 + 1;
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO events (id, at, organization, actor, role, role_name, action, resource_type,
                                 resource_id, outcome, reason, completed_at)
             VALUES (?1, ?2, ?3, ?4, NULL, NULL, 'auth.login', 'session', 'web', 'success', NULL, NULL)",
        )
        .unwrap();
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let changed = stmt
        .execute(params![id, at, org_of(user as u64).get() as i64, user])
        .unwrap();
    assert_eq!(changed, 1);
}

/// A file with the schema and nothing else, and a plain connection on it.
fn fresh(path: &Path, synchronous: &str) -> Connection {
    drop(SqliteStore::open(path).unwrap());
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", synchronous)
        .unwrap();
    conn
}

fn audit_ingest(c: &mut Criterion, dir: &TempDir) {
    let mut g = c.benchmark_group("audit_ingest");

    // Strict first, before the batched runs leave dirty pages for the
    // kernel to write back under its fsyncs: each iteration is one event,
    // on disk when the call returns.
    g.sample_size(20);
    g.throughput(Throughput::Elements(1));
    {
        let conn = fresh(&dir.file("floor_strict.db"), "FULL");
        let mut next = 0i64;
        g.bench_function("floor_strict", |b| {
            b.iter(|| {
                next += 1;
                let tx = conn.unchecked_transaction().unwrap();
                insert_login(&tx, next);
                tx.commit().unwrap();
            })
        });
    }
    {
        let log =
            AuditLog::new(SqliteSink::open(dir.file("strict.db"), Durability::Strict).unwrap());
        let mut i = 0u64;
        g.bench_function("record_strict", |b| {
            b.iter(|| {
                i += 1;
                assert!(log.record(login(i)).unwrap().is_some());
            })
        });
    }

    // Batched: each iteration queues 10,000 events and waits until they
    // are on the file.
    g.sample_size(10);
    g.throughput(Throughput::Elements(BATCH));
    {
        let mut conn = fresh(&dir.file("floor_batched.db"), "NORMAL");
        let mut next = 0i64;
        g.bench_function(format!("floor_batched_{BATCH}"), |b| {
            b.iter(|| {
                let tx = conn.transaction().unwrap();
                for _ in 0..BATCH {
                    next += 1;
                    insert_login(&tx, next);
                }
                tx.commit().unwrap();
            })
        });
    }
    {
        let sink = Arc::new(SqliteSink::open(dir.file("batched.db"), BATCHED).unwrap());
        let log = AuditLog::new(Arc::clone(&sink));
        let mut i = 0u64;
        g.bench_function(format!("record_batched_{BATCH}"), |b| {
            b.iter(|| {
                for _ in 0..BATCH {
                    i += 1;
                    assert!(log.record(login(i)).unwrap().is_some());
                }
                sink.flush().unwrap();
            })
        });
        assert_eq!(sink.lost(), 0);
    }
    g.finish();
}

fn sqlite(c: &mut Criterion) {
    let dir = TempDir::new();
    let state = dir.file("state.db");
    build(&state);
    load(c, &state);
    admin_change(c, &state);
    audit_ingest(c, &dir);
}

criterion_group!(benches, sqlite);
criterion_main!(benches);
