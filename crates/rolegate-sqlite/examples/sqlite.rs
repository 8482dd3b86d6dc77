//! The quickstart's state kept on a SQLite file: the standard catalog, a
//! "Marketing Editor" custom role of Acme with team-scoped conditional
//! rules, users of two organizations with various roles and an End User
//! with a customer. The first run on an empty file builds the state through
//! administrative calls; every later run finds it on the file and builds
//! nothing. Each run prints the same dozen decisions with their
//! explanations.
//!
//! Run with `cargo run -p rolegate-sqlite --example sqlite -- state.db`,
//! then again on the same file.

use std::error::Error;
use std::path::Path;
use std::process::ExitCode;

use rolegate::audit::AuditLog;
use rolegate::store::Revision;
use rolegate::{
    Catalog, CustomerId, Engine, MustMatch, OrgId, Resource, ResourceId, Rule, SystemRole, TeamId,
    User, UserId, UserStatus,
};
use rolegate_sqlite::{Durability, SqliteSink, SqliteStore};

const ACME: OrgId = OrgId::new(1);
const GLOBEX: OrgId = OrgId::new(2);
const MARKETING: TeamId = TeamId::new(10);
const ACME_CUSTOMER: CustomerId = CustomerId::new(30);

/// The people of the quickstart, by name.
const PEOPLE: [(&str, UserId); 7] = [
    ("alice", UserId::new(1)),
    ("bob", UserId::new(2)),
    ("carol", UserId::new(3)),
    ("dave", UserId::new(4)),
    ("erin", UserId::new(5)),
    ("frank", UserId::new(6)),
    ("grace", UserId::new(7)),
];

fn id_of(name: &str) -> Result<UserId, Box<dyn Error>> {
    PEOPLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, id)| *id)
        .ok_or_else(|| format!("unknown person {name}").into())
}

/// Builds the state: the two organizations' first members through
/// `bootstrap()`, everything else of Acme by its Owner through `admin()`,
/// each call one transaction on the file.
fn build(engine: &Engine) -> Result<(), Box<dyn Error>> {
    let boot = engine.bootstrap();
    boot.add_user(User::new(id_of("alice")?, ACME, SystemRole::Owner.id()))?;
    boot.add_user(User::new(id_of("erin")?, GLOBEX, SystemRole::Admin.id()))?;

    // Alice, Acme's Owner, sets up the rest of her organization.
    let alice = engine.admin(id_of("alice")?);
    alice.create_team_with_id(ACME, MARKETING, "Marketing")?;
    let catalog = engine.catalog();
    let rules = ["read", "update"]
        .into_iter()
        .map(|action| {
            Rule::builder(catalog, "workflows", action)
                .must_match(MustMatch::TEAM)
                .conditions(r#"status != "archived""#)
                .build()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let editor = alice.create_role(ACME, "Marketing Editor", rules)?;
    alice.add_user(User::new(id_of("bob")?, ACME, SystemRole::Developer.id()))?;
    alice.add_user(User::new(id_of("carol")?, ACME, SystemRole::Viewer.id()))?;
    alice.add_user(
        User::new(id_of("dave")?, ACME, SystemRole::EndUser.id()).with_customer(ACME_CUSTOMER),
    )?;
    alice.add_user(User::new(id_of("frank")?, ACME, SystemRole::Operator.id()))?;
    alice.set_status(id_of("frank")?, UserStatus::Suspended)?;
    alice.add_user(User::new(id_of("grace")?, ACME, editor))?;
    alice.add_to_team(MARKETING, id_of("grace")?)?;
    Ok(())
}

/// Prints the quickstart's checks on the engine's current state.
fn decisions(engine: &Engine) -> Result<(), Box<dyn Error>> {
    let snapshot = engine.snapshot();
    let policy = snapshot.policy();
    let catalog = snapshot.catalog();
    let workflows = catalog.resource_type("workflows")?;
    let connections = catalog.resource_type("connections")?;
    let billing = catalog.resource_type("billing")?;
    let profile = catalog.resource_type("profile")?;
    let status = catalog.attribute("status")?;
    let (read, update, execute, delete) = (
        catalog.action("read")?,
        catalog.action("update")?,
        catalog.action("execute")?,
        catalog.action("delete")?,
    );

    let acme_workflow = Resource::new(workflows, ResourceId::new(100), ACME);
    let globex_workflow = Resource::new(workflows, ResourceId::new(200), GLOBEX);
    let campaign = Resource::new(workflows, ResourceId::new(101), ACME)
        .with_team(MARKETING)
        .with_attribute(status, "draft");
    let old_campaign = campaign.clone().with_attribute(status, "archived");
    let daves_connection = Resource::new(connections, ResourceId::new(300), ACME)
        .with_customer(ACME_CUSTOMER)
        .with_owner(id_of("dave")?);
    let bobs_connection = Resource::new(connections, ResourceId::new(301), ACME)
        .with_customer(ACME_CUSTOMER)
        .with_owner(id_of("bob")?);
    let acme_billing = Resource::new(billing, ResourceId::new(1), ACME);
    let bobs_profile = Resource::new(profile, ResourceId::new(2), ACME).with_owner(id_of("bob")?);

    let checks = [
        ("bob", execute, &acme_workflow, "workflow 100 (acme)"),
        ("carol", delete, &acme_workflow, "workflow 100 (acme)"),
        ("alice", read, &globex_workflow, "workflow 200 (globex)"),
        ("erin", read, &globex_workflow, "workflow 200 (globex)"),
        ("bob", update, &acme_billing, "billing (acme)"),
        ("alice", update, &acme_billing, "billing (acme)"),
        ("dave", read, &daves_connection, "dave's connection"),
        ("dave", read, &bobs_connection, "bob's connection"),
        ("frank", read, &acme_workflow, "workflow 100 (acme)"),
        ("grace", update, &campaign, "draft campaign (marketing)"),
        (
            "grace",
            update,
            &old_campaign,
            "archived campaign (marketing)",
        ),
        ("carol", read, &bobs_profile, "bob's profile"),
        ("bob", update, &bobs_profile, "bob's profile"),
    ];

    for (name, action, resource, what) in checks {
        let subject = snapshot
            .subject(id_of(name)?)
            .ok_or_else(|| format!("{name} is not on the file"))?;
        let allowed = snapshot.can(subject.id(), action, resource);
        let why = snapshot.explain(subject.id(), action, resource);
        let role = policy.role(subject.role()).map_or("?", |r| r.name());
        println!(
            "{:5}  {name} ({role}) {} {what}",
            if allowed { "ALLOW" } else { "DENY" },
            catalog.action_name(action).unwrap_or("?"),
        );
        println!("       {}", why.display(policy));
    }
    Ok(())
}

fn main() -> Result<ExitCode, Box<dyn Error>> {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: cargo run -p rolegate-sqlite --example sqlite -- FILE.db");
        return Ok(ExitCode::from(2));
    };
    let path = Path::new(&path);

    // The state and the audit trail on the same file.
    let mut builder = Engine::builder(Catalog::standard());
    builder.audit(AuditLog::new(SqliteSink::open(path, Durability::Strict)?));
    let engine = builder.open(SqliteStore::open(path)?)?;

    if engine.revision() == Revision::ZERO {
        build(&engine)?;
        println!(
            "built the state on {}: now at {}",
            path.display(),
            engine.revision()
        );
    } else {
        println!(
            "read the state from {}: at {}, nothing built",
            path.display(),
            engine.revision()
        );
    }
    decisions(&engine)?;
    Ok(ExitCode::SUCCESS)
}
