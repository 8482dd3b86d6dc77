//! Why a check was decided as it was: the granting rule, or the reason for a denial.

use core::fmt;

use crate::catalog::Catalog;
use crate::id::{ActionId, OrgId, PermissionId, ResourceTypeId, RoleId, UserId};
use crate::policy::{Policy, RuleRef, RuleSource};
use crate::role::Role;
use crate::rule::{MustMatch, Rule};

use super::request::UserStatus;

/// The decision of a check with its reason ([semantics](crate::semantics) §6).
///
/// [`Policy::explain`] returns it; it always agrees with [`Policy::can`].
/// Display it with names through [`Explanation::display`].
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Denial, Explanation, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
///
/// let policy = Policy::new(Catalog::standard());
/// let catalog = policy.catalog();
/// let owner = Subject::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id(), UserStatus::Active);
/// let elsewhere = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(5), OrgId::new(2));
///
/// let why = policy.explain(&owner, catalog.action("read")?, &elsewhere);
/// assert!(matches!(why, Explanation::Denied(Denial::OtherOrganization { .. })));
/// assert_eq!(
///     why.display(&policy).to_string(),
///     "denied: the resource belongs to organization 2, the subject to organization 1"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Explanation {
    /// A rule allowed the request.
    Allowed {
        /// The subject's role.
        role: RoleId,
        /// The permission the request needed.
        permission: PermissionId,
        /// The first rule of the role that allowed it.
        rule: RuleRef,
    },
    /// Nothing allowed the request.
    Denied(Denial),
}

impl Explanation {
    /// Whether the request was allowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let operator = Subject::new(UserId::new(4), OrgId::new(1), SystemRole::Operator.id(), UserStatus::Active);
    /// let agent = Resource::new(catalog.resource_type("agents")?, ResourceId::new(8), OrgId::new(1));
    /// assert!(policy.explain(&operator, catalog.action("execute")?, &agent).is_allowed());
    /// assert!(!policy.explain(&operator, catalog.action("delete")?, &agent).is_allowed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        matches!(self, Self::Allowed { .. })
    }

    /// The denial, if the request was denied.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Denial, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let invited = Subject::new(UserId::new(4), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Invited);
    /// let agent = Resource::new(catalog.resource_type("agents")?, ResourceId::new(8), OrgId::new(1));
    /// let why = policy.explain(&invited, catalog.action("read")?, &agent);
    /// assert_eq!(why.denial(), Some(&Denial::Inactive { status: UserStatus::Invited }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn denial(&self) -> Option<&Denial> {
        match self {
            Self::Allowed { .. } => None,
            Self::Denied(d) => Some(d),
        }
    }

    /// Displays the explanation with names from `policy`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let operator = Subject::new(UserId::new(4), OrgId::new(1), SystemRole::Operator.id(), UserStatus::Active);
    /// let agent = Resource::new(catalog.resource_type("agents")?, ResourceId::new(8), OrgId::new(1));
    /// let why = policy.explain(&operator, catalog.action("execute")?, &agent);
    /// assert_eq!(
    ///     why.display(&policy).to_string(),
    ///     "allowed: Operator grants agents.execute by rule 11 `agents.execute [organization]`"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn display<'a>(&'a self, policy: &'a Policy) -> ExplanationDisplay<'a> {
        ExplanationDisplay {
            explanation: self,
            names: Names::Policy(policy),
        }
    }

    /// The same display from the catalog and the subject's role alone, as
    /// they were when the check ran: what an audit event keeps.
    pub(crate) fn display_with<'a>(
        &'a self,
        catalog: &'a Catalog,
        role: Option<(RoleId, &'a Role)>,
    ) -> ExplanationDisplay<'a> {
        ExplanationDisplay {
            explanation: self,
            names: Names::Kept { catalog, role },
        }
    }
}

