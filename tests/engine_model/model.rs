//! The model's state, its decisions (SEMANTICS.md §2) and its delegation guard (§10).

use std::collections::{BTreeMap, BTreeSet};

use rolegate::role::RoleKind;
use rolegate::*;

use crate::ops::Kind;
use crate::probes::{Probe, probe};
use crate::spec::{BUILTIN, CUSTOMER, Cond, MRule, OWNER, SYSTEM, TEAM, applicable, system_rules};

#[derive(Clone, Debug)]
pub(crate) struct MRole {
    pub(crate) name: String,
    pub(crate) kind: RoleKind,
    pub(crate) rules: Vec<MRule>,
}

impl MRole {
    pub(crate) fn permissions(&self) -> BTreeSet<String> {
        self.rules.iter().map(MRule::permission).collect()
    }

    /// Distinct permissions, as (resource, action).
    pub(crate) fn pairs(&self) -> BTreeSet<(&'static str, &'static str)> {
        self.rules.iter().map(|r| (r.res, r.act)).collect()
    }
}

#[derive(Clone, Debug)]
pub(crate) struct MUser {
    pub(crate) org: u64,
    pub(crate) customer: Option<u64>,
    pub(crate) role: usize,
    pub(crate) status: UserStatus,
    pub(crate) teams: BTreeSet<u64>,
}

#[derive(Clone, Debug)]
pub(crate) struct MTeam {
    pub(crate) org: u64,
    pub(crate) name: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Model {
    /// Indexed by role id; a deleted role leaves `None` (ids are not reused).
    pub(crate) roles: Vec<Option<MRole>>,
    pub(crate) users: BTreeMap<u64, MUser>,
    pub(crate) teams: BTreeMap<u64, MTeam>,
    pub(crate) next_team: u64,
}

const OWNER_ROLE: usize = 0;

pub(crate) fn role_name(name: &str) -> Result<String, Kind> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Kind::EmptyName);
    }
    if name.chars().count() > 64 {
        return Err(Kind::NameTooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(Kind::ControlCharacter);
    }
    if SYSTEM.iter().any(|(_, n)| n.eq_ignore_ascii_case(name)) {
        return Err(Kind::ReservedName);
    }
    Ok(name.to_owned())
}

pub(crate) fn team_name(name: &str) -> Result<String, Kind> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 || n > 64 || name.chars().any(char::is_control) {
        return Err(Kind::InvalidTeamName);
    }
    Ok(name.to_owned())
}

impl Model {
    pub(crate) fn new() -> Self {
        Self {
            roles: SYSTEM
                .iter()
                .map(|&(r, name)| {
                    Some(MRole {
                        name: name.to_owned(),
                        kind: RoleKind::System(r),
                        rules: system_rules(r),
                    })
                })
                .collect(),
            users: BTreeMap::new(),
            teams: BTreeMap::new(),
            next_team: 1,
        }
    }

    pub(crate) fn role(&self, id: usize) -> Option<&MRole> {
        self.roles.get(id).and_then(Option::as_ref)
    }

    pub(crate) fn rules_of(&self, id: usize) -> &[MRule] {
        self.role(id).map_or(&[][..], |r| &r.rules)
    }

    // --- SEMANTICS.md §2: decisions -------------------------------------------------

    pub(crate) fn allows(&self, uid: u64, act: &str, p: &Probe) -> bool {
        let Some(u) = self.users.get(&uid) else {
            return false;
        };
        if u.status != UserStatus::Active || u.org != p.org || !applicable(p.res, act) {
            return false;
        }
        let matches = |r: &MRule| {
            r.res == p.res
                && r.act == act
                && (r.keys & CUSTOMER == 0 || (u.customer.is_some() && p.customer == u.customer))
                && (r.keys & TEAM == 0 || p.team.is_some_and(|t| u.teams.contains(&t)))
                && (r.keys & OWNER == 0 || p.owner == Some(uid))
                && r.conds.iter().all(|c| match c {
                    Cond::NotArchived => p.status.is_some_and(|s| s != "archived"),
                    Cond::PriorityAtMost3 => p.priority.is_some_and(|x| x <= 3),
                })
        };
        self.rules_of(u.role).iter().any(matches) || BUILTIN.iter().any(matches)
    }

    /// Users of `org` that pass a people filter (SEMANTICS.md §9.3), in id order.
    pub(crate) fn people(
        &self,
        org: u64,
        role: Option<usize>,
        status: Option<UserStatus>,
        team: Option<u64>,
        can: Option<&str>,
    ) -> Vec<u64> {
        self.users
            .iter()
            .filter(|(_, u)| u.org == org)
            .filter(|(_, u)| role.is_none_or(|r| u.role == r))
            .filter(|(_, u)| status.is_none_or(|s| u.status == s))
            .filter(|(_, u)| team.is_none_or(|t| u.teams.contains(&t)))
            .filter(|(_, u)| {
                can.is_none_or(|p| {
                    u.status == UserStatus::Active
                        && self
                            .rules_of(u.role)
                            .iter()
                            .any(|r| Some((r.res, r.act)) == p.split_once('.'))
                })
            })
            .map(|(&id, _)| id)
            .collect()
    }

