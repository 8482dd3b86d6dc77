//! Failing and bounded sinks under each policy.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::thread;
use std::time::{Duration, Instant};

use rolegate::audit::{
    AuditError, AuditLog, AuditQuery, AuthorizeError, MemorySink, OnSinkFailure, Outcome,
    SinkErrorKind,
};
use rolegate::*;

use crate::fixture::{
    ACME, ADMIN, DEV, all, expect_audit_refusal, expect_denied, ids, login, world,
};
use crate::sinks::SwitchSink;

#[test]
fn refuse_policy_refuses_unrecordable_actions_and_counts_refusals_it_cannot_record() {
    let sink = Arc::new(SwitchSink::default());
    let w = world(AuditLog::new(Arc::clone(&sink)));
    assert_eq!(w.engine.audit().policy(), OnSinkFailure::Refuse);
    let log = w.engine.audit();
    let version = w.revision().get();

    sink.set_down(true);
    // An allowed check whose decision the sink will not take: refused
    // before any work is done.
    match expect_audit_refusal(w.run(1)) {
        AuditError::Sink(e) => assert_eq!(e.kind(), SinkErrorKind::Unavailable),
        other => panic!("{other:?}"),
    }
    assert_eq!(log.dropped(), 0, "refused, not lost");

    // An administrative call is refused and changes nothing.
    let err = w
        .engine
        .admin(ADMIN)
        .create_team(ACME, "Refused")
        .unwrap_err();
    assert!(
        matches!(err, AdminError::Audit(AuditError::Sink(_))),
        "{err:?}"
    );
    let err = w
        .engine
        .admin(ADMIN)
        .rename_role(w.runner_role, "Renamed")
        .unwrap_err();
    assert!(
        matches!(err, AdminError::Audit(AuditError::Sink(_))),
        "{err:?}"
    );
    let err = w.engine.bootstrap().create_team(ACME, "Boot").unwrap_err();
    assert!(
        matches!(err, AdminError::Audit(AuditError::Sink(_))),
        "{err:?}"
    );
    assert_eq!(w.revision().get(), version);
    assert_eq!(w.engine.snapshot().teams(ACME).len(), 1);
    assert_eq!(log.dropped(), 0);

    // A host event is refused with an error.
    let err = log.record(login(ACME, Outcome::Success)).unwrap_err();
    assert!(matches!(err, AuditError::Sink(_)), "{err:?}");
    assert_eq!(log.dropped(), 0);

    // Calls refused anyway are refused as before, their lost record counted.
    let (_, event) = expect_denied(w.view_run(2));
    assert_eq!(event, None);
    assert_eq!(log.dropped(), 1);
    let err = w
        .engine
        .admin(DEV)
        .create_role(ACME, "X", vec![])
        .unwrap_err();
    assert!(matches!(err, AdminError::Denied(_)), "{err:?}");
    assert_eq!(log.dropped(), 2);
    let err = w
        .engine
        .admin(ADMIN)
        .create_team(ACME, "Platform")
        .unwrap_err();
    assert!(
        matches!(err, AdminError::DuplicateTeamName { .. }),
        "{err:?}"
    );
    assert_eq!(log.dropped(), 3);
    assert_eq!(w.revision().get(), version);

    // Grants taken while the sink worked, completed after it failed: their
    // decisions are on record, and the lost completions are reported and
    // counted.
    sink.set_down(false);
    let done = w.run(3).unwrap();
    let forgotten = w.run(4).unwrap();
    sink.set_down(true);
    let err = done.success().unwrap_err();
    assert!(matches!(err, AuditError::Sink(_)), "{err:?}");
    assert_eq!(log.dropped(), 4);
    drop(forgotten);
    assert_eq!(log.dropped(), 5);

    // Back up: only the two decisions were recorded meanwhile, each still
    // allowed and not completed; every loss is counted.
    sink.set_down(false);
    let events = all(&w.engine);
    let outcomes: Vec<Outcome> = events.iter().map(|e| e.outcome()).collect();
    assert_eq!(outcomes, [Outcome::Allowed, Outcome::Allowed]);
    w.run(5).unwrap().success().unwrap();
    w.engine.admin(ADMIN).create_team(ACME, "Refused").unwrap();
    assert_eq!(w.revision().get(), version + 1);
    let events = all(&w.engine);
    assert_eq!(events.len(), 4);
    assert_eq!(events[0].action(), "team.create");
    assert_eq!(events[0].outcome(), Outcome::Success);
    assert_eq!(log.dropped(), 5);

    // A query the sink cannot answer is an error.
    sink.query_down.store(true, SeqCst);
    let err = log.query(&AuditQuery::new()).unwrap_err();
    assert!(matches!(err, AuditError::Query(_)), "{err:?}");
}

