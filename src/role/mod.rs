//! Roles: the six system roles and custom roles, each a name and a set of rules.

mod system;

pub use system::SystemRole;

use core::fmt;

use crate::catalog::Catalog;
use crate::id::OrgId;
use crate::id::PermissionSet;
use crate::rule::Rule;
use crate::text::excerpt;

/// The longest role name, in characters.
///
/// # Examples
///
/// ```
/// use rolegate::role::MAX_ROLE_NAME;
/// use rolegate::Role;
///
/// assert!(Role::validate_name(&"x".repeat(MAX_ROLE_NAME)).is_ok());
/// assert!(Role::validate_name(&"x".repeat(MAX_ROLE_NAME + 1)).is_err());
/// ```
pub const MAX_ROLE_NAME: usize = 64;

/// What was wrong with a role, or with adding it to a set of roles: its
/// name, a clash with another role, a rule of another catalog. Returned by
/// [`Role::custom`], by the policy and engine builders and, wrapped in the
/// engine's administrative error, by every role change.
///
/// # Examples
///
/// ```
/// use rolegate::{OrgId, Role, RoleError};
///
/// let err = Role::custom(OrgId::new(1), " admin ", []).unwrap_err();
/// assert_eq!(err, RoleError::ReservedName { name: "admin".into() });
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RoleError {
    /// The name is empty once trimmed.
    #[error("role name is empty")]
    EmptyName,
    /// The name is longer than [`MAX_ROLE_NAME`] characters once trimmed.
    #[error("role name {name:?} is {length} characters long, more than {max}", max = MAX_ROLE_NAME)]
    NameTooLong {
        /// The name (shortened).
        name: String,
        /// Its length in characters.
        length: usize,
    },
    /// The name holds a control character.
    #[error("role name {name:?} contains a control character")]
    ControlCharacter {
        /// The name (shortened).
        name: String,
    },
    /// The name holds an invisible or direction character (zero-width,
    /// byte order mark, word joiner, bidi override or isolate...), a
    /// deprecated or an unassigned code point.
    #[error("role name {name:?} contains the invisible or unassigned character U+{code_point:04X}")]
    InvisibleCharacter {
        /// The name (shortened, escaped when shown with `{:?}`).
        name: String,
        /// The character's code point.
        code_point: u32,
    },
    /// The name is a system role's, or one a person cannot tell from it
    /// (compared as [semantics](crate::semantics) §8.1 says: `"Аdmin"` with a
    /// Cyrillic `А`, `"Ｏｗｎｅｒ"`, `"end  user"`).
    #[error("role name {name:?} is reserved for a system role")]
    ReservedName {
        /// The name.
        name: String,
    },
    /// The organization already has a role with this name, or one a person
    /// cannot tell from it (compared as for [`ReservedName`](Self::ReservedName)).
    #[error("organization {organization} already has a role named {name:?}")]
    DuplicateName {
        /// The organization.
        organization: OrgId,
        /// The name (shortened).
        name: String,
    },
    /// A system role where a custom role was expected: system roles are
    /// always present and cannot be added, edited, renamed or deleted.
    #[error("{name} is a system role and cannot be changed")]
    SystemRole {
        /// The role's name.
        name: String,
    },
    /// A rule of the role was written against another catalog.
    #[error("rule {index} of role {role:?} was written against another catalog")]
    ForeignRule {
        /// The role's name (shortened).
        role: String,
        /// The rule's index in the role's rules.
        index: usize,
    },
    /// The role has more than
    /// [`MAX_RULES_PER_ROLE`](crate::limits::MAX_RULES_PER_ROLE) rules.
    #[error("role {role:?} has {count} rules, more than {max}", max = crate::limits::MAX_RULES_PER_ROLE)]
    TooManyRules {
        /// The role's name (shortened).
        role: String,
        /// How many rules it was given.
        count: usize,
    },
    /// The organization already has
    /// [`MAX_ROLES_PER_ORGANIZATION`](crate::limits::MAX_ROLES_PER_ORGANIZATION)
    /// custom roles.
    #[error("organization {organization} already has {max} custom roles", max = crate::limits::MAX_ROLES_PER_ORGANIZATION)]
    TooManyRoles {
        /// The organization.
        organization: OrgId,
    },
    /// More roles than role ids can number.
    #[error("too many roles: at most {max}")]
    TooMany {
        /// The limit.
        max: usize,
    },
}

