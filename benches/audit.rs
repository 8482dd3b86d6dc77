//! `Engine::authorize` with the in-memory sink against plain `can`: what
//! recording a check costs. The sink is drained outside the timed part, so
//! memory stays flat however long criterion runs.
//!
//! Run with `cargo bench --bench audit`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rolegate::audit::{AuditLog, AuthorizeError, Clock, ManualClock, MemorySink};
use rolegate::directory::Timestamp;
use rolegate::*;

const ORG: OrgId = OrgId::new(1);
const DRAIN_EVERY: u64 = 50_000;

#[inline]
fn floor(mask: u64, bit: u32, subject_org: u64, resource_org: u64) -> bool {
    subject_org == resource_org && mask & (1u64 << bit) != 0
}

/// Times `iters` calls of `f`, draining `sink` every so often untimed.
fn timed(sink: &MemorySink, iters: u64, mut f: impl FnMut()) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(DRAIN_EVERY);
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        total += start.elapsed();
        let _ = sink.drain(usize::MAX);
        left -= n;
    }
    total
}

/// An engine of a Developer and a Viewer recording into `sink`, on the
/// system clock or on `clock`.
fn recording_engine(sink: &Arc<MemorySink>, clock: Option<Arc<dyn Clock>>) -> Engine {
    let mut log = AuditLog::new(Arc::clone(sink));
    if let Some(clock) = clock {
        log = log.with_clock(clock);
    }
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(log);
    let engine = builder.build();
    let boot = engine.bootstrap();
    boot.add_user(User::new(UserId::new(1), ORG, SystemRole::Developer.id()))
        .unwrap();
    boot.add_user(User::new(UserId::new(2), ORG, SystemRole::Viewer.id()))
        .unwrap();
    engine
}

fn authorize(c: &mut Criterion) {
    let sink = Arc::new(MemorySink::new());
    let engine = recording_engine(&sink, None);
    // A clock that reads the same time without asking the system.
    let fixed_sink = Arc::new(MemorySink::new());
    let fixed = recording_engine(
        &fixed_sink,
        Some(Arc::new(ManualClock::new(Timestamp::from_unix_millis(
            1_700_000_000_000,
        )))),
    );
    let (developer, viewer) = (UserId::new(1), UserId::new(2));
    let catalog = engine.catalog();
    let (execute, delete) = (
        catalog.action("execute").unwrap(),
        catalog.action("delete").unwrap(),
    );
    let workflow = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(7),
        ORG,
    );

    let mut g = c.benchmark_group("authorize");
    g.bench_function("floor", |b| {
        b.iter(|| {
            let d = floor(
                black_box(1 << 17),
                black_box(17),
                black_box(1),
                black_box(1),
            );
            assert!(d);
            d
        })
    });
    g.bench_function("can", |b| {
        b.iter(|| {
            let d = engine.can(
                black_box(developer),
                black_box(execute),
                black_box(&workflow),
            );
            assert!(d);
            d
        })
    });
    // With the system clock, then with the clock reads taken out: what the
    // two reads of the system clock (the decision's time and the
    // completion's) cost.
    #[cfg_attr(not(feature = "coarse-clock"), allow(unused_mut))]
    let mut cases = vec![
        ("authorize_allow_success", &engine, &sink),
        ("authorize_allow_success_fixed_clock", &fixed, &fixed_sink),
    ];
    // The kernel's coarse clock, with `--features coarse-clock`.
    #[cfg(feature = "coarse-clock")]
    let coarse_sink = Arc::new(MemorySink::new());
    #[cfg(feature = "coarse-clock")]
    let coarse = recording_engine(&coarse_sink, Some(Arc::new(rolegate::audit::CoarseClock)));
    #[cfg(feature = "coarse-clock")]
    cases.push((
        "authorize_allow_success_coarse_clock",
        &coarse,
        &coarse_sink,
    ));
    for (name, engine, sink) in cases {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                timed(sink, iters, || {
                    let grant = engine
                        .authorize(
                            black_box(developer),
                            black_box(execute),
                            black_box(&workflow),
                        )
                        .unwrap();
                    black_box(grant.success().unwrap());
                })
            })
        });
    }
    g.bench_function("authorize_deny", |b| {
        b.iter_custom(|iters| {
            timed(&sink, iters, || {
                let refused =
                    engine.authorize(black_box(viewer), black_box(delete), black_box(&workflow));
                assert!(matches!(
                    refused,
                    Err(AuthorizeError::Denied { event: Some(_), .. })
                ));
            })
        })
    });
    g.finish();
}

criterion_group!(audit, authorize);
criterion_main!(audit);
