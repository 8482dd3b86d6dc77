//! The directory through the live engine (SEMANTICS.md §9): users with one role,
//! teams and memberships, team role assignment, the people listing with its
//! filters combined, last-active times, and every refusal.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rolegate::directory::{PeopleFilter, Timestamp};
use rolegate::engine::Person;
use rolegate::*;

const ACME: OrgId = OrgId::new(1);
const GLOBEX: OrgId = OrgId::new(2);
const OWNER: UserId = UserId::new(1);

fn engine() -> Engine {
    let engine = Engine::new(Catalog::standard());
    engine
        .bootstrap()
        .add_user(User::new(OWNER, ACME, SystemRole::Owner.id()))
        .unwrap();
    engine
}

fn ids(people: &[Person]) -> Vec<u64> {
    people.iter().map(|p| p.user.id().get()).collect()
}

#[test]
fn users_are_added_once_with_a_role_of_their_organization() {
    let engine = engine();
    let admin = engine.admin(OWNER);
    let user = User::new(UserId::new(2), ACME, SystemRole::Developer.id())
        .with_customer(CustomerId::new(30))
        .with_status(UserStatus::Invited);
    admin.add_user(user.clone()).unwrap();
    assert_eq!(engine.snapshot().user(UserId::new(2)), Some(user));
    assert_eq!(
        admin
            .add_user(User::new(UserId::new(2), ACME, SystemRole::Viewer.id()))
            .unwrap_err(),
        AdminError::DuplicateUser {
            user: UserId::new(2)
        }
    );
    let ghost = RoleId::new(77).unwrap();
    assert_eq!(
        admin
            .add_user(User::new(UserId::new(3), ACME, ghost))
            .unwrap_err(),
        AdminError::UnknownRole { role: ghost }
    );
    let theirs = engine
        .bootstrap()
        .create_role(GLOBEX, "Theirs", vec![])
        .unwrap();
    assert_eq!(
        admin
            .add_user(User::new(UserId::new(3), ACME, theirs))
            .unwrap_err(),
        AdminError::UnknownRole { role: theirs }
    );
    let their_team = engine.bootstrap().create_team(GLOBEX, "Ops").unwrap();
    assert_eq!(
        admin
            .add_user(
                User::new(UserId::new(3), ACME, SystemRole::Viewer.id()).with_team(their_team)
            )
            .unwrap_err(),
        AdminError::CrossOrganization {
            user: UserId::new(3),
            organization: ACME,
            team: their_team
        }
    );
    let missing = TeamId::new(999);
    assert_eq!(
        admin
            .add_user(User::new(UserId::new(3), ACME, SystemRole::Viewer.id()).with_team(missing))
            .unwrap_err(),
        AdminError::UnknownTeam { team: missing }
    );
    assert!(engine.snapshot().user(UserId::new(3)).is_none());
}

#[test]
fn a_users_subject_follows_role_status_and_teams() {
    let engine = engine();
    let admin = engine.admin(OWNER);
    let team = admin.create_team(ACME, "Platform").unwrap();
    admin
        .add_user(
            User::new(UserId::new(2), ACME, SystemRole::Viewer.id())
                .with_customer(CustomerId::new(30)),
        )
        .unwrap();
    admin.add_to_team(team, UserId::new(2)).unwrap();
    admin
        .assign_role(UserId::new(2), SystemRole::Developer.id())
        .unwrap();
    admin
        .set_status(UserId::new(2), UserStatus::Suspended)
        .unwrap();
    let subject = engine.snapshot().subject(UserId::new(2)).unwrap();
    assert_eq!(subject.role(), SystemRole::Developer.id());
    assert_eq!(subject.status(), UserStatus::Suspended);
    assert_eq!(subject.teams(), [team]);
    assert_eq!(subject.customer(), Some(CustomerId::new(30)));
    assert!(engine.snapshot().subject(UserId::new(99)).is_none());

    let catalog = engine.catalog();
    let w = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(1),
        ACME,
    );
    let read = catalog.action("read").unwrap();
    assert!(!engine.can(UserId::new(2), read, &w), "suspended");
    admin
        .set_status(UserId::new(2), UserStatus::Active)
        .unwrap();
    assert!(engine.can(UserId::new(2), read, &w));
    assert!(!engine.can(UserId::new(99), read, &w), "unknown user");
}

