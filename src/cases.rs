//! Decision tests as data (feature `serde`): a file of cases, each a
//! subject, an action, a resource and the decision expected, run against a
//! policy from `cargo test`, every mismatch reported with its explanation
//! ([semantics](crate::semantics) §6).
//!
//! # The format
//!
//! A JSON object with `"version": 1` and a list of cases:
//!
//! ```json
//! {
//!   "version": 1,
//!   "cases": [
//!     {
//!       "name": "a Marketing Editor updates a draft of their team",
//!       "subject": { "role": "Marketing Editor", "organization": 1, "teams": [5] },
//!       "action": "update",
//!       "resource": { "type": "workflows", "team": 5, "attributes": { "status": "draft" } },
//!       "expect": "allow"
//!     },
//!     {
//!       "name": "a Viewer cannot delete",
//!       "subject": { "role": "Viewer", "organization": 1 },
//!       "action": "delete",
//!       "resource": { "type": "workflows" },
//!       "expect": "deny",
//!       "code": "no_rule"
//!     }
//!   ]
//! }
//! ```
//!
//! - `subject`: `role` by name (a system role, or a custom role of the
//!   subject's organization in the policy), `organization`; optional `id`
//!   (default 1), `customer`, `teams` (default none) and `status` (default
//!   `active`).
//! - `action`: an action name of the catalog.
//! - `resource`: `type`, a resource type of the catalog; optional `id`
//!   (default 1), `organization` (default the subject's), `customer`,
//!   `team`, `owner` and `attributes`, each declared on the type, with a
//!   JSON value of the attribute's type (a string, an integer, a boolean, or
//!   the id of a user, an organization or a customer).
//! - `expect`: `allow` or `deny`; with `deny`, an optional `code`, one of
//!   [`Denial::CODES`], that the denial must carry.
//! - `name`: optional, for the report.
//!
//! Names, fields and values are resolved against the policy when the file
//! is read: an unknown role, action, resource type or attribute, a value
//! of the wrong type, an unknown code or field is refused with the case and
//! the field named (`cases[3].resource.attributes.status: ...`), so that a
//! typing mistake is never a case that silently tests nothing. For the same
//! reason an action that does not apply to the type is refused unless the
//! case expects exactly that (`"code": "not_applicable"`), and a file with
//! no cases is refused.
//!
//! # Examples
//!
//! In a host's tests, with the case file beside them:
//!
//! ```
//! use rolegate::{cases, Catalog, Policy};
//!
//! let policy = Policy::new(Catalog::standard());
//! let report = cases::run(&policy, r#"{"version": 1, "cases": [
//!     {"subject": {"role": "Developer", "organization": 1}, "action": "execute",
//!      "resource": {"type": "workflows"}, "expect": "allow"},
//!     {"subject": {"role": "Viewer", "organization": 1}, "action": "execute",
//!      "resource": {"type": "workflows", "organization": 2}, "expect": "deny", "code": "other_organization"}
//! ]}"#)?;
//! // `assert!(report.passed(), "{report}")` prints every mismatch with its explanation.
//! assert!(report.passed(), "{report}");
//! assert_eq!(report.to_string(), "2 of 2 cases pass");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::catalog::AttrType;
use crate::document::DocumentError;
use crate::evaluate::{AttributeValue, Denial, Resource, Subject, UserStatus};
use crate::id::{
    ActionId, AttributeId, CustomerId, OrgId, ResourceId, ResourceTypeId, TeamId, UserId,
};
use crate::policy::Policy;
use crate::text::excerpt;

/// Why a case file could not be read.
///
/// # Examples
///
/// ```
/// use rolegate::cases::{self, CaseError};
/// use rolegate::{Catalog, Policy};
///
/// let policy = Policy::new(Catalog::standard());
/// let text = r#"{"version": 1, "cases": [{"subject": {"role": "Viewr", "organization": 1},
///     "action": "read", "resource": {"type": "workflows"}, "expect": "allow"}]}"#;
/// let err = cases::run(&policy, text).unwrap_err();
/// assert!(matches!(err, CaseError::Case { index: 0, .. }));
/// assert_eq!(err.to_string(), r#"cases[0].subject.role: no role named "Viewr" in organization 1"#);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// The text is not a case file: too long, not JSON, a missing or
    /// unknown field, another version.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// The file has no cases: it would pass while testing nothing.
    #[error("cases: the file has no cases, so it would pass while testing nothing")]
    NoCases,
    /// A case names something the policy does not have, or a value of the
    /// wrong type.
    #[error("cases[{index}].{field}: {message}")]
    Case {
        /// The case, from 0.
        index: usize,
        /// The field, as a path inside the case: `subject.role`,
        /// `resource.attributes.status`.
        field: String,
        /// What is wrong.
        message: String,
    },
}

