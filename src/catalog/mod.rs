//! The catalog: resource types, their actions and attributes, synced permissions and built-in rules.
//!
//! A catalog is data, not code. [`Catalog::standard`] and
//! [`Catalog::content_platform`] are two presets built with the same public
//! [`CatalogBuilder`] a host uses for its own.

mod builder;
mod display;
mod presets;
mod write;

pub use builder::{CatalogBuilder, CatalogError, Limit, NameKind};
pub use display::{ConditionDisplay, ConditionsDisplay, RuleDisplay};
pub use write::{RuleBuilder, RuleError, RuleSpec, RuleSpecError};

pub use crate::condition::AttrType;
pub use crate::id::PermissionSet;

use hashbrown::HashMap;

use crate::id::{ActionId, AttributeId, PermissionId, ResourceTypeId};
use crate::rule::Rule;
use crate::text::{Text, excerpt};

/// A name that does not resolve in a catalog.
///
/// Returned by the catalog's lookups and, wrapped, by rule writing.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, NameError};
///
/// let catalog = Catalog::standard();
/// let err = catalog.permission("billing", "execute").unwrap_err();
/// assert!(matches!(err, NameError::NotApplicable { .. }));
/// assert_eq!(err.to_string(), r#"action "execute" is not applicable to resource type "billing""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// No resource type has this name.
    #[error("unknown resource type {name:?}")]
    UnknownResourceType {
        /// The name asked for.
        name: String,
    },
    /// No resource type declares an action with this name.
    #[error("unknown action {name:?}")]
    UnknownAction {
        /// The name asked for.
        name: String,
    },
    /// No resource type declares an attribute with this name.
    #[error("unknown attribute {name:?}")]
    UnknownAttribute {
        /// The name asked for.
        name: String,
    },
    /// The text is not of the form `resource.action`.
    #[error("malformed permission {name:?}: expected `resource.action`")]
    MalformedPermission {
        /// The text given.
        name: String,
    },
    /// The action exists but the resource type does not declare it.
    #[error("action {action:?} is not applicable to resource type {resource:?}")]
    NotApplicable {
        /// The resource type.
        resource: String,
        /// The action.
        action: String,
    },
}

/// What the catalog knows of one permission.
///
/// # Examples
///
/// ```
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// let p = catalog.permission("workflows", "execute")?;
/// let info = catalog.permission_info(p).ok_or("unknown")?;
/// assert_eq!(info.name, "workflows.execute");
/// assert!(info.grantable);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PermissionInfo<'c> {
    /// The permission's id.
    pub id: PermissionId,
    /// Its resource type.
    pub resource_type: ResourceTypeId,
    /// Its action.
    pub action: ActionId,
    /// Its name, `resource.action`.
    pub name: &'c str,
    /// Whether rules may grant it (false for built-in resource types such as
    /// `profile`).
    pub grantable: bool,
}

#[derive(Clone, Debug)]
struct TypeEntry {
    name: Text,
    grantable: bool,
    actions: Box<[ActionId]>,
    /// Sorted by attribute id.
    attributes: Box<[(AttributeId, AttrType)]>,
    /// Every type this one's rules are synced to, transitively.
    sync_targets: Box<[ResourceTypeId]>,
}

#[derive(Clone, Debug)]
struct PermEntry {
    resource_type: ResourceTypeId,
    action: ActionId,
    name: Text,
    grantable: bool,
}

/// Sentinel in the permission table for an inapplicable pair: one above
/// [`PermissionId::MAX`], so that no role's masks ever hold its bit, which
/// `Policy::can` relies on.
pub(crate) const NO_PERMISSION: u16 = u16::MAX;
const _: () = assert!(NO_PERMISSION as usize == PermissionId::MAX + 1);

