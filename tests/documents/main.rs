//! JSON documents through the public API: a random state written as a
//! policy and a directory document, read back and restored, answers every
//! check and listing alike and writes the same text again; malformed and
//! hostile documents are refused with the place named, and no input
//! panics. Without the `serde` feature the test compiles to nothing.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod compare;
mod fixture;
mod format;
mod hostile;
mod invalid;
mod round_trip;
mod strategy;