/// The outcome of a case file: how many cases passed, and each that did not.
///
/// Its `Display` is the report: a line of counts, then one line per
/// mismatch with the case, what was expected and the explanation of what
/// the check decided.
///
/// # Examples
///
/// ```
/// use rolegate::{cases, Catalog, Policy};
///
/// let policy = Policy::new(Catalog::standard());
/// let report = cases::run(&policy, r#"{"version": 1, "cases": [{"name": "viewers delete",
///     "subject": {"role": "Viewer", "organization": 1}, "action": "delete",
///     "resource": {"type": "workflows"}, "expect": "allow"}]}"#)?;
/// assert!(!report.passed());
/// assert_eq!(
///     report.to_string(),
///     "0 of 1 cases pass\n\
///      case 0 `viewers delete`: expected allow, got denied: Viewer has no rule for workflows.delete (code no_rule)"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    total: usize,
    mismatches: Vec<Mismatch>,
}

/// A case whose decision was not the one expected.
///
/// # Examples
///
/// ```
/// use rolegate::{cases, Catalog, Policy};
///
/// let policy = Policy::new(Catalog::standard());
/// let report = cases::run(&policy, r#"{"version": 1, "cases": [{
///     "subject": {"role": "Owner", "organization": 1}, "action": "delete",
///     "resource": {"type": "workflows"}, "expect": "deny"}]}"#)?;
/// let mismatch = &report.mismatches()[0];
/// assert_eq!((mismatch.index, mismatch.code), (0, None));
/// assert!(mismatch.explanation.starts_with("allowed: Owner grants workflows.delete"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mismatch {
    /// The case, from 0.
    pub index: usize,
    /// The case's name, if it has one.
    pub name: Option<String>,
    /// What the case expected: `allow`, `deny`, or `deny` with a code.
    pub expected: String,
    /// The explanation of the decision, in words.
    pub explanation: String,
    /// The denial's reason code; `None` when the check allowed.
    pub code: Option<&'static str>,
}

impl Report {
    /// Whether every case passed.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{cases, Catalog, Policy};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let one = r#"{"version": 1, "cases": [{"subject": {"role": "Viewer", "organization": 1},
    ///     "action": "read", "resource": {"type": "workflows"}, "expect": "allow"}]}"#;
    /// assert!(cases::run(&policy, one)?.passed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }

    /// The number of cases run.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{cases, Catalog, Policy};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let one = r#"{"version": 1, "cases": [{"subject": {"role": "Viewer", "organization": 1},
    ///     "action": "read", "resource": {"type": "workflows"}, "expect": "allow"}]}"#;
    /// assert_eq!(cases::run(&policy, one)?.total(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn total(&self) -> usize {
        self.total
    }

    /// The cases whose decision was not the one expected, in file order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{cases, Catalog, Policy};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let one = r#"{"version": 1, "cases": [{"subject": {"role": "Viewer", "organization": 1},
    ///     "action": "read", "resource": {"type": "workflows"}, "expect": "allow"}]}"#;
    /// assert!(cases::run(&policy, one)?.mismatches().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn mismatches(&self) -> &[Mismatch] {
        &self.mismatches
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let passing = self.total - self.mismatches.len();
        write!(f, "{passing} of {} cases pass", self.total)?;
        for m in &self.mismatches {
            write!(f, "\ncase {}", m.index)?;
            if let Some(name) = &m.name {
                write!(f, " `{name}`")?;
            }
            write!(f, ": expected {}, got {}", m.expected, m.explanation)?;
            if let Some(code) = m.code {
                write!(f, " (code {code})")?;
            }
        }
        Ok(())
    }
}

