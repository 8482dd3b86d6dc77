//! Comparing the engine's state with the model's after every step.

use std::collections::{BTreeMap, BTreeSet};

use rolegate::directory::PeopleFilter;
use rolegate::role::RoleKind;
use rolegate::*;

use crate::engine::{rid, run_engine};
use crate::model::Model;
use crate::ops::{Kind, Out, Step};
use crate::probes::{PROBES, Probe};

pub(crate) const USERS: std::ops::RangeInclusive<u64> = 1..=10;
const TEAMS: std::ops::RangeInclusive<u64> = 1..=6;
pub(crate) const ROLES: std::ops::Range<usize> = 0..13;
const ORGS: [u64; 3] = [1, 2, 3];
const CAN_FILTERS: [&str; 6] = [
    "members.manage",
    "roles.manage",
    "workflows.read",
    "workflows.update",
    "billing.update",
    "connections.read",
];

fn resource<'a>(catalog: &Catalog, p: &Probe) -> Resource<'a> {
    let mut r = Resource::new(
        catalog.resource_type(p.res).unwrap(),
        ResourceId::new(1),
        OrgId::new(p.org),
    );
    if let Some(c) = p.customer {
        r = r.with_customer(CustomerId::new(c));
    }
    if let Some(t) = p.team {
        r = r.with_team(TeamId::new(t));
    }
    if let Some(o) = p.owner {
        r = r.with_owner(UserId::new(o));
    }
    if let Some(s) = p.status {
        r = r.with_attribute(catalog.attribute("status").unwrap(), s);
    }
    if let Some(x) = p.priority {
        r = r.with_attribute(catalog.attribute("priority").unwrap(), x);
    }
    r
}

macro_rules! ensure_eq {
    ($engine:expr, $model:expr, $($what:tt)+) => {{
        let (e, m) = (&$engine, &$model);
        if e != m {
            return Err(format!(
                "{}:\n  engine: {:?}\n  model:  {:?}",
                format_args!($($what)+),
                e,
                m
            ));
        }
    }};
}

fn check_decisions(s: &Snapshot, model: &Model) -> Result<(), String> {
    let catalog = s.catalog();
    for p in &PROBES {
        let r = resource(catalog, p);
        for &act in p.actions {
            let action = catalog.action(act).unwrap();
            for u in USERS {
                ensure_eq!(
                    s.can(UserId::new(u), action, &r),
                    model.allows(u, act, p),
                    "can_user(user {u}, {act}, {p:?})"
                );
            }
        }
    }
    Ok(())
}

fn check_directory(s: &Snapshot, model: &Model) -> Result<(), String> {
    for u in USERS {
        let engine = s.user(UserId::new(u)).map(|x| {
            (
                x.organization().get(),
                x.customer().map(CustomerId::get),
                x.role().index(),
                x.status(),
                x.teams().iter().map(|t| t.get()).collect::<Vec<_>>(),
            )
        });
        let expected = model.users.get(&u).map(|x| {
            (
                x.org,
                x.customer,
                x.role,
                x.status,
                x.teams.iter().copied().collect::<Vec<_>>(),
            )
        });
        ensure_eq!(
            engine,
            expected,
            "user {u} (org, customer, role, status, teams)"
        );
    }
    for t in TEAMS {
        let engine = s.team(TeamId::new(t)).map(|x| {
            (
                x.organization().get(),
                x.name().to_owned(),
                x.members().map(UserId::get).collect::<Vec<_>>(),
            )
        });
        let expected = model.teams.get(&t).map(|x| {
            (
                x.org,
                x.name.clone(),
                model.people(x.org, None, None, Some(t), None),
            )
        });
        ensure_eq!(engine, expected, "team {t} (org, name, members)");
    }
    Ok(())
}

/// A people filter (SEMANTICS.md §9.3), as data the model reads too.
#[derive(Clone, Copy, Debug, Default)]
struct Query {
    role: Option<usize>,
    status: Option<UserStatus>,
    team: Option<u64>,
    can: Option<&'static str>,
}

