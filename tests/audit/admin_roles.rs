//! Role administration events.

use rolegate::audit::{Actor, AuditLog, AuditQuery, Outcome};
use rolegate::engine::GuardError;
use rolegate::*;

use crate::admin::{Rid, Want, admin_call, admin_role, dev_role, role_rid};
use crate::fixture::{ACME, ADMIN, DEV, query, world};

#[test]
fn role_administration_is_recorded_with_outcomes() {
    let w = world(AuditLog::in_memory());
    let catalog = w.engine.catalog();
    let rule = |ty: &str, action: &str| Rule::builder(catalog, ty, action).build().unwrap();
    let by_admin = |action, outcome, rid, org| Want {
        action,
        outcome,
        actor: Actor::User(ADMIN),
        role: admin_role(),
        rtype: "role",
        rid,
        org,
    };
    let by_dev = |action, rid| Want {
        action,
        outcome: Outcome::Denied,
        actor: Actor::User(DEV),
        role: dev_role(),
        rtype: "role",
        rid,
        org: Some(ACME),
    };

    // role.create
    let (made, e) = admin_call(
        &w,
        &by_admin("role.create", Outcome::Success, Rid::Created, Some(ACME)),
        |en| {
            en.admin(ADMIN)
                .create_role(ACME, "Auditors", vec![rule("audit_log", "read")])
        },
    );
    let auditors = made.unwrap();
    assert_eq!(e.resource_id(), Some(auditors.index().to_string().as_str()));
    let (err, e) = admin_call(&w, &by_dev("role.create", Rid::None), |en| {
        en.admin(DEV).create_role(ACME, "Nope", vec![])
    });
    assert_eq!(
        err.unwrap_err(),
        AdminError::Denied(GuardError::MissingPermission {
            permission: "roles.manage".into()
        })
    );
    assert!(
        e.reason()
            .unwrap()
            .contains("acting user lacks roles.manage")
    );
    let (err, _) = admin_call(
        &w,
        &by_admin("role.create", Outcome::Failure, Rid::None, Some(ACME)),
        |en| en.admin(ADMIN).create_role(ACME, "Auditors", vec![]),
    );
    assert!(matches!(
        err,
        Err(AdminError::Role(RoleError::DuplicateName { .. }))
    ));
    // Escalation: a role manager cannot grant what they lack.
    let lead = w
        .engine
        .bootstrap()
        .create_role(ACME, "Lead", vec![rule("roles", "manage")])
        .unwrap();
    w.engine
        .bootstrap()
        .add_user(User::new(UserId::new(40), ACME, lead))
        .unwrap();
    let (err, _) = admin_call(
        &w,
        &Want {
            action: "role.create",
            outcome: Outcome::Denied,
            actor: Actor::User(UserId::new(40)),
            role: Some((lead, "Lead")),
            rtype: "role",
            rid: Rid::None,
            org: Some(ACME),
        },
        |en| {
            en.admin(UserId::new(40))
                .create_role(ACME, "Payers", vec![rule("billing", "update")])
        },
    );
    assert!(matches!(
        err,
        Err(AdminError::Denied(GuardError::Escalation { .. }))
    ));
    // duplicate_role is a role.create too.
    let (made, e) = admin_call(
        &w,
        &by_admin("role.create", Outcome::Success, Rid::Created, Some(ACME)),
        |en| {
            en.admin(ADMIN)
                .duplicate_role(ACME, SystemRole::Viewer.id(), "Readers")
        },
    );
    let readers = made.unwrap();
    assert_eq!(e.resource_id(), Some(readers.index().to_string().as_str()));
    assert_ne!(readers, auditors);

    // role.update
    admin_call(
        &w,
        &by_admin(
            "role.update",
            Outcome::Success,
            role_rid(auditors),
            Some(ACME),
        ),
        |en| en.admin(ADMIN).rename_role(auditors, "Auditing"),
    )
    .0
    .unwrap();
    admin_call(
        &w,
        &by_admin(
            "role.update",
            Outcome::Success,
            role_rid(auditors),
            Some(ACME),
        ),
        |en| {
            en.admin(ADMIN)
                .replace_rules(auditors, vec![rule("activity", "read")])
        },
    )
    .0
    .unwrap();
    admin_call(&w, &by_dev("role.update", role_rid(auditors)), |en| {
        en.admin(DEV).replace_rules(auditors, vec![])
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin(
            "role.update",
            Outcome::Failure,
            role_rid(SystemRole::Viewer.id()),
            Some(ACME),
        ),
        |en| {
            en.admin(ADMIN)
                .rename_role(SystemRole::Viewer.id(), "Readers 2")
        },
    );
    assert!(matches!(
        err,
        Err(AdminError::Role(RoleError::SystemRole { .. }))
    ));
    let (err, _) = admin_call(
        &w,
        &by_admin(
            "role.update",
            Outcome::Failure,
            role_rid(auditors),
            Some(ACME),
        ),
        |en| en.admin(ADMIN).rename_role(auditors, "Readers"),
    );
    assert!(matches!(
        err,
        Err(AdminError::Role(RoleError::DuplicateName { .. }))
    ));

    // role.delete
    w.engine
        .admin(ADMIN)
        .add_user(User::new(UserId::new(30), ACME, auditors))
        .unwrap();
    admin_call(&w, &by_dev("role.delete", role_rid(auditors)), |en| {
        en.admin(DEV).delete_role(auditors, None)
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin(
            "role.delete",
            Outcome::Failure,
            role_rid(auditors),
            Some(ACME),
        ),
        |en| en.admin(ADMIN).delete_role(auditors, None),
    );
    assert!(matches!(err, Err(AdminError::RoleInUse { holders: 1, .. })));
    let (done, _) = admin_call(
        &w,
        &by_admin(
            "role.delete",
            Outcome::Success,
            role_rid(auditors),
            Some(ACME),
        ),
        |en| {
            en.admin(ADMIN)
                .delete_role(auditors, Some(SystemRole::Viewer.id()))
        },
    );
    assert_eq!(done.unwrap().moved, 1);

    // Filters over the administrative trail.
    let q = AuditQuery::new().resource_type("role").user(ADMIN);
    let mine = query(&w.engine, &q);
    assert!(mine.iter().all(|e| e.user() == Some(ADMIN)));
    assert_eq!(
        query(
            &w.engine,
            &AuditQuery::new()
                .action("role.delete")
                .outcome(Outcome::Success)
        )
        .len(),
        1
    );
    assert_eq!(
        query(
            &w.engine,
            &AuditQuery::new()
                .resource_type("role")
                .outcome(Outcome::Denied)
        )
        .len(),
        4
    );
}