/// The permission catalog: resource types, their applicable actions and
/// declared attributes, synced permissions and built-in rules.
///
/// Built once, validated, then immutable. Names live here; everything after
/// works on the dense ids the catalog hands out.
///
/// # Examples
///
/// ```
/// use rolegate::Catalog;
///
/// let catalog = Catalog::standard();
/// assert_eq!(catalog.grantable_permission_count(), 39);
///
/// let stats = Catalog::content_platform();
/// let ty = stats.resource_type("statistics")?;
/// let actions: Vec<&str> = stats
///     .actions_of(ty)
///     .iter()
///     .filter_map(|&a| stats.action_name(a))
///     .collect();
/// assert_eq!(actions, ["access", "export"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Catalog {
    types: Box<[TypeEntry]>,
    actions: Box<[Box<str>]>,
    attributes: Box<[Box<str>]>,
    permissions: Box<[PermEntry]>,
    /// `table[type * actions.len() + action]` is the permission id or
    /// [`NO_PERMISSION`].
    table: Box<[u16]>,
    type_by_name: HashMap<Box<str>, ResourceTypeId>,
    action_by_name: HashMap<Box<str>, ActionId>,
    attribute_by_name: HashMap<Box<str>, AttributeId>,
    builtin_rules: Box<[Rule]>,
    /// The syncs as declared: `(from, to)`, in declaration order.
    syncs: Box<[(ResourceTypeId, ResourceTypeId)]>,
    grantable_count: usize,
    fingerprint: u64,
}

