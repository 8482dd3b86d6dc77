//! The policy document: the catalog's declarations, the custom roles and the id counters.

use hashbrown::{HashMap, HashSet};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::engine::Snapshot;
use crate::id::{OrgId, RoleId};
use crate::role::{Role, RoleError, SystemRole};
use crate::store::{Counters, StoredRole};
use crate::text::excerpt;

use super::catalog::{CatalogRepr, text_form};
use super::error::{DocumentError, invalid};
use super::json::{Version, parse, pretty};

/// The catalog's declarations and the custom roles of every organization,
/// with the id counters: what decides, as a JSON document.
///
/// See the [module docs](super) for the format, which is stable and
/// versioned. A document read with [`from_json`](Self::from_json) has a
/// catalog that builds and roles that resolve against it.
///
/// # Examples
///
/// ```
/// use rolegate::document::PolicyDocument;
/// use rolegate::{Catalog, Engine, OrgId};
///
/// let engine = Engine::new(Catalog::standard());
/// engine.bootstrap().create_role(OrgId::new(1), "Auditor", [])?;
/// let document = PolicyDocument::of(&engine.snapshot());
/// assert_eq!(document.roles()[0].name, "Auditor");
///
/// let read = PolicyDocument::from_json(&document.to_json())?;
/// assert_eq!(read, document);
/// assert_eq!(read.catalog()?.fingerprint(), Catalog::standard().fingerprint());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDocument {
    catalog: CatalogRepr,
    roles: Vec<StoredRole>,
    counters: Counters,
}

#[derive(Serialize)]
struct PolicyOut<'a> {
    version: Version,
    catalog: &'a CatalogRepr,
    roles: &'a [StoredRole],
    counters: Counters,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a policy document: version, catalog, roles and counters"
)]
struct PolicyIn {
    #[allow(dead_code)]
    version: Version,
    catalog: CatalogRepr,
    #[serde(default)]
    roles: Vec<StoredRole>,
    #[serde(default)]
    counters: Counters,
}