/// Why a request was denied.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Denial, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
///
/// let policy = Policy::new(Catalog::standard());
/// let catalog = policy.catalog();
/// let admin = Subject::new(UserId::new(1), OrgId::new(1), SystemRole::Admin.id(), UserStatus::Active);
/// let billing = Resource::new(catalog.resource_type("billing")?, ResourceId::new(1), OrgId::new(1));
/// let why = policy.explain(&admin, catalog.action("execute")?, &billing);
/// assert!(matches!(why.denial(), Some(Denial::NotApplicable { .. })));
/// assert_eq!(why.display(&policy).to_string(), "denied: action execute is not applicable to billing");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Denial {
    /// The user is not in the directory of the state checked.
    UnknownUser {
        /// The user.
        user: UserId,
    },
    /// The subject is not active ([semantics](crate::semantics) §2.2).
    Inactive {
        /// The subject's status.
        status: UserStatus,
    },
    /// The resource belongs to another organization ([semantics](crate::semantics) §2.3).
    OtherOrganization {
        /// The subject's organization.
        subject: OrgId,
        /// The resource's organization.
        resource: OrgId,
    },
    /// The action does not apply to the resource type, or either is unknown
    /// to the policy's catalog ([semantics](crate::semantics) §2.4).
    NotApplicable {
        /// The resource type.
        resource_type: ResourceTypeId,
        /// The action.
        action: ActionId,
    },
    /// The subject's role is not in the policy.
    UnknownRole {
        /// The role.
        role: RoleId,
    },
    /// The subject's role is a custom role of another organization.
    RoleOfOtherOrganization {
        /// The role.
        role: RoleId,
        /// The organization the role belongs to.
        organization: OrgId,
    },
    /// No rule of the role grants the permission ([semantics](crate::semantics) §2.6).
    NoRule {
        /// The subject's role.
        role: RoleId,
        /// The permission the request needed.
        permission: PermissionId,
    },
    /// Rules grant the permission, but each failed on a must-match key or a
    /// condition ([semantics](crate::semantics) §3, §4 and §6.3).
    RulesFailed {
        /// The subject's role.
        role: RoleId,
        /// The permission the request needed.
        permission: PermissionId,
        /// Each rule tried, with what failed.
        failures: Vec<RuleFailure>,
    },
}

/// A rule that grants the permission but did not allow the request, with
/// what failed first.
///
/// # Examples
///
/// ```
/// use rolegate::evaluate::RuleFailure;
/// use rolegate::policy::RuleSource;
/// use rolegate::{Denial, MustMatch};
/// # use rolegate::{Catalog, CustomerId, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
/// # let policy = Policy::new(Catalog::standard());
/// # let catalog = policy.catalog();
/// # let (org, acme) = (OrgId::new(1), CustomerId::new(30));
///
/// // An End User of customer `acme` reads an `acme` connection another user owns.
/// # let end_user = Subject::new(UserId::new(7), org, SystemRole::EndUser.id(), UserStatus::Active).with_customer(acme);
/// # let theirs = Resource::new(catalog.resource_type("connections")?, ResourceId::new(2), org)
/// #     .with_customer(acme)
/// #     .with_owner(UserId::new(8));
/// let why = policy.explain(&end_user, catalog.action("read")?, &theirs);
/// let Some(Denial::RulesFailed { failures, .. }) = why.denial() else {
///     return Err("expected failed rules".into());
/// };
/// let failure = failures.first().ok_or("no failure")?;
/// // End User's rule at index 2 is `connections.read [organization;customer;owner]`.
/// assert_eq!((failure.rule().source, failure.rule().index), (RuleSource::Role, 2));
/// assert!(matches!(failure, RuleFailure::MustMatch { key: MustMatch::OWNER, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleFailure {
    /// A must-match key of the rule did not match.
    MustMatch {
        /// The rule.
        rule: RuleRef,
        /// The key.
        key: MustMatch,
    },
    /// A condition of the rule was false.
    Condition {
        /// The rule.
        rule: RuleRef,
        /// The condition's index in the rule's conditions.
        index: usize,
    },
}

