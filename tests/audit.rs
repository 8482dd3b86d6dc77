//! The audit trail (SPEC §9): event fields, `authorize` and its grants,
//! exactly one event per gated call under threads, every filter alone and
//! combined, paging while events arrive, host events, text cleaning, failing
//! and bounded sinks under each policy, and the engine's own administrative
//! events. Timestamps come from a `ManualClock`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use rolegate::*;

const ACME: OrgId = OrgId::new(1);
const GLOBEX: OrgId = OrgId::new(2);
const OWNER: UserId = UserId::new(1);
const ADMIN: UserId = UserId::new(2);
const DEV: UserId = UserId::new(3);
const VIEWER: UserId = UserId::new(4);
const RUNNER: UserId = UserId::new(5);
const G_ADMIN: UserId = UserId::new(20);

/// The clock's starting time (2023-11-14T22:13:20Z).
const T0: i64 = 1_700_000_000_000;

const DROPPED_REASON: &str = "the grant was dropped without being completed";

// ---------------------------------------------------------------------------
// Fixture
// ---------------------------------------------------------------------------

/// Acme: an Owner, an Admin, a Developer (in team Platform), a Viewer, and a
/// Runner whose custom role "Runner" reads and executes workflows. Globex:
/// one Admin. Loaded with `EngineBuilder`, which records nothing.
struct World {
    engine: Engine,
    clock: Arc<ManualClock>,
    runner_role: RoleId,
    platform: TeamId,
}

fn world(log: AuditLog) -> World {
    let clock = Arc::new(ManualClock::new(Timestamp::from_unix_millis(T0)));
    let catalog = Catalog::standard();
    let rule = |ty: &str, action: &str| Rule::builder(&catalog, ty, action).build().unwrap();
    let mut b = Engine::builder(catalog.clone()).audit(log.with_clock(clock.clone()));
    let runner_role = b
        .custom_role(
            Role::custom(
                ACME,
                "Runner",
                [rule("workflows", "read"), rule("workflows", "execute")],
            )
            .unwrap(),
        )
        .unwrap();
    let platform = b.team(ACME, "Platform").unwrap();
    b.user(User::new(OWNER, ACME, SystemRole::Owner.id()))
        .unwrap();
    b.user(User::new(ADMIN, ACME, SystemRole::Admin.id()))
        .unwrap();
    b.user(User::new(DEV, ACME, SystemRole::Developer.id()).with_team(platform))
        .unwrap();
    b.user(User::new(VIEWER, ACME, SystemRole::Viewer.id()))
        .unwrap();
    b.user(User::new(RUNNER, ACME, runner_role)).unwrap();
    b.user(User::new(G_ADMIN, GLOBEX, SystemRole::Admin.id()))
        .unwrap();
    World {
        engine: b.build(),
        clock,
        runner_role,
        platform,
    }
}

impl World {
    fn subject(&self, user: UserId) -> Subject {
        self.engine.snapshot().subject(user).unwrap()
    }

    fn action(&self, name: &str) -> ActionId {
        self.engine.catalog().action(name).unwrap()
    }

    fn resource(&self, ty: &str, id: u64, org: OrgId) -> Resource<'static> {
        let ty = self.engine.catalog().resource_type(ty).unwrap();
        Resource::new(ty, ResourceId::new(id), org)
    }

    fn workflow(&self, id: u64) -> Resource<'static> {
        self.resource("workflows", id, ACME)
    }

    /// The Runner executes workflow `id`: allowed.
    fn run(&self, id: u64) -> Result<Grant, Refusal> {
        self.engine.authorize(
            &self.subject(RUNNER),
            self.action("execute"),
            &self.workflow(id),
        )
    }

    /// The Viewer executes workflow `id`: denied.
    fn view_run(&self, id: u64) -> Result<Grant, Refusal> {
        self.engine.authorize(
            &self.subject(VIEWER),
            self.action("execute"),
            &self.workflow(id),
        )
    }

    fn at(&self, millis: i64) -> Timestamp {
        Timestamp::from_unix_millis(T0 + millis)
    }

    fn version(&self) -> u64 {
        self.engine.snapshot().version()
    }
}

/// Every recorded event, newest first.
fn all(engine: &Engine) -> Vec<Event> {
    let page = engine
        .audit()
        .query(&AuditQuery::new().limit(usize::MAX))
        .unwrap();
    assert!(page.next.is_none());
    page.events
}

fn query(engine: &Engine, q: &AuditQuery) -> Vec<Event> {
    engine.audit().query(q).unwrap().events
}

fn ids(events: &[Event]) -> Vec<u64> {
    events.iter().map(|e| e.id().get()).collect()
}

fn login(org: OrgId, outcome: Outcome) -> HostEvent {
    HostEvent::new(org, "auth.login", outcome)
}

#[track_caller]
fn expect_denied(result: Result<Grant, Refusal>) -> (Denial, Option<EventId>) {
    match result {
        Err(Refusal::Denied { denial, event }) => (denial, event),
        Err(other) => panic!("expected a denial, got {other:?}"),
        Ok(grant) => {
            std::mem::forget(grant);
            panic!("expected a denial, got a grant")
        }
    }
}

#[track_caller]
fn expect_audit_refusal(result: Result<Grant, Refusal>) -> AuditError {
    match result {
        Err(Refusal::Audit(e)) => e,
        Err(other) => panic!("expected Refusal::Audit, got {other:?}"),
        Ok(grant) => {
            std::mem::forget(grant);
            panic!("expected Refusal::Audit, got a grant")
        }
    }
}

