#![doc = include_str!("../README.md")]
//!
//! # The file
//!
//! One SQLite file in WAL mode holds everything: `roles`, `teams`, `users`
//! (each row with the revision that last wrote it) and `memberships`, the
//! `commits` change log by revision, and the `events` of the audit trail,
//! with an index for each audit filter. The schema is versioned: numbered
//! migrations run in order when a file is opened, the version kept in the
//! file's `user_version`, and a file written by a newer version is refused.
#![forbid(unsafe_code)]
#![deny(
    missing_docs,
    missing_debug_implementations,
    rustdoc::broken_intra_doc_links
)]

mod error;
mod schema;
mod sink;
mod store;

pub use schema::VERSION as SCHEMA_VERSION;
pub use sink::{Durability, MAX_BATCH, SqliteSink};
pub use store::SqliteStore;
