//! Each numbered decision rule of SEMANTICS.md §2.2–§2.6, §3 and §4, and the built-in profile
//! rules, with an allow and a deny side by side.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rolegate::catalog::AttrType;
use rolegate::condition::ConditionErrorKind;
use rolegate::evaluate::AttributeValue;
use rolegate::*;

const ORG: OrgId = OrgId::new(1);
const OTHER_ORG: OrgId = OrgId::new(2);
const ME: UserId = UserId::new(7);
const SOMEONE: UserId = UserId::new(8);
const ACME: CustomerId = CustomerId::new(30);
const GLOBEX: CustomerId = CustomerId::new(31);
const RED: TeamId = TeamId::new(100);
const BLUE: TeamId = TeamId::new(101);

/// A catalog with one attribute of every type, for the condition cases.
fn documents_catalog() -> Catalog {
    Catalog::builder()
        .resource_type("documents", ["read", "update", "publish"])
        .resource_type("invoices", ["read"])
        .attribute("documents", "status", AttrType::String)
        .attribute("documents", "pages", AttrType::Integer)
        .attribute("documents", "public", AttrType::Boolean)
        .attribute("documents", "author", AttrType::User)
        .attribute("documents", "home", AttrType::Organization)
        .attribute("documents", "client", AttrType::Customer)
        .builtin_resource_type("profile", ["read", "update"])
        .builtin_rule("profile", "read", MustMatch::OWNER, "")
        .builtin_rule("profile", "update", MustMatch::OWNER, "")
        .build()
        .unwrap()
}

/// A policy over `catalog` with one custom role in [`ORG`] holding `rules`,
/// each given as (resource, action, must-match, conditions).
fn policy_with(catalog: Catalog, rules: &[(&str, &str, MustMatch, &str)]) -> (Policy, RoleId) {
    let rules: Vec<Rule> = rules
        .iter()
        .map(|&(ty, action, keys, conditions)| {
            Rule::builder(&catalog, ty, action)
                .must_match(keys)
                .conditions(conditions)
                .build()
                .unwrap()
        })
        .collect();
    let mut builder = Policy::builder(catalog);
    builder.create_role(ORG, "Tested", rules).unwrap();
    let policy = builder.build();
    let id = policy.role_named(ORG, "Tested").unwrap();
    (policy, id)
}

/// Checks one request with both `can` and `explain`, which must agree.
#[track_caller]
fn case(policy: &Policy, subject: &Subject, action: &str, resource: &Resource<'_>, allow: bool) {
    let action = policy.catalog().action(action).unwrap();
    assert_eq!(policy.can(subject, action, resource), allow, "can");
    let why = policy.explain(subject, action, resource);
    assert_eq!(why.is_allowed(), allow, "explain: {}", why.display(policy));
}

fn me(role: RoleId) -> Subject {
    Subject::new(ME, ORG, role, UserStatus::Active)
}

fn res<'a>(policy: &Policy, ty: &str) -> Resource<'a> {
    Resource::new(
        policy.catalog().resource_type(ty).unwrap(),
        ResourceId::new(1),
        ORG,
    )
}

#[test]
fn s6_1_deny_by_default() {
    let (empty, role) = policy_with(Catalog::standard(), &[]);
    let workflow = res(&empty, "workflows");
    case(&empty, &me(role), "read", &workflow, false);

    let (granted, role) = policy_with(
        Catalog::standard(),
        &[("workflows", "read", MustMatch::empty(), "")],
    );
    case(&granted, &me(role), "read", &workflow, true);
    case(&granted, &me(role), "update", &workflow, false);
}

#[test]
fn s6_2_tenant_isolation_holds_even_for_owner_and_admin() {
    let policy = Policy::new(Catalog::standard());
    let ours = res(&policy, "workflows");
    let theirs = Resource::new(ours.resource_type(), ResourceId::new(2), OTHER_ORG);
    for role in [SystemRole::Owner, SystemRole::Admin] {
        case(&policy, &me(role.id()), "read", &ours, true);
        case(&policy, &me(role.id()), "read", &theirs, false);
        case(&policy, &me(role.id()), "delete", &theirs, false);
    }
    let why = policy.explain(
        &me(SystemRole::Owner.id()),
        policy.catalog().action("read").unwrap(),
        &theirs,
    );
    assert_eq!(
        why,
        Explanation::Denied(Denial::OtherOrganization {
            subject: ORG,
            resource: OTHER_ORG
        })
    );
}

