#![doc = include_str!("../README.md")]
//!
//! # Modules, in the order a check is built
//!
//! - [`catalog`](Catalog): resource types, actions, attributes, syncs, built-in rules.
//! - rules and conditions: [`Rule`], [`MustMatch`], [`Conditions`].
//! - roles: [`SystemRole`], [`Role`].
//! - compile: [`Policy`], [`PermissionSet`].
//! - evaluate: [`Policy::can`], [`Policy::explain`], [`Subject`], [`Resource`].
//! - directory: [`User`], [`Team`], [`PeopleFilter`].
//! - engine: [`Engine`] (live state, snapshots, administrative calls through
//!   the delegation guard), [`Snapshot`], [`Change`].
//! - audit: [`AuditLog`], [`Event`], [`Engine::authorize`] and its
//!   [`Grant`], [`AuditSink`] and [`MemorySink`].
//! - csv: [`Snapshot::export_roles_csv`], [`parse_roles_csv`],
//!   [`Admin::import_roles`].
//!
//! The decision rules are written out in [`semantics`].
//!
//! # Features
//!
//! None yet. Besides `bitflags`, `hashbrown`, `smallvec` and `thiserror`,
//! the engine uses `arc-swap` (publishing snapshots without readers taking a
//! lock) and `imbl` (persistent maps, so that a snapshot shares what a change
//! does not touch).
#![forbid(unsafe_code)]
#![deny(
    missing_docs,
    missing_debug_implementations,
    rustdoc::broken_intra_doc_links
)]

mod audit;
mod catalog;
mod compile;
mod condition;
mod csv;
mod directory;
mod engine;
mod evaluate;
mod id;
mod persistent;
mod role;
mod rule;
mod text;

#[doc = include_str!("../SEMANTICS.md")]
pub mod semantics {}

pub use audit::{
    Actor, AuditError, AuditLog, AuditPage, AuditQuery, AuditSink, Clock, Cursor, Event, EventId,
    Grant, HostEvent, ManualClock, MemorySink, NewEvent, OnSinkFailure, Outcome, Refusal,
    SinkError, SinkErrorKind, SystemClock,
};
pub use catalog::{
    Catalog, CatalogBuilder, CatalogError, ConditionDisplay, ConditionsDisplay, NameError,
    PermissionInfo, RuleBuilder, RuleDisplay, RuleError,
};
pub use compile::{Policy, PolicyBuilder, PolicyError, RuleRef, RuleSource};
pub use condition::{
    AttrType, Condition, ConditionError, ConditionErrorKind, Conditions, Literal, Op, Operand,
    SubjectField,
};
pub use csv::{
    ExportError, HEADER as CSV_HEADER, ImportError, ImportProblem, ImportProblemKind,
    parse_roles_csv,
};
pub use directory::{PeopleFilter, Team, Timestamp, User};
pub use engine::{
    Admin, AdminError, Change, Engine, EngineBuilder, GuardDenial, MatrixCell, MatrixRow,
    PermissionMatrix, Person, RoleDeleted, RoleEdit, RoleSummary, RolesImported, Snapshot,
    TeamSummary,
};
pub use evaluate::{
    Denial, Explanation, ExplanationDisplay, Failure, Resource, RuleFailure, Status, StatusError,
    Subject, Value,
};
pub use id::{
    ActionId, AttributeId, CustomerId, OrgId, PermissionId, PermissionSet, ResourceId,
    ResourceTypeId, RoleId, TeamId, UserId,
};
pub use role::{MAX_ROLE_NAME, Role, RoleError, RoleKind, SystemRole};
pub use rule::{MustMatch, MustMatchError, Rule};
