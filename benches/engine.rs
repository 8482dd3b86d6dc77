//! The live engine: building 10,000 custom roles, editing one role among 10
//! and among 10,000, loading 1,000,000 users, the people listing of an
//! organization of 100,000, a check through the engine against one on a
//! compiled policy, and two threads checking against one.
//!
//! Each group times a floor: the least work of the same kind (building the
//! role values without compiling them, building one role value, collecting
//! the users into a `Vec`, one bit test). Run with `cargo bench --bench
//! engine`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rolegate::*;

const ORG: OrgId = OrgId::new(1);

/// The five rules of each generated custom role, varied by `i`.
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

/// `n` custom roles as names and rules.
fn roles(catalog: &Catalog, n: usize) -> Vec<(String, Vec<Rule>)> {
    (0..n)
        .map(|i| (format!("Role {i}"), rules(catalog, i)))
        .collect()
}

fn engine_with(catalog: &Catalog, roles: Vec<(String, Vec<Rule>)>) -> (Engine, Vec<RoleId>) {
    let mut builder = Engine::builder(catalog.clone());
    let ids = roles
        .into_iter()
        .map(|(name, rules)| builder.create_role(ORG, &name, rules).unwrap())
        .collect();
    (builder.build(), ids)
}

fn build_roles(c: &mut Criterion) {
    let catalog = Catalog::standard();
    let mut g = c.benchmark_group("build_roles");
    g.sample_size(10);
    // Ten times the roles should cost ten times as much, not more.
    for n in [1_000, 10_000] {
        let input = roles(&catalog, n);
        g.bench_function(format!("floor_{n}"), |b| {
            b.iter(|| {
                let made = roles(&catalog, n);
                assert_eq!(made.len(), n);
                made
            })
        });
        g.bench_function(format!("engine_{n}"), |b| {
            b.iter_batched(
                || input.clone(),
                |roles| {
                    let (engine, ids) = engine_with(&catalog, roles);
                    assert_eq!(ids.len(), n);
                    engine
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn edit_one_role(c: &mut Criterion) {
    let catalog = Catalog::standard();
    let mut g = c.benchmark_group("edit_one_role");
    let (a, b) = (rules(&catalog, 0), rules(&catalog, 1));
    g.bench_function("floor", |bench| {
        let mut flip = false;
        bench.iter(|| {
            flip = !flip;
            let next = if flip { &a } else { &b };
            Role::custom(ORG, "Edited", next.clone()).unwrap()
        })
    });
    for n in [10, 10_000] {
        let (engine, ids) = engine_with(&catalog, roles(&catalog, n));
        let target = ids[n / 2];
        let admin = engine.bootstrap();
        g.bench_function(format!("among_{n}"), |bench| {
            let mut flip = false;
            bench.iter(|| {
                flip = !flip;
                let next = if flip { &a } else { &b };
                let edit = admin.replace_rules(target, next.clone()).unwrap();
                assert_eq!(edit.id, target);
                edit
            })
        });
    }
    g.finish();
}

fn load_users(c: &mut Criterion) {
    let catalog = Catalog::standard();
    let roles = [
        SystemRole::Developer.id(),
        SystemRole::Viewer.id(),
        SystemRole::Operator.id(),
    ];
    let make = move |n: u64| {
        (1..=n).map(move |i| {
            User::new(
                UserId::new(i),
                OrgId::new(i % 1_000),
                roles[(i % 3) as usize],
            )
        })
    };
    let mut g = c.benchmark_group("load_users");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    // Ten times the users should cost about ten times as much; what grows
    // beyond is the memory hierarchy, as for any map of this size.
    for n in [100_000, 1_000_000] {
        g.bench_function(format!("floor_{n}"), |b| {
            b.iter(|| {
                let users: Vec<User> = make(n).collect();
                assert_eq!(users.len(), n as usize);
                users
            })
        });
        g.bench_function(format!("engine_{n}"), |b| {
            b.iter(|| {
                let mut builder = Engine::builder(catalog.clone());
                for user in make(n) {
                    builder.add_user(user).unwrap();
                }
                let engine = builder.build();
                assert!(engine.snapshot().user(UserId::new(n)).is_some());
                engine
            })
        });
    }
    g.finish();
}

/// The plain-allow request of `benches/can.rs`, on a policy and on an engine
/// holding the same roles and the user.
struct Checks {
    policy: Policy,
    engine: Engine,
    subject: Subject,
    execute: ActionId,
    workflow: Resource<'static>,
}

fn checks() -> Checks {
    let catalog = Catalog::standard();
    let policy = Policy::new(catalog.clone());
    let engine = Engine::new(catalog.clone());
    let user = UserId::new(1);
    engine
        .bootstrap()
        .add_user(User::new(user, ORG, SystemRole::Developer.id()))
        .unwrap();
    let subject = engine.snapshot().subject(user).unwrap();
    let workflow = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(1),
        ORG,
    );
    Checks {
        policy,
        engine,
        subject,
        execute: catalog.action("execute").unwrap(),
        workflow,
    }
}

#[inline]
fn floor(mask: u64, bit: u32, subject_org: u64, resource_org: u64) -> bool {
    subject_org == resource_org && mask & (1u64 << bit) != 0
}

fn engine_overhead(c: &mut Criterion) {
    let k = checks();
    let (s, a, r) = (&k.subject, k.execute, &k.workflow);
    let mut g = c.benchmark_group("engine_overhead");
    g.bench_function("floor", |b| {
        b.iter(|| {
            let d = floor(
                black_box(1 << 17),
                black_box(17),
                black_box(1),
                black_box(1),
            );
            assert!(d);
            d
        })
    });
    g.bench_function("policy_can", |b| {
        b.iter(|| {
            let d = k.policy.can(black_box(s), black_box(a), black_box(r));
            assert!(d);
            d
        })
    });
    let snapshot = k.engine.snapshot();
    g.bench_function("snapshot_can", |b| {
        b.iter(|| {
            let d = snapshot.can(black_box(UserId::new(1)), black_box(a), black_box(r));
            assert!(d);
            d
        })
    });
    g.bench_function("engine_can", |b| {
        b.iter(|| {
            let d = k
                .engine
                .can(black_box(UserId::new(1)), black_box(a), black_box(r));
            assert!(d);
            d
        })
    });
    g.finish();
}

/// Runs `per_thread` checks on each of `threads` threads at once; returns
/// the wall time.
fn run_threads(threads: usize, per_thread: u64, check: &(dyn Fn() -> bool + Sync)) -> Duration {
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..per_thread {
                    assert!(black_box(check()));
                }
            });
        }
    });
    start.elapsed()
}

