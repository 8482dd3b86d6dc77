//! Fixed scenarios on acting users: other organizations, inactive actors and reactivation.

use rolegate::*;

use crate::ops::{Kind, Op, by, sys};
use crate::runner::{esc, scenario};

#[test]
fn cross_organization_and_inactive_actors_are_refused() {
    scenario(&[
        (
            by(
                5,
                Op::CreateTeam {
                    org: 1,
                    name: "Support",
                },
            ),
            Err(Kind::OtherOrganization),
        ),
        (
            by(5, Op::AssignRole { user: 3, role: 4 }),
            Err(Kind::OtherOrganization),
        ),
        (
            by(5, Op::AddToTeam { team: 1, user: 3 }),
            Err(Kind::OtherOrganization),
        ),
        (
            by(5, Op::AddToTeam { team: 2, user: 3 }),
            Err(Kind::CrossOrganization),
        ),
        (
            by(5, Op::AssignRole { user: 6, role: 6 }),
            Err(Kind::UnknownRole(6)),
        ),
        (
            by(
                7,
                Op::CreateTeam {
                    org: 2,
                    name: "Support",
                },
            ),
            Err(Kind::InactiveActor),
        ),
        (
            by(
                9,
                Op::CreateTeam {
                    org: 2,
                    name: "Support",
                },
            ),
            Err(Kind::UnknownActor),
        ),
        (
            by(
                5,
                Op::CreateTeam {
                    org: 2,
                    name: " ops ",
                },
            ),
            Err(Kind::DuplicateTeamName),
        ),
        (
            by(
                5,
                Op::CreateTeam {
                    org: 2,
                    name: "Platform",
                },
            ),
            Ok(()),
        ),
        (
            by(
                5,
                Op::RenameTeam {
                    team: 3,
                    name: "PLATFORM",
                },
            ),
            Ok(()),
        ),
        (
            by(
                5,
                Op::RenameTeam {
                    team: 3,
                    name: "OPS",
                },
            ),
            Err(Kind::DuplicateTeamName),
        ),
        (
            by(
                5,
                Op::CreateRole {
                    org: 2,
                    name: " auditors",
                    rules: vec![],
                },
            ),
            Err(Kind::DuplicateRoleName),
        ),
        (
            by(
                5,
                Op::CreateRole {
                    org: 2,
                    name: "Team Admin",
                    rules: vec![],
                },
            ),
            Ok(()),
        ),
        (
            by(
                5,
                Op::CreateRole {
                    org: 2,
                    name: "viewer",
                    rules: vec![],
                },
            ),
            Err(Kind::ReservedName),
        ),
    ]);
}

#[test]
fn reactivating_a_user_is_giving_them_their_role() {
    // User 4 (members.manage, but not what Admin grants) suspends nobody
    // above them; the system suspends the Admin, user 4 must not revive it.
    scenario(&[
        (
            sys(Op::SetStatus {
                user: 2,
                status: UserStatus::Suspended,
            }),
            Ok(()),
        ),
        (
            by(
                4,
                Op::SetStatus {
                    user: 2,
                    status: UserStatus::Active,
                },
            ),
            esc("connectors.create"),
        ),
        (
            by(
                1,
                Op::SetStatus {
                    user: 2,
                    status: UserStatus::Active,
                },
            ),
            Ok(()),
        ),
        // Deactivating takes nothing the actor lacks: allowed.
        (
            by(
                4,
                Op::SetStatus {
                    user: 3,
                    status: UserStatus::Suspended,
                },
            ),
            Ok(()),
        ),
    ]);
}
