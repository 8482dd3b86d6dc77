//! Checks by user id: answered from the state at the check, so no value a
//! host keeps can answer from a role or status a change replaced; bulk
//! checks agree with single ones.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use rolegate::audit::AuthorizeError;
use rolegate::*;

const ACME: OrgId = OrgId::new(1);
const GLOBEX: OrgId = OrgId::new(2);

fn engine() -> Engine {
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    boot.add_user(User::new(UserId::new(1), ACME, SystemRole::Owner.id()))
        .unwrap();
    boot.add_user(User::new(UserId::new(2), ACME, SystemRole::Developer.id()))
        .unwrap();
    engine
}

/// Workflow 1 of `org`.
fn workflow_in(catalog: &Catalog, org: OrgId) -> Resource<'static> {
    Resource::new(
        catalog.resource_type("workflows").unwrap(),
        ResourceId::new(1),
        org,
    )
}

#[test]
fn a_kept_user_id_cannot_allow_after_a_demotion_or_a_suspension() {
    let engine = engine();
    let catalog = engine.catalog();
    let workflow = workflow_in(catalog, ACME);
    let (update, read) = (
        catalog.action("update").unwrap(),
        catalog.action("read").unwrap(),
    );
    // What a host keeps per session: the id, a snapshot taken at login.
    let kept = UserId::new(2);
    let at_login = engine.snapshot();
    assert!(engine.can(kept, update, &workflow));
    assert!(at_login.can(kept, update, &workflow));

    engine
        .admin(UserId::new(1))
        .assign_role(kept, SystemRole::Viewer.id())
        .unwrap();
    assert!(!engine.can(kept, update, &workflow), "demoted");
    assert!(engine.can(kept, read, &workflow));
    assert!(!engine.snapshot().can(kept, update, &workflow));
    assert!(!engine.explain(kept, update, &workflow).is_allowed());
    assert!(matches!(
        engine.authorize(kept, update, &workflow),
        Err(AuthorizeError::Denied { .. })
    ));
    assert_eq!(
        engine.can_many(kept, update, std::slice::from_ref(&workflow)),
        [false]
    );

    engine
        .admin(UserId::new(1))
        .set_status(kept, UserStatus::Suspended)
        .unwrap();
    for action in [update, read] {
        assert!(!engine.can(kept, action, &workflow), "suspended");
        assert_eq!(
            engine.explain(kept, action, &workflow).denial(),
            Some(&Denial::Inactive {
                status: UserStatus::Suspended
            })
        );
        assert!(matches!(
            engine.authorize(kept, action, &workflow),
            Err(AuthorizeError::Denied { .. })
        ));
    }
    // Only the snapshot taken before answers from before: a value, read
    // as of its revision.
    assert!(at_login.can(kept, update, &workflow));

    engine.admin(UserId::new(1)).remove_user(kept).unwrap();
    assert!(!engine.can(kept, read, &workflow));
    assert_eq!(
        engine.explain(kept, read, &workflow).denial(),
        Some(&Denial::UnknownUser { user: kept })
    );
}

/// A check made while the engine's current state is in use (inside
/// `with_current`, as a tracing subscriber would) is answered, and a change
/// made there applies to the next check while the state in hand stays as it
/// was.
#[test]
fn a_check_inside_a_check_sees_the_current_state() {
    let engine = engine();
    let catalog = engine.catalog();
    let workflow = workflow_in(catalog, ACME);
    let update = catalog.action("update").unwrap();
    let dev = UserId::new(2);
    let (outer, inner_before, inner_after) = engine.with_current(|s| {
        let before = engine.can(dev, update, &workflow);
        engine
            .bootstrap()
            .set_status(dev, UserStatus::Suspended)
            .unwrap();
        let after = engine.can(dev, update, &workflow);
        (s.can(dev, update, &workflow), before, after)
    });
    assert!(outer, "the state in hand is the one taken");
    assert!(inner_before);
    assert!(!inner_after, "the suspension applies to the next check");
    assert!(!engine.can(dev, update, &workflow));
    assert!(!engine.with_current(|s| s.can(dev, update, &workflow)));
    // Other users are checked on the new state as before.
    assert!(engine.can(UserId::new(1), update, &workflow));
    assert!(!engine.can(UserId::new(1), update, &workflow_in(catalog, GLOBEX)));
}

#[test]
fn a_check_by_id_does_not_depend_on_the_order_or_number_of_teams() {
    let engine = engine();
    let catalog = engine.catalog();
    let rule = Rule::builder(catalog, "workflows", "update")
        .must_match(MustMatch::TEAM)
        .build()
        .unwrap();
    let admin = engine.admin(UserId::new(1));
    let editor = admin.create_role(ACME, "Team Editor", [rule]).unwrap();
    let teams: Vec<TeamId> = (0..16)
        .map(|i| admin.create_team(ACME, &format!("Team {i}")).unwrap())
        .collect();
    let mut user = User::new(UserId::new(10), ACME, editor);
    for t in teams.iter().rev() {
        user = user.with_team(*t);
    }
    admin.add_user(user).unwrap();
    let workflows = catalog.resource_type("workflows").unwrap();
    let update = catalog.action("update").unwrap();
    for t in &teams {
        let r = Resource::new(workflows, ResourceId::new(t.get()), ACME).with_team(*t);
        assert!(engine.can(UserId::new(10), update, &r));
    }
    let outside = Resource::new(workflows, ResourceId::new(99), ACME).with_team(TeamId::new(999));
    assert!(!engine.can(UserId::new(10), update, &outside));
}

