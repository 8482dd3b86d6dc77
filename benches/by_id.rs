//! Checks by user id through the engine, and bulk checks, on the five
//! checks of `benches/can.rs`, each group with the floor and `Policy::can`
//! on the same question and the same user as a subject value.
//!
//! The engine holds 100,000 users besides the ones checked, so that the
//! user's lookup is a real one. The user checked holds 0, 2 or 16 teams
//! (the team the conditional check needs among them): the cost must not
//! depend on it. The bulk case checks 1,000 resources at once; its floor is
//! 1,000 floor checks. The `by_id_many_users` group checks 1,000 users in
//! turn, a lookup whose user changes at every check. Run with
//! `cargo bench --bench by_id`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rolegate::*;

const ORG: OrgId = OrgId::new(1);
const OTHERS: u64 = 100_000;

/// The floor: is bit `bit` of `mask` set, and are two organizations equal.
#[inline]
fn floor(mask: u64, bit: u32, subject_org: u64, resource_org: u64) -> bool {
    subject_org == resource_org && mask & (1u64 << bit) != 0
}

struct World {
    engine: Engine,
    teams: Vec<TeamId>,
    editor_role: RoleId,
}

fn world() -> World {
    let catalog = Catalog::standard();
    let rule = |action| {
        Rule::builder(&catalog, "workflows", action)
            .must_match(MustMatch::TEAM)
            .conditions(r#"status != "archived""#)
            .build()
            .unwrap()
    };
    let mut builder = Engine::builder(catalog.clone());
    let editor_role = builder
        .create_role(ORG, "Marketing Editor", [rule("read"), rule("update")])
        .unwrap();
    let teams: Vec<TeamId> = (0..16)
        .map(|i| builder.create_team(ORG, &format!("Team {i}")).unwrap())
        .collect();
    for i in 0..OTHERS {
        builder
            .add_user(User::new(
                UserId::new(1_000_000 + i),
                OrgId::new(10 + i % 100),
                SystemRole::Viewer.id(),
            ))
            .unwrap();
    }
    World {
        engine: builder.build(),
        teams,
        editor_role,
    }
}

/// Adds the three users of one check (0, 2 and 16 teams, the team `needed`
/// among them when there are any); returns their ids.
fn users(
    w: &World,
    base: u64,
    role: RoleId,
    customer: Option<CustomerId>,
    needed: TeamId,
) -> [UserId; 3] {
    let mut ids = [UserId::new(0); 3];
    for (k, count) in [0usize, 2, 16].into_iter().enumerate() {
        let id = UserId::new(base + k as u64);
        let mut user = User::new(id, ORG, role);
        if let Some(c) = customer {
            user = user.with_customer(c);
        }
        if count > 0 {
            user = user.with_team(needed);
        }
        for t in w
            .teams
            .iter()
            .filter(|t| **t != needed)
            .take(count.saturating_sub(1))
        {
            user = user.with_team(*t);
        }
        w.engine.bootstrap().add_user(user).unwrap();
        ids[k] = id;
    }
    ids
}

fn group(
    c: &mut Criterion,
    name: &str,
    w: &World,
    users: [UserId; 3],
    action: ActionId,
    resource: &Resource<'static>,
    want: bool,
) {
    let snapshot = w.engine.snapshot();
    let policy = snapshot.policy();
    let mut g = c.benchmark_group(name);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    let mask: u64 = if want { 1 << 17 } else { 1 << 16 };
    g.bench_function("floor", |b| {
        b.iter(|| {
            let d = floor(black_box(mask), black_box(17), black_box(1), black_box(1));
            assert_eq!(d, want);
            d
        })
    });
    for (k, teams) in [0, 2, 16].into_iter().enumerate() {
        let user = users[k];
        // A user with no team is denied what needs one.
        let expect = want && (teams > 0 || !name.ends_with("conditional"));
        // The same user as a subject value, on the compiled policy: the
        // figure each count of teams is held to.
        let subject = snapshot.subject(user).unwrap();
        assert_eq!(subject.teams().len(), teams);
        g.bench_function(format!("policy_can_{teams}_teams"), |b| {
            b.iter(|| {
                let d = policy.can(black_box(&subject), black_box(action), black_box(resource));
                assert_eq!(d, expect);
                d
            })
        });
        g.bench_function(format!("engine_can_{teams}_teams"), |b| {
            b.iter(|| {
                let d = w
                    .engine
                    .can(black_box(user), black_box(action), black_box(resource));
                assert_eq!(d, expect);
                d
            })
        });
    }
    let page: Vec<Resource<'static>> = (0..1_000).map(|_| resource.clone()).collect();
    g.throughput(Throughput::Elements(1_000));
    g.bench_function("floor_1000", |b| {
        b.iter(|| {
            let mut n = 0;
            for _ in 0..1_000u32 {
                n += u32::from(floor(
                    black_box(mask),
                    black_box(17),
                    black_box(1),
                    black_box(1),
                ));
            }
            assert_eq!(n, if want { 1_000 } else { 0 });
            n
        })
    });
    g.bench_function("engine_can_many_1000", |b| {
        b.iter(|| {
            let d = w
                .engine
                .can_many(black_box(users[1]), black_box(action), black_box(&page));
            assert_eq!(d.len(), 1_000);
            assert_eq!(d[999], want);
            d
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let w = world();
    let catalog = w.engine.catalog().clone();
    let workflows = catalog.resource_type("workflows").unwrap();
    let workflow = Resource::new(workflows, ResourceId::new(10), ORG);
    let needed = w.teams[5];

    let developers = users(&w, 1, SystemRole::Developer.id(), None, needed);
    group(
        c,
        "by_id_plain_allow",
        &w,
        developers,
        catalog.action("execute").unwrap(),
        &workflow,
        true,
    );

    many_users_group(
        c,
        &w,
        catalog.action("read").unwrap(),
        &Resource::new(workflows, ResourceId::new(14), OrgId::new(10)),
    );

    let viewers = users(&w, 11, SystemRole::Viewer.id(), None, needed);
    group(
        c,
        "by_id_plain_deny",
        &w,
        viewers,
        catalog.action("delete").unwrap(),
        &workflow,
        false,
    );

    let owners = users(&w, 21, SystemRole::Owner.id(), None, needed);
    let theirs = Resource::new(workflows, ResourceId::new(11), OrgId::new(2));
    group(
        c,
        "by_id_cross_org",
        &w,
        owners,
        catalog.action("read").unwrap(),
        &theirs,
        false,
    );

    let customer = CustomerId::new(30);
    let end_users = users(&w, 31, SystemRole::EndUser.id(), Some(customer), needed);
    // Each End User owns the connection checked: one resource per user.
    let connection = Resource::new(
        catalog.resource_type("connections").unwrap(),
        ResourceId::new(12),
        ORG,
    )
    .with_customer(customer)
    .with_owner(end_users[1]);
    // The owner must match the user checked for an allow; the other two
    // users own nothing and are denied.
    scoped_group(
        c,
        &w,
        end_users,
        catalog.action("read").unwrap(),
        &connection,
    );

    let editors = users(&w, 41, w.editor_role, None, needed);
    let status = catalog.attribute("status").unwrap();
    let draft = Resource::new(workflows, ResourceId::new(13), ORG)
        .with_team(needed)
        .with_attribute(status, "draft");
    group(
        c,
        "by_id_conditional",
        &w,
        editors,
        catalog.action("update").unwrap(),
        &draft,
        true,
    );
}

/// A thousand checks, each by another of the 100,000 users (one in a
/// hundred in the resource's organization): what a lookup costs when the
/// user changes every check, against `Policy::can` on the same users as
/// subject values and 1,000 floor checks.
fn many_users_group(c: &mut Criterion, w: &World, action: ActionId, resource: &Resource<'static>) {
    let snapshot = w.engine.snapshot();
    let policy = snapshot.policy();
    let ids: Vec<UserId> = (0..1_000u64)
        .map(|k| UserId::new(1_000_000 + (k * 9_973) % OTHERS))
        .collect();
    let subjects: Vec<Subject> = ids
        .iter()
        .map(|&id| snapshot.subject(id).unwrap())
        .collect();
    let allowed = ids
        .iter()
        .filter(|&&id| w.engine.can(id, action, resource))
        .count();
    assert!(allowed > 0 && allowed < ids.len());
    let mut g = c.benchmark_group("by_id_many_users");
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    g.throughput(Throughput::Elements(1_000));
    g.bench_function("floor_1000", |b| {
        b.iter(|| {
            let mut n = 0;
            for k in 0..1_000u64 {
                n += usize::from(floor(
                    black_box(1 << 17),
                    black_box(17),
                    black_box(k % 100),
                    black_box(0),
                ));
            }
            assert_eq!(n, 10);
            n
        })
    });
    g.bench_function("policy_can_1000_users", |b| {
        b.iter(|| {
            let n = subjects
                .iter()
                .filter(|s| policy.can(black_box(s), black_box(action), black_box(resource)))
                .count();
            assert_eq!(n, allowed);
            n
        })
    });
    g.bench_function("engine_can_1000_users", |b| {
        b.iter(|| {
            let n = ids
                .iter()
                .filter(|&&id| {
                    w.engine
                        .can(black_box(id), black_box(action), black_box(resource))
                })
                .count();
            assert_eq!(n, allowed);
            n
        })
    });
    g.finish();
}

/// The scoped check: each user checks the connection they own.
fn scoped_group(
    c: &mut Criterion,
    w: &World,
    users: [UserId; 3],
    action: ActionId,
    owned_by_second: &Resource<'static>,
) {
    let snapshot = w.engine.snapshot();
    let policy = snapshot.policy();
    let mut g = c.benchmark_group("by_id_scoped");
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
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
    for (k, teams) in [0, 2, 16].into_iter().enumerate() {
        let own = owned_by_second.clone().with_owner(users[k]);
        let subject = snapshot.subject(users[k]).unwrap();
        assert_eq!(subject.teams().len(), teams);
        g.bench_function(format!("policy_can_{teams}_teams"), |b| {
            b.iter(|| {
                let d = policy.can(black_box(&subject), black_box(action), black_box(&own));
                assert!(d);
                d
            })
        });
        g.bench_function(format!("engine_can_{teams}_teams"), |b| {
            b.iter(|| {
                let d = w
                    .engine
                    .can(black_box(users[k]), black_box(action), black_box(&own));
                assert!(d);
                d
            })
        });
    }
    let page: Vec<Resource<'static>> = (0..1_000).map(|_| owned_by_second.clone()).collect();
    g.throughput(Throughput::Elements(1_000));
    g.bench_function("floor_1000", |b| {
        b.iter(|| {
            let mut n = 0;
            for _ in 0..1_000u32 {
                n += u32::from(floor(
                    black_box(1 << 17),
                    black_box(17),
                    black_box(1),
                    black_box(1),
                ));
            }
            assert_eq!(n, 1_000);
            n
        })
    });
    g.bench_function("engine_can_many_1000", |b| {
        b.iter(|| {
            let d = w
                .engine
                .can_many(black_box(users[1]), black_box(action), black_box(&page));
            assert!(d[999]);
            d
        })
    });
    g.finish();
}

criterion_group!(by_id, benches);
criterion_main!(by_id);
