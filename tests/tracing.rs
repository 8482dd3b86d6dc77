//! tracing events, caught by a subscriber of the test's own: every
//! decision through the engine and every administrative call is an event of
//! target `rolegate` with the documented fields, allows at `debug`,
//! denials and changes at `info`, and `Policy::can` emits nothing. Without
//! the `tracing` feature the test compiles to nothing.
#![cfg(feature = "tracing")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use rolegate::store::MemoryStore;
use rolegate::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

/// One event as caught: its level, target and fields as text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Caught {
    level: Level,
    target: String,
    fields: BTreeMap<String, String>,
}

impl Caught {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// Keeps every event at or above `level`.
struct Catcher {
    level: Level,
    caught: Arc<Mutex<Vec<Caught>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Catcher {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        // Asked at every event: tests with other levels run at once.
        Interest::sometimes()
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= self.level
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.caught.lock().unwrap().push(Caught {
            level: *event.metadata().level(),
            target: event.metadata().target().to_owned(),
            fields,
        });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Runs `f` with a catcher at `level`; returns what it caught.
fn catch(level: Level, f: impl FnOnce()) -> Vec<Caught> {
    let caught = Arc::new(Mutex::new(Vec::new()));
    let catcher = Catcher {
        level,
        caught: Arc::clone(&caught),
    };
    tracing::subscriber::with_default(catcher, f);
    caught.lock().unwrap().clone()
}

const ORG: OrgId = OrgId::new(1);
const DEV: UserId = UserId::new(2);
const VIEWER: UserId = UserId::new(3);
const OWNER: UserId = UserId::new(1);

fn engine() -> Engine {
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    boot.add_user(User::new(OWNER, ORG, SystemRole::Owner.id()))
        .unwrap();
    boot.add_user(User::new(DEV, ORG, SystemRole::Developer.id()))
        .unwrap();
    boot.add_user(User::new(VIEWER, ORG, SystemRole::Viewer.id()))
        .unwrap();
    engine
}

/// The actions `execute` and `delete`, and workflow 7 of the organization.
fn names(engine: &Engine) -> (ActionId, ActionId, Resource<'static>) {
    let c = engine.catalog();
    let workflows = c.resource_type("workflows").unwrap();
    (
        c.action("execute").unwrap(),
        c.action("delete").unwrap(),
        Resource::new(workflows, ResourceId::new(7), ORG),
    )
}

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|&(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn decisions_carry_the_documented_fields_allows_at_debug_denials_at_info() {
    let engine = engine();
    let (execute, delete, workflow) = names(&engine);
    let revision = engine.revision().get().to_string();
    let caught = catch(Level::TRACE, || {
        assert!(engine.can(DEV, execute, &workflow));
        assert!(!engine.can(VIEWER, delete, &workflow));
        assert!(!engine.can(UserId::new(99), execute, &workflow));
        assert!(!engine.explain(VIEWER, delete, &workflow).is_allowed());
        engine
            .authorize(DEV, execute, &workflow)
            .unwrap()
            .success()
            .unwrap();
        assert!(engine.authorize(VIEWER, delete, &workflow).is_err());
        let page = [workflow.clone(), workflow.clone()];
        assert_eq!(engine.can_many(DEV, delete, &page), [true, true]);
    });
    assert!(caught.iter().all(|e| e.target == "rolegate"), "{caught:?}");
    let levels: Vec<Level> = caught.iter().map(|e| e.level).collect();
    assert_eq!(
        levels,
        [
            Level::DEBUG,
            Level::INFO,
            Level::INFO,
            Level::INFO,
            Level::DEBUG,
            Level::INFO,
            Level::DEBUG
        ]
    );
    let allowed = |call: &str, user: &str| {
        fields(&[
            ("call", call),
            ("organization", "1"),
            ("user", user),
            ("permission", "workflows.execute"),
            ("outcome", "allowed"),
            ("revision", &revision),
            ("message", "allowed"),
        ])
    };
    let denied = |call: &str, user: &str, permission: &str, reason: &str| {
        fields(&[
            ("call", call),
            ("organization", "1"),
            ("user", user),
            ("permission", permission),
            ("outcome", "denied"),
            ("reason", reason),
            ("revision", &revision),
            ("message", "denied"),
        ])
    };
    assert_eq!(caught[0].fields, allowed("can", "2"));
    assert_eq!(
        caught[1].fields,
        denied("can", "3", "workflows.delete", "no_rule")
    );
    assert_eq!(
        caught[2].fields,
        denied("can", "99", "workflows.execute", "unknown_user")
    );
    assert_eq!(
        caught[3].fields,
        denied("explain", "3", "workflows.delete", "no_rule")
    );
    assert_eq!(caught[4].fields, allowed("authorize", "2"));
    assert_eq!(
        caught[5].fields,
        denied("authorize", "3", "workflows.delete", "no_rule")
    );
    assert_eq!(caught[6].get("call"), Some("can_many"));
    assert_eq!(caught[6].get("resources"), Some("2"));
    assert_eq!(caught[6].get("allowed"), Some("2"));
    assert_eq!(caught[6].get("permission"), Some("workflows.delete"));
}

#[test]
fn at_info_only_denials_and_changes_are_emitted_and_policy_can_emits_nothing() {
    let engine = engine();
    let (execute, delete, workflow) = names(&engine);
    let caught = catch(Level::INFO, || {
        assert!(engine.can(DEV, execute, &workflow));
        assert!(!engine.can(VIEWER, delete, &workflow));
    });
    let outcomes: Vec<Option<&str>> = caught.iter().map(|e| e.get("outcome")).collect();
    assert_eq!(outcomes, [Some("denied")]);

    let policy = Policy::new(Catalog::standard());
    let viewer = Subject::new(VIEWER, ORG, SystemRole::Viewer.id(), UserStatus::Active);
    let caught = catch(Level::TRACE, || {
        assert!(!policy.can(&viewer, delete, &workflow));
        assert!(!policy.explain(&viewer, delete, &workflow).is_allowed());
        assert!(!engine.snapshot().policy().can(&viewer, execute, &workflow));
    });
    assert_eq!(caught, []);
}

#[test]
fn administrative_calls_are_emitted_with_their_outcome_and_revision() {
    let engine = engine();
    let before = engine.revision();
    let caught = catch(Level::INFO, || {
        engine.admin(OWNER).create_team(ORG, "Ops").unwrap();
        // A Developer may not manage members: refused.
        assert!(
            engine
                .admin(DEV)
                .set_status(VIEWER, UserStatus::Suspended)
                .is_err()
        );
    });
    assert_eq!(caught.len(), 2, "{caught:?}");
    let after = engine.revision();
    assert!(after > before);
    let made = &caught[0];
    assert_eq!(made.level, Level::INFO);
    assert_eq!(made.get("call"), Some("team.create"));
    assert_eq!(made.get("organization"), Some("1"));
    assert_eq!(made.get("user"), Some("1"));
    assert_eq!(made.get("outcome"), Some("success"));
    assert_eq!(made.get("revision"), Some(after.get().to_string().as_str()));
    let refused = &caught[1];
    assert_eq!(refused.get("call"), Some("member.status_change"));
    assert_eq!(refused.get("outcome"), Some("denied"));
    assert!(
        refused
            .get("reason")
            .is_some_and(|r| r.contains("members.manage")),
        "{refused:?}"
    );
    assert_eq!(
        refused.get("revision"),
        Some(after.get().to_string().as_str())
    );
}

#[test]
fn catching_up_with_the_store_is_emitted() {
    let store = Arc::new(MemoryStore::new());
    let one = Engine::builder(Catalog::standard())
        .open(Arc::clone(&store))
        .unwrap();
    let two = Engine::builder(Catalog::standard())
        .open(Arc::clone(&store))
        .unwrap();
    one.bootstrap().create_team(ORG, "Ops").unwrap();
    let caught = catch(Level::INFO, || {
        two.refresh().unwrap();
    });
    assert_eq!(caught.len(), 1, "{caught:?}");
    assert_eq!(caught[0].get("message"), Some("caught up with the store"));
    assert_eq!(caught[0].get("commits"), Some("1"));
    assert_eq!(
        caught[0].get("revision"),
        Some(one.revision().get().to_string().as_str())
    );
}
