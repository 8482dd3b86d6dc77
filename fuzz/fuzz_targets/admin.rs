//! Random administrative sequences by random actors, against the
//! delegation guard's invariants: no call by a user leaves anyone holding a
//! role that grants a permission the acting user lacks; an organization
//! with an active Owner keeps one; a refused call changes nothing; every
//! call is on record.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rolegate::audit::{AuditLog, MemorySink};
use rolegate::catalog::PermissionSet;
use rolegate::{
    Catalog, Engine, OrgId, RoleId, Rule, SystemRole, TeamId, User, UserId, UserStatus,
};

const USERS: u64 = 6;

#[derive(Arbitrary, Debug)]
enum Op {
    CreateRole {
        rules: Vec<(u8, u8)>,
    },
    ReplaceRules {
        role: u8,
        rules: Vec<(u8, u8)>,
    },
    DeleteRole {
        role: u8,
        move_to: Option<u8>,
    },
    Assign {
        user: u8,
        role: u8,
    },
    Status {
        user: u8,
        status: u8,
    },
    Remove {
        user: u8,
    },
    AddUser {
        user: u8,
        role: u8,
        second_org: bool,
    },
    CreateTeam,
    AddToTeam {
        team: u8,
        user: u8,
    },
    TeamRole {
        team: u8,
        role: u8,
    },
}

#[derive(Arbitrary, Debug)]
struct Step {
    actor: u8,
    op: Op,
}

fn org(second: bool) -> OrgId {
    OrgId::new(if second { 2 } else { 1 })
}

/// The permissions a role grants.
fn granted(engine: &Engine, role: RoleId) -> PermissionSet {
    engine
        .snapshot()
        .policy()
        .role(role)
        .map(|r| r.permissions())
        .unwrap_or_default()
}

fn active_owners(engine: &Engine, organization: OrgId) -> usize {
    let snapshot = engine.snapshot();
    (0..USERS)
        .filter_map(|u| snapshot.user(UserId::new(u)))
        .filter(|u| {
            u.organization() == organization
                && u.role() == SystemRole::Owner.id()
                && u.status() == UserStatus::Active
        })
        .count()
}

fuzz_target!(|steps: Vec<Step>| {
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(MemorySink::keeping(64)));
    let engine = builder.build();
    let boot = engine.bootstrap();
    let starting = [
        SystemRole::Owner,
        SystemRole::Admin,
        SystemRole::Developer,
        SystemRole::Viewer,
    ];
    for (i, role) in starting.iter().enumerate() {
        boot.add_user(User::new(UserId::new(i as u64), org(false), role.id()))
            .expect("bootstrap");
    }
    boot.add_user(User::new(UserId::new(4), org(true), SystemRole::Owner.id()))
        .expect("bootstrap");
    let catalog = engine.catalog().clone();
    let permissions: Vec<String> = catalog
        .grantable_permissions()
        .map(|p| p.name.to_owned())
        .collect();
    let rules_of = |picks: &[(u8, u8)]| -> Vec<Rule> {
        picks
            .iter()
            .take(6)
            .filter_map(|&(p, _)| {
                let name = &permissions[usize::from(p) % permissions.len()];
                let (ty, action) = name.split_once('.')?;
                Rule::builder(&catalog, ty, action).build().ok()
            })
            .collect()
    };
    let mut roles: Vec<RoleId> = SystemRole::ALL.iter().map(|r| r.id()).collect();
    let mut teams: Vec<TeamId> = Vec::new();
    for step in steps.iter().take(40) {
        let actor = UserId::new(u64::from(step.actor) % USERS);
        let admin = engine.admin(actor);
        let actor_role = engine.snapshot().user(actor).map(|u| u.role());
        let held = actor_role.map(|r| granted(&engine, r)).unwrap_or_default();
        let owners = [
            active_owners(&engine, org(false)),
            active_owners(&engine, org(true)),
        ];
        let revision = engine.revision();
        let pick_role = |i: u8| roles[usize::from(i) % roles.len()];
        let user = |u: u8| UserId::new(u64::from(u) % USERS);
        // The role the call hands out, if it succeeds.
        let (result, handed) = match &step.op {
            Op::CreateRole { rules } => {
                let r =
                    admin.create_role(org(false), &format!("r{}", roles.len()), rules_of(rules));
                let handed = r.as_ref().ok().copied();
                if let Some(id) = handed {
                    roles.push(id);
                }
                (r.map(|_| ()), handed)
            }
            Op::ReplaceRules { role, rules } => {
                let role = pick_role(*role);
                (
                    admin.replace_rules(role, rules_of(rules)).map(|_| ()),
                    Some(role),
                )
            }
            Op::DeleteRole { role, move_to } => {
                let to = move_to.map(pick_role);
                (admin.delete_role(pick_role(*role), to).map(|_| ()), to)
            }
            Op::Assign { user: u, role } => {
                let role = pick_role(*role);
                (admin.assign_role(user(*u), role), Some(role))
            }
            Op::Status { user: u, status } => {
                let status = [
                    UserStatus::Active,
                    UserStatus::Invited,
                    UserStatus::Suspended,
                ][usize::from(*status) % 3];
                (admin.set_status(user(*u), status), None)
            }
            Op::Remove { user: u } => (admin.remove_user(user(*u)), None),
            Op::AddUser {
                user: u,
                role,
                second_org,
            } => {
                let role = pick_role(*role);
                (
                    admin.add_user(User::new(user(*u), org(*second_org), role)),
                    Some(role),
                )
            }
            Op::CreateTeam => {
                let r = admin.create_team(org(false), &format!("t{}", teams.len()));
                if let Ok(t) = r {
                    teams.push(t);
                }
                (r.map(|_| ()), None)
            }
            Op::AddToTeam { team, user: u } => {
                match teams.get(usize::from(*team) % teams.len().max(1)) {
                    Some(&t) => (admin.add_to_team(t, user(*u)), None),
                    None => continue,
                }
            }
            Op::TeamRole { team, role } => match teams.get(usize::from(*team) % teams.len().max(1))
            {
                Some(&t) => {
                    let role = pick_role(*role);
                    (admin.assign_team_role(t, role).map(|_| ()), Some(role))
                }
                None => continue,
            },
        };
        match result {
            Ok(()) => {
                if let Some(role) = handed {
                    let gives = granted(&engine, role);
                    assert!(
                        gives.is_subset(&held),
                        "{actor} handed out more than it holds: {step:?}"
                    );
                }
            }
            Err(_) => assert_eq!(
                engine.revision(),
                revision,
                "a refused call changed the state: {step:?}"
            ),
        }
        for (i, before) in owners.iter().enumerate() {
            if *before > 0 {
                assert!(
                    active_owners(&engine, org(i == 1)) > 0,
                    "the last Owner went: {step:?}"
                );
            }
        }
    }
});
