//! Engines on PostgreSQL: how long a commit takes to be served by another
//! engine through its change feed (p50 and p99 over 1,000 changes), opening
//! an engine on 1,000,000 users and 10,000 roles, and applying one incoming
//! change on a small and on that large state. Needs a server: set
//! `ROLEGATE_POSTGRES_URL` (each run uses, and drops, its own schema), e.g.
//!
//! ```sh
//! ROLEGATE_POSTGRES_URL="host=127.0.0.1 user=postgres dbname=test" cargo bench -p rolegate-postgres
//! ```
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write as _;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use rolegate::audit::AuditLog;
use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId, UserStatus};
use rolegate_postgres::{ChangeFeed, Config, FeedOptions, PostgresStore};

const USERS: u64 = 1_000_000;
const ROLES: u32 = 10_000;
const ORGS: u64 = 1_000;

/// A schema of the bench's own, dropped at the end.
struct Schema {
    url: String,
    name: String,
}

impl Schema {
    fn new(url: &str, name: &str) -> Self {
        let name = format!("rolegate_bench_{}_{name}", std::process::id());
        let mut client = url
            .parse::<Config>()
            .unwrap()
            .connect(postgres::NoTls)
            .unwrap();
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .unwrap();
        Self {
            url: url.to_owned(),
            name,
        }
    }

    fn config(&self) -> Config {
        let mut config: Config = self.url.parse().unwrap();
        config.options(&format!("-c search_path={}", self.name));
        config
    }

    fn engine(&self) -> Engine {
        let mut builder = Engine::builder(Catalog::standard());
        builder.audit(AuditLog::in_memory());
        builder
            .open(PostgresStore::with_config(self.config()).unwrap())
            .unwrap()
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut client) = self.url.parse::<Config>().unwrap().connect(postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// One change a call: user 2 suspended, then active again, and so on;
/// the revision it committed.
fn toggler(writer: &Engine) -> impl FnMut() -> rolegate::store::Revision + '_ {
    let mut suspend = false;
    move || {
        suspend = !suspend;
        let status = if suspend {
            UserStatus::Suspended
        } else {
            UserStatus::Active
        };
        writer
            .bootstrap()
            .set_status(UserId::new(2), status)
            .unwrap();
        writer.revision()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Commit on one engine, served by another: the floor is the commit alone.
fn feed(c: &mut Criterion, url: &str) {
    let schema = Schema::new(url, "feed");
    let writer = schema.engine();
    let reader = schema.engine();
    let feed = ChangeFeed::with_config(reader.clone(), schema.config(), FeedOptions::default());
    let org = OrgId::new(1);
    writer
        .bootstrap()
        .add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))
        .unwrap();
    writer
        .bootstrap()
        .add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))
        .unwrap();
    let mut change = toggler(&writer);
    // The delay from a commit returning on the writer to the reader serving
    // it, over 1,000 changes.
    let mut delays = Vec::with_capacity(1_000);
    for _ in 0..1_000 {
        let revision = change();
        let committed = Instant::now();
        assert!(feed.wait_for(revision, Duration::from_secs(10)));
        delays.push(committed.elapsed());
    }
    delays.sort_unstable();
    println!(
        "feed/commit_to_visible over {} changes: p50 {:?}, p99 {:?}, max {:?}",
        delays.len(),
        percentile(&delays, 0.50),
        percentile(&delays, 0.99),
        delays[delays.len() - 1]
    );
    let _ = std::io::stdout().flush();

    let mut g = c.benchmark_group("feed");
    g.sample_size(30);
    g.bench_function("floor_commit", |b| {
        b.iter(&mut change);
    });
    g.bench_function("commit_and_visible", |b| {
        b.iter(|| {
            let revision = change();
            assert!(feed.wait_for(revision, Duration::from_secs(10)));
        });
    });
    g.finish();
}

