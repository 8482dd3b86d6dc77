//! serde for what the engine lists: role summaries, team summaries and
//! people, each a JSON object of its fields, and the permission matrix
//! (written only).
//!
//! ```json
//! {"id": 6, "name": "Marketing Editor", "kind": "custom", "organization": 1,
//!  "users": 3, "permissions": 2, "rules": 2}
//! {"id": 4, "name": "Viewer", "kind": "system", "users": 10, "permissions": 7, "rules": 7}
//! ```

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalog::RuleSpec;
use crate::directory::User;
use crate::engine::{PermissionMatrix, Person, RoleSummary, TeamSummary};
use crate::id::{ActionId, OrgId, PermissionId, ResourceTypeId, RoleId, TeamId};
use crate::role::{RoleKind, SystemRole};
use crate::text::excerpt;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleSummaryRepr {
    id: RoleId,
    name: String,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization: Option<OrgId>,
    users: usize,
    permissions: usize,
    rules: usize,
}

impl Serialize for RoleSummary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (kind, organization) = match self.kind {
            RoleKind::System(_) => ("system", None),
            RoleKind::Custom { organization } => ("custom", Some(organization)),
        };
        RoleSummaryRepr {
            id: self.id,
            name: self.name.clone(),
            kind: kind.to_owned(),
            organization,
            users: self.users,
            permissions: self.permissions,
            rules: self.rules,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for RoleSummary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = RoleSummaryRepr::deserialize(d)?;
        let kind = match (r.kind.as_str(), r.organization) {
            ("system", None) => SystemRole::from_id(r.id)
                .filter(|s| s.name() == r.name)
                .map(RoleKind::System)
                .ok_or_else(|| {
                    D::Error::custom(format!(
                        "role {} named {:?} is not a system role",
                        r.id.index(),
                        excerpt(&r.name)
                    ))
                })?,
            ("system", Some(_)) => {
                return Err(D::Error::custom(
                    "field `organization` does not belong to a system role",
                ));
            }
            ("custom", Some(organization)) => RoleKind::Custom { organization },
            ("custom", None) => {
                return Err(D::Error::custom(
                    "a custom role needs the field `organization`",
                ));
            }
            (other, _) => {
                return Err(D::Error::custom(format!(
                    "unknown role kind {:?}: expected system or custom",
                    excerpt(other)
                )));
            }
        };
        Ok(Self {
            id: r.id,
            name: r.name,
            kind,
            users: r.users,
            permissions: r.permissions,
            rules: r.rules,
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamSummaryRepr {
    id: TeamId,
    name: String,
    members: usize,
}

impl Serialize for TeamSummary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        TeamSummaryRepr {
            id: self.id,
            name: self.name.clone(),
            members: self.members,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for TeamSummary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = TeamSummaryRepr::deserialize(d)?;
        Ok(Self {
            id: r.id,
            name: r.name,
            members: r.members,
        })
    }
}

/// A person: the user's record and, by name, their role and teams.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonRepr {
    user: User,
    role: String,
    teams: Vec<String>,
}

impl Serialize for Person {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PersonRepr {
            user: self.user.clone(),
            role: self.role.clone(),
            teams: self.teams.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Person {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = PersonRepr::deserialize(d)?;
        Ok(Self {
            user: r.user,
            role: r.role,
            teams: r.teams,
        })
    }
}

/// `{"role": 6, "rows": [{"resource_type": 2, "name": "workflows", "cells":
/// [{"action": 1, "action_name": "update", "permission": 12, "rules":
/// [{"resource": "workflows", "action": "update", "must_match": ["team"]}]}]}]}`:
/// each cell's rules in their text form. Written only: a rule read back
/// needs the catalog, through [`RuleSpec::resolve`](crate::catalog::RuleSpec::resolve).
impl Serialize for PermissionMatrix {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Cell<'a> {
            action: ActionId,
            action_name: &'a str,
            permission: PermissionId,
            rules: &'a [RuleSpec],
        }
        #[derive(Serialize)]
        struct Row<'a> {
            resource_type: ResourceTypeId,
            name: &'a str,
            cells: Vec<Cell<'a>>,
        }
        #[derive(Serialize)]
        struct Matrix<'a> {
            role: RoleId,
            rows: Vec<Row<'a>>,
        }
        Matrix {
            role: self.role,
            rows: self
                .rows
                .iter()
                .map(|row| Row {
                    resource_type: row.resource_type,
                    name: &row.name,
                    cells: row
                        .cells
                        .iter()
                        .map(|c| Cell {
                            action: c.action,
                            action_name: &c.action_name,
                            permission: c.permission,
                            rules: &c.specs,
                        })
                        .collect(),
                })
                .collect(),
        }
        .serialize(s)
    }
}
