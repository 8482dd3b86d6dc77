//! State-machine test of the engine's administrative calls against a plain model of SPEC §4, §6, §7, §8.
//!
//! Random sequences of every `Admin` call, by the system or by random users
//! of two organizations (or unknown ones), run on a real [`Engine`] and on a
//! model that decides allow/deny and effects on its own. After every step:
//! same result (error variant included), same decisions on a set of probe
//! resources, same role, team and people listings and permission matrices,
//! no user newly holds a permission the acting user did not hold, and the
//! snapshot version moves by one exactly when the call succeeded.
//!
//! `PROPTEST_CASES` overrides the number of sequences (128).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::strategy::Union;
use rolegate::*;

// ---------------------------------------------------------------------------
// The model's catalog, system roles and rule pool, written from SPEC §3, §4.
// ---------------------------------------------------------------------------

/// SPEC §3: the standard catalog's grantable resource types and actions.
const CATALOG: [(&str, &[&str]); 11] = [
    (
        "connectors",
        &[
            "create",
            "read",
            "update",
            "delete",
            "deploy_test",
            "deploy_prod",
        ],
    ),
    (
        "connections",
        &["create", "read", "update", "delete", "execute", "share"],
    ),
    (
        "workflows",
        &[
            "create",
            "read",
            "update",
            "delete",
            "execute",
            "deploy_test",
            "deploy_prod",
        ],
    ),
    ("agents", &["create", "read", "update", "delete", "execute"]),
    ("tools", &["create", "read", "update", "delete", "execute"]),
    ("organization", &["read", "update"]),
    ("billing", &["read", "update"]),
    ("members", &["read", "manage"]),
    ("roles", &["read", "manage"]),
    ("activity", &["read"]),
    ("audit_log", &["read"]),
];

/// SPEC §4: what Developer lacks of Owner.
const DEVELOPER_LACKS: [&str; 5] = [
    "organization.update",
    "billing.read",
    "billing.update",
    "members.manage",
    "roles.manage",
];

/// SPEC §4: Operator.
const OPERATOR: [&str; 18] = [
    "connectors.read",
    "connections.create",
    "connections.read",
    "connections.update",
    "connections.delete",
    "connections.execute",
    "connections.share",
    "workflows.read",
    "workflows.execute",
    "agents.read",
    "agents.execute",
    "tools.read",
    "tools.execute",
    "activity.read",
    "organization.read",
    "members.read",
    "roles.read",
    "audit_log.read",
];

/// SPEC §4: Viewer.
const VIEWER: [&str; 7] = [
    "connectors.read",
    "connections.read",
    "workflows.read",
    "agents.read",
    "tools.read",
    "activity.read",
    "organization.read",
];

/// Must-match keys beyond `organization` (always implied), as bits.
const CUSTOMER: u8 = 1;
const TEAM: u8 = 2;
const OWNER: u8 = 4;

/// SPEC §4: End User, with its extra must-match keys.
const END_USER: [(&str, u8); 9] = [
    ("connectors.read", CUSTOMER),
    ("connections.create", CUSTOMER | OWNER),
    ("connections.read", CUSTOMER | OWNER),
    ("connections.update", CUSTOMER | OWNER),
    ("connections.delete", CUSTOMER | OWNER),
    ("connections.execute", CUSTOMER | OWNER),
    ("workflows.read", CUSTOMER),
    ("workflows.execute", CUSTOMER),
    ("activity.read", CUSTOMER),
];

/// The six system roles, in id order, with their names (SPEC §4).
const SYSTEM: [(SystemRole, &str); 6] = [
    (SystemRole::Owner, "Owner"),
    (SystemRole::Admin, "Admin"),
    (SystemRole::Developer, "Developer"),
    (SystemRole::Operator, "Operator"),
    (SystemRole::Viewer, "Viewer"),
    (SystemRole::EndUser, "End User"),
];

/// One comparison of a rule's conditions (SPEC §6.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cond {
    /// `status != "archived"`
    NotArchived,
    /// `priority <= 3`
    PriorityAtMost3,
}

impl Cond {
    fn text(self) -> &'static str {
        match self {
            Self::NotArchived => r#"status != "archived""#,
            Self::PriorityAtMost3 => "priority <= 3",
        }
    }
}

/// A rule as plain data: permission, extra must-match keys, conditions.
#[derive(Clone, Copy, PartialEq, Eq)]
struct MRule {
    res: &'static str,
    act: &'static str,
    keys: u8,
    conds: &'static [Cond],
}

impl std::fmt::Debug for MRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.res, self.act)?;
        for (bit, name) in [(CUSTOMER, "customer"), (TEAM, "team"), (OWNER, "owner")] {
            if self.keys & bit != 0 {
                write!(f, "[{name}]")?;
            }
        }
        for c in self.conds {
            write!(f, " if {}", c.text())?;
        }
        Ok(())
    }
}

impl MRule {
    fn permission(&self) -> String {
        format!("{}.{}", self.res, self.act)
    }

