//! The six system roles hold exactly the permissions of SEMANTICS.md §7.1: every one of
//! the 39 permissions checked for each role, allowed and denied.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rolegate::catalog::CatalogBuilder;
use rolegate::role::RoleKind;
use rolegate::*;

const ALL_39: [&str; 39] = [
    "connectors.create",
    "connectors.read",
    "connectors.update",
    "connectors.delete",
    "connectors.deploy_test",
    "connectors.deploy_prod",
    "connections.create",
    "connections.read",
    "connections.update",
    "connections.delete",
    "connections.execute",
    "connections.share",
    "workflows.create",
    "workflows.read",
    "workflows.update",
    "workflows.delete",
    "workflows.execute",
    "workflows.deploy_test",
    "workflows.deploy_prod",
    "agents.create",
    "agents.read",
    "agents.update",
    "agents.delete",
    "agents.execute",
    "tools.create",
    "tools.read",
    "tools.update",
    "tools.delete",
    "tools.execute",
    "organization.read",
    "organization.update",
    "billing.read",
    "billing.update",
    "members.read",
    "members.manage",
    "roles.read",
    "roles.manage",
    "activity.read",
    "audit_log.read",
];

const DEVELOPER_LACKS: [&str; 5] = [
    "organization.update",
    "billing.read",
    "billing.update",
    "members.manage",
    "roles.manage",
];

const OPERATOR: [&str; 18] = [
    "connectors.read",
    "connections.create",
    "connections.read",
    "connections.update",
    "connections.delete",
    "connections.execute",
    "connections.share",
    "workflows.read",
    "workflows.execute",
    "agents.read",
    "agents.execute",
    "tools.read",
    "tools.execute",
    "activity.read",
    "organization.read",
    "members.read",
    "roles.read",
    "audit_log.read",
];

const VIEWER: [&str; 7] = [
    "connectors.read",
    "connections.read",
    "workflows.read",
    "agents.read",
    "tools.read",
    "activity.read",
    "organization.read",
];

const END_USER: [&str; 9] = [
    "connectors.read",
    "connections.create",
    "connections.read",
    "connections.update",
    "connections.delete",
    "connections.execute",
    "workflows.read",
    "workflows.execute",
    "activity.read",
];

const ORG: OrgId = OrgId::new(1);
const CUSTOMER: CustomerId = CustomerId::new(30);
const ME: UserId = UserId::new(7);

fn expected(role: SystemRole, permission: &str) -> bool {
    match role {
        SystemRole::Owner | SystemRole::Admin => true,
        SystemRole::Developer => !DEVELOPER_LACKS.contains(&permission),
        SystemRole::Operator => OPERATOR.contains(&permission),
        SystemRole::Viewer => VIEWER.contains(&permission),
        SystemRole::EndUser => END_USER.contains(&permission),
    }
}

fn subject(role: SystemRole) -> Subject {
    Subject::new(ME, ORG, role.id(), UserStatus::Active).with_customer(CUSTOMER)
}

/// A resource of the permission's type in the subject's organization and
/// customer, owned by the subject: every must-match key matches.
fn resource<'a>(catalog: &Catalog, permission: &str) -> (ActionId, Resource<'a>) {
    let (ty, action) = permission.split_once('.').unwrap();
    let resource = Resource::new(catalog.resource_type(ty).unwrap(), ResourceId::new(1), ORG)
        .with_customer(CUSTOMER)
        .with_owner(ME);
    (catalog.action(action).unwrap(), resource)
}

#[test]
fn the_standard_catalog_has_the_39_permissions_in_spec_order() {
    let catalog = Catalog::standard();
    let names: Vec<&str> = catalog.grantable_permissions().map(|p| p.name).collect();
    assert_eq!(names, ALL_39);
    assert_eq!(catalog.grantable_permission_count(), 39);
}

#[test]
fn each_system_role_is_checked_against_every_permission() {
    let policy = Policy::new(Catalog::standard());
    let catalog = policy.catalog();
    for role in SystemRole::ALL {
        let s = subject(role);
        let mut allowed = 0;
        for permission in ALL_39 {
            let (action, r) = resource(catalog, permission);
            let want = expected(role, permission);
            assert_eq!(
                policy.can(&s, action, &r),
                want,
                "{role} on {permission}: expected {}",
                if want { "allow" } else { "deny" }
            );
            assert_eq!(policy.explain(&s, action, &r).is_allowed(), want);
            allowed += usize::from(want);
        }
        let count = [39, 39, 34, 18, 7, 9][role as usize];
        assert_eq!(allowed, count, "{role} allows {allowed} of 39");
    }
}

