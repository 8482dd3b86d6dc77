//! serde for the values a store or a service keeps and sends (feature
//! `serde`): ids and revisions as numbers, statuses, outcomes and attribute
//! types as lowercase words, must-match keys as a list of names, rules in
//! their text form, and the store's records. Reading checks what it can
//! without a catalog (known keys, sorted teams); rules are checked when
//! resolved. The JSON documents are in `document`.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::audit::{EventId, Outcome};
use crate::catalog::{AttrType, RuleSpec};
use crate::directory::{Timestamp, User};
use crate::evaluate::UserStatus;
use crate::id::{CustomerId, OrgId, ResourceId, RoleId, TeamId, UserId};
use crate::rule::MustMatch;
use crate::store::{Commit, Counters, Effect, Revision, StoredRole, StoredState, StoredTeam};
use crate::text::excerpt;

mod audit;
mod explain;
mod listing;

macro_rules! as_u64 {
    ($($name:ty),*) => {$(
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u64(self.get())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                u64::deserialize(d).map(<$name>::new)
            }
        }
    )*};
}

as_u64!(
    OrgId, UserId, CustomerId, TeamId, ResourceId, Revision, EventId
);

impl Serialize for RoleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.index() as u64)
    }
}

impl<'de> Deserialize<'de> for RoleId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u64::deserialize(d)?;
        usize::try_from(n)
            .ok()
            .and_then(RoleId::new)
            .ok_or_else(|| D::Error::custom(format!("role id {n} is out of range")))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.unix_millis())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        i64::deserialize(d).map(Timestamp::from_unix_millis)
    }
}

impl Serialize for UserStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UserStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(D::Error::custom)
    }
}

/// An attribute type as its lowercase name: `"string"`, `"integer"`, ...
impl Serialize for AttrType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for AttrType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        [
            AttrType::String,
            AttrType::Integer,
            AttrType::Boolean,
            AttrType::User,
            AttrType::Organization,
            AttrType::Customer,
        ]
        .into_iter()
        .find(|t| t.name() == text)
        .ok_or_else(|| {
            D::Error::custom(format!(
                "unknown attribute type {:?}: expected string, integer, boolean, user, organization or customer",
                excerpt(&text)
            ))
        })
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(D::Error::custom)
    }
}

/// Must-match keys as the list of their names; `organization`, implied on
/// every rule, is left out when written and accepted when read.
impl Serialize for MustMatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let names: Vec<&str> = MustMatch::KEYS
            .iter()
            .filter(|(key, _)| *key != MustMatch::ORGANIZATION && self.contains(*key))
            .map(|&(_, name)| name)
            .collect();
        names.serialize(s)
    }
}

impl<'de> Deserialize<'de> for MustMatch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        let mut keys = MustMatch::empty();
        for name in &names {
            match MustMatch::KEYS.iter().find(|(_, n)| n == name) {
                Some(&(key, _)) => keys |= key,
                None => {
                    return Err(D::Error::custom(format!(
                        "unknown must-match key {:?}: expected organization, customer, team or owner",
                        excerpt(name)
                    )));
                }
            }
        }
        Ok(keys)
    }
}

fn is_empty(text: &str) -> bool {
    text.is_empty()
}

/// A rule in its text form:
/// `{"resource": "workflows", "action": "update", "must_match": ["team"],
/// "conditions": "status != \"archived\""}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleRepr {
    resource: String,
    action: String,
    #[serde(
        default = "MustMatch::empty",
        skip_serializing_if = "MustMatch::is_empty"
    )]
    must_match: MustMatch,
    #[serde(default, skip_serializing_if = "is_empty")]
    conditions: String,
}

