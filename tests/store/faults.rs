//! A store that fails: the engine and the store stay as they were, and the
//! failure is on record.

use std::sync::Arc;

use rolegate::store::MemoryStore;
use rolegate::{Catalog, Engine};

use crate::faulty::Faulty;
use crate::scenarios::every_call_survives_a_failed_commit;

#[test]
fn every_administrative_call_the_memory_store_fails_changes_nothing_and_is_recorded() {
    let store = Arc::new(Faulty::new(MemoryStore::new()));
    let engine = Engine::builder(Catalog::standard())
        .open(Arc::clone(&store))
        .unwrap();
    every_call_survives_a_failed_commit(&engine, &store);
}
