//! The engine's state in PostgreSQL: run it twice and the second run finds
//! what the first wrote, and adds to it.
//!
//! ```sh
//! cargo run -p rolegate-postgres --example postgres -- "host=127.0.0.1 user=postgres dbname=test"
//! ```
//!
//! The connection string may also come from `ROLEGATE_POSTGRES_URL`. The
//! example keeps its tables in the schema `rolegate_example`, which it
//! creates if needed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use rolegate::audit::{AuditLog, AuditQuery};
use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, SystemRole, User, UserId};
use rolegate_postgres::{ChangeFeed, Config, FeedOptions, PostgresSink, PostgresStore};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("ROLEGATE_POSTGRES_URL").ok())
        .unwrap_or_else(|| "host=127.0.0.1 user=postgres dbname=test".to_owned());
    let mut config: Config = url.parse()?;
    config
        .connect(postgres::NoTls)?
        .batch_execute("CREATE SCHEMA IF NOT EXISTS rolegate_example")?;
    config.options("-c search_path=rolegate_example");

    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(PostgresSink::with_config(config.clone())?));
    let engine = builder.open(PostgresStore::with_config(config.clone())?)?;
    let feed = ChangeFeed::with_config(engine.clone(), config, FeedOptions::default());

    let acme = OrgId::new(1);
    let owner = UserId::new(1);
    let snapshot = engine.snapshot();
    if snapshot.user(owner).is_none() {
        println!("an empty database: setting up organization {acme}");
        let boot = engine.bootstrap();
        boot.add_user(User::new(owner, acme, SystemRole::Owner.id()))?;
        boot.add_user(User::new(UserId::new(2), acme, SystemRole::Viewer.id()))?;
        boot.create_role(acme, "Auditors", vec![])?;
    } else {
        println!(
            "found {}: {} users, roles {:?}",
            snapshot.revision(),
            snapshot.user_count(),
            snapshot
                .roles(acme)
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
        );
    }
    // Each run adds a team, by the Owner: on record in the audit trail too.
    let run = engine.snapshot().teams(acme).len() + 1;
    engine
        .admin(owner)
        .create_team(acme, &format!("Run {run}"))?;
    let teams: Vec<String> = engine
        .snapshot()
        .teams(acme)
        .into_iter()
        .map(|t| t.name)
        .collect();
    println!("teams now: {teams:?}");

    let catalog = engine.catalog();
    let workflow = Resource::new(
        catalog.resource_type("workflows")?,
        ResourceId::new(1),
        acme,
    );
    println!(
        "the viewer may read a workflow: {}; delete it: {}",
        engine.can(UserId::new(2), catalog.action("read")?, &workflow),
        engine.can(UserId::new(2), catalog.action("delete")?, &workflow)
    );
    let events = engine.audit().query(&AuditQuery::new().limit(3))?.events;
    for e in &events {
        println!(
            "audit #{}: {} {} {}",
            e.id().get(),
            e.action(),
            e.resource_id().unwrap_or("-"),
            e.outcome()
        );
    }
    assert!(feed.wait_for(engine.revision(), Duration::from_secs(5)));
    let fresh = feed.freshness();
    println!(
        "the feed serves {} ({} behind the database)",
        fresh.served,
        fresh.lag()
    );
    Ok(())
}
