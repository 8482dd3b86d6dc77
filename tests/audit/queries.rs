//! Filters, order and paging.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::thread;
use std::time::Duration;

use rolegate::audit::{AuditLog, AuditQuery, Event, EventId, MemorySink, Outcome};
use rolegate::directory::Timestamp;
use rolegate::*;

use crate::fixture::{
    ACME, DEV, G_ADMIN, GLOBEX, RUNNER, T0, VIEWER, all, ids, login, query, world,
};
use crate::history::{Filter, Row, mixed_history};

#[test]
fn the_log_lists_every_event_newest_first_as_recorded() {
    let w = world(AuditLog::in_memory());
    let rows = mixed_history(&w);
    let events = all(&w.engine);
    assert_eq!(events.len(), rows.len());
    for (e, row) in events.iter().zip(&rows) {
        assert_eq!(e.id(), row.id);
        assert_eq!(e.at(), row.at);
        assert_eq!(e.organization(), Some(row.org));
        assert_eq!(e.user(), row.user);
        assert_eq!(e.action(), row.action);
        assert_eq!(e.resource_type(), row.rtype);
        assert_eq!(e.outcome(), row.outcome);
    }
    assert!(events.windows(2).all(|p| p[0].id() > p[1].id()));
    assert!(events.windows(2).all(|p| p[0].at() >= p[1].at()));
}

#[test]
fn every_filter_alone_and_combined() {
    let w = world(AuditLog::in_memory());
    let rows = mixed_history(&w);
    let orgs = [ACME, GLOBEX];
    let users = [DEV, VIEWER, G_ADMIN, RUNNER, UserId::new(999)];
    let actions = [
        "auth.login",
        "workflows.execute",
        "credential.token_refresh",
        "agents.read",
        "tools.execute",
        "role.create",
    ];
    let rtypes = ["workflows", "credential", "agents", "tools", "role"];
    let outcomes = [Outcome::Success, Outcome::Failure, Outcome::Denied];
    let ranges = [
        (w.at(100), w.at(250)),
        (w.at(0), w.at(10)),
        (w.at(470), w.at(480)),
        (w.at(200), w.at(200)),
        (w.at(-1_000), w.at(1_000)),
        (w.at(300), w.at(100)),
    ];

    // Rows with a user and a resource type, to take matching values from.
    let full_rows: Vec<&Row> = rows
        .iter()
        .filter(|r| r.user.is_some() && r.rtype.is_some())
        .collect();
    let mut checked = 0;
    let mut non_empty = 0;
    for mask in 0u32..64 {
        let on = |bit: u32| mask & (1 << bit) != 0;
        for v in 0..12usize {
            let f = if v < 6 {
                // Values from the lists: many combinations select nothing.
                Filter {
                    org: on(0).then(|| orgs[v % orgs.len()]),
                    user: on(1).then(|| users[v % users.len()]),
                    action: on(2).then(|| actions[v % actions.len()]),
                    rtype: on(3).then(|| rtypes[v % rtypes.len()]),
                    outcome: on(4).then(|| outcomes[v % outcomes.len()]),
                    range: on(5).then(|| ranges[v % ranges.len()]),
                }
            } else {
                // Values from one event: every combination selects it.
                let r = full_rows[(v * 13 + mask as usize) % full_rows.len()];
                let f = Filter {
                    org: on(0).then_some(r.org),
                    user: on(1).then_some(r.user.unwrap()),
                    action: on(2).then_some(r.action),
                    rtype: on(3).then_some(r.rtype.unwrap()),
                    outcome: on(4).then_some(r.outcome),
                    range: on(5)
                        .then(|| (r.at, Timestamp::from_unix_millis(r.at.unix_millis() + 30))),
                };
                assert!(f.keeps(r));
                f
            };
            let got = query(&w.engine, &f.query());
            let want: Vec<EventId> = rows.iter().filter(|r| f.keeps(r)).map(|r| r.id).collect();
            assert_eq!(got.iter().map(Event::id).collect::<Vec<_>>(), want, "{f:?}");
            // The same through small pages.
            let mut paged = Vec::new();
            let mut q = f.query().limit(4);
            loop {
                let page = w.engine.audit().query(&q).unwrap();
                paged.extend(page.events.iter().map(Event::id));
                match page.next {
                    Some(cursor) => q = f.query().limit(4).after(cursor),
                    None => break,
                }
            }
            assert_eq!(paged, want, "paged {f:?}");
            if v >= 6 {
                assert!(!want.is_empty(), "{f:?}");
            }
            checked += 1;
            non_empty += usize::from(!want.is_empty());
        }
    }
    assert_eq!(checked, 768);
    assert!(non_empty > 384, "the filters select something: {non_empty}");

    // Each filter alone selects some events, not all.
    let alone = [
        Filter {
            org: Some(GLOBEX),
            ..Filter::default()
        },
        Filter {
            user: Some(DEV),
            ..Filter::default()
        },
        Filter {
            action: Some("auth.login"),
            ..Filter::default()
        },
        Filter {
            rtype: Some("workflows"),
            ..Filter::default()
        },
        Filter {
            outcome: Some(Outcome::Denied),
            ..Filter::default()
        },
        Filter {
            range: Some(ranges[0]),
            ..Filter::default()
        },
    ];
    for f in &alone {
        let n = query(&w.engine, &f.query()).len();
        assert!(n > 0 && n < rows.len(), "{f:?}: {n}");
        assert_eq!(n, rows.iter().filter(|r| f.keeps(r)).count(), "{f:?}");
    }

    // Combined: Globex's denied logins with no user, in the last 100 ms.
    let got = query(
        &w.engine,
        &AuditQuery::new()
            .organization(GLOBEX)
            .action("auth.login")
            .outcome(Outcome::Denied)
            .between(w.at(380), w.at(480)),
    );
    assert_eq!(got.len(), 3);
    assert!(
        got.iter()
            .all(|e| e.user().is_none() && e.at() >= w.at(380))
    );
}