#[test]
fn count_policy_lets_actions_proceed_and_counts_each_lost_event() {
    let sink = Arc::new(SwitchSink::default());
    let w = world(AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Count));
    let log = w.engine.audit();
    assert_eq!(log.policy(), OnSinkFailure::Count);
    let version = w.revision().get();

    sink.set_down(true);
    let (_, event) = expect_denied(w.view_run(1));
    assert_eq!(event, None);
    assert_eq!(log.dropped(), 1);

    let team = w.engine.admin(ADMIN).create_team(ACME, "Counted").unwrap();
    assert_eq!(w.revision().get(), version + 1, "the change happened");
    assert!(w.engine.snapshot().team(team).is_some());
    assert_eq!(log.dropped(), 2);

    let err = w.engine.admin(DEV).create_team(ACME, "Nope").unwrap_err();
    assert!(matches!(err, AdminError::Denied(_)), "{err:?}");
    assert_eq!(log.dropped(), 3);

    assert_eq!(log.record(login(ACME, Outcome::Success)).unwrap(), None);
    assert_eq!(log.dropped(), 4);

    // An allowed check proceeds; its one lost event counts once, whether
    // its decision or its completion is the record the sink would not take.
    let grant = w.run(2).unwrap();
    assert_eq!(grant.event(), None);
    assert_eq!(log.dropped(), 5, "the decision could not be recorded");
    let err = grant.success().unwrap_err();
    assert!(matches!(err, AuditError::Sink(_)), "{err:?}");
    assert_eq!(
        log.dropped(),
        5,
        "one allowed check whose single event was lost must count one"
    );

    sink.set_down(false);
    assert!(all(&w.engine).is_empty());
}

#[test]
fn count_policy_takes_back_a_lost_decision_recorded_at_completion() {
    // A bounded sink, full when the check is made, with room again by the
    // time the grant completes: the whole event is recorded then, so in the
    // end nothing was lost.
    let sink = Arc::new(MemorySink::bounded(1));
    let w = world(AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Count));
    let log = w.engine.audit();
    log.record(login(ACME, Outcome::Success)).unwrap().unwrap();

    let grant = w.run(1).unwrap();
    assert_eq!(log.dropped(), 1, "the decision could not be recorded");
    assert_eq!(sink.drain(1).len(), 1);
    let id = grant.success().unwrap();
    assert_eq!(ids(&all(&w.engine)), [id.get()]);
    assert_eq!(
        log.dropped(),
        0,
        "the event was recorded: nothing was dropped"
    );
}

