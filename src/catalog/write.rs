//! Rules written against a catalog by name: the builder, its error, and
//! condition text resolved against the catalog's attributes.

use super::{Catalog, NameError};
use crate::condition::{self, AttrType, Attributes, ConditionError, Conditions};
use crate::id::{AttributeId, PermissionId, ResourceTypeId};
use crate::rule::{MustMatch, Rule};

impl Attributes for Catalog {
    fn declared(&self, resource: ResourceTypeId, name: &str) -> Option<(AttributeId, AttrType)> {
        let attribute = self.attribute(name).ok()?;
        self.attribute_type(resource, attribute)
            .map(|ty| (attribute, ty))
    }

    fn type_name(&self, resource: ResourceTypeId) -> Option<&str> {
        self.resource_type_name(resource)
    }
}

/// What was wrong with a rule being written.
///
/// # Examples
///
/// ```
/// use rolegate::{Catalog, Rule, RuleError};
///
/// let catalog = Catalog::standard();
/// let err = Rule::builder(&catalog, "profile", "read").build().unwrap_err();
/// assert!(matches!(err, RuleError::NotGrantable { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// The resource type or action is unknown, or the action does not apply
    /// to the resource type.
    #[error(transparent)]
    Name(#[from] NameError),
    /// The permission belongs to a built-in resource type; only the catalog's
    /// built-in rules hold it.
    #[error("permission {permission:?} is built in and cannot be granted by a rule")]
    NotGrantable {
        /// The permission, `resource.action`.
        permission: String,
    },
    /// The condition text does not parse or does not type-check.
    #[error(transparent)]
    Condition(#[from] ConditionError),
}

impl RuleError {
    /// The field of a rule's text form ([`RuleSpec`]) the error is about:
    /// `resource`, `action` or `conditions`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::RuleSpec;
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let field = |spec: RuleSpec| spec.resolve(&catalog).unwrap_err().field();
    /// assert_eq!(field(RuleSpec::new("rockets", "read")), "resource");
    /// assert_eq!(field(RuleSpec::new("workflows", "launch")), "action");
    /// // A known action that does not apply to the type.
    /// assert_eq!(field(RuleSpec::new("billing", "execute")), "action");
    /// assert_eq!(field(RuleSpec { conditions: "priority <".into(), ..RuleSpec::new("workflows", "read") }), "conditions");
    /// ```
    #[must_use]
    pub fn field(&self) -> &'static str {
        match self {
            Self::Name(NameError::UnknownResourceType { .. }) | Self::NotGrantable { .. } => {
                "resource"
            }
            Self::Name(NameError::UnknownAttribute { .. }) | Self::Condition(_) => "conditions",
            _ => "action",
        }
    }
}

/// A rule of a list that does not resolve: its place, the field, and why.
///
/// # Examples
///
/// ```
/// use rolegate::catalog::RuleSpec;
/// use rolegate::Catalog;
///
/// let rules = [RuleSpec::new("workflows", "read"), RuleSpec::new("workflows", "launch")];
/// let err = RuleSpec::resolve_all(&rules, &Catalog::standard()).unwrap_err();
/// assert_eq!((err.index, err.error.field()), (1, "action"));
/// assert_eq!(err.to_string(), r#"rules[1].action: unknown action "launch""#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("rules[{index}].{}: {error}", error.field())]
#[non_exhaustive]
pub struct RuleSpecError {
    /// The rule's place in the list, from 0.
    pub index: usize,
    /// Why it does not resolve.
    #[source]
    pub error: RuleError,
}

