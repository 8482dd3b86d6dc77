//! Differential test of `Policy::can` and `Policy::explain` against a naive
//! reference evaluator written straight from SEMANTICS.md §2–§6, on random catalogs,
//! custom roles, subjects and resources (and on the two shipped catalogs).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod compare;
mod engine_inputs;
mod evaluator;
mod filters;
mod fixed_cases;
mod fixture;
mod invariants;
mod plain;
mod pools;
mod property;
mod render;
mod resolve;
mod shipped;
mod strategy;
mod system_roles;