#[test]
fn wait_policy_rides_out_a_sink_that_recovers_in_time() {
    let sink = Arc::new(SwitchSink::default());
    let w = world(
        AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Wait(Duration::from_secs(5))),
    );
    let log = w.engine.audit();
    let version = w.revision().get();

    sink.fail_next.store(3, SeqCst);
    let grant = w.run(1).unwrap();
    assert_eq!(
        sink.fail_next.load(SeqCst),
        0,
        "retried through the failures"
    );
    grant.success().unwrap();

    sink.fail_next.store(3, SeqCst);
    let team = w.engine.admin(ADMIN).create_team(ACME, "Patient").unwrap();
    assert_eq!(w.revision().get(), version + 1);

    sink.fail_next.store(3, SeqCst);
    assert!(log.record(login(ACME, Outcome::Success)).unwrap().is_some());

    let events = all(&w.engine);
    assert_eq!(events.len(), 3);
    assert_eq!(events[1].action(), "team.create");
    assert_eq!(events[1].resource_id(), Some(team.to_string().as_str()));
    assert_eq!(log.dropped(), 0);

    // A bounded sink drained by another thread while the check waits.
    let bounded = Arc::new(MemorySink::bounded(1));
    let w = world(
        AuditLog::new(Arc::clone(&bounded)).on_failure(OnSinkFailure::Wait(Duration::from_secs(5))),
    );
    w.engine
        .audit()
        .record(login(ACME, Outcome::Success))
        .unwrap()
        .unwrap();
    let start = Instant::now();
    let grant = thread::scope(|s| {
        s.spawn(|| {
            thread::sleep(Duration::from_millis(30));
            bounded.drain(1)
        });
        w.run(1).unwrap()
    });
    assert!(start.elapsed() >= Duration::from_millis(25));
    grant.success().unwrap();
    assert_eq!(bounded.len(), 1);
    assert_eq!(w.engine.audit().dropped(), 0);
}

#[test]
fn wait_policy_refuses_when_the_sink_does_not_recover_in_time() {
    let limit = Duration::from_millis(40);
    let sink = Arc::new(SwitchSink::default());
    let w = world(AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Wait(limit)));
    let log = w.engine.audit();
    let version = w.revision().get();
    sink.set_down(true);

    let start = Instant::now();
    match expect_audit_refusal(w.run(1)) {
        AuditError::TimedOut { waited, source } => {
            assert!(waited >= limit, "{waited:?}");
            assert_eq!(source.kind(), SinkErrorKind::Unavailable);
        }
        other => panic!("{other:?}"),
    }
    assert!(start.elapsed() >= limit);
    assert!(sink.attempts.load(SeqCst) > 1, "it retried");

    let err = w.engine.admin(ADMIN).create_team(ACME, "Late").unwrap_err();
    assert!(
        matches!(err, AdminError::Audit(AuditError::TimedOut { .. })),
        "{err:?}"
    );
    assert_eq!(w.revision().get(), version);
    let err = log.record(login(ACME, Outcome::Success)).unwrap_err();
    assert!(matches!(err, AuditError::TimedOut { .. }), "{err:?}");
    assert_eq!(log.dropped(), 0);

    // A denial is refused anyway; its lost record is counted.
    let (_, event) = expect_denied(w.view_run(2));
    assert_eq!(event, None);
    assert_eq!(log.dropped(), 1);

    sink.set_down(false);
    assert!(all(&w.engine).is_empty());
}

#[test]
fn wait_policy_also_covers_grant_completions() {
    // Under Wait the host chose to ride out a sink that recovers in time.
    // A completion cannot be refused (the work is done), but it can wait:
    // a sink that fails twice and then recovers should still get the event.
    let sink = Arc::new(SwitchSink::default());
    let w = world(
        AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Wait(Duration::from_secs(5))),
    );
    let done = w.run(1).unwrap();
    let forgotten = w.run(2).unwrap();
    sink.fail_next.store(2, SeqCst);
    let recorded = done.success();
    assert!(
        recorded.is_ok(),
        "a sink that recovers within the wait should take the completion: {recorded:?}"
    );
    sink.fail_next.store(2, SeqCst);
    drop(forgotten);
    assert_eq!(w.engine.audit().dropped(), 0);
    assert_eq!(all(&w.engine).len(), 2);
}

#[test]
fn a_grant_never_completed_leaves_its_decision_on_record() {
    // The decision is recorded before the grant is handed out: a grant that
    // is leaked (or whose process dies) still leaves it, as allowed.
    let w = world(AuditLog::in_memory());
    let grant = w.run(1).unwrap();
    let id = grant.event().unwrap();
    std::mem::forget(grant);
    let events = all(&w.engine);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].id(), id);
    assert_eq!(events[0].action(), "workflows.execute");
    assert_eq!(events[0].outcome(), Outcome::Allowed);
    assert_eq!(events[0].completed_at(), None);
    assert_eq!(w.engine.audit().dropped(), 0);
}