fn resource(ty: u8, org: bool, team: u8, owner: u8, status: u8) -> Resource<'static> {
    let catalog = Catalog::standard();
    let types: Vec<ResourceTypeId> = catalog.resource_types().collect();
    let status_attr = catalog.attribute("status").unwrap();
    let ty = types[usize::from(ty) % types.len()];
    let mut r = Resource::new(
        ty,
        ResourceId::new(u64::from(ty.index() as u8)),
        if org { ACME } else { GLOBEX },
    );
    if team > 0 {
        r = r.with_team(TeamId::new(u64::from(team)));
    }
    if owner > 0 {
        r = r.with_owner(UserId::new([3, 6, 7][usize::from(owner - 1) % 3]));
    }
    if status & 0x80 != 0 {
        r = r.with_customer(CustomerId::new(if status & 0x40 != 0 { 5 } else { 6 }));
    }
    if catalog.attribute_type(ty, status_attr).is_some() {
        r = r.with_attribute(
            status_attr,
            ["draft", "archived", "open"][usize::from(status) % 3],
        );
    }
    // Only some of them, so that a test of it both fails and passes.
    let priority = catalog.attribute("priority").unwrap();
    if status & 0x20 != 0 && catalog.attribute_type(ty, priority).is_some() {
        r = r.with_attribute(priority, i64::from(status % 4));
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A page checked at once answers what each resource checked alone
    /// answers, for users of every kind, known or not.
    #[test]
    fn bulk_checks_agree_with_single_checks(
        page in prop::collection::vec((any::<u8>(), any::<bool>(), 0u8..4, 0u8..4, any::<u8>()), 0..40),
        action in 0usize..8,
        user in 1u64..8,
        runs in any::<bool>(),
    ) {
        let engine = engine();
        let catalog = engine.catalog();
        let rule = Rule::builder(catalog, "workflows", "update")
            .must_match(MustMatch::TEAM)
            .conditions(r#"status != "archived""#)
            .build()
            .unwrap();
        let editor = engine.bootstrap().create_role(ACME, "Editor", [rule]).unwrap();
        let team = engine.bootstrap().create_team(ACME, "Ops").unwrap();
        engine.bootstrap().add_user(User::new(UserId::new(3), ACME, editor).with_team(team)).unwrap();
        engine.bootstrap().add_user(User::new(UserId::new(4), ACME, SystemRole::Viewer.id()).with_status(UserStatus::Invited)).unwrap();
        // An equality condition, and a condition alongside a must-match key
        // on another action.
        let drafts = [
            Rule::builder(catalog, "workflows", "read").conditions(r#"status == "draft""#).build().unwrap(),
            Rule::builder(catalog, "workflows", "execute").must_match(MustMatch::OWNER).conditions(r#"status == "open""#).build().unwrap(),
        ];
        let drafter = engine.bootstrap().create_role(ACME, "Drafter", drafts).unwrap();
        engine.bootstrap().add_user(User::new(UserId::new(6), ACME, drafter)).unwrap();
        // Every shape of grant a page is decided by: one key, two keys, no
        // key, each with and without a string equality; another test; two
        // rules for one permission.
        let rule = |ty, action, keys: MustMatch, conditions: &str| {
            let mut b = Rule::builder(catalog, ty, action).must_match(keys);
            if !conditions.is_empty() {
                b = b.conditions(conditions);
            }
            b.build().unwrap()
        };
        let shapes = [
            rule("workflows", "delete", MustMatch::TEAM, ""),
            rule("workflows", "create", MustMatch::OWNER, ""),
            rule("connections", "read", MustMatch::CUSTOMER, ""),
            rule("connections", "update", MustMatch::CUSTOMER, r#"status == "open""#),
            rule("connections", "delete", MustMatch::TEAM | MustMatch::OWNER, ""),
            rule("agents", "read", MustMatch::TEAM | MustMatch::OWNER, r#"status != "draft""#),
            rule("agents", "update", MustMatch::empty(), "priority > 1"),
            rule("tools", "read", MustMatch::TEAM, ""),
            rule("tools", "read", MustMatch::empty(), r#"status == "open""#),
        ];
        let keyholder = engine.bootstrap().create_role(ACME, "Keyholder", shapes).unwrap();
        engine
            .bootstrap()
            .add_user(User::new(UserId::new(7), ACME, keyholder).with_team(team).with_customer(CustomerId::new(5)))
            .unwrap();
        let actions = ["read", "update", "delete", "execute", "create", "share", "deploy_prod", "manage"];
        let action = catalog.action(actions[action]).unwrap();
        let mut resources: Vec<Resource> = page.into_iter().map(|(t, o, tm, ow, st)| resource(t, o, tm, ow, st)).collect();
        if runs {
            // A list page is mostly of one type: runs of resources alike.
            resources.sort_by_key(Resource::resource_type);
        }
        let user = UserId::new(user);
        let one_by_one: Vec<bool> = resources.iter().map(|r| engine.can(user, action, r)).collect();
        prop_assert_eq!(engine.can_many(user, action, &resources), one_by_one.clone());
        prop_assert_eq!(engine.snapshot().can_many(user, action, &resources), one_by_one);
    }
}
