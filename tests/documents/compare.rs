//! What a round trip must keep: every decision on a probe set of resources, every listing.

use rolegate::directory::PeopleFilter;
use rolegate::{CustomerId, Resource, ResourceId, Snapshot, TeamId, UserId, UserStatus};

use crate::fixture::ORGS;

/// Every check of every user (and of one unknown user) on a probe set of
/// resources: each type of the catalog in both organizations, in no team,
/// in each team and in an unknown one, with and without an owner and a
/// customer, and with three sets of attribute values where the type has
/// attributes.
pub(crate) fn decisions(snapshot: &Snapshot, users: &[UserId], teams: &[TeamId]) -> Vec<bool> {
    let catalog = snapshot.catalog();
    let status = catalog.attribute("status").unwrap();
    let priority = catalog.attribute("priority").unwrap();
    let environment = catalog.attribute("environment").unwrap();
    let mut team_choices: Vec<Option<TeamId>> = vec![None, Some(TeamId::new(999))];
    team_choices.extend(teams.iter().copied().map(Some));
    let mut out = Vec::new();
    let mut n = 0;
    for ty in catalog.resource_types() {
        let values: &[(&str, i64, &str)] = if catalog.attribute_type(ty, status).is_some() {
            &[
                ("draft", 2, "test"),
                ("archived", 5, "prod"),
                ("review", 1, "staging"),
            ]
        } else {
            &[("", 0, "")]
        };
        for org in ORGS {
            for &team in &team_choices {
                for owner in [None, Some(UserId::new(1)), Some(UserId::new(2))] {
                    for customer in [None, Some(CustomerId::new(2))] {
                        for &(s, p, e) in values {
                            n += 1;
                            let mut r = Resource::new(ty, ResourceId::new(n), org);
                            if let Some(t) = team {
                                r = r.with_team(t);
                            }
                            if let Some(o) = owner {
                                r = r.with_owner(o);
                            }
                            if let Some(c) = customer {
                                r = r.with_customer(c);
                            }
                            if !s.is_empty() {
                                r = r
                                    .with_attribute(status, s)
                                    .with_attribute(priority, p)
                                    .with_attribute(environment, e);
                            }
                            for &user in users {
                                for &action in catalog.actions_of(ty) {
                                    out.push(snapshot.can(user, action, &r));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// Everything listed about both organizations, as text.
pub(crate) fn listings(snapshot: &Snapshot) -> Vec<String> {
    let catalog = snapshot.catalog();
    let mut out = Vec::new();
    for org in ORGS {
        let roles = snapshot.roles(org);
        out.push(format!("{roles:?}"));
        for summary in &roles {
            let role = snapshot.policy().role(summary.id).unwrap();
            for r in role.rules() {
                out.push(format!("{} {}", summary.id, r.display(catalog)));
            }
            out.push(format!("{:?}", snapshot.permission_matrix(summary.id)));
            out.push(format!(
                "{:?}",
                snapshot.people(org, &PeopleFilter::new().role(summary.id))
            ));
        }
        out.push(format!("{:?}", snapshot.people(org, &PeopleFilter::new())));
        for status in UserStatus::ALL {
            out.push(format!(
                "{:?}",
                snapshot.people(org, &PeopleFilter::new().status(status))
            ));
        }
        let teams = snapshot.teams(org);
        out.push(format!("{teams:?}"));
        for team in &teams {
            out.push(format!(
                "{:?}",
                snapshot.people(org, &PeopleFilter::new().team(team.id))
            ));
        }
        out.push(snapshot.export_roles(org));
    }
    out
}
