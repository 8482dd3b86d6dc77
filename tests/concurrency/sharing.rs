//! Sharing across threads: the engine and snapshots are `Send + Sync`.

use std::sync::Arc;
use std::thread;

use rolegate::engine::{Change, RoleEdit};
use rolegate::*;

use crate::helpers::{ORG, OWNER, WATCHER, action, owned_engine, resource};

/// Compiles only for types that can be moved and shared across threads
/// without borrowing anything.
fn shareable<T: Send + Sync + 'static>() {}

/// Compiles only for types that can be moved and shared across threads.
fn send_sync<T: Send + Sync>() {}

#[test]
fn engine_and_snapshots_can_be_shared_across_threads() {
    shareable::<Engine>();
    shareable::<Snapshot>();
    shareable::<Arc<Snapshot>>();
    shareable::<Policy>();
    shareable::<Catalog>();
    shareable::<Arc<Catalog>>();
    shareable::<Subject>();
    shareable::<User>();
    shareable::<Resource<'static>>();
    shareable::<Explanation>();
    shareable::<Change>();
    shareable::<AdminError>();
    shareable::<RoleEdit>();
    send_sync::<Admin<'_>>();
    send_sync::<Resource<'_>>();

    // At run time, with threads that borrow nothing: a change made on one
    // thread is seen by the others, and a snapshot moved to another thread
    // keeps its own state.
    let (engine, catalog) = owned_engine();
    engine
        .bootstrap()
        .add_user(User::new(WATCHER, ORG, SystemRole::Viewer.id()))
        .unwrap();
    let update = action(&catalog, "update");
    let workflow = resource(&catalog, "workflows", 1, ORG);
    let before = engine.snapshot();
    let promoter = {
        let engine = engine.clone();
        thread::spawn(move || {
            engine
                .admin(OWNER)
                .assign_role(WATCHER, SystemRole::Developer.id())
                .unwrap();
            engine.snapshot()
        })
    };
    let after = promoter.join().unwrap();
    let old_reader = {
        let workflow = workflow.clone();
        thread::spawn(move || {
            (
                before.revision().get(),
                before.can(WATCHER, update, &workflow),
            )
        })
    };
    let (old_version, old_answer) = old_reader.join().unwrap();
    assert!(
        !old_answer,
        "the snapshot taken before the promotion still has the Viewer"
    );
    assert_eq!(after.revision().get(), old_version + 1);
    assert!(after.can(WATCHER, update, &workflow));
    assert!(engine.can(WATCHER, update, &workflow));
}
