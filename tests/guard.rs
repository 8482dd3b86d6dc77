//! The delegation guard (SEMANTICS.md §10): roles.manage and members.manage, no
//! granting what you do not hold, Owner-only Owner changes, the last active
//! Owner, actors of other organizations or inactive, and bootstrap. Every
//! refused call leaves the engine unchanged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rolegate::audit::Actor;
use rolegate::directory::PeopleFilter;
use rolegate::engine::GuardError;
use rolegate::*;

const ACME: OrgId = OrgId::new(1);
const GLOBEX: OrgId = OrgId::new(2);
const OWNER: UserId = UserId::new(1);
const ADMIN: UserId = UserId::new(2);
const DEV: UserId = UserId::new(3);
const MANAGER: UserId = UserId::new(4);
const TARGET: UserId = UserId::new(5);

/// Acme: an Owner, an Admin, a Developer, a "Team Lead" who manages roles
/// and members but reads workflows only in their teams, and a Viewer.
struct Fixture {
    engine: Engine,
    lead: RoleId,
}

fn fixture() -> Fixture {
    let engine = Engine::new(Catalog::standard());
    let catalog = engine.catalog();
    let plain = |ty, action| Rule::builder(catalog, ty, action).build().unwrap();
    let team_read = Rule::builder(catalog, "workflows", "read")
        .must_match(MustMatch::TEAM)
        .build()
        .unwrap();
    let boot = engine.bootstrap();
    let lead = boot
        .create_role(
            ACME,
            "Team Lead",
            vec![
                plain("roles", "manage"),
                plain("members", "manage"),
                plain("tools", "read"),
                team_read,
            ],
        )
        .unwrap();
    boot.add_user(User::new(OWNER, ACME, SystemRole::Owner.id()))
        .unwrap();
    boot.add_user(User::new(ADMIN, ACME, SystemRole::Admin.id()))
        .unwrap();
    boot.add_user(User::new(DEV, ACME, SystemRole::Developer.id()))
        .unwrap();
    boot.add_user(User::new(MANAGER, ACME, lead)).unwrap();
    boot.add_user(User::new(TARGET, ACME, SystemRole::Viewer.id()))
        .unwrap();
    Fixture { engine, lead }
}

impl Fixture {
    fn rule(&self, ty: &str, action: &str, keys: MustMatch, conditions: &str) -> Rule {
        Rule::builder(self.engine.catalog(), ty, action)
            .must_match(keys)
            .conditions(conditions)
            .build()
            .unwrap()
    }

    /// Runs a call that must be refused with `want`, and checks nothing
    /// changed.
    #[track_caller]
    fn refused<T: std::fmt::Debug>(
        &self,
        want: GuardError,
        call: impl FnOnce(&Engine) -> Result<T, AdminError>,
    ) {
        let before = self.engine.snapshot();
        let got = call(&self.engine).unwrap_err();
        assert_eq!(got, AdminError::Denied(want));
        let after = self.engine.snapshot();
        assert_eq!(
            after.revision().get(),
            before.revision().get(),
            "a refused call changed the state"
        );
    }
}

#[test]
fn role_changes_need_roles_manage() {
    let f = fixture();
    let missing = || GuardError::MissingPermission {
        permission: "roles.manage".into(),
    };
    f.refused(missing(), |e| e.admin(DEV).create_role(ACME, "X", vec![]));
    f.refused(missing(), |e| {
        e.admin(DEV)
            .duplicate_role(ACME, SystemRole::Viewer.id(), "X")
    });
    f.refused(missing(), |e| e.admin(DEV).rename_role(f.lead, "X"));
    f.refused(missing(), |e| e.admin(DEV).replace_rules(f.lead, vec![]));
    f.refused(missing(), |e| {
        e.admin(DEV)
            .delete_role(f.lead, Some(SystemRole::Viewer.id()))
    });
    // With it, they go through.
    let made = f
        .engine
        .admin(ADMIN)
        .create_role(ACME, "X", vec![])
        .unwrap();
    f.engine.admin(MANAGER).rename_role(made, "Y").unwrap();
}

