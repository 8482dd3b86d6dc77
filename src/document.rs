//! JSON documents of an engine's state (feature `serde`): the policy (the
//! catalog's declarations and every organization's custom roles) and the
//! directory (teams and users), written and read back as strictly as a
//! store is loaded.
//!
//! # The format
//!
//! The format is stable and versioned: every document opens with
//! `"version": 1` ([`VERSION`]). A later version of rolegate reads version 1
//! as it reads it today; a change to the format comes with a new version
//! number, and a document of a version this crate does not know is refused
//! ([`DocumentError::Version`]), never guessed at. Fields are written in a
//! fixed order and lists in id order, so that one state always gives the
//! same text.
//!
//! A policy document:
//!
//! ```json
//! {
//!   "version": 1,
//!   "catalog": {
//!     "resource_types": [
//!       {
//!         "name": "workflows",
//!         "builtin": false,
//!         "actions": ["read", "update"],
//!         "attributes": [{ "name": "status", "type": "string" }]
//!       },
//!       { "name": "profile", "builtin": true, "actions": ["read"], "attributes": [] }
//!     ],
//!     "syncs": [],
//!     "builtin_rules": [{ "resource": "profile", "action": "read", "must_match": ["owner"] }]
//!   },
//!   "roles": [
//!     {
//!       "id": 6,
//!       "organization": 1,
//!       "name": "Editor",
//!       "rules": [
//!         {
//!           "resource": "workflows",
//!           "action": "update",
//!           "must_match": ["team"],
//!           "conditions": "status != \"archived\""
//!         }
//!       ]
//!     }
//!   ],
//!   "counters": { "next_role": 7, "next_team": 2 }
//! }
//! ```
//!
//! A directory document:
//!
//! ```json
//! {
//!   "version": 1,
//!   "teams": [{ "id": 1, "organization": 1, "name": "Ops" }],
//!   "users": [
//!     { "id": 1, "organization": 1, "teams": [1], "role": 6, "status": "active" },
//!     { "id": 2, "organization": 1, "customer": 30, "teams": [], "role": 5, "status": "suspended" }
//!   ]
//! }
//! ```
//!
//! A rule's `must_match` lists `customer`, `team` and `owner` (the implied
//! `organization` is left out, and accepted); `conditions` is condition
//! text. Both are left out when empty. A user's `customer` and
//! `last_active` (milliseconds since the Unix epoch) are left out when
//! unset.
//!
//! # Reading
//!
//! Reading refuses, with a [`DocumentError`] that says where:
//!
//! - a document longer than [`MAX_DOCUMENT_BYTES`], before parsing it;
//! - text that is not JSON, a value of the wrong type, a missing field, an
//!   unknown field, or nesting deeper than the parser's limit, with the
//!   line and column;
//! - a version other than [`VERSION`];
//! - a catalog [`CatalogBuilder`] refuses;
//! - a role, team or user that would not load from a store, or that repeats
//!   an id or a name, with its place in the document: `roles[3].rules[0]`,
//!   `users[12].role`.
//!
//! [`restore`] opens an engine on a [`MemoryStore`] holding the two
//! documents' state, so that every role, team and user is checked again
//! exactly as loading from a store checks it.
//!
//! # Examples
//!
//! ```
//! use rolegate::document::{self, DirectoryDocument, PolicyDocument};
//! use rolegate::{Catalog, Engine, MustMatch, OrgId, Rule, User, UserId};
//!
//! let catalog = Catalog::standard();
//! let edit = Rule::builder(&catalog, "workflows", "update").must_match(MustMatch::TEAM).build()?;
//! let engine = Engine::new(catalog);
//! let org = OrgId::new(1);
//! let boot = engine.bootstrap();
//! let editor = boot.create_role(org, "Editor", [edit])?;
//! let ops = boot.create_team(org, "Ops")?;
//! boot.add_user(User::new(UserId::new(1), org, editor).with_team(ops))?;
//!
//! let snapshot = engine.snapshot();
//! let policy = PolicyDocument::of(&snapshot).to_json();
//! let directory = DirectoryDocument::of(&snapshot).to_json();
//!
//! let restored = document::restore(
//!     &PolicyDocument::from_json(&policy)?,
//!     &DirectoryDocument::from_json(&directory)?,
//! )?;
//! let again = restored.snapshot();
//! assert_eq!(again.user(UserId::new(1)), snapshot.user(UserId::new(1)));
//! assert_eq!(PolicyDocument::of(&again).to_json(), policy);
//! assert_eq!(DirectoryDocument::of(&again).to_json(), directory);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use hashbrown::{HashMap, HashSet};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalog::{AttrType, Catalog, CatalogBuilder, CatalogError, RuleError, RuleSpec};
use crate::directory::User;
use crate::engine::{Engine, Snapshot};
use crate::id::{OrgId, RoleId, TeamId, UserId};
use crate::role::{MAX_ROLE_NAME, Role, RoleError, SystemRole};
use crate::rule::MustMatch;
use crate::store::{
    Counters, MemoryStore, Revision, StoreError, StoredRole, StoredState, StoredTeam,
};
use crate::text::excerpt;