#[test]
fn system_role_rule_lists_and_counts_match_the_table() {
    let catalog = Catalog::standard();
    for role in SystemRole::ALL {
        let r = Role::system(&catalog, role);
        let names: Vec<&str> = r
            .rules()
            .iter()
            .map(|rule| catalog.permission_name(rule.permission()).unwrap())
            .collect();
        let want: Vec<&str> = ALL_39
            .iter()
            .copied()
            .filter(|p| expected(role, p))
            .collect();
        assert_eq!(names, want, "{role}");
        assert_eq!(r.permissions().len(), want.len());
        assert_eq!(r.kind(), RoleKind::System(role));
        assert_eq!(r.name(), role.name());
    }
}

#[test]
fn end_user_rules_carry_customer_and_connections_carry_owner() {
    let catalog = Catalog::standard();
    let end_user = Role::system(&catalog, SystemRole::EndUser);
    for rule in end_user.rules() {
        let name = catalog.permission_name(rule.permission()).unwrap();
        let mut want = MustMatch::ORGANIZATION | MustMatch::CUSTOMER;
        if name.starts_with("connections.") {
            want |= MustMatch::OWNER;
        }
        assert_eq!(rule.must_match(), want, "{name}");
        assert!(rule.conditions().is_empty());
    }
    for role in [
        SystemRole::Owner,
        SystemRole::Admin,
        SystemRole::Developer,
        SystemRole::Operator,
        SystemRole::Viewer,
    ] {
        assert!(
            Role::system(&catalog, role)
                .rules()
                .iter()
                .all(Rule::is_unconditional),
            "{role}"
        );
    }
}

#[test]
fn end_user_is_denied_outside_its_customer_and_on_connections_it_does_not_own() {
    let policy = Policy::new(Catalog::standard());
    let catalog = policy.catalog();
    let s = subject(SystemRole::EndUser);
    for permission in END_USER {
        let (action, own) = resource(catalog, permission);
        assert!(policy.can(&s, action, &own), "{permission} own");

        let other_customer = own.clone().with_customer(CustomerId::new(31));
        assert!(
            !policy.can(&s, action, &other_customer),
            "{permission} other customer"
        );

        let no_customer = Resource::new(own.resource_type(), own.id(), ORG).with_owner(ME);
        assert!(!policy.can(&s, action, &no_customer), "{permission} none");

        let not_mine = own.clone().with_owner(UserId::new(8));
        let owner_scoped = permission.starts_with("connections.");
        assert_eq!(
            policy.can(&s, action, &not_mine),
            !owner_scoped,
            "{permission} owned by another user"
        );
    }
    // An End User without a customer matches no customer-scoped rule.
    let no_customer = Subject::new(ME, ORG, SystemRole::EndUser.id(), UserStatus::Active);
    let (action, r) = resource(catalog, "workflows.read");
    assert!(!policy.can(&no_customer, action, &r));
}

#[test]
fn other_system_roles_ignore_customer_and_owner() {
    let policy = Policy::new(Catalog::standard());
    let catalog = policy.catalog();
    let (action, r) = resource(catalog, "connections.read");
    let elsewhere = r
        .clone()
        .with_customer(CustomerId::new(99))
        .with_owner(UserId::new(99));
    for role in [SystemRole::Owner, SystemRole::Operator, SystemRole::Viewer] {
        assert!(policy.can(&subject(role), action, &elsewhere), "{role}");
    }
}

#[test]
fn system_role_names_and_ids_round_trip() {
    for (i, role) in SystemRole::ALL.into_iter().enumerate() {
        assert_eq!(role.id().index(), i);
        assert_eq!(SystemRole::from_id(role.id()), Some(role));
        assert_eq!(SystemRole::from_name(role.name()), Some(role));
        assert_eq!(
            SystemRole::from_name(&role.name().to_uppercase()),
            Some(role)
        );
    }
    assert_eq!(SystemRole::from_id(RoleId::new(6).unwrap()), None);
    assert_eq!(SystemRole::from_name("Superuser"), None);
}

#[test]
fn other_catalogs_give_owner_all_and_the_others_what_the_table_has() {
    let catalog = CatalogBuilder::new()
        .resource_type("workflows", ["read", "execute", "archive"])
        .resource_type("billing", ["read"])
        .build()
        .unwrap();
    let names = |role| -> Vec<String> {
        Role::system(&catalog, role)
            .rules()
            .iter()
            .map(|r| catalog.permission_name(r.permission()).unwrap().to_owned())
            .collect()
    };
    let all = [
        "workflows.read",
        "workflows.execute",
        "workflows.archive",
        "billing.read",
    ];
    assert_eq!(names(SystemRole::Owner), all);
    assert_eq!(names(SystemRole::Admin), all);
    assert_eq!(
        names(SystemRole::Developer),
        ["workflows.read", "workflows.execute", "workflows.archive"]
    );
    assert_eq!(
        names(SystemRole::Operator),
        ["workflows.read", "workflows.execute"]
    );
    assert_eq!(names(SystemRole::Viewer), ["workflows.read"]);
    assert_eq!(
        names(SystemRole::EndUser),
        ["workflows.read", "workflows.execute"]
    );
}
