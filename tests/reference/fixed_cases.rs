//! Fixed cases that pin the reference itself to SEMANTICS.md §1.5 and §2–§7.

use rolegate::*;

use crate::engine_inputs::engine_catalog;
use crate::fixture::{
    ACME, ADMIN, BLUE, DEVELOPER, END_USER_ROLE, FIRST_CUSTOM, Fixture, GLOBEX, ME, OPERATOR_ROLE,
    ORG, OTHER_ORG, OWNER, RED, SOMEONE, VIEWER_ROLE, custom_role, person, thing,
};
use crate::plain::{Keys, PlainResource, PlainSubject, PlainValue, UNKNOWN};
use crate::shipped::{content_platform_decl, standard_decl};
use crate::system_roles::system_roles;

#[test]
fn plain_catalogs_are_the_shipped_presets() {
    assert_eq!(
        engine_catalog(&standard_decl()).fingerprint(),
        Catalog::standard().fingerprint()
    );
    assert_eq!(
        engine_catalog(&content_platform_decl()).fingerprint(),
        Catalog::content_platform().fingerprint()
    );
    // SEMANTICS.md §7.1: rule counts of the six system roles in the standard catalog.
    let counts: Vec<usize> = system_roles(&standard_decl())
        .iter()
        .map(|r| r.rules.len())
        .collect();
    assert_eq!(counts, [39, 39, 34, 18, 7, 9]);
}

#[test]
fn end_user_reaches_own_connections_of_own_customer_only() {
    let f = Fixture::standard(|_| Vec::new());
    let me = PlainSubject {
        customer: Some(ACME),
        ..person(END_USER_ROLE)
    };
    let own = PlainResource {
        customer: Some(ACME),
        owner: Some(ME),
        ..thing("connections")
    };
    f.expect(&me, "read", &own, true);
    f.expect(&me, "execute", &own, true);
    // connections.share is not in End User's list.
    f.expect(&me, "share", &own, false);
    let someone_elses = PlainResource {
        owner: Some(SOMEONE),
        ..own.clone()
    };
    f.expect(&me, "read", &someone_elses, false);
    let unowned = PlainResource {
        owner: None,
        ..own.clone()
    };
    f.expect(&me, "read", &unowned, false);
    let other_customer = PlainResource {
        customer: Some(GLOBEX),
        ..own.clone()
    };
    f.expect(&me, "read", &other_customer, false);
    let no_customer = PlainResource {
        customer: None,
        ..own.clone()
    };
    f.expect(&me, "read", &no_customer, false);
    let me_without_customer = person(END_USER_ROLE);
    f.expect(&me_without_customer, "read", &own, false);
    // Workflows need the customer, not the owner.
    let workflow = PlainResource {
        customer: Some(ACME),
        ..thing("workflows")
    };
    f.expect(&me, "execute", &workflow, true);
    f.expect(&me, "update", &workflow, false);
    f.expect(&me_without_customer, "execute", &workflow, false);
}

#[test]
fn system_roles_follow_the_spec_table() {
    let f = Fixture::standard(|_| Vec::new());
    for (role, permission, allowed) in [
        (OWNER, "billing.update", true),
        (ADMIN, "roles.manage", true),
        (DEVELOPER, "workflows.deploy_prod", true),
        (DEVELOPER, "billing.read", false),
        (DEVELOPER, "organization.update", false),
        (DEVELOPER, "members.read", true),
        (OPERATOR_ROLE, "connections.share", true),
        (OPERATOR_ROLE, "workflows.update", false),
        (OPERATOR_ROLE, "audit_log.read", true),
        (VIEWER_ROLE, "workflows.read", true),
        (VIEWER_ROLE, "members.read", false),
        (VIEWER_ROLE, "workflows.execute", false),
        (END_USER_ROLE, "activity.read", false),
    ] {
        let (ty, action) = permission.split_once('.').unwrap();
        f.expect(&person(role), action, &thing(ty), allowed);
    }
    // Inapplicable and unknown actions are denied even to the Owner.
    f.expect(&person(OWNER), "execute", &thing("billing"), false);
    f.expect(&person(OWNER), UNKNOWN, &thing("billing"), false);
    f.expect(&person(OWNER), "read", &thing(UNKNOWN), false);
}

#[test]
fn tenant_isolation_and_inactive_users() {
    let f = Fixture::standard(|_| Vec::new());
    let elsewhere = PlainResource {
        organization: OTHER_ORG,
        ..thing("workflows")
    };
    f.expect(&person(OWNER), "read", &elsewhere, false);
    f.expect(&person(OWNER), "read", &thing("workflows"), true);
    for status in [UserStatus::Invited, UserStatus::Suspended] {
        let inactive = PlainSubject {
            status,
            ..person(OWNER)
        };
        f.expect(&inactive, "read", &thing("workflows"), false);
        let own_profile = PlainResource {
            owner: Some(ME),
            ..thing("profile")
        };
        f.expect(&inactive, "read", &own_profile, false);
    }
}

