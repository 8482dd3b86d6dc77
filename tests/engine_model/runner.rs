//! Running sequences on both sides: the starting state, the failure report, scenario helpers.

use std::fmt::Write as _;

use rolegate::*;

use crate::checks::{ROLES, USERS, check_matrix, check_state, check_step};
use crate::model::Model;
use crate::ops::{Kind, Op, Step, sys};

/// The starting state, made by the system: teams 1 (org 1) and 2 (org 2);
/// custom roles 6 "Team Admin" (org 1, members.manage and roles.manage plus
/// narrowed rules) and 7 "Auditors" (org 2); users 1 Owner, 2 Admin,
/// 3 Developer (customer 30, team 1), 4 Team Admin (team 1), 8 Operator
/// (invited, customer 31) in org 1;
/// 5 Owner, 6 Viewer (team 2), 7 Auditors (invited) in org 2.
fn setup() -> Vec<Step> {
    let user =
        |user: u64, org: u64, role: usize, customer: Option<u64>, teams: Vec<u64>| Op::AddUser {
            user,
            org,
            role,
            status: UserStatus::Active,
            customer,
            teams,
        };
    vec![
        sys(Op::CreateTeam {
            org: 1,
            name: "Platform",
        }),
        sys(Op::CreateTeam {
            org: 2,
            name: "Ops",
        }),
        sys(Op::CreateRole {
            org: 1,
            name: "Team Admin",
            rules: vec![12, 14, 1, 4, 9, 17],
        }),
        sys(Op::CreateRole {
            org: 2,
            name: "Auditors",
            rules: vec![17, 2],
        }),
        sys(user(1, 1, 0, None, vec![])),
        sys(user(2, 1, 1, None, vec![])),
        sys(user(3, 1, 2, Some(30), vec![1])),
        sys(user(4, 1, 6, None, vec![1])),
        sys(user(5, 2, 0, None, vec![])),
        sys(user(6, 2, 4, None, vec![2])),
        sys(Op::AddUser {
            user: 7,
            org: 2,
            role: 7,
            status: UserStatus::Invited,
            customer: Some(31),
            teams: vec![],
        }),
        sys(Op::AddUser {
            user: 8,
            org: 1,
            role: 3,
            status: UserStatus::Invited,
            customer: Some(31),
            teams: vec![],
        }),
    ]
}

fn report(steps: &[Step], at: usize, model: &Model, engine: &Engine, why: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "divergence at step {at}: {:?}\n{why}\n\nsteps:",
        steps[at]
    );
    for (i, s) in steps.iter().enumerate() {
        let _ = writeln!(out, "  {i:>3}{} {s:?}", if i == at { " >>" } else { "   " });
    }
    let _ = writeln!(out, "\nafter the step:");
    for (id, u) in &model.users {
        let _ = writeln!(out, "model user {id}: {u:?}");
    }
    let _ = writeln!(out, "model teams: {:?}", model.teams);
    for (id, r) in model.roles.iter().enumerate().skip(6) {
        let _ = writeln!(out, "model role {id}: {r:?}");
    }
    let s = engine.snapshot();
    for u in USERS {
        if let Some(user) = s.user(UserId::new(u)) {
            let _ = writeln!(out, "engine user {u}: {user:?}");
        }
    }
    out
}

/// Runs the setup, then `steps`, checking after every one. `expect` pins the
/// model's own outcome of each of `steps` (for the fixed scenarios).
pub(crate) fn run(steps: &[Step], expect: Option<&[Result<(), Kind>]>) -> Result<(), String> {
    let engine = Engine::new(Catalog::standard());
    let mut model = Model::new();
    let all: Vec<Step> = setup().into_iter().chain(steps.iter().cloned()).collect();
    let setup_len = all.len() - steps.len();
    check_state(&engine.snapshot(), &model)
        .and_then(|()| check_matrix(&engine.snapshot(), &model, ROLES))
        .map_err(|why| format!("initial state: {why}"))?;
    for (i, step) in all.iter().enumerate() {
        let result = check_step(&engine, &mut model, step)
            .map_err(|why| report(&all, i, &model, &engine, &why))?;
        let wanted = if i < setup_len {
            Some(Ok(()))
        } else {
            expect.map(|e| e[i - setup_len].clone())
        };
        if let Some(wanted) = wanted {
            let got = result.map(|_| ());
            if got != wanted {
                return Err(report(
                    &all,
                    i,
                    &model,
                    &engine,
                    &format!("the model itself: expected {wanted:?}, got {got:?}"),
                ));
            }
        }
    }
    Ok(())
}

pub(crate) fn scenario(steps: &[(Step, Result<(), Kind>)]) {
    let (steps, expect): (Vec<Step>, Vec<Result<(), Kind>>) = steps.iter().cloned().unzip();
    if let Err(why) = run(&steps, Some(&expect)) {
        panic!("{why}");
    }
}

pub(crate) fn esc(p: &str) -> Result<(), Kind> {
    Err(Kind::Escalation(p.to_owned()))
}