fn is_forbidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// No text field of `event` holds a control or line-breaking character.
#[track_caller]
fn assert_clean(event: &Event) {
    let mut fields = vec![event.action()];
    fields.extend(event.resource_type());
    fields.extend(event.resource_id());
    fields.extend(event.reason());
    fields.extend(event.role().map(|(_, name)| name));
    for field in fields {
        assert!(
            !field.chars().any(is_forbidden_char),
            "raw control or line break in {field:?} of {event:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// A sink that can be switched off, or made to fail a number of times.
// ---------------------------------------------------------------------------

#[derive(Debug, Default)]
struct SwitchSink {
    store: MemorySink,
    /// Every append and reserve fails while set.
    down: AtomicBool,
    /// The next this many appends or reserves fail, then the sink recovers.
    fail_next: AtomicU64,
    /// Queries fail while set.
    query_down: AtomicBool,
    /// Appends and reserves tried.
    attempts: AtomicU64,
}

impl SwitchSink {
    fn trouble(&self) -> Result<(), SinkError> {
        self.attempts.fetch_add(1, SeqCst);
        if self.down.load(SeqCst) {
            return Err(SinkError::unavailable("switched off"));
        }
        if self
            .fail_next
            .fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(SinkError::unavailable("flaky"));
        }
        Ok(())
    }

    fn set_down(&self, down: bool) {
        self.down.store(down, SeqCst);
    }
}

impl AuditSink for SwitchSink {
    fn append(&self, event: NewEvent, reserved: bool) -> Result<EventId, SinkError> {
        self.trouble()?;
        self.store.append(event, reserved)
    }

    fn reserve(&self) -> Result<(), SinkError> {
        self.trouble()?;
        self.store.reserve()
    }

    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError> {
        if self.query_down.load(SeqCst) {
            return Err(SinkError::other("query switched off"));
        }
        self.store.query(query)
    }
}

/// The same sink without `reserve`: the trait's default, which has nothing
/// to reserve and always succeeds.
#[derive(Debug)]
struct NoReserve(Arc<SwitchSink>);

impl AuditSink for NoReserve {
    fn append(&self, event: NewEvent, reserved: bool) -> Result<EventId, SinkError> {
        self.0.append(event, reserved)
    }

    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError> {
        self.0.query(query)
    }
}

// ---------------------------------------------------------------------------
// Event fields of a check
// ---------------------------------------------------------------------------

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
    assert!(
        all(&w.engine).is_empty(),
        "nothing until the grant completes"
    );
    w.clock.advance(250);
    let id = grant.success().unwrap();

    let events = all(&w.engine);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.id(), id);
    assert_eq!(e.at(), w.at(1_250), "timestamped when completed");
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
    let viewer = w.subject(VIEWER);
    let execute = w.action("execute");
    let wf = w.workflow(7);
    let explanation = w.engine.explain(&viewer, execute, &wf);
    let text = explanation
        .display(w.engine.snapshot().policy())
        .to_string();
    assert!(!explanation.is_allowed());

    let (denial, event) = expect_denied(w.engine.authorize(&viewer, execute, &wf));
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
    let (_, event) = expect_denied(w.engine.authorize(&w.subject(RUNNER), execute, &elsewhere));
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

// ---------------------------------------------------------------------------
// authorize and grants
// ---------------------------------------------------------------------------

#[test]
fn can_explain_and_snapshots_never_record() {
    let w = world(AuditLog::in_memory());
    let runner = w.subject(RUNNER);
    let viewer = w.subject(VIEWER);
    let execute = w.action("execute");
    let wf = w.workflow(1);
    for _ in 0..100 {
        assert!(w.engine.can(&runner, execute, &wf));
        assert!(!w.engine.can(&viewer, execute, &wf));
        assert!(w.engine.can_user(RUNNER, execute, &wf));
        assert!(!w.engine.can_user(VIEWER, execute, &wf));
        let snapshot = w.engine.snapshot();
        assert!(snapshot.can(&runner, execute, &wf));
        assert!(!snapshot.can_user(VIEWER, execute, &wf));
        assert!(!w.engine.explain(&viewer, execute, &wf).is_allowed());
        assert!(snapshot.explain(&runner, execute, &wf).is_allowed());
    }
    assert!(all(&w.engine).is_empty());
    assert_eq!(w.engine.audit().dropped(), 0);
}

#[test]
fn grants_record_success_failure_and_forgotten_grants_at_completion_time() {
    let w = world(AuditLog::in_memory());
    w.clock.set(w.at(10));
    let ok = w.run(1).unwrap();
    let failed = w.run(2).unwrap();
    let forgotten = w.run(3).unwrap();
    let elsewhere = w.run(4).unwrap();
    assert!(
        all(&w.engine).is_empty(),
        "allowed checks wait for the outcome"
    );

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
    // Newest first, in completion order.
    let got: Vec<(&str, Outcome, i64, Option<&str>)> = events
        .iter()
        .map(|e| {
            (
                e.resource_id().unwrap(),
                e.outcome(),
                e.at().unix_millis() - T0,
                e.reason(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("4", Outcome::Failure, 50, Some(DROPPED_REASON)),
            ("1", Outcome::Success, 40, None),
            ("3", Outcome::Failure, 30, Some(DROPPED_REASON)),
            ("2", Outcome::Failure, 20, Some("upstream returned 502")),
        ]
    );
    assert_eq!(events[1].id(), ok_id);
    assert_eq!(events[3].id(), failed_id);
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
    let suspended = w.subject(RUNNER).with_status(Status::Suspended);
    let (denial, event) = expect_denied(w.engine.authorize(
        &suspended,
        w.action("execute"),
        &w.workflow(9),
    ));
    assert_eq!(
        denial,
        Denial::Inactive {
            status: Status::Suspended
        }
    );
    let e = &all(&w.engine)[0];
    assert_eq!(Some(e.id()), event);
    assert_eq!(e.outcome(), Outcome::Denied);
    assert!(e.reason().unwrap().contains("suspended"), "{e:?}");
}

// ---------------------------------------------------------------------------
// Exactly one event per gated call, under threads
// ---------------------------------------------------------------------------

#[test]
fn exactly_one_event_per_gated_call_under_threads() {
    const THREADS: u64 = 4;
    const CALLS: u64 = 500;
    const ADMIN_CALLS: u64 = 60;
    const LOGINS: u64 = 100;
    let w = world(AuditLog::in_memory());
    let barrier = Barrier::new(THREADS as usize + 2);
    let stop = AtomicBool::new(false);
    let (w, barrier, stop) = (&w, &barrier, &stop);

    thread::scope(|s| {
        let mut writers = Vec::new();
        for t in 0..THREADS {
            writers.push(s.spawn(move || {
                let runner = w.subject(RUNNER);
                let viewer = w.subject(VIEWER);
                let execute = w.action("execute");
                barrier.wait();
                for i in 0..CALLS {
                    let wf = w.workflow(t * 10_000 + i);
                    // `can` in between: never recorded.
                    assert!(w.engine.can(&runner, execute, &wf));
                    assert!(!w.engine.can(&viewer, execute, &wf));
                    w.clock.advance(1);
                    match (t + i) % 4 {
                        0 => {
                            w.engine
                                .authorize(&runner, execute, &wf)
                                .unwrap()
                                .success()
                                .unwrap();
                        }
                        1 => {
                            w.engine
                                .authorize(&runner, execute, &wf)
                                .unwrap()
                                .failure("worker crashed")
                                .unwrap();
                        }
                        2 => drop(w.engine.authorize(&runner, execute, &wf).unwrap()),
                        _ => {
                            let (_, event) =
                                expect_denied(w.engine.authorize(&viewer, execute, &wf));
                            assert!(event.is_some());
                        }
                    }
                }
            }));
        }
        // Administrative calls and host events meanwhile.
        writers.push(s.spawn(move || {
            barrier.wait();
            for j in 0..ADMIN_CALLS {
                match j % 3 {
                    0 => {
                        w.engine
                            .admin(ADMIN)
                            .create_team(ACME, &format!("Team {j}"))
                            .unwrap();
                    }
                    1 => {
                        let err = w.engine.admin(DEV).create_team(ACME, "Nope").unwrap_err();
                        assert!(matches!(err, AdminError::Denied(_)), "{err:?}");
                    }
                    _ => {
                        let err = w
                            .engine
                            .admin(ADMIN)
                            .create_team(ACME, "Platform")
                            .unwrap_err();
                        assert!(
                            matches!(err, AdminError::DuplicateTeamName { .. }),
                            "{err:?}"
                        );
                    }
                }
            }
            for _ in 0..LOGINS {
                w.engine
                    .audit()
                    .record(login(GLOBEX, Outcome::Success).user(G_ADMIN))
                    .unwrap()
                    .unwrap();
            }
        }));
        // A reader querying all along: never blocks the writers for long,
        // never sees an event twice.
        s.spawn(move || {
            barrier.wait();
            while !stop.load(SeqCst) {
                let page = w
                    .engine
                    .audit()
                    .query(&AuditQuery::new().outcome(Outcome::Denied).limit(50))
                    .unwrap();
                assert!(page.events.windows(2).all(|p| p[0].id() > p[1].id()));
                thread::yield_now();
            }
        });
        // Stop the reader once the writers are done.
        let results: Vec<_> = writers.into_iter().map(|h| h.join()).collect();
        stop.store(true, SeqCst);
        for r in results {
            if let Err(panic) = r {
                std::panic::resume_unwind(panic);
            }
        }
    });

    let events = all(&w.engine);
    let total = THREADS * CALLS + ADMIN_CALLS + LOGINS;
    assert_eq!(
        events.len() as u64,
        total,
        "one event per call, no more, no less"
    );
    // Ids are unique, dense and newest first.
    let got = ids(&events);
    let want: Vec<u64> = (1..=total).rev().collect();
    assert_eq!(got, want);
    assert_eq!(w.engine.audit().dropped(), 0);

    // Every check appears exactly once, with the outcome its call chose.
    let checks: Vec<&Event> = events
        .iter()
        .filter(|e| e.action() == "workflows.execute")
        .collect();
    assert_eq!(checks.len() as u64, THREADS * CALLS);
    let mut seen = BTreeMap::new();
    for e in &checks {
        let id: u64 = e.resource_id().unwrap().parse().unwrap();
        assert!(
            seen.insert(id, e.outcome()).is_none(),
            "workflow {id} twice"
        );
        let (t, i) = (id / 10_000, id % 10_000);
        let (want, user, reason) = match (t + i) % 4 {
            0 => (Outcome::Success, RUNNER, None),
            1 => (Outcome::Failure, RUNNER, Some("worker crashed")),
            2 => (Outcome::Failure, RUNNER, Some(DROPPED_REASON)),
            _ => (Outcome::Denied, VIEWER, e.reason()),
        };
        assert_eq!(
            (e.outcome(), e.user(), e.reason()),
            (want, Some(user), reason),
            "workflow {id}"
        );
    }
    let expected: BTreeSet<u64> = (0..THREADS)
        .flat_map(|t| (0..CALLS).map(move |i| t * 10_000 + i))
        .collect();
    assert_eq!(seen.keys().copied().collect::<BTreeSet<_>>(), expected);

    // The counts per outcome, through the query as well.
    let count = |q: AuditQuery| query(&w.engine, &q.limit(usize::MAX)).len() as u64;
    let checks = || AuditQuery::new().action("workflows.execute");
    assert_eq!(count(checks().outcome(Outcome::Success)), 500);
    assert_eq!(count(checks().outcome(Outcome::Failure)), 1_000);
    assert_eq!(count(checks().outcome(Outcome::Denied)), 500);
    assert_eq!(
        events
            .iter()
            .filter(|e| e.reason() == Some(DROPPED_REASON))
            .count(),
        500
    );
    let teams = || AuditQuery::new().action("team.create");
    assert_eq!(count(teams().outcome(Outcome::Success)), 20);
    assert_eq!(count(teams().outcome(Outcome::Denied)), 20);
    assert_eq!(count(teams().outcome(Outcome::Failure)), 20);
    assert_eq!(count(AuditQuery::new().action("auth.login")), LOGINS);
    assert_eq!(w.engine.snapshot().teams(ACME).len(), 21);
}

// ---------------------------------------------------------------------------
// Filters, order and paging
// ---------------------------------------------------------------------------

/// What the test expects of one event, kept independently of the log.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: EventId,
    at: Timestamp,
    org: OrgId,
    user: Option<UserId>,
    action: &'static str,
    rtype: Option<&'static str>,
    outcome: Outcome,
}

/// 96 events of two organizations, four users, four actions, five resource
/// types and three outcomes; two events share each timestamp.
fn mixed_history(w: &World) -> Vec<Row> {
    let mut rows = Vec::new();
    let log = w.engine.audit();
    for i in 0..96u64 {
        let at = w.at(i64::try_from(i / 2).unwrap() * 10);
        w.clock.set(at);
        let row = |id, org, user, action, rtype, outcome| Row {
            id,
            at,
            org,
            user,
            action,
            rtype,
            outcome,
        };
        rows.push(match i % 8 {
            0 => {
                let id = w.run(i).unwrap().success().unwrap();
                row(
                    id,
                    ACME,
                    Some(RUNNER),
                    "workflows.execute",
                    Some("workflows"),
                    Outcome::Success,
                )
            }
            1 => {
                let (_, id) = expect_denied(w.view_run(i));
                row(
                    id.unwrap(),
                    ACME,
                    Some(VIEWER),
                    "workflows.execute",
                    Some("workflows"),
                    Outcome::Denied,
                )
            }
            2 => {
                let agent = w.resource("agents", i, ACME);
                let id = w
                    .engine
                    .authorize(&w.subject(DEV), w.action("read"), &agent)
                    .unwrap()
                    .failure("timeout")
                    .unwrap();
                row(
                    id,
                    ACME,
                    Some(DEV),
                    "agents.read",
                    Some("agents"),
                    Outcome::Failure,
                )
            }
            3 => {
                let id = log
                    .record(login(ACME, Outcome::Success).user(DEV))
                    .unwrap()
                    .unwrap();
                row(id, ACME, Some(DEV), "auth.login", None, Outcome::Success)
            }
            4 => {
                let id = log
                    .record(
                        login(ACME, Outcome::Failure)
                            .user(VIEWER)
                            .reason("bad password"),
                    )
                    .unwrap()
                    .unwrap();
                row(id, ACME, Some(VIEWER), "auth.login", None, Outcome::Failure)
            }
            5 => {
                let id = log
                    .record(
                        HostEvent::new(GLOBEX, "credential.token_refresh", Outcome::Success)
                            .user(G_ADMIN)
                            .resource("credential", &format!("tok_{i}")),
                    )
                    .unwrap()
                    .unwrap();
                row(
                    id,
                    GLOBEX,
                    Some(G_ADMIN),
                    "credential.token_refresh",
                    Some("credential"),
                    Outcome::Success,
                )
            }
            6 => {
                let tool = w.resource("tools", i, GLOBEX);
                let id = w
                    .engine
                    .authorize(&w.subject(G_ADMIN), w.action("execute"), &tool)
                    .unwrap()
                    .success()
                    .unwrap();
                row(
                    id,
                    GLOBEX,
                    Some(G_ADMIN),
                    "tools.execute",
                    Some("tools"),
                    Outcome::Success,
                )
            }
            _ => {
                let id = log
                    .record(login(GLOBEX, Outcome::Denied).reason("blocked address"))
                    .unwrap()
                    .unwrap();
                row(id, GLOBEX, None, "auth.login", None, Outcome::Denied)
            }
        });
    }
    rows.reverse();
    rows
}

#[derive(Clone, Debug, Default)]
struct Filter {
    org: Option<OrgId>,
    user: Option<UserId>,
    action: Option<&'static str>,
    rtype: Option<&'static str>,
    outcome: Option<Outcome>,
    range: Option<(Timestamp, Timestamp)>,
}

impl Filter {
    fn query(&self) -> AuditQuery {
        let mut q = AuditQuery::new().limit(usize::MAX);
        if let Some(o) = self.org {
            q = q.organization(o);
        }
        if let Some(u) = self.user {
            q = q.user(u);
        }
        if let Some(a) = self.action {
            q = q.action(a);
        }
        if let Some(t) = self.rtype {
            q = q.resource_type(t);
        }
        if let Some(o) = self.outcome {
            q = q.outcome(o);
        }
        if let Some((from, until)) = self.range {
            q = q.between(from, until);
        }
        q
    }

    fn keeps(&self, row: &Row) -> bool {
        self.org.is_none_or(|o| row.org == o)
            && self.user.is_none_or(|u| row.user == Some(u))
            && self.action.is_none_or(|a| row.action == a)
            && self.rtype.is_none_or(|t| row.rtype == Some(t))
            && self.outcome.is_none_or(|o| row.outcome == o)
            && self
                .range
                .is_none_or(|(from, until)| from <= row.at && row.at < until)
    }
}

#[test]
fn the_log_lists_every_event_newest_first_as_recorded() {
    let w = world(AuditLog::in_memory());
    let rows = mixed_history(&w);
    let events = all(&w.engine);
    assert_eq!(events.len(), rows.len());
    for (e, row) in events.iter().zip(&rows) {
        assert_eq!(e.id(), row.id);
        assert_eq!(e.at(), row.at);
        assert_eq!(e.organization(), Some(row.org));
        assert_eq!(e.user(), row.user);
        assert_eq!(e.action(), row.action);
        assert_eq!(e.resource_type(), row.rtype);
        assert_eq!(e.outcome(), row.outcome);
    }
    assert!(events.windows(2).all(|p| p[0].id() > p[1].id()));
    assert!(events.windows(2).all(|p| p[0].at() >= p[1].at()));
}

#[test]
fn every_filter_alone_and_combined() {
    let w = world(AuditLog::in_memory());
    let rows = mixed_history(&w);
    let orgs = [ACME, GLOBEX];
    let users = [DEV, VIEWER, G_ADMIN, RUNNER, UserId::new(999)];
    let actions = [
        "auth.login",
        "workflows.execute",
        "credential.token_refresh",
        "agents.read",
        "tools.execute",
        "role.create",
    ];
    let rtypes = ["workflows", "credential", "agents", "tools", "role"];
    let outcomes = [Outcome::Success, Outcome::Failure, Outcome::Denied];
    let ranges = [
        (w.at(100), w.at(250)),
        (w.at(0), w.at(10)),
        (w.at(470), w.at(480)),
        (w.at(200), w.at(200)),
        (w.at(-1_000), w.at(1_000)),
        (w.at(300), w.at(100)),
    ];

    // Rows with a user and a resource type, to take matching values from.
    let full_rows: Vec<&Row> = rows
        .iter()
        .filter(|r| r.user.is_some() && r.rtype.is_some())
        .collect();
    let mut checked = 0;
    let mut non_empty = 0;
    for mask in 0u32..64 {
        let on = |bit: u32| mask & (1 << bit) != 0;
        for v in 0..12usize {
            let f = if v < 6 {
                // Values from the lists: many combinations select nothing.
                Filter {
                    org: on(0).then(|| orgs[v % orgs.len()]),
                    user: on(1).then(|| users[v % users.len()]),
                    action: on(2).then(|| actions[v % actions.len()]),
                    rtype: on(3).then(|| rtypes[v % rtypes.len()]),
                    outcome: on(4).then(|| outcomes[v % outcomes.len()]),
                    range: on(5).then(|| ranges[v % ranges.len()]),
                }
            } else {
                // Values from one event: every combination selects it.
                let r = full_rows[(v * 13 + mask as usize) % full_rows.len()];
                let f = Filter {
                    org: on(0).then_some(r.org),
                    user: on(1).then_some(r.user.unwrap()),
                    action: on(2).then_some(r.action),
                    rtype: on(3).then_some(r.rtype.unwrap()),
                    outcome: on(4).then_some(r.outcome),
                    range: on(5)
                        .then(|| (r.at, Timestamp::from_unix_millis(r.at.unix_millis() + 30))),
                };
                assert!(f.keeps(r));
                f
            };
            let got = query(&w.engine, &f.query());
            let want: Vec<EventId> = rows.iter().filter(|r| f.keeps(r)).map(|r| r.id).collect();
            assert_eq!(got.iter().map(Event::id).collect::<Vec<_>>(), want, "{f:?}");
            // The same through small pages.
            let mut paged = Vec::new();
            let mut q = f.query().limit(4);
            loop {
                let page = w.engine.audit().query(&q).unwrap();
                paged.extend(page.events.iter().map(Event::id));
                match page.next {
                    Some(cursor) => q = f.query().limit(4).after(cursor),
                    None => break,
                }
            }
            assert_eq!(paged, want, "paged {f:?}");
            if v >= 6 {
                assert!(!want.is_empty(), "{f:?}");
            }
            checked += 1;
            non_empty += usize::from(!want.is_empty());
        }
    }
    assert_eq!(checked, 768);
    assert!(non_empty > 384, "the filters select something: {non_empty}");

    // Each filter alone selects some events, not all.
    let alone = [
        Filter {
            org: Some(GLOBEX),
            ..Filter::default()
        },
        Filter {
            user: Some(DEV),
            ..Filter::default()
        },
        Filter {
            action: Some("auth.login"),
            ..Filter::default()
        },
        Filter {
            rtype: Some("workflows"),
            ..Filter::default()
        },
        Filter {
            outcome: Some(Outcome::Denied),
            ..Filter::default()
        },
        Filter {
            range: Some(ranges[0]),
            ..Filter::default()
        },
    ];
    for f in &alone {
        let n = query(&w.engine, &f.query()).len();
        assert!(n > 0 && n < rows.len(), "{f:?}: {n}");
        assert_eq!(n, rows.iter().filter(|r| f.keeps(r)).count(), "{f:?}");
    }

    // Combined: Globex's denied logins with no user, in the last 100 ms.
    let got = query(
        &w.engine,
        &AuditQuery::new()
            .organization(GLOBEX)
            .action("auth.login")
            .outcome(Outcome::Denied)
            .between(w.at(380), w.at(480)),
    );
    assert_eq!(got.len(), 3);
    assert!(
        got.iter()
            .all(|e| e.user().is_none() && e.at() >= w.at(380))
    );
}

#[test]
fn the_time_range_includes_from_and_excludes_until() {
    let w = world(AuditLog::in_memory());
    let log = w.engine.audit();
    for ms in [0, 99, 100, 101, 199, 200, 201] {
        w.clock.set(w.at(ms));
        log.record(login(ACME, Outcome::Success)).unwrap().unwrap();
    }
    let at = |q: AuditQuery| -> Vec<i64> {
        query(&w.engine, &q)
            .iter()
            .map(|e| e.at().unix_millis() - T0)
            .collect()
    };
    assert_eq!(
        at(AuditQuery::new().between(w.at(100), w.at(200))),
        [199, 101, 100]
    );
    assert_eq!(at(AuditQuery::new().between(w.at(100), w.at(101))), [100]);
    assert!(at(AuditQuery::new().between(w.at(100), w.at(100))).is_empty());
    assert_eq!(
        at(AuditQuery::new().between(Timestamp::EPOCH, w.at(1_000))).len(),
        7
    );
}

#[test]
fn paging_neither_repeats_nor_skips_while_events_arrive() {
    let w = world(AuditLog::in_memory());
    let log = w.engine.audit();
    for i in 0..300u64 {
        let outcome = [Outcome::Success, Outcome::Failure, Outcome::Denied][(i % 3) as usize];
        log.record(login(ACME, outcome).user(DEV)).unwrap().unwrap();
        if i.is_multiple_of(10) {
            w.run(i).unwrap().success().unwrap();
        }
    }
    let appended = AtomicU64::new(0);
    let stop = AtomicBool::new(false);

    for (filter, limit) in [
        (AuditQuery::new(), 7),
        (AuditQuery::new().outcome(Outcome::Success), 5),
        (AuditQuery::new().action("workflows.execute"), 3),
        (AuditQuery::new().user(DEV).outcome(Outcome::Denied), 1),
    ] {
        stop.store(false, SeqCst);
        thread::scope(|s| {
            // Appends logins, checks and admin calls until told to stop.
            s.spawn(|| {
                let mut n = 0u64;
                while !stop.load(SeqCst) {
                    let outcome = [Outcome::Success, Outcome::Denied][(n % 2) as usize];
                    log.record(login(ACME, outcome).user(DEV)).unwrap().unwrap();
                    if n.is_multiple_of(5) {
                        w.run(100_000 + n).unwrap().success().unwrap();
                    }
                    n += 1;
                    appended.fetch_add(1, SeqCst);
                    thread::sleep(Duration::from_micros(20));
                }
            });

            let existing: Vec<Event> = query(&w.engine, &filter.clone().limit(usize::MAX));
            let mut pages = Vec::new();
            let mut q = filter.clone().limit(limit);
            loop {
                // Let new events arrive between every two pages.
                let seen = appended.load(SeqCst);
                while appended.load(SeqCst) == seen {
                    thread::yield_now();
                }
                let page = log.query(&q).unwrap();
                assert!(page.events.len() <= limit);
                pages.extend(page.events);
                match page.next {
                    Some(cursor) => q = filter.clone().limit(limit).after(cursor),
                    None => break,
                }
            }
            stop.store(true, SeqCst);

            // No repeat: strictly decreasing ids.
            assert!(
                pages.windows(2).all(|p| p[0].id() > p[1].id()),
                "{filter:?}"
            );
            // Everything that existed when paging started is there...
            let paged: BTreeSet<EventId> = pages.iter().map(Event::id).collect();
            let before: BTreeSet<EventId> = existing.iter().map(Event::id).collect();
            assert!(before.is_subset(&paged), "{filter:?}: skipped events");
            // ... and nothing else but matching events newer than all of them.
            let newest_before = before.last().copied().unwrap();
            assert!(
                paged.difference(&before).all(|id| *id > newest_before),
                "{filter:?}"
            );
            // Compared with the log after the fact: exactly the matching
            // events up to the first page's newest.
            let top = pages[0].id();
            let now: Vec<EventId> = query(&w.engine, &filter.clone().limit(usize::MAX))
                .iter()
                .map(Event::id)
                .filter(|id| *id <= top)
                .collect();
            assert_eq!(
                pages.iter().map(Event::id).collect::<Vec<_>>(),
                now,
                "{filter:?}"
            );
            assert!(pages.iter().all(|e| filter.matches(e)));
        });
    }
    assert!(appended.load(SeqCst) > 0);
    assert_eq!(log.dropped(), 0);
}

#[test]
fn cursors_stay_valid_across_drains() {
    let sink = Arc::new(MemorySink::new());
    let w = world(AuditLog::new(Arc::clone(&sink)));
    for _ in 0..10 {
        w.engine
            .audit()
            .record(login(ACME, Outcome::Success))
            .unwrap();
    }
    let page = w.engine.audit().query(&AuditQuery::new().limit(4)).unwrap();
    assert_eq!(ids(&page.events), [10, 9, 8, 7]);
    let cursor = page.next.unwrap();
    // The oldest three are shipped elsewhere.
    let shipped = sink.drain(3);
    assert_eq!(ids(&shipped), [1, 2, 3]);
    w.engine
        .audit()
        .record(login(ACME, Outcome::Success))
        .unwrap();
    let page = w
        .engine
        .audit()
        .query(&AuditQuery::new().limit(4).after(cursor))
        .unwrap();
    assert_eq!(ids(&page.events), [6, 5, 4]);
    assert!(page.next.is_none());
    assert_eq!(ids(&all(&w.engine)), [11, 10, 9, 8, 7, 6, 5, 4]);
    assert_eq!(sink.len(), 8);
}

// ---------------------------------------------------------------------------
// Host events, names and text
// ---------------------------------------------------------------------------

#[test]
fn host_events_are_recorded_through_the_same_log() {
    let w = world(AuditLog::in_memory());
    let log = w.engine.audit();
    w.clock.set(w.at(5));
    let a = log
        .record(login(ACME, Outcome::Success).user(DEV))
        .unwrap()
        .unwrap();
    w.clock.set(w.at(6));
    let b = log
        .record(
            HostEvent::new(GLOBEX, "credential.token_refresh", Outcome::Failure)
                .user(G_ADMIN)
                .resource("credential", "tok_81")
                .reason("refresh token expired"),
        )
        .unwrap()
        .unwrap();
    w.clock.set(w.at(7));
    let c = log
        .record(login(ACME, Outcome::Denied).reason("locked"))
        .unwrap()
        .unwrap();

    let events = all(&w.engine);
    assert_eq!(ids(&events), [c.get(), b.get(), a.get()]);
    let (c, b, a) = (&events[0], &events[1], &events[2]);

    assert_eq!(a.action(), "auth.login");
    assert_eq!(a.at(), w.at(5));
    assert_eq!(a.organization(), Some(ACME));
    assert_eq!(a.actor(), Actor::User(DEV));
    assert_eq!(a.role(), None, "a host event names no role");
    assert_eq!((a.resource_type(), a.resource_id()), (None, None));
    assert_eq!((a.outcome(), a.reason()), (Outcome::Success, None));

    assert_eq!(b.action(), "credential.token_refresh");
    assert_eq!(b.at(), w.at(6));
    assert_eq!(b.organization(), Some(GLOBEX));
    assert_eq!(b.user(), Some(G_ADMIN));
    assert_eq!(b.resource_type(), Some("credential"));
    assert_eq!(b.resource_id(), Some("tok_81"));
    assert_eq!(b.outcome(), Outcome::Failure);
    assert_eq!(b.reason(), Some("refresh token expired"));

    assert_eq!(c.actor(), Actor::System);
    assert_eq!(c.user(), None);
    assert_eq!((c.outcome(), c.reason()), (Outcome::Denied, Some("locked")));

    let q = AuditQuery::new().action("credential.token_refresh");
    assert_eq!(query(&w.engine, &q).len(), 1);
    let q = AuditQuery::new().resource_type("credential").user(G_ADMIN);
    assert_eq!(query(&w.engine, &q).len(), 1);
}

#[test]
fn malformed_action_and_resource_type_names_are_refused_with_typed_errors() {
    let w = world(AuditLog::in_memory());
    let log = w.engine.audit();
    let long = "a".repeat(65);
    for bad in [
        "",
        "Auth.Login",
        "auth..login",
        ".auth",
        "auth.",
        "auth login",
        "auth-login",
        "auth.login\n",
        "auth.login\nauth.logout",
        "auth.lögin",
        long.as_str(),
    ] {
        let err = log
            .record(HostEvent::new(ACME, bad, Outcome::Success))
            .unwrap_err();
        match &err {
            AuditError::InvalidAction { name } => {
                assert!(!name.chars().any(is_forbidden_char), "{name:?}");
            }
            other => panic!("{bad:?}: expected InvalidAction, got {other:?}"),
        }
        assert!(!err.to_string().contains('\n'));
    }
    assert!(
        log.record(HostEvent::new(ACME, &"a".repeat(64), Outcome::Success))
            .is_ok()
    );
    assert!(
        log.record(HostEvent::new(ACME, "v2.sync_3", Outcome::Success))
            .is_ok()
    );
    match log.record(HostEvent::new(ACME, "auth.login\nx", Outcome::Success)) {
        Err(AuditError::InvalidAction { name }) => assert_eq!(name, "auth.login\\nx"),
        other => panic!("{other:?}"),
    }

    for bad in [
        "",
        "Credential",
        "cred.token",
        "cred token",
        "cred\ntoken",
        "cred-token",
    ] {
        let err = log
            .record(login(ACME, Outcome::Success).resource(bad, "1"))
            .unwrap_err();
        match &err {
            AuditError::InvalidResourceType { name } => {
                assert!(!name.chars().any(is_forbidden_char), "{name:?}");
            }
            other => panic!("{bad:?}: expected InvalidResourceType, got {other:?}"),
        }
    }
    // Only the well-formed events were recorded.
    let events = all(&w.engine);
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.resource_type().is_none()));
    assert_eq!(log.dropped(), 0);
}