#[test]
fn teams_are_named_uniquely_per_organization() {
    let engine = engine();
    let admin = engine.admin(OWNER);
    let a = admin.create_team(ACME, " Marketing ").unwrap();
    let b = admin.create_team(ACME, "Sales").unwrap();
    assert_ne!(a, b);
    assert_eq!(
        admin.create_team(ACME, "MARKETING").unwrap_err(),
        AdminError::DuplicateTeamName {
            organization: ACME,
            name: "MARKETING".into()
        }
    );
    for bad in ["", "  ", "tab\there", &"t".repeat(65)] {
        assert!(
            matches!(
                admin.create_team(ACME, bad),
                Err(AdminError::InvalidTeamName { .. })
            ),
            "{bad:?}"
        );
    }
    engine.bootstrap().create_team(GLOBEX, "Marketing").unwrap();
    admin.rename_team(a, "marketing").unwrap();
    assert_eq!(
        admin.rename_team(a, "sales").unwrap_err(),
        AdminError::DuplicateTeamName {
            organization: ACME,
            name: "sales".into()
        }
    );
    admin.rename_team(b, "Field Sales").unwrap();
    let teams: Vec<(String, usize)> = engine
        .snapshot()
        .teams(ACME)
        .into_iter()
        .map(|t| (t.name, t.members))
        .collect();
    assert_eq!(
        teams,
        [("marketing".to_owned(), 0), ("Field Sales".to_owned(), 0)]
    );
    assert_eq!(
        admin.rename_team(TeamId::new(999), "x").unwrap_err(),
        AdminError::UnknownTeam {
            team: TeamId::new(999)
        }
    );
}

#[test]
fn memberships_follow_team_and_user_changes() {
    let engine = engine();
    let admin = engine.admin(OWNER);
    let red = admin.create_team(ACME, "Red").unwrap();
    let blue = admin.create_team(ACME, "Blue").unwrap();
    for id in [2, 3] {
        admin
            .add_user(User::new(UserId::new(id), ACME, SystemRole::Viewer.id()))
            .unwrap();
        admin.add_to_team(red, UserId::new(id)).unwrap();
    }
    admin.add_to_team(blue, UserId::new(2)).unwrap();
    admin.add_to_team(blue, UserId::new(2)).unwrap();
    let snapshot = engine.snapshot();
    assert_eq!(snapshot.team(red).unwrap().members().count(), 2);
    assert_eq!(snapshot.user(UserId::new(2)).unwrap().teams(), [red, blue]);

    admin.remove_from_team(red, UserId::new(3)).unwrap();
    admin.delete_team(blue).unwrap();
    let snapshot = engine.snapshot();
    assert!(snapshot.team(blue).is_none());
    assert_eq!(snapshot.user(UserId::new(2)).unwrap().teams(), [red]);
    assert!(snapshot.user(UserId::new(3)).unwrap().teams().is_empty());

    admin.remove_user(UserId::new(2)).unwrap();
    let snapshot = engine.snapshot();
    assert_eq!(snapshot.team(red).unwrap().member_count(), 0);
    assert!(snapshot.user(UserId::new(2)).is_none());
    assert_eq!(
        admin.remove_user(UserId::new(2)).unwrap_err(),
        AdminError::UnknownUser {
            user: UserId::new(2)
        }
    );
    // A user of another organization cannot join.
    engine
        .bootstrap()
        .add_user(User::new(UserId::new(50), GLOBEX, SystemRole::Viewer.id()))
        .unwrap();
    assert_eq!(
        engine
            .bootstrap()
            .add_to_team(red, UserId::new(50))
            .unwrap_err(),
        AdminError::CrossOrganization {
            user: UserId::new(50),
            organization: GLOBEX,
            team: red
        }
    );
}