impl Catalog {
    /// Starts an empty catalog.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::builder()
    ///     .resource_type("documents", ["read", "update"])
    ///     .attribute("documents", "status", AttrType::String)
    ///     .build()?;
    /// assert_eq!(catalog.permission_count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn builder() -> CatalogBuilder {
        CatalogBuilder::new()
    }

    /// The standard catalog of [semantics](crate::semantics) §1.5: 39 grantable permissions over eleven
    /// resource types, plus the built-in `profile.read` and `profile.update`
    /// rules with must-match `owner`.
    ///
    /// Use [`CatalogBuilder::standard`] to extend it with types of your own.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// assert_eq!(catalog.grantable_permission_count(), 39);
    /// assert_eq!(catalog.builtin_rules().len(), 2);
    /// ```
    #[must_use]
    pub fn standard() -> Self {
        CatalogBuilder::standard()
            .build()
            .unwrap_or_else(|_| Self::empty())
    }

    /// The content-platform catalog: `content`, `content_font_resources`,
    /// `datasource`, `oauth_clients`, `statistics` and `workflow`, with rules
    /// on `content` synced to `content_font_resources` and rules on
    /// `datasource` synced to `oauth_clients`.
    ///
    /// Use [`CatalogBuilder::content_platform`] to extend it.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::content_platform();
    /// let content = catalog.resource_type("content")?;
    /// let fonts = catalog.resource_type("content_font_resources")?;
    /// assert_eq!(catalog.sync_targets(content), [fonts]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn content_platform() -> Self {
        CatalogBuilder::content_platform()
            .build()
            .unwrap_or_else(|_| Self::empty())
    }

    /// A catalog with nothing in it: every check against it denies.
    fn empty() -> Self {
        Self {
            types: Box::new([]),
            actions: Box::new([]),
            attributes: Box::new([]),
            permissions: Box::new([]),
            table: Box::new([]),
            type_by_name: HashMap::new(),
            action_by_name: HashMap::new(),
            attribute_by_name: HashMap::new(),
            builtin_rules: Box::new([]),
            syncs: Box::new([]),
            grantable_count: 0,
            fingerprint: 0,
        }
    }

    /// A digest of the declarations the catalog was built from. Catalogs
    /// built from the same declarations share it; a [`Rule`] records the
    /// fingerprint of the catalog it was written against, and a
    /// [`Policy`](crate::Policy) refuses rules of another.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// assert_eq!(Catalog::standard().fingerprint(), Catalog::standard().fingerprint());
    /// assert_ne!(Catalog::standard().fingerprint(), Catalog::content_platform().fingerprint());
    /// ```
    #[must_use]
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Number of resource types, built-in types such as `profile` included.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// // Eleven grantable types and the built-in `profile`.
    /// assert_eq!(Catalog::standard().resource_type_count(), 12);
    /// ```
    #[must_use]
    pub fn resource_type_count(&self) -> usize {
        self.types.len()
    }

    /// Number of distinct action names.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// // create, read, update, delete, deploy_test, deploy_prod, execute, share, manage
    /// assert_eq!(Catalog::standard().action_count(), 9);
    /// ```
    #[must_use]
    pub fn action_count(&self) -> usize {
        self.actions.len()
    }

    /// Number of permissions, built-in resource types included.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// // 39 grantable permissions, plus `profile.read` and `profile.update`.
    /// assert_eq!(Catalog::standard().permission_count(), 41);
    /// ```
    #[must_use]
    pub fn permission_count(&self) -> usize {
        self.permissions.len()
    }

    /// Number of permissions a rule may grant (39 in the standard catalog).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// assert_eq!(catalog.grantable_permission_count(), 39);
    /// assert_eq!(catalog.grantable_permissions().count(), 39);
    /// ```
    #[must_use]
    pub fn grantable_permission_count(&self) -> usize {
        self.grantable_count
    }

    /// Resolves a resource type name.
    ///
    /// # Errors
    ///
    /// [`NameError::UnknownResourceType`] when no type has this name.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let ty = catalog.resource_type("workflows")?;
    /// assert_eq!(catalog.resource_type_name(ty), Some("workflows"));
    /// assert!(catalog.resource_type("spaceships").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resource_type(&self, name: &str) -> Result<ResourceTypeId, NameError> {
        self.type_by_name
            .get(name)
            .copied()
            .ok_or_else(|| NameError::UnknownResourceType {
                name: excerpt(name),
            })
    }

    /// Resolves an action name.
    ///
    /// # Errors
    ///
    /// [`NameError::UnknownAction`] when no type declares this action.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let execute = catalog.action("execute")?;
    /// assert_eq!(catalog.action_name(execute), Some("execute"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn action(&self, name: &str) -> Result<ActionId, NameError> {
        self.action_by_name
            .get(name)
            .copied()
            .ok_or_else(|| NameError::UnknownAction {
                name: excerpt(name),
            })
    }

    /// Resolves an attribute name.
    ///
    /// # Errors
    ///
    /// [`NameError::UnknownAttribute`] when no type declares this attribute.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let status = catalog.attribute("status")?;
    /// let workflows = catalog.resource_type("workflows")?;
    /// assert_eq!(catalog.attribute_type(workflows, status), Some(AttrType::String));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn attribute(&self, name: &str) -> Result<AttributeId, NameError> {
        self.attribute_by_name
            .get(name)
            .copied()
            .ok_or_else(|| NameError::UnknownAttribute {
                name: excerpt(name),
            })
    }

    /// Resolves a permission from its resource type and action names.
    ///
    /// # Errors
    ///
    /// [`NameError::UnknownResourceType`], [`NameError::UnknownAction`], or
    /// [`NameError::NotApplicable`] when the type does not declare the action.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let p = catalog.permission("workflows", "execute")?;
    /// assert_eq!(catalog.permission_name(p), Some("workflows.execute"));
    /// assert!(catalog.permission("billing", "execute").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn permission(&self, resource: &str, action: &str) -> Result<PermissionId, NameError> {
        let ty = self.resource_type(resource)?;
        let act = self.action(action)?;
        self.permission_of(ty, act)
            .ok_or_else(|| NameError::NotApplicable {
                resource: excerpt(resource),
                action: excerpt(action),
            })
    }

    /// Resolves a permission from its dotted name, `resource.action`.
    ///
    /// # Errors
    ///
    /// [`NameError::MalformedPermission`] when there is no dot, otherwise as
    /// [`Catalog::permission`].
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let p = catalog.permission_named("members.manage")?;
    /// assert_eq!(catalog.permission_name(p), Some("members.manage"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn permission_named(&self, name: &str) -> Result<PermissionId, NameError> {
        let (resource, action) =
            name.split_once('.')
                .ok_or_else(|| NameError::MalformedPermission {
                    name: excerpt(name),
                })?;
        self.permission(resource, action)
    }

    /// The permission of an applicable (resource type, action) pair, or
    /// `None` when the action does not apply to the type or either id is
    /// unknown.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let execute = catalog.action("execute")?;
    /// let workflows = catalog.resource_type("workflows")?;
    /// let billing = catalog.resource_type("billing")?;
    /// let workflows_execute = catalog.permission("workflows", "execute")?;
    /// assert_eq!(catalog.permission_of(workflows, execute), Some(workflows_execute));
    /// assert_eq!(catalog.permission_of(billing, execute), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    #[must_use]
    pub fn permission_of(
        &self,
        resource: ResourceTypeId,
        action: ActionId,
    ) -> Option<PermissionId> {
        let n = self.actions.len();
        if action.index() >= n {
            return None;
        }
        let raw = *self.table.get(resource.index() * n + action.index())?;
        if raw == NO_PERMISSION {
            None
        } else {
            PermissionId::new(usize::from(raw))
        }
    }

    /// Whether `action` applies to `resource`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let deploy_prod = catalog.action("deploy_prod")?;
    /// assert!(catalog.is_applicable(catalog.resource_type("connectors")?, deploy_prod));
    /// assert!(!catalog.is_applicable(catalog.resource_type("agents")?, deploy_prod));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_applicable(&self, resource: ResourceTypeId, action: ActionId) -> bool {
        self.permission_of(resource, action).is_some()
    }

    /// Every resource type, in declaration order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let names: Vec<&str> = catalog
    ///     .resource_types()
    ///     .filter_map(|t| catalog.resource_type_name(t))
    ///     .collect();
    /// assert_eq!(names.len(), 12);
    /// assert_eq!(names.first(), Some(&"connectors"));
    /// assert_eq!(names.last(), Some(&"profile"));
    /// ```
    pub fn resource_types(&self) -> impl Iterator<Item = ResourceTypeId> + '_ {
        (0..self.types.len()).filter_map(ResourceTypeId::new)
    }

    /// Every permission, in declaration order (type by type, each type's
    /// actions in the order declared).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let first: Vec<&str> = catalog.permissions().map(|p| p.name).take(3).collect();
    /// assert_eq!(first, ["connectors.create", "connectors.read", "connectors.update"]);
    /// assert_eq!(catalog.permissions().count(), 41);
    /// ```
    pub fn permissions(&self) -> impl Iterator<Item = PermissionInfo<'_>> + '_ {
        (0..self.permissions.len())
            .filter_map(PermissionId::new)
            .filter_map(|p| self.permission_info(p))
    }

    /// Every grantable permission, in declaration order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// assert_eq!(catalog.grantable_permissions().count(), 39);
    /// assert!(catalog.grantable_permissions().all(|p| !p.name.starts_with("profile.")));
    /// ```
    pub fn grantable_permissions(&self) -> impl Iterator<Item = PermissionInfo<'_>> + '_ {
        self.permissions().filter(|p| p.grantable)
    }

    /// What the catalog knows of one permission.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let info = catalog
    ///     .permission_info(catalog.permission("profile", "read")?)
    ///     .ok_or("unknown permission")?;
    /// assert_eq!(info.name, "profile.read");
    /// assert_eq!(info.resource_type, catalog.resource_type("profile")?);
    /// assert!(!info.grantable);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn permission_info(&self, permission: PermissionId) -> Option<PermissionInfo<'_>> {
        let entry = self.permissions.get(permission.index())?;
        Some(PermissionInfo {
            id: permission,
            resource_type: entry.resource_type,
            action: entry.action,
            name: &entry.name,
            grantable: entry.grantable,
        })
    }

    /// The dotted name of a permission, `resource.action`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let p = catalog.permission("audit_log", "read")?;
    /// assert_eq!(catalog.permission_name(p), Some("audit_log.read"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn permission_name(&self, permission: PermissionId) -> Option<&str> {
        self.permissions.get(permission.index()).map(|p| &*p.name)
    }

    /// The name of the pair `resource.action`: the permission's name when the
    /// pair is one, and otherwise the same form from the names of its parts
    /// (an unknown id written as the id), for messages and records about a
    /// request whatever it asked.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{ActionId, Catalog};
    ///
    /// let catalog = Catalog::standard();
    /// let (workflows, billing) = (catalog.resource_type("workflows")?, catalog.resource_type("billing")?);
    /// let execute = catalog.action("execute")?;
    /// assert_eq!(catalog.pair_name(workflows, execute), "workflows.execute");
    /// assert_eq!(catalog.pair_name(billing, execute), "billing.execute", "not a permission");
    /// let unknown = ActionId::new(999).ok_or("in range")?;
    /// assert_eq!(catalog.pair_name(billing, unknown), "billing.action #999");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn pair_name(&self, resource: ResourceTypeId, action: ActionId) -> String {
        if let Some(name) = self
            .permission_of(resource, action)
            .and_then(|p| self.permission_name(p))
        {
            return name.to_owned();
        }
        let resource = self
            .resource_type_name(resource)
            .map_or_else(|| resource.to_string(), str::to_owned);
        let action = self
            .action_name(action)
            .map_or_else(|| action.to_string(), str::to_owned);
        format!("{resource}.{action}")
    }

    /// A permission's name as an event's text, copied without allocating.
    pub(crate) fn permission_text(&self, permission: PermissionId) -> Option<&Text> {
        self.permissions.get(permission.index()).map(|p| &p.name)
    }

    /// A resource type's name as an event's text.
    pub(crate) fn resource_type_text(&self, resource: ResourceTypeId) -> Option<&Text> {
        self.types.get(resource.index()).map(|t| &t.name)
    }

    /// The name of a resource type.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, ResourceTypeId};
    ///
    /// let catalog = Catalog::standard();
    /// let connections = catalog.resource_type("connections")?;
    /// assert_eq!(catalog.resource_type_name(connections), Some("connections"));
    /// assert_eq!(catalog.resource_type_name(ResourceTypeId::new(99).ok_or("too large")?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn resource_type_name(&self, resource: ResourceTypeId) -> Option<&str> {
        self.types.get(resource.index()).map(|t| &*t.name)
    }

    /// The name of an action.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let share = catalog.action("share")?;
    /// assert_eq!(catalog.action_name(share), Some("share"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn action_name(&self, action: ActionId) -> Option<&str> {
        self.actions.get(action.index()).map(|a| &**a)
    }

    /// The name of an attribute.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let priority = catalog.attribute("priority")?;
    /// assert_eq!(catalog.attribute_name(priority), Some("priority"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn attribute_name(&self, attribute: AttributeId) -> Option<&str> {
        self.attributes.get(attribute.index()).map(|a| &**a)
    }

    /// The actions applicable to a resource type, in declaration order: what a
    /// role editor shows as that type's columns.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let members = catalog.resource_type("members")?;
    /// let actions: Vec<&str> = catalog
    ///     .actions_of(members)
    ///     .iter()
    ///     .filter_map(|&a| catalog.action_name(a))
    ///     .collect();
    /// assert_eq!(actions, ["read", "manage"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn actions_of(&self, resource: ResourceTypeId) -> &[ActionId] {
        self.types.get(resource.index()).map_or(&[], |t| &t.actions)
    }

    /// The attributes a resource type declares, with their types, ordered by
    /// attribute id.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let agents = catalog.resource_type("agents")?;
    /// let attributes: Vec<(&str, AttrType)> = catalog
    ///     .attributes_of(agents)
    ///     .iter()
    ///     .filter_map(|&(a, ty)| Some((catalog.attribute_name(a)?, ty)))
    ///     .collect();
    /// assert_eq!(
    ///     attributes,
    ///     [("status", AttrType::String), ("priority", AttrType::Integer), ("environment", AttrType::String)]
    /// );
    /// assert!(catalog.attributes_of(catalog.resource_type("billing")?).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn attributes_of(&self, resource: ResourceTypeId) -> &[(AttributeId, AttrType)] {
        self.types
            .get(resource.index())
            .map_or(&[], |t| &t.attributes)
    }

    /// The declared type of `attribute` on `resource`, or `None` when the
    /// type does not declare it.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let priority = catalog.attribute("priority")?;
    /// assert_eq!(catalog.attribute_type(catalog.resource_type("tools")?, priority), Some(AttrType::Integer));
    /// assert_eq!(catalog.attribute_type(catalog.resource_type("billing")?, priority), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn attribute_type(
        &self,
        resource: ResourceTypeId,
        attribute: AttributeId,
    ) -> Option<AttrType> {
        let attrs = self.attributes_of(resource);
        attrs
            .binary_search_by_key(&attribute, |&(a, _)| a)
            .ok()
            .and_then(|i| attrs.get(i))
            .map(|&(_, t)| t)
    }

    /// Whether rules may be written on this resource type (false for
    /// built-in types such as `profile`, and for unknown ids).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// assert!(catalog.is_grantable(catalog.resource_type("workflows")?));
    /// assert!(!catalog.is_grantable(catalog.resource_type("profile")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn is_grantable(&self, resource: ResourceTypeId) -> bool {
        self.types
            .get(resource.index())
            .is_some_and(|t| t.grantable)
    }

    /// The resource types that a rule on `resource` is synced to, directly or
    /// through a chain of syncs.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::builder()
    ///     .resource_type("content", ["read", "update"])
    ///     .resource_type("attachments", ["read", "update"])
    ///     .resource_type("thumbnails", ["read", "update"])
    ///     .sync("content", "attachments")
    ///     .sync("attachments", "thumbnails")
    ///     .build()?;
    /// let content = catalog.resource_type("content")?;
    /// let attachments = catalog.resource_type("attachments")?;
    /// let thumbnails = catalog.resource_type("thumbnails")?;
    /// assert_eq!(catalog.sync_targets(content), [attachments, thumbnails]);
    /// assert!(catalog.sync_targets(thumbnails).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn sync_targets(&self, resource: ResourceTypeId) -> &[ResourceTypeId] {
        self.types
            .get(resource.index())
            .map_or(&[], |t| &t.sync_targets)
    }

    /// The syncs as declared with [`CatalogBuilder::sync`]: `(from, to)`
    /// pairs, in declaration order, without the chains
    /// [`sync_targets`](Self::sync_targets) follows.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::builder()
    ///     .resource_type("content", ["read", "update"])
    ///     .resource_type("attachments", ["read", "update"])
    ///     .resource_type("thumbnails", ["read", "update"])
    ///     .sync("attachments", "thumbnails")
    ///     .sync("content", "attachments")
    ///     .build()?;
    /// let names: Vec<(&str, &str)> = catalog
    ///     .syncs()
    ///     .iter()
    ///     .filter_map(|&(from, to)| Some((catalog.resource_type_name(from)?, catalog.resource_type_name(to)?)))
    ///     .collect();
    /// assert_eq!(names, [("attachments", "thumbnails"), ("content", "attachments")]);
    /// assert!(Catalog::standard().syncs().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn syncs(&self) -> &[(ResourceTypeId, ResourceTypeId)] {
        &self.syncs
    }

    /// The built-in rules, which every role holds and nobody can remove.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let rules: Vec<String> = catalog
    ///     .builtin_rules()
    ///     .iter()
    ///     .map(|r| r.display(&catalog).to_string())
    ///     .collect();
    /// assert_eq!(rules, ["profile.read [organization;owner]", "profile.update [organization;owner]"]);
    /// ```
    #[must_use]
    pub fn builtin_rules(&self) -> &[Rule] {
        &self.builtin_rules
    }

    /// The raw permission table, for the compiler.
    pub(crate) fn permission_table(&self) -> (&[u16], usize) {
        (&self.table, self.actions.len())
    }
}
