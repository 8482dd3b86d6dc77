//! Team administration events.

use rolegate::audit::{Actor, AuditLog, AuditQuery, Outcome};
use rolegate::*;

use crate::admin::{Rid, Want, admin_call, admin_role, dev_role, team_rid};
use crate::fixture::{ACME, ADMIN, DEV, G_ADMIN, VIEWER, query, world};

#[test]
fn team_administration_is_recorded_with_outcomes() {
    let w = world(AuditLog::in_memory());
    let by_admin = |action, outcome, rid| Want {
        action,
        outcome,
        actor: Actor::User(ADMIN),
        role: admin_role(),
        rtype: "team",
        rid,
        org: Some(ACME),
    };
    let by_dev = |action, rid| Want {
        action,
        outcome: Outcome::Denied,
        actor: Actor::User(DEV),
        role: dev_role(),
        rtype: "team",
        rid,
        org: Some(ACME),
    };

    // team.create
    let (ops, e) = admin_call(
        &w,
        &by_admin("team.create", Outcome::Success, Rid::Created),
        |en| en.admin(ADMIN).create_team(ACME, "Ops"),
    );
    let ops = ops.unwrap();
    assert_eq!(e.resource_id(), Some(ops.to_string().as_str()));
    admin_call(&w, &by_dev("team.create", Rid::None), |en| {
        en.admin(DEV).create_team(ACME, "Mine")
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin("team.create", Outcome::Failure, Rid::None),
        |en| en.admin(ADMIN).create_team(ACME, "Ops"),
    );
    assert!(matches!(err, Err(AdminError::DuplicateTeamName { .. })));
    let (err, _) = admin_call(
        &w,
        &by_admin("team.create", Outcome::Failure, Rid::None),
        |en| en.admin(ADMIN).create_team(ACME, "   "),
    );
    assert!(matches!(err, Err(AdminError::InvalidTeamName { .. })));

    // team.update
    admin_call(
        &w,
        &by_admin("team.update", Outcome::Success, team_rid(ops)),
        |en| en.admin(ADMIN).rename_team(ops, "Operations"),
    )
    .0
    .unwrap();
    admin_call(&w, &by_dev("team.update", team_rid(ops)), |en| {
        en.admin(DEV).rename_team(ops, "Mine")
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin("team.update", Outcome::Failure, team_rid(ops)),
        |en| en.admin(ADMIN).rename_team(ops, "Platform"),
    );
    assert!(matches!(err, Err(AdminError::DuplicateTeamName { .. })));

    // team.member_add
    admin_call(
        &w,
        &by_admin("team.member_add", Outcome::Success, team_rid(ops)),
        |en| en.admin(ADMIN).add_to_team(ops, VIEWER),
    )
    .0
    .unwrap();
    admin_call(&w, &by_dev("team.member_add", team_rid(ops)), |en| {
        en.admin(DEV).add_to_team(ops, DEV)
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin("team.member_add", Outcome::Failure, team_rid(ops)),
        |en| en.admin(ADMIN).add_to_team(ops, G_ADMIN),
    );
    assert!(matches!(err, Err(AdminError::CrossOrganization { .. })));

    // team.role_assign
    let (changed, _) = admin_call(
        &w,
        &by_admin("team.role_assign", Outcome::Success, team_rid(ops)),
        |en| {
            en.admin(ADMIN)
                .assign_team_role(ops, SystemRole::Operator.id())
        },
    );
    assert_eq!(changed.unwrap(), 1);
    admin_call(&w, &by_dev("team.role_assign", team_rid(ops)), |en| {
        en.admin(DEV).assign_team_role(ops, SystemRole::Viewer.id())
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin("team.role_assign", Outcome::Failure, team_rid(ops)),
        |en| {
            en.admin(ADMIN)
                .assign_team_role(ops, RoleId::new(999).unwrap())
        },
    );
    assert!(matches!(err, Err(AdminError::UnknownRole { .. })));

    // team.member_remove
    admin_call(&w, &by_dev("team.member_remove", team_rid(ops)), |en| {
        en.admin(DEV).remove_from_team(ops, VIEWER)
    })
    .0
    .unwrap_err();
    admin_call(
        &w,
        &by_admin("team.member_remove", Outcome::Success, team_rid(ops)),
        |en| en.admin(ADMIN).remove_from_team(ops, VIEWER),
    )
    .0
    .unwrap();
    let (err, _) = admin_call(
        &w,
        &by_admin("team.member_remove", Outcome::Failure, team_rid(ops)),
        |en| en.admin(ADMIN).remove_from_team(ops, UserId::new(999)),
    );
    assert!(matches!(err, Err(AdminError::UnknownUser { .. })));

    // team.delete
    admin_call(&w, &by_dev("team.delete", team_rid(w.platform)), |en| {
        en.admin(DEV).delete_team(w.platform)
    })
    .0
    .unwrap_err();
    admin_call(
        &w,
        &by_admin("team.delete", Outcome::Success, team_rid(ops)),
        |en| en.admin(ADMIN).delete_team(ops),
    )
    .0
    .unwrap();
    let (err, _) = admin_call(
        &w,
        &Want {
            // The team is gone: the event names the actor's organization.
            org: Some(ACME),
            ..by_admin("team.delete", Outcome::Failure, team_rid(ops))
        },
        |en| en.admin(ADMIN).delete_team(ops),
    );
    assert!(matches!(err, Err(AdminError::UnknownTeam { .. })));

    // Per outcome, through the query.
    let count = |o| {
        query(
            &w.engine,
            &AuditQuery::new().resource_type("team").outcome(o),
        )
        .len()
    };
    assert_eq!(count(Outcome::Success), 6);
    assert_eq!(count(Outcome::Denied), 6);
    assert_eq!(count(Outcome::Failure), 7);
}