#[test]
fn a_team_role_assignment_changes_every_member_at_once() {
    let engine = engine();
    let admin = engine.admin(OWNER);
    let team = admin.create_team(ACME, "Ops").unwrap();
    for id in 2..6 {
        admin
            .add_user(User::new(UserId::new(id), ACME, SystemRole::Viewer.id()).with_team(team))
            .unwrap();
    }
    admin
        .assign_role(UserId::new(5), SystemRole::Operator.id())
        .unwrap();
    let version = engine.snapshot().revision().get();
    let changed = admin
        .assign_team_role(team, SystemRole::Operator.id())
        .unwrap();
    assert_eq!(changed, 3);
    let snapshot = engine.snapshot();
    assert_eq!(snapshot.revision().get(), version + 1);
    assert!(
        (2..6)
            .all(|id| snapshot.user(UserId::new(id)).unwrap().role() == SystemRole::Operator.id())
    );
    assert_eq!(
        admin
            .assign_team_role(TeamId::new(999), SystemRole::Viewer.id())
            .unwrap_err(),
        AdminError::UnknownTeam {
            team: TeamId::new(999)
        }
    );
}

#[test]
fn the_people_listing_combines_its_filters() {
    let engine = engine();
    let admin = engine.admin(OWNER);
    let red = admin.create_team(ACME, "Red").unwrap();
    let blue = admin.create_team(ACME, "Blue").unwrap();
    let add = |id: u64, role: SystemRole, status: UserStatus, teams: &[TeamId]| {
        let mut user = User::new(UserId::new(id), ACME, role.id()).with_status(status);
        for &t in teams {
            user = user.with_team(t);
        }
        admin.add_user(user).unwrap();
    };
    add(2, SystemRole::Developer, UserStatus::Active, &[red]);
    add(3, SystemRole::Developer, UserStatus::Invited, &[red, blue]);
    add(4, SystemRole::Viewer, UserStatus::Active, &[blue]);
    add(5, SystemRole::Viewer, UserStatus::Suspended, &[]);
    engine
        .bootstrap()
        .add_user(User::new(
            UserId::new(60),
            GLOBEX,
            SystemRole::Developer.id(),
        ))
        .unwrap();

    let snapshot = engine.snapshot();
    let list = |f: PeopleFilter| ids(&snapshot.people(ACME, &f));
    let dev = SystemRole::Developer.id();
    assert_eq!(list(PeopleFilter::new()), [1, 2, 3, 4, 5]);
    assert_eq!(list(PeopleFilter::new().role(dev)), [2, 3]);
    assert_eq!(
        list(PeopleFilter::new().status(UserStatus::Active)),
        [1, 2, 4]
    );
    assert_eq!(list(PeopleFilter::new().team(red)), [2, 3]);
    assert_eq!(list(PeopleFilter::new().role(dev).team(blue)), [3]);
    assert_eq!(
        list(
            PeopleFilter::new()
                .role(dev)
                .status(UserStatus::Active)
                .team(red)
        ),
        [2]
    );
    assert_eq!(
        list(PeopleFilter::new().team(blue).status(UserStatus::Suspended)),
        Vec::<u64>::new()
    );
    assert_eq!(
        list(PeopleFilter::new().team(TeamId::new(999))),
        Vec::<u64>::new()
    );

    // Who can do a permission: active users whose role grants it.
    let catalog = engine.catalog();
    let deploy = catalog.permission_named("workflows.deploy_prod").unwrap();
    let read = catalog.permission_named("workflows.read").unwrap();
    let billing = catalog.permission_named("billing.update").unwrap();
    assert_eq!(list(PeopleFilter::new().can(deploy)), [1, 2]);
    assert_eq!(list(PeopleFilter::new().can(read)), [1, 2, 4]);
    assert_eq!(list(PeopleFilter::new().can(billing)), [1]);
    assert_eq!(list(PeopleFilter::new().can(read).team(blue)), [4]);

    let people = snapshot.people(ACME, &PeopleFilter::new().team(blue));
    assert_eq!(people[0].role, "Developer");
    assert_eq!(people[0].teams, ["Red", "Blue"]);
    assert_eq!(people[1].role, "Viewer");
    assert_eq!(people[1].user.status(), UserStatus::Active);
    assert_eq!(ids(&snapshot.people(GLOBEX, &PeopleFilter::new())), [60]);
}

