//! serde for audit events: an event as one JSON object, with its texts as
//! strings and a denied check's reason in words.
//!
//! ```json
//! {"id": 7, "at": 1700000000000, "organization": 1, "user": 2,
//!  "role": {"id": 4, "name": "Viewer"}, "action": "workflows.delete",
//!  "resource_type": "workflows", "resource_id": "9", "outcome": "denied",
//!  "reason": "denied: Viewer has no rule for workflows.delete"}
//! ```
//!
//! `user` is absent for trusted configuration (`Actor::System`). Read back,
//! a reason is its text: the denial it was put in words from is not kept.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::audit::{Actor, Event, EventId, NewEvent, Outcome, Reason};
use crate::directory::Timestamp;
use crate::id::{OrgId, RoleId, UserId};
use crate::text::Text;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleRepr {
    id: RoleId,
    name: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventRepr {
    id: EventId,
    at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization: Option<OrgId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<RoleRepr>,
    action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource_id: Option<String>,
    outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    completed_at: Option<Timestamp>,
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = &self.new;
        EventRepr {
            id: self.id,
            at: e.at,
            organization: e.organization,
            user: match e.actor {
                Actor::User(user) => Some(user),
                Actor::System => None,
            },
            role: e.role.as_ref().map(|(id, name)| RoleRepr {
                id: *id,
                name: name.as_str().to_owned(),
            }),
            action: e.action.as_str().to_owned(),
            resource_type: e.resource_type.as_ref().map(|t| t.as_str().to_owned()),
            resource_id: e.resource_id.as_ref().map(|t| t.as_str().to_owned()),
            outcome: e.outcome,
            reason: e.reason.as_ref().map(|r| r.as_str().to_owned()),
            completed_at: e.completed_at,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = EventRepr::deserialize(d)?;
        Ok(Self {
            id: r.id,
            new: NewEvent {
                at: r.at,
                organization: r.organization,
                actor: r.user.map_or(Actor::System, Actor::User),
                role: r.role.map(|role| (role.id, Text::from(role.name))),
                action: Text::from(r.action),
                resource_type: r.resource_type.map(Text::from),
                resource_id: r.resource_id.map(Text::from),
                outcome: r.outcome,
                reason: r.reason.map(Reason::from),
                completed_at: r.completed_at,
            },
        })
    }
}
