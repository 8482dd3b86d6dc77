//! A process killed while it authorizes: every decision whose `authorize`
//! returned in strict mode is on the file.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use rolegate::audit::{AuditLog, AuditQuery, EventId, Outcome};
use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
use rolegate_sqlite::{Durability, SqliteSink, SqliteStore};

use crate::dir::TempDir;

const CHILD: &str = "ROLEGATE_SQLITE_CRASH_CHILD";
const TEST: &str = "crash::decisions_authorized_in_strict_mode_survive_a_kill";

fn open(path: &Path) -> Engine {
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(
        SqliteSink::open(path, Durability::Strict).unwrap(),
    ));
    builder.open(SqliteStore::open(path).unwrap()).unwrap()
}

/// The child: authorizes without end, printing each recorded decision's
/// id once `authorize` has returned, and never completes a grant.
fn child(path: &Path) {
    let engine = open(path);
    let developer = UserId::new(2);
    let catalog = engine.catalog();
    let execute = catalog.action("execute").unwrap();
    let workflows = catalog.resource_type("workflows").unwrap();
    for n in 0..1_000_000u64 {
        let workflow = Resource::new(workflows, ResourceId::new(n), OrgId::new(1));
        let grant = engine.authorize(developer, execute, &workflow).unwrap();
        println!("event {}", grant.event().unwrap());
        std::mem::forget(grant);
    }
}

#[test]
fn decisions_authorized_in_strict_mode_survive_a_kill() {
    if let Some(path) = std::env::var_os(CHILD) {
        child(Path::new(&path));
        return;
    }
    let dir = TempDir::new("crash");
    let path = dir.file("state.db");
    {
        let engine = open(&path);
        let boot = engine.bootstrap();
        boot.add_user(User::new(
            UserId::new(1),
            OrgId::new(1),
            SystemRole::Owner.id(),
        ))
        .unwrap();
        boot.add_user(User::new(
            UserId::new(2),
            OrgId::new(1),
            SystemRole::Developer.id(),
        ))
        .unwrap();
    }
    let mut process = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
        .env(CHILD, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = process.stdout.take().unwrap();
    let mut returned: Vec<EventId> = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(id) = line.strip_prefix("event ") {
            returned.push(EventId::new(id.parse().unwrap()));
            if returned.len() == 200 {
                break;
            }
        }
    }
    // SIGKILL: no destructor, no flush, no completion runs.
    process.kill().unwrap();
    process.wait().unwrap();
    assert_eq!(returned.len(), 200, "the child authorized");

    let engine = open(&path);
    let query = AuditQuery::new().action("workflows.execute").limit(100_000);
    let events = engine.audit().query(&query).unwrap().events;
    for id in &returned {
        let event = events
            .iter()
            .find(|e| e.id() == *id)
            .unwrap_or_else(|| panic!("decision {id} returned but is not on the file"));
        assert_eq!(event.outcome(), Outcome::Allowed);
        assert_eq!(event.user(), Some(UserId::new(2)));
    }
}
