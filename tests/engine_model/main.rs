//! State-machine test of the engine's administrative calls against a plain model of SEMANTICS.md §2–§10.
//!
//! Random sequences of every `Admin` call, by the system or by random users
//! of two organizations (or unknown ones), run on a real [`Engine`] and on a
//! model that decides allow/deny and effects on its own. After every step:
//! same result (error variant included), same decisions on a set of probe
//! resources, same role, team and people listings and permission matrices,
//! no user newly holds a permission the acting user did not hold, and the
//! snapshot version moves by one exactly when the call succeeded.
//!
//! `PROPTEST_CASES` overrides the number of sequences (128).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod actors;
mod checks;
mod engine;
mod escalation;
mod model;
mod model_calls;
mod ops;
mod owners;
mod probes;
mod property;
mod roles;
mod runner;
mod spec;
mod strategy;