    /// The same rule for the engine.
    fn to_rule(self, catalog: &Catalog) -> Rule {
        let mut keys = MustMatch::empty();
        if self.keys & CUSTOMER != 0 {
            keys |= MustMatch::CUSTOMER;
        }
        if self.keys & TEAM != 0 {
            keys |= MustMatch::TEAM;
        }
        if self.keys & OWNER != 0 {
            keys |= MustMatch::OWNER;
        }
        let text: Vec<&str> = self.conds.iter().map(|c| c.text()).collect();
        Rule::builder(catalog, self.res, self.act)
            .must_match(keys)
            .conditions(&text.join(" and "))
            .build()
            .unwrap()
    }

    /// `held` is at least as broad as `self`: same permission, its keys and
    /// conditions a subset of ours.
    fn covered_by(&self, held: &Self) -> bool {
        held.res == self.res
            && held.act == self.act
            && held.keys & !self.keys == 0
            && held.conds.iter().all(|c| self.conds.contains(c))
    }
}

const fn rule(res: &'static str, act: &'static str, keys: u8, conds: &'static [Cond]) -> MRule {
    MRule {
        res,
        act,
        keys,
        conds,
    }
}

const NA: &[Cond] = &[Cond::NotArchived];
const NA_P3: &[Cond] = &[Cond::NotArchived, Cond::PriorityAtMost3];

/// The rules random role edits draw from (operations name them by index).
const POOL: [MRule; 18] = [
    rule("workflows", "read", 0, &[]),                  // 0
    rule("workflows", "read", TEAM, &[]),               // 1
    rule("workflows", "read", 0, NA),                   // 2
    rule("workflows", "read", TEAM, NA_P3),             // 3
    rule("workflows", "update", OWNER, &[]),            // 4
    rule("workflows", "update", TEAM, NA),              // 5
    rule("workflows", "update", 0, &[]),                // 6
    rule("workflows", "execute", CUSTOMER, &[]),        // 7
    rule("workflows", "delete", 0, &[]),                // 8
    rule("connections", "read", CUSTOMER | OWNER, &[]), // 9
    rule("connections", "read", CUSTOMER, &[]),         // 10
    rule("connections", "share", 0, &[]),               // 11
    rule("members", "manage", 0, &[]),                  // 12
    rule("members", "manage", TEAM, &[]),               // 13
    rule("roles", "manage", 0, &[]),                    // 14
    rule("roles", "read", 0, &[]),                      // 15
    rule("billing", "update", 0, &[]),                  // 16
    rule("audit_log", "read", 0, &[]),                  // 17
];

/// Built-in rules (SPEC §3): every user reads and updates their own profile.
const BUILTIN: [MRule; 2] = [
    rule("profile", "read", OWNER, &[]),
    rule("profile", "update", OWNER, &[]),
];

fn system_rules(role: SystemRole) -> Vec<MRule> {
    let mut out = Vec::new();
    for (res, acts) in CATALOG {
        for &act in acts {
            let name = format!("{res}.{act}");
            let keys = match role {
                SystemRole::Owner | SystemRole::Admin => Some(0),
                SystemRole::Developer => (!DEVELOPER_LACKS.contains(&name.as_str())).then_some(0),
                SystemRole::Operator => OPERATOR.contains(&name.as_str()).then_some(0),
                SystemRole::Viewer => VIEWER.contains(&name.as_str()).then_some(0),
                SystemRole::EndUser => END_USER.iter().find(|(n, _)| *n == name).map(|&(_, k)| k),
            };
            if let Some(keys) = keys {
                out.push(rule(res, act, keys, &[]));
            }
        }
    }
    out
}

fn applicable(res: &str, act: &str) -> bool {
    CATALOG
        .iter()
        .any(|(r, acts)| *r == res && acts.contains(&act))
        || (res == "profile" && (act == "read" || act == "update"))
}

// ---------------------------------------------------------------------------
// Probe resources for decisions (SPEC §6).
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Probe {
    res: &'static str,
    org: u64,
    customer: Option<u64>,
    team: Option<u64>,
    owner: Option<u64>,
    status: Option<&'static str>,
    priority: Option<i64>,
    actions: &'static [&'static str],
}

const WF: &[&str] = &["read", "update", "execute", "delete", "share"];
const CONN: &[&str] = &["read", "share", "create"];
const MANAGE: &[&str] = &["manage", "read"];
const RU: &[&str] = &["read", "update"];