/// The version of the document format this crate writes and reads.
///
/// # Examples
///
/// ```
/// use rolegate::document::{PolicyDocument, VERSION};
/// use rolegate::{Catalog, Engine};
///
/// let json = PolicyDocument::of(&Engine::new(Catalog::standard()).snapshot()).to_json();
/// assert!(json.starts_with(&format!("{{\n  \"version\": {VERSION},")));
/// ```
pub const VERSION: u64 = 1;

/// The longest document read, in bytes: 64 MiB. A longer one is refused
/// with [`DocumentError::TooLarge`] before it is parsed.
///
/// # Examples
///
/// ```
/// use rolegate::document::{DirectoryDocument, DocumentError, MAX_DOCUMENT_BYTES};
///
/// let huge = " ".repeat(MAX_DOCUMENT_BYTES + 1);
/// let err = DirectoryDocument::from_json(&huge).unwrap_err();
/// assert!(matches!(err, DocumentError::TooLarge { .. }));
/// ```
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

/// The longest message kept from the JSON parser, in bytes: the parser
/// quotes what it did not expect, which may be a whole string.
const MAX_MESSAGE: usize = 400;

/// Why a document was refused, and where.
///
/// A document that does not parse names its line and column
/// ([`position`](Self::position)); one that parses but does not hold
/// together names the place of the offending value
/// ([`path`](Self::path)), such as `roles[3].rules[0]` or `users[12].role`.
///
/// # Examples
///
/// ```
/// use rolegate::document::{DirectoryDocument, DocumentError};
///
/// let err = DirectoryDocument::from_json("{\n  \"version\": 1,\n  \"team\": []\n}").unwrap_err();
/// assert_eq!(err.position(), Some((3, 8)));
/// assert!(matches!(err, DocumentError::Json { .. }));
/// assert!(err.to_string().starts_with("line 3, column 8: unknown field `team`"));
///
/// let err = DirectoryDocument::from_json(r#"{"version": 1, "teams": [],
///     "users": [{"id": 1, "organization": 1, "teams": [4], "role": 0, "status": "active"}]}"#)
///     .unwrap_err();
/// assert_eq!(err.path(), Some("users[0].teams"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The document is longer than [`MAX_DOCUMENT_BYTES`]; it was not
    /// parsed.
    #[error("the document is {size} bytes long, more than the limit of {limit} bytes")]
    TooLarge {
        /// The document's length in bytes.
        size: usize,
        /// The limit, [`MAX_DOCUMENT_BYTES`].
        limit: usize,
    },
    /// The text is not JSON, or not a document of this format: a value of
    /// the wrong type, a missing or unknown field, nesting too deep.
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// What the parser found wrong (shortened when very long).
        message: String,
    },
    /// The document's `version` is not one this crate reads.
    #[error(
        "version: unsupported document version {found}; this version of rolegate reads version {supported}"
    )]
    Version {
        /// The version the document gives.
        found: u64,
        /// The version this crate reads, [`VERSION`].
        supported: u64,
    },
    /// The catalog's declarations do not build.
    #[error("catalog: the declarations do not build")]
    Catalog {
        /// What [`CatalogBuilder::build`] refused.
        #[source]
        source: CatalogError,
    },
    /// A rule of a custom role does not resolve against the document's
    /// catalog: an unknown resource type or action, a built-in permission,
    /// bad condition text.
    #[error("{path}: invalid rule")]
    Rule {
        /// Where the rule is, `roles[3].rules[0]`.
        path: String,
        /// Why it does not resolve.
        #[source]
        source: RuleError,
    },
    /// A custom role's name is invalid or taken by another role of its
    /// organization.
    #[error("{path}: invalid role name")]
    RoleName {
        /// Where the name is, `roles[3].name`.
        path: String,
        /// What is wrong with it.
        #[source]
        source: RoleError,
    },
    /// A value does not hold together with the rest: an id used twice, a
    /// role id of a system role, a team name used twice in an organization,
    /// a user holding a role or in a team of another organization, or of
    /// neither document.
    #[error("{path}: {reason}")]
    Invalid {
        /// Where the value is, `users[12].role`.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The state the documents make does not load into an engine: a check
    /// of the store's loading that the documents' own checks did not make.
    #[error("the documents' state does not load")]
    Load {
        /// What loading refused.
        #[source]
        source: StoreError,
    },
}

