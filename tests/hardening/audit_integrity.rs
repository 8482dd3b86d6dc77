//! Audit records that cannot be lost without a trace or forged
//! (SEMANTICS.md §12.4, §12.5).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};

use rolegate::audit::{
    AuditError, AuditLog, AuditPage, AuditQuery, AuditSink, AuthorizeError, Completion,
    DEFAULT_CAPACITY, EventId, HostEvent, MemorySink, NewEvent, Outcome, SinkError,
};
use rolegate::*;

const ACME: OrgId = OrgId::new(1);

#[test]
fn default_sink_is_bounded_and_counts_what_it_evicts() {
    let sink = Arc::new(MemorySink::new());
    assert_eq!(sink.capacity(), DEFAULT_CAPACITY);
    let small = Arc::new(MemorySink::keeping(1_000));
    let log = AuditLog::new(Arc::clone(&small));
    for _ in 0..2_500 {
        log.record(HostEvent::new(ACME, "auth.login", Outcome::Failure))
            .unwrap();
    }
    assert_eq!(small.len(), 1_000, "never more than its capacity");
    assert_eq!((small.evicted(), log.evicted()), (1_500, 1_500));
    assert_eq!(
        log.dropped(),
        0,
        "every event was stored before it was evicted"
    );
    let newest = log.query(&AuditQuery::new().limit(1)).unwrap().events;
    assert_eq!(newest[0].id(), EventId::new(2_500), "the newest are kept");
    // The engine's default log is the bounded sink.
    let engine = Engine::new(Catalog::standard());
    assert_eq!(engine.audit().evicted(), 0);
}

#[test]
fn a_refusing_sink_never_evicts() {
    let sink = Arc::new(MemorySink::bounded(2));
    let log = AuditLog::new(Arc::clone(&sink));
    let login = || HostEvent::new(ACME, "auth.login", Outcome::Success);
    log.record(login()).unwrap();
    log.record(login()).unwrap();
    assert!(matches!(log.record(login()), Err(AuditError::Sink(_))));
    assert_eq!((sink.len(), sink.evicted()), (2, 0));
}

#[test]
fn host_events_cannot_take_the_engines_action_names() {
    let engine = Engine::new(Catalog::standard());
    let log = engine.audit();
    for forged in [
        "role.delete",
        "role.create",
        "member.role_assign",
        "member.status_change",
        "team.create",
        "role",
        "team.anything_new",
    ] {
        let event = HostEvent::new(ACME, forged, Outcome::Success).resource("role", "6");
        assert!(
            matches!(log.record(event), Err(AuditError::ReservedAction { .. })),
            "{forged}"
        );
    }
    // Names that merely start with the same letters are the host's.
    for own in [
        "roles_sync.run",
        "teams.export",
        "membership.renew",
        "auth.login",
    ] {
        assert!(
            log.record(HostEvent::new(ACME, own, Outcome::Success))
                .unwrap()
                .is_some(),
            "{own}"
        );
    }
    let stored = log.query(&AuditQuery::new()).unwrap().events;
    assert_eq!(stored.len(), 4, "the forged events changed nothing");
}

#[test]
fn invisible_and_bidi_characters_are_escaped_in_recorded_text() {
    let log = AuditLog::in_memory();
    log.record(
        HostEvent::new(ACME, "file.upload", Outcome::Failure)
            .resource("file", "invoice\u{202e}fdp.exe")
            .reason("zero\u{200b}width \u{2066}isolate\u{2069} \u{feff}bom"),
    )
    .unwrap();
    let event = &log.query(&AuditQuery::new()).unwrap().events[0];
    assert_eq!(
        event.resource_id().map(str::to_owned),
        Some("invoice\\u{202e}fdp.exe".to_owned())
    );
    assert_eq!(
        event.reason(),
        Some("zero\\u{200b}width \\u{2066}isolate\\u{2069} \\u{feff}bom")
    );
    // Letters of any script are kept as they are.
    log.record(HostEvent::new(ACME, "file.upload", Outcome::Failure).reason("Ошибка: ファイル"))
        .unwrap();
    assert_eq!(
        log.query(&AuditQuery::new()).unwrap().events[0].reason(),
        Some("Ошибка: ファイル")
    );
}