/// Whether a role is one of the six system roles or a custom role.
///
/// # Examples
///
/// ```
/// use rolegate::role::RoleKind;
/// use rolegate::{Catalog, OrgId, Role, SystemRole};
///
/// let catalog = Catalog::standard();
/// let operator = Role::system(&catalog, SystemRole::Operator);
/// assert_eq!(operator.kind(), RoleKind::System(SystemRole::Operator));
/// let auditors = Role::custom(OrgId::new(1), "Auditors", [])?;
/// assert_eq!(auditors.kind(), RoleKind::Custom { organization: OrgId::new(1) });
/// assert_eq!(auditors.kind().to_string(), "custom");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoleKind {
    /// A fixed system role, the same in every organization.
    System(SystemRole),
    /// A custom role belonging to one organization.
    Custom {
        /// The organization the role belongs to.
        organization: OrgId,
    },
}

impl fmt::Display for RoleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::System(_) => "system",
            Self::Custom { .. } => "custom",
        })
    }
}

/// A named set of rules.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, MustMatch, OrgId, Role, Rule, SystemRole};
///
/// let catalog = Catalog::standard();
/// let viewer = Role::system(&catalog, SystemRole::Viewer);
/// assert_eq!(viewer.permissions().len(), 7);
///
/// let editor = Role::custom(
///     OrgId::new(1),
///     "Marketing Editor",
///     [Rule::builder(&catalog, "workflows", "update")
///         .must_match(MustMatch::TEAM)
///         .build()?],
/// )?;
/// assert_eq!(editor.name(), "Marketing Editor");
/// assert_eq!(editor.organization(), Some(OrgId::new(1)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    name: Box<str>,
    kind: RoleKind,
    rules: Vec<Rule>,
}

impl Role {
    /// A system role with its rules in `catalog` (see [`SystemRole::rules`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// let developer = Role::system(&catalog, SystemRole::Developer);
    /// assert_eq!(developer.name(), "Developer");
    /// assert_eq!(developer.rules().len(), 34);
    /// ```
    #[must_use]
    pub fn system(catalog: &Catalog, role: SystemRole) -> Self {
        Self {
            name: role.name().into(),
            kind: RoleKind::System(role),
            rules: role.rules(catalog),
        }
    }

    /// A custom role of `organization`.
    ///
    /// # Errors
    ///
    /// A [`RoleError`] when the name, once trimmed, is empty, longer than 64
    /// characters, holds a control, invisible or direction character, or is
    /// a system role's name or one a person cannot tell from it; or when
    /// there are more than [`MAX_RULES_PER_ROLE`](crate::limits::MAX_RULES_PER_ROLE)
    /// rules.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Role, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rules = [
    ///     Rule::builder(&catalog, "audit_log", "read").build()?,
    ///     Rule::builder(&catalog, "activity", "read").build()?,
    /// ];
    /// let auditor = Role::custom(OrgId::new(1), "  Auditor ", rules)?;
    /// assert_eq!(auditor.name(), "Auditor");
    /// assert!(Role::custom(OrgId::new(1), "viewer", []).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn custom<I>(organization: OrgId, name: &str, rules: I) -> Result<Self, RoleError>
    where
        I: IntoIterator<Item = Rule>,
    {
        let name = Self::validate_name(name)?;
        let rules: Vec<Rule> = rules.into_iter().collect();
        if rules.len() > crate::limits::MAX_RULES_PER_ROLE {
            return Err(RoleError::TooManyRules {
                role: excerpt(name),
                count: rules.len(),
            });
        }
        Ok(Self {
            name: name.into(),
            kind: RoleKind::Custom { organization },
            rules,
        })
    }

