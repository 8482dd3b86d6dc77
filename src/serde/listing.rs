//! serde for what the engine lists: role summaries, team summaries and
//! people, each a JSON object of its fields.
//!
//! ```json
//! {"id": 6, "name": "Marketing Editor", "kind": "custom", "organization": 1,
//!  "users": 3, "permissions": 2, "rules": 2}
//! {"id": 4, "name": "Viewer", "kind": "system", "users": 10, "permissions": 7, "rules": 7}
//! ```

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::directory::User;
use crate::engine::{Person, RoleSummary, TeamSummary};
use crate::id::{OrgId, RoleId, TeamId};
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
