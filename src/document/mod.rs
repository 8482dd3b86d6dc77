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
//! - a catalog [`CatalogBuilder`](crate::catalog::CatalogBuilder) refuses;
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

mod catalog;
mod directory;
mod error;
pub(crate) mod json;
mod policy;

pub use directory::DirectoryDocument;
pub use error::DocumentError;
pub use policy::PolicyDocument;

use crate::catalog::Catalog;
use crate::engine::Engine;
use crate::role::SystemRole;
use crate::store::{MemoryStore, Revision, StoredState};

use error::invalid;

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
    for (i, user) in directory.users().iter().enumerate() {
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
        counters: policy.counters(),
        roles: policy.roles().to_vec(),
        teams: directory.teams().to_vec(),
        users: directory.users().to_vec(),
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
/// assert!(restored.can(UserId::new(1), catalog.action("execute")?, &workflow));
/// assert!(!restored.can(UserId::new(1), catalog.action("delete")?, &workflow));
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
