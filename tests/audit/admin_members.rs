//! Member administration events.

use rolegate::audit::{Actor, AuditLog, AuditQuery, Outcome};
use rolegate::directory::Timestamp;
use rolegate::engine::GuardError;
use rolegate::*;

use crate::admin::{Want, admin_call, admin_role, dev_role, user_rid};
use crate::fixture::{ACME, ADMIN, DEV, G_ADMIN, OWNER, VIEWER, query, world};

#[test]
fn member_administration_is_recorded_with_outcomes() {
    let w = world(AuditLog::in_memory());
    let new = UserId::new(30);
    let ghost = UserId::new(999);
    let by_admin = |action, outcome, rid| Want {
        action,
        outcome,
        actor: Actor::User(ADMIN),
        role: admin_role(),
        rtype: "user",
        rid,
        org: Some(ACME),
    };
    let by_dev = |action, rid| Want {
        action,
        outcome: Outcome::Denied,
        actor: Actor::User(DEV),
        role: dev_role(),
        rtype: "user",
        rid,
        org: Some(ACME),
    };

    // member.add
    admin_call(
        &w,
        &by_admin("member.add", Outcome::Success, user_rid(new)),
        |en| {
            en.admin(ADMIN)
                .add_user(User::new(new, ACME, SystemRole::Viewer.id()))
        },
    )
    .0
    .unwrap();
    admin_call(
        &w,
        &Want {
            action: "member.add",
            outcome: Outcome::Denied,
            actor: Actor::User(VIEWER),
            role: Some((SystemRole::Viewer.id(), "Viewer")),
            rtype: "user",
            rid: user_rid(UserId::new(31)),
            org: Some(ACME),
        },
        |en| {
            en.admin(VIEWER)
                .add_user(User::new(UserId::new(31), ACME, SystemRole::Viewer.id()))
        },
    )
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin("member.add", Outcome::Failure, user_rid(new)),
        |en| {
            en.admin(ADMIN)
                .add_user(User::new(new, ACME, SystemRole::Viewer.id()))
        },
    );
    assert!(matches!(err, Err(AdminError::DuplicateUser { .. })));

    // member.role_assign
    admin_call(
        &w,
        &by_admin("member.role_assign", Outcome::Success, user_rid(new)),
        |en| en.admin(ADMIN).assign_role(new, SystemRole::Developer.id()),
    )
    .0
    .unwrap();
    let (err, _) = admin_call(
        &w,
        &by_admin("member.role_assign", Outcome::Denied, user_rid(new)),
        |en| en.admin(ADMIN).assign_role(new, SystemRole::Owner.id()),
    );
    assert_eq!(err.unwrap_err(), AdminError::Denied(GuardError::OwnerOnly));
    let (err, _) = admin_call(
        &w,
        &by_admin("member.role_assign", Outcome::Failure, user_rid(ghost)),
        |en| en.admin(ADMIN).assign_role(ghost, SystemRole::Viewer.id()),
    );
    assert!(matches!(err, Err(AdminError::UnknownUser { .. })));
    let (err, _) = admin_call(
        &w,
        &by_admin("member.role_assign", Outcome::Failure, user_rid(new)),
        |en| en.admin(ADMIN).assign_role(new, RoleId::new(999).unwrap()),
    );
    assert!(matches!(err, Err(AdminError::UnknownRole { .. })));

    // member.status_change
    admin_call(
        &w,
        &by_admin("member.status_change", Outcome::Success, user_rid(new)),
        |en| en.admin(ADMIN).set_status(new, UserStatus::Suspended),
    )
    .0
    .unwrap();
    admin_call(&w, &by_dev("member.status_change", user_rid(new)), |en| {
        en.admin(DEV).set_status(new, UserStatus::Active)
    })
    .0
    .unwrap_err();
    // The last active Owner: denied by the guard after the change is tried.
    let (err, _) = admin_call(
        &w,
        &Want {
            action: "member.status_change",
            outcome: Outcome::Denied,
            actor: Actor::User(OWNER),
            role: Some((SystemRole::Owner.id(), "Owner")),
            rtype: "user",
            rid: user_rid(OWNER),
            org: Some(ACME),
        },
        |en| en.admin(OWNER).set_status(OWNER, UserStatus::Suspended),
    );
    assert!(matches!(
        err,
        Err(AdminError::Denied(GuardError::LastOwner { .. }))
    ));
    let (err, _) = admin_call(
        &w,
        &by_admin("member.status_change", Outcome::Failure, user_rid(ghost)),
        |en| en.admin(ADMIN).set_status(ghost, UserStatus::Active),
    );
    assert!(matches!(err, Err(AdminError::UnknownUser { .. })));

    // member.remove
    admin_call(&w, &by_dev("member.remove", user_rid(new)), |en| {
        en.admin(DEV).remove_user(new)
    })
    .0
    .unwrap_err();
    admin_call(
        &w,
        &by_admin("member.remove", Outcome::Success, user_rid(new)),
        |en| en.admin(ADMIN).remove_user(new),
    )
    .0
    .unwrap();
    let (err, _) = admin_call(
        &w,
        &by_admin("member.remove", Outcome::Failure, user_rid(new)),
        |en| en.admin(ADMIN).remove_user(new),
    );
    assert!(matches!(err, Err(AdminError::UnknownUser { .. })));

    // Unknown and foreign actors are recorded with who they claimed to be.
    let stranger = UserId::new(777);
    let (err, _) = admin_call(
        &w,
        &Want {
            action: "member.remove",
            outcome: Outcome::Denied,
            actor: Actor::User(stranger),
            role: None,
            rtype: "user",
            rid: user_rid(VIEWER),
            org: Some(ACME),
        },
        |en| en.admin(stranger).remove_user(VIEWER),
    );
    assert!(matches!(
        err,
        Err(AdminError::Denied(GuardError::UnknownActor { .. }))
    ));
    let (err, _) = admin_call(
        &w,
        &Want {
            action: "member.role_assign",
            outcome: Outcome::Denied,
            actor: Actor::User(G_ADMIN),
            role: admin_role(),
            rtype: "user",
            rid: user_rid(VIEWER),
            org: Some(ACME),
        },
        |en| {
            en.admin(G_ADMIN)
                .assign_role(VIEWER, SystemRole::Admin.id())
        },
    );
    assert!(matches!(
        err,
        Err(AdminError::Denied(GuardError::OtherOrganization { .. }))
    ));

    // The role held at the time: the Admin, demoted, acts as a Developer.
    let (_, promoted) = admin_call(
        &w,
        &Want {
            action: "member.role_assign",
            outcome: Outcome::Success,
            actor: Actor::User(OWNER),
            role: Some((SystemRole::Owner.id(), "Owner")),
            rtype: "user",
            rid: user_rid(ADMIN),
            org: Some(ACME),
        },
        |en| {
            en.admin(OWNER)
                .assign_role(ADMIN, SystemRole::Developer.id())
        },
    );
    admin_call(
        &w,
        &Want {
            action: "member.add",
            outcome: Outcome::Denied,
            actor: Actor::User(ADMIN),
            role: dev_role(),
            rtype: "user",
            rid: user_rid(UserId::new(32)),
            org: Some(ACME),
        },
        |en| {
            en.admin(ADMIN)
                .add_user(User::new(UserId::new(32), ACME, SystemRole::Viewer.id()))
        },
    )
    .0
    .unwrap_err();
    let earlier = query(
        &w.engine,
        &AuditQuery::new()
            .user(ADMIN)
            .between(Timestamp::EPOCH, promoted.at()),
    );
    assert!(!earlier.is_empty());
    assert!(earlier.iter().all(|e| e.role() == admin_role()));
}
