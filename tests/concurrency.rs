//! SPEC §6.8 under real threads: a concurrent check sees either the whole
//! state before an administrative change or the whole state after it, never
//! a mix; every check that starts after a change returned sees it; and a
//! snapshot keeps answering from its own state whatever happens after it was
//! taken.
//!
//! No test relies on timing. The only orderings assumed are the
//! happens-before edges the tests create with atomics: a writer publishes
//! with `Release` after an administrative call returned, a reader loads with
//! `Acquire` before it starts a check. Where a test needs the readers to have
//! observed a state, the writer waits until they say they have; every wait
//! gives up as soon as another thread has failed, so a failure never hangs.
//!
//! The last test is a regression test: activity recorded while an
//! administrative call rewrote the same user used to be lost.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::any::Any;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

use rolegate::*;

const ORG: OrgId = OrgId::new(1);
const OTHER_ORG: OrgId = OrgId::new(2);
/// The Owner every writer acts as.
const OWNER: UserId = UserId::new(1);
/// A Viewer that no change touches.
const WATCHER: UserId = UserId::new(2);

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// Raises a flag when dropped, also when the thread holding it panics, so
/// that no other thread waits for it forever.
struct RaiseOnDrop<'a>(&'a AtomicBool);

impl Drop for RaiseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Waits, yielding, until `ready` holds; false if `stop` was raised first.
fn wait_for(stop: &AtomicBool, ready: impl Fn() -> bool) -> bool {
    loop {
        if ready() {
            return true;
        }
        if stop.load(Ordering::Acquire) {
            return false;
        }
        thread::yield_now();
    }
}

/// Whether every reader has reached `target` (a version or a sequence
/// number); false if `stop` was raised first.
fn all_reached(stop: &AtomicBool, counters: &[AtomicU64], target: u64) -> bool {
    wait_for(stop, || {
        counters.iter().all(|c| c.load(Ordering::Acquire) >= target)
    })
}

/// The message of a thread's panic.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// The result of a joined thread, its panic turned into an error message.
fn joined<T>(name: &str, result: thread::Result<Result<T, String>>) -> Result<T, String> {
    result.unwrap_or_else(|p| Err(format!("{name} panicked: {}", panic_message(&*p))))
}

/// An unconditional rule granting `resource.action`.
fn rule(catalog: &Catalog, (resource, action): (&str, &str)) -> Rule {
    Rule::builder(catalog, resource, action)
        .build()
        .unwrap_or_else(|e| panic!("rule {resource}.{action}: {e}"))
}

fn rules(catalog: &Catalog, permissions: &[(&str, &str)]) -> Vec<Rule> {
    permissions.iter().map(|&p| rule(catalog, p)).collect()
}

/// A resource of type `ty` with no customer, team, owner or attribute.
fn resource(catalog: &Catalog, ty: &str, id: u64, organization: OrgId) -> Resource<'static> {
    Resource::new(
        catalog.resource_type(ty).unwrap(),
        ResourceId::new(id),
        organization,
    )
}

fn action(catalog: &Catalog, name: &str) -> ActionId {
    catalog.action(name).unwrap()
}

/// One check of a probe set, with what it answers in each of two states.
#[derive(Clone, Debug)]
struct Probe {
    label: String,
    user: UserId,
    action: ActionId,
    resource: Resource<'static>,
    in_a: bool,
    in_b: bool,
}

/// Runs every probe on one snapshot, into `out`.
fn evaluate(snapshot: &Snapshot, probes: &[Probe], out: &mut Vec<bool>) {
    out.clear();
    out.extend(
        probes
            .iter()
            .map(|p| snapshot.can_user(p.user, p.action, &p.resource)),
    );
}

/// A decision vector as `1` (allow) and `0` (deny), in groups of `group`.
fn bits(v: &[bool], group: usize) -> String {
    let mut s = String::with_capacity(v.len() * 2);
    for (i, &b) in v.iter().enumerate() {
        if i > 0 && i % group == 0 {
            s.push(' ');
        }
        s.push(if b { '1' } else { '0' });
    }
    s
}

// ---------------------------------------------------------------------------
// 1. A check sees whole states only
// ---------------------------------------------------------------------------

/// Granted in state A only.
const ONLY_A: [(&str, &str); 5] = [
    ("workflows", "execute"),
    ("workflows", "update"),
    ("agents", "execute"),
    ("tools", "execute"),
    ("connections", "share"),
];
/// Granted in state B only.
const ONLY_B: [(&str, &str); 5] = [
    ("workflows", "delete"),
    ("agents", "update"),
    ("tools", "update"),
    ("connectors", "update"),
    ("billing", "read"),
];
/// Granted in both states.
const IN_BOTH: (&str, &str) = ("workflows", "read");