impl Query {
    fn filter(self, catalog: &Catalog) -> PeopleFilter {
        let mut f = PeopleFilter::new();
        if let Some(r) = self.role {
            f = f.role(rid(r));
        }
        if let Some(s) = self.status {
            f = f.status(s);
        }
        if let Some(t) = self.team {
            f = f.team(TeamId::new(t));
        }
        if let Some(p) = self.can {
            f = f.can(catalog.permission_named(p).unwrap());
        }
        f
    }
}

/// Every single filter and some combinations; organization 3 is rarely
/// used, so the plain listing is enough there.
fn queries(org: u64) -> Vec<Query> {
    let none = Query::default();
    let mut out = vec![none];
    if org == 3 {
        return out;
    }
    for r in ROLES {
        out.push(Query {
            role: Some(r),
            ..none
        });
    }
    for st in UserStatus::ALL {
        out.push(Query {
            status: Some(st),
            ..none
        });
        out.push(Query {
            status: Some(st),
            role: Some(1),
            ..none
        });
    }
    for t in TEAMS {
        let team = Query {
            team: Some(t),
            ..none
        };
        out.push(team);
        out.push(Query {
            status: Some(UserStatus::Active),
            ..team
        });
        out.push(Query {
            role: Some(6),
            ..team
        });
        out.push(Query {
            can: Some("members.manage"),
            ..team
        });
    }
    for p in CAN_FILTERS {
        out.push(Query {
            can: Some(p),
            ..none
        });
        out.push(Query {
            can: Some(p),
            role: Some(7),
            ..none
        });
    }
    out
}