impl DocumentError {
    /// The place in the document of the value refused, for an error found
    /// after parsing: `roles[3].rules[0]`, `users[12].role`, `catalog`,
    /// `version`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::PolicyDocument;
    /// use rolegate::{Catalog, Engine};
    ///
    /// let json = PolicyDocument::of(&Engine::new(Catalog::standard()).snapshot())
    ///     .to_json()
    ///     .replace(r#""roles": []"#, r#""roles": [{"id": 6, "organization": 1, "name": "R",
    ///         "rules": [{"resource": "rockets", "action": "read"}]}]"#);
    /// let err = PolicyDocument::from_json(&json).unwrap_err();
    /// assert_eq!(err.path(), Some("roles[0].rules[0]"));
    /// assert!(err.position().is_none());
    /// ```
    #[must_use]
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Rule { path, .. } | Self::RoleName { path, .. } | Self::Invalid { path, .. } => {
                Some(path)
            }
            Self::Catalog { .. } => Some("catalog"),
            Self::Version { .. } => Some("version"),
            Self::TooLarge { .. } | Self::Json { .. } | Self::Load { .. } => None,
        }
    }

    /// The line and column, from 1, of an error found while parsing.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::PolicyDocument;
    ///
    /// let err = PolicyDocument::from_json("{\"version\": 1,\n \"roles\": 3}").unwrap_err();
    /// assert_eq!(err.position(), Some((2, 11)));
    /// assert!(err.path().is_none());
    /// ```
    #[must_use]
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            Self::Json { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// A parser error as a document error: its position, and its message
/// without the position serde_json appends.
fn json_error(error: &serde_json::Error) -> DocumentError {
    let (line, column) = (error.line(), error.column());
    let text = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = text.strip_suffix(&suffix).unwrap_or(&text);
    let message = match message.char_indices().find(|&(i, _)| i >= MAX_MESSAGE) {
        Some((cut, _)) => format!("{}…", message.get(..cut).unwrap_or_default()),
        None => message.to_owned(),
    };
    DocumentError::Json {
        line,
        column,
        message,
    }
}

/// The `version` field, read first and on its own, so that a document of
/// another version is refused as such whatever else it holds.
#[derive(Deserialize)]
#[serde(expecting = "a rolegate document: a JSON object with a version")]
struct VersionProbe {
    #[serde(default)]
    version: Option<u64>,
}

/// The `version` field of a document being read: [`VERSION`] and nothing
/// else.
struct Version;

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(VERSION)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match u64::deserialize(d)? {
            VERSION => Ok(Self),
            other => Err(D::Error::custom(format!(
                "unsupported document version {other}; this version of rolegate reads version {VERSION}"
            ))),
        }
    }
}

