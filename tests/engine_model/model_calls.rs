//! The model's administrative calls, each decided and applied on its own.

use std::collections::BTreeSet;

use rolegate::role::RoleKind;
use rolegate::*;

use crate::model::{MRole, MTeam, MUser, Model, role_name, team_name};
use crate::ops::{Kind, Op, Out, Step};
use crate::spec::{MRule, POOL};

impl Model {
    pub(crate) fn apply(&mut self, step: &Step) -> Result<Out, Kind> {
        let actor = step.actor;
        match &step.op {
            Op::CreateRole { org, name, rules } => {
                let rules: Vec<MRule> = rules.iter().map(|&i| POOL[i]).collect();
                self.create_role(actor, *org, name, rules)
            }
            Op::DuplicateRole { org, source, name } => {
                self.role_for(*org, *source)?;
                let rules = self.rules_of(*source).to_vec();
                self.create_role(actor, *org, name, rules)
            }
            Op::RenameRole { role, name } => self.update_role(actor, *role, Some(name), None),
            Op::ReplaceRules { role, rules } => {
                let rules: Vec<MRule> = rules.iter().map(|&i| POOL[i]).collect();
                self.update_role(actor, *role, None, Some(rules))
            }
            Op::DeleteRole { role, move_to } => self.delete_role(actor, *role, *move_to),
            Op::AddUser {
                user,
                org,
                role,
                status,
                customer,
                teams,
            } => {
                let acting = self.acting(actor, *org)?;
                self.require(acting, "members", "manage")?;
                if self.users.contains_key(user) {
                    return Err(Kind::DuplicateUser);
                }
                self.role_for(*org, *role)?;
                let teams: BTreeSet<u64> = teams.iter().copied().collect();
                for &t in &teams {
                    if self.team_org(t)? != *org {
                        return Err(Kind::CrossOrganization);
                    }
                }
                self.may_give(acting, *role)?;
                let mut next = self.clone();
                next.users.insert(
                    *user,
                    MUser {
                        org: *org,
                        customer: *customer,
                        role: *role,
                        status: *status,
                        teams,
                    },
                );
                self.commit(next)?;
                Ok(Out::Unit)
            }
            Op::RemoveUser { user } => {
                let org = self.user_org(*user)?;
                let acting = self.acting(actor, org)?;
                self.require(acting, "members", "manage")?;
                self.may_take(acting, *user)?;
                let mut next = self.clone();
                next.users.remove(user);
                self.commit(next)?;
                Ok(Out::Unit)
            }
            Op::AssignRole { user, role } => {
                let org = self.user_org(*user)?;
                let acting = self.acting(actor, org)?;
                self.require(acting, "members", "manage")?;
                self.role_for(org, *role)?;
                if self.users[user].role != *role {
                    self.may_take(acting, *user)?;
                }
                self.may_give(acting, *role)?;
                let mut next = self.clone();
                next.users.get_mut(user).unwrap().role = *role;
                self.commit(next)?;
                Ok(Out::Unit)
            }
            Op::SetStatus { user, status } => {
                let org = self.user_org(*user)?;
                let acting = self.acting(actor, org)?;
                self.require(acting, "members", "manage")?;
                self.may_take(acting, *user)?;
                // SEMANTICS.md §10.3 forbids granting a permission one does not hold.
                // Making an invited or suspended user active hands them every
                // permission of their role, exactly as giving them the role
                // would: it is checked as giving it (and the no-escalation
                // invariant, checked on the engine's own state, demands it).
                let before = &self.users[user];
                if before.status != UserStatus::Active && *status == UserStatus::Active {
                    self.may_give(acting, before.role)?;
                }
                let mut next = self.clone();
                next.users.get_mut(user).unwrap().status = *status;
                self.commit(next)?;
                Ok(Out::Unit)
            }
            Op::CreateTeam { org, name } => {
                let acting = self.acting(actor, *org)?;
                self.require(acting, "members", "manage")?;
                let name = team_name(name)?;
                if self.team_name_taken(*org, &name, None) {
                    return Err(Kind::DuplicateTeamName);
                }
                let id = self.next_team;
                let mut next = self.clone();
                next.teams.insert(id, MTeam { org: *org, name });
                next.next_team = id + 1;
                self.commit(next)?;
                Ok(Out::Team(id))
            }
            Op::RenameTeam { team, name } => {
                let org = self.team_org(*team)?;
                let acting = self.acting(actor, org)?;
                self.require(acting, "members", "manage")?;
                let name = team_name(name)?;
                if self.team_name_taken(org, &name, Some(*team)) {
                    return Err(Kind::DuplicateTeamName);
                }
                let mut next = self.clone();
                next.teams.get_mut(team).unwrap().name = name;
                self.commit(next)?;
                Ok(Out::Unit)
            }
            Op::DeleteTeam { team } => {
                let org = self.team_org(*team)?;
                let acting = self.acting(actor, org)?;
                self.require(acting, "members", "manage")?;
                let mut next = self.clone();
                next.teams.remove(team);
                for u in next.users.values_mut() {
                    u.teams.remove(team);
                }
                self.commit(next)?;
                Ok(Out::Unit)
            }
            Op::AddToTeam { team, user } | Op::RemoveFromTeam { team, user } => {
                let org = self.team_org(*team)?;
                let acting = self.acting(actor, org)?;
                self.require(acting, "members", "manage")?;
                if self.user_org(*user)? != org {
                    return Err(Kind::CrossOrganization);
                }
                let mut next = self.clone();
                let teams = &mut next.users.get_mut(user).unwrap().teams;
                if matches!(step.op, Op::AddToTeam { .. }) {
                    teams.insert(*team);
                } else {
                    teams.remove(team);
                }
                self.commit(next)?;
                Ok(Out::Unit)
            }
            Op::AssignTeamRole { team, role } => {
                let org = self.team_org(*team)?;
                let acting = self.acting(actor, org)?;
                self.require(acting, "members", "manage")?;
                self.role_for(org, *role)?;
                self.may_give(acting, *role)?;
                let mut changed = Vec::new();
                for (&id, u) in &self.users {
                    if u.teams.contains(team) && u.role != *role {
                        self.may_take(acting, id)?;
                        changed.push(id);
                    }
                }
                let mut next = self.clone();
                for id in &changed {
                    next.users.get_mut(id).unwrap().role = *role;
                }
                self.commit(next)?;
                Ok(Out::Count(changed.len()))
            }
        }
    }

