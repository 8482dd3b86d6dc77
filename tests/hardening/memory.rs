//! Memory an input controls: deleted roles, denial text (SEMANTICS.md §12,
//! §15).

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};

use rolegate::audit::{
    AuditLog, AuditPage, AuditQuery, AuditSink, Completion, EventId, NewEvent, SinkError,
};
use rolegate::*;

use super::heap;

const ACME: OrgId = OrgId::new(1);

/// A sink that keeps nothing, so that the engine's own memory is measured.
#[derive(Debug, Default)]
struct Discard(AtomicU64);

impl AuditSink for Discard {
    fn append(&self, _: NewEvent) -> Result<EventId, SinkError> {
        Ok(EventId::new(self.0.fetch_add(1, SeqCst) + 1))
    }
    fn complete(&self, _: EventId, _: &Completion) -> Result<(), SinkError> {
        Ok(())
    }
    fn query(&self, query: &AuditQuery) -> Result<AuditPage, SinkError> {
        Ok(AuditPage::new(Vec::new(), query.page_size()))
    }
}

#[test]
fn deleted_roles_leave_no_memory_behind() {
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(Discard::default()));
    let engine = builder.build();
    let boot = engine.bootstrap();
    let rule = Rule::builder(engine.catalog(), "workflows", "read")
        .build()
        .unwrap();
    // Warm up: the first blocks of the table, the name index.
    for i in 0..64 {
        let id = boot
            .create_role(ACME, &format!("warm {i}"), vec![rule.clone()])
            .unwrap();
        boot.delete_role(id, None).unwrap();
    }
    let (_, before) = heap();
    const ROLES: isize = 20_000;
    for i in 0..ROLES {
        let id = boot
            .create_role(ACME, &format!("temp {i}"), vec![rule.clone()])
            .unwrap();
        boot.delete_role(id, None).unwrap();
    }
    let (_, after) = heap();
    let per_role = (after - before) / ROLES;
    assert!(
        per_role < 2,
        "{per_role} bytes kept per deleted role ({} in all)",
        after - before
    );
}

#[test]
fn a_denials_reason_is_rendered_only_as_far_as_it_is_kept() {
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    let catalog = engine.catalog();
    // 1,000 rules of 1 KB conditions: the whole explanation is about 1 MB.
    let rules: Vec<Rule> = (0..1_000)
        .map(|i| {
            Rule::builder(catalog, "workflows", "update")
                .conditions(&format!("status == \"{i}{}\"", "x".repeat(1_000)))
                .build()
                .unwrap()
        })
        .collect();
    let heavy = boot.create_role(ACME, "Heavy", rules).unwrap();
    boot.add_user(User::new(UserId::new(9), ACME, heavy))
        .unwrap();
    let workflow = Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(1),
        ACME,
    );
    let denied = engine.authorize(UserId::new(9), catalog.action("update").unwrap(), &workflow);
    assert!(denied.is_err());
    let events = engine
        .audit()
        .query(&AuditQuery::new().limit(1))
        .unwrap()
        .events;
    let (allocated, _) = heap();
    let reason = events[0].reason().unwrap().to_owned();
    let (after, _) = heap();
    assert_eq!(reason.chars().count(), 513, "512 characters and the cut");
    assert!(reason.ends_with('…'));
    let spent = after - allocated;
    assert!(
        spent < 16 * 1024,
        "{spent} bytes allocated to put the denial in words"
    );
}

#[test]
fn removed_users_leave_no_activity_behind() {
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(Discard::default()));
    let engine = builder.build();
    let boot = engine.bootstrap();
    let at = rolegate::directory::Timestamp::from_unix_millis(1_700_000_000_000);
    let churn = |range: std::ops::Range<u64>| {
        for i in range {
            let user = UserId::new(1_000 + i);
            boot.add_user(User::new(user, ACME, SystemRole::Viewer.id()))
                .unwrap();
            assert!(engine.record_activity(user, at));
            boot.remove_user(user).unwrap();
        }
    };
    churn(0..256);
    let (_, before) = heap();
    const USERS: isize = 20_000;
    churn(256..256 + USERS as u64);
    let (_, after) = heap();
    let per_user = (after - before) / USERS;
    assert!(
        per_user < 2,
        "{per_user} bytes kept per removed user ({} in all)",
        after - before
    );
    // A user removed and added again starts with no activity.
    let again = UserId::new(1_000);
    boot.add_user(User::new(again, ACME, SystemRole::Viewer.id()))
        .unwrap();
    assert_eq!(engine.snapshot().user(again).unwrap().last_active(), None);
}