fn threads(c: &mut Criterion) {
    let k = Arc::new(checks());
    let mut g = c.benchmark_group("threads");
    let floor_check = || {
        floor(
            black_box(1 << 17),
            black_box(17),
            black_box(1),
            black_box(1),
        )
    };
    let engine_check = || {
        k.engine.can(
            black_box(UserId::new(1)),
            black_box(k.execute),
            black_box(&k.workflow),
        )
    };
    // Each iteration is one batch of checks per thread: equal times for one
    // and two threads mean twice the throughput.
    const BATCH: u64 = 100_000;
    for (name, n, check) in [
        (
            "floor_1_thread",
            1,
            &floor_check as &(dyn Fn() -> bool + Sync),
        ),
        ("floor_2_threads", 2, &floor_check),
        ("engine_1_thread", 1, &engine_check),
        ("engine_2_threads", 2, &engine_check),
    ] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| (0..iters).map(|_| run_threads(n, BATCH, check)).sum())
        });
    }
    g.finish();
}

/// The people listing of one organization of 100,000 users, each in 2 of
/// its 100 teams, filtered by role and team, by role alone, and by team
/// alone; the floor filters a `Vec` of the same users by the same test and
/// clones the matches.
fn people_listing(c: &mut Criterion) {
    use rolegate::directory::PeopleFilter;
    const N: u64 = 100_000;
    let catalog = Catalog::standard();
    let roles = [
        SystemRole::Developer.id(),
        SystemRole::Viewer.id(),
        SystemRole::Operator.id(),
    ];
    let mut builder = Engine::builder(catalog);
    let teams: Vec<TeamId> = (0..100)
        .map(|t| builder.create_team(ORG, &format!("Team {t}")).unwrap())
        .collect();
    let users: Vec<User> = (1..=N)
        .map(|i| {
            User::new(UserId::new(i), ORG, roles[(i % 3) as usize])
                .with_team(teams[(i % 100) as usize])
                .with_team(teams[((i + 37) % 100) as usize])
        })
        .collect();
    for user in &users {
        builder.add_user(user.clone()).unwrap();
    }
    let engine = builder.build();
    let snapshot = engine.snapshot();
    let (role, team) = (SystemRole::Developer.id(), teams[7]);
    let expected = users
        .iter()
        .filter(|u| u.role() == role && u.teams().contains(&team))
        .count();
    assert!(expected > 0);

    let mut g = c.benchmark_group("people_listing");
    g.bench_function("floor_role_and_team", |b| {
        b.iter(|| {
            let found: Vec<User> = users
                .iter()
                .filter(|u| u.role() == role && u.teams().contains(&team))
                .cloned()
                .collect();
            assert_eq!(found.len(), expected);
            found
        })
    });
    let cases = [
        ("role_and_team", PeopleFilter::new().role(role).team(team)),
        ("role", PeopleFilter::new().role(role)),
        ("team", PeopleFilter::new().team(team)),
    ];
    for (name, filter) in cases {
        g.bench_function(format!("engine_{name}"), |b| {
            b.iter(|| {
                let people = snapshot.people(ORG, black_box(&filter));
                assert!(!people.is_empty());
                people
            })
        });
    }
    g.finish();
}

criterion_group!(
    engine,
    engine_overhead,
    threads,
    edit_one_role,
    build_roles,
    load_users,
    people_listing
);
criterion_main!(engine);
