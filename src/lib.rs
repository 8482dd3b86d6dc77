#![doc = include_str!("../README.md")]
//!
//! # The crate's layers
//!
//! The names a check needs are at the crate root; everything else lives in
//! the module that owns it. Each module uses only the modules listed before
//! it:
//!
//! - [`condition`]: the condition language: attribute types, comparisons as
//!   typed data, parse errors.
//! - [`rule`]: a rule as data: permission, must-match keys, conditions.
//! - [`catalog`]: resource types, actions, attributes, syncs and built-in
//!   rules; rules written and displayed by name.
//! - [`role`]: the six system roles and custom roles.
//! - [`policy`]: roles compiled into bitset tables.
//! - [`evaluate`]: the subject and resource of a check, [`Policy::can`],
//!   [`Policy::explain`] and its [`Explanation`].
//! - [`directory`]: users, teams and the people filter.
//! - [`audit`]: the audit trail: events, sinks, queries, and the grant
//!   [`Engine::authorize`] hands out.
//! - [`csv`]: roles as CSV, written and read.
//! - [`store`]: the trait a host implements to keep the engine's state, and
//!   the in-memory store.
//! - [`engine`]: the live state of every organization, its snapshots, and
//!   administrative calls through the delegation guard.
//! - `document` (feature `serde`): the policy and the directory of an
//!   engine as JSON documents, stable and versioned, and an engine restored
//!   from them.
//! - `cases` (feature `serde`): decision tests as data, a JSON file of
//!   cases run against a policy with every mismatch explained.
//!
//! The decision rules are written out in [`semantics`].
//!
//! # Features
//!
//! - `serde`: serde for ids, statuses, outcomes, attribute types, rules in
//!   their text form, explanations and denials with their reason codes,
//!   audit events, role and team summaries, people, and the store's records; the JSON documents of the `document` module and
//!   the decision cases of the `cases` module.
//! - `tracing`: events of target `rolegate` through the `tracing` crate.
//!   Every decision made through the engine ([`Engine::can`],
//!   [`Engine::explain`], [`Engine::authorize`]) is an event with the fields
//!   `call`, `organization` (the resource's), `user`, `permission`,
//!   `outcome` (`allowed` or `denied`), `reason` (a denial's reason code,
//!   [semantics](crate::semantics) §6.4) and `revision`: allows at `debug`,
//!   denials at `info`. A page checked with [`Engine::can_many`] is one
//!   `debug` event with `call`, `organization` and `permission` (of its
//!   first resource), `user`, `resources`, `allowed` (how many) and
//!   `revision`. Every administrative
//!   call is an `info` event with `call` (the audit action, such as
//!   `role.update`), `organization`, `user` (absent for trusted
//!   configuration), `outcome` (`success`, `denied` or `failure`), `reason`
//!   and the `revision` it published or was refused on. Catching up with a
//!   store is an `info` event (`commits`, `revision`), failing to a `warn`.
//!   [`Policy::can`] and [`Policy::explain`] emit nothing. A denial's reason
//!   is worked out only when its event is enabled, and with no subscriber
//!   interested a decision costs one check of the enabled level.
//!
//! Besides `bitflags`, `hashbrown`, `smallvec` and `thiserror`,
//! the engine uses `arc-swap` (publishing snapshots without readers taking a
//! lock), `imbl` (persistent maps, so that a snapshot shares what a change
//! does not touch) and `csv` (RFC 4180 reading and writing).
#![forbid(unsafe_code)]
#![deny(
    missing_docs,
    missing_debug_implementations,
    rustdoc::broken_intra_doc_links
)]

mod id;
mod name;
mod persistent;
#[cfg(feature = "serde")]
mod serde;
mod text;

pub mod audit;
#[cfg(feature = "serde")]
pub mod cases;
pub mod catalog;
pub mod condition;
pub mod csv;
pub mod directory;
#[cfg(feature = "serde")]
pub mod document;
pub mod engine;
pub mod evaluate;
pub mod filter;
pub mod limits;
pub mod policy;
pub mod role;
pub mod rule;
pub mod store;

#[doc = include_str!("../SEMANTICS.md")]
pub mod semantics {}

pub use catalog::{Catalog, NameError, RuleError};
pub use directory::User;
pub use engine::{Admin, AdminError, Engine, Snapshot};
pub use evaluate::{Denial, Explanation, Resource, Subject, UserStatus};
pub use id::{
    ActionId, AttributeId, CustomerId, OrgId, PermissionId, ResourceId, ResourceTypeId, RoleId,
    TeamId, UserId,
};
pub use policy::Policy;
pub use role::{Role, RoleError, SystemRole};
pub use rule::{MustMatch, Rule};
