//! `explain` names the granting rule or the reason for a denial (SEMANTICS.md §6),
//! and agrees with `can`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rolegate::evaluate::RuleFailure;
use rolegate::policy::{RuleRef, RuleSource};
use rolegate::*;

const ORG: OrgId = OrgId::new(1);
const ME: UserId = UserId::new(7);
const RED: TeamId = TeamId::new(100);

/// The "Marketing Editor" of the seeds: read and update workflows of the
/// editor's teams that are not archived.
fn policy() -> Policy {
    let catalog = Catalog::standard();
    let rule = |action| {
        Rule::builder(&catalog, "workflows", action)
            .must_match(MustMatch::TEAM)
            .conditions(r#"status != "archived""#)
            .build()
            .unwrap()
    };
    let editor = [rule("read"), rule("update")];
    let runner = (
        ORG,
        "Runner",
        [
            Rule::builder(&catalog, "workflows", "execute")
                .must_match(MustMatch::OWNER)
                .build()
                .unwrap(),
            Rule::builder(&catalog, "workflows", "execute")
                .conditions(r#"environment == "test" and priority <= 3"#)
                .build()
                .unwrap(),
        ],
    );
    let mut builder = Policy::builder(catalog);
    builder
        .create_role(ORG, "Marketing Editor", editor)
        .unwrap();
    builder.create_role(runner.0, runner.1, runner.2).unwrap();
    builder.build()
}

/// What failed first in each rule, as text.
fn unmet(failures: &[RuleFailure]) -> Vec<String> {
    failures
        .iter()
        .map(|f| match f {
            RuleFailure::MustMatch { key, .. } => format!("must-match {key}"),
            RuleFailure::Condition { index, .. } => format!("condition {index}"),
            other => format!("{other:?}"),
        })
        .collect()
}

/// Explains one request; checks it agrees with `can` and displays as `text`.
#[track_caller]
fn explained(
    policy: &Policy,
    subject: &Subject,
    action: &str,
    resource: &Resource<'_>,
    text: &str,
) -> Explanation {
    let action = policy.catalog().action(action).unwrap();
    let why = policy.explain(subject, action, resource);
    assert_eq!(why.is_allowed(), policy.can(subject, action, resource));
    assert_eq!(why.display(policy).to_string(), text);
    why
}

fn workflow<'a>(policy: &Policy) -> Resource<'a> {
    Resource::new(
        policy.catalog().resource_type("workflows").unwrap(),
        ResourceId::new(9),
        ORG,
    )
}

#[test]
fn an_allow_names_the_role_and_rule() {
    let policy = policy();
    let editor = policy.role_named(ORG, "marketing editor").unwrap();
    let status = policy.catalog().attribute("status").unwrap();
    let subject = Subject::new(ME, ORG, editor, UserStatus::Active).with_team(RED);
    let draft = workflow(&policy)
        .with_team(RED)
        .with_attribute(status, "draft");
    let why = explained(
        &policy,
        &subject,
        "update",
        &draft,
        "allowed: Marketing Editor grants workflows.update by rule 2 \
         `workflows.update [organization;team] if status != \"archived\"`",
    );
    assert_eq!(
        why,
        Explanation::Allowed {
            role: editor,
            permission: policy.catalog().permission("workflows", "update").unwrap(),
            rule: RuleRef {
                source: RuleSource::Role,
                index: 1,
                synced_to: None
            }
        }
    );
}

#[test]
fn an_allow_by_a_built_in_rule_says_so() {
    let policy = policy();
    let subject = Subject::new(ME, ORG, SystemRole::Viewer.id(), UserStatus::Active);
    let profile = Resource::new(
        policy.catalog().resource_type("profile").unwrap(),
        ResourceId::new(7),
        ORG,
    )
    .with_owner(ME);
    explained(
        &policy,
        &subject,
        "update",
        &profile,
        "allowed: Viewer grants profile.update by built-in rule 2 `profile.update [organization;owner]`",
    );
}

#[test]
fn a_denial_names_the_failed_key_or_condition_of_each_rule() {
    let policy = policy();
    let editor = policy.role_named(ORG, "Marketing Editor").unwrap();
    let status = policy.catalog().attribute("status").unwrap();
    let subject = Subject::new(ME, ORG, editor, UserStatus::Active).with_team(RED);

    let other_team = workflow(&policy).with_team(TeamId::new(5));
    let why = explained(
        &policy,
        &subject,
        "read",
        &other_team,
        "denied: no rule of Marketing Editor allows workflows.read here: rule 1 \
         `workflows.read [organization;team] if status != \"archived\"` needs must-match team",
    );
    let Explanation::Denied(Denial::RulesFailed { failures, .. }) = why else {
        panic!("rules failed")
    };
    assert_eq!(unmet(&failures), ["must-match team"]);

    let archived = workflow(&policy)
        .with_team(RED)
        .with_attribute(status, "archived");
    explained(
        &policy,
        &subject,
        "read",
        &archived,
        "denied: no rule of Marketing Editor allows workflows.read here: rule 1 \
         `workflows.read [organization;team] if status != \"archived\"` fails `status != \"archived\"`",
    );
}

#[test]
fn a_denial_lists_every_rule_that_was_tried() {
    let policy = policy();
    let runner = policy.role_named(ORG, "Runner").unwrap();
    let catalog = policy.catalog();
    let (env, priority) = (
        catalog.attribute("environment").unwrap(),
        catalog.attribute("priority").unwrap(),
    );
    let subject = Subject::new(ME, ORG, runner, UserStatus::Active);
    let urgent = workflow(&policy)
        .with_owner(UserId::new(8))
        .with_attribute(env, "test")
        .with_attribute(priority, 5);
    let why = explained(
        &policy,
        &subject,
        "execute",
        &urgent,
        "denied: no rule of Runner allows workflows.execute here: rule 1 \
         `workflows.execute [organization;owner]` needs must-match owner; rule 2 \
         `workflows.execute [organization] if environment == \"test\" and priority <= 3` fails `priority <= 3`",
    );
    let Explanation::Denied(Denial::RulesFailed { failures, .. }) = why else {
        panic!("rules failed")
    };
    assert_eq!(unmet(&failures), ["must-match owner", "condition 1"]);

    let calm = urgent.clone().with_attribute(priority, 3);
    explained(
        &policy,
        &subject,
        "execute",
        &calm,
        "allowed: Runner grants workflows.execute by rule 2 \
         `workflows.execute [organization] if environment == \"test\" and priority <= 3`",
    );
}

#[test]
fn every_other_denial_reads_plainly() {
    let policy = policy();
    let catalog = policy.catalog();
    let viewer = Subject::new(ME, ORG, SystemRole::Viewer.id(), UserStatus::Active);
    explained(
        &policy,
        &viewer,
        "delete",
        &workflow(&policy),
        "denied: Viewer has no rule for workflows.delete",
    );
    explained(
        &policy,
        &viewer.clone().with_status(UserStatus::Suspended),
        "read",
        &workflow(&policy),
        "denied: the subject is suspended",
    );
    explained(
        &policy,
        &viewer,
        "read",
        &Resource::new(
            workflow(&policy).resource_type(),
            ResourceId::new(1),
            OrgId::new(2),
        ),
        "denied: the resource belongs to organization 2, the subject to organization 1",
    );
    explained(
        &policy,
        &viewer,
        "manage",
        &workflow(&policy),
        "denied: action manage is not applicable to workflows",
    );
    let stranger = Subject::new(
        ME,
        OrgId::new(2),
        policy.role_named(ORG, "Runner").unwrap(),
        UserStatus::Active,
    );
    explained(
        &policy,
        &stranger,
        "execute",
        &Resource::new(
            workflow(&policy).resource_type(),
            ResourceId::new(1),
            OrgId::new(2),
        ),
        "denied: role Runner belongs to organization 1",
    );
    let ghost = viewer.clone().with_role(RoleId::new(77).unwrap());
    explained(
        &policy,
        &ghost,
        "read",
        &workflow(&policy),
        "denied: role #77 is not in this policy",
    );
    let odd_action = policy.explain(&viewer, ActionId::new(500).unwrap(), &workflow(&policy));
    assert_eq!(
        odd_action.display(&policy).to_string(),
        "denied: action #500 is not applicable to workflows"
    );
    assert!(catalog.action("read").is_ok());
}