impl RuleFailure {
    /// The rule that failed.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::evaluate::RuleFailure;
    /// use rolegate::{Catalog, Denial, OrgId, Policy, Rule};
    /// # use rolegate::{Resource, ResourceId, Subject, UserId, UserStatus};
    ///
    /// let (catalog, org) = (Catalog::standard(), OrgId::new(1));
    /// let rule = Rule::builder(&catalog, "workflows", "deploy_prod").conditions("priority <= 3").build()?;
    /// let mut builder = Policy::builder(catalog);
    /// let deployer = builder.create_role(org, "Deployer", [rule])?;
    /// let policy = builder.build();
    /// # let catalog = policy.catalog();
    ///
    /// // A Deployer deploys a workflow of priority 5.
    /// # let subject = Subject::new(UserId::new(4), org, deployer, UserStatus::Active);
    /// # let urgent = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(8), org)
    /// #     .with_attribute(catalog.attribute("priority")?, 5_i64);
    /// let why = policy.explain(&subject, catalog.action("deploy_prod")?, &urgent);
    /// let Some(Denial::RulesFailed { failures, .. }) = why.denial() else {
    ///     return Err("expected failed rules".into());
    /// };
    /// let failure = failures.first().ok_or("no failure")?;
    /// assert_eq!(failure.rule().index, 0);
    /// assert!(matches!(failure, RuleFailure::Condition { index: 0, .. }));
    /// assert!(why.display(&policy).to_string().ends_with("fails `priority <= 3`"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn rule(&self) -> RuleRef {
        match *self {
            Self::MustMatch { rule, .. } | Self::Condition { rule, .. } => rule,
        }
    }
}

impl RuleFailure {
    /// The failure's stable reason code ([semantics](crate::semantics) §6.4):
    /// `must_match.customer`, `must_match.team`, `must_match.owner` (or
    /// `must_match.organization`, which a check never reports: the
    /// organization is compared before any rule) or `condition`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::evaluate::RuleFailure;
    /// use rolegate::policy::{RuleRef, RuleSource};
    /// use rolegate::MustMatch;
    ///
    /// let rule = RuleRef { source: RuleSource::Role, index: 0, synced_to: None };
    /// assert_eq!(RuleFailure::MustMatch { rule, key: MustMatch::TEAM }.code(), "must_match.team");
    /// assert_eq!(RuleFailure::Condition { rule, index: 1 }.code(), "condition");
    /// ```
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Condition { .. } => CONDITION,
            Self::MustMatch { key, .. } => must_match_code(*key),
        }
    }
}

const CONDITION: &str = "condition";

/// The code of a failed must-match key: the first of `key`'s keys, in the
/// order a check tests them.
fn must_match_code(key: MustMatch) -> &'static str {
    if key.contains(MustMatch::CUSTOMER) {
        "must_match.customer"
    } else if key.contains(MustMatch::TEAM) {
        "must_match.team"
    } else if key.contains(MustMatch::OWNER) {
        "must_match.owner"
    } else {
        "must_match.organization"
    }
}

impl Denial {
    /// Every reason code a denial can carry, each once
    /// ([semantics](crate::semantics) §6.4). The codes are stable: a code is
    /// never renamed or given another meaning, and a new kind of denial gets
    /// a new code.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Denial;
    ///
    /// assert!(Denial::CODES.contains(&"no_rule"));
    /// assert!(Denial::CODES.contains(&"must_match.team"));
    /// ```
    pub const CODES: [&'static str; 13] = [
        "unknown_user",
        "inactive",
        "other_organization",
        "not_applicable",
        "unknown_role",
        "role_of_other_organization",
        "no_rule",
        "must_match.organization",
        "must_match.customer",
        "must_match.team",
        "must_match.owner",
        CONDITION,
        "rules_failed",
    ];