/// The team whose members the writer moves between the two states.
const MEMBERS: [UserId; 10] = [
    UserId::new(100),
    UserId::new(101),
    UserId::new(102),
    UserId::new(103),
    UserId::new(104),
    UserId::new(105),
    UserId::new(106),
    UserId::new(107),
    UserId::new(108),
    UserId::new(109),
];

/// Probes per member: the five A-only, the five B-only and the shared one.
const PER_MEMBER: usize = ONLY_A.len() + ONLY_B.len() + 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    A,
    B,
}

/// How the writer moves the ten members from state A to state B and back.
/// Every move changes all 110 member decisions of the probe set that differ
/// between the states (50 of them) in ONE administrative call.
#[derive(Clone, Copy, Debug)]
enum Move {
    /// `replace_rules` on the role the members hold: 5 permissions lost, 5
    /// gained, for all 10 members at once.
    Rules,
    /// `assign_team_role`: all 10 members from the A role to the B role and
    /// back.
    TeamRole,
    /// `delete_role` of the A role moving its 10 holders to the B role; back
    /// by `create_role` (no holder yet: still state B) then
    /// `assign_team_role`.
    DeleteRole,
}

const MOVES: [Move; 3] = [Move::Rules, Move::TeamRole, Move::DeleteRole];

/// The engine of the first test and how to move it between its states.
struct Flipper {
    engine: Engine,
    team: TeamId,
    /// The role the members hold in state A (its rules are `rules_a` then).
    a_role: RoleId,
    /// A role with the rules of state B.
    b_role: RoleId,
    rules_a: Vec<Rule>,
    rules_b: Vec<Rule>,
}

impl Flipper {
    fn new() -> Self {
        let engine = Engine::new(Catalog::standard());
        let catalog = engine.catalog();
        let boot = engine.bootstrap();
        boot.add_user(User::new(OWNER, ORG, SystemRole::Owner.id()))
            .unwrap();
        boot.add_user(User::new(WATCHER, ORG, SystemRole::Viewer.id()))
            .unwrap();
        let mut rules_a = rules(&catalog, &ONLY_A);
        rules_a.push(rule(&catalog, IN_BOTH));
        let mut rules_b = rules(&catalog, &ONLY_B);
        rules_b.push(rule(&catalog, IN_BOTH));
        let a_role = boot.create_role(ORG, "Side A", rules_a.clone()).unwrap().id;
        let b_role = boot.create_role(ORG, "Side B", rules_b.clone()).unwrap().id;
        let team = boot.create_team(ORG, "Movers").unwrap();
        for member in MEMBERS {
            boot.add_user(User::new(member, ORG, a_role).with_team(team))
                .unwrap();
        }
        Self {
            engine,
            team,
            a_role,
            b_role,
            rules_a,
            rules_b,
        }
    }

    /// 10 members x 11 permissions, plus checks no state changes: a Viewer,
    /// the Owner, and a resource of another organization.
    fn probes(&self) -> Vec<Probe> {
        let catalog = self.engine.catalog();
        let mut resources = HashMap::new();
        for (i, ty) in [
            "workflows",
            "agents",
            "tools",
            "connections",
            "connectors",
            "billing",
        ]
        .into_iter()
        .enumerate()
        {
            resources.insert(ty, resource(&catalog, ty, 1 + i as u64, ORG));
        }
        let probe = |user: UserId, (ty, act): (&str, &str), in_a: bool, in_b: bool| Probe {
            label: format!("user {} {ty}.{act}", user.get()),
            user,
            action: action(&catalog, act),
            resource: resources[ty].clone(),
            in_a,
            in_b,
        };
        let mut probes = Vec::new();
        for member in MEMBERS {
            probes.extend(ONLY_A.iter().map(|&p| probe(member, p, true, false)));
            probes.extend(ONLY_B.iter().map(|&p| probe(member, p, false, true)));
            probes.push(probe(member, IN_BOTH, true, true));
        }
        probes.push(probe(WATCHER, ("workflows", "read"), true, true));
        probes.push(probe(WATCHER, ("workflows", "execute"), false, false));
        probes.push(probe(OWNER, ("workflows", "delete"), true, true));
        probes.push(probe(OWNER, ("billing", "update"), true, true));
        probes.push(Probe {
            label: format!(
                "user {} workflows.execute in another organization",
                MEMBERS[0].get()
            ),
            resource: resource(&catalog, "workflows", 99, OTHER_ORG),
            ..probe(MEMBERS[0], ("workflows", "execute"), false, false)
        });
        probes
    }

