//! Catalogs are data: the builder's validation, the content-platform catalog
//! of SEMANTICS.md §1.5 and §5.1 with its synced permissions and applicability, and lookups.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rolegate::catalog::{AttrType, CatalogBuilder, CatalogError, Limit, NameKind};
use rolegate::policy::{RuleRef, RuleSource};
use rolegate::*;

const ORG: OrgId = OrgId::new(1);
const ME: UserId = UserId::new(7);

#[track_caller]
fn rejects(builder: CatalogBuilder, want: CatalogError) {
    assert_eq!(builder.build().unwrap_err(), want);
}

fn one() -> CatalogBuilder {
    Catalog::builder().resource_type("documents", ["read", "update"])
}

#[test]
fn the_builder_rejects_bad_names_and_duplicates() {
    rejects(
        one().resource_type("documents", ["delete"]),
        CatalogError::DuplicateResourceType {
            name: "documents".into(),
        },
    );
    rejects(
        Catalog::builder().resource_type("documents", ["read", "read"]),
        CatalogError::DuplicateAction {
            resource: "documents".into(),
            action: "read".into(),
        },
    );
    rejects(
        Catalog::builder().resource_type("documents", Vec::<String>::new()),
        CatalogError::NoActions {
            resource: "documents".into(),
        },
    );
    for bad in ["", "has space", "dotted.name", "1st", "é", &"x".repeat(65)] {
        assert!(
            matches!(
                Catalog::builder().resource_type(bad, ["read"]).build(),
                Err(CatalogError::InvalidName {
                    kind: NameKind::ResourceType,
                    ..
                })
            ),
            "{bad:?}"
        );
        assert!(
            matches!(
                Catalog::builder().resource_type("t", [bad]).build(),
                Err(CatalogError::InvalidName {
                    kind: NameKind::Action,
                    ..
                })
            ),
            "{bad:?}"
        );
    }
    rejects(
        one()
            .attribute("documents", "status", AttrType::String)
            .attribute("documents", "status", AttrType::Integer),
        CatalogError::DuplicateAttribute {
            resource: "documents".into(),
            attribute: "status".into(),
        },
    );
    rejects(
        one().attribute("missing", "status", AttrType::String),
        CatalogError::UnknownResourceType {
            name: "missing".into(),
            context: NameKind::Attribute,
        },
    );
}

#[test]
fn the_builder_rejects_syncs_that_do_not_fit() {
    let two = || {
        Catalog::builder()
            .resource_type("a", ["read", "update"])
            .resource_type("b", ["read"])
            .resource_type("c", ["read", "update"])
    };
    rejects(
        two().sync("a", "b"),
        CatalogError::SyncActionMissing {
            from: "a".into(),
            to: "b".into(),
            action: "update".into(),
        },
    );
    rejects(
        two()
            .attribute("a", "status", AttrType::String)
            .attribute("c", "status", AttrType::Integer)
            .sync("a", "c"),
        CatalogError::SyncAttributeMismatch {
            from: "a".into(),
            to: "c".into(),
            attribute: "status".into(),
        },
    );
    rejects(
        two().sync("a", "nowhere"),
        CatalogError::UnknownResourceType {
            name: "nowhere".into(),
            context: NameKind::Sync,
        },
    );
    rejects(
        two().sync("a", "a"),
        CatalogError::DuplicateSync {
            from: "a".into(),
            to: "a".into(),
        },
    );
    rejects(
        two().sync("a", "c").sync("a", "c"),
        CatalogError::DuplicateSync {
            from: "a".into(),
            to: "c".into(),
        },
    );
    assert!(matches!(
        two().sync("a", "c").sync("c", "a").build(),
        Err(CatalogError::SyncCycle { .. })
    ));
    for (from, to) in [("a", "profile"), ("profile", "c")] {
        rejects(
            two()
                .builtin_resource_type("profile", ["read", "update"])
                .sync(from, to),
            CatalogError::SyncBuiltin {
                from: from.into(),
                to: to.into(),
                builtin: "profile".into(),
            },
        );
    }
    // A target may declare more than its source.
    assert!(two().sync("b", "a").build().is_ok());
}

#[test]
fn the_presets_build_without_falling_back() {
    // `Catalog::standard()` would fall back to an empty, deny-all catalog if
    // its declarations ever failed to build; they must not.
    let standard = CatalogBuilder::standard().build().unwrap();
    assert_eq!(standard.fingerprint(), Catalog::standard().fingerprint());
    assert_eq!(standard.grantable_permission_count(), 39);
    let content = CatalogBuilder::content_platform().build().unwrap();
    assert_eq!(
        content.fingerprint(),
        Catalog::content_platform().fingerprint()
    );
    assert_eq!(content.grantable_permission_count(), 22);
}

