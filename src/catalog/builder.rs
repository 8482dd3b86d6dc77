//! The validating catalog builder and its error.

use core::fmt;

use super::write::RuleError;
use super::{Catalog, NO_PERMISSION, NameError, PermEntry, TypeEntry};
use crate::condition::{AttrType, is_keyword};
use crate::id::{ActionId, AttributeId, PermissionId, ResourceTypeId};
use crate::rule::{MustMatch, Rule};
use crate::text::{Text, excerpt, is_identifier};

/// What was wrong with a catalog description.
///
/// # Examples
///
/// ```
/// use rolegate::catalog::CatalogError;
/// use rolegate::Catalog;
///
/// let err = Catalog::builder()
///     .resource_type("documents", ["read"])
///     .resource_type("documents", ["update"])
///     .build()
///     .unwrap_err();
/// assert_eq!(err, CatalogError::DuplicateResourceType { name: "documents".into() });
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// A resource type, action or attribute name is not an ASCII identifier of
    /// 1 to 64 characters, or an attribute is named after a condition keyword.
    #[error(
        "invalid {kind} name {name:?}: expected an identifier of at most 64 ASCII letters, digits or `_`, not a keyword"
    )]
    InvalidName {
        /// What the name was for.
        kind: NameKind,
        /// The name.
        name: String,
    },
    /// Two resource types share a name.
    #[error("resource type {name:?} is declared twice")]
    DuplicateResourceType {
        /// The name.
        name: String,
    },
    /// A resource type lists an action twice.
    #[error("resource type {resource:?} lists action {action:?} twice")]
    DuplicateAction {
        /// The resource type.
        resource: String,
        /// The action.
        action: String,
    },
    /// A resource type declares no action.
    #[error("resource type {resource:?} declares no action")]
    NoActions {
        /// The resource type.
        resource: String,
    },
    /// A resource type declares an attribute twice.
    #[error("resource type {resource:?} declares attribute {attribute:?} twice")]
    DuplicateAttribute {
        /// The resource type.
        resource: String,
        /// The attribute.
        attribute: String,
    },
    /// An attribute, sync or built-in rule names a resource type that was not
    /// declared.
    #[error("unknown resource type {name:?} in {context}")]
    UnknownResourceType {
        /// The name.
        name: String,
        /// Where it was used.
        context: NameKind,
    },
    /// A sync from a type to itself, or the same sync declared twice.
    #[error("sync from {from:?} to {to:?} is declared twice or points to itself")]
    DuplicateSync {
        /// The source type.
        from: String,
        /// The target type.
        to: String,
    },
    /// A sync's target does not declare one of the source's actions.
    #[error("cannot sync {from:?} to {to:?}: {to:?} does not declare action {action:?}")]
    SyncActionMissing {
        /// The source type.
        from: String,
        /// The target type.
        to: String,
        /// The action missing on the target.
        action: String,
    },
    /// A sync's target does not declare one of the source's attributes with
    /// the same type, so synced conditions could not be evaluated on it.
    #[error(
        "cannot sync {from:?} to {to:?}: attribute {attribute:?} is not declared on {to:?} with the same type"
    )]
    SyncAttributeMismatch {
        /// The source type.
        from: String,
        /// The target type.
        to: String,
        /// The attribute.
        attribute: String,
    },
    /// A sync from or to a built-in resource type: it would let roles grant
    /// a built-in permission, or spread built-in rules to other types.
    #[error("cannot sync {from:?} to {to:?}: {builtin:?} is a built-in resource type")]
    SyncBuiltin {
        /// The source type.
        from: String,
        /// The target type.
        to: String,
        /// The built-in one of the two.
        builtin: String,
    },
    /// Syncs form a cycle through this resource type.
    #[error("syncs form a cycle through resource type {resource:?}")]
    SyncCycle {
        /// A type on the cycle.
        resource: String,
    },
    /// A built-in rule is invalid.
    #[error("invalid built-in rule on {resource:?}.{action:?}")]
    BuiltinRule {
        /// The rule's resource type.
        resource: String,
        /// The rule's action.
        action: String,
        /// What was wrong with it.
        #[source]
        source: Box<RuleError>,
    },
    /// More resource types, actions, attributes or permissions than the dense
    /// ids can number.
    #[error("too many {what}: at most {max}")]
    TooMany {
        /// What overflowed.
        what: Limit,
        /// The limit.
        max: usize,
    },
}