#[test]
fn people_and_team_changes_need_members_manage() {
    let f = fixture();
    let team = f.engine.bootstrap().create_team(ACME, "Red").unwrap();
    let missing = || GuardError::MissingPermission {
        permission: "members.manage".into(),
    };
    let viewer = SystemRole::Viewer.id();
    f.refused(missing(), |e| {
        e.admin(DEV)
            .add_user(User::new(UserId::new(9), ACME, viewer))
    });
    f.refused(missing(), |e| e.admin(DEV).remove_user(TARGET));
    f.refused(missing(), |e| e.admin(DEV).assign_role(TARGET, viewer));
    f.refused(missing(), |e| {
        e.admin(DEV).set_status(TARGET, UserStatus::Suspended)
    });
    f.refused(missing(), |e| e.admin(DEV).create_team(ACME, "Blue"));
    f.refused(missing(), |e| e.admin(DEV).rename_team(team, "Blue"));
    f.refused(missing(), |e| e.admin(DEV).delete_team(team));
    f.refused(missing(), |e| e.admin(DEV).add_to_team(team, TARGET));
    f.refused(missing(), |e| e.admin(DEV).remove_from_team(team, TARGET));
    f.refused(missing(), |e| e.admin(DEV).assign_team_role(team, viewer));
    f.engine.admin(MANAGER).add_to_team(team, TARGET).unwrap();
    f.engine
        .admin(MANAGER)
        .set_status(TARGET, UserStatus::Suspended)
        .unwrap();
}

#[test]
fn nobody_grants_what_they_do_not_hold() {
    let f = fixture();
    let lead = f.engine.admin(MANAGER);
    let escalation = |p: &str| GuardError::Escalation {
        permission: p.into(),
    };
    // Not held at all.
    f.refused(escalation("workflows.delete"), |e| {
        e.admin(MANAGER).create_role(
            ACME,
            "Deleters",
            vec![f.rule("workflows", "delete", MustMatch::empty(), "")],
        )
    });
    // Held, but only in the lead's teams: an unscoped grant is broader.
    f.refused(escalation("workflows.read"), |e| {
        e.admin(MANAGER).create_role(
            ACME,
            "Readers",
            vec![f.rule("workflows", "read", MustMatch::empty(), "")],
        )
    });
    // As narrow or narrower than held is fine.
    let narrower = f.rule(
        "workflows",
        "read",
        MustMatch::TEAM | MustMatch::OWNER,
        r#"status != "archived""#,
    );
    let readers = lead
        .create_role(
            ACME,
            "Readers",
            vec![
                f.rule("tools", "read", MustMatch::empty(), ""),
                narrower.clone(),
            ],
        )
        .unwrap();
    // Editing: a new rule must be held.
    f.refused(escalation("billing.read"), |e| {
        e.admin(MANAGER).replace_rules(
            readers,
            vec![
                narrower.clone(),
                f.rule("billing", "read", MustMatch::empty(), ""),
            ],
        )
    });
    // Once the role grants something the lead lacks (given by trusted
    // configuration), the lead may not edit it at all: not keep that rule,
    // not remove it, not rename the role (SEMANTICS.md §10.3).
    let escalated = f
        .engine
        .bootstrap()
        .replace_rules(
            readers,
            vec![
                narrower.clone(),
                f.rule("billing", "update", MustMatch::empty(), ""),
            ],
        )
        .unwrap();
    assert_eq!(escalated.gained.len(), 1);
    for rules in [
        vec![
            narrower.clone(),
            f.rule("billing", "update", MustMatch::empty(), ""),
        ],
        vec![narrower.clone()],
    ] {
        f.refused(escalation("billing.update"), |e| {
            e.admin(MANAGER).replace_rules(readers, rules.clone())
        });
    }
    f.refused(escalation("billing.update"), |e| {
        e.admin(MANAGER).rename_role(readers, "Billing Readers")
    });
    // Duplicating a role you could not create is escalation too.
    f.refused(escalation("connectors.create"), |e| {
        e.admin(MANAGER)
            .duplicate_role(ACME, SystemRole::Developer.id(), "Copy")
    });
    // Giving a role means granting all it holds.
    f.refused(escalation("connectors.read"), |e| {
        e.admin(MANAGER)
            .assign_role(TARGET, SystemRole::Viewer.id())
    });
    f.refused(escalation("billing.update"), |e| {
        e.admin(MANAGER).assign_role(TARGET, readers)
    });
    f.refused(escalation("connectors.read"), |e| {
        e.admin(MANAGER)
            .add_user(User::new(UserId::new(9), ACME, SystemRole::Viewer.id()))
    });
    let team = f.engine.bootstrap().create_team(ACME, "Red").unwrap();
    f.refused(escalation("connectors.read"), |e| {
        e.admin(MANAGER)
            .assign_team_role(team, SystemRole::Viewer.id())
    });
    // A lead can give their own role, which they hold entirely.
    lead.assign_role(TARGET, f.lead).unwrap();
    // Moving holders on delete gives the target role to them.
    let temp = f
        .engine
        .bootstrap()
        .create_role(ACME, "Temp", vec![])
        .unwrap();
    f.engine.bootstrap().assign_role(TARGET, temp).unwrap();
    f.refused(escalation("connectors.read"), |e| {
        e.admin(MANAGER)
            .delete_role(temp, Some(SystemRole::Viewer.id()))
    });
    lead.delete_role(temp, Some(f.lead)).unwrap();
}