#[test]
fn forged_text_cannot_start_another_event_or_line() {
    let w = world(AuditLog::in_memory());
    let log = w.engine.audit();
    let forgeries = [
        (
            "bad password\nid=99 outcome=success",
            "bad password\\nid=99 outcome=success",
        ),
        ("a\r\nb", "a\\r\\nb"),
        ("line\u{2028}sep", "line\\u{2028}sep"),
        ("para\u{2029}sep", "para\\u{2029}sep"),
        ("nel\u{85}x", "nel\\u{85}x"),
        ("\u{1b}[31mred\u{1b}[0m", "\\u{1b}[31mred\\u{1b}[0m"),
        ("nul\0byte", "nul\\u{0}byte"),
        ("tab\there", "tab\\there"),
        ("ok: ünïcødé ✓", "ok: ünïcødé ✓"),
    ];
    for (raw, cleaned) in forgeries {
        let id = log
            .record(
                login(ACME, Outcome::Failure)
                    .user(DEV)
                    .resource("session", raw)
                    .reason(raw),
            )
            .unwrap()
            .unwrap();
        let e = all(&w.engine).into_iter().find(|e| e.id() == id).unwrap();
        assert_eq!(e.reason(), Some(cleaned), "{raw:?}");
        assert_eq!(e.resource_id(), Some(cleaned), "{raw:?}");
        assert_clean(&e);
        // Its debug and display forms hold no raw line break either.
        assert!(!format!("{e:?}").contains('\n'));
    }

    // Very long text is capped.
    let long = "x".repeat(10_000);
    let id = log
        .record(
            login(ACME, Outcome::Failure)
                .reason(&long)
                .resource("session", &long),
        )
        .unwrap()
        .unwrap();
    let e = all(&w.engine).into_iter().find(|e| e.id() == id).unwrap();
    let reason = e.reason().unwrap();
    assert_eq!(
        reason.chars().count(),
        513,
        "512 characters and an ellipsis"
    );
    assert!(reason.ends_with('…'));
    assert!(e.resource_id().unwrap().chars().count() <= 513);
    // Escapes cannot blow the cap up without bound.
    let escapes = "\u{1b}".repeat(10_000);
    let id = log
        .record(login(ACME, Outcome::Failure).reason(&escapes))
        .unwrap()
        .unwrap();
    let e = all(&w.engine).into_iter().find(|e| e.id() == id).unwrap();
    assert!(
        e.reason().unwrap().len() < 4_200,
        "{}",
        e.reason().unwrap().len()
    );
    assert_clean(&e);

    // A grant's failure reason is cleaned too.
    let id = w
        .run(1)
        .unwrap()
        .failure("exit 1\nworkflows.execute success")
        .unwrap();
    let e = all(&w.engine).into_iter().find(|e| e.id() == id).unwrap();
    assert_eq!(e.reason(), Some("exit 1\\nworkflows.execute success"));

    // A role name may hold a line separator (it is not a control
    // character): the events carry it escaped, in the role and the reason.
    let sneaky = w
        .engine
        .admin(ADMIN)
        .create_role(ACME, "Ops\u{2028}Lead", vec![])
        .unwrap()
        .id;
    w.engine.admin(ADMIN).assign_role(VIEWER, sneaky).unwrap();
    let (_, event) = expect_denied(w.view_run(2));
    let e = all(&w.engine)
        .into_iter()
        .find(|e| Some(e.id()) == event)
        .unwrap();
    assert_eq!(e.role(), Some((sneaky, "Ops\\u{2028}Lead")));
    assert_clean(&e);

    // Names refused by the engine are recorded with a clean reason.
    let err = w
        .engine
        .admin(ADMIN)
        .create_role(ACME, "Evil\nrole.delete success", vec![])
        .unwrap_err();
    assert!(matches!(err, AdminError::InvalidRole(_)), "{err:?}");
    w.engine
        .admin(ADMIN)
        .create_team(ACME, "Ops\u{2028}Lead")
        .unwrap();
    let dup = w
        .engine
        .admin(ADMIN)
        .create_team(ACME, "Ops\u{2028}Lead")
        .unwrap_err();
    assert!(
        matches!(dup, AdminError::DuplicateTeamName { .. }),
        "{dup:?}"
    );
    for e in all(&w.engine) {
        assert_clean(&e);
    }
    assert!(
        all(&w.engine)
            .iter()
            .any(|e| e.reason().is_some_and(|r| r.contains("\\u{2028}")))
    );

    // Sink error messages are cleaned as well.
    let err = SinkError::other("disk\nfull");
    assert!(!err.to_string().contains('\n'), "{err}");
}