/// Checks the length and the version, then parses.
fn parse<T: DeserializeOwned>(text: &str) -> Result<T, DocumentError> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(DocumentError::TooLarge {
            size: text.len(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    let probe: VersionProbe = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    if let Some(found) = probe.version.filter(|&v| v != VERSION) {
        return Err(DocumentError::Version {
            found,
            supported: VERSION,
        });
    }
    serde_json::from_str(text).map_err(|e| json_error(&e))
}

/// Pretty JSON with a final newline. Serializing a document cannot fail:
/// every map key is a field name and no value refuses to be written; were
/// it to fail, the empty text would not read back as a document.
fn pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// A rule as a document writes it: without the implied `organization`.
fn text_form(mut spec: RuleSpec) -> RuleSpec {
    spec.must_match.remove(MustMatch::ORGANIZATION);
    spec
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an attribute: name and type")]
struct AttributeRepr {
    name: String,
    #[serde(rename = "type")]
    ty: AttrType,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a resource type: name, builtin, actions and attributes"
)]
struct TypeRepr {
    name: String,
    #[serde(default)]
    builtin: bool,
    actions: Vec<String>,
    #[serde(default)]
    attributes: Vec<AttributeRepr>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a sync: from and to")]
struct SyncRepr {
    from: String,
    to: String,
}

/// A catalog's declarations, as [`CatalogBuilder`] takes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a catalog: resource_types, syncs and builtin_rules"
)]
struct CatalogRepr {
    resource_types: Vec<TypeRepr>,
    #[serde(default)]
    syncs: Vec<SyncRepr>,
    #[serde(default)]
    builtin_rules: Vec<RuleSpec>,
}

impl CatalogRepr {
    fn of(catalog: &Catalog) -> Self {
        let name = |t| catalog.resource_type_name(t).map(str::to_owned);
        let resource_types = catalog
            .resource_types()
            .map(|t| TypeRepr {
                name: name(t).unwrap_or_default(),
                builtin: !catalog.is_grantable(t),
                actions: catalog
                    .actions_of(t)
                    .iter()
                    .filter_map(|&a| catalog.action_name(a).map(str::to_owned))
                    .collect(),
                attributes: catalog
                    .attributes_of(t)
                    .iter()
                    .filter_map(|&(a, ty)| {
                        Some(AttributeRepr {
                            name: catalog.attribute_name(a)?.to_owned(),
                            ty,
                        })
                    })
                    .collect(),
            })
            .collect();
        let syncs = catalog
            .syncs()
            .iter()
            .filter_map(|&(from, to)| {
                Some(SyncRepr {
                    from: name(from)?,
                    to: name(to)?,
                })
            })
            .collect();
        let builtin_rules = catalog
            .builtin_rules()
            .iter()
            .map(|r| text_form(r.spec(catalog)))
            .collect();
        Self {
            resource_types,
            syncs,
            builtin_rules,
        }
    }

    /// Declares everything to a builder, types first, and builds.
    fn build(&self) -> Result<Catalog, CatalogError> {
        let mut builder = CatalogBuilder::new();
        for t in &self.resource_types {
            let actions = t.actions.iter().map(String::as_str);
            builder = if t.builtin {
                builder.builtin_resource_type(&t.name, actions)
            } else {
                builder.resource_type(&t.name, actions)
            };
        }
        for t in &self.resource_types {
            for a in &t.attributes {
                builder = builder.attribute(&t.name, &a.name, a.ty);
            }
        }
        for s in &self.syncs {
            builder = builder.sync(&s.from, &s.to);
        }
        for r in &self.builtin_rules {
            builder = builder.builtin_rule(&r.resource, &r.action, r.must_match, &r.conditions);
        }
        builder.build()
    }
}

/// The catalog's declarations and the custom roles of every organization,
/// with the id counters: what decides, as a JSON document.
///
/// See the [module docs](self) for the format, which is stable and
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

    /// Builds the document's catalog through [`CatalogBuilder`], as
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
    /// [`DocumentError::Catalog`] with the builder's [`CatalogError`].
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
    fn checked(&self) -> Result<(Catalog, HashMap<RoleId, OrgId>), DocumentError> {
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
            if !names.insert((role.organization, name.to_lowercase())) {
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

fn invalid(path: String, reason: String) -> DocumentError {
    DocumentError::Invalid { path, reason }
}

/// The teams and users of every organization: who holds which role, as a
/// JSON document.
///
/// See the [module docs](self) for the format, which is stable and
/// versioned. A document read with [`from_json`](Self::from_json) uses
/// each id once and puts users only in teams of their own organization;
/// the roles they hold are checked against a [`PolicyDocument`] by
/// [`restore`] and [`stored_state`].
///
/// # Examples
///
/// ```
/// use rolegate::document::DirectoryDocument;
/// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let ops = engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
/// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id()).with_team(ops))?;
/// let document = DirectoryDocument::of(&engine.snapshot());
/// assert_eq!(document.users()[0].teams(), [ops]);
/// assert_eq!(DirectoryDocument::from_json(&document.to_json())?, document);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectoryDocument {
    teams: Vec<StoredTeam>,
    users: Vec<User>,
}

#[derive(Serialize)]
struct DirectoryOut<'a> {
    version: Version,
    teams: &'a [StoredTeam],
    users: &'a [User],
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a directory document: version, teams and users"
)]
struct DirectoryIn {
    #[allow(dead_code)]
    version: Version,
    #[serde(default)]
    teams: Vec<StoredTeam>,
    #[serde(default)]
    users: Vec<User>,
}