    /// The denial's stable reason code ([semantics](crate::semantics) §6.4),
    /// one of [`Denial::CODES`]. When rules granted the permission and all
    /// failed, the code is that of their failures when they all failed the
    /// same way (`must_match.team`, `condition`, ...), and `rules_failed`
    /// when they failed in different ways; each failure has its own
    /// [`RuleFailure::code`].
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let viewer = Subject::new(UserId::new(3), OrgId::new(1), SystemRole::Viewer.id(), UserStatus::Active);
    /// let here = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(9), OrgId::new(1));
    /// let elsewhere = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(9), OrgId::new(2));
    /// let delete = catalog.action("delete")?;
    ///
    /// assert_eq!(policy.explain(&viewer, delete, &here).denial().map(|d| d.code()), Some("no_rule"));
    /// assert_eq!(policy.explain(&viewer, delete, &elsewhere).denial().map(|d| d.code()), Some("other_organization"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownUser { .. } => "unknown_user",
            Self::Inactive { .. } => "inactive",
            Self::OtherOrganization { .. } => "other_organization",
            Self::NotApplicable { .. } => "not_applicable",
            Self::UnknownRole { .. } => "unknown_role",
            Self::RoleOfOtherOrganization { .. } => "role_of_other_organization",
            Self::NoRule { .. } => "no_rule",
            Self::RulesFailed { failures, .. } => match failures.split_first() {
                Some((first, rest)) if rest.iter().all(|f| f.code() == first.code()) => {
                    first.code()
                }
                _ => "rules_failed",
            },
        }
    }
}

/// What failed first in a rule, before the rule is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unmet {
    MustMatch(MustMatch),
    Condition(usize),
}

impl Unmet {
    /// The failure of `rule`.
    pub(crate) fn of(self, rule: RuleRef) -> RuleFailure {
        match self {
            Self::MustMatch(key) => RuleFailure::MustMatch { rule, key },
            Self::Condition(index) => RuleFailure::Condition { rule, index },
        }
    }
}

/// Displays an [`Explanation`]. Made by [`Explanation::display`].
///
/// # Examples
///
/// ```
/// use rolegate::evaluate::ExplanationDisplay;
/// use rolegate::{Catalog, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
///
/// let policy = Policy::new(Catalog::standard());
/// let catalog = policy.catalog();
/// let suspended = Subject::new(UserId::new(4), OrgId::new(1), SystemRole::Admin.id(), UserStatus::Suspended);
/// let agent = Resource::new(catalog.resource_type("agents")?, ResourceId::new(8), OrgId::new(1));
/// let why = policy.explain(&suspended, catalog.action("read")?, &agent);
/// let shown: ExplanationDisplay<'_> = why.display(&policy);
/// assert_eq!(format!("{shown}"), "denied: the subject is suspended");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ExplanationDisplay<'a> {
    explanation: &'a Explanation,
    names: Names<'a>,
}

/// Where a display finds the names of roles, permissions and rules.
#[derive(Clone, Copy, Debug)]
enum Names<'a> {
    Policy(&'a Policy),
    /// The catalog and the one role a denial can name.
    Kept {
        catalog: &'a Catalog,
        role: Option<(RoleId, &'a Role)>,
    },
}

impl<'a> Names<'a> {
    fn catalog(self) -> &'a Catalog {
        match self {
            Self::Policy(policy) => policy.catalog(),
            Self::Kept { catalog, .. } => catalog,
        }
    }

    fn role(self, id: RoleId) -> Option<&'a Role> {
        match self {
            Self::Policy(policy) => policy.role(id),
            Self::Kept { role, .. } => role.filter(|(r, _)| *r == id).map(|(_, role)| role),
        }
    }
}

