#![doc = include_str!("../README.md")]
//!
//! # The database
//!
//! Tables prefixed `rolegate_` in the connection's schema (its
//! `search_path`): `rolegate_roles`, `rolegate_teams`, `rolegate_users`
//! (each row with the revision that last wrote it) and
//! `rolegate_memberships`; `rolegate_state`, one row with the revision and
//! the id counters; `rolegate_commits`, the change log by revision; and
//! `rolegate_events`, the audit trail, with an index for each audit filter.
//! The schema is versioned: numbered migrations run in order, in one
//! transaction under an advisory lock, when a store or sink connects, and a
//! schema written by a newer version is refused.
//!
//! # Why `postgres`
//!
//! The engine's storage traits are synchronous (the engine runs no async
//! runtime and stays usable from any host), so the crate uses `postgres`,
//! the synchronous client of the `tokio-postgres` project: the same
//! protocol implementation, `LISTEN`/`NOTIFY` included, with the runtime
//! kept inside the client rather than imposed on the host.
#![forbid(unsafe_code)]

mod error;
mod feed;
mod schema;
mod sink;
mod store;

pub use feed::{ChangeFeed, FeedOptions, Freshness};
pub use postgres::Config;
pub use schema::VERSION as SCHEMA_VERSION;
pub use sink::PostgresSink;
pub use store::{CHANNEL, PostgresStore, WRITE_TURN_WAIT};
