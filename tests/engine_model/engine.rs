//! Running a step on the real engine.

use std::collections::BTreeSet;

use rolegate::catalog::PermissionSet;
use rolegate::engine::RoleEdit;
use rolegate::*;

use crate::ops::{Kind, Op, Out, Step, kind_of};
use crate::spec::POOL;

pub(crate) fn rid(i: usize) -> RoleId {
    RoleId::new(i).unwrap()
}

fn names(catalog: &Catalog, set: &PermissionSet) -> BTreeSet<String> {
    set.iter()
        .map(|p| catalog.permission_name(p).unwrap().to_owned())
        .collect()
}

pub(crate) fn run_engine(engine: &Engine, catalog: &Catalog, step: &Step) -> Result<Out, Kind> {
    let admin = match step.actor {
        None => engine.bootstrap(),
        Some(u) => engine.admin(UserId::new(u)),
    };
    let rules =
        |ix: &[usize]| -> Vec<Rule> { ix.iter().map(|&i| POOL[i].to_rule(catalog)).collect() };
    let edit = |e: RoleEdit| Out::Edit {
        id: e.id.index(),
        gained: names(catalog, &e.gained),
        lost: names(catalog, &e.lost),
        holders: e.holders,
    };
    let unit = |()| Out::Unit;
    let created = |id: RoleId| Out::Created(id.index());
    let result = match &step.op {
        Op::CreateRole {
            org,
            name,
            rules: ix,
        } => admin
            .create_role(OrgId::new(*org), name, rules(ix))
            .map(created),
        Op::DuplicateRole { org, source, name } => admin
            .duplicate_role(OrgId::new(*org), rid(*source), name)
            .map(created),
        Op::RenameRole { role, name } => admin.rename_role(rid(*role), name).map(edit),
        Op::ReplaceRules { role, rules: ix } => {
            admin.replace_rules(rid(*role), rules(ix)).map(edit)
        }
        Op::DeleteRole { role, move_to } => admin
            .delete_role(rid(*role), move_to.map(rid))
            .map(|d| Out::Count(d.moved)),
        Op::AddUser {
            user,
            org,
            role,
            status,
            customer,
            teams,
        } => {
            let mut u =
                User::new(UserId::new(*user), OrgId::new(*org), rid(*role)).with_status(*status);
            if let Some(c) = customer {
                u = u.with_customer(CustomerId::new(*c));
            }
            for &t in teams {
                u = u.with_team(TeamId::new(t));
            }
            admin.add_user(u).map(unit)
        }
        Op::RemoveUser { user } => admin.remove_user(UserId::new(*user)).map(unit),
        Op::AssignRole { user, role } => {
            admin.assign_role(UserId::new(*user), rid(*role)).map(unit)
        }
        Op::SetStatus { user, status } => admin.set_status(UserId::new(*user), *status).map(unit),
        Op::CreateTeam { org, name } => admin
            .create_team(OrgId::new(*org), name)
            .map(|t| Out::Team(t.get())),
        Op::RenameTeam { team, name } => admin.rename_team(TeamId::new(*team), name).map(unit),
        Op::DeleteTeam { team } => admin.delete_team(TeamId::new(*team)).map(unit),
        Op::AddToTeam { team, user } => admin
            .add_to_team(TeamId::new(*team), UserId::new(*user))
            .map(unit),
        Op::RemoveFromTeam { team, user } => admin
            .remove_from_team(TeamId::new(*team), UserId::new(*user))
            .map(unit),
        Op::AssignTeamRole { team, role } => admin
            .assign_team_role(TeamId::new(*team), rid(*role))
            .map(Out::Count),
    };
    result.map_err(|e| kind_of(&e))
}
