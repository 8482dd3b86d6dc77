//! A directory of thousands of users against a plain model: loaded in bulk
//! by the builder and one by one through administrative calls, then changed
//! at random. Ids come sequential, clustered and scattered over the whole
//! `u64` range, so that the record shards, their lookup and the id indexes
//! of organizations and teams all grow, split and shrink. After every
//! change: each user reads back as the model holds them, checks by id agree
//! with `Policy::can` on the model's subject, and the people listings, team
//! member lists and role holder counts match.
//!
//! `PROPTEST_CASES` overrides the number of cases (12).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use rolegate::directory::PeopleFilter;
use rolegate::*;

const ORGS: u64 = 3;
const TEAMS_PER_ORG: usize = 4;
const ROLES: [SystemRole; 4] = [
    SystemRole::Admin,
    SystemRole::Developer,
    SystemRole::Viewer,
    SystemRole::Operator,
];

#[derive(Clone, Debug, PartialEq, Eq)]
struct MUser {
    org: u64,
    role: usize,
    status: UserStatus,
    teams: BTreeSet<usize>,
}

#[derive(Clone, Debug)]
enum Op {
    Add(u64, MUser),
    Remove(usize),
    Assign(usize, usize),
    Status(usize, UserStatus),
    Join(usize, usize),
    Leave(usize, usize),
}

fn status() -> impl Strategy<Value = UserStatus> {
    prop_oneof![
        3 => Just(UserStatus::Active),
        1 => Just(UserStatus::Invited),
        1 => Just(UserStatus::Suspended),
    ]
}

fn muser() -> impl Strategy<Value = MUser> {
    (
        1..=ORGS,
        0..ROLES.len(),
        status(),
        prop::collection::btree_set(0..TEAMS_PER_ORG, 0..3),
    )
        .prop_map(|(org, role, status, teams)| MUser {
            org,
            role,
            status,
            teams,
        })
}

