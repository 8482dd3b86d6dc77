//! Rules: a resource type, an action, must-match scoping and conditions.
//!
//! A [`Rule`] grants one permission, possibly narrowed. It is validated
//! against a [`Catalog`](crate::Catalog) when it is written, so a rule that exists is a rule
//! the engine can compile.

use core::fmt;

use crate::condition::Conditions;
use crate::id::{ActionId, PermissionId, ResourceTypeId};
use crate::text::excerpt;

bitflags::bitflags! {
    /// Scoping keys a resource must share with the subject ([semantics](crate::semantics) §3).
    ///
    /// `ORGANIZATION` is implied on every rule: [`Rule`] always carries it.
    /// The text form joins keys with `;` in this order:
    /// `organization;customer;team;owner`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::MustMatch;
    ///
    /// let keys: MustMatch = "team; organization".parse()?;
    /// assert_eq!(keys, MustMatch::ORGANIZATION | MustMatch::TEAM);
    /// assert_eq!(keys.to_string(), "organization;team");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub struct MustMatch: u8 {
        /// The resource is in the subject's organization.
        const ORGANIZATION = 1;
        /// Both have a customer and it is the same one.
        const CUSTOMER = 1 << 1;
        /// The resource has a team and it is one of the subject's teams.
        const TEAM = 1 << 2;
        /// The resource has an owner and it is the subject.
        const OWNER = 1 << 3;
    }
}

impl MustMatch {
    /// The keys with their text names, in canonical order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::MustMatch;
    ///
    /// let names: Vec<&str> = MustMatch::KEYS.iter().map(|&(_, name)| name).collect();
    /// assert_eq!(names, ["organization", "customer", "team", "owner"]);
    /// ```
    pub const KEYS: [(Self, &'static str); 4] = [
        (Self::ORGANIZATION, "organization"),
        (Self::CUSTOMER, "customer"),
        (Self::TEAM, "team"),
        (Self::OWNER, "owner"),
    ];
}

impl fmt::Display for MustMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (key, name) in Self::KEYS {
            if self.contains(key) {
                if !first {
                    f.write_str(";")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

/// A must-match text that names an unknown key.
///
/// # Examples
///
/// ```
/// use rolegate::MustMatch;
///
/// let err = "organization;tenant".parse::<MustMatch>().unwrap_err();
/// assert_eq!(err.key(), "tenant");
/// assert_eq!(err.column(), 14);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown must-match key {key:?} at column {column}: expected organization, customer, team or owner"
)]
pub struct MustMatchError {
    key: String,
    column: usize,
}

impl MustMatchError {
    /// The key as written.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::MustMatch;
    ///
    /// // Keys are lowercase.
    /// let err = "team;Owner".parse::<MustMatch>().unwrap_err();
    /// assert_eq!(err.key(), "Owner");
    /// ```
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Its 1-based character column in the text.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::MustMatch;
    ///
    /// let err = "customer; tenant".parse::<MustMatch>().unwrap_err();
    /// assert_eq!(err.column(), 11);
    /// ```
    #[must_use]
    pub fn column(&self) -> usize {
        self.column
    }
}

impl core::str::FromStr for MustMatch {
    type Err = MustMatchError;

    /// Parses keys separated by `;`, with optional blanks around each; the
    /// empty text is no key. Keys are lowercase.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut keys = Self::empty();
        let mut offset = 0;
        for part in text.split(';') {
            let key = part.trim();
            if !key.is_empty() {
                let lead = part.len() - part.trim_start().len();
                let found = Self::KEYS.iter().find(|(_, name)| *name == key);
                match found {
                    Some(&(flag, _)) => keys |= flag,
                    None => {
                        let column = text.get(..offset + lead).map_or(0, |t| t.chars().count()) + 1;
                        return Err(MustMatchError {
                            key: excerpt(key),
                            column,
                        });
                    }
                }
            }
            offset += part.len() + 1;
        }
        Ok(keys)
    }
}

/// One grant: a permission, narrowed by must-match keys and conditions.
///
/// Every rule carries must-match `organization`. A rule is *unconditional*
/// when that is all it carries.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, MustMatch, Rule};
///
/// let catalog = Catalog::standard();
/// let rule = Rule::builder(&catalog, "workflows", "update")
///     .must_match(MustMatch::TEAM)
///     .conditions(r#"status != "archived""#)
///     .build()?;
/// assert_eq!(rule.must_match(), MustMatch::ORGANIZATION | MustMatch::TEAM);
/// assert_eq!(
///     rule.display(&catalog).to_string(),
///     r#"workflows.update [organization;team] if status != "archived""#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rule {
    catalog: u64,
    resource: ResourceTypeId,
    action: ActionId,
    permission: PermissionId,
    must_match: MustMatch,
    conditions: Conditions,
}

