//! The two states A and B, and the writer that flips the engine between them.

use std::collections::HashMap;

use rolegate::*;

use crate::helpers::{ORG, OTHER_ORG, OWNER, Probe, WATCHER, action, resource, rule, rules};

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
pub(crate) const MEMBERS: [UserId; 10] = [
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
pub(crate) const PER_MEMBER: usize = ONLY_A.len() + ONLY_B.len() + 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    A,
    B,
}

/// How the writer moves the ten members from state A to state B and back.
/// Every move changes all 110 member decisions of the probe set that differ
/// between the states (50 of them) in ONE administrative call.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Move {
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

pub(crate) const MOVES: [Move; 3] = [Move::Rules, Move::TeamRole, Move::DeleteRole];

/// The engine of the first test and how to move it between its states.
pub(crate) struct Flipper {
    pub(crate) engine: Engine,
    team: TeamId,
    /// The role the members hold in state A (its rules are `rules_a` then).
    a_role: RoleId,
    /// A role with the rules of state B.
    b_role: RoleId,
    rules_a: Vec<Rule>,
    rules_b: Vec<Rule>,
}

impl Flipper {
    pub(crate) fn new() -> Self {
        let engine = Engine::new(Catalog::standard());
        let catalog = engine.catalog();
        let boot = engine.bootstrap();
        boot.add_user(User::new(OWNER, ORG, SystemRole::Owner.id()))
            .unwrap();
        boot.add_user(User::new(WATCHER, ORG, SystemRole::Viewer.id()))
            .unwrap();
        let mut rules_a = rules(catalog, &ONLY_A);
        rules_a.push(rule(catalog, IN_BOTH));
        let mut rules_b = rules(catalog, &ONLY_B);
        rules_b.push(rule(catalog, IN_BOTH));
        let a_role = boot.create_role(ORG, "Side A", rules_a.clone()).unwrap();
        let b_role = boot.create_role(ORG, "Side B", rules_b.clone()).unwrap();
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
    pub(crate) fn probes(&self) -> Vec<Probe> {
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
            resources.insert(ty, resource(catalog, ty, 1 + i as u64, ORG));
        }
        let probe = |user: UserId, (ty, act): (&str, &str), in_a: bool, in_b: bool| Probe {
            label: format!("user {} {ty}.{act}", user.get()),
            user,
            action: action(catalog, act),
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
            resource: resource(catalog, "workflows", 99, OTHER_ORG),
            ..probe(MEMBERS[0], ("workflows", "execute"), false, false)
        });
        probes
    }

    /// Records the version the last call published and the state it is in;
    /// every call publishes exactly one version.
    fn record(&self, log: &mut Vec<(u64, State)>, state: State) {
        let version = self.engine.snapshot().revision().get();
        let previous = log.last().map(|&(v, _)| v);
        assert_eq!(
            Some(version),
            previous.map(|v| v + 1),
            "one administrative call must publish exactly one version"
        );
        log.push((version, state));
    }

    pub(crate) fn move_to_b(&mut self, how: Move, log: &mut Vec<(u64, State)>) {
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

    pub(crate) fn move_to_a(&mut self, how: Move, log: &mut Vec<(u64, State)>) {
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
                    .unwrap();
                self.record(log, State::B);
                let moved = admin.assign_team_role(self.team, self.a_role).unwrap();
                assert_eq!(moved, MEMBERS.len());
            }
        }
        self.record(log, State::A);
    }
}