impl Serialize for RuleSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RuleRepr {
            resource: self.resource.clone(),
            action: self.action.clone(),
            must_match: self.must_match,
            conditions: self.conditions.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for RuleSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = RuleRepr::deserialize(d)?;
        Ok(RuleSpec {
            resource: r.resource,
            action: r.action,
            must_match: r.must_match,
            conditions: r.conditions,
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserRepr {
    id: UserId,
    organization: OrgId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    customer: Option<CustomerId>,
    #[serde(default)]
    teams: Vec<TeamId>,
    role: RoleId,
    status: UserStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_active: Option<Timestamp>,
}

impl Serialize for User {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        UserRepr {
            id: self.id,
            organization: self.organization,
            customer: self.customer,
            teams: self.teams.to_vec(),
            role: self.role,
            status: self.status,
            last_active: self.last_active,
        }
        .serialize(s)
    }
}

/// A user read back: teams come sorted and once each, as [`User`] keeps
/// them (sorted once, so that a long list costs no more than sorting it).
impl<'de> Deserialize<'de> for User {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = UserRepr::deserialize(d)?;
        let mut user = User::new(r.id, r.organization, r.role).with_status(r.status);
        if let Some(c) = r.customer {
            user = user.with_customer(c);
        }
        let mut teams = r.teams;
        teams.sort_unstable();
        teams.dedup();
        user.teams = teams.into();
        user.last_active = r.last_active;
        Ok(user)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleRepr {
    id: RoleId,
    organization: OrgId,
    name: String,
    rules: Vec<RuleSpec>,
}

impl Serialize for StoredRole {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RoleRepr {
            id: self.id,
            organization: self.organization,
            name: self.name.clone(),
            rules: self.rules.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for StoredRole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = RoleRepr::deserialize(d)?;
        Ok(StoredRole {
            id: r.id,
            organization: r.organization,
            name: r.name,
            rules: r.rules,
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamRepr {
    id: TeamId,
    organization: OrgId,
    name: String,
}

impl Serialize for StoredTeam {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        TeamRepr {
            id: self.id,
            organization: self.organization,
            name: self.name.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for StoredTeam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = TeamRepr::deserialize(d)?;
        Ok(StoredTeam {
            id: r.id,
            organization: r.organization,
            name: r.name,
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountersRepr {
    next_role: u32,
    next_team: u64,
}

impl Serialize for Counters {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        CountersRepr {
            next_role: self.next_role,
            next_team: self.next_team,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Counters {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = CountersRepr::deserialize(d)?;
        Ok(Counters {
            next_role: r.next_role,
            next_team: r.next_team,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum EffectRepr {
    PutRole(StoredRole),
    DeleteRole(RoleId),
    PutTeam(StoredTeam),
    DeleteTeam(TeamId),
    PutUser(User),
    DeleteUser(UserId),
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum EffectOut<'a> {
    PutRole(&'a StoredRole),
    DeleteRole(RoleId),
    PutTeam(&'a StoredTeam),
    DeleteTeam(TeamId),
    PutUser(&'a User),
    DeleteUser(UserId),
}

impl Serialize for Effect {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Effect::PutRole(r) => EffectOut::PutRole(r),
            Effect::DeleteRole(id) => EffectOut::DeleteRole(*id),
            Effect::PutTeam(t) => EffectOut::PutTeam(t),
            Effect::DeleteTeam(id) => EffectOut::DeleteTeam(*id),
            Effect::PutUser(u) => EffectOut::PutUser(u),
            Effect::DeleteUser(id) => EffectOut::DeleteUser(*id),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Effect {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match EffectRepr::deserialize(d)? {
            EffectRepr::PutRole(r) => Effect::PutRole(r),
            EffectRepr::DeleteRole(id) => Effect::DeleteRole(id),
            EffectRepr::PutTeam(t) => Effect::PutTeam(t),
            EffectRepr::DeleteTeam(id) => Effect::DeleteTeam(id),
            EffectRepr::PutUser(u) => Effect::PutUser(u),
            EffectRepr::DeleteUser(id) => Effect::DeleteUser(id),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitRepr {
    base: Revision,
    effects: Vec<Effect>,
    counters: Counters,
}

#[derive(Serialize)]
struct CommitOut<'a> {
    base: Revision,
    effects: &'a [Effect],
    counters: Counters,
}

impl Serialize for Commit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        CommitOut {
            base: self.base,
            effects: &self.effects,
            counters: self.counters,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Commit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = CommitRepr::deserialize(d)?;
        Ok(Commit {
            base: r.base,
            effects: r.effects,
            counters: r.counters,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StateRepr {
    revision: Revision,
    counters: Counters,
    roles: Vec<StoredRole>,
    teams: Vec<StoredTeam>,
    users: Vec<User>,
}

#[derive(Serialize)]
struct StateOut<'a> {
    revision: Revision,
    counters: Counters,
    roles: &'a [StoredRole],
    teams: &'a [StoredTeam],
    users: &'a [User],
}

impl Serialize for StoredState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        StateOut {
            revision: self.revision,
            counters: self.counters,
            roles: &self.roles,
            teams: &self.teams,
            users: &self.users,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for StoredState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = StateRepr::deserialize(d)?;
        Ok(StoredState {
            revision: r.revision,
            counters: r.counters,
            roles: r.roles,
            teams: r.teams,
            users: r.users,
        })
    }
}
