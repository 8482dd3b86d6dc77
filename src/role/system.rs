//! The six system roles and their permission table ([semantics](crate::semantics) §7).

use core::fmt;

use crate::catalog::Catalog;
use crate::id::RoleId;
use crate::rule::{MustMatch, Rule};

/// One of the six fixed roles every organization has.
///
/// System roles occupy [`RoleId`]s 0 to 5 of every [`Policy`](crate::Policy),
/// in the order of [`SystemRole::ALL`].
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, SystemRole};
///
/// let catalog = Catalog::standard();
/// let counts: Vec<usize> = SystemRole::ALL
///     .iter()
///     .map(|r| r.rules(&catalog).len())
///     .collect();
/// assert_eq!(counts, [39, 39, 34, 18, 7, 9]);
/// assert_eq!(SystemRole::from_name("end user"), Some(SystemRole::EndUser));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SystemRole {
    /// Every grantable permission; the only role that may give or take Owner.
    Owner,
    /// Every grantable permission.
    Admin,
    /// Everything but organization settings, billing, member and role management.
    Developer,
    /// Runs workflows, agents and tools, manages connections, monitors activity.
    Operator,
    /// Reads the five categories, activity and organization settings.
    Viewer,
    /// Customer-facing widget access, scoped to the subject's customer.
    EndUser,
}

/// The non-Developer exclusions: what Developer lacks of Owner ([semantics](crate::semantics) §7.1).
const DEVELOPER_LACKS: [&str; 5] = [
    "organization.update",
    "billing.read",
    "billing.update",
    "members.manage",
    "roles.manage",
];

const OPERATOR: [&str; 18] = [
    "connectors.read",
    "connections.create",
    "connections.read",
    "connections.update",
    "connections.delete",
    "connections.execute",
    "connections.share",
    "workflows.read",
    "workflows.execute",
    "agents.read",
    "agents.execute",
    "tools.read",
    "tools.execute",
    "activity.read",
    "organization.read",
    "members.read",
    "roles.read",
    "audit_log.read",
];

const VIEWER: [&str; 7] = [
    "connectors.read",
    "connections.read",
    "workflows.read",
    "agents.read",
    "tools.read",
    "activity.read",
    "organization.read",
];

/// End User's permissions with the must-match keys each carries beyond
/// `organization`.
const END_USER: [(&str, MustMatch); 9] = [
    ("connectors.read", MustMatch::CUSTOMER),
    (
        "connections.create",
        MustMatch::CUSTOMER.union(MustMatch::OWNER),
    ),
    (
        "connections.read",
        MustMatch::CUSTOMER.union(MustMatch::OWNER),
    ),
    (
        "connections.update",
        MustMatch::CUSTOMER.union(MustMatch::OWNER),
    ),
    (
        "connections.delete",
        MustMatch::CUSTOMER.union(MustMatch::OWNER),
    ),
    (
        "connections.execute",
        MustMatch::CUSTOMER.union(MustMatch::OWNER),
    ),
    ("workflows.read", MustMatch::CUSTOMER),
    ("workflows.execute", MustMatch::CUSTOMER),
    ("activity.read", MustMatch::CUSTOMER),
];

impl SystemRole {
    /// The six roles, in the order of the [semantics](crate::semantics) §7.1 table and of their [`RoleId`]s.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::SystemRole;
    ///
    /// let names: Vec<&str> = SystemRole::ALL.iter().map(|r| r.name()).collect();
    /// assert_eq!(names, ["Owner", "Admin", "Developer", "Operator", "Viewer", "End User"]);
    /// assert_eq!(SystemRole::ALL[4].id().index(), 4);
    /// ```
    pub const ALL: [Self; 6] = [
        Self::Owner,
        Self::Admin,
        Self::Developer,
        Self::Operator,
        Self::Viewer,
        Self::EndUser,
    ];