const fn probe(res: &'static str, org: u64, actions: &'static [&'static str]) -> Probe {
    Probe {
        res,
        org,
        customer: None,
        team: None,
        owner: None,
        status: None,
        priority: None,
        actions,
    }
}

const fn scoped(
    base: Probe,
    customer: Option<u64>,
    team: Option<u64>,
    owner: Option<u64>,
    status: Option<&'static str>,
    priority: Option<i64>,
) -> Probe {
    Probe {
        customer,
        team,
        owner,
        status,
        priority,
        ..base
    }
}

const PROBES: [Probe; 24] = [
    probe("workflows", 1, WF),
    scoped(
        probe("workflows", 1, WF),
        None,
        Some(1),
        None,
        Some("active"),
        Some(2),
    ),
    scoped(
        probe("workflows", 1, WF),
        None,
        Some(1),
        None,
        Some("archived"),
        None,
    ),
    scoped(
        probe("workflows", 1, WF),
        None,
        Some(3),
        None,
        Some("draft"),
        Some(5),
    ),
    scoped(
        probe("workflows", 1, WF),
        Some(30),
        None,
        Some(3),
        Some("active"),
        None,
    ),
    scoped(
        probe("workflows", 1, WF),
        Some(31),
        Some(1),
        Some(4),
        None,
        None,
    ),
    scoped(
        probe("workflows", 1, WF),
        Some(30),
        Some(4),
        Some(8),
        Some("live"),
        Some(1),
    ),
    probe("workflows", 2, WF),
    scoped(
        probe("workflows", 2, WF),
        None,
        Some(2),
        None,
        Some("active"),
        Some(3),
    ),
    scoped(
        probe("workflows", 2, WF),
        Some(30),
        Some(5),
        Some(6),
        None,
        None,
    ),
    scoped(
        probe("connections", 1, CONN),
        Some(30),
        None,
        Some(3),
        None,
        None,
    ),
    scoped(
        probe("connections", 1, CONN),
        Some(31),
        None,
        Some(8),
        None,
        None,
    ),
    probe("connections", 1, CONN),
    scoped(
        probe("connections", 2, CONN),
        Some(30),
        None,
        Some(6),
        None,
        None,
    ),
    probe("members", 1, MANAGE),
    probe("members", 2, MANAGE),
    probe("roles", 1, MANAGE),
    probe("roles", 2, MANAGE),
    probe("billing", 1, RU),
    probe("audit_log", 2, &["read"]),
    scoped(probe("profile", 1, RU), None, None, Some(1), None, None),
    scoped(probe("profile", 1, RU), None, None, Some(4), None, None),
    scoped(probe("profile", 2, RU), None, None, Some(7), None, None),
    scoped(
        probe("agents", 1, &["execute", "read"]),
        None,
        None,
        None,
        None,
        None,
    ),
];

// ---------------------------------------------------------------------------
// Operations.
// ---------------------------------------------------------------------------

/// One administrative call. Roles are named by id (0..=5 system, 6.. custom,
/// some never created), rules by index into [`POOL`].
#[derive(Clone, Debug)]
enum Op {
    CreateRole {
        org: u64,
        name: &'static str,
        rules: Vec<usize>,
    },
    DuplicateRole {
        org: u64,
        source: usize,
        name: &'static str,
    },
    RenameRole {
        role: usize,
        name: &'static str,
    },
    ReplaceRules {
        role: usize,
        rules: Vec<usize>,
    },
    DeleteRole {
        role: usize,
        move_to: Option<usize>,
    },
    AddUser {
        user: u64,
        org: u64,
        role: usize,
        status: Status,
        customer: Option<u64>,
        teams: Vec<u64>,
    },
    RemoveUser {
        user: u64,
    },
    AssignRole {
        user: u64,
        role: usize,
    },
    SetStatus {
        user: u64,
        status: Status,
    },
    CreateTeam {
        org: u64,
        name: &'static str,
    },
    RenameTeam {
        team: u64,
        name: &'static str,
    },
    DeleteTeam {
        team: u64,
    },
    AddToTeam {
        team: u64,
        user: u64,
    },
    RemoveFromTeam {
        team: u64,
        user: u64,
    },
    AssignTeamRole {
        team: u64,
        role: usize,
    },
}

/// An operation and who makes it: `None` is the system (bootstrap).
#[derive(Clone)]
struct Step {
    actor: Option<u64>,
    op: Op,
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.actor {
            None => write!(f, "system: {:?}", self.op),
            Some(u) => write!(f, "user {u}: {:?}", self.op),
        }
    }
}

fn sys(op: Op) -> Step {
    Step { actor: None, op }
}

fn by(user: u64, op: Op) -> Step {
    Step {
        actor: Some(user),
        op,
    }
}

/// What a call returned, reduced to what the model predicts.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Out {
    Unit,
    Edit {
        id: usize,
        gained: BTreeSet<String>,
        lost: BTreeSet<String>,
        holders: usize,
    },
    Team(u64),
    Count(usize),
}

/// Why a call was refused, reduced to the variant (and a few payloads the
/// model can predict exactly).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    UnknownActor,
    InactiveActor,
    OtherOrganization,
    MissingPermission(String),
    Escalation(String),
    OwnerOnly,
    LastOwner,
    EmptyName,
    NameTooLong,
    ControlCharacter,
    ReservedName,
    DuplicateRoleName,
    UnknownRole(usize),
    SystemRole,
    RoleInUse(usize),
    UnknownUser(u64),
    DuplicateUser,
    UnknownTeam(u64),
    DuplicateTeamName,
    InvalidTeamName,
    CrossOrganization,
    Other(String),
}

