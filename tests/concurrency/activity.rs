//! Activity recorded while the user's record is being replaced.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use rolegate::directory::Timestamp;
use rolegate::*;

use crate::helpers::{ORG, OWNER, RaiseOnDrop, owned_engine};

/// `Engine::record_activity` is not an administrative change: it writes the
/// time in place. Regression: an administrative call that rewrote the same
/// user (here `assign_role`) used to copy the time into the next record, so
/// a time recorded between that copy and the publication was lost although
/// `record_activity` returned true. Every version of a user's record now
/// shares one activity cell.
#[test]
fn activity_recorded_during_a_change_is_kept() {
    let (engine, _) = owned_engine();
    let user = UserId::new(2);
    engine
        .bootstrap()
        .add_user(User::new(user, ORG, SystemRole::Viewer.id()))
        .unwrap();
    let done = AtomicBool::new(false);
    let lost = thread::scope(|s| {
        s.spawn(|| {
            let _done = RaiseOnDrop(&done);
            for i in 0..5_000 {
                let role = if i % 2 == 0 {
                    SystemRole::Developer
                } else {
                    SystemRole::Viewer
                };
                engine.admin(OWNER).assign_role(user, role.id()).unwrap();
            }
        });
        let toucher = s.spawn(|| {
            let (mut at, mut lost) = (1_000_000_i64, Vec::new());
            while !done.load(Ordering::Acquire) {
                at += 1;
                assert!(engine.record_activity(user, Timestamp::from_unix_millis(at)));
                let seen = engine
                    .snapshot()
                    .user(user)
                    .and_then(|u| u.last_active())
                    .map(Timestamp::unix_millis);
                if seen.is_none_or(|seen| seen < at) {
                    lost.push((at, seen));
                }
            }
            lost
        });
        toucher.join().unwrap()
    });
    assert!(
        lost.is_empty(),
        "{} recorded times were not there right after record_activity returned true; \
         the first ones (recorded, then seen): {:?}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );
}