#[test]
fn s6_3_only_active_users_built_in_rules_included() {
    let policy = Policy::new(Catalog::standard());
    let workflow = res(&policy, "workflows");
    let profile = res(&policy, "profile").with_owner(ME);
    let owner = me(SystemRole::Owner.id());
    case(&policy, &owner, "read", &workflow, true);
    case(&policy, &owner, "read", &profile, true);
    for status in [UserStatus::Invited, UserStatus::Suspended] {
        let inactive = owner.clone().with_status(status);
        case(&policy, &inactive, "read", &workflow, false);
        case(&policy, &inactive, "read", &profile, false);
        let why = policy.explain(
            &inactive,
            policy.catalog().action("read").unwrap(),
            &workflow,
        );
        assert_eq!(why, Explanation::Denied(Denial::Inactive { status }));
    }
}

#[test]
fn s6_4_inapplicable_actions_are_denied_at_check_and_rejected_when_written() {
    let policy = Policy::new(Catalog::standard());
    let owner = me(SystemRole::Owner.id());
    case(&policy, &owner, "read", &res(&policy, "billing"), true);
    case(&policy, &owner, "execute", &res(&policy, "billing"), false);
    case(&policy, &owner, "manage", &res(&policy, "workflows"), false);

    let catalog = policy.catalog();
    let err = Rule::builder(catalog, "billing", "execute")
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        RuleError::Name(NameError::NotApplicable {
            resource: "billing".into(),
            action: "execute".into()
        })
    );
    assert!(matches!(
        Rule::builder(catalog, "billing", "fly").build(),
        Err(RuleError::Name(NameError::UnknownAction { .. }))
    ));
    assert!(matches!(
        Rule::builder(catalog, "rockets", "read").build(),
        Err(RuleError::Name(NameError::UnknownResourceType { .. }))
    ));
}

#[test]
fn ids_the_policy_does_not_know_are_denied() {
    let policy = Policy::new(Catalog::standard());
    let owner = me(SystemRole::Owner.id());
    let workflow = res(&policy, "workflows");
    let read = policy.catalog().action("read").unwrap();
    let bogus_action = ActionId::new(1000).unwrap();
    assert!(policy.can(&owner, read, &workflow));
    assert!(!policy.can(&owner, bogus_action, &workflow));

    let bogus_type = Resource::new(ResourceTypeId::new(1000).unwrap(), ResourceId::new(1), ORG);
    assert!(!policy.can(&owner, read, &bogus_type));

    let bogus_role = owner.clone().with_role(RoleId::new(1000).unwrap());
    assert!(!policy.can(&bogus_role, read, &workflow));
    assert_eq!(
        policy.explain(&bogus_role, read, &workflow),
        Explanation::Denied(Denial::UnknownRole {
            role: RoleId::new(1000).unwrap()
        })
    );
}

#[test]
fn a_custom_role_works_only_in_its_own_organization() {
    let (policy, role) = policy_with(
        Catalog::standard(),
        &[("workflows", "read", MustMatch::empty(), "")],
    );
    let ours = res(&policy, "workflows");
    case(&policy, &me(role), "read", &ours, true);

    let outsider = Subject::new(SOMEONE, OTHER_ORG, role, UserStatus::Active);
    let theirs = Resource::new(ours.resource_type(), ResourceId::new(2), OTHER_ORG);
    case(&policy, &outsider, "read", &theirs, false);
    let why = policy.explain(&outsider, policy.catalog().action("read").unwrap(), &theirs);
    assert_eq!(
        why,
        Explanation::Denied(Denial::RoleOfOtherOrganization {
            role,
            organization: ORG
        })
    );
}

