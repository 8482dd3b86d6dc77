//! `authorize` and its grants.

use std::thread;

use rolegate::audit::{AuditLog, AuditQuery, AuthorizeError, Outcome};
use rolegate::*;

use crate::fixture::{DROPPED_REASON, RUNNER, T0, VIEWER, all, expect_denied, world};

#[test]
fn can_explain_and_snapshots_never_record() {
    let w = world(AuditLog::in_memory());
    let (runner, viewer) = (RUNNER, VIEWER);
    let execute = w.action("execute");
    let wf = w.workflow(1);
    for _ in 0..100 {
        assert!(w.engine.can(runner, execute, &wf));
        assert!(!w.engine.can(viewer, execute, &wf));
        assert!(w.engine.can(RUNNER, execute, &wf));
        assert!(!w.engine.can(VIEWER, execute, &wf));
        let snapshot = w.engine.snapshot();
        assert!(snapshot.can(runner, execute, &wf));
        assert!(!snapshot.can(VIEWER, execute, &wf));
        assert!(!w.engine.explain(viewer, execute, &wf).is_allowed());
        assert!(snapshot.explain(runner, execute, &wf).is_allowed());
    }
    assert!(all(&w.engine).is_empty());
    assert_eq!(w.engine.audit().dropped(), 0);
}

