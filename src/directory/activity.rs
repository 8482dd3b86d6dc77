//! Activity recorded since users' records were written: one map that every
//! snapshot of an engine shares, so that recording activity publishes
//! nothing.

use std::sync::{Mutex, PoisonError};

use hashbrown::HashMap;

use crate::id::UserId;

const SHARDS: usize = 16;

/// The latest activity of each user who has been active, in Unix
/// milliseconds, behind one lock per shard of users.
#[derive(Debug)]
pub(super) struct Activity {
    shards: [Mutex<HashMap<UserId, i64>>; SHARDS],
}

impl Default for Activity {
    fn default() -> Self {
        Self {
            shards: std::array::from_fn(|_| Mutex::new(HashMap::new())),
        }
    }
}

impl Activity {
    fn shard(&self, user: UserId) -> Option<&Mutex<HashMap<UserId, i64>>> {
        // `% SHARDS` keeps the index in range; the id's low bits spread
        // runs of ids over the shards.
        self.shards.get((user.get() % SHARDS as u64) as usize)
    }

    /// Records that `user` was active at `ms`; an earlier time than the
    /// one held is ignored.
    pub(super) fn touch(&self, user: UserId, ms: i64) {
        if let Some(shard) = self.shard(user) {
            let mut map = shard.lock().unwrap_or_else(PoisonError::into_inner);
            let at = map.entry(user).or_insert(ms);
            *at = (*at).max(ms);
        }
    }

    /// The latest activity recorded for `user`, if any.
    pub(super) fn get(&self, user: UserId) -> Option<i64> {
        let shard = self.shard(user)?;
        let map = shard.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(&user).copied()
    }

    /// Forgets `user`'s activity: for a new user that reuses the id of one
    /// removed.
    pub(super) fn forget(&self, user: UserId) {
        if let Some(shard) = self.shard(user) {
            shard
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&user);
        }
    }

    /// Whether no activity has been recorded.
    pub(super) fn is_empty(&self) -> bool {
        self.shards
            .iter()
            .all(|s| s.lock().unwrap_or_else(PoisonError::into_inner).is_empty())
    }
}