#[test]
fn only_an_owner_gives_or_takes_the_owner_role() {
    let f = fixture();
    let owner = SystemRole::Owner.id();
    f.refused(GuardError::OwnerOnly, |e| {
        e.admin(ADMIN).assign_role(TARGET, owner)
    });
    f.refused(GuardError::OwnerOnly, |e| {
        e.admin(ADMIN)
            .add_user(User::new(UserId::new(9), ACME, owner))
    });
    f.engine.admin(OWNER).assign_role(TARGET, owner).unwrap();
    let admin_role = SystemRole::Admin.id();
    f.refused(GuardError::OwnerOnly, |e| {
        e.admin(ADMIN).assign_role(TARGET, admin_role)
    });
    f.refused(GuardError::OwnerOnly, |e| {
        e.admin(ADMIN).set_status(TARGET, UserStatus::Suspended)
    });
    f.refused(GuardError::OwnerOnly, |e| {
        e.admin(ADMIN).remove_user(TARGET)
    });
    let team = f.engine.bootstrap().create_team(ACME, "Owners").unwrap();
    f.engine.bootstrap().add_to_team(team, TARGET).unwrap();
    f.refused(GuardError::OwnerOnly, |e| {
        e.admin(ADMIN).assign_team_role(team, admin_role)
    });
    // Owner and Admin differ in this only: an Admin manages everyone else.
    f.engine
        .admin(ADMIN)
        .assign_role(DEV, SystemRole::Operator.id())
        .unwrap();
    f.engine
        .admin(OWNER)
        .assign_role(TARGET, admin_role)
        .unwrap();
}

#[test]
fn the_last_active_owner_stays() {
    let f = fixture();
    let last = || GuardError::LastOwner { organization: ACME };
    f.refused(last(), |e| {
        e.admin(OWNER).assign_role(OWNER, SystemRole::Admin.id())
    });
    f.refused(last(), |e| {
        e.admin(OWNER).set_status(OWNER, UserStatus::Suspended)
    });
    f.refused(last(), |e| e.admin(OWNER).remove_user(OWNER));
    // Trusted configuration keeps the rule too.
    f.refused(last(), |e| e.bootstrap().remove_user(OWNER));
    let team = f.engine.bootstrap().create_team(ACME, "Top").unwrap();
    f.engine.bootstrap().add_to_team(team, OWNER).unwrap();
    f.refused(last(), |e| {
        e.admin(OWNER)
            .assign_team_role(team, SystemRole::Viewer.id())
    });

    // An invited Owner does not count as active.
    f.engine
        .bootstrap()
        .add_user(
            User::new(UserId::new(9), ACME, SystemRole::Owner.id())
                .with_status(UserStatus::Invited),
        )
        .unwrap();
    f.refused(last(), |e| {
        e.admin(OWNER).set_status(OWNER, UserStatus::Suspended)
    });
    // With a second active Owner, the first may step down.
    f.engine
        .admin(OWNER)
        .set_status(UserId::new(9), UserStatus::Active)
        .unwrap();
    f.engine
        .admin(OWNER)
        .assign_role(OWNER, SystemRole::Admin.id())
        .unwrap();
    let owners = f
        .engine
        .snapshot()
        .people(ACME, &PeopleFilter::new().role(SystemRole::Owner.id()));
    assert_eq!(owners.len(), 1);
}