    /// Checks a custom role name and returns it trimmed.
    ///
    /// # Errors
    ///
    /// As [`Role::custom`].
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Role;
    ///
    /// assert_eq!(Role::validate_name("  Release Manager ")?, "Release Manager");
    /// assert!(Role::validate_name("Owner").is_err());
    /// assert!(Role::validate_name("tab\there").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate_name(name: &str) -> Result<&str, RoleError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(RoleError::EmptyName);
        }
        let length = name.chars().count();
        if length > MAX_ROLE_NAME {
            return Err(RoleError::NameTooLong {
                name: excerpt(name),
                length,
            });
        }
        if name.chars().any(char::is_control) {
            return Err(RoleError::ControlCharacter {
                name: excerpt(name),
            });
        }
        if let Some(c) = crate::name::forbidden_char(name) {
            return Err(RoleError::InvisibleCharacter {
                name: excerpt(name),
                code_point: u32::from(c),
            });
        }
        if SystemRole::named_like(name).is_some() {
            return Err(RoleError::ReservedName {
                name: name.to_owned(),
            });
        }
        Ok(name)
    }

    /// The role's name.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Role, SystemRole};
    ///
    /// let end_user = Role::system(&Catalog::standard(), SystemRole::EndUser);
    /// assert_eq!(end_user.name(), "End User");
    /// ```
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the role is a system or a custom role.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::role::RoleKind;
    /// use rolegate::{OrgId, Role};
    ///
    /// let auditors = Role::custom(OrgId::new(1), "Auditors", [])?;
    /// assert_eq!(auditors.kind(), RoleKind::Custom { organization: OrgId::new(1) });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> RoleKind {
        self.kind
    }

    /// The system role this is, if it is one.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// assert_eq!(Role::system(&catalog, SystemRole::Viewer).system_role(), Some(SystemRole::Viewer));
    /// assert_eq!(Role::custom(OrgId::new(1), "Auditors", [])?.system_role(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn system_role(&self) -> Option<SystemRole> {
        match self.kind {
            RoleKind::System(r) => Some(r),
            RoleKind::Custom { .. } => None,
        }
    }

    /// The organization of a custom role; `None` for a system role.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, OrgId, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// assert_eq!(Role::custom(OrgId::new(1), "Auditors", [])?.organization(), Some(OrgId::new(1)));
    /// assert_eq!(Role::system(&catalog, SystemRole::Admin).organization(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn organization(&self) -> Option<OrgId> {
        match self.kind {
            RoleKind::System(_) => None,
            RoleKind::Custom { organization } => Some(organization),
        }
    }

    /// The role's own rules (not synced, not built-in).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Role, SystemRole};
    ///
    /// let catalog = Catalog::standard();
    /// let viewer = Role::system(&catalog, SystemRole::Viewer);
    /// let first: Vec<String> = viewer
    ///     .rules()
    ///     .iter()
    ///     .take(2)
    ///     .map(|r| r.display(&catalog).to_string())
    ///     .collect();
    /// assert_eq!(first, ["connectors.read [organization]", "connections.read [organization]"]);
    /// // The built-in profile rules are not among them.
    /// assert_eq!(viewer.rules().len(), 7);
    /// ```
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The distinct permissions the role's own rules grant, however narrowed:
    /// what a role listing counts. Synced and built-in grants are not in it.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, MustMatch, OrgId, Role, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let all = Rule::builder(&catalog, "workflows", "read").build()?;
    /// let by_team = Rule::builder(&catalog, "workflows", "read")
    ///     .must_match(MustMatch::TEAM)
    ///     .build()?;
    /// let readers = Role::custom(OrgId::new(1), "Readers", [all, by_team])?;
    /// assert_eq!(readers.rules().len(), 2);
    /// assert_eq!(readers.permissions().len(), 1);
    /// assert!(readers.permissions().contains(catalog.permission("workflows", "read")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn permissions(&self) -> PermissionSet {
        self.rules.iter().map(Rule::permission).collect()
    }
}