#[test]
fn the_builder_rejects_bad_built_in_rules() {
    rejects(
        one().builtin_rule("nowhere", "read", MustMatch::OWNER, ""),
        CatalogError::UnknownResourceType {
            name: "nowhere".into(),
            context: NameKind::BuiltinRule,
        },
    );
    let err = one()
        .builtin_rule("documents", "read", MustMatch::OWNER, "size > 1")
        .build()
        .unwrap_err();
    assert!(matches!(&err, CatalogError::BuiltinRule { resource, .. } if resource == "documents"));
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn huge_and_hostile_names_are_rejected_without_panic() {
    let huge = "n".repeat(100_000);
    let err = Catalog::builder()
        .resource_type(&huge, ["read"])
        .build()
        .unwrap_err();
    assert!(
        err.to_string().len() < 400,
        "errors quote a bounded excerpt"
    );
    let catalog = Catalog::standard();
    assert!(catalog.resource_type(&huge).is_err());
    assert!(catalog.resource_type("workflows\0").is_err());
    assert!(catalog.permission_named("workflows").is_err());
    assert!(catalog.permission_named("workflows.read.extra").is_err());
}

#[test]
fn content_platform_lists_its_types_and_applicable_actions() {
    let catalog = Catalog::content_platform();
    let shape: Vec<(String, Vec<String>)> = catalog
        .resource_types()
        .map(|t| {
            (
                catalog.resource_type_name(t).unwrap().to_owned(),
                catalog
                    .actions_of(t)
                    .iter()
                    .map(|&a| catalog.action_name(a).unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    let crud = ["create", "read", "update", "delete"]
        .map(String::from)
        .to_vec();
    assert_eq!(
        shape,
        vec![
            ("content".into(), crud.clone()),
            ("content_font_resources".into(), crud.clone()),
            ("datasource".into(), crud.clone()),
            ("oauth_clients".into(), crud.clone()),
            ("statistics".into(), vec!["access".into(), "export".into()]),
            ("workflow".into(), crud),
            ("profile".into(), vec!["read".into(), "update".into()]),
        ]
    );
    let statistics = catalog.resource_type("statistics").unwrap();
    assert!(!catalog.is_applicable(statistics, catalog.action("read").unwrap()));
    assert!(catalog.is_applicable(statistics, catalog.action("export").unwrap()));
    assert!(matches!(
        Rule::builder(&catalog, "statistics", "read").build(),
        Err(RuleError::Name(NameError::NotApplicable { .. }))
    ));
    assert_eq!(catalog.grantable_permission_count(), 22);
    assert_eq!(catalog.builtin_rules().len(), 2);
}

fn content_policy(rules: Vec<Rule>) -> (Policy, RoleId) {
    let mut builder = Policy::builder(Catalog::content_platform());
    builder.create_role(ORG, "Editor", rules).unwrap();
    let policy = builder.build();
    (policy, RoleId::new(6).unwrap())
}

#[test]
fn a_rule_on_content_also_grants_on_content_font_resources() {
    let catalog = Catalog::content_platform();
    let rule = Rule::builder(&catalog, "content", "update")
        .must_match(MustMatch::OWNER)
        .conditions(r#"status != "archived""#)
        .build()
        .unwrap();
    let (policy, role) = content_policy(vec![rule]);
    let catalog = policy.catalog();
    let status = catalog.attribute("status").unwrap();
    let update = catalog.action("update").unwrap();
    let read = catalog.action("read").unwrap();
    let me = Subject::new(ME, ORG, role, UserStatus::Active);
    let fonts = catalog.resource_type("content_font_resources").unwrap();
    let font = |owner, state| {
        Resource::new(fonts, ResourceId::new(1), ORG)
            .with_owner(owner)
            .with_attribute(status, state)
    };
    // Same action, same must-match, same conditions.
    assert!(policy.can(&me, update, &font(ME, "draft")));
    assert!(!policy.can(&me, update, &font(UserId::new(8), "draft")));
    assert!(!policy.can(&me, update, &font(ME, "archived")));
    assert!(!policy.can(&me, read, &font(ME, "draft")));

    let why = policy.explain(&me, update, &font(ME, "draft"));
    let Explanation::Allowed { rule, .. } = why else {
        panic!("allowed")
    };
    assert_eq!(
        rule,
        RuleRef {
            source: RuleSource::Role,
            index: 0,
            synced_to: Some(fonts)
        }
    );
    assert_eq!(
        policy
            .explain(&me, update, &font(ME, "draft"))
            .display(&policy)
            .to_string(),
        "allowed: Editor grants content_font_resources.update by rule 1 \
         `content.update [organization;owner] if status != \"archived\"` synced to content_font_resources"
    );
}

#[test]
fn datasource_syncs_to_oauth_clients_but_not_back() {
    let catalog = Catalog::content_platform();
    let rules = vec![
        Rule::builder(&catalog, "datasource", "delete")
            .build()
            .unwrap(),
        Rule::builder(&catalog, "oauth_clients", "read")
            .build()
            .unwrap(),
    ];
    let (policy, role) = content_policy(rules);
    let catalog = policy.catalog();
    let me = Subject::new(ME, ORG, role, UserStatus::Active);
    let on = |ty: &str| Resource::new(catalog.resource_type(ty).unwrap(), ResourceId::new(1), ORG);
    let (delete, read) = (
        catalog.action("delete").unwrap(),
        catalog.action("read").unwrap(),
    );
    assert!(policy.can(&me, delete, &on("datasource")));
    assert!(policy.can(&me, delete, &on("oauth_clients")));
    assert!(policy.can(&me, read, &on("oauth_clients")));
    assert!(!policy.can(&me, read, &on("datasource")));
    assert!(!policy.can(&me, delete, &on("content")));
}

#[test]
fn synced_grants_are_not_listed_or_counted() {
    let catalog = Catalog::content_platform();
    let rule = Rule::builder(&catalog, "content", "read").build().unwrap();
    let role = Role::custom(ORG, "Reader", [rule]).unwrap();
    assert_eq!(role.rules().len(), 1);
    let names: Vec<&str> = role
        .permissions()
        .iter()
        .map(|p| catalog.permission_name(p).unwrap())
        .collect();
    assert_eq!(names, ["content.read"]);
}

#[test]
fn built_in_profile_rules_hold_on_the_content_platform_too() {
    let (policy, role) = content_policy(vec![]);
    let catalog = policy.catalog();
    let profile = catalog.resource_type("profile").unwrap();
    let me = Subject::new(ME, ORG, role, UserStatus::Active);
    let own = Resource::new(profile, ResourceId::new(1), ORG).with_owner(ME);
    let other = Resource::new(profile, ResourceId::new(2), ORG).with_owner(UserId::new(8));
    for action in ["read", "update"] {
        let a = catalog.action(action).unwrap();
        assert!(policy.can(&me, a, &own));
        assert!(!policy.can(&me, a, &other));
    }
}

#[test]
fn syncs_chain_transitively() {
    let catalog = Catalog::builder()
        .resource_type("a", ["read"])
        .resource_type("b", ["read"])
        .resource_type("c", ["read", "write"])
        .resource_type("d", ["read"])
        .sync("a", "b")
        .sync("b", "c")
        .build()
        .unwrap();
    let ty = |n| catalog.resource_type(n).unwrap();
    assert_eq!(catalog.sync_targets(ty("a")), [ty("b"), ty("c")]);
    assert_eq!(catalog.sync_targets(ty("b")), [ty("c")]);
    assert!(catalog.sync_targets(ty("c")).is_empty());

    let rule = Rule::builder(&catalog, "a", "read").build().unwrap();
    let mut builder = Policy::builder(catalog);
    builder.create_role(ORG, "R", [rule]).unwrap();
    let policy = builder.build();
    let catalog = policy.catalog();
    let me = Subject::new(ME, ORG, RoleId::new(6).unwrap(), UserStatus::Active);
    let read = catalog.action("read").unwrap();
    for (name, allowed) in [("a", true), ("b", true), ("c", true), ("d", false)] {
        let r = Resource::new(
            catalog.resource_type(name).unwrap(),
            ResourceId::new(1),
            ORG,
        );
        assert_eq!(policy.can(&me, read, &r), allowed, "{name}");
    }
}

#[test]
fn catalogs_larger_than_128_permissions_work() {
    let mut builder = Catalog::builder();
    let names: Vec<String> = (0..60).map(|i| format!("type{i}")).collect();
    for name in &names {
        builder = builder.resource_type(name, ["create", "read", "update"]);
    }
    let catalog = builder.build().unwrap();
    assert_eq!(catalog.permission_count(), 180);
    let last = Rule::builder(&catalog, "type59", "update").build().unwrap();
    let first = Rule::builder(&catalog, "type0", "create").build().unwrap();
    assert_eq!(last.permission().index(), 179);
    let mut builder = Policy::builder(catalog);
    builder.create_role(ORG, "Wide", [first, last]).unwrap();
    let policy = builder.build();
    let catalog = policy.catalog();
    let me = Subject::new(ME, ORG, RoleId::new(6).unwrap(), UserStatus::Active);
    let at = |t: &str| Resource::new(catalog.resource_type(t).unwrap(), ResourceId::new(1), ORG);
    let (create, update) = (
        catalog.action("create").unwrap(),
        catalog.action("update").unwrap(),
    );
    assert!(policy.can(&me, update, &at("type59")));
    assert!(!policy.can(&me, create, &at("type59")));
    assert!(policy.can(&me, create, &at("type0")));
    assert!(!policy.can(&me, update, &at("type0")));
    // Owner holds all 180.
    let owner = me.clone().with_role(SystemRole::Owner.id());
    assert!(policy.can(&owner, update, &at("type59")));
    assert_eq!(
        policy
            .role(SystemRole::Owner.id())
            .unwrap()
            .permissions()
            .len(),
        180
    );
}

#[test]
fn lookups_resolve_names_to_ids_and_back() {
    let catalog = Catalog::standard();
    let p = catalog.permission("workflows", "deploy_prod").unwrap();
    assert_eq!(
        catalog.permission_named("workflows.deploy_prod").unwrap(),
        p
    );
    let info = catalog.permission_info(p).unwrap();
    assert_eq!(
        catalog.resource_type_name(info.resource_type),
        Some("workflows")
    );
    assert_eq!(catalog.action_name(info.action), Some("deploy_prod"));
    assert_eq!(
        catalog.permission_of(info.resource_type, info.action),
        Some(p)
    );
    let workflows = catalog.resource_type("workflows").unwrap();
    let attrs: Vec<(&str, AttrType)> = catalog
        .attributes_of(workflows)
        .iter()
        .map(|&(a, t)| (catalog.attribute_name(a).unwrap(), t))
        .collect();
    assert_eq!(
        attrs,
        [
            ("status", AttrType::String),
            ("priority", AttrType::Integer),
            ("environment", AttrType::String)
        ]
    );
    let billing = catalog.resource_type("billing").unwrap();
    assert!(catalog.attributes_of(billing).is_empty());
    assert!(
        catalog
            .attribute_type(billing, catalog.attribute("status").unwrap())
            .is_none()
    );
}

#[test]
fn a_rule_from_another_catalog_is_refused_by_the_policy() {
    let other = Catalog::builder()
        .resource_type("documents", ["read", "update", "delete"])
        .build()
        .unwrap();
    let foreign = Rule::builder(&other, "documents", "delete")
        .build()
        .unwrap();
    let err = Policy::builder(Catalog::standard())
        .create_role(ORG, "Foreign", [foreign])
        .unwrap_err();
    assert_eq!(
        err,
        RoleError::ForeignRule {
            role: "Foreign".into(),
            index: 0
        }
    );
}

#[test]
fn a_catalog_too_wide_for_its_table_is_refused_before_allocating() {
    // 2,100 types with an action each: 4.4 million (type, action) pairs, over
    // the bound. Each permission is fine; the dense table is not.
    let mut builder = Catalog::builder();
    for i in 0..2_100 {
        builder = builder.resource_type(&format!("t{i}"), [format!("a{i}")]);
    }
    assert!(matches!(
        builder.build(),
        Err(CatalogError::TooMany {
            what: Limit::TableCells,
            ..
        })
    ));
    let mut fits = Catalog::builder();
    for i in 0..2_000 {
        fits = fits.resource_type(&format!("t{i}"), [format!("a{i}")]);
    }
    assert_eq!(fits.build().unwrap().permission_count(), 2_000);
}

#[test]
fn the_largest_catalog_still_denies_inapplicable_pairs_at_its_highest_permission() {
    // 256 types of 256 actions, the last without `a0`: 65,535 permissions,
    // every id the dense ids can number. A role granting the highest one has
    // masks up to the last word, where an inapplicable pair is looked up.
    let mut builder = Catalog::builder();
    for t in 0..256 {
        let first = if t == 255 { 1 } else { 0 };
        builder = builder.resource_type(&format!("t{t}"), (first..256).map(|a| format!("a{a}")));
    }
    let catalog = builder.build().unwrap();
    let (last, a0, a254, a255) = (
        catalog.resource_type("t255").unwrap(),
        catalog.action("a0").unwrap(),
        catalog.action("a254").unwrap(),
        catalog.action("a255").unwrap(),
    );
    assert_eq!(
        catalog.permission_of(last, a255),
        PermissionId::new(PermissionId::MAX)
    );
    assert_eq!(catalog.permission_of(last, a0), None);

    let rule = Rule::builder(&catalog, "t255", "a255").build().unwrap();
    let mut builder = Policy::builder(catalog);
    builder.create_role(ORG, "Top", [rule]).unwrap();
    let policy = builder.build();
    let top = policy.role_named(ORG, "Top").unwrap();
    let subject = Subject::new(UserId::new(1), ORG, top, UserStatus::Active);
    let resource = Resource::new(last, ResourceId::new(1), ORG);

    assert!(policy.can(&subject, a255, &resource));
    assert!(!policy.can(&subject, a254, &resource));
    assert!(!policy.can(&subject, a0, &resource));
    assert!(matches!(
        policy.explain(&subject, a0, &resource),
        Explanation::Denied(Denial::NotApplicable { .. })
    ));
}
