//! Identifiers: dense index newtypes the hot path works on, and the host's own ids.
//!
//! Two families live here. *Dense ids* ([`ResourceTypeId`], [`ActionId`],
//! [`PermissionId`], [`AttributeId`], [`RoleId`]) are small indexes handed out
//! by a [`Catalog`](crate::Catalog) or a [`Policy`](crate::Policy); checks index
//! tables with them instead of hashing names. *Host ids* ([`OrgId`],
//! [`UserId`], [`CustomerId`], [`TeamId`], [`ResourceId`]) are the host's own
//! 64-bit identifiers, carried through unchanged.

mod set;

pub use set::PermissionSet;

use core::fmt;

macro_rules! dense_id {
    ($(#[$meta:meta])* $name:ident($repr:ty), $what:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub(crate) $repr);

        impl $name {
            /// The largest index this id can hold. One value above it is kept
            /// back as a sentinel in the compiled tables.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use rolegate::", stringify!($name), ";")]
            ///
            #[doc = concat!("assert_eq!(", stringify!($name), "::MAX, ", stringify!($repr), "::MAX as usize - 1);")]
            /// ```
            pub const MAX: usize = <$repr>::MAX as usize - 1;

            /// Makes an id from a dense index, or `None` when the index is
            /// larger than [`Self::MAX`].
            ///
            /// An id made this way is only meaningful to the catalog or policy
            /// that uses that index; a check given an index it does not know
            /// denies.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use rolegate::", stringify!($name), ";")]
            ///
            #[doc = concat!("let id = ", stringify!($name), "::new(3).ok_or(\"too large\")?;")]
            /// assert_eq!(id.index(), 3);
            #[doc = concat!("assert!(", stringify!($name), "::new(", stringify!($name), "::MAX + 1).is_none());")]
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            #[inline]
            #[must_use]
            pub const fn new(index: usize) -> Option<Self> {
                if index <= Self::MAX {
                    // The bound above makes the narrowing exact.
                    Some(Self(index as $repr))
                } else {
                    None
                }
            }

            /// The dense index of this id.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use rolegate::", stringify!($name), ";")]
            ///
            /// // A host-side table indexed by the id.
            /// let labels = ["first", "second", "third"];
            #[doc = concat!("let id = ", stringify!($name), "::new(2).ok_or(\"too large\")?;")]
            /// assert_eq!(labels.get(id.index()), Some(&"third"));
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            #[inline]
            #[must_use]
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($what, " #{}"), self.0)
            }
        }
    };
}

dense_id!(
    /// A resource type of a [`Catalog`](crate::Catalog), such as `workflows`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let workflows = catalog.resource_type("workflows")?;
    /// assert_eq!(catalog.resource_type_name(workflows), Some("workflows"));
    /// assert_eq!(workflows.to_string(), "resource type #2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ResourceTypeId(u16),
    "resource type"
);
dense_id!(
    /// An action name of a [`Catalog`](crate::Catalog), such as `execute`.
    ///
    /// Action ids are shared between resource types: `read` is one id whether
    /// it is applied to `workflows` or to `tools`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let read = catalog.action("read")?;
    /// assert!(catalog.is_applicable(catalog.resource_type("workflows")?, read));
    /// assert!(catalog.is_applicable(catalog.resource_type("tools")?, read));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ActionId(u16),
    "action"
);
dense_id!(
    /// An applicable (resource type, action) pair of a
    /// [`Catalog`](crate::Catalog), such as `workflows.execute`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let execute = catalog.permission_named("workflows.execute")?;
    /// assert_eq!(execute, catalog.permission("workflows", "execute")?);
    /// assert_eq!(catalog.permission_name(execute), Some("workflows.execute"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    PermissionId(u16),
    "permission"
);
dense_id!(
    /// A resource attribute name of a [`Catalog`](crate::Catalog), such as
    /// `status`.
    ///
    /// Attribute ids are shared between resource types by name; each type
    /// declares which of them it carries and with which [`AttrType`](crate::catalog::AttrType).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let status = catalog.attribute("status")?;
    /// assert_eq!(catalog.attribute_type(catalog.resource_type("agents")?, status), Some(AttrType::String));
    /// assert_eq!(catalog.attribute_type(catalog.resource_type("billing")?, status), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    AttributeId(u16),
    "attribute"
);
dense_id!(
    /// A role of a [`Policy`](crate::Policy): one of the six system roles or a
    /// custom role.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Role, SystemRole};
    ///
    /// let mut builder = Policy::builder(Catalog::standard());
    /// let auditors = builder.create_role(OrgId::new(1), "Auditors", [])?;
    /// let policy = builder.build();
    /// assert_eq!(policy.role_named(OrgId::new(1), "Auditors"), Some(auditors));
    /// assert_eq!(auditors.index(), 6);
    /// assert_eq!(policy.role(SystemRole::Viewer.id()).map(Role::name), Some("Viewer"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    RoleId(u32),
    "role"
);