// ---------------------------------------------------------------------------
// Failing sinks and policies
// ---------------------------------------------------------------------------

#[test]
fn refuse_policy_refuses_unrecordable_actions_and_counts_refusals_it_cannot_record() {
    let sink = Arc::new(SwitchSink::default());
    let w = world(AuditLog::new(Arc::clone(&sink)));
    assert_eq!(w.engine.audit().policy(), OnSinkFailure::Refuse);
    let log = w.engine.audit();
    let version = w.version();

    sink.set_down(true);
    // An allowed check cannot be promised a record: refused.
    match expect_audit_refusal(w.run(1)) {
        AuditError::Sink(e) => assert_eq!(e.kind(), SinkErrorKind::Unavailable),
        other => panic!("{other:?}"),
    }
    assert_eq!(log.dropped(), 0, "refused, not lost");

    // An administrative call is refused and changes nothing.
    let err = w
        .engine
        .admin(ADMIN)
        .create_team(ACME, "Refused")
        .unwrap_err();
    assert!(
        matches!(err, AdminError::Audit(AuditError::Sink(_))),
        "{err:?}"
    );
    let err = w
        .engine
        .admin(ADMIN)
        .rename_role(w.runner_role, "Renamed")
        .unwrap_err();
    assert!(
        matches!(err, AdminError::Audit(AuditError::Sink(_))),
        "{err:?}"
    );
    let err = w.engine.bootstrap().create_team(ACME, "Boot").unwrap_err();
    assert!(
        matches!(err, AdminError::Audit(AuditError::Sink(_))),
        "{err:?}"
    );
    assert_eq!(w.version(), version);
    assert_eq!(w.engine.snapshot().teams(ACME).len(), 1);
    assert_eq!(log.dropped(), 0);

    // A host event is refused with an error.
    let err = log.record(login(ACME, Outcome::Success)).unwrap_err();
    assert!(matches!(err, AuditError::Sink(_)), "{err:?}");
    assert_eq!(log.dropped(), 0);

    // Calls refused anyway are refused as before, their lost record counted.
    let (_, event) = expect_denied(w.view_run(2));
    assert_eq!(event, None);
    assert_eq!(log.dropped(), 1);
    let err = w
        .engine
        .admin(DEV)
        .create_role(ACME, "X", vec![])
        .unwrap_err();
    assert!(matches!(err, AdminError::Denied(_)), "{err:?}");
    assert_eq!(log.dropped(), 2);
    let err = w
        .engine
        .admin(ADMIN)
        .create_team(ACME, "Platform")
        .unwrap_err();
    assert!(
        matches!(err, AdminError::DuplicateTeamName { .. }),
        "{err:?}"
    );
    assert_eq!(log.dropped(), 3);
    assert_eq!(w.version(), version);

    // A grant taken while the sink worked, completed after it failed: the
    // work is done, so the loss is reported and counted.
    sink.set_down(false);
    let done = w.run(3).unwrap();
    let forgotten = w.run(4).unwrap();
    sink.set_down(true);
    let err = done.success().unwrap_err();
    assert!(matches!(err, AuditError::Sink(_)), "{err:?}");
    assert_eq!(log.dropped(), 4);
    drop(forgotten);
    assert_eq!(log.dropped(), 5);

    // Back up: nothing was recorded meanwhile, every loss is counted.
    sink.set_down(false);
    assert!(all(&w.engine).is_empty());
    w.run(5).unwrap().success().unwrap();
    w.engine.admin(ADMIN).create_team(ACME, "Refused").unwrap();
    assert_eq!(w.version(), version + 1);
    let events = all(&w.engine);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].action(), "team.create");
    assert_eq!(log.dropped(), 5);

    // A query the sink cannot answer is an error.
    sink.query_down.store(true, SeqCst);
    let err = log.query(&AuditQuery::new()).unwrap_err();
    assert!(matches!(err, AuditError::Query(_)), "{err:?}");
}

