//! Memory per compiled role and per user, measured: a counting allocator
//! records the heap bytes live before and after loading 10,000 custom roles
//! into an engine, and 1,000,000 users into another (100,000 in teams into
//! a third), indexes and snapshots included.
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
    const USERS: u64 = 1_000_000;
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

    let engine = builder.build();
    users(&catalog, USERS, 0)?;
    users(&catalog, 100_000, 2)?;
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

/// Loads `n` users over 1,000 organizations (or, with teams, into one
/// organization with 100 teams, each user in `teams` of them) and prints
/// what each costs in the built engine.
fn users(catalog: &Catalog, n: u64, teams: u64) -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = Engine::builder(catalog.clone());
    let mut ids = Vec::new();
    let orgs = if teams == 0 { 1_000 } else { 1 };
    if teams > 0 {
        for t in 0..100 {
            ids.push(builder.create_team(OrgId::new(1), &format!("Team {t}"))?);
        }
    }
    let with_teams = live();
    for i in 1..=n {
        let mut user = User::new(
            UserId::new(i),
            OrgId::new(1 + i % orgs),
            SystemRole::Viewer.id(),
        );
        for k in 0..teams {
            user = user.with_team(ids[((i + k * 37) % 100) as usize]);
        }
        builder.add_user(user)?;
    }
    let engine = builder.build();
    let after = live();
    assert_eq!(engine.snapshot().user_count() as u64, n);
    if teams == 0 {
        println!(
            "{n} users over {orgs} organizations: {} bytes per user, directory indexes included",
            (after - with_teams) / n as isize
        );
    } else {
        println!(
            "{n} users of one organization, each in {teams} of its 100 teams: {} bytes per user, \
             membership indexes included",
            (after - with_teams) / n as isize
        );
    }
    drop(engine);
    Ok(())
}
