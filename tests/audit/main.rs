//! The audit trail (SEMANTICS.md §12): event fields, `authorize` and its grants,
//! exactly one event per gated call under threads, every filter alone and
//! combined, paging while events arrive, host events, text cleaning, failing
//! and bounded sinks under each policy, and the engine's own administrative
//! events. Timestamps come from a `ManualClock`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod admin;
mod admin_bootstrap;
mod admin_members;
mod admin_roles;
mod admin_teams;
#[cfg(feature = "coarse-clock")]
mod coarse_clock;
mod events;
mod fixture;
mod grants;
mod history;
mod host_events;
mod policies;
mod queries;
mod sinks;
mod threads;
