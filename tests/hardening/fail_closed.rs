//! A fail-closed sweep: every public entry point fed missing, empty,
//! out-of-range, oversized and cross-organization values gives a typed
//! error or a deny, never a panic, and a refused write changes nothing.

use rolegate::audit::{AuditError, AuditQuery, HostEvent, Outcome};
use rolegate::condition::Conditions;
use rolegate::*;

const ACME: OrgId = OrgId::new(1);
const GLOBEX: OrgId = OrgId::new(2);
const OWNER: UserId = UserId::new(1);
const VIEWER: UserId = UserId::new(2);
const G_OWNER: UserId = UserId::new(10);

struct World {
    engine: Engine,
    acme_role: RoleId,
    globex_role: RoleId,
    acme_team: TeamId,
    globex_team: TeamId,
}

fn world() -> World {
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    boot.add_user(User::new(OWNER, ACME, SystemRole::Owner.id()))
        .unwrap();
    boot.add_user(User::new(VIEWER, ACME, SystemRole::Viewer.id()))
        .unwrap();
    boot.add_user(User::new(G_OWNER, GLOBEX, SystemRole::Owner.id()))
        .unwrap();
    let acme_role = boot.create_role(ACME, "Acme role", vec![]).unwrap();
    let globex_role = boot.create_role(GLOBEX, "Globex role", vec![]).unwrap();
    let acme_team = boot.create_team(ACME, "Acme team").unwrap();
    let globex_team = boot.create_team(GLOBEX, "Globex team").unwrap();
    World {
        engine,
        acme_role,
        globex_role,
        acme_team,
        globex_team,
    }
}

/// What a state looks like from outside: revision, roles, people, teams.
fn state(engine: &Engine) -> String {
    let s = engine.snapshot();
    let mut out = format!("{:?}", s.revision());
    for org in [ACME, GLOBEX] {
        out.push_str(&format!(
            "{:?}{:?}{:?}",
            s.roles(org),
            s.people(org, &Default::default()),
            s.teams(org)
        ));
    }
    out
}

/// Runs a call that must be refused: an error, and nothing changed.
fn refused<T: std::fmt::Debug>(
    w: &World,
    what: &str,
    call: impl FnOnce(&Engine) -> Result<T, AdminError>,
) {
    let before = state(&w.engine);
    let result = call(&w.engine);
    assert!(result.is_err(), "{what}: accepted as {result:?}");
    assert_eq!(
        state(&w.engine),
        before,
        "{what}: a refused call changed the state"
    );
}

#[test]
fn administrative_calls_refuse_missing_empty_oversized_and_foreign_values() {
    let w = world();
    let huge = "x".repeat(10 << 20);
    let no_role = RoleId::new(RoleId::MAX).unwrap();
    let no_user = UserId::new(u64::MAX);
    let no_team = TeamId::new(u64::MAX);
    let (acme_role, globex_role, acme_team, globex_team) =
        (w.acme_role, w.globex_role, w.acme_team, w.globex_team);

    // Missing and out of range.
    refused(&w, "assign an unknown role", |e| {
        e.admin(OWNER).assign_role(VIEWER, no_role)
    });
    refused(&w, "assign to an unknown user", |e| {
        e.admin(OWNER).assign_role(no_user, SystemRole::Viewer.id())
    });
    refused(&w, "an unknown actor", |e| {
        e.admin(no_user)
            .assign_role(VIEWER, SystemRole::Viewer.id())
    });
    refused(&w, "delete an unknown role", |e| {
        e.admin(OWNER).delete_role(no_role, None)
    });
    refused(&w, "move holders to an unknown role", |e| {
        e.admin(OWNER).delete_role(acme_role, Some(no_role))
    });
    refused(&w, "rename an unknown team", |e| {
        e.admin(OWNER).rename_team(no_team, "Ops")
    });
    refused(&w, "join an unknown team", |e| {
        e.admin(OWNER).add_to_team(no_team, VIEWER)
    });
    refused(&w, "remove an unknown user", |e| {
        e.admin(OWNER).remove_user(no_user)
    });
    refused(&w, "status of an unknown user", |e| {
        e.admin(OWNER).set_status(no_user, UserStatus::Suspended)
    });
    refused(&w, "replace rules of an unknown role", |e| {
        e.admin(OWNER).replace_rules(no_role, [])
    });
    refused(&w, "duplicate an unknown role", |e| {
        e.admin(OWNER).duplicate_role(ACME, no_role, "Copy")
    });

    // Empty and oversized.
    for name in ["", "   ", huge.as_str(), "\u{0}", "Own\u{200b}er"] {
        refused(&w, "a bad role name", |e| {
            e.admin(OWNER).create_role(ACME, name, vec![])
        });
        refused(&w, "a bad rename", |e| {
            e.admin(OWNER).rename_role(acme_role, name)
        });
        refused(&w, "a bad team name", |e| {
            e.admin(OWNER).create_team(ACME, name)
        });
        refused(&w, "a bad team rename", |e| {
            e.admin(OWNER).rename_team(acme_team, name)
        });
    }
    for csv in [
        "",
        "\u{feff}",
        huge.as_str(),
        "Role name\n",
        "\"unterminated",
    ] {
        refused(&w, "a bad roles file", |e| {
            e.admin(OWNER).import_roles(ACME, csv)
        });
    }

    // System roles cannot be changed.
    refused(&w, "rename a system role", |e| {
        e.admin(OWNER).rename_role(SystemRole::Owner.id(), "Boss")
    });
    refused(&w, "delete a system role", |e| {
        e.admin(OWNER).delete_role(SystemRole::Viewer.id(), None)
    });
    refused(&w, "edit a system role", |e| {
        e.admin(OWNER).replace_rules(SystemRole::Admin.id(), [])
    });

    // Across organizations, by an actor and by the system alike.
    refused(&w, "assign another organization's role", |e| {
        e.admin(OWNER).assign_role(VIEWER, globex_role)
    });
    refused(&w, "act on another organization's user", |e| {
        e.admin(OWNER).set_status(G_OWNER, UserStatus::Suspended)
    });
    refused(&w, "delete another organization's role", |e| {
        e.admin(OWNER).delete_role(globex_role, None)
    });
    refused(&w, "move holders across organizations", |e| {
        e.admin(OWNER).delete_role(acme_role, Some(globex_role))
    });
    refused(&w, "join another organization's team", |e| {
        e.admin(OWNER).add_to_team(globex_team, VIEWER)
    });
    refused(&w, "rename another organization's team", |e| {
        e.admin(OWNER).rename_team(globex_team, "Mine")
    });
    refused(&w, "the system, across organizations", |e| {
        e.bootstrap().add_to_team(globex_team, VIEWER)
    });
    refused(&w, "a user holding another organization's role", |e| {
        e.bootstrap()
            .add_user(User::new(UserId::new(50), ACME, globex_role))
    });
    refused(&w, "a user added twice", |e| {
        e.bootstrap()
            .add_user(User::new(VIEWER, ACME, SystemRole::Viewer.id()))
    });
    // An inactive actor may do nothing.
    w.engine
        .admin(OWNER)
        .set_status(VIEWER, UserStatus::Suspended)
        .unwrap();
    refused(&w, "a suspended actor", |e| {
        e.admin(VIEWER).create_team(ACME, "Mine")
    });
}

