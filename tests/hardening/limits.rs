//! Every size an input controls is bounded, and refusals change nothing
//! (SEMANTICS.md §15).

use rolegate::condition::ConditionErrorKind;
use rolegate::csv::{ReadProblemKind, read_roles};
use rolegate::*;

const ACME: OrgId = OrgId::new(1);

fn condition_error(catalog: &Catalog, text: &str) -> ConditionErrorKind {
    match Rule::builder(catalog, "workflows", "read")
        .conditions(text)
        .build()
    {
        Err(RuleError::Condition(e)) => e.kind().clone(),
        other => panic!(
            "expected a condition error for {} bytes, got {other:?}",
            text.len()
        ),
    }
}

#[test]
fn condition_text_literal_comparisons_and_list_items_are_bounded() {
    let catalog = Catalog::standard();
    let rule = |text: &str| {
        Rule::builder(&catalog, "workflows", "read")
            .conditions(text)
            .build()
    };

    let literal = |n: usize| format!("status == \"{}\"", "x".repeat(n));
    assert!(rule(&literal(limits::MAX_LITERAL)).is_ok());
    assert_eq!(
        condition_error(&catalog, &literal(limits::MAX_LITERAL + 1)),
        ConditionErrorKind::LiteralTooLong
    );

    let padded = format!("{}status == \"a\"", " ".repeat(limits::MAX_CONDITION_TEXT));
    assert_eq!(
        condition_error(&catalog, &padded),
        ConditionErrorKind::TooLong {
            length: padded.len()
        }
    );
    // A 100 MB literal is refused before it is read.
    let huge = literal(100 << 20);
    assert!(matches!(
        condition_error(&catalog, &huge),
        ConditionErrorKind::TooLong { .. }
    ));

    let comparisons = |n: usize| vec!["priority != 1"; n].join(" and ");
    assert_eq!(
        rule(&comparisons(limits::MAX_CONDITIONS))
            .unwrap()
            .conditions()
            .len(),
        limits::MAX_CONDITIONS
    );
    assert_eq!(
        condition_error(&catalog, &comparisons(limits::MAX_CONDITIONS + 1)),
        ConditionErrorKind::TooManyConditions
    );

    let list = |n: usize| {
        let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        format!("priority in [{}]", items.join(","))
    };
    assert!(list(limits::MAX_LIST_ITEMS).len() <= limits::MAX_CONDITION_TEXT);
    assert!(rule(&list(limits::MAX_LIST_ITEMS)).is_ok());
    let too_many = list(limits::MAX_LIST_ITEMS + 1);
    assert!(too_many.len() <= limits::MAX_CONDITION_TEXT);
    assert_eq!(
        condition_error(&catalog, &too_many),
        ConditionErrorKind::TooManyItems
    );
}

#[test]
fn long_in_lists_are_searched_and_still_decide_every_item() {
    let catalog = Catalog::standard();
    // As many items as fit the text limit: a scan would cost 600 compares.
    const ITEMS: i64 = 600;
    let items: Vec<String> = (0..ITEMS).rev().map(|i| (i * 3).to_string()).collect();
    let mut builder = Policy::builder(catalog.clone());
    let listed = builder
        .create_role(
            ACME,
            "Listed",
            [
                Rule::builder(&catalog, "workflows", "read")
                    .conditions(&format!("priority in [{}]", items.join(",")))
                    .build()
                    .unwrap(),
                Rule::builder(&catalog, "workflows", "update")
                    .conditions(&format!("priority not in [{}]", items.join(",")))
                    .build()
                    .unwrap(),
            ],
        )
        .unwrap();
    let policy = builder.build();
    let subject = Subject::new(UserId::new(1), ACME, listed, UserStatus::Active);
    let workflows = catalog.resource_type("workflows").unwrap();
    let (read, update) = (
        catalog.action("read").unwrap(),
        catalog.action("update").unwrap(),
    );
    let priority = catalog.attribute("priority").unwrap();
    for value in [0_i64, 1, 2, 3, 900, 1_797, 1_798, 1_800, -3, i64::MAX] {
        let listed_value = value >= 0 && value % 3 == 0 && value / 3 < ITEMS;
        let resource =
            Resource::new(workflows, ResourceId::new(1), ACME).with_attribute(priority, value);
        assert_eq!(
            policy.can(&subject, read, &resource),
            listed_value,
            "{value} in"
        );
        assert_eq!(
            policy.can(&subject, update, &resource),
            !listed_value,
            "{value} not in"
        );
    }
    // A missing attribute is false for `in` and `not in` alike.
    let bare = Resource::new(workflows, ResourceId::new(1), ACME);
    assert!(!policy.can(&subject, read, &bare));
    assert!(!policy.can(&subject, update, &bare));
}