    fn create_role(
        &mut self,
        actor: Option<u64>,
        org: u64,
        name: &str,
        rules: Vec<MRule>,
    ) -> Result<Out, Kind> {
        let acting = self.acting(actor, org)?;
        self.require(acting, "roles", "manage")?;
        let name = role_name(name)?;
        if self.role_name_taken(org, &name, None) {
            return Err(Kind::DuplicateRoleName);
        }
        self.may_grant(acting, &rules, &[])?;
        let role = MRole {
            name,
            kind: RoleKind::Custom {
                organization: OrgId::new(org),
            },
            rules,
        };
        let id = self.roles.len();
        let mut next = self.clone();
        next.roles.push(Some(role));
        self.commit(next)?;
        Ok(Out::Created(id))
    }

    fn update_role(
        &mut self,
        actor: Option<u64>,
        id: usize,
        name: Option<&str>,
        rules: Option<Vec<MRule>>,
    ) -> Result<Out, Kind> {
        let org = self.custom_role(id)?;
        let acting = self.acting(actor, org)?;
        self.require(acting, "roles", "manage")?;
        let old = self.role(id).unwrap().clone();
        let name = role_name(name.unwrap_or(&old.name))?;
        let rules = rules.unwrap_or_else(|| old.rules.clone());
        if self.role_name_taken(org, &name, Some(id)) {
            return Err(Kind::DuplicateRoleName);
        }
        // SEMANTICS.md §10.3: nobody edits a role that grants a permission they do not
        // hold: every rule of the role, before and after, must be covered.
        self.may_grant(acting, &old.rules, &[])?;
        self.may_grant(acting, &rules, &[])?;
        let role = MRole {
            name,
            kind: old.kind,
            rules,
        };
        let (before, after) = (old.permissions(), role.permissions());
        let holders = self.holders(org, id);
        let mut next = self.clone();
        next.roles[id] = Some(role);
        self.commit(next)?;
        Ok(Out::Edit {
            id,
            gained: after.difference(&before).cloned().collect(),
            lost: before.difference(&after).cloned().collect(),
            holders,
        })
    }

    fn delete_role(
        &mut self,
        actor: Option<u64>,
        id: usize,
        move_to: Option<usize>,
    ) -> Result<Out, Kind> {
        let org = self.custom_role(id)?;
        let acting = self.acting(actor, org)?;
        self.require(acting, "roles", "manage")?;
        let holders = self.holders(org, id);
        match move_to {
            None if holders > 0 => return Err(Kind::RoleInUse(holders)),
            None => {}
            Some(to) => {
                if to == id {
                    return Err(Kind::UnknownRole(to));
                }
                self.role_for(org, to)?;
                if holders > 0 {
                    self.require(acting, "members", "manage")?;
                    self.may_give(acting, to)?;
                }
            }
        }
        let mut next = self.clone();
        for u in next.users.values_mut() {
            if u.role == id {
                u.role = move_to.unwrap();
            }
        }
        next.roles[id] = None;
        self.commit(next)?;
        Ok(Out::Count(holders))
    }
}
