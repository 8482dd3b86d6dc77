//! What a subject may see: a filter over the resources of one type that
//! agrees with `can` on every resource ([semantics](crate::semantics) §16).
//!
//! [`Policy::filter`] (and [`Snapshot::filter`](crate::engine::Snapshot::filter)
//! by user id) turns what the subject's role grants for one permission (its
//! own rules, synced rules and built-in rules, exactly as compiled for
//! `can`) into a [`Filter`]: [`Nothing`](Filter::Nothing),
//! [`All`](Filter::All) of the subject's organization, or
//! [`Any`](Filter::Any) of a few [`Clause`]s over the resource's scoping
//! fields and attributes, with the subject's own values (customer, teams,
//! id) already put in. [`Filter::matches`] decides one resource as `can`
//! would; [`Filter::to_sql`] renders the filter as a SQL `WHERE` fragment
//! with bind parameters.
//!
//! # Examples
//!
//! ```
//! use rolegate::filter::Filter;
//! use rolegate::{Catalog, MustMatch, OrgId, Policy, Resource, ResourceId, Rule, Subject, TeamId, UserId, UserStatus};
//!
//! let catalog = Catalog::standard();
//! let org = OrgId::new(1);
//! let mut builder = Policy::builder(catalog.clone());
//! let editor = builder.create_role(org, "Marketing Editor", [Rule::builder(&catalog, "workflows", "update")
//!     .must_match(MustMatch::TEAM)
//!     .conditions(r#"status != "archived""#)
//!     .build()?])?;
//! let policy = builder.build();
//! let alice = Subject::new(UserId::new(7), org, editor, UserStatus::Active).with_team(TeamId::new(3));
//! let (workflows, update) = (catalog.resource_type("workflows")?, catalog.action("update")?);
//!
//! let filter = policy.filter(&alice, update, workflows);
//! let Filter::Any { clauses, .. } = &filter else { return Err("a predicate".into()) };
//! assert_eq!(clauses.len(), 1);
//! let status = catalog.attribute("status")?;
//! let draft = Resource::new(workflows, ResourceId::new(1), org).with_team(TeamId::new(3)).with_attribute(status, "draft");
//! let archived = draft.clone().with_attribute(status, "archived");
//! assert!(filter.matches(&draft) && policy.can(&alice, update, &draft));
//! assert!(!filter.matches(&archived) && !policy.can(&alice, update, &archived));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod sql;

pub use sql::{Columns, Dialect, SqlError, SqlFilter, SqlValue};

use crate::catalog::AttrType;
use crate::condition::SubjectField;
use crate::evaluate::{AttributeValue, Principal, Resource, UserStatus};
use crate::id::{ActionId, AttributeId, CustomerId, OrgId, ResourceTypeId, TeamId, UserId};
use crate::policy::Policy;
use crate::policy::program::{Check, EQUAL, GREATER, LESS, Test as Compiled};
use crate::rule::MustMatch;

/// The resources of one type a subject may act on with one action.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Filter {
    /// None: the subject is inactive, the action does not apply to the
    /// type, the role is unknown, or no rule can allow it.
    Nothing,
    /// Every resource of the type in the organization.
    All {
        /// The resource type.
        resource_type: ResourceTypeId,
        /// The subject's organization.
        organization: OrgId,
    },
    /// The resources of the type in the organization that match at least
    /// one of the clauses (never empty, none of them always true).
    Any {
        /// The resource type.
        resource_type: ResourceTypeId,
        /// The subject's organization.
        organization: OrgId,
        /// One clause per rule that can still allow, in rule order.
        clauses: Vec<Clause>,
    },
}

/// One rule of the role, with the subject's values put in: every part must
/// hold for the rule to allow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Clause {
    /// The resource's customer must be this one (must-match `customer`).
    pub customer: Option<CustomerId>,
    /// The resource's team must be one of these, never empty (must-match
    /// `team`).
    pub teams: Option<Vec<TeamId>>,
    /// The resource's owner must be this user (must-match `owner`).
    pub owner: Option<UserId>,
    /// The rule's conditions, in order.
    pub tests: Vec<Test>,
}

/// One condition: an attribute compared with a value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Test {
    /// The resource attribute compared.
    pub attribute: AttributeId,
    /// The comparison.
    pub comparison: Comparison,
}

/// A comparison of an attribute. A resource without the attribute, or with
/// a value of another type than the comparison's, fails every comparison,
/// `Ne` and `NotIn` included ([semantics](crate::semantics) §4.4).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Comparison {
    /// Equal to the value.
    Eq(Value),
    /// Of the value's type and different from it.
    Ne(Value),
    /// Less than the value (strings in byte order).
    Lt(Value),
    /// At most the value.
    Le(Value),
    /// More than the value.
    Gt(Value),
    /// At least the value.
    Ge(Value),
    /// One of the values, all of type `ty` (sorted, without duplicates).
    In {
        /// The values' type: the attribute's declared type.
        ty: AttrType,
        /// The values.
        values: Vec<Value>,
    },
    /// Of type `ty` and none of the values.
    NotIn {
        /// The values' type: the attribute's declared type.
        ty: AttrType,
        /// The values.
        values: Vec<Value>,
    },
}

