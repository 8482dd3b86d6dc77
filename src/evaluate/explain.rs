//! Why a check was decided as it was: the granting rule, or the reason for a denial.

use core::fmt;

use crate::compile::{Policy, RuleRef, RuleSource};
use crate::id::{ActionId, OrgId, PermissionId, ResourceTypeId, RoleId};
use crate::rule::{MustMatch, Rule};

use super::request::Status;

/// The decision of a check with its reason (SPEC §6.9).
///
/// [`Policy::explain`] returns it; it always agrees with [`Policy::can`].
/// Display it with names through [`Explanation::display`].
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Denial, Explanation, OrgId, Policy, Resource, ResourceId, Status, Subject, SystemRole, UserId};
///
/// let policy = Policy::new(Catalog::standard());
/// let catalog = policy.catalog();
/// let owner = Subject::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id(), Status::Active);
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
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        matches!(self, Self::Allowed { .. })
    }

    /// The denial, if the request was denied.
    #[must_use]
    pub fn denial(&self) -> Option<&Denial> {
        match self {
            Self::Allowed { .. } => None,
            Self::Denied(d) => Some(d),
        }
    }

    /// Displays the explanation with names from `policy`.
    #[must_use]
    pub fn display<'a>(&'a self, policy: &'a Policy) -> ExplanationDisplay<'a> {
        ExplanationDisplay {
            explanation: self,
            policy,
        }
    }
}

/// Why a request was denied.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Denial {
    /// The subject is not active (SPEC §6.3).
    Inactive {
        /// The subject's status.
        status: Status,
    },
    /// The resource belongs to another organization (SPEC §6.2).
    OtherOrganization {
        /// The subject's organization.
        subject: OrgId,
        /// The resource's organization.
        resource: OrgId,
    },
    /// The action does not apply to the resource type, or either is unknown
    /// to the policy's catalog (SPEC §6.4).
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
    /// No rule of the role grants the permission (SPEC §6.1).
    NoRule {
        /// The subject's role.
        role: RoleId,
        /// The permission the request needed.
        permission: PermissionId,
    },
    /// Rules grant the permission, but each failed on a must-match key or a
    /// condition (SPEC §6.6, §6.7).
    RulesFailed {
        /// The subject's role.
        role: RoleId,
        /// The permission the request needed.
        permission: PermissionId,
        /// Each rule tried, with what failed.
        failures: Vec<RuleFailure>,
    },
}

/// A rule that applied to the permission but did not allow the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleFailure {
    /// The rule.
    pub rule: RuleRef,
    /// What failed first.
    pub reason: Failure,
}

/// What made a rule fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// This must-match key did not match.
    MustMatch(MustMatch),
    /// The condition at this index of the rule's conditions was false.
    Condition {
        /// The index in the rule's conditions.
        index: usize,
    },
}

/// Displays an [`Explanation`]. Made by [`Explanation::display`].
#[derive(Clone, Copy, Debug)]
pub struct ExplanationDisplay<'a> {
    explanation: &'a Explanation,
    policy: &'a Policy,
}

impl ExplanationDisplay<'_> {
    fn role(&self, f: &mut fmt::Formatter<'_>, role: RoleId) -> fmt::Result {
        match self.policy.role(role) {
            Some(r) => write!(f, "{}", r.name()),
            None => write!(f, "{role}"),
        }
    }

    fn permission(&self, f: &mut fmt::Formatter<'_>, p: PermissionId) -> fmt::Result {
        match self.policy.catalog().permission_name(p) {
            Some(name) => f.write_str(name),
            None => write!(f, "{p}"),
        }
    }

    fn rule_of(&self, role: RoleId, r: RuleRef) -> Option<&Rule> {
        match r.source {
            RuleSource::Role => self.policy.role(role)?.rules().get(r.index),
            RuleSource::BuiltIn => self.policy.catalog().builtin_rules().get(r.index),
        }
    }

    fn rule(&self, f: &mut fmt::Formatter<'_>, role: RoleId, r: RuleRef) -> fmt::Result {
        let catalog = self.policy.catalog();
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
        let catalog = self.policy.catalog();
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
                            self.rule(f, *role, failure.rule)?;
                            match failure.reason {
                                Failure::MustMatch(key) => {
                                    write!(f, " needs must-match {key}")?;
                                }
                                Failure::Condition { index } => {
                                    let condition = self
                                        .rule_of(*role, failure.rule)
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
