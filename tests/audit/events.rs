//! Event fields of a check.

use std::collections::BTreeMap;

use rolegate::audit::{Actor, AuditLog, Event, EventId, OnSinkFailure, Outcome};
use rolegate::*;

use crate::fixture::{
    ACME, ADMIN, GLOBEX, RUNNER, VIEWER, all, assert_clean, expect_denied, world,
};

#[test]
fn builder_loading_records_nothing() {
    let w = world(AuditLog::in_memory());
    assert!(all(&w.engine).is_empty());
    assert_eq!(w.engine.audit().dropped(), 0);
    assert_eq!(w.engine.audit().policy(), OnSinkFailure::Refuse);
    assert_eq!(w.engine.audit().now(), w.at(0));
}

#[test]
fn an_allowed_check_records_every_field() {
    let w = world(AuditLog::in_memory());
    w.clock.set(w.at(1_000));
    let grant = w.run(42).unwrap();
    let decided = all(&w.engine);
    assert_eq!(decided.len(), 1, "the decision is on record at once");
    assert_eq!(decided[0].outcome(), Outcome::Allowed);
    assert_eq!(decided[0].completed_at(), None);
    assert_eq!(Some(decided[0].id()), grant.event());
    w.clock.advance(250);
    let id = grant.success().unwrap();

    let events = all(&w.engine);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.id(), id);
    assert_eq!(e.at(), w.at(1_000), "timestamped when decided");
    assert_eq!(e.completed_at(), Some(w.at(1_250)), "and when completed");
    assert_eq!(e.organization(), Some(ACME));
    assert_eq!(e.actor(), Actor::User(RUNNER));
    assert_eq!(e.user(), Some(RUNNER));
    assert_eq!(e.role(), Some((w.runner_role, "Runner")));
    assert_eq!(e.action(), "workflows.execute");
    assert_eq!(e.resource_type(), Some("workflows"));
    assert_eq!(e.resource_id(), Some("42"));
    assert_eq!(e.outcome(), Outcome::Success);
    assert_eq!(e.reason(), None);
    assert_clean(e);
}

#[test]
fn a_denied_check_records_the_explain_reason_at_once() {
    let w = world(AuditLog::in_memory());
    w.clock.set(w.at(500));
    let viewer = VIEWER;
    let execute = w.action("execute");
    let wf = w.workflow(7);
    let explanation = w.engine.explain(viewer, execute, &wf);
    let text = explanation
        .display(w.engine.snapshot().policy())
        .to_string();
    assert!(!explanation.is_allowed());

    let (denial, event) = expect_denied(w.engine.authorize(viewer, execute, &wf));
    assert_eq!(Some(&denial), explanation.denial());
    let events = all(&w.engine);
    assert_eq!(events.len(), 1, "recorded at once");
    let e = &events[0];
    assert_eq!(Some(e.id()), event);
    assert_eq!(e.at(), w.at(500));
    assert_eq!(e.organization(), Some(ACME));
    assert_eq!(e.user(), Some(VIEWER));
    assert_eq!(e.role(), Some((SystemRole::Viewer.id(), "Viewer")));
    assert_eq!(e.action(), "workflows.execute");
    assert_eq!(e.resource_type(), Some("workflows"));
    assert_eq!(e.resource_id(), Some("7"));
    assert_eq!(e.outcome(), Outcome::Denied);
    assert_eq!(e.reason(), Some(text.as_str()));
    assert!(text.starts_with("denied"), "{text}");

    // Another organization's resource: the reason says so.
    let elsewhere = w.resource("workflows", 8, GLOBEX);
    let (_, event) = expect_denied(w.engine.authorize(RUNNER, execute, &elsewhere));
    let e = &all(&w.engine)[0];
    assert_eq!(Some(e.id()), event);
    assert_eq!(e.organization(), Some(ACME), "the subject's organization");
    assert_eq!(
        e.reason(),
        Some("denied: the resource belongs to organization 2, the subject to organization 1")
    );
}

#[test]
fn the_role_is_the_one_held_at_the_time_with_its_name_then() {
    let w = world(AuditLog::in_memory());
    let before = w.run(1).unwrap().success().unwrap();
    w.engine
        .admin(ADMIN)
        .rename_role(w.runner_role, "Executor")
        .unwrap();
    let after = w.run(2).unwrap().success().unwrap();
    // A grant taken before a rename keeps the name it was checked under.
    let pending = w.run(3).unwrap();
    w.engine
        .admin(ADMIN)
        .rename_role(w.runner_role, "Operator Plus")
        .unwrap();
    let pending = pending.success().unwrap();

    let by_id: BTreeMap<EventId, Event> = all(&w.engine).into_iter().map(|e| (e.id(), e)).collect();
    assert_eq!(by_id[&before].role(), Some((w.runner_role, "Runner")));
    assert_eq!(by_id[&after].role(), Some((w.runner_role, "Executor")));
    assert_eq!(by_id[&pending].role(), Some((w.runner_role, "Executor")));

    // Moved to another role: later events show it, earlier ones do not.
    w.engine
        .admin(ADMIN)
        .assign_role(RUNNER, SystemRole::Operator.id())
        .unwrap();
    let moved = w.run(4).unwrap().success().unwrap();
    let events = all(&w.engine);
    let e = events.iter().find(|e| e.id() == moved).unwrap();
    assert_eq!(e.role(), Some((SystemRole::Operator.id(), "Operator")));
    let e = events.iter().find(|e| e.id() == before).unwrap();
    assert_eq!(e.role(), Some((w.runner_role, "Runner")));
}