/// A host sink that stores decisions but cannot store completions.
#[derive(Debug, Default)]
struct AppendOnly {
    store: MemorySink,
    down: AtomicBool,
}

impl AuditSink for AppendOnly {
    fn append(&self, event: NewEvent) -> Result<EventId, SinkError> {
        if self.down.load(SeqCst) {
            return Err(SinkError::unavailable("down"));
        }
        self.store.append(event)
    }
    fn complete(&self, _: EventId, _: &Completion) -> Result<(), SinkError> {
        Err(SinkError::unavailable("completions are not stored"))
    }
    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError> {
        self.store.query(query)
    }
}

#[test]
fn refuse_records_the_decision_before_the_work_and_reports_a_lost_completion() {
    let sink = Arc::new(AppendOnly::default());
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(Arc::clone(&sink)));
    builder
        .add_user(User::new(UserId::new(3), ACME, SystemRole::Developer.id()))
        .unwrap();
    let engine = builder.build();
    let catalog = engine.catalog();
    let workflow = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(5),
        ACME,
    );
    let execute = catalog.action("execute").unwrap();

    // Sink down: no grant is handed out, so no work can start unrecorded.
    sink.down.store(true, SeqCst);
    assert!(matches!(
        engine.authorize(UserId::new(3), execute, &workflow),
        Err(AuthorizeError::Audit(_))
    ));
    assert!(sink.store.is_empty());

    // Sink up: the decision is on record before the grant exists...
    sink.down.store(false, SeqCst);
    let grant = engine
        .authorize(UserId::new(3), execute, &workflow)
        .unwrap();
    let recorded = sink.store.query(&AuditQuery::new()).unwrap().events;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].outcome(), Outcome::Allowed);
    // ...and a completion the sink cannot take is an error to the host as
    // well as a count, never only a count.
    assert!(matches!(grant.success(), Err(AuditError::Sink(_))));
    assert_eq!(engine.audit().dropped(), 1);
}

#[test]
fn cross_organization_attempts_are_in_both_organizations_logs() {
    let (acme, globex) = (OrgId::new(1), OrgId::new(2));
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    boot.add_user(User::new(UserId::new(1), acme, SystemRole::Owner.id()))
        .unwrap();
    boot.add_user(User::new(UserId::new(2), globex, SystemRole::Owner.id()))
        .unwrap();
    boot.add_user(User::new(UserId::new(3), acme, SystemRole::Viewer.id()))
        .unwrap();
    let acme_role = boot.create_role(acme, "Auditors", vec![]).unwrap();
    let acme_team = boot.create_team(acme, "Ops").unwrap();
    let catalog = engine.catalog();
    let workflow = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(7),
        acme,
    );
    let intruder = UserId::new(2);
    let admin = engine.admin(intruder);

    assert!(
        engine
            .authorize(intruder, catalog.action("read").unwrap(), &workflow)
            .is_err()
    );
    assert!(admin.delete_role(acme_role, None).is_err());
    assert!(admin.rename_team(acme_team, "Mine").is_err());
    assert!(
        admin
            .set_status(UserId::new(3), rolegate::evaluate::UserStatus::Suspended)
            .is_err()
    );
    let expected = [
        "member.status_change",
        "team.update",
        "role.delete",
        "workflows.read",
    ];
    for org in [acme, globex] {
        let seen = engine
            .audit()
            .query(&AuditQuery::new().organization(org).user(intruder))
            .unwrap()
            .events;
        let actions: Vec<&str> = seen.iter().map(|e| e.action()).collect();
        assert_eq!(actions, expected, "in organization {org}");
        assert!(
            seen.iter()
                .all(|e| e.outcome() == Outcome::Denied && e.organization() == Some(org))
        );
    }
    // Attempts within one organization are recorded once.
    let viewer = UserId::new(3);
    assert!(
        engine
            .authorize(viewer, catalog.action("delete").unwrap(), &workflow)
            .is_err()
    );
    let own = engine
        .audit()
        .query(&AuditQuery::new().user(viewer))
        .unwrap()
        .events;
    assert_eq!(own.len(), 1);
}