#[test]
fn built_in_profile_rules_hold_for_every_role() {
    let f = Fixture::standard(|decl| {
        vec![
            custom_role(decl, ORG, "Nothing", &[]),
            custom_role(decl, OTHER_ORG, "Elsewhere", &[]),
        ]
    });
    let own = PlainResource {
        owner: Some(ME),
        ..thing("profile")
    };
    let others = PlainResource {
        owner: Some(SOMEONE),
        ..thing("profile")
    };
    for role in [OWNER, VIEWER_ROLE, END_USER_ROLE, FIRST_CUSTOM] {
        f.expect(&person(role), "read", &own, true);
        f.expect(&person(role), "update", &own, true);
        f.expect(&person(role), "read", &others, false);
        f.expect(&person(role), "read", &thing("profile"), false);
    }
    // A role of another organization, or one the policy lacks, holds nothing.
    f.expect(&person(FIRST_CUSTOM + 1), "read", &own, false);
    f.expect(&person(FIRST_CUSTOM + 2), "read", &own, false);
}

#[test]
fn conditions_and_must_match_on_the_standard_catalog() {
    let f = Fixture::standard(|decl| {
        vec![custom_role(
            decl,
            ORG,
            "Editor",
            &[
                (
                    "workflows",
                    "update",
                    Keys::default(),
                    r#"status != "archived" and priority <= 3"#,
                ),
                (
                    "tools",
                    "execute",
                    Keys {
                        team: true,
                        ..Keys::default()
                    },
                    "",
                ),
            ],
        )]
    });
    let editor = PlainSubject {
        teams: vec![RED],
        ..person(FIRST_CUSTOM)
    };
    let workflow = |attrs: Vec<(&str, PlainValue)>| PlainResource {
        attrs: attrs.into_iter().map(|(n, v)| (n.to_owned(), v)).collect(),
        ..thing("workflows")
    };
    let draft = || ("status", PlainValue::Str("draft".to_owned()));
    f.expect(
        &editor,
        "update",
        &workflow(vec![draft(), ("priority", PlainValue::Int(3))]),
        true,
    );
    f.expect(
        &editor,
        "update",
        &workflow(vec![draft(), ("priority", PlainValue::Int(4))]),
        false,
    );
    f.expect(
        &editor,
        "update",
        &workflow(vec![
            ("status", PlainValue::Str("archived".to_owned())),
            ("priority", PlainValue::Int(1)),
        ]),
        false,
    );
    // A missing attribute makes even `!=` false.
    f.expect(
        &editor,
        "update",
        &workflow(vec![("priority", PlainValue::Int(1))]),
        false,
    );
    // A value of another type makes the comparison false.
    f.expect(
        &editor,
        "update",
        &workflow(vec![draft(), ("priority", PlainValue::Str("1".to_owned()))]),
        false,
    );
    // The rule is on update only.
    f.expect(
        &editor,
        "delete",
        &workflow(vec![draft(), ("priority", PlainValue::Int(1))]),
        false,
    );
    let tool = |team| PlainResource {
        team,
        ..thing("tools")
    };
    f.expect(&editor, "execute", &tool(Some(RED)), true);
    f.expect(&editor, "execute", &tool(Some(BLUE)), false);
    f.expect(&editor, "execute", &tool(None), false);
}

#[test]
fn synced_permissions_on_the_content_platform() {
    let f = Fixture::content_platform(|decl| {
        vec![custom_role(
            decl,
            ORG,
            "Publisher",
            &[
                ("content", "update", Keys::default(), r#"status == "draft""#),
                ("datasource", "read", Keys::default(), ""),
                ("content_font_resources", "delete", Keys::default(), ""),
            ],
        )]
    });
    let publisher = person(FIRST_CUSTOM);
    let draft = |ty: &str| PlainResource {
        attrs: vec![("status".to_owned(), PlainValue::Str("draft".to_owned()))],
        ..thing(ty)
    };
    f.expect(&publisher, "update", &draft("content"), true);
    // Synced with the same condition.
    f.expect(&publisher, "update", &draft("content_font_resources"), true);
    f.expect(
        &publisher,
        "update",
        &thing("content_font_resources"),
        false,
    );
    f.expect(&publisher, "read", &thing("oauth_clients"), true);
    f.expect(&publisher, "read", &thing("workflow"), false);
    // Syncs go one way only.
    f.expect(&publisher, "delete", &thing("content_font_resources"), true);
    f.expect(&publisher, "delete", &thing("content"), false);
    // `statistics` takes access and export only.
    f.expect(&person(OWNER), "access", &thing("statistics"), true);
    f.expect(&person(OWNER), "read", &thing("statistics"), false);
}