/// Reads the case file `text`, resolves it against `policy` and runs every
/// case through [`Policy::explain`], which always agrees with
/// [`Policy::can`]. For an engine's state, pass
/// [`Snapshot::policy`](crate::Snapshot::policy).
///
/// # Errors
///
/// [`CaseError`] when the text is not a case file of this version or a case
/// names what the policy does not have; the cases are then not run.
///
/// # Examples
///
/// ```
/// use rolegate::{cases, Catalog, Policy};
///
/// let policy = Policy::new(Catalog::standard());
/// let report = cases::run(&policy, r#"{"version": 1, "cases": [{
///     "subject": {"role": "End User", "organization": 1, "id": 7, "customer": 30},
///     "action": "read",
///     "resource": {"type": "connections", "customer": 30, "owner": 8},
///     "expect": "deny", "code": "must_match.owner"}]}"#)?;
/// assert!(report.passed(), "{report}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run(policy: &Policy, text: &str) -> Result<Report, CaseError> {
    let file: File = crate::document::json::parse(text)?;
    if file.cases.is_empty() {
        return Err(CaseError::NoCases);
    }
    let cases = file
        .cases
        .into_iter()
        .enumerate()
        .map(|(index, case)| {
            resolve(policy, case).map_err(|(field, message)| CaseError::Case {
                index,
                field,
                message,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mismatches = cases
        .iter()
        .enumerate()
        .filter_map(|(index, case)| case.mismatch(policy, index))
        .collect();
    Ok(Report {
        total: cases.len(),
        mismatches,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(
        dead_code,
        reason = "checked by the version probe and kept in the format"
    )]
    version: u64,
    cases: Vec<CaseText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseText {
    #[serde(default)]
    name: Option<String>,
    subject: SubjectText,
    action: String,
    resource: ResourceText,
    expect: Expect,
    #[serde(default)]
    code: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectText {
    role: String,
    organization: OrgId,
    #[serde(default)]
    id: Option<UserId>,
    #[serde(default)]
    customer: Option<CustomerId>,
    #[serde(default)]
    teams: Vec<TeamId>,
    #[serde(default)]
    status: Option<UserStatus>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResourceText {
    #[serde(rename = "type")]
    resource_type: String,
    #[serde(default)]
    id: Option<ResourceId>,
    #[serde(default)]
    organization: Option<OrgId>,
    #[serde(default)]
    customer: Option<CustomerId>,
    #[serde(default)]
    team: Option<TeamId>,
    #[serde(default)]
    owner: Option<UserId>,
    #[serde(default)]
    attributes: BTreeMap<String, serde_json::Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Expect {
    Allow,
    Deny,
}

/// An attribute value of a case, owned.
#[derive(Debug)]
enum Value {
    String(String),
    Integer(i64),
    Boolean(bool),
    User(UserId),
    Organization(OrgId),
    Customer(CustomerId),
}

impl Value {
    fn borrowed(&self) -> AttributeValue<'_> {
        match self {
            Self::String(s) => AttributeValue::String(s),
            Self::Integer(i) => AttributeValue::Integer(*i),
            Self::Boolean(b) => AttributeValue::Boolean(*b),
            Self::User(u) => AttributeValue::User(*u),
            Self::Organization(o) => AttributeValue::Organization(*o),
            Self::Customer(c) => AttributeValue::Customer(*c),
        }
    }
}

/// A case resolved against a policy.
#[derive(Debug)]
struct Case {
    name: Option<String>,
    subject: Subject,
    action: ActionId,
    resource_type: ResourceTypeId,
    id: ResourceId,
    organization: OrgId,
    customer: Option<CustomerId>,
    team: Option<TeamId>,
    owner: Option<UserId>,
    attributes: Vec<(AttributeId, Value)>,
    expect: Expect,
    code: Option<&'static str>,
}

/// The field that is wrong and what is wrong with it.
type Problem = (String, String);

fn problem(field: &str, message: String) -> Problem {
    (field.to_owned(), message)
}

fn resolve(policy: &Policy, case: CaseText) -> Result<Case, Problem> {
    let catalog = policy.catalog();
    let s = case.subject;
    let role = policy.role_named(s.organization, &s.role).ok_or_else(|| {
        problem(
            "subject.role",
            format!(
                "no role named {:?} in organization {}",
                excerpt(&s.role),
                s.organization.get()
            ),
        )
    })?;
    let mut subject = Subject::new(
        s.id.unwrap_or(UserId::new(1)),
        s.organization,
        role,
        s.status.unwrap_or(UserStatus::Active),
    )
    .with_teams(s.teams);
    if let Some(customer) = s.customer {
        subject = subject.with_customer(customer);
    }
    let action = catalog
        .action(&case.action)
        .map_err(|e| problem("action", e.to_string()))?;
    let r = case.resource;
    let resource_type = catalog
        .resource_type(&r.resource_type)
        .map_err(|e| problem("resource.type", e.to_string()))?;
    // A pair that does not apply denies for every role: a case on one
    // tests nothing unless it says that is what it tests.
    let not_applicable = !catalog.is_applicable(resource_type, action);
    if not_applicable && case.code.as_deref() != Some("not_applicable") {
        return Err(problem(
            "action",
            format!(
                "action {:?} does not apply to {}; a case on it is a deny with \"code\": \"not_applicable\"",
                excerpt(&case.action),
                r.resource_type
            ),
        ));
    }
    let attributes = r
        .attributes
        .iter()
        .map(|(name, value)| {
            let field = format!("resource.attributes.{}", excerpt(name));
            let attribute = catalog
                .attribute(name)
                .map_err(|e| (field.clone(), e.to_string()))?;
            let ty = catalog
                .attribute_type(resource_type, attribute)
                .ok_or_else(|| {
                    (
                        field.clone(),
                        format!(
                            "attribute {} is not declared on {}",
                            excerpt(name),
                            r.resource_type
                        ),
                    )
                })?;
            let value = typed(ty, value).ok_or_else(|| {
                (
                    field.clone(),
                    format!("expected a value of type {}", ty.name()),
                )
            })?;
            Ok((attribute, value))
        })
        .collect::<Result<Vec<_>, Problem>>()?;
    let code = match (case.expect, case.code) {
        (_, None) => None,
        (Expect::Allow, Some(_)) => {
            return Err(problem(
                "code",
                "a reason code goes with `\"expect\": \"deny\"` only".to_owned(),
            ));
        }
        (Expect::Deny, Some(code)) => Some(
            Denial::CODES
                .iter()
                .copied()
                .find(|c| *c == code)
                .ok_or_else(|| {
                    problem(
                        "code",
                        format!(
                            "unknown reason code {:?}: expected one of {}",
                            excerpt(&code),
                            Denial::CODES.join(", ")
                        ),
                    )
                })?,
        ),
    };
    Ok(Case {
        name: case.name,
        subject,
        action,
        resource_type,
        id: r.id.unwrap_or(ResourceId::new(1)),
        organization: r.organization.unwrap_or(s.organization),
        customer: r.customer,
        team: r.team,
        owner: r.owner,
        attributes,
        expect: case.expect,
        code,
    })
}

/// `value` as an attribute of type `ty`, or `None` when it is of another
/// JSON type.
fn typed(ty: AttrType, value: &serde_json::Value) -> Option<Value> {
    Some(match ty {
        AttrType::String => Value::String(value.as_str()?.to_owned()),
        AttrType::Integer => Value::Integer(value.as_i64()?),
        AttrType::Boolean => Value::Boolean(value.as_bool()?),
        AttrType::User => Value::User(UserId::new(value.as_u64()?)),
        AttrType::Organization => Value::Organization(OrgId::new(value.as_u64()?)),
        AttrType::Customer => Value::Customer(CustomerId::new(value.as_u64()?)),
    })
}

impl Case {
    fn resource(&self) -> Resource<'_> {
        let mut r = Resource::new(self.resource_type, self.id, self.organization);
        if let Some(c) = self.customer {
            r = r.with_customer(c);
        }
        if let Some(t) = self.team {
            r = r.with_team(t);
        }
        if let Some(o) = self.owner {
            r = r.with_owner(o);
        }
        for (attribute, value) in &self.attributes {
            r = r.with_attribute(*attribute, value.borrowed());
        }
        r
    }

    /// What went wrong with this case, if anything.
    fn mismatch(&self, policy: &Policy, index: usize) -> Option<Mismatch> {
        let why = policy.explain(&self.subject, self.action, &self.resource());
        let code = why.denial().map(Denial::code);
        let ok = match self.expect {
            Expect::Allow => code.is_none(),
            Expect::Deny => code.is_some() && (self.code.is_none() || self.code == code),
        };
        if ok {
            return None;
        }
        let expected = match (self.expect, self.code) {
            (Expect::Allow, _) => "allow".to_owned(),
            (Expect::Deny, None) => "deny".to_owned(),
            (Expect::Deny, Some(code)) => format!("deny with code {code}"),
        };
        Some(Mismatch {
            index,
            name: self.name.clone(),
            expected,
            explanation: why.display(policy).to_string(),
            code,
        })
    }
}