/// A value a filter compares with.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Value {
    /// A string.
    String(Box<str>),
    /// An integer.
    Integer(i64),
    /// A boolean.
    Boolean(bool),
    /// A user id (`subject.id`).
    User(UserId),
    /// An organization id (`subject.organization`).
    Organization(OrgId),
    /// A customer id (`subject.customer`).
    Customer(CustomerId),
}

impl Value {
    /// The attribute type of values like this one.
    #[must_use]
    pub const fn attr_type(&self) -> AttrType {
        match self {
            Self::String(_) => AttrType::String,
            Self::Integer(_) => AttrType::Integer,
            Self::Boolean(_) => AttrType::Boolean,
            Self::User(_) => AttrType::User,
            Self::Organization(_) => AttrType::Organization,
            Self::Customer(_) => AttrType::Customer,
        }
    }

    /// This value compared with a resource's, if the two are of one type.
    fn cmp_with(&self, value: AttributeValue<'_>) -> Option<core::cmp::Ordering> {
        Some(match (value, self) {
            (AttributeValue::String(v), Self::String(x)) => v.cmp(&**x),
            (AttributeValue::Integer(v), Self::Integer(x)) => v.cmp(x),
            (AttributeValue::Boolean(v), Self::Boolean(x)) => v.cmp(x),
            (AttributeValue::User(v), Self::User(x)) => v.cmp(x),
            (AttributeValue::Organization(v), Self::Organization(x)) => v.cmp(x),
            (AttributeValue::Customer(v), Self::Customer(x)) => v.cmp(x),
            _ => return None,
        })
    }
}

impl Comparison {
    /// Whether a resource's value (`None` when it has none) passes.
    #[must_use]
    pub fn holds(&self, value: Option<AttributeValue<'_>>) -> bool {
        use core::cmp::Ordering::{Equal, Greater, Less};
        let Some(value) = value else {
            return false;
        };
        let order = |x: &Value| x.cmp_with(value);
        match self {
            Self::Eq(x) => order(x) == Some(Equal),
            Self::Ne(x) => matches!(order(x), Some(Less | Greater)),
            Self::Lt(x) => order(x) == Some(Less),
            Self::Le(x) => matches!(order(x), Some(Less | Equal)),
            Self::Gt(x) => order(x) == Some(Greater),
            Self::Ge(x) => matches!(order(x), Some(Greater | Equal)),
            Self::In { ty, values } => {
                value.attr_type() == *ty && values.iter().any(|x| order(x) == Some(Equal))
            }
            Self::NotIn { ty, values } => {
                value.attr_type() == *ty && values.iter().all(|x| order(x) != Some(Equal))
            }
        }
    }
}

impl Clause {
    /// Whether `resource` passes every part of the clause.
    #[must_use]
    pub fn matches(&self, resource: &Resource<'_>) -> bool {
        self.customer.is_none_or(|c| resource.customer() == Some(c))
            && self
                .teams
                .as_ref()
                .is_none_or(|teams| resource.team().is_some_and(|t| teams.contains(&t)))
            && self.owner.is_none_or(|o| resource.owner() == Some(o))
            && self
                .tests
                .iter()
                .all(|t| t.comparison.holds(resource.attribute(t.attribute)))
    }

    /// Whether the clause holds for every resource.
    fn is_always(&self) -> bool {
        self.customer.is_none()
            && self.teams.is_none()
            && self.owner.is_none()
            && self.tests.is_empty()
    }
}

impl Filter {
    /// Whether `resource` passes the filter: what `can` answers for the
    /// subject, action and resource the filter was built for.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let viewer = Subject::new(UserId::new(1), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Active);
    /// let workflows = catalog.resource_type("workflows")?;
    /// let read = policy.filter(&viewer, catalog.action("read")?, workflows);
    /// assert!(read.matches(&Resource::new(workflows, ResourceId::new(1), OrgId::new(1))));
    /// assert!(!read.matches(&Resource::new(workflows, ResourceId::new(1), OrgId::new(2))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn matches(&self, resource: &Resource<'_>) -> bool {
        match self {
            Self::Nothing => false,
            Self::All {
                resource_type,
                organization,
            } => {
                resource.resource_type() == *resource_type
                    && resource.organization() == *organization
            }
            Self::Any {
                resource_type,
                organization,
                clauses,
            } => {
                resource.resource_type() == *resource_type
                    && resource.organization() == *organization
                    && clauses.iter().any(|c| c.matches(resource))
            }
        }
    }
}

