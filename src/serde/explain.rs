//! serde for explanations: a decision as JSON, a denial with its stable
//! reason code and the values it names, ids as numbers.
//!
//! ```json
//! {"decision": "denied", "code": "no_rule", "role": 4, "permission": 17}
//! ```
//!
//! Reading checks the code against [`Denial::CODES`], that every field the
//! code needs is there and no other, and that the failures of failed rules
//! give the code written beside them.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::evaluate::{Denial, Explanation, RuleFailure, UserStatus};
use crate::id::{ActionId, AttributeId, OrgId, PermissionId, ResourceTypeId, RoleId, UserId};
use crate::policy::{RuleRef, RuleSource};
use crate::rule::MustMatch;
use crate::text::excerpt;

macro_rules! as_index {
    ($($name:ty),*) => {$(
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u64(self.index() as u64)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let n = u64::deserialize(d)?;
                usize::try_from(n).ok().and_then(<$name>::new).ok_or_else(|| {
                    D::Error::custom(format!(concat!(stringify!($name), " {} is out of range"), n))
                })
            }
        }
    )*};
}

as_index!(ResourceTypeId, ActionId, PermissionId, AttributeId);

impl Serialize for RuleSource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            Self::Role => "role",
            Self::BuiltIn => "built_in",
        })
    }
}

impl<'de> Deserialize<'de> for RuleSource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match text.as_str() {
            "role" => Ok(Self::Role),
            "built_in" => Ok(Self::BuiltIn),
            other => Err(D::Error::custom(format!(
                "unknown rule source {:?}: expected role or built_in",
                excerpt(other)
            ))),
        }
    }
}

/// `{"source": "role", "index": 2}`, with `"synced_to"` when the rule
/// applied through a sync.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleRefRepr {
    source: RuleSource,
    index: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    synced_to: Option<ResourceTypeId>,
}

impl Serialize for RuleRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RuleRefRepr {
            source: self.source,
            index: self.index,
            synced_to: self.synced_to,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for RuleRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = RuleRefRepr::deserialize(d)?;
        Ok(Self {
            source: r.source,
            index: r.index,
            synced_to: r.synced_to,
        })
    }
}

/// `{"code": "must_match.team", "rule": {..}}` or
/// `{"code": "condition", "rule": {..}, "index": 0}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FailureRepr {
    code: String,
    rule: RuleRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

impl Serialize for RuleFailure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let index = match self {
            Self::Condition { index, .. } => Some(*index),
            Self::MustMatch { .. } => None,
        };
        FailureRepr {
            code: self.code().to_owned(),
            rule: self.rule(),
            index,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for RuleFailure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = FailureRepr::deserialize(d)?;
        let key = r.code.strip_prefix("must_match.").and_then(|name| {
            MustMatch::KEYS
                .iter()
                .find(|&&(_, n)| n == name)
                .map(|&(key, _)| key)
        });
        match (r.code.as_str(), key, r.index) {
            ("condition", _, Some(index)) => Ok(Self::Condition {
                rule: r.rule,
                index,
            }),
            ("condition", _, None) => Err(D::Error::custom(
                "a rule failure `condition` needs `index`, the condition's place in the rule",
            )),
            (_, Some(key), None) => Ok(Self::MustMatch { rule: r.rule, key }),
            (_, Some(_), Some(_)) => Err(D::Error::custom(format!(
                "field `index` does not belong to a rule failure `{}`",
                r.code
            ))),
            (other, None, _) => Err(D::Error::custom(format!(
                "unknown rule failure code {:?}: expected condition or must_match.<key>",
                excerpt(other)
            ))),
        }
    }
}

/// A denial, or a whole explanation, as one object: the code and the
/// fields it names. `decision` is written for an explanation only.
#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Repr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<UserStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<OrgId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource: Option<OrgId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource_type: Option<ResourceTypeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    action: Option<ActionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<RoleId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization: Option<OrgId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    permission: Option<PermissionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rule: Option<RuleRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    failures: Option<Vec<RuleFailure>>,
}

impl Repr {
    fn of_denial(denial: &Denial) -> Self {
        let mut r = Self {
            code: Some(denial.code().to_owned()),
            ..Self::default()
        };
        match denial {
            Denial::UnknownUser { user } => r.user = Some(*user),
            Denial::Inactive { status } => r.status = Some(*status),
            Denial::OtherOrganization { subject, resource } => {
                r.subject = Some(*subject);
                r.resource = Some(*resource);
            }
            Denial::NotApplicable {
                resource_type,
                action,
            } => {
                r.resource_type = Some(*resource_type);
                r.action = Some(*action);
            }
            Denial::UnknownRole { role } => r.role = Some(*role),
            Denial::RoleOfOtherOrganization { role, organization } => {
                r.role = Some(*role);
                r.organization = Some(*organization);
            }
            Denial::NoRule { role, permission } => {
                r.role = Some(*role);
                r.permission = Some(*permission);
            }
            Denial::RulesFailed {
                role,
                permission,
                failures,
            } => {
                r.role = Some(*role);
                r.permission = Some(*permission);
                r.failures = Some(failures.clone());
            }
        }
        r
    }

