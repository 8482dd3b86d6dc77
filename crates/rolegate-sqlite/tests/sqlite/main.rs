//! The SQLite store and sink against real files in a temporary directory:
//! the scenarios every store passes, a crash, and the file itself.

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

mod batched;
mod crash;
mod dir;
mod file;
mod stores;