#[test]
fn checks_deny_out_of_range_and_unknown_values() {
    let w = world();
    let catalog = w.engine.catalog();
    let workflows = catalog.resource_type("workflows").unwrap();
    let read = catalog.action("read").unwrap();
    let no_action = ActionId::new(ActionId::MAX).unwrap();
    let no_type = ResourceTypeId::new(ResourceTypeId::MAX).unwrap();
    let no_attribute = AttributeId::new(AttributeId::MAX).unwrap();
    let ours = Resource::new(workflows, ResourceId::new(1), ACME);
    assert!(w.engine.can(OWNER, read, &ours), "the control: an allow");
    let cases = [
        (
            OWNER,
            no_action,
            Resource::new(workflows, ResourceId::new(1), ACME),
        ),
        (
            OWNER,
            read,
            Resource::new(no_type, ResourceId::new(1), ACME),
        ),
        (
            OWNER,
            read,
            Resource::new(workflows, ResourceId::new(1), GLOBEX),
        ),
        (
            UserId::new(u64::MAX),
            read,
            Resource::new(workflows, ResourceId::new(1), ACME),
        ),
    ];
    for (user, action, resource) in &cases {
        assert!(
            !w.engine.can(*user, *action, resource),
            "{user} {action:?} {resource:?}"
        );
        assert!(!w.engine.explain(*user, *action, resource).is_allowed());
        assert!(w.engine.authorize(*user, *action, resource).is_err());
        assert_eq!(
            w.engine
                .snapshot()
                .can_many(*user, *action, std::slice::from_ref(resource)),
            [false]
        );
    }
    // An attribute the type does not declare is not there to match.
    let odd = ours.clone().with_attribute(no_attribute, "x");
    assert!(w.engine.can(OWNER, read, &odd));
    assert_eq!(
        w.engine.snapshot().can_many(OWNER, read, &[]),
        Vec::<bool>::new()
    );
}

#[test]
fn parsers_and_host_events_refuse_empty_and_oversized_input_by_name() {
    let catalog = Catalog::standard();
    let workflows = catalog.resource_type("workflows").unwrap();
    let huge = "x".repeat(10 << 20);
    for text in [
        "status ==",
        "==",
        "\"",
        "status == \"",
        "(",
        "priority in [",
        huge.as_str(),
    ] {
        assert!(
            Conditions::parse(&catalog, workflows, text).is_err(),
            "{:.40}",
            text
        );
    }
    assert!(
        Conditions::parse(&catalog, workflows, "   ")
            .unwrap()
            .is_empty()
    );
    for (resource, action) in [
        ("", "read"),
        ("workflows", ""),
        (huge.as_str(), "read"),
        ("workflows", huge.as_str()),
    ] {
        assert!(Rule::builder(&catalog, resource, action).build().is_err());
    }
    let engine = Engine::new(Catalog::standard());
    let log = engine.audit();
    for action in ["", ".", "a..b", huge.as_str(), "Auth.Login"] {
        assert!(matches!(
            log.record(HostEvent::new(ACME, action, Outcome::Success)),
            Err(AuditError::InvalidAction { .. })
        ));
    }
    let id = log
        .record(
            HostEvent::new(ACME, "auth.login", Outcome::Failure)
                .reason(&huge)
                .resource("session", &huge),
        )
        .unwrap();
    assert!(id.is_some());
    let event = &log.query(&AuditQuery::new()).unwrap().events[0];
    assert_eq!(
        event.reason().unwrap().chars().count(),
        513,
        "cut to 512 and the mark"
    );
    assert!(event.resource_id().unwrap().chars().count() <= 513);
    assert_eq!(
        log.query(&AuditQuery::new().limit(0)).unwrap().events.len(),
        1,
        "a page holds at least one"
    );
    assert_eq!(
        log.query(&AuditQuery::new().limit(usize::MAX))
            .unwrap()
            .events
            .len(),
        1
    );
}
