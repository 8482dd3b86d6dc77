//! Engines on a store: write-through, reopening, faults, several writers.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod faulty;
mod ops;
mod scenarios;
mod world;

mod corrupt;
mod faults;
mod reopen;
mod writers;
