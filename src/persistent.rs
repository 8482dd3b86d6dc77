//! Persistent maps: what snapshots share, with a fast hasher for id keys.
//!
//! Keys are the engine's own ids and names, hashed off the check path with
//! hashbrown's default hasher (randomly seeded per process).

/// A persistent hash map: cloning it is O(1), an insert copies one path.
pub(crate) type PMap<K, V> =
    imbl::GenericHashMap<K, V, hashbrown::DefaultHashBuilder, imbl::shared_ptr::DefaultSharedPtr>;
