//! Snapshot isolation: an old snapshot keeps answering from its own state.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

use rolegate::*;

use crate::helpers::{
    ORG, OWNER, Probe, RaiseOnDrop, WATCHER, bits, evaluate, joined, owned_engine, rules, wait_for,
};

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
        .unwrap();
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
                                first.revision().get()
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
                    UserStatus::Active
                } else {
                    UserStatus::Suspended
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
                    .unwrap();
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
                refused(&|| engine.admin(WATCHER).set_status(u22, UserStatus::Suspended));
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
    let mut last_version = first.revision().get();
    for (i, (snapshot, answers, subjects_then)) in captured.iter().enumerate() {
        assert!(
            snapshot.revision().get() > last_version,
            "capture {i}: versions increase"
        );
        last_version = snapshot.revision().get();
        evaluate(snapshot, &probes, &mut observed);
        assert!(
            observed == *answers,
            "capture {i} (version {}): answers changed after later changes\n  then {}\n  now  {}",
            snapshot.revision().get(),
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