fn check_listings(s: &Snapshot, model: &Model) -> Result<(), String> {
    let catalog = s.catalog();
    for org in ORGS {
        let o = OrgId::new(org);
        // Roles (SEMANTICS.md §8.5).
        let engine: Vec<_> = s
            .roles(o)
            .into_iter()
            .map(|r| {
                (
                    r.id.index(),
                    r.name,
                    r.kind,
                    r.users,
                    r.permissions,
                    r.rules,
                )
            })
            .collect();
        let expected: Vec<_> = model
            .roles
            .iter()
            .enumerate()
            .filter_map(|(id, r)| Some((id, r.as_ref()?)))
            .filter(|(_, r)| match r.kind {
                RoleKind::System(_) => true,
                RoleKind::Custom { organization } => organization == o,
            })
            .map(|(id, r)| {
                (
                    id,
                    r.name.clone(),
                    r.kind,
                    model.holders(org, id),
                    r.pairs().len(),
                    r.rules.len(),
                )
            })
            .collect();
        ensure_eq!(
            engine,
            expected,
            "roles(org {org}) (id, name, kind, users, permissions, rules)"
        );
        let engine: Vec<usize> = s
            .search_roles(o, " OPS ")
            .iter()
            .map(|r| r.id.index())
            .collect();
        let expected: Vec<usize> = expected
            .iter()
            .filter(|r| r.1.to_lowercase().contains("ops"))
            .map(|r| r.0)
            .collect();
        ensure_eq!(engine, expected, "search_roles(org {org}, \" OPS \")");
        // Teams (SEMANTICS.md §9.2).
        let engine: Vec<_> = s
            .teams(o)
            .into_iter()
            .map(|t| (t.id.get(), t.name, t.members))
            .collect();
        let expected: Vec<_> = model
            .teams
            .iter()
            .filter(|(_, t)| t.org == org)
            .map(|(&id, t)| {
                (
                    id,
                    t.name.clone(),
                    model.people(org, None, None, Some(id), None).len(),
                )
            })
            .collect();
        ensure_eq!(engine, expected, "teams(org {org}) (id, name, members)");
        // People (SEMANTICS.md §9.3): every single filter, and combinations.
        for q in queries(org) {
            let filter = q.filter(catalog);
            let engine: Vec<_> = s
                .people(o, &filter)
                .into_iter()
                .map(|p| {
                    (
                        p.user.id().get(),
                        p.user.role().index(),
                        p.role,
                        p.user.status(),
                        p.teams,
                    )
                })
                .collect();
            let expected: Vec<_> = model
                .people(org, q.role, q.status, q.team, q.can)
                .into_iter()
                .map(|id| {
                    let u = &model.users[&id];
                    (
                        id,
                        u.role,
                        model.role(u.role).unwrap().name.clone(),
                        u.status,
                        u.teams
                            .iter()
                            .map(|t| model.teams[t].name.clone())
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            ensure_eq!(
                engine,
                expected,
                "people(org {org}, {q:?}) (id, role, role name, status, team names)"
            );
        }
    }
    Ok(())
}

/// The permission matrix (SEMANTICS.md §8.5) of `roles`: granted permissions and how
/// many rules grant each.
pub(crate) fn check_matrix(
    s: &Snapshot,
    model: &Model,
    roles: std::ops::Range<usize>,
) -> Result<(), String> {
    for r in roles {
        let matrix = s.permission_matrix(rid(r));
        let engine = matrix.as_ref().map(|m| {
            m.rows
                .iter()
                .flat_map(|row| row.cells.iter().map(move |c| (row.name.as_str(), c)))
                .filter(|(_, c)| c.granted())
                .map(|(res, c)| ((res, c.action_name.as_str()), c.rules.len()))
                .collect::<BTreeMap<_, _>>()
        });
        let expected = model.role(r).map(|role| {
            let mut m = BTreeMap::new();
            for rule in &role.rules {
                *m.entry((rule.res, rule.act)).or_insert(0) += 1;
            }
            m
        });
        ensure_eq!(
            engine,
            expected,
            "permission_matrix(role {r}) (granted permission -> rules)"
        );
    }
    Ok(())
}

/// What every user holds, from the engine's own state: an active user holds
/// each permission their role has any rule for (however narrowed).
fn holdings(s: &Snapshot) -> BTreeSet<(u64, String)> {
    let mut out = BTreeSet::new();
    for u in USERS {
        let Some(user) = s.user(UserId::new(u)) else {
            continue;
        };
        if user.status() != UserStatus::Active {
            continue;
        }
        for p in role_permissions(s, user.role()) {
            out.insert((u, p));
        }
    }
    out
}

fn role_permissions(s: &Snapshot, role: RoleId) -> BTreeSet<String> {
    s.policy().role(role).map_or_else(BTreeSet::new, |r| {
        r.rules()
            .iter()
            .map(|rule| {
                s.catalog()
                    .permission_name(rule.permission())
                    .unwrap()
                    .to_owned()
            })
            .collect()
    })
}

/// Invariant 4, independent of the guard: after a successful step by a
/// user, whatever a user newly holds the actor held before.
fn check_no_escalation(before: &Snapshot, after: &Snapshot, actor: u64) -> Result<(), String> {
    let actor_held = before
        .user(UserId::new(actor))
        .map_or_else(BTreeSet::new, |u| role_permissions(before, u.role()));
    let old = holdings(before);
    for (u, p) in holdings(after).difference(&old) {
        if !actor_held.contains(p) {
            return Err(format!(
                "ESCALATION: user {u} now holds {p}, which the actor (user {actor}) did not hold"
            ));
        }
    }
    Ok(())
}

pub(crate) fn check_state(s: &Snapshot, model: &Model) -> Result<(), String> {
    check_directory(s, model)?;
    check_listings(s, model)?;
    // System roles cannot change: their matrix is checked once, at the start.
    check_matrix(s, model, 6..ROLES.end)?;
    check_decisions(s, model)
}

/// Runs one step on both, checking result, version, escalation and state.
pub(crate) fn check_step(
    engine: &Engine,
    model: &mut Model,
    step: &Step,
) -> Result<Result<Out, Kind>, String> {
    let catalog = engine.catalog();
    let before = engine.snapshot();
    let expected = model.apply(step);
    let actual = run_engine(engine, catalog, step);
    let after = engine.snapshot();
    ensure_eq!(actual, expected, "result");
    let bump = u64::from(actual.is_ok());
    ensure_eq!(
        after.revision().get(),
        before.revision().get() + bump,
        "snapshot version"
    );
    if let (Ok(_), Some(actor)) = (&actual, step.actor) {
        check_no_escalation(&before, &after, actor)?;
    }
    check_state(&after, model)?;
    Ok(actual)
}
