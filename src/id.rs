//! Identifiers: dense index newtypes the hot path works on, and the host's own ids.
//!
//! Two families live here. *Dense ids* ([`ResourceTypeId`], [`ActionId`],
//! [`PermissionId`], [`AttributeId`], [`RoleId`]) are small indexes handed out
//! by a [`Catalog`](crate::Catalog) or a [`Policy`](crate::Policy); checks index
//! tables with them instead of hashing names. *Host ids* ([`OrgId`],
//! [`UserId`], [`CustomerId`], [`TeamId`], [`ResourceId`]) are the host's own
//! 64-bit identifiers, carried through unchanged.

use core::fmt;

macro_rules! dense_id {
    ($(#[$meta:meta])* $name:ident($repr:ty), $what:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub(crate) $repr);

        impl $name {
            /// The largest index this id can hold. One value above it is kept
            /// back as a sentinel in the compiled tables.
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
    ResourceTypeId(u16),
    "resource type"
);
dense_id!(
    /// An action name of a [`Catalog`](crate::Catalog), such as `execute`.
    ///
    /// Action ids are shared between resource types: `read` is one id whether
    /// it is applied to `workflows` or to `tools`.
    ActionId(u16),
    "action"
);
dense_id!(
    /// An applicable (resource type, action) pair of a
    /// [`Catalog`](crate::Catalog), such as `workflows.execute`.
    PermissionId(u16),
    "permission"
);
dense_id!(
    /// A resource attribute name of a [`Catalog`](crate::Catalog), such as
    /// `status`.
    ///
    /// Attribute ids are shared between resource types by name; each type
    /// declares which of them it carries and with which [`AttrType`](crate::AttrType).
    AttributeId(u16),
    "attribute"
);
dense_id!(
    /// A role of a [`Policy`](crate::Policy): one of the six system roles or a
    /// custom role.
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
    OrgId
);
host_id!(
    /// A user (the subject of a check, or the owner of a resource).
    UserId
);
host_id!(
    /// A customer: a sub-tenant of an organization.
    CustomerId
);
host_id!(
    /// A team: a named group of users inside one organization.
    TeamId
);
host_id!(
    /// A resource instance, such as one workflow.
    ResourceId
);
