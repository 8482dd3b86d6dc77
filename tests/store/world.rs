//! A state built through the engine's administrative calls, and a
//! fingerprint of everything an engine answers: decisions, listings,
//! matrices and the audit trail. Shared with the SQLite store's tests.

use std::fmt::Write as _;

use rolegate::audit::AuditQuery;
use rolegate::directory::PeopleFilter;
use rolegate::{
    CustomerId, Engine, MustMatch, OrgId, Resource, ResourceId, RoleId, Rule, SystemRole, TeamId,
    User, UserId, UserStatus,
};

pub const ACME: OrgId = OrgId::new(1);
pub const GLOBEX: OrgId = OrgId::new(2);
pub const ORGS: [OrgId; 2] = [ACME, GLOBEX];

/// The ids the state was built with.
#[derive(Debug)]
pub struct Built {
    pub editor: RoleId,
    pub deleted_role: RoleId,
    pub deleted_team: TeamId,
    pub teams: Vec<TeamId>,
}

fn rule(engine: &Engine, ty: &str, action: &str, keys: MustMatch, conditions: &str) -> Rule {
    Rule::builder(engine.catalog(), ty, action)
        .must_match(keys)
        .conditions(conditions)
        .build()
        .unwrap()
}

/// Builds a state through the engine: custom roles with conditions, teams,
/// users of two organizations, status changes, deletions with moves, and
/// an import.
pub fn populate(engine: &Engine) -> Built {
    let boot = engine.bootstrap();
    for (org, owner) in [(ACME, 1), (GLOBEX, 100)] {
        boot.add_user(User::new(UserId::new(owner), org, SystemRole::Owner.id()))
            .unwrap();
    }
    let admin = engine.admin(UserId::new(1));
    let marketing = admin.create_team(ACME, "Marketing").unwrap();
    let platform = admin.create_team(ACME, "Platform").unwrap();
    let doomed = admin.create_team(ACME, "Doomed").unwrap();
    let ops = engine
        .admin(UserId::new(100))
        .create_team(GLOBEX, "Ops")
        .unwrap();
    let editor = admin
        .create_role(
            ACME,
            "Marketing Editor",
            [
                rule(
                    engine,
                    "workflows",
                    "read",
                    MustMatch::TEAM,
                    r#"status != "archived""#,
                ),
                rule(
                    engine,
                    "workflows",
                    "update",
                    MustMatch::TEAM,
                    r#"status != "archived" and priority <= 3"#,
                ),
            ],
        )
        .unwrap();
    let release = admin
        .duplicate_role(ACME, SystemRole::Developer.id(), "Release Engineer")
        .unwrap();
    let temp = admin
        .create_role(
            ACME,
            "Temp",
            [rule(engine, "tools", "read", MustMatch::empty(), "")],
        )
        .unwrap();
    for (n, org, role, teams) in [
        (2, ACME, SystemRole::Admin.id(), vec![platform]),
        (3, ACME, editor, vec![marketing]),
        (4, ACME, temp, vec![marketing, doomed]),
        (5, ACME, release, vec![platform, doomed]),
        (6, ACME, SystemRole::Viewer.id(), vec![]),
        (101, GLOBEX, SystemRole::Developer.id(), vec![ops]),
        (102, GLOBEX, SystemRole::Viewer.id(), vec![]),
    ] {
        let mut user = User::new(UserId::new(n), org, role);
        for t in teams {
            user = user.with_team(t);
        }
        let actor = if org == ACME { 1 } else { 100 };
        engine.admin(UserId::new(actor)).add_user(user).unwrap();
    }
    let end_user = User::new(UserId::new(7), ACME, SystemRole::EndUser.id())
        .with_customer(CustomerId::new(30));
    admin.add_user(end_user).unwrap();
    admin
        .set_status(UserId::new(6), UserStatus::Suspended)
        .unwrap();
    admin
        .assign_role(UserId::new(6), SystemRole::Operator.id())
        .unwrap();
    admin.rename_role(release, "Release Manager").unwrap();
    admin
        .replace_rules(
            editor,
            [
                rule(
                    engine,
                    "workflows",
                    "read",
                    MustMatch::TEAM,
                    r#"status != "archived""#,
                ),
                rule(
                    engine,
                    "workflows",
                    "update",
                    MustMatch::TEAM,
                    r#"status in ["draft", "review"] and priority <= 3"#,
                ),
                rule(engine, "connections", "read", MustMatch::OWNER, ""),
            ],
        )
        .unwrap();
    // Deletions with moves.
    admin
        .delete_role(temp, Some(SystemRole::Viewer.id()))
        .unwrap();
    admin.delete_team(doomed).unwrap();
    admin.rename_team(platform, "Platform Team").unwrap();
    admin.add_to_team(platform, UserId::new(3)).unwrap();
    admin.remove_from_team(marketing, UserId::new(4)).unwrap();
    admin
        .assign_team_role(platform, SystemRole::Developer.id())
        .unwrap();
    engine
        .admin(UserId::new(100))
        .remove_user(UserId::new(102))
        .unwrap();
    // An import: one new role, one update.
    let csv = "Role name,Resource,Action,Conditions,Must Match\n\
               Auditor,audit_log,read,,organization\n\
               Auditor,activity,read,,organization\n\
               marketing editor,workflows,read,\"status == \"\"draft\"\"\",organization;team\n";
    admin.import_roles(ACME, csv).unwrap();
    engine
        .admin(UserId::new(100))
        .create_team_with_id(GLOBEX, TeamId::new(900), "Imported")
        .unwrap();
    Built {
        editor,
        deleted_role: temp,
        deleted_team: doomed,
        teams: vec![marketing, platform, ops, TeamId::new(900)],
    }
}

