//! Random states: custom roles, teams and users of two organizations, built through the engine.

use proptest::prelude::*;
use rolegate::directory::Timestamp;
use rolegate::{
    Catalog, CustomerId, Engine, MustMatch, RoleId, Rule, SystemRole, TeamId, User, UserId,
    UserStatus,
};

use crate::fixture::ORGS;

/// Condition texts over the attributes of the standard catalog's five
/// categories.
const CONDITIONS: [&str; 8] = [
    r#"status == "draft""#,
    r#"status != "archived""#,
    r#"status in ["draft", "review"]"#,
    r#"status not in ["archived"]"#,
    "priority <= 3",
    "priority > 1",
    r#"environment == "test""#,
    r#"environment != "prod""#,
];

#[derive(Clone, Debug)]
struct RawRule {
    ty: usize,
    action: usize,
    keys: u8,
    conditions: Vec<usize>,
}

#[derive(Clone, Debug)]
struct RawRole {
    org: usize,
    rules: Vec<RawRule>,
}

#[derive(Clone, Debug)]
struct RawUser {
    org: usize,
    system: usize,
    custom: Option<usize>,
    teams: Vec<usize>,
    /// 0 to 3 active, 4 invited, 5 suspended.
    status: usize,
    customer: Option<u64>,
    active: Option<i64>,
}

#[derive(Clone, Debug)]
pub(crate) struct RawState {
    roles: Vec<RawRole>,
    teams: [usize; 2],
    users: Vec<RawUser>,
    delete_role: bool,
    delete_team: bool,
}

fn raw_rule() -> impl Strategy<Value = RawRule> {
    (
        0..11usize,
        0..8usize,
        0..8u8,
        prop::collection::vec(0..CONDITIONS.len(), 0..3),
    )
        .prop_map(|(ty, action, keys, conditions)| RawRule {
            ty,
            action,
            keys,
            conditions,
        })
}

pub(crate) fn raw_state() -> impl Strategy<Value = RawState> {
    let role = (0..2usize, prop::collection::vec(raw_rule(), 0..5))
        .prop_map(|(org, rules)| RawRole { org, rules });
    let user = (
        0..2usize,
        0..6usize,
        prop::option::of(0..8usize),
        prop::collection::vec(0..4usize, 0..3),
        0..6usize,
        prop::option::of(1..4u64),
        prop::option::of(1_700_000_000_000..1_800_000_000_000i64),
    )
        .prop_map(
            |(org, system, custom, teams, status, customer, active)| RawUser {
                org,
                system,
                custom,
                teams,
                status,
                customer,
                active,
            },
        );
    (
        prop::collection::vec(role, 0..7),
        [0..4usize, 0..4usize],
        prop::collection::vec(user, 0..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(roles, teams, users, delete_role, delete_team)| RawState {
            roles,
            teams,
            users,
            delete_role,
            delete_team,
        })
}

fn rule(catalog: &Catalog, raw: &RawRule) -> Rule {
    let types: Vec<_> = catalog
        .resource_types()
        .filter(|&t| catalog.is_grantable(t))
        .collect();
    let ty = types[raw.ty % types.len()];
    let actions = catalog.actions_of(ty);
    let action = actions[raw.action % actions.len()];
    let mut keys = MustMatch::empty();
    for (bit, key) in [
        (1, MustMatch::CUSTOMER),
        (2, MustMatch::TEAM),
        (4, MustMatch::OWNER),
    ] {
        if raw.keys & bit != 0 {
            keys |= key;
        }
    }
    let status = catalog.attribute("status").unwrap();
    let mut conditions: Vec<&str> = Vec::new();
    if catalog.attribute_type(ty, status).is_some() {
        for &c in &raw.conditions {
            if !conditions.contains(&CONDITIONS[c]) {
                conditions.push(CONDITIONS[c]);
            }
        }
    }
    Rule::builder(
        catalog,
        catalog.resource_type_name(ty).unwrap(),
        catalog.action_name(action).unwrap(),
    )
    .must_match(keys)
    .conditions(&conditions.join(" and "))
    .build()
    .unwrap()
}

/// Builds the state through the engine's administrative calls: custom
/// roles, teams and users of two organizations, statuses, activity, and a
/// deleted role and team so that the counters run ahead of the ids.
pub(crate) fn build(raw: &RawState) -> Engine {
    let engine = Engine::new(Catalog::standard());
    let catalog = engine.catalog().clone();
    let boot = engine.bootstrap();
    let mut roles: [Vec<RoleId>; 2] = [Vec::new(), Vec::new()];
    for (i, r) in raw.roles.iter().enumerate() {
        let rules: Vec<Rule> = r.rules.iter().map(|x| rule(&catalog, x)).collect();
        let id = boot
            .create_role(ORGS[r.org], &format!("Role {i}"), rules)
            .unwrap();
        roles[r.org].push(id);
    }
    let mut teams: [Vec<TeamId>; 2] = [Vec::new(), Vec::new()];
    for (org, &count) in raw.teams.iter().enumerate() {
        for n in 0..count {
            let id = boot
                .create_team(ORGS[org], &format!("Team {org}.{n}"))
                .unwrap();
            teams[org].push(id);
        }
    }
    for (i, u) in raw.users.iter().enumerate() {
        let id = UserId::new(i as u64 + 1);
        let org = u.org;
        let role = match u.custom {
            Some(c) if !roles[org].is_empty() => roles[org][c % roles[org].len()],
            _ => SystemRole::ALL[u.system].id(),
        };
        let mut user =
            User::new(id, ORGS[org], role).with_status(UserStatus::ALL[u.status.saturating_sub(3)]);
        if !teams[org].is_empty() {
            for &t in &u.teams {
                user = user.with_team(teams[org][t % teams[org].len()]);
            }
        }
        if let Some(c) = u.customer {
            user = user.with_customer(CustomerId::new(c));
        }
        boot.add_user(user).unwrap();
        if let Some(at) = u.active {
            assert!(engine.record_activity(id, Timestamp::from_unix_millis(at)));
        }
    }
    if raw.delete_role
        && let Some(&last) = roles.iter().flatten().max()
    {
        boot.delete_role(last, Some(SystemRole::Viewer.id()))
            .unwrap();
    }
    if raw.delete_team
        && let Some(&first) = teams.iter().flatten().next()
    {
        boot.delete_team(first).unwrap();
    }
    engine
}