impl ExplanationDisplay<'_> {
    fn role(&self, f: &mut fmt::Formatter<'_>, role: RoleId) -> fmt::Result {
        match self.names.role(role) {
            Some(r) => write!(f, "{}", r.name()),
            None => write!(f, "{role}"),
        }
    }

    fn permission(&self, f: &mut fmt::Formatter<'_>, p: PermissionId) -> fmt::Result {
        match self.names.catalog().permission_name(p) {
            Some(name) => f.write_str(name),
            None => write!(f, "{p}"),
        }
    }

    fn rule_of(&self, role: RoleId, r: RuleRef) -> Option<&Rule> {
        match r.source {
            RuleSource::Role => self.names.role(role)?.rules().get(r.index),
            RuleSource::BuiltIn => self.names.catalog().builtin_rules().get(r.index),
        }
    }

    fn rule(&self, f: &mut fmt::Formatter<'_>, role: RoleId, r: RuleRef) -> fmt::Result {
        let catalog = self.names.catalog();
        let kind = match r.source {
            RuleSource::Role => "rule",
            RuleSource::BuiltIn => "built-in rule",
        };
        write!(f, "{kind} {}", r.index + 1)?;
        if let Some(rule) = self.rule_of(role, r) {
            write!(f, " `{}`", rule.display(catalog))?;
        }
        if let Some(to) = r.synced_to {
            match catalog.resource_type_name(to) {
                Some(name) => write!(f, " synced to {name}")?,
                None => write!(f, " synced to {to}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for ExplanationDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let catalog = self.names.catalog();
        match self.explanation {
            Explanation::Allowed {
                role,
                permission,
                rule,
            } => {
                f.write_str("allowed: ")?;
                self.role(f, *role)?;
                f.write_str(" grants ")?;
                self.permission(f, *permission)?;
                f.write_str(" by ")?;
                self.rule(f, *role, *rule)
            }
            Explanation::Denied(denial) => {
                f.write_str("denied: ")?;
                match denial {
                    Denial::UnknownUser { user } => {
                        write!(f, "user {user} is not in the directory")
                    }
                    Denial::Inactive { status } => write!(f, "the subject is {status}"),
                    Denial::OtherOrganization { subject, resource } => write!(
                        f,
                        "the resource belongs to organization {resource}, the subject to organization {subject}"
                    ),
                    Denial::NotApplicable {
                        resource_type,
                        action,
                    } => {
                        match catalog.action_name(*action) {
                            Some(a) => write!(f, "action {a}")?,
                            None => write!(f, "{action}")?,
                        }
                        f.write_str(" is not applicable to ")?;
                        match catalog.resource_type_name(*resource_type) {
                            Some(t) => write!(f, "{t}"),
                            None => write!(f, "{resource_type}"),
                        }
                    }
                    Denial::UnknownRole { role } => write!(f, "{role} is not in this policy"),
                    Denial::RoleOfOtherOrganization { role, organization } => {
                        f.write_str("role ")?;
                        self.role(f, *role)?;
                        write!(f, " belongs to organization {organization}")
                    }
                    Denial::NoRule { role, permission } => {
                        self.role(f, *role)?;
                        f.write_str(" has no rule for ")?;
                        self.permission(f, *permission)
                    }
                    Denial::RulesFailed {
                        role,
                        permission,
                        failures,
                    } => {
                        f.write_str("no rule of ")?;
                        self.role(f, *role)?;
                        f.write_str(" allows ")?;
                        self.permission(f, *permission)?;
                        f.write_str(" here: ")?;
                        for (i, failure) in failures.iter().enumerate() {
                            if i > 0 {
                                f.write_str("; ")?;
                            }
                            self.rule(f, *role, failure.rule())?;
                            match *failure {
                                RuleFailure::MustMatch { key, .. } => {
                                    write!(f, " needs must-match {key}")?;
                                }
                                RuleFailure::Condition { index, rule } => {
                                    let condition = self
                                        .rule_of(*role, rule)
                                        .and_then(|r| r.conditions().as_slice().get(index));
                                    match condition {
                                        Some(c) => write!(f, " fails `{}`", c.display(catalog))?,
                                        None => write!(f, " fails condition {}", index + 1)?,
                                    }
                                }
                            }
                        }
                        Ok(())
                    }
                }
            }
        }
    }
}
