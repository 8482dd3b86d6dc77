//! Bootstrap calls, recorded as the system.

use rolegate::audit::{Actor, AuditLog, Outcome};
use rolegate::engine::GuardError;
use rolegate::*;

use crate::admin::{Rid, Want, admin_call, role_rid, user_rid};
use crate::fixture::{ACME, GLOBEX, OWNER, all, world};

#[test]
fn bootstrap_calls_are_recorded_as_the_system() {
    let w = world(AuditLog::in_memory());
    let system = |action, outcome, rtype, rid, org| Want {
        action,
        outcome,
        actor: Actor::System,
        role: None,
        rtype,
        rid,
        org,
    };
    let (team, _) = admin_call(
        &w,
        &system(
            "team.create",
            Outcome::Success,
            "team",
            Rid::Created,
            Some(GLOBEX),
        ),
        |en| en.bootstrap().create_team(GLOBEX, "Boot"),
    );
    let team = team.unwrap();
    let (role, _) = admin_call(
        &w,
        &system(
            "role.create",
            Outcome::Success,
            "role",
            Rid::Created,
            Some(GLOBEX),
        ),
        |en| en.bootstrap().create_role(GLOBEX, "Booted", vec![]),
    );
    let role = role.unwrap();
    admin_call(
        &w,
        &system(
            "member.add",
            Outcome::Success,
            "user",
            user_rid(UserId::new(50)),
            Some(GLOBEX),
        ),
        |en| {
            en.bootstrap()
                .add_user(User::new(UserId::new(50), GLOBEX, role).with_team(team))
        },
    )
    .0
    .unwrap();
    // A system call on a system role names no organization.
    let (err, e) = admin_call(
        &w,
        &system(
            "role.update",
            Outcome::Failure,
            "role",
            role_rid(SystemRole::Viewer.id()),
            None,
        ),
        |en| {
            en.bootstrap()
                .rename_role(SystemRole::Viewer.id(), "Reader")
        },
    );
    assert!(matches!(
        err,
        Err(AdminError::Role(RoleError::SystemRole { .. }))
    ));
    assert_eq!(e.user(), None);
    // The last Owner holds even for the system.
    let (err, _) = admin_call(
        &w,
        &system(
            "member.remove",
            Outcome::Denied,
            "user",
            user_rid(OWNER),
            Some(ACME),
        ),
        |en| en.bootstrap().remove_user(OWNER),
    );
    assert!(matches!(
        err,
        Err(AdminError::Denied(GuardError::LastOwner { .. }))
    ));
    let system_events = all(&w.engine);
    assert_eq!(system_events.len(), 5);
    assert!(system_events.iter().all(|e| e.actor() == Actor::System));
}
