//! The fixture: users and organizations, the loaded world, and helpers to read the log.

use std::sync::Arc;

use rolegate::audit::{
    AuditError, AuditLog, AuditQuery, AuthorizeError, Event, EventId, Grant, HostEvent,
    ManualClock, Outcome,
};
use rolegate::directory::Timestamp;
use rolegate::*;

pub(crate) const ACME: OrgId = OrgId::new(1);
pub(crate) const GLOBEX: OrgId = OrgId::new(2);
pub(crate) const OWNER: UserId = UserId::new(1);
pub(crate) const ADMIN: UserId = UserId::new(2);
pub(crate) const DEV: UserId = UserId::new(3);
pub(crate) const VIEWER: UserId = UserId::new(4);
pub(crate) const RUNNER: UserId = UserId::new(5);
pub(crate) const G_ADMIN: UserId = UserId::new(20);

/// The clock's starting time (2023-11-14T22:13:20Z).
pub(crate) const T0: i64 = 1_700_000_000_000;

pub(crate) const DROPPED_REASON: &str = "the grant was dropped without being completed";

/// Acme: an Owner, an Admin, a Developer (in team Platform), a Viewer, and a
/// Runner whose custom role "Runner" reads and executes workflows. Globex:
/// one Admin. Loaded with `EngineBuilder`, which records nothing.
pub(crate) struct World {
    pub(crate) engine: Engine,
    pub(crate) clock: Arc<ManualClock>,
    pub(crate) runner_role: RoleId,
    pub(crate) platform: TeamId,
}

pub(crate) fn world(log: AuditLog) -> World {
    let clock = Arc::new(ManualClock::new(Timestamp::from_unix_millis(T0)));
    let catalog = Catalog::standard();
    let rule = |ty: &str, action: &str| Rule::builder(&catalog, ty, action).build().unwrap();
    let mut b = Engine::builder(catalog.clone());
    b.audit(log.with_clock(clock.clone()));
    let runner_role = b
        .create_role(
            ACME,
            "Runner",
            [rule("workflows", "read"), rule("workflows", "execute")],
        )
        .unwrap();
    let platform = b.create_team(ACME, "Platform").unwrap();
    b.add_user(User::new(OWNER, ACME, SystemRole::Owner.id()))
        .unwrap();
    b.add_user(User::new(ADMIN, ACME, SystemRole::Admin.id()))
        .unwrap();
    b.add_user(User::new(DEV, ACME, SystemRole::Developer.id()).with_team(platform))
        .unwrap();
    b.add_user(User::new(VIEWER, ACME, SystemRole::Viewer.id()))
        .unwrap();
    b.add_user(User::new(RUNNER, ACME, runner_role)).unwrap();
    b.add_user(User::new(G_ADMIN, GLOBEX, SystemRole::Admin.id()))
        .unwrap();
    World {
        engine: b.build(),
        clock,
        runner_role,
        platform,
    }
}

impl World {
    pub(crate) fn action(&self, name: &str) -> ActionId {
        self.engine.catalog().action(name).unwrap()
    }

    pub(crate) fn resource(&self, ty: &str, id: u64, org: OrgId) -> Resource<'static> {
        let ty = self.engine.catalog().resource_type(ty).unwrap();
        Resource::new(ty, ResourceId::new(id), org)
    }

    pub(crate) fn workflow(&self, id: u64) -> Resource<'static> {
        self.resource("workflows", id, ACME)
    }

    /// The Runner executes workflow `id`: allowed.
    pub(crate) fn run(&self, id: u64) -> Result<Grant, AuthorizeError> {
        self.engine
            .authorize(RUNNER, self.action("execute"), &self.workflow(id))
    }

    /// The Viewer executes workflow `id`: denied.
    pub(crate) fn view_run(&self, id: u64) -> Result<Grant, AuthorizeError> {
        self.engine
            .authorize(VIEWER, self.action("execute"), &self.workflow(id))
    }

    pub(crate) fn at(&self, millis: i64) -> Timestamp {
        Timestamp::from_unix_millis(T0 + millis)
    }

    pub(crate) fn revision(&self) -> rolegate::store::Revision {
        self.engine.snapshot().revision()
    }
}

/// Every recorded event, newest first.
pub(crate) fn all(engine: &Engine) -> Vec<Event> {
    let page = engine
        .audit()
        .query(&AuditQuery::new().limit(usize::MAX))
        .unwrap();
    assert!(page.next.is_none());
    page.events
}

pub(crate) fn query(engine: &Engine, q: &AuditQuery) -> Vec<Event> {
    engine.audit().query(q).unwrap().events
}

pub(crate) fn ids(events: &[Event]) -> Vec<u64> {
    events.iter().map(|e| e.id().get()).collect()
}

pub(crate) fn login(org: OrgId, outcome: Outcome) -> HostEvent {
    HostEvent::new(org, "auth.login", outcome)
}

#[track_caller]
pub(crate) fn expect_denied(result: Result<Grant, AuthorizeError>) -> (Denial, Option<EventId>) {
    match result {
        Err(AuthorizeError::Denied { denial, event }) => (denial, event),
        Err(other) => panic!("expected a denial, got {other:?}"),
        Ok(grant) => {
            std::mem::forget(grant);
            panic!("expected a denial, got a grant")
        }
    }
}

#[track_caller]
pub(crate) fn expect_audit_refusal(result: Result<Grant, AuthorizeError>) -> AuditError {
    match result {
        Err(AuthorizeError::Audit(e)) => e,
        Err(other) => panic!("expected AuthorizeError::Audit, got {other:?}"),
        Ok(grant) => {
            std::mem::forget(grant);
            panic!("expected AuthorizeError::Audit, got a grant")
        }
    }
}

pub(crate) fn is_forbidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// No text field of `event` holds a control or line-breaking character.
#[track_caller]
pub(crate) fn assert_clean(event: &Event) {
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
