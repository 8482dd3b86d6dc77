//! Subjects as values: built the same way in any order, they are equal
//! and decide alike.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rolegate::*;

const ORG: OrgId = OrgId::new(1);

#[test]
fn subjects_with_the_same_teams_in_any_order_are_equal_and_decide_alike() {
    let catalog = Catalog::standard();
    let rule = Rule::builder(&catalog, "workflows", "update")
        .must_match(MustMatch::TEAM)
        .build()
        .unwrap();
    let mut builder = Policy::builder(catalog);
    let editor = builder.create_role(ORG, "Team Editor", [rule]).unwrap();
    let policy = builder.build();
    let catalog = policy.catalog();
    let teams = [
        TeamId::new(9),
        TeamId::new(2),
        TeamId::new(5),
        TeamId::new(7),
        TeamId::new(1),
    ];
    let base = Subject::new(UserId::new(1), ORG, editor, UserStatus::Active);
    let orders = [
        teams.to_vec(),
        teams.iter().rev().copied().collect::<Vec<_>>(),
        vec![teams[2], teams[0], teams[4], teams[1], teams[3], teams[2]],
    ];
    let subjects: Vec<Subject> = orders
        .iter()
        .map(|order| order.iter().fold(base.clone(), |s, &t| s.with_team(t)))
        .collect();
    assert_eq!(subjects[0], subjects[1]);
    assert_eq!(subjects[0], subjects[2]);
    assert_eq!(subjects[0], base.clone().with_teams(teams));
    let update = catalog.action("update").unwrap();
    let workflows = catalog.resource_type("workflows").unwrap();
    for team in 0..12 {
        let resource =
            Resource::new(workflows, ResourceId::new(team), ORG).with_team(TeamId::new(team));
        let expected = teams.contains(&TeamId::new(team));
        for s in &subjects {
            assert_eq!(policy.can(s, update, &resource), expected, "team {team}");
        }
    }
}
