//! Memory per compiled role and per user, measured: a counting allocator
//! records the heap bytes live before and after loading 10,000 custom roles
//! and 100,000 users into an engine, indexes and snapshots included.
//!
//! Run with `cargo run --release --example memory`.
#![allow(unsafe_code)] // A global allocator is an `unsafe impl`.
#![allow(clippy::indexing_slicing)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use rolegate::{Catalog, Engine, MustMatch, OrgId, Rule, SystemRole, User, UserId};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every method forwards to the system allocator; this only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    const ROLES: usize = 10_000;
    const USERS: u64 = 100_000;
    let catalog = Catalog::standard();
    let org = OrgId::new(1);
    let types = ["connectors", "connections", "workflows", "agents", "tools"];

    let mut builder = Engine::builder(catalog.clone());
    let start = live();
    let mut roles = Vec::with_capacity(ROLES);
    for i in 0..ROLES {
        let ty = types[i % types.len()];
        roles.push((
            format!("Role {i}"),
            vec![
                Rule::builder(&catalog, ty, "read").build()?,
                Rule::builder(&catalog, ty, "update")
                    .must_match(MustMatch::TEAM)
                    .build()?,
                Rule::builder(&catalog, ty, "delete")
                    .conditions(r#"status != "archived" and priority <= 3"#)
                    .build()?,
                Rule::builder(&catalog, "activity", "read").build()?,
                Rule::builder(&catalog, "organization", "read").build()?,
            ],
        ));
    }
    let values = live();
    for (name, rules) in roles {
        builder.create_role(org, &name, rules)?;
    }
    let with_roles = live();
    println!(
        "{ROLES} custom roles of 5 rules each: {} bytes per role in the engine, \
         of which {} for its name and rules and the rest for its compiled tables and indexes",
        (with_roles - start) / ROLES as isize,
        (values - start) / ROLES as isize - size_of::<(String, Vec<Rule>)>() as isize,
    );

    let before_users = live();
    for i in 1..=USERS {
        builder.add_user(User::new(
            UserId::new(i),
            OrgId::new(i % 100),
            SystemRole::Viewer.id(),
        ))?;
    }
    let with_users = live();
    println!(
        "{USERS} users over 100 organizations: {} bytes per user, directory indexes included",
        (with_users - before_users) / USERS as isize
    );

    let engine = builder.build();
    let snapshot = engine.snapshot();
    let owner = snapshot
        .policy()
        .compiled_role_bytes(SystemRole::Owner.id())
        .unwrap_or(0);
    let end_user = snapshot
        .policy()
        .compiled_role_bytes(SystemRole::EndUser.id())
        .unwrap_or(0);
    println!(
        "compiled tables of Owner (39 rules): {owner} bytes; of End User (9 narrowed rules): {end_user} bytes"
    );
    Ok(())
}