    pub(crate) fn holders(&self, org: u64, role: usize) -> usize {
        self.users
            .values()
            .filter(|u| u.org == org && u.role == role)
            .count()
    }

    fn active_owners(&self, org: u64) -> usize {
        self.users
            .values()
            .filter(|u| u.org == org && u.role == OWNER_ROLE && u.status == UserStatus::Active)
            .count()
    }

    // --- SEMANTICS.md §10: the delegation guard -------------------------------------

    /// The acting user, checked for a call on `org`; `None` for the system.
    pub(crate) fn acting(&self, actor: Option<u64>, org: u64) -> Result<Option<u64>, Kind> {
        let Some(id) = actor else {
            return Ok(None);
        };
        let u = self.users.get(&id).ok_or(Kind::UnknownActor)?;
        if u.status != UserStatus::Active {
            return Err(Kind::InactiveActor);
        }
        if u.org != org {
            return Err(Kind::OtherOrganization);
        }
        Ok(Some(id))
    }

    /// The actor may `action` the `resource` of their organization: decided
    /// on a bare resource (no team, owner, customer or attribute).
    pub(crate) fn require(
        &self,
        acting: Option<u64>,
        res: &'static str,
        act: &'static str,
    ) -> Result<(), Kind> {
        let Some(id) = acting else {
            return Ok(());
        };
        let org = self.users[&id].org;
        if self.allows(id, act, &probe(res, org, &[])) {
            Ok(())
        } else {
            Err(Kind::MissingPermission(format!("{res}.{act}")))
        }
    }

    fn is_owner(&self, acting: Option<u64>) -> bool {
        acting.is_none_or(|id| self.users[&id].role == OWNER_ROLE)
    }

    pub(crate) fn may_grant(
        &self,
        acting: Option<u64>,
        rules: &[MRule],
        kept: &[MRule],
    ) -> Result<(), Kind> {
        let Some(id) = acting else {
            return Ok(());
        };
        let held = self.rules_of(self.users[&id].role);
        for r in rules {
            if !kept.contains(r) && !held.iter().any(|h| r.covered_by(h)) {
                return Err(Kind::Escalation(r.permission()));
            }
        }
        Ok(())
    }

    pub(crate) fn may_give(&self, acting: Option<u64>, role: usize) -> Result<(), Kind> {
        if role == OWNER_ROLE && !self.is_owner(acting) {
            return Err(Kind::OwnerOnly);
        }
        self.may_grant(acting, self.rules_of(role), &[])
    }

    pub(crate) fn may_take(&self, acting: Option<u64>, user: u64) -> Result<(), Kind> {
        if self.users[&user].role == OWNER_ROLE && !self.is_owner(acting) {
            return Err(Kind::OwnerOnly);
        }
        Ok(())
    }

    /// A role a user of `org` may hold: system, or a live custom role of `org`.
    pub(crate) fn role_for(&self, org: u64, id: usize) -> Result<(), Kind> {
        match self.role(id) {
            Some(r) if matches!(r.kind, RoleKind::System(_)) => Ok(()),
            Some(r)
                if r.kind
                    == (RoleKind::Custom {
                        organization: OrgId::new(org),
                    }) =>
            {
                Ok(())
            }
            _ => Err(Kind::UnknownRole(id)),
        }
    }

    pub(crate) fn custom_role(&self, id: usize) -> Result<u64, Kind> {
        match self.role(id) {
            None => Err(Kind::UnknownRole(id)),
            Some(r) => match r.kind {
                RoleKind::System(_) => Err(Kind::SystemRole),
                RoleKind::Custom { organization } => Ok(organization.get()),
            },
        }
    }

    pub(crate) fn user_org(&self, id: u64) -> Result<u64, Kind> {
        self.users
            .get(&id)
            .map(|u| u.org)
            .ok_or(Kind::UnknownUser(id))
    }

    pub(crate) fn team_org(&self, id: u64) -> Result<u64, Kind> {
        self.teams
            .get(&id)
            .map(|t| t.org)
            .ok_or(Kind::UnknownTeam(id))
    }

    pub(crate) fn role_name_taken(&self, org: u64, name: &str, except: Option<usize>) -> bool {
        self.roles.iter().enumerate().any(|(id, r)| {
            r.as_ref().is_some_and(|r| {
                Some(id) != except
                    && r.kind
                        == (RoleKind::Custom {
                            organization: OrgId::new(org),
                        })
                    && r.name.to_lowercase() == name.to_lowercase()
            })
        })
    }

    pub(crate) fn team_name_taken(&self, org: u64, name: &str, except: Option<u64>) -> bool {
        self.teams.iter().any(|(&id, t)| {
            Some(id) != except && t.org == org && t.name.to_lowercase() == name.to_lowercase()
        })
    }

    /// Publishes `next` unless it leaves an organization that had an active
    /// Owner without one (SEMANTICS.md §10.5; also binds the system).
    pub(crate) fn commit(&mut self, next: Self) -> Result<(), Kind> {
        let orgs: BTreeSet<u64> = self.users.values().map(|u| u.org).collect();
        for org in orgs {
            if self.active_owners(org) > 0 && next.active_owners(org) == 0 {
                return Err(Kind::LastOwner);
            }
        }
        *self = next;
        Ok(())
    }
}