#[test]
fn s6_5_rules_combine_with_or() {
    let (policy, role) = policy_with(
        documents_catalog(),
        &[
            ("documents", "read", MustMatch::TEAM, ""),
            (
                "documents",
                "read",
                MustMatch::empty(),
                r#"status == "published""#,
            ),
        ],
    );
    let status = policy.catalog().attribute("status").unwrap();
    let subject = me(role).with_team(RED);
    let doc = res(&policy, "documents");
    case(&policy, &subject, "read", &doc.clone().with_team(RED), true);
    case(
        &policy,
        &subject,
        "read",
        &doc.clone().with_attribute(status, "published"),
        true,
    );
    case(
        &policy,
        &subject,
        "read",
        &doc.clone()
            .with_team(RED)
            .with_attribute(status, "published"),
        true,
    );
    case(
        &policy,
        &subject,
        "read",
        &doc.clone().with_team(BLUE).with_attribute(status, "draft"),
        false,
    );
    case(&policy, &subject, "read", &doc, false);
}

#[test]
fn s6_6_must_match_customer() {
    let (policy, role) = policy_with(
        Catalog::standard(),
        &[("workflows", "read", MustMatch::CUSTOMER, "")],
    );
    let w = res(&policy, "workflows");
    let with_acme = me(role).with_customer(ACME);
    case(
        &policy,
        &with_acme,
        "read",
        &w.clone().with_customer(ACME),
        true,
    );
    case(
        &policy,
        &with_acme,
        "read",
        &w.clone().with_customer(GLOBEX),
        false,
    );
    case(&policy, &with_acme, "read", &w, false);
    // Neither having a customer is not a match.
    case(&policy, &me(role), "read", &w, false);
    case(
        &policy,
        &me(role),
        "read",
        &w.clone().with_customer(ACME),
        false,
    );
}

#[test]
fn s6_6_must_match_team() {
    let (policy, role) = policy_with(
        Catalog::standard(),
        &[("workflows", "read", MustMatch::TEAM, "")],
    );
    let w = res(&policy, "workflows");
    let in_two = me(role).with_teams([RED, BLUE]);
    case(&policy, &in_two, "read", &w.clone().with_team(BLUE), true);
    case(
        &policy,
        &in_two,
        "read",
        &w.clone().with_team(TeamId::new(102)),
        false,
    );
    case(&policy, &in_two, "read", &w, false);
    case(&policy, &me(role), "read", &w.clone().with_team(RED), false);
}

#[test]
fn s6_6_must_match_owner() {
    let (policy, role) = policy_with(
        Catalog::standard(),
        &[("workflows", "read", MustMatch::OWNER, "")],
    );
    let w = res(&policy, "workflows");
    case(&policy, &me(role), "read", &w.clone().with_owner(ME), true);
    case(
        &policy,
        &me(role),
        "read",
        &w.clone().with_owner(SOMEONE),
        false,
    );
    case(&policy, &me(role), "read", &w, false);
}

#[test]
fn s6_6_must_match_keys_combine_with_and() {
    let (policy, role) = policy_with(
        Catalog::standard(),
        &[(
            "workflows",
            "read",
            MustMatch::CUSTOMER | MustMatch::TEAM | MustMatch::OWNER,
            "",
        )],
    );
    let all = res(&policy, "workflows")
        .with_customer(ACME)
        .with_team(RED)
        .with_owner(ME);
    let s = me(role).with_customer(ACME).with_team(RED);
    case(&policy, &s, "read", &all, true);
    case(
        &policy,
        &s,
        "read",
        &all.clone().with_customer(GLOBEX),
        false,
    );
    case(&policy, &s, "read", &all.clone().with_team(BLUE), false);
    case(&policy, &s, "read", &all.clone().with_owner(SOMEONE), false);
}