#[test]
fn who_can_counts_narrowed_grants_too() {
    let engine = engine();
    let catalog = engine.catalog();
    let own = Rule::builder(catalog, "connections", "delete")
        .must_match(MustMatch::OWNER)
        .build()
        .unwrap();
    let role = engine
        .bootstrap()
        .create_role(ACME, "Self Service", vec![own])
        .unwrap();
    engine
        .bootstrap()
        .add_user(User::new(UserId::new(2), ACME, role))
        .unwrap();
    let delete = catalog.permission_named("connections.delete").unwrap();
    let found = ids(&engine
        .snapshot()
        .people(ACME, &PeopleFilter::new().can(delete)));
    assert_eq!(found, [1, 2]);
}

#[test]
fn last_active_times_are_recorded_without_a_new_state() {
    let engine = engine();
    engine
        .bootstrap()
        .add_user(User::new(UserId::new(2), ACME, SystemRole::Viewer.id()))
        .unwrap();
    let version = engine.snapshot().revision().get();
    assert_eq!(
        engine
            .snapshot()
            .user(UserId::new(2))
            .unwrap()
            .last_active(),
        None
    );
    let later = Timestamp::from_unix_millis(2_000);
    assert!(engine.record_activity(UserId::new(2), later));
    assert!(engine.record_activity(UserId::new(2), Timestamp::from_unix_millis(1_000)));
    assert!(!engine.record_activity(UserId::new(99), later));
    let snapshot = engine.snapshot();
    assert_eq!(snapshot.revision().get(), version);
    assert_eq!(
        snapshot.user(UserId::new(2)).unwrap().last_active(),
        Some(later)
    );
    // It survives a change to the user.
    engine
        .bootstrap()
        .assign_role(UserId::new(2), SystemRole::Operator.id())
        .unwrap();
    let people = engine
        .snapshot()
        .people(ACME, &PeopleFilter::new().role(SystemRole::Operator.id()));
    assert_eq!(people[0].user.last_active(), Some(later));
}

#[test]
fn an_engine_loads_in_bulk() {
    let mut builder = Engine::builder(Catalog::standard());
    let role = builder.create_role(ACME, "Auditors", []).unwrap();
    let team = builder.create_team(ACME, "Audit").unwrap();
    for id in 1..=100 {
        builder
            .add_user(User::new(UserId::new(id), ACME, role).with_team(team))
            .unwrap();
    }
    assert_eq!(
        builder
            .add_user(User::new(UserId::new(5), ACME, role))
            .unwrap_err(),
        AdminError::DuplicateUser {
            user: UserId::new(5)
        }
    );
    assert_eq!(
        builder.create_role(ACME, "AUDITORS", []).unwrap_err(),
        AdminError::Role(RoleError::DuplicateName {
            organization: ACME,
            name: "AUDITORS".into()
        })
    );
    let engine = builder.build();
    let snapshot = engine.snapshot();
    assert_eq!(snapshot.team(team).unwrap().member_count(), 100);
    assert_eq!(
        snapshot.people(ACME, &PeopleFilter::new().role(role)).len(),
        100
    );
}