#[test]
fn count_policy_lets_actions_proceed_and_counts_each_lost_event() {
    let sink = Arc::new(SwitchSink::default());
    let w = world(AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Count));
    let log = w.engine.audit();
    assert_eq!(log.policy(), OnSinkFailure::Count);
    let version = w.version();

    sink.set_down(true);
    let (_, event) = expect_denied(w.view_run(1));
    assert_eq!(event, None);
    assert_eq!(log.dropped(), 1);

    let team = w.engine.admin(ADMIN).create_team(ACME, "Counted").unwrap();
    assert_eq!(w.version(), version + 1, "the change happened");
    assert!(w.engine.snapshot().team(team).is_some());
    assert_eq!(log.dropped(), 2);

    let err = w.engine.admin(DEV).create_team(ACME, "Nope").unwrap_err();
    assert!(matches!(err, AdminError::Denied(_)), "{err:?}");
    assert_eq!(log.dropped(), 3);

    assert_eq!(log.record(login(ACME, Outcome::Success)).unwrap(), None);
    assert_eq!(log.dropped(), 4);

    // An allowed check proceeds; its one lost event counts once.
    let grant = w.run(2).unwrap();
    let err = grant.success().unwrap_err();
    assert!(matches!(err, AuditError::Sink(_)), "{err:?}");
    assert_eq!(
        log.dropped(),
        5,
        "one allowed check whose single event was lost must count one"
    );

    sink.set_down(false);
    assert!(all(&w.engine).is_empty());
}

#[test]
fn count_policy_does_not_count_a_reservation_as_a_lost_event() {
    // A bounded sink, full when the check is made, with room again by the
    // time the grant completes: the event is recorded, nothing was lost.
    let sink = Arc::new(MemorySink::bounded(1));
    let w = world(AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Count));
    let log = w.engine.audit();
    log.record(login(ACME, Outcome::Success)).unwrap().unwrap();

    let grant = w.run(1).unwrap();
    assert_eq!(sink.drain(1).len(), 1);
    let id = grant.success().unwrap();
    assert_eq!(ids(&all(&w.engine)), [id.get()]);
    assert_eq!(
        log.dropped(),
        0,
        "the event was recorded: nothing was dropped"
    );
}

#[test]
fn wait_policy_rides_out_a_sink_that_recovers_in_time() {
    let sink = Arc::new(SwitchSink::default());
    let w = world(
        AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Wait(Duration::from_secs(5))),
    );
    let log = w.engine.audit();
    let version = w.version();

    sink.fail_next.store(3, SeqCst);
    let grant = w.run(1).unwrap();
    assert_eq!(
        sink.fail_next.load(SeqCst),
        0,
        "retried through the failures"
    );
    grant.success().unwrap();

    sink.fail_next.store(3, SeqCst);
    let team = w.engine.admin(ADMIN).create_team(ACME, "Patient").unwrap();
    assert_eq!(w.version(), version + 1);

    sink.fail_next.store(3, SeqCst);
    assert!(log.record(login(ACME, Outcome::Success)).unwrap().is_some());

    let events = all(&w.engine);
    assert_eq!(events.len(), 3);
    assert_eq!(events[1].action(), "team.create");
    assert_eq!(events[1].resource_id(), Some(team.to_string().as_str()));
    assert_eq!(log.dropped(), 0);

    // A bounded sink drained by another thread while the check waits.
    let bounded = Arc::new(MemorySink::bounded(1));
    let w = world(
        AuditLog::new(Arc::clone(&bounded)).on_failure(OnSinkFailure::Wait(Duration::from_secs(5))),
    );
    w.engine
        .audit()
        .record(login(ACME, Outcome::Success))
        .unwrap()
        .unwrap();
    let start = Instant::now();
    let grant = thread::scope(|s| {
        s.spawn(|| {
            thread::sleep(Duration::from_millis(30));
            bounded.drain(1)
        });
        w.run(1).unwrap()
    });
    assert!(start.elapsed() >= Duration::from_millis(25));
    grant.success().unwrap();
    assert_eq!(bounded.len(), 1);
    assert_eq!(w.engine.audit().dropped(), 0);
}

#[test]
fn wait_policy_refuses_when_the_sink_does_not_recover_in_time() {
    let limit = Duration::from_millis(40);
    let sink = Arc::new(SwitchSink::default());
    let w = world(AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Wait(limit)));
    let log = w.engine.audit();
    let version = w.version();
    sink.set_down(true);

    let start = Instant::now();
    match expect_audit_refusal(w.run(1)) {
        AuditError::TimedOut { waited, source } => {
            assert!(waited >= limit, "{waited:?}");
            assert_eq!(source.kind(), SinkErrorKind::Unavailable);
        }
        other => panic!("{other:?}"),
    }
    assert!(start.elapsed() >= limit);
    assert!(sink.attempts.load(SeqCst) > 1, "it retried");

    let err = w.engine.admin(ADMIN).create_team(ACME, "Late").unwrap_err();
    assert!(
        matches!(err, AdminError::Audit(AuditError::TimedOut { .. })),
        "{err:?}"
    );
    assert_eq!(w.version(), version);
    let err = log.record(login(ACME, Outcome::Success)).unwrap_err();
    assert!(matches!(err, AuditError::TimedOut { .. }), "{err:?}");
    assert_eq!(log.dropped(), 0);

    // A denial is refused anyway; its lost record is counted.
    let (_, event) = expect_denied(w.view_run(2));
    assert_eq!(event, None);
    assert_eq!(log.dropped(), 1);

    sink.set_down(false);
    assert!(all(&w.engine).is_empty());
}