#[test]
fn actors_must_be_known_active_members_of_the_organization() {
    let f = fixture();
    f.engine
        .bootstrap()
        .add_user(User::new(UserId::new(50), GLOBEX, SystemRole::Owner.id()))
        .unwrap();
    f.refused(
        GuardError::OtherOrganization {
            actor: GLOBEX,
            target: ACME,
        },
        |e| e.admin(UserId::new(50)).create_role(ACME, "Spy", vec![]),
    );
    f.refused(
        GuardError::OtherOrganization {
            actor: GLOBEX,
            target: ACME,
        },
        |e| {
            e.admin(UserId::new(50))
                .set_status(TARGET, UserStatus::Suspended)
        },
    );
    f.refused(
        GuardError::UnknownActor {
            user: UserId::new(77),
        },
        |e| e.admin(UserId::new(77)).create_team(ACME, "Ghosts"),
    );
    f.engine
        .admin(OWNER)
        .set_status(ADMIN, UserStatus::Suspended)
        .unwrap();
    f.refused(
        GuardError::InactiveActor {
            user: ADMIN,
            status: UserStatus::Suspended,
        },
        |e| e.admin(ADMIN).create_team(ACME, "Late"),
    );
}

#[test]
fn bootstrap_is_not_guarded() {
    let f = fixture();
    let boot = f.engine.bootstrap();
    assert_eq!(boot.actor(), Actor::System);
    boot.create_role(
        GLOBEX,
        "Everything",
        vec![f.rule("billing", "update", MustMatch::empty(), "")],
    )
    .unwrap();
    boot.add_user(User::new(UserId::new(60), GLOBEX, SystemRole::Owner.id()))
        .unwrap();
    boot.assign_role(TARGET, SystemRole::Owner.id()).unwrap();
    boot.set_status(TARGET, UserStatus::Suspended).unwrap();
}

#[test]
fn a_custom_role_can_hold_the_administrative_permissions() {
    let f = fixture();
    // The lead manages members with a role they hold entirely, and cannot
    // act on the Owner.
    f.engine.admin(MANAGER).assign_role(TARGET, f.lead).unwrap();
    f.refused(GuardError::OwnerOnly, |e| {
        e.admin(MANAGER).set_status(OWNER, UserStatus::Suspended)
    });
    // Narrowed administrative grants do not count: the guard asks about the
    // organization as a whole.
    let scoped = f
        .engine
        .bootstrap()
        .create_role(
            ACME,
            "Scoped Admin",
            vec![f.rule("members", "manage", MustMatch::TEAM, "")],
        )
        .unwrap();
    f.engine.bootstrap().assign_role(DEV, scoped).unwrap();
    f.refused(
        GuardError::MissingPermission {
            permission: "members.manage".into(),
        },
        |e| e.admin(DEV).create_team(ACME, "Mine"),
    );
}

#[test]
fn without_the_permission_in_the_catalog_only_the_system_administers() {
    let engine = Engine::new(Catalog::content_platform());
    let org = OrgId::new(1);
    engine
        .bootstrap()
        .add_user(User::new(UserId::new(1), org, SystemRole::Owner.id()))
        .unwrap();
    assert_eq!(
        engine
            .admin(UserId::new(1))
            .create_team(org, "Editors")
            .unwrap_err(),
        AdminError::Denied(GuardError::MissingPermission {
            permission: "members.manage".into()
        })
    );
    engine.bootstrap().create_team(org, "Editors").unwrap();
}