/// What a name in a catalog declaration names, or where it is used.
///
/// # Examples
///
/// ```
/// use rolegate::catalog::{CatalogError, NameKind};
/// use rolegate::Catalog;
///
/// let err = Catalog::builder().resource_type("bad name", ["read"]).build().unwrap_err();
/// assert!(matches!(err, CatalogError::InvalidName { kind: NameKind::ResourceType, .. }));
/// assert_eq!(NameKind::ResourceType.to_string(), "resource type");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NameKind {
    /// A resource type.
    ResourceType,
    /// An action.
    Action,
    /// An attribute.
    Attribute,
    /// A sync between two resource types.
    Sync,
    /// A built-in rule.
    BuiltinRule,
}

impl fmt::Display for NameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ResourceType => "resource type",
            Self::Action => "action",
            Self::Attribute => "attribute",
            Self::Sync => "sync",
            Self::BuiltinRule => "built-in rule",
        })
    }
}

/// What a catalog has too many of for its dense ids.
///
/// # Examples
///
/// ```
/// use rolegate::catalog::Limit;
///
/// assert_eq!(Limit::TableCells.to_string(), "resource type × action pairs");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// Resource types.
    ResourceTypes,
    /// Action names.
    Actions,
    /// Attribute names.
    Attributes,
    /// Permissions.
    Permissions,
    /// Cells of the (resource type × action) table.
    TableCells,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ResourceTypes => "resource types",
            Self::Actions => "actions",
            Self::Attributes => "attributes",
            Self::Permissions => "permissions",
            Self::TableCells => "resource type × action pairs",
        })
    }
}

/// The most (resource type, action) pairs a catalog's table may have: the
/// table is dense, two bytes a pair, and copied into every policy.
const MAX_TABLE: usize = 1 << 22;

#[derive(Clone, Debug)]
struct TypeDecl {
    name: String,
    actions: Vec<String>,
    grantable: bool,
}

#[derive(Clone, Debug)]
struct BuiltinDecl {
    resource: String,
    action: String,
    must_match: MustMatch,
    conditions: String,
}

/// Builds a [`Catalog`], checking every name and reference in
/// [`build`](CatalogBuilder::build).
///
/// # Examples
///
/// ```
/// use rolegate::catalog::AttrType;
/// use rolegate::{Catalog, MustMatch};
///
/// let catalog = Catalog::builder()
///     .resource_type("content", ["create", "read", "update", "delete"])
///     .resource_type("attachments", ["create", "read", "update", "delete"])
///     .attribute("content", "status", AttrType::String)
///     .attribute("attachments", "status", AttrType::String)
///     .sync("content", "attachments")
///     .builtin_resource_type("profile", ["read", "update"])
///     .builtin_rule("profile", "read", MustMatch::OWNER, "")
///     .build()?;
/// assert_eq!(catalog.grantable_permission_count(), 8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct CatalogBuilder {
    types: Vec<TypeDecl>,
    attributes: Vec<(String, String, AttrType)>,
    syncs: Vec<(String, String)>,
    builtin_rules: Vec<BuiltinDecl>,
}