impl PolicyDocument {
    /// The policy of `snapshot`: its catalog's declarations, and its custom
    /// roles in id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::PolicyDocument;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let first = engine.bootstrap().create_role(OrgId::new(2), "Runner", [])?;
    /// let second = engine.bootstrap().create_role(OrgId::new(1), "Runner", [])?;
    /// let document = PolicyDocument::of(&engine.snapshot());
    /// let ids: Vec<_> = document.roles().iter().map(|r| r.id).collect();
    /// assert_eq!(ids, [first, second]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn of(snapshot: &Snapshot) -> Self {
        let state = snapshot.stored_state();
        let roles = state
            .roles
            .into_iter()
            .map(|mut role| {
                role.rules = role.rules.into_iter().map(text_form).collect();
                role
            })
            .collect();
        Self {
            catalog: CatalogRepr::of(snapshot.catalog()),
            roles,
            counters: state.counters,
        }
    }

    /// The custom roles, as the document holds them.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::PolicyDocument;
    /// use rolegate::{Catalog, Engine, MustMatch, OrgId, Rule};
    ///
    /// let catalog = Catalog::standard();
    /// let rule = Rule::builder(&catalog, "tools", "read").must_match(MustMatch::OWNER).build()?;
    /// let engine = Engine::new(catalog);
    /// engine.bootstrap().create_role(OrgId::new(1), "Tool reader", [rule])?;
    /// let document = PolicyDocument::of(&engine.snapshot());
    /// let rules = &document.roles()[0].rules;
    /// assert_eq!((rules[0].resource.as_str(), rules[0].must_match), ("tools", MustMatch::OWNER));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn roles(&self) -> &[StoredRole] {
        &self.roles
    }

    /// The id counters: the next role and team ids an engine restored from
    /// the document hands out (raised, if need be, above every id the
    /// documents hold).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::PolicyDocument;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let doomed = engine.bootstrap().create_role(OrgId::new(1), "Doomed", [])?;
    /// engine.bootstrap().delete_role(doomed, None)?;
    /// let document = PolicyDocument::of(&engine.snapshot());
    /// assert!(document.roles().is_empty());
    /// assert_eq!(document.counters().next_role, 7, "the deleted role's id is not given again");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// Builds the document's catalog through [`CatalogBuilder`](crate::catalog::CatalogBuilder), as
    /// strictly as the builder checks any catalog. A catalog written by
    /// [`of`](Self::of) builds again with the same decisions. It comes back
    /// with the same [fingerprint](Catalog::fingerprint) when it was
    /// declared in the order the document lists it (attributes type by
    /// type, built-in rules' must-match keys without `organization` and
    /// their conditions in canonical text), as the shipped catalogs are;
    /// otherwise attribute ids may differ, decisions do not.
    ///
    /// # Errors
    ///
    /// [`DocumentError::Catalog`] with the builder's [`CatalogError`](crate::catalog::CatalogError).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::PolicyDocument;
    /// use rolegate::{Catalog, Engine};
    ///
    /// let engine = Engine::new(Catalog::content_platform());
    /// let document = PolicyDocument::of(&engine.snapshot());
    /// let catalog = document.catalog()?;
    /// assert_eq!(catalog.fingerprint(), Catalog::content_platform().fingerprint());
    /// assert_eq!(catalog.syncs().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn catalog(&self) -> Result<Catalog, DocumentError> {
        self.catalog
            .build()
            .map_err(|source| DocumentError::Catalog { source })
    }

    /// The document as pretty JSON, ending with a newline: fields in a
    /// fixed order and roles in id order, so that one policy always gives
    /// the same text.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::PolicyDocument;
    /// use rolegate::{Catalog, Engine};
    ///
    /// let json = PolicyDocument::of(&Engine::new(Catalog::standard()).snapshot()).to_json();
    /// assert!(json.contains(r#""name": "workflows""#));
    /// assert!(json.contains(r#""roles": []"#));
    /// assert!(json.ends_with("}\n"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        pretty(&PolicyOut {
            version: Version,
            catalog: &self.catalog,
            roles: &self.roles,
            counters: self.counters,
        })
    }

    /// Reads a policy document: parses it, builds its catalog and checks
    /// every custom role against it. Role names come back trimmed and rules
    /// in their canonical text, as [`of`](Self::of) writes them.
    ///
    /// # Errors
    ///
    /// A [`DocumentError`] saying where: [`TooLarge`](DocumentError::TooLarge)
    /// before parsing; [`Json`](DocumentError::Json) with the line and
    /// column for text that is not a policy document (unknown fields
    /// included); [`Version`](DocumentError::Version);
    /// [`Catalog`](DocumentError::Catalog); and with the role's place,
    /// [`Rule`](DocumentError::Rule) for a rule that does not resolve,
    /// [`RoleName`](DocumentError::RoleName) for an invalid or repeated
    /// name, [`Invalid`](DocumentError::Invalid) for a repeated id or the
    /// id of a system role.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::{DocumentError, PolicyDocument};
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().create_role(OrgId::new(1), "Auditor", [])?;
    /// let json = PolicyDocument::of(&engine.snapshot()).to_json();
    /// assert_eq!(PolicyDocument::from_json(&json)?.roles().len(), 1);
    ///
    /// let err = PolicyDocument::from_json(&json.replace(r#""version": 1"#, r#""version": 2"#)).unwrap_err();
    /// assert!(matches!(err, DocumentError::Version { found: 2, .. }));
    ///
    /// let err = PolicyDocument::from_json(&json.replace("\"Auditor\"", "\"Owner\"")).unwrap_err();
    /// assert_eq!(err.path(), Some("roles[0].name"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self, DocumentError> {
        let read: PolicyIn = parse(text)?;
        let mut document = Self {
            catalog: read.catalog,
            roles: read.roles,
            counters: read.counters,
        };
        let (catalog, _) = document.checked()?;
        // In the form `of` writes: names trimmed, rules in canonical text.
        for role in &mut document.roles {
            let trimmed = role.name.trim();
            if trimmed.len() != role.name.len() {
                role.name = trimmed.to_owned();
            }
            for spec in &mut role.rules {
                if let Ok(rule) = spec.resolve(&catalog) {
                    *spec = text_form(rule.spec(&catalog));
                }
            }
        }
        Ok(document)
    }

    /// Builds the catalog and checks every role against it and against the
    /// others, as loading them from a store would, and more: ids and names
    /// are each used once.
    pub(super) fn checked(&self) -> Result<(Catalog, HashMap<RoleId, OrgId>), DocumentError> {
        let catalog = self.catalog()?;
        let mut ids: HashMap<RoleId, (usize, OrgId)> = HashMap::with_capacity(self.roles.len());
        let mut names: HashSet<(OrgId, String)> = HashSet::with_capacity(self.roles.len());
        for (i, role) in self.roles.iter().enumerate() {
            if role.id.index() < SystemRole::ALL.len() {
                return Err(invalid(
                    format!("roles[{i}].id"),
                    format!(
                        "{} is a system role's id; custom roles have ids from {}",
                        role.id,
                        SystemRole::ALL.len()
                    ),
                ));
            }
            if let Some(&(first, _)) = ids.get(&role.id) {
                return Err(invalid(
                    format!("roles[{i}].id"),
                    format!("{} is also the id of roles[{first}]", role.id),
                ));
            }
            ids.insert(role.id, (i, role.organization));
            let name =
                Role::validate_name(&role.name).map_err(|source| DocumentError::RoleName {
                    path: format!("roles[{i}].name"),
                    source,
                })?;
            if !names.insert((role.organization, crate::name::key(name))) {
                return Err(DocumentError::RoleName {
                    path: format!("roles[{i}].name"),
                    source: RoleError::DuplicateName {
                        organization: role.organization,
                        name: excerpt(name),
                    },
                });
            }
            for (j, spec) in role.rules.iter().enumerate() {
                spec.resolve(&catalog)
                    .map_err(|source| DocumentError::Rule {
                        path: format!("roles[{i}].rules[{j}]"),
                        source,
                    })?;
            }
        }
        let orgs = ids.into_iter().map(|(id, (_, org))| (id, org)).collect();
        Ok((catalog, orgs))
    }
}
