//! Several engines writing to one store at once: no change lost, none
//! committed over a state it was not validated against.

use std::sync::Arc;

use rolegate::store::MemoryStore;

use rolegate::{Catalog, Engine};

use crate::scenarios::{
    followers_apply_every_call_alike, the_last_owner_survives_two_writers, two_writers_lose_nothing,
};

fn open(store: &Arc<MemoryStore>) -> Engine {
    Engine::builder(Catalog::standard())
        .open(Arc::clone(store))
        .unwrap()
}

#[test]
fn two_engines_on_one_memory_store_lose_nothing() {
    let store = Arc::new(MemoryStore::new());
    two_writers_lose_nothing(|| open(&store), 50);
}

#[test]
fn two_engines_on_one_memory_store_keep_the_last_owner() {
    for _ in 0..20 {
        let store = Arc::new(MemoryStore::new());
        the_last_owner_survives_two_writers(|| open(&store));
    }
}

#[test]
fn a_follower_on_the_memory_store_applies_every_call_alike() {
    let store = Arc::new(MemoryStore::new());
    followers_apply_every_call_alike(|| open(&store));
}