    /// Records the version the last call published and the state it is in;
    /// every call publishes exactly one version.
    fn record(&self, log: &mut Vec<(u64, State)>, state: State) {
        let version = self.engine.snapshot().version();
        let previous = log.last().map(|&(v, _)| v);
        assert_eq!(
            Some(version),
            previous.map(|v| v + 1),
            "one administrative call must publish exactly one version"
        );
        log.push((version, state));
    }

    fn move_to_b(&mut self, how: Move, log: &mut Vec<(u64, State)>) {
        let admin = self.engine.admin(OWNER);
        match how {
            Move::Rules => {
                let edit = admin
                    .replace_rules(self.a_role, self.rules_b.clone())
                    .unwrap();
                assert_eq!(
                    (edit.gained.len(), edit.lost.len(), edit.holders),
                    (5, 5, 10)
                );
            }
            Move::TeamRole => {
                let moved = admin.assign_team_role(self.team, self.b_role).unwrap();
                assert_eq!(moved, MEMBERS.len());
            }
            Move::DeleteRole => {
                let done = admin.delete_role(self.a_role, Some(self.b_role)).unwrap();
                assert_eq!(done.moved, MEMBERS.len());
            }
        }
        self.record(log, State::B);
    }

    fn move_to_a(&mut self, how: Move, log: &mut Vec<(u64, State)>) {
        let admin = self.engine.admin(OWNER);
        match how {
            Move::Rules => {
                admin
                    .replace_rules(self.a_role, self.rules_a.clone())
                    .unwrap();
            }
            Move::TeamRole => {
                let moved = admin.assign_team_role(self.team, self.a_role).unwrap();
                assert_eq!(moved, MEMBERS.len());
            }
            Move::DeleteRole => {
                self.a_role = admin
                    .create_role(ORG, "Side A", self.rules_a.clone())
                    .unwrap()
                    .id;
                self.record(log, State::B);
                let moved = admin.assign_team_role(self.team, self.a_role).unwrap();
                assert_eq!(moved, MEMBERS.len());
            }
        }
        self.record(log, State::A);
    }
}