impl Rule {
    /// Starts writing a rule granting `action` on `resource`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "tools", "execute").build()?;
    /// assert_eq!(rule.permission(), catalog.permission("tools", "execute")?);
    /// assert!(rule.is_unconditional());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn builder<'c>(catalog: &'c Catalog, resource: &str, action: &str) -> RuleBuilder<'c> {
        RuleBuilder {
            catalog,
            resource: resource.to_owned(),
            action: action.to_owned(),
            must_match: MustMatch::empty(),
            conditions: String::new(),
        }
    }

    /// An unconditional rule for a permission id, with extra must-match keys.
    pub(crate) fn for_permission(
        catalog: &Catalog,
        permission: PermissionId,
        must_match: MustMatch,
    ) -> Option<Self> {
        let info = catalog.permission_info(permission)?;
        Some(Self::from_parts(
            catalog.fingerprint(),
            info.resource_type,
            info.action,
            permission,
            must_match,
            Conditions::none(),
        ))
    }

    /// Resolves and validates a rule from its parts.
    pub(crate) fn resolve(
        catalog: &Catalog,
        resource: &str,
        action: &str,
        must_match: MustMatch,
        conditions: &str,
        builtin: bool,
    ) -> Result<Self, RuleError> {
        let resource_id = catalog.resource_type(resource)?;
        let action_id = catalog.action(action)?;
        let permission = catalog.permission(resource, action)?;
        if !builtin && !catalog.is_grantable(resource_id) {
            return Err(RuleError::NotGrantable {
                permission: catalog
                    .permission_name(permission)
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
        let conditions = Conditions::parse(catalog, resource_id, conditions)?;
        Ok(Self::from_parts(
            catalog.fingerprint(),
            resource_id,
            action_id,
            permission,
            must_match,
            conditions,
        ))
    }
}

/// A rule in its text form: the names of its resource type and action, its
/// must-match keys and its condition text. What a store keeps and a document
/// holds; [`resolve`](Self::resolve) checks it as strictly as
/// [`Rule::builder`] does.
///
/// # Examples
///
/// ```
/// use rolegate::catalog::RuleSpec;
/// use rolegate::{Catalog, MustMatch, Rule};
///
/// let catalog = Catalog::standard();
/// let rule = Rule::builder(&catalog, "workflows", "update")
///     .must_match(MustMatch::TEAM)
///     .conditions(r#"status != "archived""#)
///     .build()?;
/// let spec = rule.spec(&catalog);
/// assert_eq!((spec.resource.as_str(), spec.action.as_str()), ("workflows", "update"));
/// assert_eq!(spec.conditions, r#"status != "archived""#);
/// assert_eq!(spec.resolve(&catalog)?, rule);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RuleSpec {
    /// The resource type's name, `workflows`.
    pub resource: String,
    /// The action's name, `update`.
    pub action: String,
    /// The must-match keys; `ORGANIZATION` is implied.
    pub must_match: MustMatch,
    /// The condition text, empty for none.
    pub conditions: String,
}

impl RuleSpec {
    /// A rule granting `action` on `resource`, with no narrowing.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::RuleSpec;
    /// use rolegate::{Catalog, MustMatch};
    ///
    /// let spec = RuleSpec::new("tools", "read");
    /// assert_eq!(spec.must_match, MustMatch::empty());
    /// assert!(spec.resolve(&Catalog::standard())?.is_unconditional());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn new(resource: &str, action: &str) -> Self {
        Self {
            resource: resource.to_owned(),
            action: action.to_owned(),
            must_match: MustMatch::empty(),
            conditions: String::new(),
        }
    }

    /// Resolves the names against `catalog` and checks the rule.
    ///
    /// # Errors
    ///
    /// As [`RuleBuilder::build`].
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::RuleSpec;
    /// use rolegate::{Catalog, RuleError};
    ///
    /// let err = RuleSpec::new("rockets", "read").resolve(&Catalog::standard()).unwrap_err();
    /// assert!(matches!(err, RuleError::Name(_)));
    /// ```
    pub fn resolve(&self, catalog: &Catalog) -> Result<Rule, RuleError> {
        Rule::resolve(
            catalog,
            &self.resource,
            &self.action,
            self.must_match,
            &self.conditions,
            false,
        )
    }

    /// Resolves a list of rules, as a role's rules read from JSON: all of
    /// them, or the first that does not resolve, with its place and field.
    ///
    /// # Errors
    ///
    /// [`RuleSpecError`], naming `rules[i].resource`, `.action` or
    /// `.conditions`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::catalog::RuleSpec;
    /// use rolegate::Catalog;
    ///
    /// let editor = RuleSpec { conditions: r#"status != "archived""#.into(), ..RuleSpec::new("workflows", "update") };
    /// let rules = RuleSpec::resolve_all(&[RuleSpec::new("workflows", "read"), editor], &Catalog::standard())?;
    /// assert_eq!(rules.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_all(specs: &[RuleSpec], catalog: &Catalog) -> Result<Vec<Rule>, RuleSpecError> {
        specs
            .iter()
            .enumerate()
            .map(|(index, spec)| {
                spec.resolve(catalog)
                    .map_err(|error| RuleSpecError { index, error })
            })
            .collect()
    }
}