#[test]
fn the_time_range_includes_from_and_excludes_until() {
    let w = world(AuditLog::in_memory());
    let log = w.engine.audit();
    for ms in [0, 99, 100, 101, 199, 200, 201] {
        w.clock.set(w.at(ms));
        log.record(login(ACME, Outcome::Success)).unwrap().unwrap();
    }
    let at = |q: AuditQuery| -> Vec<i64> {
        query(&w.engine, &q)
            .iter()
            .map(|e| e.at().unix_millis() - T0)
            .collect()
    };
    assert_eq!(
        at(AuditQuery::new().between(w.at(100), w.at(200))),
        [199, 101, 100]
    );
    assert_eq!(at(AuditQuery::new().between(w.at(100), w.at(101))), [100]);
    assert!(at(AuditQuery::new().between(w.at(100), w.at(100))).is_empty());
    assert_eq!(
        at(AuditQuery::new().between(Timestamp::EPOCH, w.at(1_000))).len(),
        7
    );
}

#[test]
fn paging_neither_repeats_nor_skips_while_events_arrive() {
    let w = world(AuditLog::in_memory());
    let log = w.engine.audit();
    for i in 0..300u64 {
        let outcome = [Outcome::Success, Outcome::Failure, Outcome::Denied][(i % 3) as usize];
        log.record(login(ACME, outcome).user(DEV)).unwrap().unwrap();
        if i.is_multiple_of(10) {
            w.run(i).unwrap().success().unwrap();
        }
    }
    let appended = AtomicU64::new(0);
    let stop = AtomicBool::new(false);

    for (filter, limit) in [
        (AuditQuery::new(), 7),
        (AuditQuery::new().outcome(Outcome::Success), 5),
        (AuditQuery::new().action("workflows.execute"), 3),
        (AuditQuery::new().user(DEV).outcome(Outcome::Denied), 1),
    ] {
        stop.store(false, SeqCst);
        thread::scope(|s| {
            // Appends logins, checks and admin calls until told to stop.
            s.spawn(|| {
                let mut n = 0u64;
                while !stop.load(SeqCst) {
                    let outcome = [Outcome::Success, Outcome::Denied][(n % 2) as usize];
                    log.record(login(ACME, outcome).user(DEV)).unwrap().unwrap();
                    if n.is_multiple_of(5) {
                        w.run(100_000 + n).unwrap().success().unwrap();
                    }
                    n += 1;
                    appended.fetch_add(1, SeqCst);
                    thread::sleep(Duration::from_micros(20));
                }
            });

            let existing: Vec<Event> = query(&w.engine, &filter.clone().limit(usize::MAX));
            let mut pages = Vec::new();
            let mut q = filter.clone().limit(limit);
            loop {
                // Let new events arrive between every two pages.
                let seen = appended.load(SeqCst);
                while appended.load(SeqCst) == seen {
                    thread::yield_now();
                }
                let page = log.query(&q).unwrap();
                assert!(page.events.len() <= limit);
                pages.extend(page.events);
                match page.next {
                    Some(cursor) => q = filter.clone().limit(limit).after(cursor),
                    None => break,
                }
            }
            stop.store(true, SeqCst);

            // No repeat: strictly decreasing ids.
            assert!(
                pages.windows(2).all(|p| p[0].id() > p[1].id()),
                "{filter:?}"
            );
            // Everything that existed when paging started is there...
            let paged: BTreeSet<EventId> = pages.iter().map(Event::id).collect();
            let before: BTreeSet<EventId> = existing.iter().map(Event::id).collect();
            assert!(before.is_subset(&paged), "{filter:?}: skipped events");
            // ... and nothing else but matching events newer than all of them.
            let newest_before = before.last().copied().unwrap();
            assert!(
                paged.difference(&before).all(|id| *id > newest_before),
                "{filter:?}"
            );
            // Compared with the log after the fact: exactly the matching
            // events up to the first page's newest.
            let top = pages[0].id();
            let now: Vec<EventId> = query(&w.engine, &filter.clone().limit(usize::MAX))
                .iter()
                .map(Event::id)
                .filter(|id| *id <= top)
                .collect();
            assert_eq!(
                pages.iter().map(Event::id).collect::<Vec<_>>(),
                now,
                "{filter:?}"
            );
            assert!(pages.iter().all(|e| filter.matches(e)));
        });
    }
    assert!(appended.load(SeqCst) > 0);
    assert_eq!(log.dropped(), 0);
}

#[test]
fn cursors_stay_valid_across_drains() {
    let sink = Arc::new(MemorySink::new());
    let w = world(AuditLog::new(Arc::clone(&sink)));
    for _ in 0..10 {
        w.engine
            .audit()
            .record(login(ACME, Outcome::Success))
            .unwrap();
    }
    let page = w.engine.audit().query(&AuditQuery::new().limit(4)).unwrap();
    assert_eq!(ids(&page.events), [10, 9, 8, 7]);
    let cursor = page.next.unwrap();
    // The oldest three are shipped elsewhere.
    let shipped = sink.drain(3);
    assert_eq!(ids(&shipped), [1, 2, 3]);
    w.engine
        .audit()
        .record(login(ACME, Outcome::Success))
        .unwrap();
    let page = w
        .engine
        .audit()
        .query(&AuditQuery::new().limit(4).after(cursor))
        .unwrap();
    assert_eq!(ids(&page.events), [6, 5, 4]);
    assert!(page.next.is_none());
    assert_eq!(ids(&all(&w.engine)), [11, 10, 9, 8, 7, 6, 5, 4]);
    assert_eq!(sink.len(), 8);
}
