//! Fixed scenarios on the delegation guard's escalation rules.

use rolegate::*;

use crate::ops::{Kind, Op, by, sys};
use crate::runner::{esc, scenario};

#[test]
fn escalation_is_refused() {
    // User 4 holds Team Admin: members.manage, roles.manage, workflows.read
    // [team], workflows.update [owner], connections.read [customer;owner],
    // audit_log.read.
    scenario(&[
        // A permission the actor lacks.
        (
            by(
                4,
                Op::CreateRole {
                    org: 1,
                    name: "Billing",
                    rules: vec![16],
                },
            ),
            esc("billing.update"),
        ),
        // A broader form of one it holds.
        (
            by(
                4,
                Op::CreateRole {
                    org: 1,
                    name: "Readers",
                    rules: vec![0],
                },
            ),
            esc("workflows.read"),
        ),
        // As broad or narrower: allowed (role 8).
        (
            by(
                4,
                Op::CreateRole {
                    org: 1,
                    name: "Readers",
                    rules: vec![1, 3, 17],
                },
            ),
            Ok(()),
        ),
        // Editing: a new broader rule is refused, kept rules are fine.
        (
            by(
                4,
                Op::ReplaceRules {
                    role: 8,
                    rules: vec![1, 2],
                },
            ),
            esc("workflows.read"),
        ),
        (
            by(
                4,
                Op::ReplaceRules {
                    role: 8,
                    rules: vec![3],
                },
            ),
            Ok(()),
        ),
        // Once the role grants what the actor lacks, they cannot edit it
        // at all, not even to keep or remove that rule, nor rename it.
        (
            sys(Op::ReplaceRules {
                role: 8,
                rules: vec![3, 16],
            }),
            Ok(()),
        ),
        (
            by(
                4,
                Op::ReplaceRules {
                    role: 8,
                    rules: vec![16, 3, 1],
                },
            ),
            esc("billing.update"),
        ),
        (
            by(
                4,
                Op::ReplaceRules {
                    role: 8,
                    rules: vec![3],
                },
            ),
            esc("billing.update"),
        ),
        (
            by(
                4,
                Op::ReplaceRules {
                    role: 8,
                    rules: vec![16, 0],
                },
            ),
            esc("billing.update"),
        ),
        (
            by(
                4,
                Op::RenameRole {
                    role: 8,
                    name: "Narrow Readers",
                },
            ),
            esc("billing.update"),
        ),
        // Duplicating a broader role is creating it.
        (
            by(
                4,
                Op::DuplicateRole {
                    org: 1,
                    source: 4,
                    name: "Copy",
                },
            ),
            esc("connectors.read"),
        ),
        // Giving a role: assign, add, team, delete-with-move.
        (
            by(4, Op::AssignRole { user: 3, role: 1 }),
            esc("connectors.create"),
        ),
        (
            by(4, Op::AssignRole { user: 3, role: 8 }),
            esc("billing.update"),
        ),
        (
            by(
                4,
                Op::AddUser {
                    user: 9,
                    org: 1,
                    role: 4,
                    status: UserStatus::Invited,
                    customer: None,
                    teams: vec![],
                },
            ),
            esc("connectors.read"),
        ),
        (
            by(4, Op::AssignTeamRole { team: 1, role: 3 }),
            esc("connectors.read"),
        ),
        (
            sys(Op::CreateRole {
                org: 1,
                name: "Temp",
                rules: vec![],
            }),
            Ok(()),
        ),
        (by(4, Op::AssignRole { user: 3, role: 9 }), Ok(())),
        (
            by(
                4,
                Op::DeleteRole {
                    role: 9,
                    move_to: Some(2),
                },
            ),
            esc("connectors.create"),
        ),
        (
            by(
                4,
                Op::DeleteRole {
                    role: 9,
                    move_to: Some(6),
                },
            ),
            Ok(()),
        ),
        // A Viewer lacks roles.manage and members.manage.
        (
            by(
                6,
                Op::CreateRole {
                    org: 2,
                    name: "Nope",
                    rules: vec![],
                },
            ),
            Err(Kind::MissingPermission("roles.manage".into())),
        ),
        (
            by(
                6,
                Op::CreateTeam {
                    org: 2,
                    name: "Nope",
                },
            ),
            Err(Kind::MissingPermission("members.manage".into())),
        ),
    ]);
}

#[test]
fn narrowed_management_rule_does_not_authorize() {
    // members.manage [team] is not members.manage on the organization.
    scenario(&[
        (
            sys(Op::CreateRole {
                org: 1,
                name: "Team Lead",
                rules: vec![13, 14],
            }),
            Ok(()),
        ),
        (sys(Op::AssignRole { user: 3, role: 8 }), Ok(())),
        (
            by(
                3,
                Op::CreateTeam {
                    org: 1,
                    name: "Support",
                },
            ),
            Err(Kind::MissingPermission("members.manage".into())),
        ),
        (
            by(
                3,
                Op::CreateRole {
                    org: 1,
                    name: "Empty",
                    rules: vec![],
                },
            ),
            Ok(()),
        ),
        // It covers itself, and narrower forms of itself only.
        (
            by(
                3,
                Op::ReplaceRules {
                    role: 9,
                    rules: vec![13],
                },
            ),
            Ok(()),
        ),
        (
            by(
                3,
                Op::ReplaceRules {
                    role: 9,
                    rules: vec![13, 12],
                },
            ),
            esc("members.manage"),
        ),
    ]);
}
