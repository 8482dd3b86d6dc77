//! A revocation is seen by every later check.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

use rolegate::*;

use crate::helpers::{
    ORG, OWNER, RaiseOnDrop, action, all_reached, joined, owned_engine, resource, rule, rules,
};

/// Revoke/restore cycles per way of revoking.
const CYCLES: u64 = 200;
/// Checks a reader runs flat out in a state it has already judged, before
/// it starts yielding to the writer between checks.
const SPIN_AFTER_ACK: u32 = 16;

/// How a reader checks.
#[derive(Clone, Copy, Debug)]
enum Via {
    /// `engine.can(user, ..)`.
    EngineCanUser,
    /// `snapshot.policy().can(&subject, ..)`, the snapshot and its subject
    /// taken at check time.
    PolicyCanWithFreshSubject,
    /// `engine.snapshot().can(user, ..)`.
    SnapshotCanUser,
    /// `engine.can_many(user, .., &[resource])`.
    EngineCanMany,
}

const VIAS: [Via; 4] = [
    Via::EngineCanUser,
    Via::PolicyCanWithFreshSubject,
    Via::SnapshotCanUser,
    Via::EngineCanMany,
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
            Via::EngineCanUser => engine.can(self.user, self.action, &self.resource),
            Via::PolicyCanWithFreshSubject => {
                let snapshot = engine.snapshot();
                let subject = snapshot
                    .subject(self.user)
                    .ok_or_else(|| format!("user {} is missing", self.user.get()))?;
                snapshot.policy().can(&subject, self.action, &self.resource)
            }
            Via::EngineCanMany => {
                engine.can_many(self.user, self.action, std::slice::from_ref(&self.resource))
                    == [true]
            }
            Via::SnapshotCanUser => engine
                .snapshot()
                .can(self.user, self.action, &self.resource),
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
                Step::Revoke => UserStatus::Suspended,
                Step::Restore => UserStatus::Active,
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
        let role = boot.create_role(ORG, "Deployers", with.clone()).unwrap();
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
            .unwrap();
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
        let mut role = boot.create_role(ORG, "Runners", grants.clone()).unwrap();
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
                    role = admin.create_role(ORG, "Runners", grants.clone()).unwrap();
                    admin.assign_role(user, role).unwrap();
                }
            }
        });
    }
}
