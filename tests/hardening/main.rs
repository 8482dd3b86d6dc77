//! Hardening (SEMANTICS.md §8.1, §12, §13, §14): each test is named after
//! the cause it guards against, and asserts on limits or on counts, never
//! on time.
#![allow(unsafe_code)] // A global allocator is an `unsafe impl`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

mod audit_integrity;
mod csv;
mod fail_closed;
mod limits;
mod memory;
mod names;

/// Counts the bytes this thread allocates and frees.
struct Counting;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
    static FREED: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every method forwards to the system allocator; this only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATED.try_with(|c| c.set(c.get() + layout.size()));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = FREED.try_with(|c| c.set(c.get() + layout.size()));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATED.try_with(|c| c.set(c.get() + new_size));
        let _ = FREED.try_with(|c| c.set(c.get() + layout.size()));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Bytes this thread allocated, and bytes it holds (allocated less freed),
/// since it started.
pub(crate) fn heap() -> (usize, isize) {
    let allocated = ALLOCATED.with(Cell::get);
    let freed = FREED.with(Cell::get);
    (allocated, allocated as isize - freed as isize)
}
