//! Fixed scenarios on roles: the system roles of SEMANTICS.md §7.1 and deleting a role with a move.

use crate::ops::{Kind, Op, by, sys};
use crate::runner::{run, scenario};
use crate::spec::{SYSTEM, system_rules};

#[test]
fn model_system_roles_follow_spec_4() {
    let counts: Vec<usize> = SYSTEM.iter().map(|&(r, _)| system_rules(r).len()).collect();
    assert_eq!(counts, [39, 39, 34, 18, 7, 9]);
    run(&[], Some(&[])).unwrap();
}

#[test]
fn delete_with_move() {
    scenario(&[
        // Role 6 is held by user 4.
        (
            sys(Op::DeleteRole {
                role: 6,
                move_to: None,
            }),
            Err(Kind::RoleInUse(1)),
        ),
        (
            sys(Op::DeleteRole {
                role: 6,
                move_to: Some(6),
            }),
            Err(Kind::UnknownRole(6)),
        ),
        (
            sys(Op::DeleteRole {
                role: 6,
                move_to: Some(7),
            }),
            Err(Kind::UnknownRole(7)),
        ),
        (
            sys(Op::DeleteRole {
                role: 2,
                move_to: None,
            }),
            Err(Kind::SystemRole),
        ),
        (
            by(
                2,
                Op::DeleteRole {
                    role: 7,
                    move_to: None,
                },
            ),
            Err(Kind::OtherOrganization),
        ),
        (
            by(
                2,
                Op::DeleteRole {
                    role: 6,
                    move_to: Some(0),
                },
            ),
            Err(Kind::OwnerOnly),
        ),
        (
            by(
                2,
                Op::DeleteRole {
                    role: 6,
                    move_to: Some(4),
                },
            ),
            Ok(()),
        ),
        (
            by(
                2,
                Op::DeleteRole {
                    role: 6,
                    move_to: None,
                },
            ),
            Err(Kind::UnknownRole(6)),
        ),
        (
            by(2, Op::AssignRole { user: 4, role: 6 }),
            Err(Kind::UnknownRole(6)),
        ),
        // An unheld role needs no target.
        (
            by(
                2,
                Op::CreateRole {
                    org: 1,
                    name: "Team Admin",
                    rules: vec![],
                },
            ),
            Ok(()),
        ),
        (
            by(
                2,
                Op::DeleteRole {
                    role: 8,
                    move_to: None,
                },
            ),
            Ok(()),
        ),
        (
            by(
                2,
                Op::RenameRole {
                    role: 8,
                    name: "Gone",
                },
            ),
            Err(Kind::UnknownRole(8)),
        ),
    ]);
}
