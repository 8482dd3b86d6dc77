//! A check sees whole states only.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

use crate::helpers::{RaiseOnDrop, all_reached, evaluate, joined, wait_for};
use crate::readers::{Seen, direct_reader, mix_report, snapshot_reader};
use crate::states::{Flipper, MEMBERS, MOVES, Move, PER_MEMBER, State};

/// Round trips A → B → A the writer makes (2,000 transitions, about 4,700
/// administrative calls).
const ROUND_TRIPS: usize = 1_000;
/// Every this many round trips, the writer waits after each transition until
/// every reader has evaluated the new state, so that the readers are known
/// to run during the writes and to see both states.
const CHECKPOINT_EVERY: usize = 10;
const SNAPSHOT_READERS: usize = 2;

#[test]
fn checks_see_whole_states_only() {
    let mut flipper = Flipper::new();
    let probes = flipper.probes();
    assert_eq!(probes.len(), MEMBERS.len() * PER_MEMBER + 5);

    // Alone first: every move lands exactly on the expected vectors, so that
    // a failure below can only be a mix.
    let mut log = vec![(flipper.engine.snapshot().revision().get(), State::A)];
    let mut observed = Vec::new();
    let expect = |flipper: &Flipper, observed: &mut Vec<bool>, state: State, context: &str| {
        evaluate(&flipper.engine.snapshot(), &probes, observed);
        let expected: Vec<bool> = probes
            .iter()
            .map(|p| if state == State::A { p.in_a } else { p.in_b })
            .collect();
        assert!(
            *observed == expected,
            "{context}: expected state {state:?}\n{}",
            mix_report(observed, &probes)
        );
    };
    expect(&flipper, &mut observed, State::A, "as set up");
    for how in MOVES {
        flipper.move_to_b(how, &mut log);
        expect(
            &flipper,
            &mut observed,
            State::B,
            &format!("after {how:?} to B"),
        );
        flipper.move_to_a(how, &mut log);
        expect(
            &flipper,
            &mut observed,
            State::A,
            &format!("after {how:?} back to A"),
        );
    }

    let engine = flipper.engine.clone();
    let done = AtomicBool::new(false);
    let stop = AtomicBool::new(false);
    let progress: [AtomicU64; SNAPSHOT_READERS] = std::array::from_fn(|_| AtomicU64::new(0));
    let direct_rounds = AtomicU64::new(0);

    let (writer, snapshot_readers, direct) = thread::scope(|s| {
        let readers: Vec<_> = progress
            .iter()
            .enumerate()
            .map(|(r, progress)| {
                let (engine, probes, done, stop) = (&engine, &probes, &done, &stop);
                s.spawn(move || {
                    snapshot_reader(
                        &format!("snapshot reader {r}"),
                        engine,
                        probes,
                        progress,
                        done,
                        stop,
                    )
                })
            })
            .collect();
        let direct = s.spawn(|| direct_reader(&engine, &probes, &direct_rounds, &done, &stop));
        let writer = s.spawn(|| {
            let _done = RaiseOnDrop(&done);
            let checkpoint = |version: u64| {
                let start = direct_rounds.load(Ordering::Acquire);
                all_reached(&stop, &progress, version)
                    && wait_for(&stop, || direct_rounds.load(Ordering::Acquire) >= start + 2)
            };
            for trip in 0..ROUND_TRIPS {
                if stop.load(Ordering::Acquire) {
                    break;
                }
                let how = MOVES[trip % MOVES.len()];
                flipper.move_to_b(how, &mut log);
                if trip % CHECKPOINT_EVERY == 0 && !checkpoint(log.last().unwrap().0) {
                    break;
                }
                flipper.move_to_a(how, &mut log);
                if trip % CHECKPOINT_EVERY == 0 && !checkpoint(log.last().unwrap().0) {
                    break;
                }
            }
            Ok::<_, String>(log)
        });
        (
            joined("writer", writer.join()),
            readers
                .into_iter()
                .enumerate()
                .map(|(r, h)| joined(&format!("snapshot reader {r}"), h.join()))
                .collect::<Vec<_>>(),
            joined("direct reader", direct.join()),
        )
    });

    let mut failures = Vec::new();
    let log = writer.unwrap_or_else(|e| {
        failures.push(e);
        Vec::new()
    });
    let snapshot_readers: Vec<Seen> = snapshot_readers
        .into_iter()
        .filter_map(|r| r.map_err(|e| failures.push(e)).ok())
        .collect();
    let direct = direct.map_err(|e| failures.push(e)).ok();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // Each version a reader saw holds the state the writer published under
    // it, and every reader saw both states.
    let written: HashMap<u64, State> = log.iter().copied().collect();
    let delete_trips = (0..ROUND_TRIPS)
        .filter(|t| matches!(MOVES[t % MOVES.len()], Move::DeleteRole))
        .count();
    assert_eq!(log.len(), 1 + 7 + ROUND_TRIPS * 2 + delete_trips);
    for (r, seen) in snapshot_readers.iter().enumerate() {
        for &(version, state) in &seen.versions {
            assert_eq!(
                written.get(&version),
                Some(&state),
                "snapshot reader {r} saw version {version} in state {state:?}"
            );
        }
        for state in [State::A, State::B] {
            assert!(
                seen.versions.iter().any(|&(_, s)| s == state),
                "snapshot reader {r} never saw state {state:?}"
            );
        }
        eprintln!(
            "snapshot reader {r}: {} rounds, {} distinct versions of {}",
            seen.rounds,
            seen.versions.len(),
            log.len()
        );
    }
    eprintln!("direct reader: {} rounds", direct.unwrap_or_default());
}
