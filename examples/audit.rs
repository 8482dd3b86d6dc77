//! The audit trail: a short session (logins, allowed and denied actions, a
//! role edit, a refused administrative call), then the log as a table and
//! two filtered views.
//!
//! Run with `cargo run --example audit`.

use std::sync::Arc;

use rolegate::audit::{
    AuditLog, AuditQuery, AuthorizeError, Event, HostEvent, ManualClock, MemorySink, Outcome,
};
use rolegate::directory::Timestamp;
use rolegate::{Catalog, Engine, OrgId, Resource, ResourceId, Rule, SystemRole, User, UserId};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A clock we move by hand, so that the printed times are the same on
    // every run.
    let clock = Arc::new(ManualClock::new(Timestamp::from_unix_millis(
        1_795_424_400_000, // 2026-11-23T09:00:00Z
    )));
    let log = AuditLog::new(MemorySink::new()).with_clock(clock.clone());
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(log);
    let engine = builder.build();
    let catalog = engine.catalog();
    let acme = OrgId::new(1);
    let (alice, bob, carol) = (UserId::new(1), UserId::new(2), UserId::new(3));

    let boot = engine.bootstrap();
    boot.add_user(User::new(alice, acme, SystemRole::Owner.id()))?;
    boot.add_user(User::new(bob, acme, SystemRole::Developer.id()))?;
    boot.add_user(User::new(carol, acme, SystemRole::Viewer.id()))?;
    let minute = 60_000;

    // Logins are the host's own events.
    for (user, outcome) in [
        (bob, Outcome::Success),
        (carol, Outcome::Failure),
        (carol, Outcome::Success),
    ] {
        clock.advance(minute);
        let mut login = HostEvent::new(acme, "auth.login", outcome).user(user);
        if outcome == Outcome::Failure {
            login = login.reason("wrong password");
        }
        engine.audit().record(login)?;
    }

    // Checked actions: the host asks `authorize`, does the work, completes
    // the grant.
    let workflows = catalog.resource_type("workflows")?;
    let nightly = Resource::new(workflows, ResourceId::new(42), acme);
    clock.advance(minute);
    engine
        .authorize(bob, catalog.action("execute")?, &nightly)?
        .success()?;
    clock.advance(minute);
    match engine.authorize(carol, catalog.action("execute")?, &nightly) {
        Err(AuthorizeError::Denied { .. }) => {}
        other => return Err(format!("a Viewer executes nothing: {other:?}").into()),
    }
    clock.advance(minute);
    engine
        .authorize(bob, catalog.action("deploy_prod")?, &nightly)?
        .failure("deployment target unreachable")?;

    // Administrative calls are recorded by the engine itself.
    clock.advance(minute);
    let runner = engine.admin(alice).create_role(
        acme,
        "Runner",
        vec![Rule::builder(catalog, "workflows", "read").build()?],
    )?;
    clock.advance(minute);
    engine.admin(alice).replace_rules(
        runner,
        vec![
            Rule::builder(catalog, "workflows", "read").build()?,
            Rule::builder(catalog, "workflows", "execute").build()?,
        ],
    )?;
    clock.advance(minute);
    let refused = engine.admin(bob).assign_role(carol, runner);
    assert!(refused.is_err(), "a Developer cannot manage members");
    clock.advance(minute);
    engine.audit().record(
        HostEvent::new(acme, "credential.token_refresh", Outcome::Success)
            .user(bob)
            .resource("credential", "tok_7"),
    )?;

    let everything = AuditQuery::new().organization(acme);
    print_table(
        "The audit log of Acme, newest first",
        engine.audit().query(&everything)?.events,
    );
    print_table(
        "Denied only",
        engine
            .audit()
            .query(&everything.clone().outcome(Outcome::Denied))?
            .events,
    );
    print_table(
        "Bob's actions on workflows",
        engine
            .audit()
            .query(&everything.user(bob).resource_type("workflows"))?
            .events,
    );
    Ok(())
}

fn print_table(title: &str, events: Vec<Event>) {
    println!("\n== {title}");
    println!(
        "{:<24}  {:<6}  {:<24}  {:<16}  {:<8}  REASON",
        "TIMESTAMP", "USER", "ACTION", "RESOURCE", "OUTCOME"
    );
    for e in events {
        let user = e
            .user()
            .map_or_else(|| "system".to_owned(), |u| u.to_string());
        let resource = match (e.resource_type(), e.resource_id()) {
            (Some(t), Some(id)) => format!("{t}:{id}"),
            (Some(t), None) => t.to_owned(),
            _ => String::new(),
        };
        println!(
            "{:<24}  {:<6}  {:<24}  {:<16}  {:<8}  {}",
            e.at().to_string(),
            user,
            e.action(),
            resource,
            e.outcome().to_string(),
            e.reason().unwrap_or("")
        );
    }
}