macro_rules! host_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u64);

        impl $name {
            /// Wraps the host's identifier.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use rolegate::", stringify!($name), ";")]
            ///
            #[doc = concat!("let id = ", stringify!($name), "::new(42);")]
            /// assert_eq!(id.get(), 42);
            /// ```
            #[inline]
            #[must_use]
            pub const fn new(id: u64) -> Self {
                Self(id)
            }

            /// The host's identifier.
            ///
            /// # Examples
            ///
            /// ```
            #[doc = concat!("use rolegate::", stringify!($name), ";")]
            ///
            #[doc = concat!("let id = ", stringify!($name), "::from(42);")]
            /// assert_eq!(id.get(), 42);
            /// ```
            #[inline]
            #[must_use]
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl From<u64> for $name {
            #[inline]
            fn from(id: u64) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

host_id!(
    /// An organization: the tenant every user, team, custom role and resource
    /// belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let admin = Subject::new(UserId::new(1), OrgId::new(1), SystemRole::Admin.id(), UserStatus::Active);
    /// let elsewhere = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(9), OrgId::new(2));
    /// assert!(!policy.can(&admin, catalog.action("read")?, &elsewhere));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    OrgId
);
host_id!(
    /// A user (the subject of a check, or the owner of a resource).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Policy, Resource, ResourceId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let policy = Policy::new(Catalog::standard());
    /// let catalog = policy.catalog();
    /// let (org, me) = (OrgId::new(1), UserId::new(10));
    /// let viewer = Subject::new(me, org, SystemRole::Viewer.id(), UserStatus::Active);
    /// let profile = Resource::new(catalog.resource_type("profile")?, ResourceId::new(10), org).with_owner(me);
    /// assert!(policy.can(&viewer, catalog.action("update")?, &profile));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    UserId
);
host_id!(
    /// A customer: a sub-tenant of an organization.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{CustomerId, OrgId, Subject, SystemRole, UserId, UserStatus};
    ///
    /// let acme = CustomerId::from(30);
    /// let end_user = Subject::new(UserId::new(7), OrgId::new(1), SystemRole::EndUser.id(), UserStatus::Active)
    ///     .with_customer(acme);
    /// assert_eq!(end_user.customer(), Some(CustomerId::new(30)));
    /// assert_eq!(acme.to_string(), "30");
    /// ```
    CustomerId
);
host_id!(
    /// A team: a named group of users inside one organization.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, MustMatch, OrgId, Policy, Resource, ResourceId, Rule, Subject, TeamId, UserId, UserStatus};
    ///
    /// let (catalog, org) = (Catalog::standard(), OrgId::new(1));
    /// let update = Rule::builder(&catalog, "workflows", "update").must_match(MustMatch::TEAM).build()?;
    /// let mut builder = Policy::builder(catalog);
    /// let role = builder.create_role(org, "Team Editor", [update])?;
    /// let policy = builder.build();
    /// let catalog = policy.catalog();
    ///
    /// let editor = Subject::new(UserId::new(10), org, role, UserStatus::Active).with_team(TeamId::new(5));
    /// let workflows = catalog.resource_type("workflows")?;
    /// let ours = Resource::new(workflows, ResourceId::new(1), org).with_team(TeamId::new(5));
    /// let theirs = Resource::new(workflows, ResourceId::new(2), org).with_team(TeamId::new(6));
    /// let update = catalog.action("update")?;
    /// assert!(policy.can(&editor, update, &ours));
    /// assert!(!policy.can(&editor, update, &theirs));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    TeamId
);
host_id!(
    /// A resource instance, such as one workflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Resource, ResourceId};
    ///
    /// let catalog = Catalog::standard();
    /// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(100), OrgId::new(1));
    /// assert_eq!(workflow.id(), ResourceId::from(100));
    /// assert_eq!(workflow.id().to_string(), "100");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ResourceId
);