#[test]
fn rules_per_role_and_roles_per_organization_are_bounded() {
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    let read = Rule::builder(engine.catalog(), "workflows", "read")
        .build()
        .unwrap();
    let err = boot
        .create_role(
            ACME,
            "Huge",
            vec![read.clone(); limits::MAX_RULES_PER_ROLE + 1],
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            AdminError::Role(RoleError::TooManyRules { count: 1025, .. })
        ),
        "{err:?}"
    );
    let before = engine.revision();
    // Fill the organization through one import of the limit's worth of roles.
    let mut csv = String::from("Role name,Resource,Action,Conditions,Must Match\n");
    for i in 0..limits::MAX_ROLES_PER_ORGANIZATION {
        csv.push_str(&format!("r{i},workflows,read,,organization\n"));
    }
    let done = boot.import_roles(ACME, &csv).unwrap();
    assert_eq!(done.created.len(), limits::MAX_ROLES_PER_ORGANIZATION);
    assert_eq!(engine.revision().get(), before.get() + 1);
    let err = boot.create_role(ACME, "One more", vec![]).unwrap_err();
    assert_eq!(
        err,
        AdminError::Role(RoleError::TooManyRoles { organization: ACME })
    );
    let err = boot
        .duplicate_role(ACME, SystemRole::Viewer.id(), "Copy")
        .unwrap_err();
    assert_eq!(
        err,
        AdminError::Role(RoleError::TooManyRoles { organization: ACME })
    );
    assert!(matches!(
        boot.import_roles(ACME, "Role name,Resource,Action,Conditions,Must Match\nOne more,workflows,read,,organization\n"),
        Err(AdminError::Role(RoleError::TooManyRoles { .. }))
    ));
    // Another organization is not affected; nothing else changed.
    assert_eq!(engine.revision().get(), before.get() + 1);
    boot.create_role(OrgId::new(2), "One more", vec![]).unwrap();
}

#[test]
fn csv_size_and_rows_are_bounded() {
    let catalog = Catalog::standard();
    let big = "x".repeat(limits::MAX_CSV_BYTES + 1);
    let err = read_roles(&catalog, ACME, &big).unwrap_err();
    assert_eq!(err.problems().len(), 1);
    assert_eq!(
        err.problems()[0].kind(),
        &ReadProblemKind::TooLarge {
            bytes: limits::MAX_CSV_BYTES + 1
        }
    );
    let mut csv = String::from("Role name,Resource,Action,Conditions,Must Match\n");
    for _ in 0..limits::MAX_CSV_ROWS {
        csv.push_str("R,workflows,read,,organization\n");
    }
    let err = read_roles(&catalog, ACME, &csv).unwrap_err();
    let last = err.problems().last().unwrap();
    assert_eq!(last.kind(), &ReadProblemKind::TooManyRows);
    assert_eq!(last.line(), limits::MAX_CSV_ROWS as u64 + 1);
}

#[test]
fn csv_grouping_takes_one_pass_over_many_one_row_roles() {
    // 64,000 one-row roles took seconds with a search per row; grouped by
    // hash, each row costs one lookup. The check is that all are grouped
    // right, with their rows, in the file's order.
    let catalog = Catalog::standard();
    let mut csv = String::from("Role name,Resource,Action,Conditions,Must Match\n");
    for i in 0..64_000 {
        csv.push_str(&format!("role {i},workflows,read,,organization\n"));
    }
    csv.push_str("ROLE 7,workflows,update,,organization\n");
    let roles = read_roles(&catalog, ACME, &csv).unwrap();
    assert_eq!(roles.len(), 64_000);
    assert_eq!((roles[7].name(), roles[7].rules().len()), ("role 7", 2));
    assert_eq!(roles[63_999].name(), "role 63999");
}