/// Where an observed vector differs from states A and B.
fn mix_report(observed: &[bool], probes: &[Probe]) -> String {
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
struct Seen {
    rounds: u64,
    versions: Vec<(u64, State)>,
}

/// Repeatedly takes a snapshot and evaluates the whole probe set on it.
fn snapshot_reader(
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
        let version = snapshot.version();
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
fn direct_reader(
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
            let got = engine.can_user(p.user, p.action, &p.resource);
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
    let mut log = vec![(flipper.engine.snapshot().version(), State::A)];
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

// ---------------------------------------------------------------------------
// 2. A revocation is seen by every later check
// ---------------------------------------------------------------------------

/// Revoke/restore cycles per way of revoking.
const CYCLES: u64 = 200;
/// Checks a reader runs flat out in a state it has already judged, before
/// it starts yielding to the writer between checks.
const SPIN_AFTER_ACK: u32 = 16;

/// How a reader checks.
#[derive(Clone, Copy, Debug)]
enum Via {
    /// `engine.can_user(user, ..)`.
    EngineCanUser,
    /// `engine.can(&subject, ..)`, the subject taken from
    /// `engine.snapshot().subject(user)` at check time.
    EngineCanWithFreshSubject,
    /// `engine.snapshot().can_user(user, ..)`.
    SnapshotCanUser,
}

const VIAS: [Via; 3] = [
    Via::EngineCanUser,
    Via::EngineCanWithFreshSubject,
    Via::SnapshotCanUser,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Revoke,
    Restore,
}

/// A request that a revocation denies and a restoration allows again.
struct Request {
    user: UserId,
    action: ActionId,
    resource: Resource<'static>,
}

impl Request {
    fn check(&self, engine: &Engine, via: Via) -> Result<bool, String> {
        Ok(match via {
            Via::EngineCanUser => engine.can_user(self.user, self.action, &self.resource),
            Via::EngineCanWithFreshSubject => {
                let subject = engine
                    .snapshot()
                    .subject(self.user)
                    .ok_or_else(|| format!("user {} is missing", self.user.get()))?;
                engine.can(&subject, self.action, &self.resource)
            }
            Via::SnapshotCanUser => {
                engine
                    .snapshot()
                    .can_user(self.user, self.action, &self.resource)
            }
        })
    }
}

/// What the sequence number `seq` says. The writer counts up from 1: an
/// even number while a call is under way, the next odd number once it
/// returned. Odd numbers alternate between "restored" (1 mod 4, the initial
/// state included) and "revoked" (3 mod 4).
fn phase(seq: u64) -> Option<Step> {
    match seq % 4 {
        1 => Some(Step::Restore),
        3 => Some(Step::Revoke),
        _ => None,
    }
}

/// Runs [`CYCLES`] revoke/restore cycles of `step` against readers checking
/// `request` each through one [`Via`].
///
/// A reader loads the sequence number before a check and again after it.
/// When both loads see the same odd number, the call that published it had
/// returned before the check started (`Release` after the call, `Acquire`
/// before the check), and the next call had not yet started when the check
/// ended (the writer publishes the even number before it starts a call):
/// the check must answer the state that call left. A check that overlapped a
/// call is not judged, since it may legitimately see either side. After each
/// call, the writer waits until every reader has judged at least one check
/// that started after it, so every cycle is checked by every reader.
fn revocations(
    name: &str,
    engine: &Engine,
    request: &Request,
    mut step: impl FnMut(&Engine, Step) + Send,
) {
    // Alone first: the request is allowed, denied after a revocation and
    // allowed again after a restoration, by every way of checking.
    let alone = |expected: bool, context: &str| {
        for via in VIAS {
            assert_eq!(
                request.check(engine, via),
                Ok(expected),
                "{name}: {context}, via {via:?}"
            );
        }
    };
    alone(true, "as set up");
    step(engine, Step::Revoke);
    alone(false, "after a revocation");
    step(engine, Step::Restore);
    alone(true, "after a restoration");

    let seq = AtomicU64::new(1);
    let done = AtomicBool::new(false);
    let stop = AtomicBool::new(false);
    let acks: [AtomicU64; VIAS.len()] = std::array::from_fn(|_| AtomicU64::new(0));

    let results = thread::scope(|s| {
        let readers: Vec<_> = VIAS
            .iter()
            .zip(&acks)
            .map(|(&via, ack)| {
                let (seq, done, stop) = (&seq, &done, &stop);
                s.spawn(move || {
                    let _stop_others = RaiseOnDrop(stop);
                    let (mut judged, mut overlapped, mut acked, mut again) =
                        (0_u64, 0_u64, 0_u64, 0_u32);
                    while !done.load(Ordering::Acquire) && !stop.load(Ordering::Acquire) {
                        let before = seq.load(Ordering::Acquire);
                        let allowed = request.check(engine, via)?;
                        let after = seq.load(Ordering::Acquire);
                        let Some(settled) = phase(before).filter(|_| before == after) else {
                            overlapped += 1;
                            continue;
                        };
                        let expected = settled == Step::Restore;
                        if allowed != expected {
                            let cycle = (before - 1) / 4;
                            return Err(format!(
                                "{name}, via {via:?}: a check that started after {} {cycle} had \
                                 returned (sequence {before}, unchanged when the check ended) \
                                 answered {}, expected {}",
                                if expected {
                                    "restoration"
                                } else {
                                    "revocation"
                                },
                                if allowed { "allow" } else { "deny" },
                                if expected { "allow" } else { "deny" },
                            ));
                        }
                        judged += 1;
                        if before != acked {
                            acked = before;
                            again = 0;
                            ack.store(before, Ordering::Release);
                        } else if again < SPIN_AFTER_ACK {
                            again += 1;
                        } else {
                            // This state is judged enough: let the writer
                            // move on (on few cores it competes with us).
                            thread::yield_now();
                        }
                    }
                    Ok((via, judged, overlapped))
                })
            })
            .collect();
        let writer = s.spawn(|| {
            let _done = RaiseOnDrop(&done);
            let mut n = 1;
            if !all_reached(&stop, &acks, n) {
                return Ok(());
            }
            for cycle in 0..CYCLES * 2 {
                n += 1;
                seq.store(n, Ordering::Release);
                step(
                    engine,
                    if cycle % 2 == 0 {
                        Step::Revoke
                    } else {
                        Step::Restore
                    },
                );
                n += 1;
                seq.store(n, Ordering::Release);
                if !all_reached(&stop, &acks, n) {
                    break;
                }
            }
            Ok(())
        });
        let mut results = vec![joined("writer", writer.join()).map(|()| None)];
        for (via, h) in VIAS.iter().zip(readers) {
            results.push(joined(&format!("{name}, reader via {via:?}"), h.join()).map(Some));
        }
        results
    });

    let mut failures = Vec::new();
    let mut counts = Vec::new();
    for result in results {
        match result {
            Ok(Some(count)) => counts.push(count),
            Ok(None) => {}
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for (via, judged, overlapped) in counts {
        assert!(
            judged > CYCLES * 2,
            "{name}, via {via:?}: only {judged} checks judged"
        );
        eprintln!("{name}, via {via:?}: {judged} checks judged, {overlapped} overlapped a call");
    }
}

/// An engine with its Owner, and the catalog.
fn owned_engine() -> (Engine, Arc<Catalog>) {
    let engine = Engine::new(Catalog::standard());
    engine
        .bootstrap()
        .add_user(User::new(OWNER, ORG, SystemRole::Owner.id()))
        .unwrap();
    let catalog = engine.catalog();
    (engine, catalog)
}

#[test]
fn a_revocation_is_seen_by_every_later_check() {
    let user = UserId::new(10);

    // set_status: a Developer suspended and reinstated.
    {
        let (engine, catalog) = owned_engine();
        let boot = engine.bootstrap();
        boot.add_user(User::new(user, ORG, SystemRole::Developer.id()))
            .unwrap();
        let request = Request {
            user,
            action: action(&catalog, "update"),
            resource: resource(&catalog, "workflows", 1, ORG),
        };
        revocations("set_status", &engine, &request, |engine, step| {
            let status = match step {
                Step::Revoke => Status::Suspended,
                Step::Restore => Status::Active,
            };
            engine.admin(OWNER).set_status(user, status).unwrap();
        });
    }

    // replace_rules: the permission taken out of a custom role and put back.
    {
        let (engine, catalog) = owned_engine();
        let boot = engine.bootstrap();
        let without = rules(&catalog, &[("workflows", "read"), ("agents", "read")]);
        let mut with = without.clone();
        with.push(rule(&catalog, ("workflows", "deploy_prod")));
        let role = boot.create_role(ORG, "Deployers", with.clone()).unwrap().id;
        boot.add_user(User::new(user, ORG, role)).unwrap();
        let request = Request {
            user,
            action: action(&catalog, "deploy_prod"),
            resource: resource(&catalog, "workflows", 1, ORG),
        };
        revocations("replace_rules", &engine, &request, |engine, step| {
            let rules = match step {
                Step::Revoke => without.clone(),
                Step::Restore => with.clone(),
            };
            engine.admin(OWNER).replace_rules(role, rules).unwrap();
        });
    }

    // assign_role: a Developer demoted to Viewer and promoted back.
    {
        let (engine, catalog) = owned_engine();
        let boot = engine.bootstrap();
        boot.add_user(User::new(user, ORG, SystemRole::Developer.id()))
            .unwrap();
        let request = Request {
            user,
            action: action(&catalog, "update"),
            resource: resource(&catalog, "workflows", 1, ORG),
        };
        revocations("assign_role", &engine, &request, |engine, step| {
            let role = match step {
                Step::Revoke => SystemRole::Viewer,
                Step::Restore => SystemRole::Developer,
            };
            engine.admin(OWNER).assign_role(user, role.id()).unwrap();
        });
    }

    // assign_team_role: a team of Developers demoted to Viewer and back.
    {
        let (engine, catalog) = owned_engine();
        let boot = engine.bootstrap();
        let team = boot.create_team(ORG, "Builders").unwrap();
        for id in [user, UserId::new(11), UserId::new(12)] {
            boot.add_user(User::new(id, ORG, SystemRole::Developer.id()).with_team(team))
                .unwrap();
        }
        let request = Request {
            user,
            action: action(&catalog, "delete"),
            resource: resource(&catalog, "workflows", 1, ORG),
        };
        revocations("assign_team_role", &engine, &request, |engine, step| {
            let role = match step {
                Step::Revoke => SystemRole::Viewer,
                Step::Restore => SystemRole::Developer,
            };
            let moved = engine
                .admin(OWNER)
                .assign_team_role(team, role.id())
                .unwrap();
            assert_eq!(moved, 3);
        });
    }

    // remove_from_team: a rule with must-match team, its holder taken out of
    // the resource's team and put back.
    {
        let (engine, catalog) = owned_engine();
        let boot = engine.bootstrap();
        let team = boot.create_team(ORG, "Editors").unwrap();
        let editing = Rule::builder(&catalog, "workflows", "update")
            .must_match(MustMatch::TEAM)
            .build()
            .unwrap();
        let role = boot
            .create_role(ORG, "Team editors", vec![editing])
            .unwrap()
            .id;
        boot.add_user(User::new(user, ORG, role).with_team(team))
            .unwrap();
        let request = Request {
            user,
            action: action(&catalog, "update"),
            resource: resource(&catalog, "workflows", 1, ORG).with_team(team),
        };
        revocations("remove_from_team", &engine, &request, |engine, step| {
            let admin = engine.admin(OWNER);
            match step {
                Step::Revoke => admin.remove_from_team(team, user).unwrap(),
                Step::Restore => admin.add_to_team(team, user).unwrap(),
            }
        });
    }

    // delete_role: the holder's custom role deleted, the holder moved to
    // Viewer; restored by creating the role again and assigning it.
    {
        let (engine, catalog) = owned_engine();
        let boot = engine.bootstrap();
        let grants = rules(&catalog, &[("workflows", "execute"), ("workflows", "read")]);
        let mut role = boot.create_role(ORG, "Runners", grants.clone()).unwrap().id;
        boot.add_user(User::new(user, ORG, role)).unwrap();
        let request = Request {
            user,
            action: action(&catalog, "execute"),
            resource: resource(&catalog, "workflows", 1, ORG),
        };
        revocations("delete_role", &engine, &request, |engine, step| {
            let admin = engine.admin(OWNER);
            match step {
                Step::Revoke => {
                    let done = admin
                        .delete_role(role, Some(SystemRole::Viewer.id()))
                        .unwrap();
                    assert_eq!(done.moved, 1);
                }
                Step::Restore => {
                    role = admin
                        .create_role(ORG, "Runners", grants.clone())
                        .unwrap()
                        .id;
                    admin.assign_role(user, role).unwrap();
                }
            }
        });
    }
}

// ---------------------------------------------------------------------------
// 3. Sharing across threads, and snapshot isolation
// ---------------------------------------------------------------------------

/// Compiles only for types that can be moved and shared across threads
/// without borrowing anything.
fn shareable<T: Send + Sync + 'static>() {}

/// Compiles only for types that can be moved and shared across threads.
fn send_sync<T: Send + Sync>() {}

#[test]
fn engine_and_snapshots_can_be_shared_across_threads() {
    shareable::<Engine>();
    shareable::<Snapshot>();
    shareable::<Arc<Snapshot>>();
    shareable::<Policy>();
    shareable::<Catalog>();
    shareable::<Arc<Catalog>>();
    shareable::<Subject>();
    shareable::<User>();
    shareable::<Resource<'static>>();
    shareable::<Explanation>();
    shareable::<Change>();
    shareable::<AdminError>();
    shareable::<RoleEdit>();
    send_sync::<Admin<'_>>();
    send_sync::<Resource<'_>>();

    // At run time, with threads that borrow nothing: a change made on one
    // thread is seen by the others, and a snapshot moved to another thread
    // keeps its own state.
    let (engine, catalog) = owned_engine();
    engine
        .bootstrap()
        .add_user(User::new(WATCHER, ORG, SystemRole::Viewer.id()))
        .unwrap();
    let update = action(&catalog, "update");
    let workflow = resource(&catalog, "workflows", 1, ORG);
    let before = engine.snapshot();
    let promoter = {
        let engine = engine.clone();
        thread::spawn(move || {
            engine
                .admin(OWNER)
                .assign_role(WATCHER, SystemRole::Developer.id())
                .unwrap();
            engine.snapshot()
        })
    };
    let after = promoter.join().unwrap();
    let old_reader = {
        let workflow = workflow.clone();
        thread::spawn(move || {
            (
                before.version(),
                before.can_user(WATCHER, update, &workflow),
            )
        })
    };
    let (old_version, old_answer) = old_reader.join().unwrap();
    assert!(
        !old_answer,
        "the snapshot taken before the promotion still has the Viewer"
    );
    assert_eq!(after.version(), old_version + 1);
    assert!(after.can_user(WATCHER, update, &workflow));
    assert!(engine.can_user(WATCHER, update, &workflow));
}

/// The users of the isolation test, and the churn that moves them.
const STAFF: [UserId; 7] = [
    OWNER,
    WATCHER,
    UserId::new(20),
    UserId::new(21),
    UserId::new(22),
    UserId::new(23),
    UserId::new(24),
];
const CHURN_ROUNDS: usize = 40;
const ISOLATION_READERS: usize = 2;

/// Every grantable permission of every user of [`STAFF`], on a resource of
/// the organization in team `team`.
fn staff_probes(catalog: &Catalog, team: TeamId) -> Vec<Probe> {
    let mut probes = Vec::new();
    for user in STAFF {
        for (i, p) in catalog.grantable_permissions().enumerate() {
            probes.push(Probe {
                label: format!("user {} {}", user.get(), p.name),
                user,
                action: p.action,
                resource: Resource::new(p.resource_type, ResourceId::new(i as u64), ORG)
                    .with_team(team),
                in_a: false,
                in_b: false,
            });
        }
    }
    probes
}

/// A snapshot kept by the isolation test's writer, with the answers and
/// subjects it gave when it was published.
type Capture = (Arc<Snapshot>, Vec<bool>, Vec<Option<Subject>>);

/// The subjects of [`STAFF`] in one snapshot (None for a removed user).
fn subjects(snapshot: &Snapshot) -> Vec<Option<Subject>> {
    STAFF.iter().map(|&u| snapshot.subject(u)).collect()
}

#[test]
fn an_old_snapshot_keeps_answering_from_its_own_state() {
    let (engine, catalog) = owned_engine();
    let boot = engine.bootstrap();
    let core = boot.create_team(ORG, "Core").unwrap();
    let team_rule = |ty: &str, act: &str| {
        Rule::builder(&catalog, ty, act)
            .must_match(MustMatch::TEAM)
            .build()
            .unwrap()
    };
    let mut editor_rules = rules(&catalog, &[("workflows", "read"), ("workflows", "update")]);
    editor_rules.push(team_rule("agents", "execute"));
    let narrower = rules(&catalog, &[("workflows", "read")]);
    let editors = boot
        .create_role(ORG, "Editors", editor_rules.clone())
        .unwrap()
        .id;
    boot.add_user(User::new(WATCHER, ORG, SystemRole::Viewer.id()))
        .unwrap();
    boot.add_user(User::new(STAFF[2], ORG, editors).with_team(core))
        .unwrap();
    boot.add_user(User::new(STAFF[3], ORG, editors).with_team(core))
        .unwrap();
    boot.add_user(User::new(STAFF[4], ORG, SystemRole::Developer.id()))
        .unwrap();
    boot.add_user(User::new(STAFF[5], ORG, SystemRole::Operator.id()))
        .unwrap();
    boot.add_user(User::new(STAFF[6], ORG, SystemRole::Viewer.id()).with_team(core))
        .unwrap();
    let probes = staff_probes(&catalog, core);

    let first = engine.snapshot();
    let mut first_answers = Vec::new();
    evaluate(&first, &probes, &mut first_answers);
    let first_subjects = subjects(&first);

    let done = AtomicBool::new(false);
    let stop = AtomicBool::new(false);
    let rounds: [AtomicU64; ISOLATION_READERS] = std::array::from_fn(|_| AtomicU64::new(0));

    let (captured, readers) = thread::scope(|s| {
        // Readers hold the first snapshot throughout and keep checking it.
        let readers: Vec<_> = rounds
            .iter()
            .enumerate()
            .map(|(r, rounds)| {
                let (first, probes, answers, first_subjects, done, stop) =
                    (&first, &probes, &first_answers, &first_subjects, &done, &stop);
                s.spawn(move || {
                    let _stop_others = RaiseOnDrop(stop);
                    let mut observed = Vec::new();
                    let mut round = 0_u64;
                    while !done.load(Ordering::Acquire) && !stop.load(Ordering::Acquire) {
                        evaluate(first, probes, &mut observed);
                        if observed != *answers {
                            let differ: Vec<&str> = probes
                                .iter()
                                .zip(observed.iter().zip(answers.iter()))
                                .filter(|(_, (o, e))| o != e)
                                .map(|(p, _)| p.label.as_str())
                                .collect();
                            return Err(format!(
                                "isolation reader {r}, round {round}: the held snapshot (version {}) \
                                 changed its answers to {differ:?}",
                                first.version()
                            ));
                        }
                        if subjects(first) != *first_subjects {
                            return Err(format!(
                                "isolation reader {r}, round {round}: the held snapshot's subjects changed"
                            ));
                        }
                        round += 1;
                        rounds.store(round, Ordering::Release);
                    }
                    Ok(round)
                })
            })
            .collect();

        // The writer churns through every kind of change, keeping each
        // snapshot it publishes with the answers it gave when published.
        let writer = s.spawn(|| {
            let _done = RaiseOnDrop(&done);
            let admin = engine.admin(OWNER);
            let mut captured: Vec<Capture> = Vec::new();
            let mut capture = || {
                let snapshot = engine.snapshot();
                let mut answers = Vec::new();
                evaluate(&snapshot, &probes, &mut answers);
                let subjects = subjects(&snapshot);
                captured.push((snapshot, answers, subjects));
            };
            let refused = |call: &dyn Fn() -> Result<(), AdminError>| {
                let before = engine.snapshot();
                assert!(call().is_err(), "this call must be refused");
                assert!(
                    Arc::ptr_eq(&before, &engine.snapshot()),
                    "a refused call publishes nothing"
                );
            };
            for round in 0..CHURN_ROUNDS {
                if stop.load(Ordering::Acquire) {
                    break;
                }
                let odd = round % 2 == 1;
                let [_, _, u20, u21, u22, u23, u24] = STAFF;
                admin
                    .replace_rules(
                        editors,
                        if odd {
                            editor_rules.clone()
                        } else {
                            narrower.clone()
                        },
                    )
                    .unwrap();
                capture();
                let role = if odd {
                    SystemRole::Developer
                } else {
                    SystemRole::Operator
                };
                admin.assign_role(u22, role.id()).unwrap();
                capture();
                let status = if odd {
                    Status::Active
                } else {
                    Status::Suspended
                };
                admin.set_status(u23, status).unwrap();
                capture();
                admin.remove_from_team(core, u20).unwrap();
                capture();
                admin.add_to_team(core, u20).unwrap();
                capture();
                admin
                    .assign_team_role(core, SystemRole::Viewer.id())
                    .unwrap();
                capture();
                admin.assign_team_role(core, editors).unwrap();
                capture();
                let scratch = admin
                    .create_role(ORG, "Scratch", rules(&catalog, &[("billing", "read")]))
                    .unwrap()
                    .id;
                capture();
                admin.assign_role(u24, scratch).unwrap();
                capture();
                refused(&|| admin.delete_role(scratch, None).map(drop));
                admin
                    .delete_role(scratch, Some(SystemRole::Viewer.id()))
                    .unwrap();
                capture();
                admin.remove_user(u21).unwrap();
                capture();
                admin
                    .add_user(User::new(u21, ORG, editors).with_team(core))
                    .unwrap();
                capture();
                refused(&|| engine.admin(WATCHER).set_status(u22, Status::Suspended));
                refused(&|| admin.assign_role(UserId::new(999), editors));
                let temp = admin.create_team(ORG, "Temporary").unwrap();
                admin.add_to_team(temp, u21).unwrap();
                admin.delete_team(temp).unwrap();
                capture();

                // Wait until each reader has run a full round since.
                let start: Vec<u64> = rounds.iter().map(|r| r.load(Ordering::Acquire)).collect();
                let ran = wait_for(&stop, || {
                    rounds
                        .iter()
                        .zip(&start)
                        .all(|(r, &s)| r.load(Ordering::Acquire) >= s + 2)
                });
                if !ran {
                    break;
                }
            }
            Ok::<_, String>(captured)
        });

        (
            joined("writer", writer.join()),
            readers
                .into_iter()
                .enumerate()
                .map(|(r, h)| joined(&format!("isolation reader {r}"), h.join()))
                .collect::<Vec<_>>(),
        )
    });

    let mut failures: Vec<String> = readers.into_iter().filter_map(Result::err).collect();
    let captured = captured.unwrap_or_else(|e| {
        failures.push(e);
        Vec::new()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // Every snapshot kept still answers as when it was published, after all
    // the changes that followed it.
    assert_eq!(captured.len(), CHURN_ROUNDS * 13);
    let mut observed = Vec::new();
    let mut differing = 0;
    let mut last_version = first.version();
    for (i, (snapshot, answers, subjects_then)) in captured.iter().enumerate() {
        assert!(
            snapshot.version() > last_version,
            "capture {i}: versions increase"
        );
        last_version = snapshot.version();
        evaluate(snapshot, &probes, &mut observed);
        assert!(
            observed == *answers,
            "capture {i} (version {}): answers changed after later changes\n  then {}\n  now  {}",
            snapshot.version(),
            bits(answers, 39),
            bits(&observed, 39)
        );
        assert_eq!(
            subjects(snapshot),
            *subjects_then,
            "capture {i}: subjects changed"
        );
        if *answers != first_answers {
            differing += 1;
        }
    }
    assert!(
        differing >= CHURN_ROUNDS,
        "the churn changes decisions ({differing} of {} captures differ from the first)",
        captured.len()
    );
    let mut now = Vec::new();
    evaluate(&first, &probes, &mut now);
    assert_eq!(now, first_answers, "the first snapshot, after everything");
    assert_eq!(subjects(&first), first_subjects);
}

// ---------------------------------------------------------------------------
// Activity recorded while the user's record is being replaced
// ---------------------------------------------------------------------------

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