    /// The denial this object describes, or what is wrong with it.
    fn into_denial(mut self) -> Result<Denial, String> {
        let code = take(&mut self.code, "code", "a denial")?;
        let what = format!("a denial `{code}`");
        let denial = match code.as_str() {
            "unknown_user" => Denial::UnknownUser {
                user: take(&mut self.user, "user", &what)?,
            },
            "inactive" => Denial::Inactive {
                status: take(&mut self.status, "status", &what)?,
            },
            "other_organization" => Denial::OtherOrganization {
                subject: take(&mut self.subject, "subject", &what)?,
                resource: take(&mut self.resource, "resource", &what)?,
            },
            "not_applicable" => Denial::NotApplicable {
                resource_type: take(&mut self.resource_type, "resource_type", &what)?,
                action: take(&mut self.action, "action", &what)?,
            },
            "unknown_role" => Denial::UnknownRole {
                role: take(&mut self.role, "role", &what)?,
            },
            "role_of_other_organization" => Denial::RoleOfOtherOrganization {
                role: take(&mut self.role, "role", &what)?,
                organization: take(&mut self.organization, "organization", &what)?,
            },
            "no_rule" => Denial::NoRule {
                role: take(&mut self.role, "role", &what)?,
                permission: take(&mut self.permission, "permission", &what)?,
            },
            code if Denial::CODES.contains(&code) => {
                let failed = Denial::RulesFailed {
                    role: take(&mut self.role, "role", &what)?,
                    permission: take(&mut self.permission, "permission", &what)?,
                    failures: take(&mut self.failures, "failures", &what)?,
                };
                if matches!(&failed, Denial::RulesFailed { failures, .. } if failures.is_empty()) {
                    return Err(format!("{what} needs at least one failure in `failures`"));
                }
                // The code is worked out from the failures: one written
                // beside them must be the one they give.
                if failed.code() != code {
                    return Err(format!(
                        "the failures of {what} give the code `{}`",
                        failed.code()
                    ));
                }
                failed
            }
            other => {
                return Err(format!(
                    "unknown reason code {:?}: expected one of {}",
                    excerpt(other),
                    Denial::CODES.join(", ")
                ));
            }
        };
        self.nothing_else(&what)?;
        Ok(denial)
    }

    /// Refuses a field left over: one the code does not name.
    fn nothing_else(&self, what: &str) -> Result<(), String> {
        let left = [
            ("decision", self.decision.is_some()),
            ("code", self.code.is_some()),
            ("user", self.user.is_some()),
            ("status", self.status.is_some()),
            ("subject", self.subject.is_some()),
            ("resource", self.resource.is_some()),
            ("resource_type", self.resource_type.is_some()),
            ("action", self.action.is_some()),
            ("role", self.role.is_some()),
            ("organization", self.organization.is_some()),
            ("permission", self.permission.is_some()),
            ("rule", self.rule.is_some()),
            ("failures", self.failures.is_some()),
        ];
        match left.iter().find(|(_, there)| *there) {
            Some((field, _)) => Err(format!("field `{field}` does not belong to {what}")),
            None => Ok(()),
        }
    }
}

/// The value of a field `what` needs, taken out of the object.
fn take<T>(field: &mut Option<T>, name: &str, what: &str) -> Result<T, String> {
    field
        .take()
        .ok_or_else(|| format!("{what} needs the field `{name}`"))
}

/// `{"code": "no_rule", "role": 4, "permission": 17}`: the reason code and
/// the values the denial names.
impl Serialize for Denial {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Repr::of_denial(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Denial {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Repr::deserialize(d)?
            .into_denial()
            .map_err(D::Error::custom)
    }
}

/// `{"decision": "allowed", "role": 1, "permission": 17, "rule": {..}}`,
/// or `{"decision": "denied"}` with the denial's fields.
impl Serialize for Explanation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let repr = match self {
            Self::Allowed {
                role,
                permission,
                rule,
            } => Repr {
                decision: Some("allowed".to_owned()),
                role: Some(*role),
                permission: Some(*permission),
                rule: Some(*rule),
                ..Repr::default()
            },
            Self::Denied(denial) => Repr {
                decision: Some("denied".to_owned()),
                ..Repr::of_denial(denial)
            },
        };
        repr.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Explanation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut repr = Repr::deserialize(d)?;
        let decision =
            take(&mut repr.decision, "decision", "an explanation").map_err(D::Error::custom)?;
        match decision.as_str() {
            "allowed" => {
                let what = "an allowed explanation";
                let allowed = (|| {
                    let explanation = Self::Allowed {
                        role: take(&mut repr.role, "role", what)?,
                        permission: take(&mut repr.permission, "permission", what)?,
                        rule: take(&mut repr.rule, "rule", what)?,
                    };
                    repr.nothing_else(what)?;
                    Ok::<_, String>(explanation)
                })();
                allowed.map_err(D::Error::custom)
            }
            "denied" => repr
                .into_denial()
                .map(Self::Denied)
                .map_err(D::Error::custom),
            other => Err(D::Error::custom(format!(
                "unknown decision {:?}: expected allowed or denied",
                excerpt(other)
            ))),
        }
    }
}