    /// The role's display name: `Owner`, ..., `End User`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::SystemRole;
    ///
    /// assert_eq!(SystemRole::EndUser.name(), "End User");
    /// assert_eq!(SystemRole::EndUser.to_string(), "End User");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Admin => "Admin",
            Self::Developer => "Developer",
            Self::Operator => "Operator",
            Self::Viewer => "Viewer",
            Self::EndUser => "End User",
        }
    }

    /// The role's id in every [`Policy`](crate::Policy).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Policy, SystemRole};
    ///
    /// assert_eq!(SystemRole::Owner.id().index(), 0);
    /// assert_eq!(SystemRole::EndUser.id().index(), 5);
    /// let policy = Policy::new(Catalog::standard());
    /// assert_eq!(policy.role(SystemRole::Operator.id()).map(|r| r.name()), Some("Operator"));
    /// ```
    #[must_use]
    pub const fn id(self) -> RoleId {
        RoleId(self as u32)
    }

    /// The system role with this id, if it is one.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{RoleId, SystemRole};
    ///
    /// assert_eq!(SystemRole::from_id(SystemRole::Viewer.id()), Some(SystemRole::Viewer));
    /// // Ids from 6 on are custom roles.
    /// assert_eq!(SystemRole::from_id(RoleId::new(6).ok_or("too large")?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn from_id(id: RoleId) -> Option<Self> {
        Self::ALL.get(id.index()).copied()
    }

    /// The system role with this name, compared case-insensitively after
    /// trimming.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::SystemRole;
    ///
    /// assert_eq!(SystemRole::from_name(" admin "), Some(SystemRole::Admin));
    /// assert_eq!(SystemRole::from_name("End User"), Some(SystemRole::EndUser));
    /// assert_eq!(SystemRole::from_name("Auditor"), None);
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.name().eq_ignore_ascii_case(name))
    }

    /// The system role whose name a person could not tell from `name`
    /// (compared as [semantics](crate::semantics) §8.1 says), if any.
    pub(crate) fn named_like(name: &str) -> Option<Self> {
        let key = crate::name::key(name);
        Self::ALL
            .into_iter()
            .find(|r| crate::name::key(r.name()) == key)
    }

    /// The role's rules in `catalog`, in the catalog's permission order.
    ///
    /// Owner and Admin hold every grantable permission of the catalog;
    /// Developer every grantable permission but `organization.update`,
    /// `billing.read`, `billing.update`, `members.manage` and
    /// `roles.manage`; Operator, Viewer and End User the permissions of the
    /// table (SEMANTICS.md §7.1) that the catalog has. End User's rules also carry
    /// must-match `customer`, and its `connections` rules `owner`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// let rules = SystemRole::EndUser.rules(&catalog);
    /// assert_eq!(rules.len(), 9);
    /// let first: Vec<String> = rules.iter().take(2).map(|r| r.display(&catalog).to_string()).collect();
    /// assert_eq!(
    ///     first,
    ///     ["connectors.read [organization;customer]", "connections.create [organization;customer;owner]"]
    /// );
    /// ```
    #[must_use]
    pub fn rules(self, catalog: &Catalog) -> Vec<Rule> {
        catalog
            .grantable_permissions()
            .filter_map(|p| {
                let extra = match self {
                    Self::Owner | Self::Admin => Some(MustMatch::empty()),
                    Self::Developer => {
                        (!DEVELOPER_LACKS.contains(&p.name)).then_some(MustMatch::empty())
                    }
                    Self::Operator => OPERATOR.contains(&p.name).then_some(MustMatch::empty()),
                    Self::Viewer => VIEWER.contains(&p.name).then_some(MustMatch::empty()),
                    Self::EndUser => END_USER
                        .iter()
                        .find(|(name, _)| *name == p.name)
                        .map(|&(_, keys)| keys),
                }?;
                Rule::for_permission(catalog, p.id, extra)
            })
            .collect()
    }
}

impl fmt::Display for SystemRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
