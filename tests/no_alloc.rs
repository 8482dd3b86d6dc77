//! `can` performs no heap allocation, on every path: allows, denies, and
//! must-match and condition checks. A counting global allocator counts the
//! allocations made by this thread around each check.
#![allow(unsafe_code)] // A global allocator is an `unsafe impl`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use rolegate::*;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every method forwards to the system allocator; this only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn can_does_not_allocate() {
    let catalog = Catalog::standard();
    let mut builder = Policy::builder(catalog.clone());
    builder
        .create_role(
        OrgId::new(1),
        "Marketing Editor",
        [Rule::builder(&catalog, "workflows", "update")
            .must_match(MustMatch::TEAM)
            .conditions(
                r#"status != "archived" and environment in ["test", "staging"] and priority <= 3"#,
            )
            .build()
            .unwrap()],
    )
    .unwrap();
    let policy = builder.build();
    let catalog = policy.catalog();
    let org = OrgId::new(1);
    let (status, env, priority) = (
        catalog.attribute("status").unwrap(),
        catalog.attribute("environment").unwrap(),
        catalog.attribute("priority").unwrap(),
    );
    let workflows = catalog.resource_type("workflows").unwrap();
    let connections = catalog.resource_type("connections").unwrap();
    let (update, read, execute, delete) = (
        catalog.action("update").unwrap(),
        catalog.action("read").unwrap(),
        catalog.action("execute").unwrap(),
        catalog.action("delete").unwrap(),
    );
    let team = TeamId::new(5);
    let editor = Subject::new(
        UserId::new(1),
        org,
        RoleId::new(6).unwrap(),
        UserStatus::Active,
    )
    .with_teams([TeamId::new(1), TeamId::new(2), TeamId::new(3), team]);
    let developer = Subject::new(
        UserId::new(2),
        org,
        SystemRole::Developer.id(),
        UserStatus::Active,
    );
    let viewer = developer.clone().with_role(SystemRole::Viewer.id());
    let end_user = Subject::new(
        UserId::new(3),
        org,
        SystemRole::EndUser.id(),
        UserStatus::Active,
    )
    .with_customer(CustomerId::new(9));
    let draft = Resource::new(workflows, ResourceId::new(1), org)
        .with_team(team)
        .with_attribute(status, "draft")
        .with_attribute(env, "staging")
        .with_attribute(priority, 2);
    let archived = draft.clone().with_attribute(status, "archived");
    let elsewhere = Resource::new(workflows, ResourceId::new(2), OrgId::new(2));
    let own_connection = Resource::new(connections, ResourceId::new(3), org)
        .with_customer(CustomerId::new(9))
        .with_owner(UserId::new(3));

    let cases: [(&Subject, ActionId, &Resource<'_>, bool); 8] = [
        (&developer, execute, &draft, true),
        (&viewer, delete, &draft, false),
        (&developer, read, &elsewhere, false),
        (&editor, update, &draft, true),
        (&editor, update, &archived, false),
        (&end_user, read, &own_connection, true),
        (&end_user, delete, &draft, false),
        (
            &viewer.clone().with_status(UserStatus::Suspended),
            read,
            &draft,
            false,
        ),
    ];
    for (subject, action, resource, want) in cases {
        let before = allocations();
        let got = policy.can(subject, action, resource);
        let after = allocations();
        assert_eq!(got, want);
        assert_eq!(
            after - before,
            0,
            "can allocated for {subject:?} {action:?}"
        );
    }
    // The counter does count: building an explanation with failures allocates.
    let before = allocations();
    let why = policy.explain(&editor, update, &archived);
    assert!(!why.is_allowed());
    assert!(allocations() > before);
}
