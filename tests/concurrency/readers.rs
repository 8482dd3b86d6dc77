//! Readers that evaluate the probes while the writer flips states; the mixed-state report.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rolegate::*;

use crate::helpers::{Probe, RaiseOnDrop, bits, evaluate};
use crate::states::{PER_MEMBER, State};

/// Where an observed vector differs from states A and B.
pub(crate) fn mix_report(observed: &[bool], probes: &[Probe]) -> String {
    let a: Vec<bool> = probes.iter().map(|p| p.in_a).collect();
    let b: Vec<bool> = probes.iter().map(|p| p.in_b).collect();
    let mut s = String::new();
    writeln!(
        s,
        "  (one group of {PER_MEMBER} per member: 5 A-only, 5 B-only, 1 shared; then 5 fixed)"
    )
    .unwrap();
    writeln!(s, "  observed {}", bits(observed, PER_MEMBER)).unwrap();
    writeln!(s, "  state A  {}", bits(&a, PER_MEMBER)).unwrap();
    writeln!(s, "  state B  {}", bits(&b, PER_MEMBER)).unwrap();
    for (name, expected) in [("A", &a), ("B", &b)] {
        let differ: Vec<&str> = probes
            .iter()
            .zip(observed.iter().zip(expected.iter()))
            .filter(|(_, (o, e))| o != e)
            .map(|(p, _)| p.label.as_str())
            .collect();
        let shown = &differ[..differ.len().min(12)];
        let more = if differ.len() > shown.len() {
            ", ..."
        } else {
            ""
        };
        writeln!(
            s,
            "  {} probe(s) differ from state {name}: {shown:?}{more}",
            differ.len()
        )
        .unwrap();
    }
    s
}

/// What one snapshot reader saw: each version it evaluated, once, with the
/// state its probe vector was.
#[derive(Debug)]
pub(crate) struct Seen {
    pub(crate) rounds: u64,
    pub(crate) versions: Vec<(u64, State)>,
}

/// Repeatedly takes a snapshot and evaluates the whole probe set on it.
pub(crate) fn snapshot_reader(
    name: &str,
    engine: &Engine,
    probes: &[Probe],
    progress: &AtomicU64,
    done: &AtomicBool,
    stop: &AtomicBool,
) -> Result<Seen, String> {
    let _stop_others = RaiseOnDrop(stop);
    let a: Vec<bool> = probes.iter().map(|p| p.in_a).collect();
    let b: Vec<bool> = probes.iter().map(|p| p.in_b).collect();
    let mut observed = Vec::with_capacity(probes.len());
    let mut seen = Seen {
        rounds: 0,
        versions: Vec::new(),
    };
    while !done.load(Ordering::Acquire) && !stop.load(Ordering::Acquire) {
        let snapshot = engine.snapshot();
        let version = snapshot.revision().get();
        evaluate(&snapshot, probes, &mut observed);
        let state = if observed == a {
            State::A
        } else if observed == b {
            State::B
        } else {
            return Err(format!(
                "{name}, round {}: the snapshot of version {version} answers a mix of states A and B\n{}",
                seen.rounds,
                mix_report(&observed, probes)
            ));
        };
        match seen.versions.last() {
            Some(&(v, _)) if v > version => {
                return Err(format!(
                    "{name}, round {}: took version {version} after version {v}",
                    seen.rounds
                ));
            }
            Some(&(v, s)) if v == version && s != state => {
                return Err(format!(
                    "{name}, round {}: version {version} answered state {s:?}, then state {state:?}",
                    seen.rounds
                ));
            }
            Some(&(v, _)) if v == version => {}
            _ => seen.versions.push((version, state)),
        }
        seen.rounds += 1;
        progress.store(version, Ordering::Release);
    }
    Ok(seen)
}

/// Repeatedly runs every probe with `Engine::can_user`, each check on
/// whatever state is current: each answer must be that of A or that of B.
pub(crate) fn direct_reader(
    engine: &Engine,
    probes: &[Probe],
    rounds: &AtomicU64,
    done: &AtomicBool,
    stop: &AtomicBool,
) -> Result<u64, String> {
    let _stop_others = RaiseOnDrop(stop);
    let mut round = 0;
    while !done.load(Ordering::Acquire) && !stop.load(Ordering::Acquire) {
        for (i, p) in probes.iter().enumerate() {
            let got = engine.can(p.user, p.action, &p.resource);
            if got != p.in_a && got != p.in_b {
                return Err(format!(
                    "engine.can_user, round {round}, probe {i} ({}): answered {got}, which is neither \
                     state A ({}) nor state B ({})",
                    p.label, p.in_a, p.in_b
                ));
            }
        }
        round += 1;
        rounds.store(round, Ordering::Release);
    }
    Ok(round)
}
