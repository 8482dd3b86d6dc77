//! Generators of random steps: actors, roles, users, teams, names and calls.

use proptest::prelude::*;
use proptest::strategy::Union;
use rolegate::*;

use crate::ops::{Op, Step};
use crate::spec::POOL;

static ROLE_NAMES: [&str; 11] = [
    "Ops",
    "ops",
    "  Ops ",
    "Auditors",
    "Release Manager",
    "Team Admin",
    "admin",
    "",
    "Team\tLead",
    "a-very-long-role-name-that-goes-on-and-on-well-past-sixty-four-chars",
    "Billing",
];

static TEAM_NAMES: [&str; 9] = [
    "Platform",
    "platform",
    "  Platform ",
    "Support",
    "SUPPORT",
    "Ops",
    "",
    "Data\nScience",
    "Design",
];

fn arb_status() -> impl Strategy<Value = UserStatus> {
    prop_oneof![
        2 => Just(UserStatus::Active),
        1 => Just(UserStatus::Invited),
        1 => Just(UserStatus::Suspended),
    ]
}

fn arb_org() -> impl Strategy<Value = u64> {
    prop_oneof![5 => 1u64..=2, 1 => Just(3u64)]
}

/// System roles, the setup's custom roles 6 and 7 and the next few created
/// ones, and ids that never live.
fn arb_role() -> impl Strategy<Value = usize> {
    prop_oneof![2 => 0usize..6, 6 => 6usize..10, 1 => 10usize..13]
}

fn arb_user() -> impl Strategy<Value = u64> {
    1u64..=9
}

fn arb_team() -> impl Strategy<Value = u64> {
    prop_oneof![4 => 1u64..=3, 1 => 4u64..=6]
}

fn arb_rules() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..POOL.len(), 0..4)
}

fn arb_op() -> impl Strategy<Value = Op> {
    let role_name = || prop::sample::select(&ROLE_NAMES[..]);
    let team_name = || prop::sample::select(&TEAM_NAMES[..]);
    Union::new_weighted(vec![
        (
            4,
            (arb_org(), role_name(), arb_rules())
                .prop_map(|(org, name, rules)| Op::CreateRole { org, name, rules })
                .boxed(),
        ),
        (
            2,
            (arb_org(), arb_role(), role_name())
                .prop_map(|(org, source, name)| Op::DuplicateRole { org, source, name })
                .boxed(),
        ),
        (
            1,
            (arb_role(), role_name())
                .prop_map(|(role, name)| Op::RenameRole { role, name })
                .boxed(),
        ),
        (
            4,
            (arb_role(), arb_rules())
                .prop_map(|(role, rules)| Op::ReplaceRules { role, rules })
                .boxed(),
        ),
        (
            3,
            (arb_role(), prop::option::of(arb_role()))
                .prop_map(|(role, move_to)| Op::DeleteRole { role, move_to })
                .boxed(),
        ),
        (
            3,
            (
                arb_user(),
                arb_org(),
                arb_role(),
                arb_status(),
                prop::option::of(30u64..=31),
                prop::collection::vec(arb_team(), 0..3),
            )
                .prop_map(|(user, org, role, status, customer, teams)| Op::AddUser {
                    user,
                    org,
                    role,
                    status,
                    customer,
                    teams,
                })
                .boxed(),
        ),
        (
            2,
            arb_user().prop_map(|user| Op::RemoveUser { user }).boxed(),
        ),
        (
            4,
            (arb_user(), arb_role())
                .prop_map(|(user, role)| Op::AssignRole { user, role })
                .boxed(),
        ),
        (
            3,
            (arb_user(), arb_status())
                .prop_map(|(user, status)| Op::SetStatus { user, status })
                .boxed(),
        ),
        (
            2,
            (arb_org(), team_name())
                .prop_map(|(org, name)| Op::CreateTeam { org, name })
                .boxed(),
        ),
        (
            1,
            (arb_team(), team_name())
                .prop_map(|(team, name)| Op::RenameTeam { team, name })
                .boxed(),
        ),
        (
            1,
            arb_team().prop_map(|team| Op::DeleteTeam { team }).boxed(),
        ),
        (
            2,
            (arb_team(), arb_user())
                .prop_map(|(team, user)| Op::AddToTeam { team, user })
                .boxed(),
        ),
        (
            1,
            (arb_team(), arb_user())
                .prop_map(|(team, user)| Op::RemoveFromTeam { team, user })
                .boxed(),
        ),
        (
            2,
            (arb_team(), arb_role())
                .prop_map(|(team, role)| Op::AssignTeamRole { team, role })
                .boxed(),
        ),
    ])
}

pub(crate) fn arb_step() -> impl Strategy<Value = Step> {
    // The system; user 4, an administrator with a narrow role (where the
    // guard's escalation rules bite); the Owners and the Admin; anyone.
    let actor = prop_oneof![
        1 => Just(None),
        2 => Just(Some(4)),
        2 => prop::sample::select(&[1u64, 2, 5][..]).prop_map(Some),
        3 => (1u64..=10).prop_map(Some),
    ];
    (actor, arb_op()).prop_map(|(actor, op)| Step { actor, op })
}