#[test]
fn wait_policy_also_covers_grant_completions() {
    // Under Wait the host chose to ride out a sink that recovers in time.
    // A completion cannot be refused (the work is done), but it can wait:
    // a sink that fails twice and then recovers should still get the event.
    let sink = Arc::new(SwitchSink::default());
    let w = world(
        AuditLog::new(Arc::clone(&sink)).on_failure(OnSinkFailure::Wait(Duration::from_secs(5))),
    );
    let done = w.run(1).unwrap();
    let forgotten = w.run(2).unwrap();
    sink.fail_next.store(2, SeqCst);
    let recorded = done.success();
    assert!(
        recorded.is_ok(),
        "a sink that recovers within the wait should take the completion: {recorded:?}"
    );
    sink.fail_next.store(2, SeqCst);
    drop(forgotten);
    assert_eq!(w.engine.audit().dropped(), 0);
    assert_eq!(all(&w.engine).len(), 2);
}

#[test]
fn a_sink_without_reserve_reports_the_loss_at_completion() {
    // With the trait's default `reserve`, the log cannot know before the
    // work is done that the sink is down: the check is allowed, and the
    // completion reports and counts the lost event.
    let sink = Arc::new(SwitchSink::default());
    let w = world(AuditLog::new(NoReserve(Arc::clone(&sink))));
    sink.set_down(true);
    let grant = w.run(1).unwrap();
    let err = grant.success().unwrap_err();
    assert!(matches!(err, AuditError::Sink(_)), "{err:?}");
    assert_eq!(w.engine.audit().dropped(), 1);
    drop(w.run(2).unwrap());
    assert_eq!(w.engine.audit().dropped(), 2);
    sink.set_down(false);
    assert!(all(&w.engine).is_empty());
}

#[test]
fn a_bounded_sink_keeps_room_for_every_grant_it_allowed() {
    let sink = Arc::new(MemorySink::bounded(3));
    let w = world(AuditLog::new(Arc::clone(&sink)));
    let log = w.engine.audit();
    let version = w.version();

    let first = w.run(1).unwrap();
    let second = w.run(2).unwrap();
    assert!(sink.is_empty(), "reservations are not events");
    log.record(login(ACME, Outcome::Success)).unwrap().unwrap();
    // Full: one event and two reservations.
    match expect_audit_refusal(w.run(3)) {
        AuditError::Sink(e) => assert_eq!(e.kind(), SinkErrorKind::Full),
        other => panic!("{other:?}"),
    }
    let err = w.engine.admin(ADMIN).create_team(ACME, "Full").unwrap_err();
    assert!(
        matches!(err, AdminError::Audit(AuditError::Sink(_))),
        "{err:?}"
    );
    assert_eq!(w.version(), version);
    let err = log.record(login(ACME, Outcome::Success)).unwrap_err();
    assert!(
        matches!(&err, AuditError::Sink(e) if e.kind() == SinkErrorKind::Full),
        "{err:?}"
    );
    let (_, event) = expect_denied(w.view_run(4));
    assert_eq!(event, None);
    assert_eq!(log.dropped(), 1);

    // The reserved room is there for the completions.
    first.success().unwrap();
    drop(second);
    assert_eq!(sink.len(), 3);
    assert_eq!(log.dropped(), 1);
    let events = all(&w.engine);
    let got: Vec<(&str, Option<&str>, Outcome)> = events
        .iter()
        .map(|e| (e.action(), e.resource_id(), e.outcome()))
        .collect();
    assert_eq!(
        got,
        [
            ("workflows.execute", Some("2"), Outcome::Failure),
            ("workflows.execute", Some("1"), Outcome::Success),
            ("auth.login", None, Outcome::Success),
        ]
    );

    // Still full, without reservations now.
    expect_audit_refusal(w.run(5));
    // Draining makes room.
    let shipped = sink.drain(2);
    assert_eq!(ids(&shipped), [1, 2]);
    let id = w.run(6).unwrap().success().unwrap();
    assert_eq!(id.get(), 4, "ids are never reused");
    w.engine.admin(ADMIN).create_team(ACME, "Room").unwrap();
    assert_eq!(w.version(), version + 1);
    assert_eq!(ids(&all(&w.engine)), [5, 4, 3]);
    assert_eq!(log.dropped(), 1);
}

#[test]
fn bounded_sink_reservations_hold_under_threads() {
    // Many threads authorize against a small bounded sink: every grant
    // handed out gets recorded, every refusal is typed, and the events held
    // never exceed the capacity.
    const CAPACITY: usize = 64;
    let sink = Arc::new(MemorySink::bounded(CAPACITY));
    let w = world(AuditLog::new(Arc::clone(&sink)));
    let granted = AtomicU64::new(0);
    let refused = AtomicU64::new(0);
    thread::scope(|s| {
        for t in 0..4u64 {
            let (w, granted, refused) = (&w, &granted, &refused);
            s.spawn(move || {
                let mut held = Vec::new();
                for i in 0..100 {
                    match w.run(t * 1_000 + i) {
                        Ok(grant) => {
                            granted.fetch_add(1, SeqCst);
                            held.push(grant);
                        }
                        Err(Refusal::Audit(AuditError::Sink(e))) => {
                            assert_eq!(e.kind(), SinkErrorKind::Full);
                            refused.fetch_add(1, SeqCst);
                        }
                        Err(other) => panic!("{other:?}"),
                    }
                    if i.is_multiple_of(3) {
                        for g in held.drain(..) {
                            g.success().unwrap();
                        }
                    }
                }
                for g in held {
                    g.success().unwrap();
                }
            });
        }
    });
    let granted = granted.load(SeqCst);
    assert_eq!(granted + refused.load(SeqCst), 400);
    assert_eq!(granted, CAPACITY as u64);
    assert_eq!(sink.len(), CAPACITY);
    assert_eq!(w.engine.audit().dropped(), 0);
}

// ---------------------------------------------------------------------------
// Administrative actions
// ---------------------------------------------------------------------------

/// The resource id an administrative event should carry.
#[derive(Debug)]
enum Rid {
    None,
    Is(String),
    /// The id of what the call created, checked by the caller.
    Created,
}

#[derive(Debug)]
struct Want<'a> {
    action: &'a str,
    outcome: Outcome,
    actor: Actor,
    role: Option<(RoleId, &'a str)>,
    rtype: &'a str,
    rid: Rid,
    org: Option<OrgId>,
}

fn admin_role() -> Option<(RoleId, &'static str)> {
    Some((SystemRole::Admin.id(), "Admin"))
}

fn dev_role() -> Option<(RoleId, &'static str)> {
    Some((SystemRole::Developer.id(), "Developer"))
}

fn user_rid(user: UserId) -> Rid {
    Rid::Is(user.to_string())
}

fn role_rid(role: RoleId) -> Rid {
    Rid::Is(role.index().to_string())
}

fn team_rid(team: TeamId) -> Rid {
    Rid::Is(team.to_string())
}

/// Runs one administrative call and checks the one event it recorded.
#[track_caller]
fn admin_call<T: Debug>(
    w: &World,
    want: &Want<'_>,
    call: impl FnOnce(&Engine) -> Result<T, AdminError>,
) -> (Result<T, AdminError>, Event) {
    w.clock.advance(1_000);
    let before = all(&w.engine).len();
    let version = w.version();
    let result = call(&w.engine);
    let events = all(&w.engine);
    assert_eq!(
        events.len(),
        before + 1,
        "one event for {want:?}: {result:?}"
    );
    let e = events[0].clone();
    assert_eq!(e.action(), want.action, "{result:?}");
    assert_eq!(e.outcome(), want.outcome, "{want:?}: {result:?}");
    assert_eq!(e.at(), w.clock.now());
    assert_eq!(e.actor(), want.actor);
    assert_eq!(e.role(), want.role, "{want:?}");
    assert_eq!(e.resource_type(), Some(want.rtype));
    match &want.rid {
        Rid::None => assert_eq!(e.resource_id(), None, "{want:?}"),
        Rid::Is(id) => assert_eq!(e.resource_id(), Some(id.as_str()), "{want:?}"),
        Rid::Created => assert!(e.resource_id().is_some(), "{want:?}"),
    }
    assert_eq!(e.organization(), want.org, "{want:?}");
    assert_clean(&e);
    match &result {
        Ok(_) => {
            assert_eq!(want.outcome, Outcome::Success);
            assert_eq!(e.reason(), None);
            assert_eq!(w.version(), version + 1, "a success publishes");
        }
        Err(err) => {
            let want_outcome = if matches!(err, AdminError::Denied(_)) {
                Outcome::Denied
            } else {
                Outcome::Failure
            };
            assert_eq!(e.outcome(), want_outcome, "{err:?}");
            let reason = e.reason().expect("a refused call says why");
            assert!(
                reason.starts_with(&err.to_string()),
                "{reason:?} should give {err}"
            );
            if let AdminError::Denied(denial) = err {
                assert!(reason.contains(&denial.to_string()), "{reason:?}");
            }
            assert_eq!(w.version(), version, "a refused call changes nothing");
        }
    }
    (result, e)
}

