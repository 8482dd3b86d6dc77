//! The PostgreSQL store, sink and change feed against a real server, each
//! test in its own schema. Set `ROLEGATE_POSTGRES_URL` to run them (CI
//! does); without it each test says that it did not run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../../../tests/store/faulty.rs"]
mod faulty;
#[path = "../../../../tests/store/ops.rs"]
mod ops;
#[path = "../../../../tests/store/scenarios.rs"]
mod scenarios;
#[path = "../../../../tests/store/world.rs"]
mod world;

mod db;
mod feeds;
mod filters;
mod stores;