/// Every check of every user of both organizations on a probe set of
/// resources, with every action of the catalog.
fn decisions(engine: &Engine, out: &mut String) {
    let snapshot = engine.snapshot();
    let catalog = snapshot.catalog();
    let status = catalog.attribute("status").unwrap();
    let priority = catalog.attribute("priority").unwrap();
    let mut probes = Vec::new();
    for ty in catalog.resource_types() {
        for org in ORGS {
            for team in [
                None,
                Some(TeamId::new(1)),
                Some(TeamId::new(2)),
                Some(TeamId::new(3)),
            ] {
                for owner in [None, Some(UserId::new(3)), Some(UserId::new(7))] {
                    let mut r = Resource::new(ty, ResourceId::new(probes.len() as u64), org)
                        .with_customer(CustomerId::new(30));
                    if let Some(t) = team {
                        r = r.with_team(t);
                    }
                    if let Some(o) = owner {
                        r = r.with_owner(o);
                    }
                    if catalog.attribute_type(ty, status).is_some() {
                        r = r
                            .with_attribute(status, "draft")
                            .with_attribute(priority, 2_i64);
                    }
                    probes.push(r);
                }
            }
        }
    }
    let mut users: Vec<User> = ORGS
        .iter()
        .flat_map(|&org| snapshot.people(org, &PeopleFilter::new()))
        .map(|p| p.user)
        .collect();
    users.sort_by_key(User::id);
    for user in &users {
        let mut line = format!("{}:", user.id());
        for r in &probes {
            for action in catalog.actions_of(r.resource_type()) {
                line.push(if snapshot.can(user.id(), *action, r) {
                    '1'
                } else {
                    '0'
                });
            }
        }
        writeln!(out, "{line}").unwrap();
    }
}

/// Everything the engine answers, as text: decisions, role listings,
/// rules, matrices, people and teams.
pub fn fingerprint(engine: &Engine) -> String {
    let snapshot = engine.snapshot();
    let mut out = String::new();
    decisions(engine, &mut out);
    for org in ORGS {
        writeln!(out, "{:?}", snapshot.roles(org)).unwrap();
        for summary in snapshot.roles(org) {
            let role = snapshot.policy().role(summary.id).unwrap();
            for r in role.rules() {
                writeln!(out, "{} {}", summary.id, r.display(snapshot.catalog())).unwrap();
            }
            writeln!(out, "{:?}", snapshot.permission_matrix(summary.id)).unwrap();
        }
        let people: Vec<_> = snapshot
            .people(org, &PeopleFilter::new())
            .into_iter()
            .map(|p| {
                (
                    p.user.id(),
                    p.role,
                    p.teams,
                    p.user.status(),
                    p.user.customer(),
                )
            })
            .collect();
        writeln!(out, "{people:?}").unwrap();
        writeln!(out, "{:?}", snapshot.teams(org)).unwrap();
        writeln!(out, "{}", snapshot.export_roles(org)).unwrap();
    }
    out
}

/// The audit trail, oldest last, as text.
pub fn audit(engine: &Engine) -> Vec<String> {
    let mut out = Vec::new();
    let mut query = AuditQuery::new().limit(1_000);
    loop {
        let page = engine.audit().query(&query).unwrap();
        for e in &page.events {
            out.push(format!(
                "{} {} {:?} {:?} {} {:?} {:?} {} {:?}",
                e.id(),
                e.at(),
                e.organization(),
                e.actor(),
                e.action(),
                e.resource_type(),
                e.resource_id(),
                e.outcome(),
                e.reason()
            ));
        }
        match page.next {
            Some(cursor) => query = query.after(cursor),
            None => return out,
        }
    }
}