#[test]
fn a_bounded_sink_holds_every_decision_it_allowed_and_completes_in_place() {
    let sink = Arc::new(MemorySink::bounded(3));
    let w = world(AuditLog::new(Arc::clone(&sink)));
    let log = w.engine.audit();
    let version = w.revision().get();

    let first = w.run(1).unwrap();
    let second = w.run(2).unwrap();
    assert_eq!(sink.len(), 2, "each decision is on record");
    log.record(login(ACME, Outcome::Success)).unwrap().unwrap();
    // Full: two decisions and a login.
    match expect_audit_refusal(w.run(3)) {
        AuditError::Sink(e) => assert_eq!(e.kind(), SinkErrorKind::Full),
        other => panic!("{other:?}"),
    }
    let err = w.engine.admin(ADMIN).create_team(ACME, "Full").unwrap_err();
    assert!(
        matches!(err, AdminError::Audit(AuditError::Sink(_))),
        "{err:?}"
    );
    assert_eq!(w.revision().get(), version);
    let err = log.record(login(ACME, Outcome::Success)).unwrap_err();
    assert!(
        matches!(&err, AuditError::Sink(e) if e.kind() == SinkErrorKind::Full),
        "{err:?}"
    );
    let (_, event) = expect_denied(w.view_run(4));
    assert_eq!(event, None);
    assert_eq!(log.dropped(), 1);

    // Completions take no room: they complete the recorded decisions.
    first.success().unwrap();
    drop(second);
    assert_eq!(sink.len(), 3);
    assert_eq!(log.dropped(), 1);
    let events = all(&w.engine);
    let got: Vec<(&str, Option<&str>, Outcome)> = events
        .iter()
        .map(|e| (e.action(), e.resource_id(), e.outcome()))
        .collect();
    assert_eq!(
        got,
        [
            ("auth.login", None, Outcome::Success),
            ("workflows.execute", Some("2"), Outcome::Failure),
            ("workflows.execute", Some("1"), Outcome::Success),
        ]
    );

    // Still full.
    expect_audit_refusal(w.run(5));
    // Draining makes room.
    let shipped = sink.drain(2);
    assert_eq!(ids(&shipped), [1, 2]);
    let id = w.run(6).unwrap().success().unwrap();
    assert_eq!(id.get(), 4, "ids are never reused");
    w.engine.admin(ADMIN).create_team(ACME, "Room").unwrap();
    assert_eq!(w.revision().get(), version + 1);
    assert_eq!(ids(&all(&w.engine)), [5, 4, 3]);
    assert_eq!(log.dropped(), 1);
}

#[test]
fn a_bounded_sink_holds_every_granted_decision_under_threads() {
    // Many threads authorize against a small bounded sink: every grant
    // handed out gets recorded, every refusal is typed, and the events held
    // never exceed the capacity.
    const CAPACITY: usize = 64;
    let sink = Arc::new(MemorySink::bounded(CAPACITY));
    let w = world(AuditLog::new(Arc::clone(&sink)));
    let granted = AtomicU64::new(0);
    let refused = AtomicU64::new(0);
    thread::scope(|s| {
        for t in 0..4u64 {
            let (w, granted, refused) = (&w, &granted, &refused);
            s.spawn(move || {
                let mut held = Vec::new();
                for i in 0..100 {
                    match w.run(t * 1_000 + i) {
                        Ok(grant) => {
                            granted.fetch_add(1, SeqCst);
                            held.push(grant);
                        }
                        Err(AuthorizeError::Audit(AuditError::Sink(e))) => {
                            assert_eq!(e.kind(), SinkErrorKind::Full);
                            refused.fetch_add(1, SeqCst);
                        }
                        Err(other) => panic!("{other:?}"),
                    }
                    if i.is_multiple_of(3) {
                        for g in held.drain(..) {
                            g.success().unwrap();
                        }
                    }
                }
                for g in held {
                    g.success().unwrap();
                }
            });
        }
    });
    let granted = granted.load(SeqCst);
    assert_eq!(granted + refused.load(SeqCst), 400);
    assert_eq!(granted, CAPACITY as u64);
    assert_eq!(sink.len(), CAPACITY);
    assert_eq!(w.engine.audit().dropped(), 0);
}
