//! Custom roles and teams, the way an administrator works through them:
//! list the roles, create "Marketing Editor", duplicate Developer as a
//! custom role and edit it, assign roles and teams, filter the people
//! listing, see the impact of an edit, and delete a role moving its holders.
//!
//! Run with `cargo run --example custom_roles`.

use rolegate::catalog::PermissionSet;
use rolegate::directory::{PeopleFilter, Timestamp};
use rolegate::{
    Catalog, Engine, MustMatch, OrgId, Role, Rule, Snapshot, SystemRole, User, UserId, UserStatus,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::new(Catalog::standard());
    let catalog = engine.catalog();
    let acme = OrgId::new(1);

    // Trusted configuration creates the first Owner; everything after is
    // done by people, through the delegation guard.
    let alice = UserId::new(1);
    engine
        .bootstrap()
        .add_user(User::new(alice, acme, SystemRole::Owner.id()))?;
    let admin = engine.admin(alice);

    println!("== Roles of Acme");
    print_roles(&engine.snapshot(), acme);

    println!(
        "\n== Create \"Marketing Editor\": read and update workflows of their teams, unless archived"
    );
    let editor_rules = ["read", "update"]
        .into_iter()
        .map(|action| {
            Rule::builder(catalog, "workflows", action)
                .must_match(MustMatch::TEAM)
                .conditions(r#"status != "archived""#)
                .build()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let editor = admin.create_role(acme, "Marketing Editor", editor_rules)?;
    let granted = engine
        .snapshot()
        .policy()
        .role(editor)
        .map(Role::permissions)
        .unwrap_or_default();
    println!("created with {}", names(catalog, &granted));

    println!(
        "\n== Duplicate Developer as \"Release Engineer\", then let it read billing but not deploy to production"
    );
    let release = admin.duplicate_role(acme, SystemRole::Developer.id(), "Release Engineer")?;
    let snapshot = engine.snapshot();
    let mut rules = snapshot
        .policy()
        .role(release)
        .ok_or("just created")?
        .rules()
        .to_vec();
    rules.retain(|r| {
        !catalog
            .permission_name(r.permission())
            .is_some_and(|n| n.ends_with(".deploy_prod"))
    });
    rules.push(Rule::builder(catalog, "billing", "read").build()?);
    let edit = admin.replace_rules(release, rules)?;
    println!("gained: {}", names(catalog, &edit.gained));
    println!("lost:   {}", names(catalog, &edit.lost));

    println!("\n== People and teams");
    let marketing = admin.create_team(acme, "Marketing")?;
    let platform = admin.create_team(acme, "Platform")?;
    let people = [
        (2, SystemRole::Admin.id(), UserStatus::Active),
        (3, SystemRole::Developer.id(), UserStatus::Active),
        (4, SystemRole::Viewer.id(), UserStatus::Active),
        (5, SystemRole::Viewer.id(), UserStatus::Invited),
        (6, SystemRole::Operator.id(), UserStatus::Suspended),
    ];
    for (id, role, status) in people {
        admin.add_user(User::new(UserId::new(id), acme, role).with_status(status))?;
    }
    for id in [4, 5] {
        admin.add_to_team(marketing, UserId::new(id))?;
    }
    for id in [3, 6] {
        admin.add_to_team(platform, UserId::new(id))?;
    }
    engine.record_activity(
        UserId::new(3),
        Timestamp::from_unix_millis(1_795_426_200_000),
    );
    engine.record_activity(
        UserId::new(4),
        Timestamp::from_unix_millis(1_795_339_800_000),
    );
    let moved = admin.assign_team_role(marketing, editor)?;
    println!("Marketing's {moved} members are now Marketing Editors");
    admin.assign_role(UserId::new(3), release)?;
    print_people(&engine.snapshot(), acme, "everyone", PeopleFilter::new());
    print_people(
        &engine.snapshot(),
        acme,
        "Marketing Editors, active",
        PeopleFilter::new().role(editor).status(UserStatus::Active),
    );
    print_people(
        &engine.snapshot(),
        acme,
        "team Platform",
        PeopleFilter::new().team(platform),
    );
    let deploy = catalog.permission_named("workflows.deploy_prod")?;
    print_people(
        &engine.snapshot(),
        acme,
        "who can deploy workflows to production",
        PeopleFilter::new().can(deploy),
    );

    println!("\n== The impact of an edit: Marketing Editors may now execute workflows too");
    let mut rules = engine
        .snapshot()
        .policy()
        .role(editor)
        .ok_or("exists")?
        .rules()
        .to_vec();
    rules.push(
        Rule::builder(catalog, "workflows", "execute")
            .must_match(MustMatch::TEAM)
            .build()?,
    );
    let edit = admin.replace_rules(editor, rules)?;
    println!(
        "gained {}, lost {}, affecting {} user(s)",
        names(catalog, &edit.gained),
        names(catalog, &edit.lost),
        edit.holders
    );

    println!("\n== An Admin may not hand out the Owner role");
    let refused = engine
        .admin(UserId::new(2))
        .assign_role(UserId::new(4), SystemRole::Owner.id());
    println!(
        "{}",
        refused
            .err()
            .map_or_else(|| "allowed?!".to_owned(), |e| e.to_string())
    );

    println!(
        "\n== Delete \"Marketing Editor\" while held: refused, then with its holders moved to Viewer"
    );
    if let Err(e) = admin.delete_role(editor, None) {
        println!("{e}");
    }
    let done = admin.delete_role(editor, Some(SystemRole::Viewer.id()))?;
    println!("deleted; {} holder(s) moved", done.moved);
    print_roles(&engine.snapshot(), acme);
    Ok(())
}

fn names(catalog: &Catalog, set: &PermissionSet) -> String {
    if set.is_empty() {
        return "(none)".to_owned();
    }
    set.iter()
        .filter_map(|p| catalog.permission_name(p))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_roles(snapshot: &Snapshot, org: OrgId) {
    println!(
        "{:<20} {:<7} {:>5} {:>11} {:>5}",
        "ROLE", "KIND", "USERS", "PERMISSIONS", "RULES"
    );
    for role in snapshot.roles(org) {
        println!(
            "{:<20} {:<7} {:>5} {:>11} {:>5}",
            role.name,
            role.kind.to_string(),
            role.users,
            role.permissions,
            role.rules
        );
    }
}

fn print_people(snapshot: &Snapshot, org: OrgId, title: &str, filter: PeopleFilter) {
    println!("-- {title}");
    println!(
        "{:<6} {:<18} {:<20} {:<10} LAST ACTIVE",
        "USER", "ROLE", "TEAMS", "STATUS"
    );
    for person in snapshot.people(org, &filter) {
        println!(
            "{:<6} {:<18} {:<20} {:<10} {}",
            person.user.id().to_string(),
            person.role,
            person.teams.join(", "),
            person.user.status().to_string(),
            person
                .user
                .last_active()
                .map_or_else(|| "never".to_owned(), |t| t.to_string())
        );
    }
}