impl CatalogBuilder {
    /// An empty builder.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::CatalogBuilder;
    ///
    /// let catalog = CatalogBuilder::new()
    ///     .resource_type("reports", ["read", "export"])
    ///     .build()?;
    /// assert_eq!(catalog.permission_count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares a resource type whose permissions rules may grant, with its
    /// applicable actions in the order an editor shows them.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::builder()
    ///     .resource_type("reports", ["read", "export"])
    ///     .build()?;
    /// let reports = catalog.resource_type("reports")?;
    /// assert!(catalog.is_grantable(reports));
    /// assert_eq!(catalog.permission_name(catalog.permission("reports", "export")?), Some("reports.export"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn resource_type<I, S>(self, name: &str, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.declare(name, actions, true)
    }

    /// Declares a built-in resource type, such as `profile`: its permissions
    /// are held only through [`builtin_rule`](Self::builtin_rule)s, cannot be
    /// granted by a role and are not counted.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, MustMatch, Rule, RuleError};
    ///
    /// let catalog = Catalog::builder()
    ///     .resource_type("reports", ["read"])
    ///     .builtin_resource_type("profile", ["read", "update"])
    ///     .builtin_rule("profile", "read", MustMatch::OWNER, "")
    ///     .build()?;
    /// assert_eq!(catalog.permission_count(), 3);
    /// assert_eq!(catalog.grantable_permission_count(), 1);
    /// let err = Rule::builder(&catalog, "profile", "update").build().unwrap_err();
    /// assert!(matches!(err, RuleError::NotGrantable { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn builtin_resource_type<I, S>(self, name: &str, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.declare(name, actions, false)
    }

    fn declare<I, S>(mut self, name: &str, actions: I, grantable: bool) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.types.push(TypeDecl {
            name: name.to_owned(),
            actions: actions.into_iter().map(Into::into).collect(),
            grantable,
        });
        self
    }

    /// Declares that instances of `resource` carry attribute `name` of type
    /// `ty`, which conditions may then compare.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::AttrType;
    /// use rolegate::condition::Conditions;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::builder()
    ///     .resource_type("reports", ["read", "export"])
    ///     .attribute("reports", "confidential", AttrType::Boolean)
    ///     .build()?;
    /// let reports = catalog.resource_type("reports")?;
    /// let confidential = catalog.attribute("confidential")?;
    /// assert_eq!(catalog.attribute_type(reports, confidential), Some(AttrType::Boolean));
    /// assert_eq!(Conditions::parse(&catalog, reports, "confidential == false")?.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn attribute(mut self, resource: &str, name: &str, ty: AttrType) -> Self {
        self.attributes
            .push((resource.to_owned(), name.to_owned(), ty));
        self
    }

    /// Declares that every rule on `from` also grants the same action, with
    /// the same conditions and must-match, on `to`.
    ///
    /// `to` must declare every action of `from`, and every attribute of
    /// `from` with the same type; neither may be a built-in type. Syncs chain: a rule is synced to every type
    /// reachable from its own.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::CatalogError;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::builder()
    ///     .resource_type("content", ["read", "update"])
    ///     .resource_type("attachments", ["read", "update", "delete"])
    ///     .sync("content", "attachments")
    ///     .build()?;
    /// let (content, attachments) = (catalog.resource_type("content")?, catalog.resource_type("attachments")?);
    /// assert_eq!(catalog.sync_targets(content), [attachments]);
    ///
    /// // The target must declare every action of the source.
    /// let err = Catalog::builder()
    ///     .resource_type("content", ["read", "update"])
    ///     .resource_type("thumbnails", ["read"])
    ///     .sync("content", "thumbnails")
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, CatalogError::SyncActionMissing { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn sync(mut self, from: &str, to: &str) -> Self {
        self.syncs.push((from.to_owned(), to.to_owned()));
        self
    }

    /// Declares a built-in rule that every role holds: `resource.action`
    /// narrowed by `must_match` and by `conditions` (condition text, empty for
    /// none). Must-match `organization` is always implied.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, MustMatch};
    ///
    /// let catalog = Catalog::builder()
    ///     .builtin_resource_type("profile", ["read", "update"])
    ///     .builtin_rule("profile", "read", MustMatch::OWNER, "")
    ///     .build()?;
    /// let rule = catalog.builtin_rules().first().ok_or("no built-in rule")?;
    /// assert_eq!(rule.must_match(), MustMatch::ORGANIZATION | MustMatch::OWNER);
    /// assert_eq!(rule.display(&catalog).to_string(), "profile.read [organization;owner]");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn builtin_rule(
        mut self,
        resource: &str,
        action: &str,
        must_match: MustMatch,
        conditions: &str,
    ) -> Self {
        self.builtin_rules.push(BuiltinDecl {
            resource: resource.to_owned(),
            action: action.to_owned(),
            must_match,
            conditions: conditions.to_owned(),
        });
        self
    }

    /// Validates everything and builds the catalog.
    ///
    /// Ids are handed out in declaration order: resource types as declared,
    /// actions and attributes by first appearance, permissions type by type in
    /// each type's action order.
    ///
    /// # Errors
    ///
    /// A [`CatalogError`] naming the first problem found: an invalid or
    /// duplicate name, a type without actions, a reference to an undeclared
    /// type, a sync whose target does not fit its source or that closes a
    /// cycle, an invalid built-in rule, or more entries than ids can number.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::builder()
    ///     .resource_type("reports", ["read", "export"])
    ///     .build()?;
    /// assert_eq!(catalog.resource_type_count(), 1);
    ///
    /// let err = Catalog::builder()
    ///     .resource_type("reports", ["read"])
    ///     .sync("reports", "archives")
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), r#"unknown resource type "archives" in sync"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::empty();
        catalog.fingerprint = self.fingerprint();
        let mut actions: Vec<Box<str>> = Vec::new();
        let mut types: Vec<TypeEntry> = Vec::with_capacity(self.types.len());

        for decl in &self.types {
            if !is_identifier(&decl.name) {
                return Err(invalid(NameKind::ResourceType, &decl.name));
            }
            if catalog.type_by_name.contains_key(decl.name.as_str()) {
                return Err(CatalogError::DuplicateResourceType {
                    name: excerpt(&decl.name),
                });
            }
            if decl.actions.is_empty() {
                return Err(CatalogError::NoActions {
                    resource: excerpt(&decl.name),
                });
            }
            let id = ResourceTypeId::new(types.len()).ok_or(CatalogError::TooMany {
                what: Limit::ResourceTypes,
                max: ResourceTypeId::MAX + 1,
            })?;
            let mut own: Vec<ActionId> = Vec::with_capacity(decl.actions.len());
            for action in &decl.actions {
                if !is_identifier(action) {
                    return Err(invalid(NameKind::Action, action));
                }
                let action_id = match catalog.action_by_name.get(action.as_str()) {
                    Some(&a) => a,
                    None => {
                        let a = ActionId::new(actions.len()).ok_or(CatalogError::TooMany {
                            what: Limit::Actions,
                            max: ActionId::MAX + 1,
                        })?;
                        actions.push(action.as_str().into());
                        catalog.action_by_name.insert(action.as_str().into(), a);
                        a
                    }
                };
                if own.contains(&action_id) {
                    return Err(CatalogError::DuplicateAction {
                        resource: excerpt(&decl.name),
                        action: excerpt(action),
                    });
                }
                own.push(action_id);
            }
            catalog.type_by_name.insert(decl.name.as_str().into(), id);
            types.push(TypeEntry {
                name: Text::interned(decl.name.as_str()),
                grantable: decl.grantable,
                actions: own.into(),
                attributes: Box::new([]),
                sync_targets: Box::new([]),
            });
        }

        let (attributes, per_type) = self.resolve_attributes(&mut catalog)?;
        for (entry, attrs) in types.iter_mut().zip(per_type) {
            entry.attributes = attrs.into();
        }

        // Permissions, type by type, and the dense (type, action) table,
        // whose size is bounded before it is allocated.
        let cells = types
            .len()
            .checked_mul(actions.len())
            .filter(|&n| n <= MAX_TABLE)
            .ok_or(CatalogError::TooMany {
                what: Limit::TableCells,
                max: MAX_TABLE,
            })?;
        let mut permissions: Vec<PermEntry> = Vec::new();
        let mut table = vec![NO_PERMISSION; cells];
        let mut grantable_count = 0;
        for (t, entry) in types.iter().enumerate() {
            for &action in entry.actions.iter() {
                let p = PermissionId::new(permissions.len()).ok_or(CatalogError::TooMany {
                    what: Limit::Permissions,
                    max: PermissionId::MAX + 1,
                })?;
                let action_name = actions.get(action.index()).map_or("", |a| &**a);
                if let Some(slot) = table.get_mut(t * actions.len() + action.index()) {
                    // PermissionId::MAX < u16::MAX, so this never collides
                    // with the sentinel.
                    *slot = p.index() as u16;
                }
                let resource_type = ResourceTypeId::new(t).ok_or(CatalogError::TooMany {
                    what: Limit::ResourceTypes,
                    max: ResourceTypeId::MAX + 1,
                })?;
                permissions.push(PermEntry {
                    resource_type,
                    action,
                    name: Text::interned(&format!("{}.{}", entry.name, action_name)),
                    grantable: entry.grantable,
                });
                if entry.grantable {
                    grantable_count += 1;
                }
            }
        }

        let (declared, targets) = self.resolve_syncs(&catalog, &types, &actions, &attributes)?;
        for (entry, t) in types.iter_mut().zip(targets) {
            entry.sync_targets = t.into();
        }
        catalog.syncs = declared.into();

        catalog.types = types.into();
        catalog.actions = actions.into();
        catalog.attributes = attributes.into();
        catalog.permissions = permissions.into();
        catalog.table = table.into();
        catalog.grantable_count = grantable_count;

        // Built-in rules are resolved against the otherwise finished catalog.
        let mut builtin = Vec::with_capacity(self.builtin_rules.len());
        for decl in &self.builtin_rules {
            let rule = Rule::resolve(
                &catalog,
                &decl.resource,
                &decl.action,
                decl.must_match,
                &decl.conditions,
                true,
            )
            .map_err(|source| match source {
                RuleError::Name(NameError::UnknownResourceType { name }) => {
                    CatalogError::UnknownResourceType {
                        name,
                        context: NameKind::BuiltinRule,
                    }
                }
                source => CatalogError::BuiltinRule {
                    resource: excerpt(&decl.resource),
                    action: excerpt(&decl.action),
                    source: Box::new(source),
                },
            })?;
            builtin.push(rule);
        }
        catalog.builtin_rules = builtin.into();
        Ok(catalog)
    }

    /// A stable 64-bit FNV-1a digest of the declarations: equal builders
    /// give equal catalogs, and rules record it to refuse another catalog.
    fn fingerprint(&self) -> u64 {
        let mut h = Fnv::default();
        for t in &self.types {
            h.text(&t.name);
            h.byte(u8::from(t.grantable));
            for a in &t.actions {
                h.text(a);
            }
            h.byte(0xff);
        }
        for (resource, name, ty) in &self.attributes {
            h.text(resource);
            h.text(name);
            h.text(ty.name());
        }
        h.byte(0xfe);
        for (from, to) in &self.syncs {
            h.text(from);
            h.text(to);
        }
        h.byte(0xfd);
        for rule in &self.builtin_rules {
            h.text(&rule.resource);
            h.text(&rule.action);
            h.byte(rule.must_match.bits());
            h.text(&rule.conditions);
        }
        h.0
    }

    /// Resolves attribute declarations: the attribute names by id, and each
    /// type's sorted (attribute, type) list.
    #[allow(clippy::type_complexity)]
    fn resolve_attributes(
        &self,
        catalog: &mut Catalog,
    ) -> Result<(Vec<Box<str>>, Vec<Vec<(AttributeId, AttrType)>>), CatalogError> {
        let mut names: Vec<Box<str>> = Vec::new();
        let mut per_type: Vec<Vec<(AttributeId, AttrType)>> = vec![Vec::new(); self.types.len()];
        for (resource, name, ty) in &self.attributes {
            let t = *catalog.type_by_name.get(resource.as_str()).ok_or_else(|| {
                CatalogError::UnknownResourceType {
                    name: excerpt(resource),
                    context: NameKind::Attribute,
                }
            })?;
            if !is_identifier(name) || is_keyword(name) {
                return Err(invalid(NameKind::Attribute, name));
            }
            let id = match catalog.attribute_by_name.get(name.as_str()) {
                Some(&a) => a,
                None => {
                    let a = AttributeId::new(names.len()).ok_or(CatalogError::TooMany {
                        what: Limit::Attributes,
                        max: AttributeId::MAX + 1,
                    })?;
                    names.push(name.as_str().into());
                    catalog.attribute_by_name.insert(name.as_str().into(), a);
                    a
                }
            };
            let Some(list) = per_type.get_mut(t.index()) else {
                continue;
            };
            if list.iter().any(|&(a, _)| a == id) {
                return Err(CatalogError::DuplicateAttribute {
                    resource: excerpt(resource),
                    attribute: excerpt(name),
                });
            }
            list.push((id, *ty));
        }
        for list in &mut per_type {
            list.sort_unstable_by_key(|&(a, _)| a);
        }
        Ok((names, per_type))
    }

    /// Checks every sync and returns the syncs as declared, `(from, to)` in
    /// declaration order, and per type the transitive closure of its sync
    /// targets.
    #[allow(clippy::type_complexity)]
    fn resolve_syncs(
        &self,
        catalog: &Catalog,
        types: &[TypeEntry],
        actions: &[Box<str>],
        attributes: &[Box<str>],
    ) -> Result<
        (
            Vec<(ResourceTypeId, ResourceTypeId)>,
            Vec<Vec<ResourceTypeId>>,
        ),
        CatalogError,
    > {
        let lookup = |name: &str| {
            catalog.type_by_name.get(name).copied().ok_or_else(|| {
                CatalogError::UnknownResourceType {
                    name: excerpt(name),
                    context: NameKind::Sync,
                }
            })
        };
        let mut direct: Vec<Vec<ResourceTypeId>> = vec![Vec::new(); types.len()];
        let mut declared = Vec::with_capacity(self.syncs.len());
        for (from_name, to_name) in &self.syncs {
            let from = lookup(from_name)?;
            let to = lookup(to_name)?;
            let (Some(src), Some(dst), Some(edges)) = (
                types.get(from.index()),
                types.get(to.index()),
                direct.get_mut(from.index()),
            ) else {
                continue;
            };
            if let Some(builtin) = [src, dst].into_iter().find(|t| !t.grantable) {
                return Err(CatalogError::SyncBuiltin {
                    from: excerpt(from_name),
                    to: excerpt(to_name),
                    builtin: builtin.name.to_string(),
                });
            }
            if from == to || edges.contains(&to) {
                return Err(CatalogError::DuplicateSync {
                    from: excerpt(from_name),
                    to: excerpt(to_name),
                });
            }
            if let Some(&missing) = src.actions.iter().find(|a| !dst.actions.contains(a)) {
                return Err(CatalogError::SyncActionMissing {
                    from: excerpt(from_name),
                    to: excerpt(to_name),
                    action: actions
                        .get(missing.index())
                        .map_or_else(String::new, |a| a.to_string()),
                });
            }
            if let Some(&(attr, _)) = src
                .attributes
                .iter()
                .find(|pair| !dst.attributes.contains(pair))
            {
                return Err(CatalogError::SyncAttributeMismatch {
                    from: excerpt(from_name),
                    to: excerpt(to_name),
                    attribute: attributes
                        .get(attr.index())
                        .map_or_else(String::new, |a| a.to_string()),
                });
            }
            edges.push(to);
            declared.push((from, to));
        }

        // Transitive closure by depth-first search from each type; meeting
        // the start again is a cycle.
        let mut closure = Vec::with_capacity(types.len());
        for start in 0..types.len() {
            let mut seen = vec![false; types.len()];
            let mut order = Vec::new();
            let mut stack: Vec<ResourceTypeId> = direct.get(start).cloned().unwrap_or_default();
            while let Some(t) = stack.pop() {
                if t.index() == start {
                    return Err(CatalogError::SyncCycle {
                        resource: types
                            .get(start)
                            .map_or_else(String::new, |e| e.name.to_string()),
                    });
                }
                if let Some(flag) = seen.get_mut(t.index()) {
                    if *flag {
                        continue;
                    }
                    *flag = true;
                }
                order.push(t);
                if let Some(next) = direct.get(t.index()) {
                    stack.extend(next.iter().copied());
                }
            }
            order.sort_unstable();
            closure.push(order);
        }
        Ok((declared, closure))
    }
}

/// FNV-1a, 64 bits: small, stable across runs and platforms.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }

    /// A string and its terminator, so that `ab`,`c` and `a`,`bc` differ.
    fn text(&mut self, s: &str) {
        for &b in s.as_bytes() {
            self.byte(b);
        }
        self.byte(0);
    }
}

fn invalid(kind: NameKind, name: &str) -> CatalogError {
    CatalogError::InvalidName {
        kind,
        name: excerpt(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_declaration_order() {
        let catalog = CatalogBuilder::new()
            .resource_type("b", ["x", "y"])
            .resource_type("a", ["y", "z"])
            .build()
            .unwrap();
        let names: Vec<_> = catalog.permissions().map(|p| p.name.to_owned()).collect();
        assert_eq!(names, ["b.x", "b.y", "a.y", "a.z"]);
        assert_eq!(catalog.action("y").unwrap().index(), 1);
    }
}