#[test]
fn role_administration_is_recorded_with_outcomes() {
    let w = world(AuditLog::in_memory());
    let catalog = w.engine.catalog();
    let rule = |ty: &str, action: &str| Rule::builder(&catalog, ty, action).build().unwrap();
    let by_admin = |action, outcome, rid, org| Want {
        action,
        outcome,
        actor: Actor::User(ADMIN),
        role: admin_role(),
        rtype: "role",
        rid,
        org,
    };
    let by_dev = |action, rid| Want {
        action,
        outcome: Outcome::Denied,
        actor: Actor::User(DEV),
        role: dev_role(),
        rtype: "role",
        rid,
        org: Some(ACME),
    };

    // role.create
    let (made, e) = admin_call(
        &w,
        &by_admin("role.create", Outcome::Success, Rid::Created, Some(ACME)),
        |en| {
            en.admin(ADMIN)
                .create_role(ACME, "Auditors", vec![rule("audit_log", "read")])
        },
    );
    let auditors = made.unwrap().id;
    assert_eq!(e.resource_id(), Some(auditors.index().to_string().as_str()));
    let (err, e) = admin_call(&w, &by_dev("role.create", Rid::None), |en| {
        en.admin(DEV).create_role(ACME, "Nope", vec![])
    });
    assert_eq!(
        err.unwrap_err(),
        AdminError::Denied(GuardDenial::MissingPermission {
            permission: "roles.manage".into()
        })
    );
    assert!(
        e.reason()
            .unwrap()
            .contains("acting user lacks roles.manage")
    );
    let (err, _) = admin_call(
        &w,
        &by_admin("role.create", Outcome::Failure, Rid::None, Some(ACME)),
        |en| en.admin(ADMIN).create_role(ACME, "Auditors", vec![]),
    );
    assert!(matches!(err, Err(AdminError::DuplicateRoleName { .. })));
    // Escalation: a role manager cannot grant what they lack.
    let lead = w
        .engine
        .bootstrap()
        .create_role(ACME, "Lead", vec![rule("roles", "manage")])
        .unwrap()
        .id;
    w.engine
        .bootstrap()
        .add_user(User::new(UserId::new(40), ACME, lead))
        .unwrap();
    let (err, _) = admin_call(
        &w,
        &Want {
            action: "role.create",
            outcome: Outcome::Denied,
            actor: Actor::User(UserId::new(40)),
            role: Some((lead, "Lead")),
            rtype: "role",
            rid: Rid::None,
            org: Some(ACME),
        },
        |en| {
            en.admin(UserId::new(40))
                .create_role(ACME, "Payers", vec![rule("billing", "update")])
        },
    );
    assert!(matches!(
        err,
        Err(AdminError::Denied(GuardDenial::Escalation { .. }))
    ));
    // duplicate_role is a role.create too.
    let (made, e) = admin_call(
        &w,
        &by_admin("role.create", Outcome::Success, Rid::Created, Some(ACME)),
        |en| {
            en.admin(ADMIN)
                .duplicate_role(ACME, SystemRole::Viewer.id(), "Readers")
        },
    );
    let readers = made.unwrap().id;
    assert_eq!(e.resource_id(), Some(readers.index().to_string().as_str()));
    assert_ne!(readers, auditors);

    // role.update
    admin_call(
        &w,
        &by_admin(
            "role.update",
            Outcome::Success,
            role_rid(auditors),
            Some(ACME),
        ),
        |en| en.admin(ADMIN).rename_role(auditors, "Auditing"),
    )
    .0
    .unwrap();
    admin_call(
        &w,
        &by_admin(
            "role.update",
            Outcome::Success,
            role_rid(auditors),
            Some(ACME),
        ),
        |en| {
            en.admin(ADMIN)
                .replace_rules(auditors, vec![rule("activity", "read")])
        },
    )
    .0
    .unwrap();
    admin_call(&w, &by_dev("role.update", role_rid(auditors)), |en| {
        en.admin(DEV).replace_rules(auditors, vec![])
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin(
            "role.update",
            Outcome::Failure,
            role_rid(SystemRole::Viewer.id()),
            Some(ACME),
        ),
        |en| {
            en.admin(ADMIN)
                .rename_role(SystemRole::Viewer.id(), "Readers 2")
        },
    );
    assert!(matches!(err, Err(AdminError::SystemRole { .. })));
    let (err, _) = admin_call(
        &w,
        &by_admin(
            "role.update",
            Outcome::Failure,
            role_rid(auditors),
            Some(ACME),
        ),
        |en| en.admin(ADMIN).rename_role(auditors, "Readers"),
    );
    assert!(matches!(err, Err(AdminError::DuplicateRoleName { .. })));

    // role.delete
    w.engine
        .admin(ADMIN)
        .add_user(User::new(UserId::new(30), ACME, auditors))
        .unwrap();
    admin_call(&w, &by_dev("role.delete", role_rid(auditors)), |en| {
        en.admin(DEV).delete_role(auditors, None)
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin(
            "role.delete",
            Outcome::Failure,
            role_rid(auditors),
            Some(ACME),
        ),
        |en| en.admin(ADMIN).delete_role(auditors, None),
    );
    assert!(matches!(err, Err(AdminError::RoleInUse { holders: 1, .. })));
    let (done, _) = admin_call(
        &w,
        &by_admin(
            "role.delete",
            Outcome::Success,
            role_rid(auditors),
            Some(ACME),
        ),
        |en| {
            en.admin(ADMIN)
                .delete_role(auditors, Some(SystemRole::Viewer.id()))
        },
    );
    assert_eq!(done.unwrap().moved, 1);

    // Filters over the administrative trail.
    let q = AuditQuery::new().resource_type("role").user(ADMIN);
    let mine = query(&w.engine, &q);
    assert!(mine.iter().all(|e| e.user() == Some(ADMIN)));
    assert_eq!(
        query(
            &w.engine,
            &AuditQuery::new()
                .action("role.delete")
                .outcome(Outcome::Success)
        )
        .len(),
        1
    );
    assert_eq!(
        query(
            &w.engine,
            &AuditQuery::new()
                .resource_type("role")
                .outcome(Outcome::Denied)
        )
        .len(),
        4
    );
}

#[test]
fn member_administration_is_recorded_with_outcomes() {
    let w = world(AuditLog::in_memory());
    let new = UserId::new(30);
    let ghost = UserId::new(999);
    let by_admin = |action, outcome, rid| Want {
        action,
        outcome,
        actor: Actor::User(ADMIN),
        role: admin_role(),
        rtype: "user",
        rid,
        org: Some(ACME),
    };
    let by_dev = |action, rid| Want {
        action,
        outcome: Outcome::Denied,
        actor: Actor::User(DEV),
        role: dev_role(),
        rtype: "user",
        rid,
        org: Some(ACME),
    };

    // member.add
    admin_call(
        &w,
        &by_admin("member.add", Outcome::Success, user_rid(new)),
        |en| {
            en.admin(ADMIN)
                .add_user(User::new(new, ACME, SystemRole::Viewer.id()))
        },
    )
    .0
    .unwrap();
    admin_call(
        &w,
        &Want {
            action: "member.add",
            outcome: Outcome::Denied,
            actor: Actor::User(VIEWER),
            role: Some((SystemRole::Viewer.id(), "Viewer")),
            rtype: "user",
            rid: user_rid(UserId::new(31)),
            org: Some(ACME),
        },
        |en| {
            en.admin(VIEWER)
                .add_user(User::new(UserId::new(31), ACME, SystemRole::Viewer.id()))
        },
    )
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin("member.add", Outcome::Failure, user_rid(new)),
        |en| {
            en.admin(ADMIN)
                .add_user(User::new(new, ACME, SystemRole::Viewer.id()))
        },
    );
    assert!(matches!(err, Err(AdminError::DuplicateUser { .. })));

    // member.role_assign
    admin_call(
        &w,
        &by_admin("member.role_assign", Outcome::Success, user_rid(new)),
        |en| en.admin(ADMIN).assign_role(new, SystemRole::Developer.id()),
    )
    .0
    .unwrap();
    let (err, _) = admin_call(
        &w,
        &by_admin("member.role_assign", Outcome::Denied, user_rid(new)),
        |en| en.admin(ADMIN).assign_role(new, SystemRole::Owner.id()),
    );
    assert_eq!(err.unwrap_err(), AdminError::Denied(GuardDenial::OwnerOnly));
    let (err, _) = admin_call(
        &w,
        &by_admin("member.role_assign", Outcome::Failure, user_rid(ghost)),
        |en| en.admin(ADMIN).assign_role(ghost, SystemRole::Viewer.id()),
    );
    assert!(matches!(err, Err(AdminError::UnknownUser { .. })));
    let (err, _) = admin_call(
        &w,
        &by_admin("member.role_assign", Outcome::Failure, user_rid(new)),
        |en| en.admin(ADMIN).assign_role(new, RoleId::new(999).unwrap()),
    );
    assert!(matches!(err, Err(AdminError::UnknownRole { .. })));

    // member.status_change
    admin_call(
        &w,
        &by_admin("member.status_change", Outcome::Success, user_rid(new)),
        |en| en.admin(ADMIN).set_status(new, Status::Suspended),
    )
    .0
    .unwrap();
    admin_call(&w, &by_dev("member.status_change", user_rid(new)), |en| {
        en.admin(DEV).set_status(new, Status::Active)
    })
    .0
    .unwrap_err();
    // The last active Owner: denied by the guard after the change is tried.
    let (err, _) = admin_call(
        &w,
        &Want {
            action: "member.status_change",
            outcome: Outcome::Denied,
            actor: Actor::User(OWNER),
            role: Some((SystemRole::Owner.id(), "Owner")),
            rtype: "user",
            rid: user_rid(OWNER),
            org: Some(ACME),
        },
        |en| en.admin(OWNER).set_status(OWNER, Status::Suspended),
    );
    assert!(matches!(
        err,
        Err(AdminError::Denied(GuardDenial::LastOwner { .. }))
    ));
    let (err, _) = admin_call(
        &w,
        &by_admin("member.status_change", Outcome::Failure, user_rid(ghost)),
        |en| en.admin(ADMIN).set_status(ghost, Status::Active),
    );
    assert!(matches!(err, Err(AdminError::UnknownUser { .. })));

    // member.remove
    admin_call(&w, &by_dev("member.remove", user_rid(new)), |en| {
        en.admin(DEV).remove_user(new)
    })
    .0
    .unwrap_err();
    admin_call(
        &w,
        &by_admin("member.remove", Outcome::Success, user_rid(new)),
        |en| en.admin(ADMIN).remove_user(new),
    )
    .0
    .unwrap();
    let (err, _) = admin_call(
        &w,
        &by_admin("member.remove", Outcome::Failure, user_rid(new)),
        |en| en.admin(ADMIN).remove_user(new),
    );
    assert!(matches!(err, Err(AdminError::UnknownUser { .. })));

    // Unknown and foreign actors are recorded with who they claimed to be.
    let stranger = UserId::new(777);
    let (err, _) = admin_call(
        &w,
        &Want {
            action: "member.remove",
            outcome: Outcome::Denied,
            actor: Actor::User(stranger),
            role: None,
            rtype: "user",
            rid: user_rid(VIEWER),
            org: Some(ACME),
        },
        |en| en.admin(stranger).remove_user(VIEWER),
    );
    assert!(matches!(
        err,
        Err(AdminError::Denied(GuardDenial::UnknownActor { .. }))
    ));
    let (err, _) = admin_call(
        &w,
        &Want {
            action: "member.role_assign",
            outcome: Outcome::Denied,
            actor: Actor::User(G_ADMIN),
            role: admin_role(),
            rtype: "user",
            rid: user_rid(VIEWER),
            org: Some(ACME),
        },
        |en| {
            en.admin(G_ADMIN)
                .assign_role(VIEWER, SystemRole::Admin.id())
        },
    );
    assert!(matches!(
        err,
        Err(AdminError::Denied(GuardDenial::OtherOrganization { .. }))
    ));

    // The role held at the time: the Admin, demoted, acts as a Developer.
    let (_, promoted) = admin_call(
        &w,
        &Want {
            action: "member.role_assign",
            outcome: Outcome::Success,
            actor: Actor::User(OWNER),
            role: Some((SystemRole::Owner.id(), "Owner")),
            rtype: "user",
            rid: user_rid(ADMIN),
            org: Some(ACME),
        },
        |en| {
            en.admin(OWNER)
                .assign_role(ADMIN, SystemRole::Developer.id())
        },
    );
    admin_call(
        &w,
        &Want {
            action: "member.add",
            outcome: Outcome::Denied,
            actor: Actor::User(ADMIN),
            role: dev_role(),
            rtype: "user",
            rid: user_rid(UserId::new(32)),
            org: Some(ACME),
        },
        |en| {
            en.admin(ADMIN)
                .add_user(User::new(UserId::new(32), ACME, SystemRole::Viewer.id()))
        },
    )
    .0
    .unwrap_err();
    let earlier = query(
        &w.engine,
        &AuditQuery::new()
            .user(ADMIN)
            .between(Timestamp::EPOCH, promoted.at()),
    );
    assert!(!earlier.is_empty());
    assert!(earlier.iter().all(|e| e.role() == admin_role()));
}

#[test]
fn team_administration_is_recorded_with_outcomes() {
    let w = world(AuditLog::in_memory());
    let by_admin = |action, outcome, rid| Want {
        action,
        outcome,
        actor: Actor::User(ADMIN),
        role: admin_role(),
        rtype: "team",
        rid,
        org: Some(ACME),
    };
    let by_dev = |action, rid| Want {
        action,
        outcome: Outcome::Denied,
        actor: Actor::User(DEV),
        role: dev_role(),
        rtype: "team",
        rid,
        org: Some(ACME),
    };

    // team.create
    let (ops, e) = admin_call(
        &w,
        &by_admin("team.create", Outcome::Success, Rid::Created),
        |en| en.admin(ADMIN).create_team(ACME, "Ops"),
    );
    let ops = ops.unwrap();
    assert_eq!(e.resource_id(), Some(ops.to_string().as_str()));
    admin_call(&w, &by_dev("team.create", Rid::None), |en| {
        en.admin(DEV).create_team(ACME, "Mine")
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin("team.create", Outcome::Failure, Rid::None),
        |en| en.admin(ADMIN).create_team(ACME, "Ops"),
    );
    assert!(matches!(err, Err(AdminError::DuplicateTeamName { .. })));
    let (err, _) = admin_call(
        &w,
        &by_admin("team.create", Outcome::Failure, Rid::None),
        |en| en.admin(ADMIN).create_team(ACME, "   "),
    );
    assert!(matches!(err, Err(AdminError::InvalidTeamName { .. })));

    // team.update
    admin_call(
        &w,
        &by_admin("team.update", Outcome::Success, team_rid(ops)),
        |en| en.admin(ADMIN).rename_team(ops, "Operations"),
    )
    .0
    .unwrap();
    admin_call(&w, &by_dev("team.update", team_rid(ops)), |en| {
        en.admin(DEV).rename_team(ops, "Mine")
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin("team.update", Outcome::Failure, team_rid(ops)),
        |en| en.admin(ADMIN).rename_team(ops, "Platform"),
    );
    assert!(matches!(err, Err(AdminError::DuplicateTeamName { .. })));

    // team.member_add
    admin_call(
        &w,
        &by_admin("team.member_add", Outcome::Success, team_rid(ops)),
        |en| en.admin(ADMIN).add_to_team(ops, VIEWER),
    )
    .0
    .unwrap();
    admin_call(&w, &by_dev("team.member_add", team_rid(ops)), |en| {
        en.admin(DEV).add_to_team(ops, DEV)
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin("team.member_add", Outcome::Failure, team_rid(ops)),
        |en| en.admin(ADMIN).add_to_team(ops, G_ADMIN),
    );
    assert!(matches!(err, Err(AdminError::CrossOrganization { .. })));

    // team.role_assign
    let (changed, _) = admin_call(
        &w,
        &by_admin("team.role_assign", Outcome::Success, team_rid(ops)),
        |en| {
            en.admin(ADMIN)
                .assign_team_role(ops, SystemRole::Operator.id())
        },
    );
    assert_eq!(changed.unwrap(), 1);
    admin_call(&w, &by_dev("team.role_assign", team_rid(ops)), |en| {
        en.admin(DEV).assign_team_role(ops, SystemRole::Viewer.id())
    })
    .0
    .unwrap_err();
    let (err, _) = admin_call(
        &w,
        &by_admin("team.role_assign", Outcome::Failure, team_rid(ops)),
        |en| {
            en.admin(ADMIN)
                .assign_team_role(ops, RoleId::new(999).unwrap())
        },
    );
    assert!(matches!(err, Err(AdminError::UnknownRole { .. })));

    // team.member_remove
    admin_call(&w, &by_dev("team.member_remove", team_rid(ops)), |en| {
        en.admin(DEV).remove_from_team(ops, VIEWER)
    })
    .0
    .unwrap_err();
    admin_call(
        &w,
        &by_admin("team.member_remove", Outcome::Success, team_rid(ops)),
        |en| en.admin(ADMIN).remove_from_team(ops, VIEWER),
    )
    .0
    .unwrap();
    let (err, _) = admin_call(
        &w,
        &by_admin("team.member_remove", Outcome::Failure, team_rid(ops)),
        |en| en.admin(ADMIN).remove_from_team(ops, UserId::new(999)),
    );
    assert!(matches!(err, Err(AdminError::UnknownUser { .. })));

    // team.delete
    admin_call(&w, &by_dev("team.delete", team_rid(w.platform)), |en| {
        en.admin(DEV).delete_team(w.platform)
    })
    .0
    .unwrap_err();
    admin_call(
        &w,
        &by_admin("team.delete", Outcome::Success, team_rid(ops)),
        |en| en.admin(ADMIN).delete_team(ops),
    )
    .0
    .unwrap();
    let (err, _) = admin_call(
        &w,
        &Want {
            // The team is gone: the event names the actor's organization.
            org: Some(ACME),
            ..by_admin("team.delete", Outcome::Failure, team_rid(ops))
        },
        |en| en.admin(ADMIN).delete_team(ops),
    );
    assert!(matches!(err, Err(AdminError::UnknownTeam { .. })));

    // Per outcome, through the query.
    let count = |o| {
        query(
            &w.engine,
            &AuditQuery::new().resource_type("team").outcome(o),
        )
        .len()
    };
    assert_eq!(count(Outcome::Success), 6);
    assert_eq!(count(Outcome::Denied), 6);
    assert_eq!(count(Outcome::Failure), 7);
}

#[test]
fn bootstrap_calls_are_recorded_as_the_system() {
    let w = world(AuditLog::in_memory());
    let system = |action, outcome, rtype, rid, org| Want {
        action,
        outcome,
        actor: Actor::System,
        role: None,
        rtype,
        rid,
        org,
    };
    let (team, _) = admin_call(
        &w,
        &system(
            "team.create",
            Outcome::Success,
            "team",
            Rid::Created,
            Some(GLOBEX),
        ),
        |en| en.bootstrap().create_team(GLOBEX, "Boot"),
    );
    let team = team.unwrap();
    let (role, _) = admin_call(
        &w,
        &system(
            "role.create",
            Outcome::Success,
            "role",
            Rid::Created,
            Some(GLOBEX),
        ),
        |en| en.bootstrap().create_role(GLOBEX, "Booted", vec![]),
    );
    let role = role.unwrap().id;
    admin_call(
        &w,
        &system(
            "member.add",
            Outcome::Success,
            "user",
            user_rid(UserId::new(50)),
            Some(GLOBEX),
        ),
        |en| {
            en.bootstrap()
                .add_user(User::new(UserId::new(50), GLOBEX, role).with_team(team))
        },
    )
    .0
    .unwrap();
    // A system call on a system role names no organization.
    let (err, e) = admin_call(
        &w,
        &system(
            "role.update",
            Outcome::Failure,
            "role",
            role_rid(SystemRole::Viewer.id()),
            None,
        ),
        |en| {
            en.bootstrap()
                .rename_role(SystemRole::Viewer.id(), "Reader")
        },
    );
    assert!(matches!(err, Err(AdminError::SystemRole { .. })));
    assert_eq!(e.user(), None);
    // The last Owner holds even for the system.
    let (err, _) = admin_call(
        &w,
        &system(
            "member.remove",
            Outcome::Denied,
            "user",
            user_rid(OWNER),
            Some(ACME),
        ),
        |en| en.bootstrap().remove_user(OWNER),
    );
    assert!(matches!(
        err,
        Err(AdminError::Denied(GuardDenial::LastOwner { .. }))
    ));
    let system_events = all(&w.engine);
    assert_eq!(system_events.len(), 5);
    assert!(system_events.iter().all(|e| e.actor() == Actor::System));
}