impl Policy {
    /// The resources of type `resource_type` that `subject` may act on with
    /// `action`, as a filter that agrees with [`can`](Self::can) on every
    /// resource ([semantics](crate::semantics) §16).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::filter::Filter;
    /// use rolegate::{Catalog, OrgId, Policy, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let viewer = Subject::new(UserId::new(1), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Active);
    /// let workflows = catalog.resource_type("workflows")?;
    /// assert!(matches!(policy.filter(&viewer, catalog.action("read")?, workflows), Filter::All { .. }));
    /// assert_eq!(policy.filter(&viewer, catalog.action("delete")?, workflows), Filter::Nothing);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn filter(
        &self,
        subject: &crate::Subject,
        action: ActionId,
        resource_type: ResourceTypeId,
    ) -> Filter {
        self.filter_for(subject, action, resource_type)
    }

    /// [`filter`](Self::filter) on a subject as the evaluator reads it.
    pub(crate) fn filter_for<S: Principal + ?Sized>(
        &self,
        subject: &S,
        action: ActionId,
        resource_type: ResourceTypeId,
    ) -> Filter {
        if subject.status() != UserStatus::Active {
            return Filter::Nothing;
        }
        let Some(permission) = self.lookup(resource_type, action) else {
            return Filter::Nothing;
        };
        let Some(role) = self.entry(subject.role()).map(|e| &e.compiled) else {
            return Filter::Nothing;
        };
        if role
            .organization
            .is_some_and(|org| org != subject.organization())
        {
            return Filter::Nothing;
        }
        let organization = subject.organization();
        let mut clauses = Vec::new();
        for grant in role.grants_for(permission) {
            let Some(tests) = role.tests_in(grant.tests) else {
                continue;
            };
            let Some(clause) = clause(grant.must_match, tests, subject) else {
                continue;
            };
            if clause.is_always() {
                return Filter::All {
                    resource_type,
                    organization,
                };
            }
            clauses.push(clause);
        }
        if clauses.is_empty() {
            Filter::Nothing
        } else {
            Filter::Any {
                resource_type,
                organization,
                clauses,
            }
        }
    }
}

/// A compiled grant as a clause for `subject`; `None` when it can allow
/// nothing for them (a must-match key they lack, a comparison with a
/// customer they do not have).
fn clause<S: Principal + ?Sized>(
    needs: MustMatch,
    tests: &[Compiled],
    subject: &S,
) -> Option<Clause> {
    let mut clause = Clause::default();
    if needs.contains(MustMatch::CUSTOMER) {
        clause.customer = Some(subject.customer()?);
    }
    if needs.contains(MustMatch::TEAM) {
        let teams = subject.teams();
        if teams.is_empty() {
            return None;
        }
        clause.teams = Some(teams.to_vec());
    }
    if needs.contains(MustMatch::OWNER) {
        clause.owner = Some(subject.id());
    }
    for test in tests {
        clause.tests.push(Test {
            attribute: test.attribute,
            comparison: comparison(&test.check, subject)?,
        });
    }
    Some(clause)
}

/// A compiled check as a comparison, with the subject's fields put in.
fn comparison<S: Principal + ?Sized>(check: &Check, subject: &S) -> Option<Comparison> {
    let ordered = |accept: u8, value: Value| match accept {
        EQUAL => Comparison::Eq(value),
        a if a == LESS | GREATER => Comparison::Ne(value),
        LESS => Comparison::Lt(value),
        a if a == LESS | EQUAL => Comparison::Le(value),
        GREATER => Comparison::Gt(value),
        _ => Comparison::Ge(value),
    };
    let equality = |equal: bool, value: Value| {
        if equal {
            Comparison::Eq(value)
        } else {
            Comparison::Ne(value)
        }
    };
    let list = |negate: bool, ty: AttrType, values: Vec<Value>| {
        if negate {
            Comparison::NotIn { ty, values }
        } else {
            Comparison::In { ty, values }
        }
    };
    Some(match check {
        Check::StrEq { equal, value } => equality(*equal, Value::String(value.clone())),
        Check::Str { accept, value } => ordered(*accept, Value::String(value.clone())),
        Check::Int { accept, value } => ordered(*accept, Value::Integer(*value)),
        Check::Bool { equal, value } => equality(*equal, Value::Boolean(*value)),
        Check::StrIn { negate, values } => list(
            *negate,
            AttrType::String,
            values.iter().map(|v| Value::String(v.clone())).collect(),
        ),
        Check::IntIn { negate, values } => list(
            *negate,
            AttrType::Integer,
            values.iter().map(|&v| Value::Integer(v)).collect(),
        ),
        // Sorted and without duplicates when compiled, as every list is.
        Check::BoolIn { negate, values } => list(
            *negate,
            AttrType::Boolean,
            values.iter().map(|&v| Value::Boolean(v)).collect(),
        ),
        Check::Subject { equal, field } => equality(
            *equal,
            match field {
                SubjectField::Id => Value::User(subject.id()),
                SubjectField::Organization => Value::Organization(subject.organization()),
                // Without a customer, the comparison fails either way.
                SubjectField::Customer => Value::Customer(subject.customer()?),
            },
        ),
    })
}