/// One condition on `documents.read`, then resources that pass and fail it.
#[track_caller]
fn condition_case(conditions: &str, set: &[(&str, AttributeValue<'_>)], allow: bool) {
    let (policy, role) = policy_with(
        documents_catalog(),
        &[("documents", "read", MustMatch::empty(), conditions)],
    );
    let mut doc = res(&policy, "documents");
    for &(name, value) in set {
        doc = doc.with_attribute(policy.catalog().attribute(name).unwrap(), value);
    }
    let subject = me(role).with_customer(ACME);
    let read = policy.catalog().action("read").unwrap();
    assert_eq!(
        policy.can(&subject, read, &doc),
        allow,
        "{conditions} with {set:?}"
    );
    assert_eq!(policy.explain(&subject, read, &doc).is_allowed(), allow);
}

#[test]
fn s6_7_each_operator_on_strings() {
    let s = |v| [("status", AttributeValue::String(v))];
    condition_case(r#"status == "draft""#, &s("draft"), true);
    condition_case(r#"status == "draft""#, &s("final"), false);
    condition_case(r#"status != "archived""#, &s("draft"), true);
    condition_case(r#"status != "archived""#, &s("archived"), false);
    condition_case(r#"status < "m""#, &s("b"), true);
    condition_case(r#"status < "m""#, &s("m"), false);
    condition_case(r#"status <= "m""#, &s("m"), true);
    condition_case(r#"status <= "m""#, &s("n"), false);
    condition_case(r#"status > "m""#, &s("z"), true);
    condition_case(r#"status > "m""#, &s("m"), false);
    condition_case(r#"status >= "m""#, &s("m"), true);
    condition_case(r#"status >= "m""#, &s("a"), false);
    condition_case(r#"status in ["draft", "review"]"#, &s("review"), true);
    condition_case(r#"status in ["draft", "review"]"#, &s("final"), false);
    condition_case(r#"status not in ["archived"]"#, &s("draft"), true);
    condition_case(r#"status not in ["archived"]"#, &s("archived"), false);
    condition_case(r#"status in []"#, &s("draft"), false);
    condition_case(r#"status not in []"#, &s("draft"), true);
}

#[test]
fn s6_7_each_operator_on_integers_and_booleans() {
    let p = |v| [("pages", AttributeValue::Integer(v))];
    condition_case("pages == 3", &p(3), true);
    condition_case("pages == 3", &p(4), false);
    condition_case("pages != 3", &p(4), true);
    condition_case("pages != 3", &p(3), false);
    condition_case("pages < -1", &p(-2), true);
    condition_case("pages < -1", &p(-1), false);
    condition_case("pages <= 3", &p(3), true);
    condition_case("pages <= 3", &p(4), false);
    condition_case("pages > 3", &p(4), true);
    condition_case("pages > 3", &p(3), false);
    condition_case("pages >= 3", &p(3), true);
    condition_case("pages >= 3", &p(2), false);
    condition_case("pages in [1, 2, 3]", &p(2), true);
    condition_case("pages in [1, 2, 3]", &p(5), false);
    condition_case("pages not in [1, 2]", &p(5), true);
    condition_case("pages not in [1, 2]", &p(1), false);
    condition_case("pages not in []", &p(1), true);

    let b = |v| [("public", AttributeValue::Boolean(v))];
    condition_case("public == true", &b(true), true);
    condition_case("public == true", &b(false), false);
    condition_case("public != true", &b(false), true);
    condition_case("public != true", &b(true), false);
    condition_case("public in [false]", &b(false), true);
    condition_case("public in [false]", &b(true), false);
}

#[test]
fn s6_7_subject_references() {
    condition_case(
        "author == subject.id",
        &[("author", AttributeValue::User(ME))],
        true,
    );
    condition_case(
        "author == subject.id",
        &[("author", AttributeValue::User(SOMEONE))],
        false,
    );
    condition_case(
        "author != subject.id",
        &[("author", AttributeValue::User(SOMEONE))],
        true,
    );
    condition_case(
        "author != subject.id",
        &[("author", AttributeValue::User(ME))],
        false,
    );
    condition_case(
        "home == subject.organization",
        &[("home", AttributeValue::Organization(ORG))],
        true,
    );
    condition_case(
        "home == subject.organization",
        &[("home", AttributeValue::Organization(OTHER_ORG))],
        false,
    );
    condition_case(
        "client == subject.customer",
        &[("client", AttributeValue::Customer(ACME))],
        true,
    );
    condition_case(
        "client == subject.customer",
        &[("client", AttributeValue::Customer(GLOBEX))],
        false,
    );
    condition_case(
        "client != subject.customer",
        &[("client", AttributeValue::Customer(GLOBEX))],
        true,
    );
}

#[test]
fn s6_7_a_subject_without_customer_makes_the_comparison_false() {
    let (policy, role) = policy_with(
        documents_catalog(),
        &[(
            "documents",
            "read",
            MustMatch::empty(),
            "client != subject.customer",
        )],
    );
    let client = policy.catalog().attribute("client").unwrap();
    let doc = res(&policy, "documents").with_attribute(client, ACME);
    case(&policy, &me(role).with_customer(GLOBEX), "read", &doc, true);
    case(&policy, &me(role), "read", &doc, false);
}

#[test]
fn s6_7_missing_attributes_and_type_mismatches_are_false() {
    // Missing: false whatever the operator, negative ones included.
    condition_case(r#"status != "archived""#, &[], false);
    condition_case(r#"status not in ["archived"]"#, &[], false);
    condition_case("pages not in []", &[], false);
    condition_case("author != subject.id", &[], false);
    // Of another type than declared: false.
    condition_case(
        r#"status != "archived""#,
        &[("status", AttributeValue::Integer(1))],
        false,
    );
    condition_case(
        "pages != 3",
        &[("pages", AttributeValue::String("3"))],
        false,
    );
    condition_case(
        "pages not in [1]",
        &[("pages", AttributeValue::Boolean(true))],
        false,
    );
    condition_case(
        "author != subject.id",
        &[("author", AttributeValue::Customer(ACME))],
        false,
    );
    condition_case(
        "public != false",
        &[("public", AttributeValue::String("true"))],
        false,
    );
}

#[test]
fn s6_7_conditions_are_a_conjunction() {
    let both = r#"status != "archived" and pages <= 3"#;
    let status = |v| ("status", AttributeValue::String(v));
    let pages = |v| ("pages", AttributeValue::Integer(v));
    condition_case(both, &[status("draft"), pages(3)], true);
    condition_case(both, &[status("archived"), pages(3)], false);
    condition_case(both, &[status("draft"), pages(4)], false);
    condition_case(both, &[status("draft")], false);
}

#[test]
fn s6_7_conditions_are_checked_when_written() {
    let catalog = documents_catalog();
    let write = |text: &str| {
        Rule::builder(&catalog, "documents", "read")
            .conditions(text)
            .build()
    };
    assert!(write(r#"status != "archived""#).is_ok());
    let err = |text: &str| match write(text) {
        Err(RuleError::Condition(e)) => e.kind().clone(),
        other => panic!("{text}: expected a condition error, got {other:?}"),
    };
    assert!(matches!(
        err("colour == \"red\""),
        ConditionErrorKind::UnknownAttribute { .. }
    ));
    assert!(matches!(
        err("pages == \"3\""),
        ConditionErrorKind::TypeMismatch { .. }
    ));
    assert!(matches!(
        err("public < true"),
        ConditionErrorKind::OperatorNotSupported { .. }
    ));
    assert!(matches!(
        err("author == subject.customer"),
        ConditionErrorKind::TypeMismatch { .. }
    ));
    // An attribute another type declares is unknown on this one.
    let invoice = Rule::builder(&catalog, "invoices", "read")
        .conditions("pages > 1")
        .build();
    assert!(matches!(
        invoice,
        Err(RuleError::Condition(e)) if matches!(e.kind(), ConditionErrorKind::UnknownAttribute { .. })
    ));
}

#[test]
fn built_in_profile_rules_allow_the_own_profile_only() {
    let (policy, custom) = policy_with(Catalog::standard(), &[]);
    let own = res(&policy, "profile").with_owner(ME);
    let theirs = res(&policy, "profile").with_owner(SOMEONE);
    let unowned = res(&policy, "profile");
    let roles: Vec<RoleId> = SystemRole::ALL
        .iter()
        .map(|r| r.id())
        .chain([custom])
        .collect();
    for role in roles {
        for action in ["read", "update"] {
            case(&policy, &me(role), action, &own, true);
            case(&policy, &me(role), action, &theirs, false);
            case(&policy, &me(role), action, &unowned, false);
        }
    }
    // Even Owner reads another's profile through no rule.
    let owner = me(SystemRole::Owner.id());
    case(&policy, &owner, "read", &theirs, false);
}

#[test]
fn built_in_permissions_cannot_be_granted_or_counted() {
    let catalog = Catalog::standard();
    let err = Rule::builder(&catalog, "profile", "update")
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        RuleError::NotGrantable {
            permission: "profile.update".into()
        }
    );
    assert_eq!(catalog.permission_count(), 41);
    assert_eq!(catalog.grantable_permission_count(), 39);
    assert!(
        catalog
            .grantable_permissions()
            .all(|p| !p.name.starts_with("profile."))
    );
    let owner = Role::system(&catalog, SystemRole::Owner);
    assert_eq!(owner.permissions().len(), 39);
}
