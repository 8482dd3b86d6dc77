//! Every administrative operation, as a call that can be made twice: the
//! fault-injection tests make each fail once, then succeed. Shared with the
//! SQLite store's tests.

use rolegate::{AdminError, Engine, MustMatch, Rule, SystemRole, TeamId, User, UserId, UserStatus};

use crate::world::{ACME, Built};

/// An operation: its audit action and the call.
pub type Op = (&'static str, Box<dyn Fn(&Engine) -> Result<(), AdminError>>);

fn admin(e: &Engine) -> rolegate::Admin<'_> {
    e.admin(UserId::new(1))
}

fn rule(engine: &Engine, ty: &str, action: &str) -> Rule {
    Rule::builder(engine.catalog(), ty, action)
        .must_match(MustMatch::TEAM)
        .conditions(r#"status != "archived""#)
        .build()
        .unwrap()
}

fn role_of(e: &Engine, name: &str) -> rolegate::RoleId {
    e.snapshot().policy().role_named(ACME, name).unwrap()
}

fn team_of(e: &Engine, name: &str) -> TeamId {
    e.snapshot()
        .teams(ACME)
        .into_iter()
        .find(|t| t.name == name)
        .unwrap()
        .id
}

/// Every administrative operation once, on the state `populate` built.
pub fn all(built: &Built) -> Vec<Op> {
    let editor = built.editor;
    let marketing = built.teams[0];
    let platform = built.teams[1];
    vec![
        (
            "role.create",
            Box::new(move |e| {
                admin(e)
                    .create_role(ACME, "Fresh", [rule(e, "workflows", "read")])
                    .map(drop)
            }),
        ),
        (
            "role.create",
            Box::new(move |e| {
                admin(e)
                    .duplicate_role(ACME, SystemRole::Viewer.id(), "Viewer Copy")
                    .map(drop)
            }),
        ),
        (
            "role.import",
            Box::new(move |e| {
                let csv = "Role name,Resource,Action,Conditions,Must Match\n\
                       Importer,tools,read,,organization\n\
                       Fresh,tools,execute,,organization\n";
                admin(e).import_roles(ACME, csv).map(drop)
            }),
        ),
        (
            "role.update",
            Box::new(move |e| admin(e).rename_role(editor, "Editor").map(drop)),
        ),
        (
            "role.update",
            Box::new(move |e| {
                admin(e)
                    .replace_rules(editor, [rule(e, "workflows", "update")])
                    .map(drop)
            }),
        ),
        (
            "role.delete",
            Box::new(move |e| {
                let fresh = role_of(e, "Fresh");
                admin(e)
                    .delete_role(fresh, Some(SystemRole::Viewer.id()))
                    .map(drop)
            }),
        ),
        (
            "member.add",
            Box::new(move |e| {
                admin(e)
                    .add_user(
                        User::new(UserId::new(50), ACME, SystemRole::Viewer.id())
                            .with_team(marketing),
                    )
                    .map(drop)
            }),
        ),
        (
            "member.role_assign",
            Box::new(move |e| admin(e).assign_role(UserId::new(50), editor).map(drop)),
        ),
        (
            "member.status_change",
            Box::new(move |e| {
                admin(e)
                    .set_status(UserId::new(50), UserStatus::Suspended)
                    .map(drop)
            }),
        ),
        (
            "team.create",
            Box::new(move |e| admin(e).create_team(ACME, "Fresh Team").map(drop)),
        ),
        (
            "team.create",
            Box::new(move |e| {
                admin(e)
                    .create_team_with_id(ACME, TeamId::new(5_000), "Host Team")
                    .map(drop)
            }),
        ),
        (
            "team.update",
            Box::new(move |e| {
                let t = team_of(e, "Fresh Team");
                admin(e).rename_team(t, "Renamed Team").map(drop)
            }),
        ),
        (
            "team.member_add",
            Box::new(move |e| admin(e).add_to_team(platform, UserId::new(50)).map(drop)),
        ),
        (
            "team.member_remove",
            Box::new(move |e| {
                admin(e)
                    .remove_from_team(marketing, UserId::new(50))
                    .map(drop)
            }),
        ),
        (
            "team.role_assign",
            Box::new(move |e| {
                admin(e)
                    .assign_team_role(platform, SystemRole::Operator.id())
                    .map(drop)
            }),
        ),
        (
            "team.delete",
            Box::new(move |e| {
                let t = team_of(e, "Renamed Team");
                admin(e).delete_team(t).map(drop)
            }),
        ),
        (
            "member.remove",
            Box::new(move |e| admin(e).remove_user(UserId::new(50)).map(drop)),
        ),
    ]
}