fn kind_of(err: &AdminError) -> Kind {
    match err {
        AdminError::Denied(d) => match d {
            GuardDenial::UnknownActor { .. } => Kind::UnknownActor,
            GuardDenial::InactiveActor { .. } => Kind::InactiveActor,
            GuardDenial::OtherOrganization { .. } => Kind::OtherOrganization,
            GuardDenial::MissingPermission { permission } => {
                Kind::MissingPermission(permission.clone())
            }
            GuardDenial::Escalation { permission } => Kind::Escalation(permission.clone()),
            GuardDenial::OwnerOnly => Kind::OwnerOnly,
            GuardDenial::LastOwner { .. } => Kind::LastOwner,
            other => Kind::Other(format!("{other:?}")),
        },
        AdminError::InvalidRole(r) => match r {
            RoleError::EmptyName => Kind::EmptyName,
            RoleError::NameTooLong { .. } => Kind::NameTooLong,
            RoleError::ControlCharacter { .. } => Kind::ControlCharacter,
            RoleError::ReservedName { .. } => Kind::ReservedName,
            other => Kind::Other(format!("{other:?}")),
        },
        AdminError::DuplicateRoleName { .. } => Kind::DuplicateRoleName,
        AdminError::UnknownRole { role } => Kind::UnknownRole(role.index()),
        AdminError::SystemRole { .. } => Kind::SystemRole,
        AdminError::RoleInUse { holders, .. } => Kind::RoleInUse(*holders),
        AdminError::UnknownUser { user } => Kind::UnknownUser(user.get()),
        AdminError::DuplicateUser { .. } => Kind::DuplicateUser,
        AdminError::UnknownTeam { team } => Kind::UnknownTeam(team.get()),
        AdminError::DuplicateTeamName { .. } => Kind::DuplicateTeamName,
        AdminError::InvalidTeamName { .. } => Kind::InvalidTeamName,
        AdminError::CrossOrganization { .. } => Kind::CrossOrganization,
        other => Kind::Other(format!("{other:?}")),
    }
}

// ---------------------------------------------------------------------------
// The model.
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct MRole {
    name: String,
    kind: RoleKind,
    rules: Vec<MRule>,
}

impl MRole {
    fn permissions(&self) -> BTreeSet<String> {
        self.rules.iter().map(MRule::permission).collect()
    }

    /// Distinct permissions, as (resource, action).
    fn pairs(&self) -> BTreeSet<(&'static str, &'static str)> {
        self.rules.iter().map(|r| (r.res, r.act)).collect()
    }
}

#[derive(Clone, Debug)]
struct MUser {
    org: u64,
    customer: Option<u64>,
    role: usize,
    status: Status,
    teams: BTreeSet<u64>,
}

#[derive(Clone, Debug)]
struct MTeam {
    org: u64,
    name: String,
}

#[derive(Clone, Debug)]
struct Model {
    /// Indexed by role id; a deleted role leaves `None` (ids are not reused).
    roles: Vec<Option<MRole>>,
    users: BTreeMap<u64, MUser>,
    teams: BTreeMap<u64, MTeam>,
    next_team: u64,
}

const OWNER_ROLE: usize = 0;

fn role_name(name: &str) -> Result<String, Kind> {
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

fn team_name(name: &str) -> Result<String, Kind> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 || n > 64 || name.chars().any(char::is_control) {
        return Err(Kind::InvalidTeamName);
    }
    Ok(name.to_owned())
}

