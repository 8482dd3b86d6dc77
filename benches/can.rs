//! `Policy::can` against a floor: one bit test on a pre-resolved `u64` mask
//! plus an integer compare, the least a role check can cost.
//!
//! Each group times the floor and the check on the same kind of question, and
//! asserts the decision inside the loop. Run with `cargo bench --bench can`;
//! `sh benches/ratios.sh` runs it ten times and reports the fastest floor and
//! check of each group with the spread of the per-run ratios.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rolegate::*;

const ORG: OrgId = OrgId::new(1);

/// The floor: is bit `bit` of `mask` set, and are two organizations equal.
#[inline]
fn floor(mask: u64, bit: u32, subject_org: u64, resource_org: u64) -> bool {
    subject_org == resource_org && mask & (1u64 << bit) != 0
}

struct Fixture {
    policy: Policy,
}

impl Fixture {
    fn new() -> Self {
        let catalog = Catalog::standard();
        let rule = |action| {
            Rule::builder(&catalog, "workflows", action)
                .must_match(MustMatch::TEAM)
                .conditions(r#"status != "archived""#)
                .build()
                .unwrap()
        };
        let mut builder = Policy::builder(catalog.clone());
        builder
            .create_role(ORG, "Marketing Editor", [rule("read"), rule("update")])
            .unwrap();
        let policy = builder.build();
        Self { policy }
    }

    fn ty(&self, name: &str) -> ResourceTypeId {
        self.policy.catalog().resource_type(name).unwrap()
    }

    fn action(&self, name: &str) -> ActionId {
        self.policy.catalog().action(name).unwrap()
    }
}

/// Times the floor and `can` in one group; `want` is the decision both give.
fn group(
    c: &mut Criterion,
    name: &str,
    policy: &Policy,
    request: (&Subject, ActionId, &Resource<'_>),
    want: bool,
) {
    let (subject, action, resource) = request;
    assert_eq!(policy.can(subject, action, resource), want);
    let mut g = c.benchmark_group(name);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    let mask: u64 = if want { 1 << 17 } else { 1 << 16 };
    g.bench_function("floor", |b| {
        b.iter(|| {
            let d = floor(black_box(mask), black_box(17), black_box(1), black_box(1));
            assert_eq!(d, want);
            d
        })
    });
    g.bench_function("can", |b| {
        b.iter(|| {
            let d = policy.can(black_box(subject), black_box(action), black_box(resource));
            assert_eq!(d, want);
            d
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let f = Fixture::new();
    let p = &f.policy;
    let workflows = f.ty("workflows");

    let developer = Subject::new(
        UserId::new(1),
        ORG,
        SystemRole::Developer.id(),
        UserStatus::Active,
    );
    let workflow = Resource::new(workflows, ResourceId::new(10), ORG);
    group(
        c,
        "plain_allow",
        p,
        (&developer, f.action("execute"), &workflow),
        true,
    );

    let viewer = Subject::new(
        UserId::new(2),
        ORG,
        SystemRole::Viewer.id(),
        UserStatus::Active,
    );
    group(
        c,
        "plain_deny",
        p,
        (&viewer, f.action("delete"), &workflow),
        false,
    );

    let owner = Subject::new(
        UserId::new(3),
        ORG,
        SystemRole::Owner.id(),
        UserStatus::Active,
    );
    let theirs = Resource::new(workflows, ResourceId::new(11), OrgId::new(2));
    group(
        c,
        "cross_org",
        p,
        (&owner, f.action("read"), &theirs),
        false,
    );

    let customer = CustomerId::new(30);
    let end_user = Subject::new(
        UserId::new(4),
        ORG,
        SystemRole::EndUser.id(),
        UserStatus::Active,
    )
    .with_customer(customer);
    let connection = Resource::new(f.ty("connections"), ResourceId::new(12), ORG)
        .with_customer(customer)
        .with_owner(UserId::new(4));
    group(
        c,
        "scoped",
        p,
        (&end_user, f.action("read"), &connection),
        true,
    );

    let team = TeamId::new(5);
    let editor_role = p.role_named(ORG, "Marketing Editor").unwrap();
    let editor = Subject::new(UserId::new(5), ORG, editor_role, UserStatus::Active)
        .with_teams([TeamId::new(4), team]);
    let status = p.catalog().attribute("status").unwrap();
    let draft = Resource::new(workflows, ResourceId::new(13), ORG)
        .with_team(team)
        .with_attribute(status, "draft");
    group(
        c,
        "conditional",
        p,
        (&editor, f.action("update"), &draft),
        true,
    );
}

criterion_group!(can, benches);
criterion_main!(can);
