//! Quickstart: the standard catalog, users of two organizations with
//! different roles, and a dozen checks printed with their explanations.
//!
//! Run with `cargo run --example quickstart`.

use rolegate::{
    Catalog, CustomerId, MustMatch, OrgId, Policy, Resource, ResourceId, Rule, Subject, SystemRole,
    TeamId, UserId, UserStatus,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The catalog: the 39 standard permissions, plus built-in profile rules.
    let catalog = Catalog::standard();

    // 2. One custom role for Acme: edit workflows of your own teams, unless
    //    they are archived.
    let acme = OrgId::new(1);
    let globex = OrgId::new(2);
    let marketing = TeamId::new(10);
    let rules = ["read", "update"]
        .into_iter()
        .map(|action| {
            Rule::builder(&catalog, "workflows", action)
                .must_match(MustMatch::TEAM)
                .conditions(r#"status != "archived""#)
                .build()
        })
        .collect::<Result<Vec<_>, _>>()?;

    // 3. Compile: the six system roles plus the custom one.
    let mut builder = Policy::builder(catalog);
    let editor = builder.create_role(acme, "Marketing Editor", rules)?;
    let policy = builder.build();
    let catalog = policy.catalog();

    // Resolve names to ids once; checks then touch no strings.
    let workflows = catalog.resource_type("workflows")?;
    let connections = catalog.resource_type("connections")?;
    let billing = catalog.resource_type("billing")?;
    let profile = catalog.resource_type("profile")?;
    let status = catalog.attribute("status")?;
    let [read, update, execute, delete] =
        ["read", "update", "execute", "delete"].map(|a| catalog.action(a));
    let (read, update, execute, delete) = (read?, update?, execute?, delete?);

    // 4. People of two organizations.
    let acme_customer = CustomerId::new(30);
    let people = [
        (
            "alice",
            Subject::new(
                UserId::new(1),
                acme,
                SystemRole::Owner.id(),
                UserStatus::Active,
            ),
        ),
        (
            "bob",
            Subject::new(
                UserId::new(2),
                acme,
                SystemRole::Developer.id(),
                UserStatus::Active,
            ),
        ),
        (
            "carol",
            Subject::new(
                UserId::new(3),
                acme,
                SystemRole::Viewer.id(),
                UserStatus::Active,
            ),
        ),
        (
            "dave",
            Subject::new(
                UserId::new(4),
                acme,
                SystemRole::EndUser.id(),
                UserStatus::Active,
            )
            .with_customer(acme_customer),
        ),
        (
            "erin",
            Subject::new(
                UserId::new(5),
                globex,
                SystemRole::Admin.id(),
                UserStatus::Active,
            ),
        ),
        (
            "frank",
            Subject::new(
                UserId::new(6),
                acme,
                SystemRole::Operator.id(),
                UserStatus::Suspended,
            ),
        ),
        (
            "grace",
            Subject::new(UserId::new(7), acme, editor, UserStatus::Active).with_team(marketing),
        ),
    ];
    let person = |name: &str| {
        people
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.clone())
            .ok_or("unknown person")
    };

    // 5. Things to act on.
    let acme_workflow = Resource::new(workflows, ResourceId::new(100), acme);
    let globex_workflow = Resource::new(workflows, ResourceId::new(200), globex);
    let campaign = Resource::new(workflows, ResourceId::new(101), acme)
        .with_team(marketing)
        .with_attribute(status, "draft");
    let old_campaign = campaign.clone().with_attribute(status, "archived");
    let daves_connection = Resource::new(connections, ResourceId::new(300), acme)
        .with_customer(acme_customer)
        .with_owner(UserId::new(4));
    let bobs_connection = Resource::new(connections, ResourceId::new(301), acme)
        .with_customer(acme_customer)
        .with_owner(UserId::new(2));
    let acme_billing = Resource::new(billing, ResourceId::new(1), acme);
    let bobs_profile = Resource::new(profile, ResourceId::new(2), acme).with_owner(UserId::new(2));

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
        let subject = person(name)?;
        let allowed = policy.can(&subject, action, resource);
        let why = policy.explain(&subject, action, resource);
        let role = policy.role(subject.role()).map_or("?", |r| r.name());
        println!(
            "{:5}  {name} ({role}) {} {what}",
            if allowed { "ALLOW" } else { "DENY" },
            catalog.action_name(action).unwrap_or("?"),
        );
        println!("       {}", why.display(&policy));
    }
    Ok(())
}