impl Rule {
    /// The rule's text form, with names from `catalog`; it resolves back to
    /// the same rule.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, MustMatch, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "connections", "read").must_match(MustMatch::OWNER).build()?;
    /// let spec = rule.spec(&catalog);
    /// assert_eq!(spec.must_match, MustMatch::ORGANIZATION | MustMatch::OWNER);
    /// assert_eq!(spec.resolve(&catalog)?, rule);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn spec(&self, catalog: &Catalog) -> RuleSpec {
        RuleSpec {
            resource: catalog
                .resource_type_name(self.resource_type())
                .unwrap_or_default()
                .to_owned(),
            action: catalog
                .action_name(self.action())
                .unwrap_or_default()
                .to_owned(),
            must_match: self.must_match(),
            conditions: self.conditions().display(catalog).to_string(),
        }
    }
}

impl Conditions {
    /// Parses and type-checks condition text for resources of type
    /// `resource`. Empty (or blank) text is no condition.
    ///
    /// # Errors
    ///
    /// A [`ConditionError`] with the column where the text goes wrong: a
    /// syntax error, an attribute `resource` does not declare, an unknown
    /// `subject.` field, an operator that does not apply to the attribute's
    /// type, or a value of the wrong type.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::condition::{ConditionErrorKind, Conditions};
    /// use rolegate::Catalog;
    ///
    /// let catalog = Catalog::standard();
    /// let workflows = catalog.resource_type("workflows")?;
    /// let err = Conditions::parse(&catalog, workflows, "priority <= \"high\"").unwrap_err();
    /// assert_eq!(err.column(), 13);
    /// assert!(matches!(err.kind(), ConditionErrorKind::TypeMismatch { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(
        catalog: &Catalog,
        resource: ResourceTypeId,
        text: &str,
    ) -> Result<Self, ConditionError> {
        condition::parse(catalog, resource, text)
    }
}

/// Writes a [`Rule`]: names are resolved and conditions parsed in
/// [`build`](RuleBuilder::build). Made by [`Rule::builder`].
///
/// # Examples
///
/// ```
/// use rolegate::catalog::RuleBuilder;
/// use rolegate::{Catalog, MustMatch, Rule};
///
/// let catalog = Catalog::standard();
/// let by_team: RuleBuilder<'_> = Rule::builder(&catalog, "workflows", "update")
///     .must_match(MustMatch::TEAM);
/// // One builder as the template of two rules.
/// let drafts = by_team.clone().conditions(r#"status == "draft""#).build()?;
/// let tests = by_team.conditions(r#"environment == "test""#).build()?;
/// assert_eq!(drafts.must_match(), tests.must_match());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct RuleBuilder<'c> {
    catalog: &'c Catalog,
    resource: String,
    action: String,
    must_match: MustMatch,
    conditions: String,
}

impl RuleBuilder<'_> {
    /// Adds must-match keys (`ORGANIZATION` is always implied).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, MustMatch, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "connections", "read")
    ///     .must_match(MustMatch::CUSTOMER)
    ///     .must_match(MustMatch::OWNER)
    ///     .build()?;
    /// assert_eq!(rule.must_match().to_string(), "organization;customer;owner");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn must_match(mut self, keys: MustMatch) -> Self {
        self.must_match |= keys;
        self
    }

    /// Sets the condition text, such as `status != "archived" and priority <= 3`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "workflows", "execute")
    ///     .conditions(r#"status != "archived" and priority <= 3"#)
    ///     .build()?;
    /// assert_eq!(rule.conditions().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn conditions(mut self, text: &str) -> Self {
        text.clone_into(&mut self.conditions);
        self
    }

    /// Validates and builds the rule.
    ///
    /// # Errors
    ///
    /// [`RuleError::Name`] for an unknown resource type or action, or an
    /// action that does not apply to the type; [`RuleError::NotGrantable`]
    /// for a built-in type; [`RuleError::Condition`] for condition text that
    /// does not parse or type-check.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::{Catalog, Rule, RuleError};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "billing", "read").build()?;
    /// assert!(rule.is_unconditional());
    ///
    /// let err = Rule::builder(&catalog, "billing", "execute").build().unwrap_err();
    /// assert!(matches!(err, RuleError::Name(_)));
    /// // `billing` declares no attributes.
    /// let err = Rule::builder(&catalog, "billing", "read")
    ///     .conditions(r#"status == "open""#)
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, RuleError::Condition(_)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Result<Rule, RuleError> {
        Rule::resolve(
            self.catalog,
            &self.resource,
            &self.action,
            self.must_match,
            &self.conditions,
            false,
        )
    }
}
