//! The batched sink: a completion without its event costs nothing else,
//! and settings at their limits do not break the writer.

use std::sync::Arc;
use std::time::Duration;

use rolegate::OrgId;
use rolegate::audit::{AuditLog, AuditQuery, AuditSink, Completion, EventId, HostEvent, Outcome};
use rolegate::directory::Timestamp;
use rolegate_sqlite::{Durability, SqliteSink};

use crate::dir::TempDir;

fn login() -> HostEvent {
    HostEvent::new(OrgId::new(1), "auth.login", Outcome::Success)
}

#[test]
fn a_completion_whose_event_is_not_on_the_file_loses_only_itself() {
    let dir = TempDir::new("missing");
    let sink = Arc::new(
        SqliteSink::open(
            dir.file("state.db"),
            Durability::Batched {
                max_events: 100,
                max_delay: Duration::from_secs(60),
            },
        )
        .unwrap(),
    );
    let log = AuditLog::new(Arc::clone(&sink));
    for _ in 0..5 {
        log.record(login()).unwrap();
    }
    sink.complete(
        EventId::new(999_999),
        &Completion::new(Outcome::Success, None, Timestamp::EPOCH),
    )
    .unwrap();
    log.record(login()).unwrap();
    sink.flush().unwrap();
    assert_eq!(log.query(&AuditQuery::new()).unwrap().events.len(), 6);
    assert_eq!(sink.lost(), 1, "the one completion");
}

#[test]
fn a_batched_sink_at_its_limits_still_writes() {
    let dir = TempDir::new("limits");
    let sink = Arc::new(
        SqliteSink::open(
            dir.file("state.db"),
            Durability::Batched {
                max_events: usize::MAX,
                max_delay: Duration::MAX,
            },
        )
        .unwrap(),
    );
    let log = AuditLog::new(Arc::clone(&sink));
    log.record(login()).unwrap();
    // No deadline: written when flushed.
    sink.flush().unwrap();
    assert_eq!(log.query(&AuditQuery::new()).unwrap().events.len(), 1);
    assert_eq!(sink.lost(), 0);
}