#[test]
fn grants_record_their_decision_at_once_and_the_outcome_at_completion() {
    let w = world(AuditLog::in_memory());
    w.clock.set(w.at(10));
    let ok = w.run(1).unwrap();
    let failed = w.run(2).unwrap();
    let forgotten = w.run(3).unwrap();
    let elsewhere = w.run(4).unwrap();
    let decided = all(&w.engine);
    assert_eq!(decided.len(), 4, "every decision is on record at once");
    assert!(decided.iter().all(|e| e.outcome() == Outcome::Allowed));

    w.clock.set(w.at(20));
    let failed_id = failed.failure("upstream returned 502").unwrap();
    w.clock.set(w.at(30));
    drop(forgotten);
    w.clock.set(w.at(40));
    let ok_id = ok.success().unwrap();
    w.clock.set(w.at(50));
    // A grant sent to another thread and forgotten there.
    thread::spawn(move || drop(elsewhere)).join().unwrap();

    let events = all(&w.engine);
    assert_eq!(events.len(), 4);
    // Newest decision first; each decided at 10, completed when it was.
    type Row<'a> = (&'a str, Outcome, i64, Option<i64>, Option<&'a str>);
    let got: Vec<Row<'_>> = events
        .iter()
        .map(|e| {
            (
                e.resource_id().unwrap(),
                e.outcome(),
                e.at().unix_millis() - T0,
                e.completed_at().map(|t| t.unix_millis() - T0),
                e.reason(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("4", Outcome::Failure, 10, Some(50), Some(DROPPED_REASON)),
            ("3", Outcome::Failure, 10, Some(30), Some(DROPPED_REASON)),
            (
                "2",
                Outcome::Failure,
                10,
                Some(20),
                Some("upstream returned 502")
            ),
            ("1", Outcome::Success, 10, Some(40), None),
        ]
    );
    assert_eq!(events[3].id(), ok_id);
    assert_eq!(events[2].id(), failed_id);
    for e in &events {
        assert_eq!(e.user(), Some(RUNNER));
        assert_eq!(e.action(), "workflows.execute");
    }
    assert_eq!(w.engine.audit().dropped(), 0);
}

#[test]
fn a_denial_is_recorded_before_authorize_returns() {
    let w = world(AuditLog::in_memory());
    for n in 1..=5u64 {
        let (_, event) = expect_denied(w.view_run(n));
        let newest = &all(&w.engine)[0];
        assert_eq!(Some(newest.id()), event);
        assert_eq!(newest.resource_id(), Some(n.to_string().as_str()));
        assert_eq!(all(&w.engine).len() as u64, n);
    }
    // Invited and suspended users are denied and recorded the same way.
    w.engine
        .bootstrap()
        .set_status(RUNNER, UserStatus::Suspended)
        .unwrap();
    let (denial, event) = expect_denied(w.engine.authorize(
        RUNNER,
        w.action("execute"),
        &w.workflow(9),
    ));
    assert_eq!(
        denial,
        Denial::Inactive {
            status: UserStatus::Suspended
        }
    );
    let e = &all(&w.engine)[0];
    assert_eq!(Some(e.id()), event);
    assert_eq!(e.outcome(), Outcome::Denied);
    assert!(e.reason().unwrap().contains("suspended"), "{e:?}");
}

/// A denial is kept as values and put in words when the log is read: the
/// words are those of the role as it was when the check ran, however the
/// role changed since, and the denial itself reads back.
#[test]
fn a_denial_reads_back_as_the_role_stood_when_it_was_decided() {
    let catalog = Catalog::standard();
    let org = OrgId::new(1);
    let engine = Engine::new(catalog.clone());
    let boot = engine.bootstrap();
    let deploy = Rule::builder(&catalog, "workflows", "deploy_prod")
        .conditions("priority <= 3")
        .build()
        .unwrap();
    let deployer = boot.create_role(org, "Deployer", [deploy]).unwrap();
    let user = UserId::new(7);
    boot.add_user(User::new(user, org, deployer)).unwrap();
    let priority = catalog.attribute("priority").unwrap();
    let urgent = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(9),
        org,
    )
    .with_attribute(priority, 5);
    let deploy_prod = catalog.action("deploy_prod").unwrap();
    let Err(AuthorizeError::Denied { denial, event }) =
        engine.authorize(user, deploy_prod, &urgent)
    else {
        panic!("priority 5 is above 3");
    };
    let expected = engine
        .explain(user, deploy_prod, &urgent)
        .display(engine.snapshot().policy())
        .to_string();
    assert_eq!(
        expected,
        "denied: no rule of Deployer allows workflows.deploy_prod here: rule 1 \
         `workflows.deploy_prod [organization] if priority <= 3` fails `priority <= 3`"
    );
    // The role changes after the decision: renamed, its rule replaced.
    let loose = Rule::builder(&catalog, "workflows", "deploy_prod")
        .conditions("priority <= 9")
        .build()
        .unwrap();
    boot.replace_rules(deployer, [loose]).unwrap();
    boot.rename_role(deployer, "Release Manager").unwrap();
    assert!(engine.can(user, deploy_prod, &urgent), "allowed now");

    let page = engine
        .audit()
        .query(&AuditQuery::new().action("workflows.deploy_prod"))
        .unwrap();
    let recorded = page.events.iter().find(|e| Some(e.id()) == event).unwrap();
    assert_eq!(recorded.outcome(), Outcome::Denied);
    assert_eq!(recorded.reason(), Some(expected.as_str()));
    assert_eq!(recorded.role().map(|(_, name)| name), Some("Deployer"));
    let reason = recorded.fields().reason.as_ref().unwrap();
    assert_eq!(reason.denial(), Some(&denial));
    assert_eq!(reason.to_string(), expected);
    // A copy reads the same.
    assert_eq!(reason.clone(), *reason);
}

#[test]
fn a_sink_that_checks_from_inside_authorize_sees_the_current_state() {
    use std::sync::Arc;

    use crate::sinks::CheckingSink;

    let sink = Arc::new(CheckingSink::default());
    let w = world(AuditLog::new(Arc::clone(&sink)));
    let (execute, wf) = (w.action("execute"), w.workflow(1));
    // Whether the runner may execute the workflow, asked from inside the
    // sink while `authorize` runs on this thread.
    sink.ask
        .set((w.engine.clone(), RUNNER, wf.clone()))
        .unwrap();

    w.run(1).unwrap().success().unwrap();
    let (denial, event) = expect_denied(w.view_run(1));
    assert!(matches!(denial, Denial::NoRule { .. }), "{denial:?}");
    assert!(event.is_some());
    assert_eq!(*sink.answers.lock().unwrap(), [true, true]);

    // Take the runner's role away: the next check from inside the sink
    // sees it, and so does the next authorize.
    w.engine
        .admin(crate::fixture::ADMIN)
        .assign_role(RUNNER, SystemRole::Viewer.id())
        .unwrap();
    sink.answers.lock().unwrap().clear();
    let (denial, event) = expect_denied(w.run(2));
    assert!(matches!(denial, Denial::NoRule { .. }), "{denial:?}");
    assert!(event.is_some());
    assert!(!w.engine.can(RUNNER, execute, &wf));
    assert_eq!(*sink.answers.lock().unwrap(), [false]);
}
