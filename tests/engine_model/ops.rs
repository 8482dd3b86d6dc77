//! Operations: the administrative calls, steps, their outcomes and error kinds.

use std::collections::BTreeSet;

use rolegate::engine::GuardError;
use rolegate::*;

/// One administrative call. Roles are named by id (0..=5 system, 6.. custom,
/// some never created), rules by index into [`POOL`].
#[derive(Clone, Debug)]
pub(crate) enum Op {
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
        status: UserStatus,
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
        status: UserStatus,
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
pub(crate) struct Step {
    pub(crate) actor: Option<u64>,
    pub(crate) op: Op,
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.actor {
            None => write!(f, "system: {:?}", self.op),
            Some(u) => write!(f, "user {u}: {:?}", self.op),
        }
    }
}

pub(crate) fn sys(op: Op) -> Step {
    Step { actor: None, op }
}

pub(crate) fn by(user: u64, op: Op) -> Step {
    Step {
        actor: Some(user),
        op,
    }
}

/// What a call returned, reduced to what the model predicts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Out {
    Unit,
    Created(usize),
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
pub(crate) enum Kind {
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

pub(crate) fn kind_of(err: &AdminError) -> Kind {
    match err {
        AdminError::Denied(d) => match d {
            GuardError::UnknownActor { .. } => Kind::UnknownActor,
            GuardError::InactiveActor { .. } => Kind::InactiveActor,
            GuardError::OtherOrganization { .. } => Kind::OtherOrganization,
            GuardError::MissingPermission { permission } => {
                Kind::MissingPermission(permission.clone())
            }
            GuardError::Escalation { permission } => Kind::Escalation(permission.clone()),
            GuardError::OwnerOnly => Kind::OwnerOnly,
            GuardError::LastOwner { .. } => Kind::LastOwner,
            other => Kind::Other(format!("{other:?}")),
        },
        AdminError::Role(r) => match r {
            RoleError::EmptyName => Kind::EmptyName,
            RoleError::NameTooLong { .. } => Kind::NameTooLong,
            RoleError::ControlCharacter { .. } => Kind::ControlCharacter,
            RoleError::ReservedName { .. } => Kind::ReservedName,
            RoleError::DuplicateName { .. } => Kind::DuplicateRoleName,
            RoleError::SystemRole { .. } => Kind::SystemRole,
            other => Kind::Other(format!("{other:?}")),
        },
        AdminError::UnknownRole { role } => Kind::UnknownRole(role.index()),
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