impl Rule {
    /// A rule from parts resolved against the catalog whose fingerprint is
    /// `catalog`; `ORGANIZATION` is added to the must-match keys.
    pub(crate) fn from_parts(
        catalog: u64,
        resource: ResourceTypeId,
        action: ActionId,
        permission: PermissionId,
        must_match: MustMatch,
        conditions: Conditions,
    ) -> Self {
        Self {
            catalog,
            resource,
            action,
            permission,
            must_match: normalize(must_match),
            conditions,
        }
    }

    /// The [`Catalog::fingerprint`](crate::Catalog::fingerprint) of the catalog the rule was written
    /// against.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "agents", "read").build()?;
    /// assert_eq!(rule.catalog_fingerprint(), catalog.fingerprint());
    /// assert_ne!(rule.catalog_fingerprint(), Catalog::content_platform().fingerprint());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn catalog_fingerprint(&self) -> u64 {
        self.catalog
    }

    /// The resource type the rule grants on.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "connections", "share").build()?;
    /// assert_eq!(rule.resource_type(), catalog.resource_type("connections")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn resource_type(&self) -> ResourceTypeId {
        self.resource
    }

    /// The action the rule grants.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "connections", "share").build()?;
    /// assert_eq!(rule.action(), catalog.action("share")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn action(&self) -> ActionId {
        self.action
    }

    /// The permission the rule grants.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "connections", "share").build()?;
    /// assert_eq!(catalog.permission_name(rule.permission()), Some("connections.share"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn permission(&self) -> PermissionId {
        self.permission
    }

    /// The must-match keys, `ORGANIZATION` always among them.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, MustMatch, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "connections", "update")
    ///     .must_match(MustMatch::OWNER)
    ///     .build()?;
    /// assert_eq!(rule.must_match(), MustMatch::ORGANIZATION | MustMatch::OWNER);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn must_match(&self) -> MustMatch {
        self.must_match
    }

    /// The conditions, all of which must hold.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "workflows", "deploy_prod")
    ///     .conditions(r#"priority <= 3 and environment == "prod""#)
    ///     .build()?;
    /// assert_eq!(rule.conditions().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn conditions(&self) -> &Conditions {
        &self.conditions
    }

    /// Whether the rule grants its permission on every resource of the
    /// subject's organization: no must-match key but `organization` and no
    /// condition.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, MustMatch, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let plain = Rule::builder(&catalog, "workflows", "read").build()?;
    /// let by_team = Rule::builder(&catalog, "workflows", "read")
    ///     .must_match(MustMatch::TEAM)
    ///     .build()?;
    /// let in_test = Rule::builder(&catalog, "workflows", "read")
    ///     .conditions(r#"environment == "test""#)
    ///     .build()?;
    /// assert!(plain.is_unconditional());
    /// assert!(!by_team.is_unconditional() && !in_test.is_unconditional());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_unconditional(&self) -> bool {
        self.must_match == MustMatch::ORGANIZATION && self.conditions.is_empty()
    }
}

/// Always carry `ORGANIZATION`, and only known keys.
fn normalize(must_match: MustMatch) -> MustMatch {
    (must_match & MustMatch::all()) | MustMatch::ORGANIZATION
}