/// Writes `USERS` users over `ORGS` organizations and `ROLES` custom roles
/// straight into the tables, as a long-lived database would hold them.
fn fill(schema: &Schema) {
    // Created through the store, so that the schema is migrated.
    drop(schema.engine());
    let mut client = schema.config().connect(postgres::NoTls).unwrap();
    let rules = r#"[{"resource":"workflows","action":"read","must_match":["organization"],"conditions":""},{"resource":"workflows","action":"update","must_match":["organization","team"],"conditions":"status != \"archived\""}]"#;
    let mut roles = client
        .copy_in("COPY rolegate_roles (id, organization, name, rules, revision) FROM STDIN")
        .unwrap();
    for i in 0..ROLES {
        // COPY's text format takes a backslash as an escape.
        let rules = rules.replace('\\', "\\\\");
        writeln!(
            roles,
            "{}\t{}\trole {i}\t{rules}\t0",
            6 + i,
            1 + u64::from(i) % ORGS
        )
        .unwrap();
    }
    roles.finish().unwrap();
    let mut users = client
        .copy_in("COPY rolegate_users (id, organization, customer, role, status, last_active, revision) FROM STDIN")
        .unwrap();
    for i in 0..USERS {
        let org = 1 + i % ORGS;
        // Every fourth user holds a custom role of their organization.
        let role = if i % 4 == 0 {
            6 + (org - 1) as u32
        } else {
            (i % 5) as u32 + 1
        };
        writeln!(users, "{}\t{org}\t\\N\t{role}\tactive\t\\N\t0", i + 1).unwrap();
    }
    users.finish().unwrap();
    client
        .execute(
            "UPDATE rolegate_state SET next_role = $1",
            &[&(6 + i64::from(ROLES))],
        )
        .unwrap();
}

fn load_and_apply(c: &mut Criterion, url: &str) {
    let large = Schema::new(url, "large");
    fill(&large);
    let mut g = c.benchmark_group("load_1m_users_10k_roles");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.measurement_time(Duration::from_secs(40));
    g.bench_function("floor_select_rows", |b| {
        let mut client = large.config().connect(postgres::NoTls).unwrap();
        b.iter(|| {
            let users = client
                .query("SELECT id, organization, customer, role, status, last_active FROM rolegate_users ORDER BY id", &[])
                .unwrap();
            let roles = client
                .query("SELECT id, organization, name, rules FROM rolegate_roles ORDER BY id", &[])
                .unwrap();
            assert_eq!((users.len(), roles.len()), (USERS as usize, ROLES as usize));
        });
    });
    g.bench_function("engine_open", |b| {
        b.iter(|| {
            let engine = large.engine();
            assert_eq!(engine.snapshot().user_count(), USERS as usize);
        });
    });
    g.finish();

    // One incoming change, applied by a reader of a small and of the large
    // state: the floor is a catch-up that finds nothing new.
    let small = Schema::new(url, "small");
    {
        let engine = small.engine();
        for i in 0..1_000u64 {
            engine
                .bootstrap()
                .add_user(User::new(
                    UserId::new(i + 1),
                    OrgId::new(1 + i % 10),
                    SystemRole::Viewer.id(),
                ))
                .unwrap();
        }
    }
    let mut g = c.benchmark_group("apply_one_change");
    g.sample_size(50);
    for (name, schema) in [("1k_users", &small), ("1m_users", &large)] {
        let writer = schema.engine();
        let reader = schema.engine();
        let mut commit = toggler(&writer);
        if name == "1k_users" {
            g.bench_function("floor_nothing_new", |b| {
                b.iter(|| reader.refresh().unwrap());
            });
        }
        g.bench_function(format!("apply_{name}"), |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let _ = commit();
                    let started = Instant::now();
                    assert_eq!(reader.refresh().unwrap(), writer.revision());
                    spent += started.elapsed();
                }
                spent
            });
        });
    }
    g.finish();
}

fn benches(c: &mut Criterion) {
    let Ok(url) = std::env::var("ROLEGATE_POSTGRES_URL") else {
        println!(
            "postgres benches skipped: set ROLEGATE_POSTGRES_URL, e.g. \
             ROLEGATE_POSTGRES_URL=\"host=127.0.0.1 user=postgres dbname=test\" cargo bench -p rolegate-postgres"
        );
        return;
    };
    feed(c, &url);
    load_and_apply(c, &url);
}

criterion_group!(postgres_benches, benches);
criterion_main!(postgres_benches);
