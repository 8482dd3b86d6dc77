//! Fixed scenarios on Owners: the last active Owner, and who may give or take Owner.

use rolegate::*;

use crate::ops::{Kind, Op, by, sys};
use crate::runner::scenario;

#[test]
fn last_active_owner_is_kept() {
    scenario(&[
        (
            by(1, Op::AssignRole { user: 1, role: 1 }),
            Err(Kind::LastOwner),
        ),
        (
            by(
                1,
                Op::SetStatus {
                    user: 1,
                    status: UserStatus::Suspended,
                },
            ),
            Err(Kind::LastOwner),
        ),
        (by(1, Op::RemoveUser { user: 1 }), Err(Kind::LastOwner)),
        // The system is bound too.
        (
            sys(Op::SetStatus {
                user: 1,
                status: UserStatus::Invited,
            }),
            Err(Kind::LastOwner),
        ),
        (sys(Op::RemoveUser { user: 1 }), Err(Kind::LastOwner)),
        (
            sys(Op::AssignRole { user: 1, role: 2 }),
            Err(Kind::LastOwner),
        ),
        // Through a team: user 1 joins team 1, which is then given Viewer.
        (sys(Op::AddToTeam { team: 1, user: 1 }), Ok(())),
        (
            by(1, Op::AssignTeamRole { team: 1, role: 4 }),
            Err(Kind::LastOwner),
        ),
        // An invited second Owner does not count; an active one does.
        (
            by(
                1,
                Op::AddUser {
                    user: 9,
                    org: 1,
                    role: 0,
                    status: UserStatus::Invited,
                    customer: None,
                    teams: vec![],
                },
            ),
            Ok(()),
        ),
        (by(1, Op::RemoveUser { user: 1 }), Err(Kind::LastOwner)),
        (
            by(
                1,
                Op::SetStatus {
                    user: 9,
                    status: UserStatus::Active,
                },
            ),
            Ok(()),
        ),
        (by(1, Op::AssignRole { user: 1, role: 1 }), Ok(())),
        (by(9, Op::RemoveUser { user: 9 }), Err(Kind::LastOwner)),
        // Org 2's Owner is unaffected by org 1.
        (
            by(
                5,
                Op::SetStatus {
                    user: 5,
                    status: UserStatus::Suspended,
                },
            ),
            Err(Kind::LastOwner),
        ),
    ]);
}

#[test]
fn only_an_owner_gives_or_takes_owner() {
    scenario(&[
        (
            by(2, Op::AssignRole { user: 3, role: 0 }),
            Err(Kind::OwnerOnly),
        ),
        (
            by(2, Op::AssignRole { user: 1, role: 1 }),
            Err(Kind::OwnerOnly),
        ),
        (
            by(
                2,
                Op::SetStatus {
                    user: 1,
                    status: UserStatus::Suspended,
                },
            ),
            Err(Kind::OwnerOnly),
        ),
        (
            by(
                2,
                Op::SetStatus {
                    user: 1,
                    status: UserStatus::Active,
                },
            ),
            Err(Kind::OwnerOnly),
        ),
        (by(2, Op::RemoveUser { user: 1 }), Err(Kind::OwnerOnly)),
        (
            by(
                2,
                Op::AddUser {
                    user: 9,
                    org: 1,
                    role: 0,
                    status: UserStatus::Active,
                    customer: None,
                    teams: vec![],
                },
            ),
            Err(Kind::OwnerOnly),
        ),
        (by(1, Op::AddToTeam { team: 1, user: 1 }), Ok(())),
        (
            by(2, Op::AssignTeamRole { team: 1, role: 2 }),
            Err(Kind::OwnerOnly),
        ),
        // An Owner may.
        (by(1, Op::AssignRole { user: 3, role: 0 }), Ok(())),
        (by(3, Op::AssignRole { user: 1, role: 1 }), Ok(())),
        (
            by(1, Op::AssignRole { user: 2, role: 0 }),
            Err(Kind::OwnerOnly),
        ),
        (by(3, Op::RemoveUser { user: 1 }), Ok(())),
    ]);
}