/// Ids of three kinds: a run from a base, clusters, and anywhere in `u64`.
fn ids() -> impl Strategy<Value = Vec<u64>> {
    (
        0u64..1_000_000,
        0usize..2_500,
        prop::collection::vec((any::<u64>(), 1usize..40), 0..20),
        prop::collection::vec(any::<u64>(), 0..400),
    )
        .prop_map(|(base, run, clusters, scattered)| {
            let mut ids: Vec<u64> = (base..base + run as u64).collect();
            for (start, len) in clusters {
                ids.extend((0..len as u64).map(|k| start.wrapping_add(k * 3)));
            }
            ids.extend(scattered);
            ids.extend([0, u64::MAX]);
            ids.sort_unstable();
            ids.dedup();
            ids
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (any::<u64>(), muser()).prop_map(|(id, u)| Op::Add(id, u)),
        2 => any::<usize>().prop_map(Op::Remove),
        2 => (any::<usize>(), 0..ROLES.len()).prop_map(|(u, r)| Op::Assign(u, r)),
        2 => (any::<usize>(), status()).prop_map(|(u, s)| Op::Status(u, s)),
        2 => (any::<usize>(), 0..TEAMS_PER_ORG).prop_map(|(u, t)| Op::Join(u, t)),
        2 => (any::<usize>(), 0..TEAMS_PER_ORG).prop_map(|(u, t)| Op::Leave(u, t)),
    ]
}

struct World {
    engine: Engine,
    /// Team ids by organization and index.
    teams: BTreeMap<(u64, usize), TeamId>,
}

fn user_of(w: &World, id: u64, m: &MUser) -> User {
    let mut user =
        User::new(UserId::new(id), OrgId::new(m.org), ROLES[m.role].id()).with_status(m.status);
    for t in &m.teams {
        user = user.with_team(w.teams[&(m.org, *t)]);
    }
    user
}

fn team_names() -> Vec<String> {
    (0..TEAMS_PER_ORG).map(|t| format!("Team {t}")).collect()
}

/// The same users, added by the builder in one pass (`bulk`) or one call
/// at a time.
fn load(users: &BTreeMap<u64, MUser>, bulk: bool) -> World {
    let catalog = Catalog::standard();
    let mut teams = BTreeMap::new();
    if bulk {
        let mut builder = Engine::builder(catalog);
        for org in 1..=ORGS {
            for (t, name) in team_names().iter().enumerate() {
                teams.insert(
                    (org, t),
                    builder.create_team(OrgId::new(org), name).unwrap(),
                );
            }
        }
        let mut w = World {
            engine: Engine::new(Catalog::standard()),
            teams,
        };
        // Added in a scrambled order: the builder must not depend on it.
        let mut order: Vec<(&u64, &MUser)> = users.iter().collect();
        order.sort_by_key(|(id, _)| id.wrapping_mul(0x2545_F491_4F6C_DD1D));
        for (id, m) in order {
            builder.add_user(user_of(&w, *id, m)).unwrap();
        }
        w.engine = builder.build();
        w
    } else {
        let engine = Engine::new(catalog);
        let boot = engine.bootstrap();
        for org in 1..=ORGS {
            for (t, name) in team_names().iter().enumerate() {
                teams.insert((org, t), boot.create_team(OrgId::new(org), name).unwrap());
            }
        }
        let w = World { engine, teams };
        for (id, m) in users {
            w.engine.bootstrap().add_user(user_of(&w, *id, m)).unwrap();
        }
        w
    }
}

fn apply(w: &World, model: &mut BTreeMap<u64, MUser>, op: &Op) {
    let boot = w.engine.bootstrap();
    let pick = |i: usize| model.keys().nth(i % model.len().max(1)).copied();
    match op {
        Op::Add(id, m) => {
            let result = boot.add_user(user_of(w, *id, m));
            if model.contains_key(id) {
                assert!(matches!(result, Err(AdminError::DuplicateUser { .. })));
            } else {
                result.unwrap();
                model.insert(*id, m.clone());
            }
        }
        Op::Remove(i) => {
            if let Some(id) = pick(*i) {
                boot.remove_user(UserId::new(id)).unwrap();
                model.remove(&id);
            }
        }
        Op::Assign(i, role) => {
            if let Some(id) = pick(*i) {
                boot.assign_role(UserId::new(id), ROLES[*role].id())
                    .unwrap();
                model.get_mut(&id).unwrap().role = *role;
            }
        }
        Op::Status(i, status) => {
            if let Some(id) = pick(*i) {
                boot.set_status(UserId::new(id), *status).unwrap();
                model.get_mut(&id).unwrap().status = *status;
            }
        }
        Op::Join(i, t) | Op::Leave(i, t) => {
            if let Some(id) = pick(*i) {
                let m = model.get_mut(&id).unwrap();
                let team = w.teams[&(m.org, *t)];
                if matches!(op, Op::Join(..)) {
                    boot.add_to_team(team, UserId::new(id)).unwrap();
                    m.teams.insert(*t);
                } else {
                    boot.remove_from_team(team, UserId::new(id)).unwrap();
                    m.teams.remove(t);
                }
            }
        }
    }
}

fn check(w: &World, model: &BTreeMap<u64, MUser>, absent: &[u64]) {
    let snapshot = w.engine.snapshot();
    let policy = snapshot.policy();
    let catalog = policy.catalog();
    let read = catalog.action("read").unwrap();
    let update = catalog.action("update").unwrap();
    let workflows = catalog.resource_type("workflows").unwrap();
    assert_eq!(snapshot.user_count(), model.len());
    for (&id, m) in model {
        let expected = user_of(w, id, m);
        let got = snapshot.user(UserId::new(id)).expect("a user of the model");
        assert_eq!(got, expected, "user {id}");
        let subject = expected.subject();
        assert_eq!(snapshot.subject(UserId::new(id)), Some(subject.clone()));
        for org in [m.org, m.org % ORGS + 1] {
            let r = Resource::new(workflows, ResourceId::new(id), OrgId::new(org));
            for action in [read, update] {
                assert_eq!(
                    snapshot.can(UserId::new(id), action, &r),
                    policy.can(&subject, action, &r),
                    "user {id}, organization {org}"
                );
            }
        }
    }
    for &id in absent {
        if !model.contains_key(&id) {
            assert!(snapshot.user(UserId::new(id)).is_none(), "absent {id}");
            let r = Resource::new(workflows, ResourceId::new(1), OrgId::new(1));
            assert!(!snapshot.can(UserId::new(id), read, &r));
        }
    }
    for org in 1..=ORGS {
        let of_org = || model.iter().filter(move |(_, m)| m.org == org);
        let listed: Vec<u64> = snapshot
            .people(OrgId::new(org), &PeopleFilter::new())
            .iter()
            .map(|p| p.user.id().get())
            .collect();
        assert_eq!(listed, of_org().map(|(id, _)| *id).collect::<Vec<_>>());
        for (r, role) in ROLES.iter().enumerate() {
            let holders: Vec<u64> = of_org()
                .filter(|(_, m)| m.role == r)
                .map(|(id, _)| *id)
                .collect();
            let listed: Vec<u64> = snapshot
                .people(OrgId::new(org), &PeopleFilter::new().role(role.id()))
                .iter()
                .map(|p| p.user.id().get())
                .collect();
            assert_eq!(listed, holders, "holders of {role:?} in {org}");
            let summary = snapshot
                .roles(OrgId::new(org))
                .into_iter()
                .find(|s| s.id == role.id())
                .unwrap();
            assert_eq!(summary.users, holders.len());
        }
        for t in 0..TEAMS_PER_ORG {
            let team = w.teams[&(org, t)];
            let members: Vec<u64> = of_org()
                .filter(|(_, m)| m.teams.contains(&t))
                .map(|(id, _)| *id)
                .collect();
            let listed: Vec<u64> = snapshot
                .team(team)
                .unwrap()
                .members()
                .map(UserId::get)
                .collect();
            assert_eq!(listed, members, "team {t} of {org}");
            let active_developers: Vec<u64> = of_org()
                .filter(|(_, m)| {
                    m.teams.contains(&t) && m.role == 1 && m.status == UserStatus::Active
                })
                .map(|(id, _)| *id)
                .collect();
            let filter = PeopleFilter::new()
                .team(team)
                .role(SystemRole::Developer.id())
                .status(UserStatus::Active);
            let listed: Vec<u64> = snapshot
                .people(OrgId::new(org), &filter)
                .iter()
                .map(|p| p.user.id().get())
                .collect();
            assert_eq!(listed, active_developers);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_large_directory_agrees_with_its_model(
        ids in ids(),
        users in prop::collection::vec(muser(), 2_600..2_601),
        ops in prop::collection::vec(op(), 1..60),
        absent in prop::collection::vec(any::<u64>(), 0..50),
    ) {
        let mut model: BTreeMap<u64, MUser> =
            ids.iter().copied().zip(users.iter().cycle().cloned()).collect();
        let bulk = load(&model, true);
        let one_by_one = load(&model, false);
        check(&bulk, &model, &absent);
        check(&one_by_one, &model, &absent);
        for (i, op) in ops.iter().enumerate() {
            // The same operation on both engines: `apply` picks its user
            // from the model as it stands before the operation.
            apply(&one_by_one, &mut model.clone(), op);
            apply(&bulk, &mut model, op);
            // Checking everything after every step costs too much at this
            // size; every eighth step and the last are checked in full.
            if i % 8 == 7 || i + 1 == ops.len() {
                check(&bulk, &model, &absent);
                check(&one_by_one, &model, &absent);
            }
        }
    }
}

/// A deterministic stream of ids for the crowded test.
fn xorshift(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Enough users that every record shard holds dozens, scattered ids whose
/// places in a shard stray from where they are looked for first, and ids
/// that are multiples of 2^52 or 2^40: their hashes have all their low bits
/// zero, so each is looked for first at the very start of its shard, beside
/// the scattered ids there. Every one is found, no absent one is, before
/// and after removals and additions.
#[test]
fn crowded_and_skewed_ids_are_all_found() {
    let mut seed = 0x9E37_79B9_7F4A_7C15;
    let mut ids: BTreeSet<u64> = (0..150_000).map(|_| xorshift(&mut seed)).collect();
    ids.extend((0..4_096u64).map(|k| k << 52));
    ids.extend((0..4_096u64).map(|k| k << 40));
    ids.extend((0..4_096u64).map(|k| (k << 52) | 1));
    let org = |id: u64| OrgId::new(1 + id % ORGS);
    let mut builder = Engine::builder(Catalog::standard());
    for &id in &ids {
        builder
            .add_user(User::new(UserId::new(id), org(id), SystemRole::Viewer.id()))
            .unwrap();
    }
    let engine = builder.build();
    let found = |engine: &Engine, ids: &BTreeSet<u64>| {
        let snapshot = engine.snapshot();
        assert_eq!(snapshot.user_count(), ids.len());
        for &id in ids {
            let user = snapshot.user(UserId::new(id));
            assert_eq!(user.map(|u| u.organization()), Some(org(id)), "user {id}");
        }
        let mut probe = 0x1234_5678_9ABC_DEF1;
        for _ in 0..20_000 {
            let id = xorshift(&mut probe);
            for id in [id, id.wrapping_add(1), id & !((1 << 40) - 1) | 2] {
                if !ids.contains(&id) {
                    assert!(snapshot.user(UserId::new(id)).is_none(), "absent {id}");
                }
            }
        }
    };
    found(&engine, &ids);
    // Remove some of each kind, and add others, one call at a time.
    let removed: Vec<u64> = ids.iter().copied().step_by(97).collect();
    for &id in &removed {
        engine.bootstrap().remove_user(UserId::new(id)).unwrap();
        ids.remove(&id);
    }
    for k in 0..500u64 {
        let id = (k << 52) | 2;
        engine
            .bootstrap()
            .add_user(User::new(UserId::new(id), org(id), SystemRole::Viewer.id()))
            .unwrap();
        ids.insert(id);
    }
    found(&engine, &ids);
}