impl Model {
    fn new() -> Self {
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

    fn role(&self, id: usize) -> Option<&MRole> {
        self.roles.get(id).and_then(Option::as_ref)
    }

    fn rules_of(&self, id: usize) -> &[MRule] {
        self.role(id).map_or(&[][..], |r| &r.rules)
    }

    // --- SPEC §6: decisions -------------------------------------------------

    fn allows(&self, uid: u64, act: &str, p: &Probe) -> bool {
        let Some(u) = self.users.get(&uid) else {
            return false;
        };
        if u.status != Status::Active || u.org != p.org || !applicable(p.res, act) {
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

    /// Users of `org` that pass a people filter (SPEC §8), in id order.
    fn people(
        &self,
        org: u64,
        role: Option<usize>,
        status: Option<Status>,
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
                    u.status == Status::Active
                        && self
                            .rules_of(u.role)
                            .iter()
                            .any(|r| Some((r.res, r.act)) == p.split_once('.'))
                })
            })
            .map(|(&id, _)| id)
            .collect()
    }

    fn holders(&self, org: u64, role: usize) -> usize {
        self.users
            .values()
            .filter(|u| u.org == org && u.role == role)
            .count()
    }

    fn active_owners(&self, org: u64) -> usize {
        self.users
            .values()
            .filter(|u| u.org == org && u.role == OWNER_ROLE && u.status == Status::Active)
            .count()
    }

    // --- SPEC §8: the delegation guard -------------------------------------

    /// The acting user, checked for a call on `org`; `None` for the system.
    fn acting(&self, actor: Option<u64>, org: u64) -> Result<Option<u64>, Kind> {
        let Some(id) = actor else {
            return Ok(None);
        };
        let u = self.users.get(&id).ok_or(Kind::UnknownActor)?;
        if u.status != Status::Active {
            return Err(Kind::InactiveActor);
        }
        if u.org != org {
            return Err(Kind::OtherOrganization);
        }
        Ok(Some(id))
    }

    /// The actor may `action` the `resource` of their organization: decided
    /// on a bare resource (no team, owner, customer or attribute).
    fn require(
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

    fn may_grant(&self, acting: Option<u64>, rules: &[MRule], kept: &[MRule]) -> Result<(), Kind> {
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

    fn may_give(&self, acting: Option<u64>, role: usize) -> Result<(), Kind> {
        if role == OWNER_ROLE && !self.is_owner(acting) {
            return Err(Kind::OwnerOnly);
        }
        self.may_grant(acting, self.rules_of(role), &[])
    }

    fn may_take(&self, acting: Option<u64>, user: u64) -> Result<(), Kind> {
        if self.users[&user].role == OWNER_ROLE && !self.is_owner(acting) {
            return Err(Kind::OwnerOnly);
        }
        Ok(())
    }

    /// A role a user of `org` may hold: system, or a live custom role of `org`.
    fn role_for(&self, org: u64, id: usize) -> Result<(), Kind> {
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

    fn custom_role(&self, id: usize) -> Result<u64, Kind> {
        match self.role(id) {
            None => Err(Kind::UnknownRole(id)),
            Some(r) => match r.kind {
                RoleKind::System(_) => Err(Kind::SystemRole),
                RoleKind::Custom { organization } => Ok(organization.get()),
            },
        }
    }

    fn user_org(&self, id: u64) -> Result<u64, Kind> {
        self.users
            .get(&id)
            .map(|u| u.org)
            .ok_or(Kind::UnknownUser(id))
    }

    fn team_org(&self, id: u64) -> Result<u64, Kind> {
        self.teams
            .get(&id)
            .map(|t| t.org)
            .ok_or(Kind::UnknownTeam(id))
    }

    fn role_name_taken(&self, org: u64, name: &str, except: Option<usize>) -> bool {
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

    fn team_name_taken(&self, org: u64, name: &str, except: Option<u64>) -> bool {
        self.teams.iter().any(|(&id, t)| {
            Some(id) != except && t.org == org && t.name.to_lowercase() == name.to_lowercase()
        })
    }

    /// Publishes `next` unless it leaves an organization that had an active
    /// Owner without one (SPEC §8; also binds the system).
    fn commit(&mut self, next: Self) -> Result<(), Kind> {
        let orgs: BTreeSet<u64> = self.users.values().map(|u| u.org).collect();
        for org in orgs {
            if self.active_owners(org) > 0 && next.active_owners(org) == 0 {
                return Err(Kind::LastOwner);
            }
        }
        *self = next;
        Ok(())
    }

    // --- The administrative calls ------------------------------------------

    fn apply(&mut self, step: &Step) -> Result<Out, Kind> {
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
                // SPEC §8 forbids granting a permission one does not hold.
                // Making an invited or suspended user active hands them every
                // permission of their role, exactly as giving them the role
                // would: it is checked as giving it (and the no-escalation
                // invariant, checked on the engine's own state, demands it).
                let before = &self.users[user];
                if before.status != Status::Active && *status == Status::Active {
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
        let gained = role.permissions();
        let mut next = self.clone();
        next.roles.push(Some(role));
        self.commit(next)?;
        Ok(Out::Edit {
            id,
            gained,
            lost: BTreeSet::new(),
            holders: 0,
        })
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
        // SPEC §8: nobody edits a role that grants a permission they do not
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

// ---------------------------------------------------------------------------
// Running a step on the engine.
// ---------------------------------------------------------------------------

fn rid(i: usize) -> RoleId {
    RoleId::new(i).unwrap()
}

fn names(catalog: &Catalog, set: &PermissionSet) -> BTreeSet<String> {
    set.iter()
        .map(|p| catalog.permission_name(p).unwrap().to_owned())
        .collect()
}

fn run_engine(engine: &Engine, catalog: &Catalog, step: &Step) -> Result<Out, Kind> {
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
    let result = match &step.op {
        Op::CreateRole {
            org,
            name,
            rules: ix,
        } => admin
            .create_role(OrgId::new(*org), name, rules(ix))
            .map(edit),
        Op::DuplicateRole { org, source, name } => admin
            .duplicate_role(OrgId::new(*org), rid(*source), name)
            .map(edit),
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

// ---------------------------------------------------------------------------
// Comparing the engine's state with the model's after every step.
// ---------------------------------------------------------------------------

const USERS: std::ops::RangeInclusive<u64> = 1..=10;
const TEAMS: std::ops::RangeInclusive<u64> = 1..=6;
const ROLES: std::ops::Range<usize> = 0..13;
const ORGS: [u64; 3] = [1, 2, 3];
const CAN_FILTERS: [&str; 6] = [
    "members.manage",
    "roles.manage",
    "workflows.read",
    "workflows.update",
    "billing.update",
    "connections.read",
];

fn resource<'a>(catalog: &Catalog, p: &Probe) -> Resource<'a> {
    let mut r = Resource::new(
        catalog.resource_type(p.res).unwrap(),
        ResourceId::new(1),
        OrgId::new(p.org),
    );
    if let Some(c) = p.customer {
        r = r.with_customer(CustomerId::new(c));
    }
    if let Some(t) = p.team {
        r = r.with_team(TeamId::new(t));
    }
    if let Some(o) = p.owner {
        r = r.with_owner(UserId::new(o));
    }
    if let Some(s) = p.status {
        r = r.with_attribute(catalog.attribute("status").unwrap(), s);
    }
    if let Some(x) = p.priority {
        r = r.with_attribute(catalog.attribute("priority").unwrap(), x);
    }
    r
}

macro_rules! ensure_eq {
    ($engine:expr, $model:expr, $($what:tt)+) => {{
        let (e, m) = (&$engine, &$model);
        if e != m {
            return Err(format!(
                "{}:\n  engine: {:?}\n  model:  {:?}",
                format_args!($($what)+),
                e,
                m
            ));
        }
    }};
}

fn check_decisions(s: &Snapshot, model: &Model) -> Result<(), String> {
    let catalog = s.catalog();
    for p in &PROBES {
        let r = resource(catalog, p);
        for &act in p.actions {
            let action = catalog.action(act).unwrap();
            for u in USERS {
                ensure_eq!(
                    s.can_user(UserId::new(u), action, &r),
                    model.allows(u, act, p),
                    "can_user(user {u}, {act}, {p:?})"
                );
            }
        }
    }
    Ok(())
}

fn check_directory(s: &Snapshot, model: &Model) -> Result<(), String> {
    for u in USERS {
        let engine = s.user(UserId::new(u)).map(|x| {
            (
                x.organization().get(),
                x.customer().map(CustomerId::get),
                x.role().index(),
                x.status(),
                x.teams().iter().map(|t| t.get()).collect::<Vec<_>>(),
            )
        });
        let expected = model.users.get(&u).map(|x| {
            (
                x.org,
                x.customer,
                x.role,
                x.status,
                x.teams.iter().copied().collect::<Vec<_>>(),
            )
        });
        ensure_eq!(
            engine,
            expected,
            "user {u} (org, customer, role, status, teams)"
        );
    }
    for t in TEAMS {
        let engine = s.team(TeamId::new(t)).map(|x| {
            (
                x.organization().get(),
                x.name().to_owned(),
                x.members().map(UserId::get).collect::<Vec<_>>(),
            )
        });
        let expected = model.teams.get(&t).map(|x| {
            (
                x.org,
                x.name.clone(),
                model.people(x.org, None, None, Some(t), None),
            )
        });
        ensure_eq!(engine, expected, "team {t} (org, name, members)");
    }
    Ok(())
}

/// A people filter (SPEC §8), as data the model reads too.
#[derive(Clone, Copy, Debug, Default)]
struct Query {
    role: Option<usize>,
    status: Option<Status>,
    team: Option<u64>,
    can: Option<&'static str>,
}

impl Query {
    fn filter(self, catalog: &Catalog) -> PeopleFilter {
        let mut f = PeopleFilter::new();
        if let Some(r) = self.role {
            f = f.role(rid(r));
        }
        if let Some(s) = self.status {
            f = f.status(s);
        }
        if let Some(t) = self.team {
            f = f.team(TeamId::new(t));
        }
        if let Some(p) = self.can {
            f = f.can(catalog.permission_named(p).unwrap());
        }
        f
    }
}

/// Every single filter and some combinations; organization 3 is rarely
/// used, so the plain listing is enough there.
fn queries(org: u64) -> Vec<Query> {
    let none = Query::default();
    let mut out = vec![none];
    if org == 3 {
        return out;
    }
    for r in ROLES {
        out.push(Query {
            role: Some(r),
            ..none
        });
    }
    for st in Status::ALL {
        out.push(Query {
            status: Some(st),
            ..none
        });
        out.push(Query {
            status: Some(st),
            role: Some(1),
            ..none
        });
    }
    for t in TEAMS {
        let team = Query {
            team: Some(t),
            ..none
        };
        out.push(team);
        out.push(Query {
            status: Some(Status::Active),
            ..team
        });
        out.push(Query {
            role: Some(6),
            ..team
        });
        out.push(Query {
            can: Some("members.manage"),
            ..team
        });
    }
    for p in CAN_FILTERS {
        out.push(Query {
            can: Some(p),
            ..none
        });
        out.push(Query {
            can: Some(p),
            role: Some(7),
            ..none
        });
    }
    out
}

fn check_listings(s: &Snapshot, model: &Model) -> Result<(), String> {
    let catalog = s.catalog();
    for org in ORGS {
        let o = OrgId::new(org);
        // Roles (SPEC §7).
        let engine: Vec<_> = s
            .roles(o)
            .into_iter()
            .map(|r| {
                (
                    r.id.index(),
                    r.name,
                    r.kind,
                    r.users,
                    r.permissions,
                    r.rules,
                )
            })
            .collect();
        let expected: Vec<_> = model
            .roles
            .iter()
            .enumerate()
            .filter_map(|(id, r)| Some((id, r.as_ref()?)))
            .filter(|(_, r)| match r.kind {
                RoleKind::System(_) => true,
                RoleKind::Custom { organization } => organization == o,
            })
            .map(|(id, r)| {
                (
                    id,
                    r.name.clone(),
                    r.kind,
                    model.holders(org, id),
                    r.pairs().len(),
                    r.rules.len(),
                )
            })
            .collect();
        ensure_eq!(
            engine,
            expected,
            "roles(org {org}) (id, name, kind, users, permissions, rules)"
        );
        let engine: Vec<usize> = s
            .search_roles(o, " OPS ")
            .iter()
            .map(|r| r.id.index())
            .collect();
        let expected: Vec<usize> = expected
            .iter()
            .filter(|r| r.1.to_lowercase().contains("ops"))
            .map(|r| r.0)
            .collect();
        ensure_eq!(engine, expected, "search_roles(org {org}, \" OPS \")");
        // Teams (SPEC §8).
        let engine: Vec<_> = s
            .teams(o)
            .into_iter()
            .map(|t| (t.id.get(), t.name, t.members))
            .collect();
        let expected: Vec<_> = model
            .teams
            .iter()
            .filter(|(_, t)| t.org == org)
            .map(|(&id, t)| {
                (
                    id,
                    t.name.clone(),
                    model.people(org, None, None, Some(id), None).len(),
                )
            })
            .collect();
        ensure_eq!(engine, expected, "teams(org {org}) (id, name, members)");
        // People (SPEC §8): every single filter, and combinations.
        for q in queries(org) {
            let filter = q.filter(catalog);
            let engine: Vec<_> = s
                .people(o, &filter)
                .into_iter()
                .map(|p| {
                    (
                        p.user.id().get(),
                        p.user.role().index(),
                        p.role,
                        p.user.status(),
                        p.teams,
                    )
                })
                .collect();
            let expected: Vec<_> = model
                .people(org, q.role, q.status, q.team, q.can)
                .into_iter()
                .map(|id| {
                    let u = &model.users[&id];
                    (
                        id,
                        u.role,
                        model.role(u.role).unwrap().name.clone(),
                        u.status,
                        u.teams
                            .iter()
                            .map(|t| model.teams[t].name.clone())
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            ensure_eq!(
                engine,
                expected,
                "people(org {org}, {q:?}) (id, role, role name, status, team names)"
            );
        }
    }
    Ok(())
}

/// The permission matrix (SPEC §7) of `roles`: granted permissions and how
/// many rules grant each.
fn check_matrix(s: &Snapshot, model: &Model, roles: std::ops::Range<usize>) -> Result<(), String> {
    for r in roles {
        let matrix = s.permission_matrix(rid(r));
        let engine = matrix.as_ref().map(|m| {
            m.rows
                .iter()
                .flat_map(|row| row.cells.iter().map(move |c| (row.name.as_str(), c)))
                .filter(|(_, c)| c.granted())
                .map(|(res, c)| ((res, c.action_name.as_str()), c.rules.len()))
                .collect::<BTreeMap<_, _>>()
        });
        let expected = model.role(r).map(|role| {
            let mut m = BTreeMap::new();
            for rule in &role.rules {
                *m.entry((rule.res, rule.act)).or_insert(0) += 1;
            }
            m
        });
        ensure_eq!(
            engine,
            expected,
            "permission_matrix(role {r}) (granted permission -> rules)"
        );
    }
    Ok(())
}

/// What every user holds, from the engine's own state: an active user holds
/// each permission their role has any rule for (however narrowed).
fn holdings(s: &Snapshot) -> BTreeSet<(u64, String)> {
    let mut out = BTreeSet::new();
    for u in USERS {
        let Some(user) = s.user(UserId::new(u)) else {
            continue;
        };
        if user.status() != Status::Active {
            continue;
        }
        for p in role_permissions(s, user.role()) {
            out.insert((u, p));
        }
    }
    out
}

fn role_permissions(s: &Snapshot, role: RoleId) -> BTreeSet<String> {
    s.policy().role(role).map_or_else(BTreeSet::new, |r| {
        r.rules()
            .iter()
            .map(|rule| {
                s.catalog()
                    .permission_name(rule.permission())
                    .unwrap()
                    .to_owned()
            })
            .collect()
    })
}

/// Invariant 4, independent of the guard: after a successful step by a
/// user, whatever a user newly holds the actor held before.
fn check_no_escalation(before: &Snapshot, after: &Snapshot, actor: u64) -> Result<(), String> {
    let actor_held = before
        .user(UserId::new(actor))
        .map_or_else(BTreeSet::new, |u| role_permissions(before, u.role()));
    let old = holdings(before);
    for (u, p) in holdings(after).difference(&old) {
        if !actor_held.contains(p) {
            return Err(format!(
                "ESCALATION: user {u} now holds {p}, which the actor (user {actor}) did not hold"
            ));
        }
    }
    Ok(())
}

fn check_state(s: &Snapshot, model: &Model) -> Result<(), String> {
    check_directory(s, model)?;
    check_listings(s, model)?;
    // System roles cannot change: their matrix is checked once, at the start.
    check_matrix(s, model, 6..ROLES.end)?;
    check_decisions(s, model)
}

/// Runs one step on both, checking result, version, escalation and state.
fn check_step(
    engine: &Engine,
    model: &mut Model,
    step: &Step,
) -> Result<Result<Out, Kind>, String> {
    let catalog = engine.catalog();
    let before = engine.snapshot();
    let expected = model.apply(step);
    let actual = run_engine(engine, &catalog, step);
    let after = engine.snapshot();
    ensure_eq!(actual, expected, "result");
    let bump = u64::from(actual.is_ok());
    ensure_eq!(after.version(), before.version() + bump, "snapshot version");
    if let (Ok(_), Some(actor)) = (&actual, step.actor) {
        check_no_escalation(&before, &after, actor)?;
    }
    check_state(&after, model)?;
    Ok(actual)
}

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
            status: Status::Active,
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
            status: Status::Invited,
            customer: Some(31),
            teams: vec![],
        }),
        sys(Op::AddUser {
            user: 8,
            org: 1,
            role: 3,
            status: Status::Invited,
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
fn run(steps: &[Step], expect: Option<&[Result<(), Kind>]>) -> Result<(), String> {
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

// ---------------------------------------------------------------------------
// Random sequences.
// ---------------------------------------------------------------------------

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

fn arb_status() -> impl Strategy<Value = Status> {
    prop_oneof![
        2 => Just(Status::Active),
        1 => Just(Status::Invited),
        1 => Just(Status::Suspended),
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

fn arb_step() -> impl Strategy<Value = Step> {
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

/// 128 sequences (about 11 s in a debug build), or `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(128)
}

proptest! {
    // No regressions file: the shared tree stays clean; the minimal failing
    // sequence is printed instead.
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// 1 to 59 random steps after the 12 of [`setup`] (a failure shrinks to
    /// the shortest sequence that shows it).
    #[test]
    fn engine_agrees_with_the_model(steps in prop::collection::vec(arb_step(), 1..60)) {
        if let Err(why) = run(&steps, None) {
            return Err(TestCaseError::fail(why));
        }
    }
}

// ---------------------------------------------------------------------------
// Fixed scenarios pinning the model's key rules (run against the engine too).
// ---------------------------------------------------------------------------

fn scenario(steps: &[(Step, Result<(), Kind>)]) {
    let (steps, expect): (Vec<Step>, Vec<Result<(), Kind>>) = steps.iter().cloned().unzip();
    if let Err(why) = run(&steps, Some(&expect)) {
        panic!("{why}");
    }
}

fn esc(p: &str) -> Result<(), Kind> {
    Err(Kind::Escalation(p.to_owned()))
}

#[test]
fn model_system_roles_follow_spec_4() {
    let counts: Vec<usize> = SYSTEM.iter().map(|&(r, _)| system_rules(r).len()).collect();
    assert_eq!(counts, [39, 39, 34, 18, 7, 9]);
    run(&[], Some(&[])).unwrap();
}

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
                    status: Status::Invited,
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
                    status: Status::Suspended,
                },
            ),
            Err(Kind::LastOwner),
        ),
        (by(1, Op::RemoveUser { user: 1 }), Err(Kind::LastOwner)),
        // The system is bound too.
        (
            sys(Op::SetStatus {
                user: 1,
                status: Status::Invited,
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
                    status: Status::Invited,
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
                    status: Status::Active,
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
                    status: Status::Suspended,
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
                    status: Status::Suspended,
                },
            ),
            Err(Kind::OwnerOnly),
        ),
        (
            by(
                2,
                Op::SetStatus {
                    user: 1,
                    status: Status::Active,
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
                    status: Status::Active,
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
                status: Status::Suspended,
            }),
            Ok(()),
        ),
        (
            by(
                4,
                Op::SetStatus {
                    user: 2,
                    status: Status::Active,
                },
            ),
            esc("connectors.create"),
        ),
        (
            by(
                1,
                Op::SetStatus {
                    user: 2,
                    status: Status::Active,
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
                    status: Status::Suspended,
                },
            ),
            Ok(()),
        ),
    ]);
}
