//! Exactly one event per gated call, under threads.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::thread;

use rolegate::audit::{AuditLog, AuditQuery, Event, Outcome};
use rolegate::*;

use crate::fixture::{
    ACME, ADMIN, DEV, DROPPED_REASON, G_ADMIN, GLOBEX, RUNNER, VIEWER, all, expect_denied, ids,
    login, query, world,
};

#[test]
fn exactly_one_event_per_gated_call_under_threads() {
    const THREADS: u64 = 4;
    const CALLS: u64 = 500;
    const ADMIN_CALLS: u64 = 60;
    const LOGINS: u64 = 100;
    let w = world(AuditLog::in_memory());
    let barrier = Barrier::new(THREADS as usize + 2);
    let stop = AtomicBool::new(false);
    let (w, barrier, stop) = (&w, &barrier, &stop);

    thread::scope(|s| {
        let mut writers = Vec::new();
        for t in 0..THREADS {
            writers.push(s.spawn(move || {
                let (runner, viewer) = (RUNNER, VIEWER);
                let execute = w.action("execute");
                barrier.wait();
                for i in 0..CALLS {
                    let wf = w.workflow(t * 10_000 + i);
                    // `can` in between: never recorded.
                    assert!(w.engine.can(runner, execute, &wf));
                    assert!(!w.engine.can(viewer, execute, &wf));
                    w.clock.advance(1);
                    match (t + i) % 4 {
                        0 => {
                            w.engine
                                .authorize(runner, execute, &wf)
                                .unwrap()
                                .success()
                                .unwrap();
                        }
                        1 => {
                            w.engine
                                .authorize(runner, execute, &wf)
                                .unwrap()
                                .failure("worker crashed")
                                .unwrap();
                        }
                        2 => drop(w.engine.authorize(runner, execute, &wf).unwrap()),
                        _ => {
                            let (_, event) =
                                expect_denied(w.engine.authorize(viewer, execute, &wf));
                            assert!(event.is_some());
                        }
                    }
                }
            }));
        }
        // Administrative calls and host events meanwhile.
        writers.push(s.spawn(move || {
            barrier.wait();
            for j in 0..ADMIN_CALLS {
                match j % 3 {
                    0 => {
                        w.engine
                            .admin(ADMIN)
                            .create_team(ACME, &format!("Team {j}"))
                            .unwrap();
                    }
                    1 => {
                        let err = w.engine.admin(DEV).create_team(ACME, "Nope").unwrap_err();
                        assert!(matches!(err, AdminError::Denied(_)), "{err:?}");
                    }
                    _ => {
                        let err = w
                            .engine
                            .admin(ADMIN)
                            .create_team(ACME, "Platform")
                            .unwrap_err();
                        assert!(
                            matches!(err, AdminError::DuplicateTeamName { .. }),
                            "{err:?}"
                        );
                    }
                }
            }
            for _ in 0..LOGINS {
                w.engine
                    .audit()
                    .record(login(GLOBEX, Outcome::Success).user(G_ADMIN))
                    .unwrap()
                    .unwrap();
            }
        }));
        // A reader querying all along: never blocks the writers for long,
        // never sees an event twice.
        s.spawn(move || {
            barrier.wait();
            while !stop.load(SeqCst) {
                let page = w
                    .engine
                    .audit()
                    .query(&AuditQuery::new().outcome(Outcome::Denied).limit(50))
                    .unwrap();
                assert!(page.events.windows(2).all(|p| p[0].id() > p[1].id()));
                thread::yield_now();
            }
        });
        // Stop the reader once the writers are done.
        let results: Vec<_> = writers.into_iter().map(|h| h.join()).collect();
        stop.store(true, SeqCst);
        for r in results {
            if let Err(panic) = r {
                std::panic::resume_unwind(panic);
            }
        }
    });

    let events = all(&w.engine);
    let total = THREADS * CALLS + ADMIN_CALLS + LOGINS;
    assert_eq!(
        events.len() as u64,
        total,
        "one event per call, no more, no less"
    );
    // Ids are unique, dense and newest first.
    let got = ids(&events);
    let want: Vec<u64> = (1..=total).rev().collect();
    assert_eq!(got, want);
    assert_eq!(w.engine.audit().dropped(), 0);

    // Every check appears exactly once, with the outcome its call chose.
    let checks: Vec<&Event> = events
        .iter()
        .filter(|e| e.action() == "workflows.execute")
        .collect();
    assert_eq!(checks.len() as u64, THREADS * CALLS);
    let mut seen = BTreeMap::new();
    for e in &checks {
        let id: u64 = e.resource_id().unwrap().parse().unwrap();
        assert!(
            seen.insert(id, e.outcome()).is_none(),
            "workflow {id} twice"
        );
        let (t, i) = (id / 10_000, id % 10_000);
        let (want, user, reason) = match (t + i) % 4 {
            0 => (Outcome::Success, RUNNER, None),
            1 => (Outcome::Failure, RUNNER, Some("worker crashed")),
            2 => (Outcome::Failure, RUNNER, Some(DROPPED_REASON)),
            _ => (Outcome::Denied, VIEWER, e.reason()),
        };
        assert_eq!(
            (e.outcome(), e.user(), e.reason()),
            (want, Some(user), reason),
            "workflow {id}"
        );
    }
    let expected: BTreeSet<u64> = (0..THREADS)
        .flat_map(|t| (0..CALLS).map(move |i| t * 10_000 + i))
        .collect();
    assert_eq!(seen.keys().copied().collect::<BTreeSet<_>>(), expected);

    // The counts per outcome, through the query as well.
    let count = |q: AuditQuery| query(&w.engine, &q.limit(usize::MAX)).len() as u64;
    let checks = || AuditQuery::new().action("workflows.execute");
    assert_eq!(count(checks().outcome(Outcome::Success)), 500);
    assert_eq!(count(checks().outcome(Outcome::Failure)), 1_000);
    assert_eq!(count(checks().outcome(Outcome::Denied)), 500);
    assert_eq!(
        events
            .iter()
            .filter(|e| e.reason() == Some(DROPPED_REASON))
            .count(),
        500
    );
    let teams = || AuditQuery::new().action("team.create");
    assert_eq!(count(teams().outcome(Outcome::Success)), 20);
    assert_eq!(count(teams().outcome(Outcome::Denied)), 20);
    assert_eq!(count(teams().outcome(Outcome::Failure)), 20);
    assert_eq!(count(AuditQuery::new().action("auth.login")), LOGINS);
    assert_eq!(w.engine.snapshot().teams(ACME).len(), 21);
}