impl DirectoryDocument {
    /// The directory of `snapshot`: its teams and its users, with their
    /// latest recorded activity, each in id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::DirectoryDocument;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// for id in [3, 1, 2] {
    ///     engine.bootstrap().add_user(User::new(UserId::new(id), OrgId::new(1), SystemRole::Viewer.id()))?;
    /// }
    /// let document = DirectoryDocument::of(&engine.snapshot());
    /// let ids: Vec<u64> = document.users().iter().map(|u| u.id().get()).collect();
    /// assert_eq!(ids, [1, 2, 3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn of(snapshot: &Snapshot) -> Self {
        let state = snapshot.stored_state();
        Self {
            teams: state.teams,
            users: state.users,
        }
    }

    /// The teams, as the document holds them.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::DirectoryDocument;
    /// use rolegate::{Catalog, Engine, OrgId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let ops = engine.bootstrap().create_team(OrgId::new(1), "Ops")?;
    /// let document = DirectoryDocument::of(&engine.snapshot());
    /// assert_eq!((document.teams()[0].id, document.teams()[0].name.as_str()), (ops, "Ops"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn teams(&self) -> &[StoredTeam] {
        &self.teams
    }

    /// The users, as the document holds them.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::DirectoryDocument;
    /// use rolegate::{Catalog, CustomerId, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// let widget = User::new(UserId::new(4), OrgId::new(1), SystemRole::EndUser.id()).with_customer(CustomerId::new(30));
    /// engine.bootstrap().add_user(widget.clone())?;
    /// assert_eq!(DirectoryDocument::of(&engine.snapshot()).users(), [widget]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// The document as pretty JSON, ending with a newline: fields in a
    /// fixed order, teams and users in id order, so that one directory
    /// always gives the same text.
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::DirectoryDocument;
    /// use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
    ///
    /// let engine = Engine::new(Catalog::standard());
    /// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Owner.id()))?;
    /// let json = DirectoryDocument::of(&engine.snapshot()).to_json();
    /// assert_eq!(json, r#"{
    ///   "version": 1,
    ///   "teams": [],
    ///   "users": [
    ///     {
    ///       "id": 1,
    ///       "organization": 1,
    ///       "teams": [],
    ///       "role": 0,
    ///       "status": "active"
    ///     }
    ///   ]
    /// }
    /// "#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        pretty(&DirectoryOut {
            version: Version,
            teams: &self.teams,
            users: &self.users,
        })
    }

    /// Reads a directory document: parses it and checks that each team and
    /// user id is used once, that team names are valid and used once in
    /// their organization, and that users are only in teams of the
    /// document and of their own organization. Team names are trimmed.
    ///
    /// # Errors
    ///
    /// A [`DocumentError`] saying where: [`TooLarge`](DocumentError::TooLarge)
    /// before parsing; [`Json`](DocumentError::Json) with the line and
    /// column for text that is not a directory document (unknown fields
    /// included); [`Version`](DocumentError::Version);
    /// [`Invalid`](DocumentError::Invalid) with the place of a repeated id,
    /// a bad or repeated team name, or a team a user may not be in
    /// (`users[12].teams`).
    ///
    /// # Examples
    ///
    /// ```
    /// use rolegate::document::DirectoryDocument;
    ///
    /// let json = r#"{
    ///   "version": 1,
    ///   "teams": [{"id": 1, "organization": 2, "name": "Ops"}],
    ///   "users": [{"id": 1, "organization": 1, "teams": [1], "role": 4, "status": "active"}]
    /// }"#;
    /// let err = DirectoryDocument::from_json(json).unwrap_err();
    /// assert_eq!(err.path(), Some("users[0].teams"));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "users[0].teams: team 1 is a team of organization 2, not of the user's organization 1"
    /// );
    /// ```
    pub fn from_json(text: &str) -> Result<Self, DocumentError> {
        let read: DirectoryIn = parse(text)?;
        let mut document = Self {
            teams: read.teams,
            users: read.users,
        };
        document.checked()?;
        for team in &mut document.teams {
            let trimmed = team.name.trim();
            if trimmed.len() != team.name.len() {
                team.name = trimmed.to_owned();
            }
        }
        Ok(document)
    }

    /// Checks ids, team names and memberships.
    fn checked(&self) -> Result<(), DocumentError> {
        let mut teams: HashMap<TeamId, (usize, OrgId)> = HashMap::with_capacity(self.teams.len());
        let mut names: HashSet<(OrgId, String)> = HashSet::with_capacity(self.teams.len());
        for (i, team) in self.teams.iter().enumerate() {
            if let Some(&(first, _)) = teams.get(&team.id) {
                return Err(invalid(
                    format!("teams[{i}].id"),
                    format!("team {} is also the id of teams[{first}]", team.id),
                ));
            }
            teams.insert(team.id, (i, team.organization));
            let name = team.name.trim();
            let length = name.chars().count();
            if length == 0 || length > MAX_ROLE_NAME || name.chars().any(char::is_control) {
                return Err(invalid(
                    format!("teams[{i}].name"),
                    format!(
                        "invalid team name {:?}: expected 1 to {MAX_ROLE_NAME} characters, none a control character",
                        excerpt(&team.name)
                    ),
                ));
            }
            if !names.insert((team.organization, name.to_lowercase())) {
                return Err(invalid(
                    format!("teams[{i}].name"),
                    format!(
                        "organization {} has another team named {:?}",
                        team.organization,
                        excerpt(name)
                    ),
                ));
            }
        }
        let mut users: HashMap<UserId, usize> = HashMap::with_capacity(self.users.len());
        for (i, user) in self.users.iter().enumerate() {
            if let Some(&first) = users.get(&user.id()) {
                return Err(invalid(
                    format!("users[{i}].id"),
                    format!("user {} is also the id of users[{first}]", user.id()),
                ));
            }
            users.insert(user.id(), i);
            for &team in user.teams() {
                match teams.get(&team) {
                    Some(&(_, org)) if org == user.organization() => {}
                    Some(&(_, org)) => {
                        return Err(invalid(
                            format!("users[{i}].teams"),
                            format!(
                                "team {team} is a team of organization {org}, not of the user's organization {}",
                                user.organization()
                            ),
                        ));
                    }
                    None => {
                        return Err(invalid(
                            format!("users[{i}].teams"),
                            format!("team {team} is not a team of the document"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The state the two documents make, at revision zero, every role, team
/// and user checked: what [`restore`] opens an engine on, and what a host
/// writes into a store of its own.
///
/// # Errors
///
/// A [`DocumentError`] as [`PolicyDocument::from_json`] and
/// [`DirectoryDocument::from_json`] give for each document, and
/// [`Invalid`](DocumentError::Invalid) for a user holding a custom role of
/// another organization, or a role of neither (`users[12].role`).
///
/// # Examples
///
/// ```
/// use rolegate::document::{self, DirectoryDocument, PolicyDocument};
/// use rolegate::store::Revision;
/// use rolegate::{Catalog, Engine, OrgId, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// let auditor = engine.bootstrap().create_role(OrgId::new(2), "Auditor", [])?;
/// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(2), auditor))?;
/// let snapshot = engine.snapshot();
/// let (policy, directory) = (PolicyDocument::of(&snapshot), DirectoryDocument::of(&snapshot));
/// let state = document::stored_state(&policy, &directory)?;
/// assert_eq!((state.revision, state.roles.len(), state.users.len()), (Revision::ZERO, 1, 1));
///
/// // The same user in organization 1 would hold another organization's role.
/// let json = directory.to_json().replace(r#""organization": 2"#, r#""organization": 1"#);
/// let err = document::stored_state(&policy, &DirectoryDocument::from_json(&json)?).unwrap_err();
/// assert_eq!(err.path(), Some("users[0].role"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn stored_state(
    policy: &PolicyDocument,
    directory: &DirectoryDocument,
) -> Result<StoredState, DocumentError> {
    checked_state(policy, directory).map(|(_, state)| state)
}

fn checked_state(
    policy: &PolicyDocument,
    directory: &DirectoryDocument,
) -> Result<(Catalog, StoredState), DocumentError> {
    let (catalog, roles) = policy.checked()?;
    directory.checked()?;
    for (i, user) in directory.users.iter().enumerate() {
        let role = user.role();
        if role.index() < SystemRole::ALL.len() {
            continue;
        }
        match roles.get(&role) {
            Some(&org) if org == user.organization() => {}
            Some(&org) => {
                return Err(invalid(
                    format!("users[{i}].role"),
                    format!(
                        "{role} is a custom role of organization {org}, not of the user's organization {}",
                        user.organization()
                    ),
                ));
            }
            None => {
                return Err(invalid(
                    format!("users[{i}].role"),
                    format!("{role} is not a role of the policy document"),
                ));
            }
        }
    }
    let state = StoredState {
        revision: Revision::ZERO,
        counters: policy.counters,
        roles: policy.roles.clone(),
        teams: directory.teams.clone(),
        users: directory.users.clone(),
    };
    Ok((catalog, state))
}

/// An engine restored from a policy and a directory document: the
/// document's catalog, opened on a [`MemoryStore`] holding the documents'
/// [`stored_state`], so that every role, team and user is checked as
/// loading from a store checks it. Its administrative changes are
/// committed to that store; its audit log is in memory. For another audit
/// log or store, open [`Engine::builder`] on [`stored_state`] instead.
///
/// # Errors
///
/// As [`stored_state`]; [`DocumentError::Load`] if loading refuses the
/// state all the same.
///
/// # Examples
///
/// ```
/// use rolegate::document::{self, DirectoryDocument, PolicyDocument};
/// use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
///
/// let engine = Engine::new(Catalog::standard());
/// engine.bootstrap().add_user(User::new(UserId::new(1), OrgId::new(1), SystemRole::Operator.id()))?;
/// let snapshot = engine.snapshot();
/// let restored = document::restore(&PolicyDocument::of(&snapshot), &DirectoryDocument::of(&snapshot))?;
///
/// let catalog = restored.catalog();
/// let workflow = Resource::new(catalog.resource_type("workflows")?, ResourceId::new(1), OrgId::new(1));
/// assert!(restored.can_user(UserId::new(1), catalog.action("execute")?, &workflow));
/// assert!(!restored.can_user(UserId::new(1), catalog.action("delete")?, &workflow));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn restore(
    policy: &PolicyDocument,
    directory: &DirectoryDocument,
) -> Result<Engine, DocumentError> {
    let (catalog, state) = checked_state(policy, directory)?;
    Engine::builder(catalog)
        .open(MemoryStore::with_state(state))
        .map_err(|source| DocumentError::Load { source })
}
