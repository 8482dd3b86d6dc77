//! The coarse clock (feature `coarse-clock`): its times stay within the
//! kernel's tick of the system clock's, and a log on it records checks at
//! those times.

use std::sync::Arc;

use rolegate::audit::{AuditLog, AuditQuery, Clock, CoarseClock, MemorySink, Outcome, SystemClock};
use rolegate::*;

/// The kernel's tick is a few milliseconds; a second is far past any tick
/// and far short of a clock that reads something else.
const TICK_BOUND_MS: i64 = 1_000;

#[test]
fn coarse_times_are_the_system_time_to_within_a_tick_and_never_go_back() {
    let mut last = CoarseClock.now();
    for _ in 0..10_000 {
        let before = SystemClock.now();
        let coarse = CoarseClock.now();
        let after = SystemClock.now();
        assert!(coarse >= last, "{coarse} after {last}");
        assert!(coarse <= after, "{coarse} is ahead of {after}");
        assert!(
            before.unix_millis() - coarse.unix_millis() < TICK_BOUND_MS,
            "{coarse} lags {before}"
        );
        last = coarse;
    }
}

#[test]
fn a_log_on_the_coarse_clock_records_a_check_and_its_completion_at_its_times() {
    let sink = Arc::new(MemorySink::new());
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(Arc::clone(&sink)).with_clock(Arc::new(CoarseClock)));
    let engine = builder.build();
    let org = OrgId::new(1);
    engine
        .bootstrap()
        .add_user(User::new(UserId::new(1), org, SystemRole::Developer.id()))
        .unwrap();
    engine
        .bootstrap()
        .add_user(User::new(UserId::new(2), org, SystemRole::Viewer.id()))
        .unwrap();
    let catalog = engine.catalog();
    let workflow = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(1),
        org,
    );
    let before = SystemClock.now();
    let grant = engine
        .authorize(
            UserId::new(1),
            catalog.action("execute").unwrap(),
            &workflow,
        )
        .unwrap();
    let id = grant.success().unwrap();
    let after = SystemClock.now();
    assert!(
        engine
            .authorize(UserId::new(2), catalog.action("delete").unwrap(), &workflow)
            .is_err()
    );
    let page = engine
        .audit()
        .query(&AuditQuery::new().organization(org))
        .unwrap();
    let event = page.events.iter().find(|e| e.id() == id).unwrap();
    assert_eq!(event.outcome(), Outcome::Success);
    let (at, done) = (event.at(), event.completed_at().unwrap());
    assert!(at <= done && done <= after, "{at} then {done}, by {after}");
    assert!(before.unix_millis() - at.unix_millis() < TICK_BOUND_MS);
    assert!(page.events.iter().any(|e| e.outcome() == Outcome::Denied));
}
