//! SEMANTICS.md §11.2 under real threads: a concurrent check sees either the whole
//! state before an administrative change or the whole state after it, never
//! a mix; every check that starts after a change returned sees it; and a
//! snapshot keeps answering from its own state whatever happens after it was
//! taken.
//!
//! No test relies on timing. The only orderings assumed are the
//! happens-before edges the tests create with atomics: a writer publishes
//! with `Release` after an administrative call returned, a reader loads with
//! `Acquire` before it starts a check. Where a test needs the readers to have
//! observed a state, the writer waits until they say they have; every wait
//! gives up as soon as another thread has failed, so a failure never hangs.
//!
//! The last test is a regression test: activity recorded while an
//! administrative call rewrote the same user used to be lost.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod activity;
mod helpers;
mod isolation;
mod many_engines;
mod readers;
mod revocation;
mod sharing;
mod states;
mod whole_states;
