//! One thread checking on many engines at once: each check answers from its
//! own engine's current state, whatever the thread checked before.

use rolegate::*;

#[test]
fn checks_on_many_engines_from_one_thread_answer_from_each_engine() {
    let org = OrgId::new(1);
    let user = UserId::new(7);
    // Six engines, more than a thread keeps at once; in engine `i` the user
    // holds a role that can execute workflows only when `i` is even.
    let engines: Vec<Engine> = (0..6)
        .map(|i| {
            let engine = Engine::new(Catalog::standard());
            let role = if i % 2 == 0 {
                SystemRole::Operator.id()
            } else {
                SystemRole::Viewer.id()
            };
            engine
                .bootstrap()
                .add_user(User::new(user, org, role))
                .unwrap();
            engine
        })
        .collect();
    let catalog = Catalog::standard();
    let workflow = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(1),
        org,
    );
    let execute = catalog.action("execute").unwrap();
    for round in 0..3 {
        for (i, engine) in engines.iter().enumerate() {
            let expected = (i + round) % 2 == 0;
            assert_eq!(
                engine.can(user, execute, &workflow),
                expected,
                "engine {i}, round {round}"
            );
        }
        // Flip every engine: the next round sees each change at once.
        for (i, engine) in engines.iter().enumerate() {
            let role = if (i + round) % 2 == 0 {
                SystemRole::Viewer.id()
            } else {
                SystemRole::Operator.id()
            };
            engine.bootstrap().assign_role(user, role).unwrap();
        }
    }
}

/// Checks from a thread-local's destructor, after the engine's per-thread
/// cache is gone: answered from the shared state, not a panic.
#[test]
fn a_check_during_thread_teardown_answers_from_the_shared_state() {
    use std::cell::RefCell;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};

    static ANSWERED: AtomicBool = AtomicBool::new(false);
    static ENGINE: Mutex<Option<Engine>> = Mutex::new(None);

    struct CheckOnDrop;
    impl Drop for CheckOnDrop {
        fn drop(&mut self) {
            let engine = ENGINE.lock().unwrap().clone().unwrap();
            let catalog = engine.catalog();
            let workflow = Resource::new(
                catalog.resource_type("workflows").unwrap(),
                ResourceId::new(1),
                OrgId::new(1),
            );
            let allowed = engine.can(
                UserId::new(7),
                catalog.action("execute").unwrap(),
                &workflow,
            );
            ANSWERED.store(allowed, Ordering::SeqCst);
        }
    }
    thread_local! {
        static GUARD: RefCell<Option<CheckOnDrop>> = const { RefCell::new(None) };
    }

    let engine = Engine::new(Catalog::standard());
    engine
        .bootstrap()
        .add_user(User::new(
            UserId::new(7),
            OrgId::new(1),
            SystemRole::Operator.id(),
        ))
        .unwrap();
    *ENGINE.lock().unwrap() = Some(engine.clone());
    std::thread::spawn(|| {
        // Registered first, so destroyed last: after the engine's cache.
        GUARD.with(|g| *g.borrow_mut() = Some(CheckOnDrop));
        let engine = ENGINE.lock().unwrap().clone().unwrap();
        let catalog = engine.catalog();
        let workflow = Resource::new(
            catalog.resource_type("workflows").unwrap(),
            ResourceId::new(1),
            OrgId::new(1),
        );
        assert!(engine.can(
            UserId::new(7),
            catalog.action("execute").unwrap(),
            &workflow
        ));
    })
    .join()
    .unwrap();
    assert!(ANSWERED.load(Ordering::SeqCst), "the check ran and allowed");
}
