//! An engine reopened on its store answers exactly as before, and its new
//! ids continue without reuse.

use std::sync::Arc;

use rolegate::store::MemoryStore;
use rolegate::{Catalog, Engine};

use crate::scenarios::reopened_engines_answer_alike;
use crate::world::ACME;

#[test]
fn an_engine_reopened_on_the_memory_store_answers_alike() {
    let store = Arc::new(MemoryStore::new());
    reopened_engines_answer_alike(
        || {
            Engine::builder(Catalog::standard())
                .open(Arc::clone(&store))
                .unwrap()
        },
        false,
    );
}

#[test]
fn a_deleted_role_id_is_not_given_again_after_a_reopen() {
    let store = Arc::new(MemoryStore::new());
    let engine = Engine::builder(Catalog::standard())
        .open(Arc::clone(&store))
        .unwrap();
    let boot = engine.bootstrap();
    let first = boot.create_role(ACME, "First", []).unwrap();
    let last = boot.create_role(ACME, "Last", []).unwrap();
    boot.delete_role(last, None).unwrap();
    drop(engine);
    let engine = Engine::builder(Catalog::standard()).open(store).unwrap();
    let next = engine.bootstrap().create_role(ACME, "Next", []).unwrap();
    assert!(next > last && last > first, "{first} {last} {next}");
    assert!(engine.snapshot().policy().role(last).is_none());
}
