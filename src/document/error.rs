//! Why a document was refused, and where: [`DocumentError`].

use crate::catalog::{CatalogError, RuleError};
use crate::role::RoleError;
use crate::store::StoreError;

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
    /// The document is longer than [`MAX_DOCUMENT_BYTES`](super::MAX_DOCUMENT_BYTES); it was not
    /// parsed.
    #[error("the document is {size} bytes long, more than the limit of {limit} bytes")]
    TooLarge {
        /// The document's length in bytes.
        size: usize,
        /// The limit, [`MAX_DOCUMENT_BYTES`](super::MAX_DOCUMENT_BYTES).
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
        /// The version this crate reads, [`VERSION`](super::VERSION).
        supported: u64,
    },
    /// The catalog's declarations do not build.
    #[error("catalog: the declarations do not build")]
    Catalog {
        /// What [`CatalogBuilder::build`](crate::catalog::CatalogBuilder::build) refused.
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

/// A value that does not hold together with the rest, at `path`.
pub(super) fn invalid(path: String, reason: String) -> DocumentError {
    DocumentError::Invalid { path, reason }
}
