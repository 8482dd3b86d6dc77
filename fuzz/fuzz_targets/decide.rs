//! `can` and `explain` on arbitrary compiled policies and requests: custom
//! roles of random rules (must-match keys, conditions of every operator and
//! type, wrong types included) in two organizations, random subjects and
//! resources with missing and mistyped attributes. `explain` agrees with
//! `can`; nothing crosses organizations; an inactive subject gets nothing.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rolegate::evaluate::AttributeValue;
use rolegate::{
    ActionId, Catalog, CustomerId, MustMatch, OrgId, Policy, Resource, ResourceId, RoleId, Rule,
    Subject, SystemRole, TeamId, UserId, UserStatus,
};

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::standard)
}

const WORDS: [&str; 6] = ["draft", "active", "archived", "test", "prod", ""];
const OPS: [&str; 8] = ["==", "!=", "<", "<=", ">", ">=", "in", "not in"];

#[derive(Arbitrary, Debug)]
enum Lit {
    Int(i8),
    Word(u8),
    Bool(bool),
    Ints(Vec<i8>),
    Words(Vec<u8>),
    Subject(u8),
}

#[derive(Arbitrary, Debug)]
struct CondIn {
    attribute: u8,
    op: u8,
    value: Lit,
}

#[derive(Arbitrary, Debug)]
struct RuleIn {
    ty: u8,
    action: u8,
    must_match: u8,
    conditions: Vec<CondIn>,
}

#[derive(Arbitrary, Debug)]
struct RoleIn {
    second_org: bool,
    rules: Vec<RuleIn>,
}

#[derive(Arbitrary, Debug)]
struct SubjectIn {
    id: u8,
    second_org: bool,
    role: u8,
    status: u8,
    customer: Option<u8>,
    teams: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
enum Val {
    Int(i8),
    Word(u8),
    Bool(bool),
    User(u8),
    Org(bool),
    Customer(u8),
}

#[derive(Arbitrary, Debug)]
struct ResourceIn {
    ty: u8,
    second_org: bool,
    customer: Option<u8>,
    team: Option<u8>,
    owner: Option<u8>,
    attributes: Vec<(u8, Val)>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    roles: Vec<RoleIn>,
    subjects: Vec<SubjectIn>,
    resources: Vec<ResourceIn>,
}

fn org(second: bool) -> OrgId {
    OrgId::new(if second { 2 } else { 1 })
}

fn pick<T: Copy>(items: &[T], i: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[usize::from(i) % items.len()])
}

fn literal(value: &Lit) -> String {
    let word = |w: u8| format!("{:?}", WORDS[usize::from(w) % WORDS.len()]);
    match value {
        Lit::Int(i) => i.to_string(),
        Lit::Word(w) => word(*w),
        Lit::Bool(b) => b.to_string(),
        Lit::Ints(items) => format!(
            "[{}]",
            items
                .iter()
                .map(i8::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Lit::Words(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|w| word(*w))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Lit::Subject(f) => ["subject.id", "subject.organization", "subject.customer"]
            [usize::from(*f) % 3]
            .to_owned(),
    }
}

fn rule(catalog: &Catalog, input: &RuleIn) -> Option<Rule> {
    let types: Vec<_> = catalog.resource_types().collect();
    let ty = pick(&types, input.ty)?;
    let action = pick(catalog.actions_of(ty), input.action)?;
    let attributes = catalog.attributes_of(ty);
    let text: Vec<String> = input
        .conditions
        .iter()
        .take(4)
        .filter_map(|c| {
            let (attribute, _) = pick(attributes, c.attribute)?;
            let name = catalog.attribute_name(attribute)?;
            Some(format!(
                "{name} {} {}",
                OPS[usize::from(c.op) % OPS.len()],
                literal(&c.value)
            ))
        })
        .collect();
    Rule::builder(
        catalog,
        catalog.resource_type_name(ty)?,
        catalog.action_name(action)?,
    )
    .must_match(MustMatch::from_bits_truncate(input.must_match))
    .conditions(&text.join(" and "))
    .build()
    .ok()
}

fn value(v: &Val) -> AttributeValue<'static> {
    match v {
        Val::Int(i) => AttributeValue::Integer(i64::from(*i)),
        Val::Word(w) => AttributeValue::String(WORDS[usize::from(*w) % WORDS.len()]),
        Val::Bool(b) => AttributeValue::Boolean(*b),
        Val::User(u) => AttributeValue::User(UserId::new(u64::from(*u % 4))),
        Val::Org(o) => AttributeValue::Organization(org(*o)),
        Val::Customer(c) => AttributeValue::Customer(CustomerId::new(u64::from(*c % 3))),
    }
}

fuzz_target!(|input: Input| {
    let catalog = catalog();
    let mut builder = Policy::builder(catalog.clone());
    let mut roles: Vec<RoleId> = SystemRole::ALL.iter().map(|r| r.id()).collect();
    for (i, role) in input.roles.iter().take(6).enumerate() {
        let rules: Vec<Rule> = role
            .rules
            .iter()
            .take(8)
            .filter_map(|r| rule(catalog, r))
            .collect();
        if let Ok(id) = builder.create_role(org(role.second_org), &format!("role {i}"), rules) {
            roles.push(id);
        }
    }
    let policy = builder.build();
    let types: Vec<_> = catalog.resource_types().collect();
    for s in input.subjects.iter().take(4) {
        let status = [
            UserStatus::Active,
            UserStatus::Invited,
            UserStatus::Suspended,
        ][usize::from(s.status) % 3];
        let Some(role) = pick(&roles, s.role) else {
            continue;
        };
        let mut subject = Subject::new(
            UserId::new(u64::from(s.id % 4)),
            org(s.second_org),
            role,
            status,
        )
        .with_teams(
            s.teams
                .iter()
                .take(4)
                .map(|t| TeamId::new(u64::from(*t % 4))),
        );
        if let Some(c) = s.customer {
            subject = subject.with_customer(CustomerId::new(u64::from(c % 3)));
        }
        for r in input.resources.iter().take(4) {
            let Some(ty) = pick(&types, r.ty) else {
                continue;
            };
            let mut resource = Resource::new(ty, ResourceId::new(1), org(r.second_org));
            if let Some(c) = r.customer {
                resource = resource.with_customer(CustomerId::new(u64::from(c % 3)));
            }
            if let Some(t) = r.team {
                resource = resource.with_team(TeamId::new(u64::from(t % 4)));
            }
            if let Some(o) = r.owner {
                resource = resource.with_owner(UserId::new(u64::from(o % 4)));
            }
            let attributes = catalog.attributes_of(ty);
            for (a, v) in r.attributes.iter().take(6) {
                if let Some((attribute, _)) = pick(attributes, *a) {
                    resource = resource.with_attribute(attribute, value(v));
                }
            }
            // Every action, applicable to the type or not.
            for index in 0..catalog.action_count() {
                let Some(action) = ActionId::new(index) else {
                    continue;
                };
                let can = policy.can(&subject, action, &resource);
                let why = policy.explain(&subject, action, &resource);
                assert_eq!(
                    can,
                    why.is_allowed(),
                    "{subject:?} {action:?} {resource:?}: {why:?}"
                );
                if can {
                    assert_eq!(
                        subject.organization(),
                        resource.organization(),
                        "crossed organizations"
                    );
                    assert_eq!(
                        subject.status(),
                        UserStatus::Active,
                        "an inactive subject was allowed"
                    );
                }
            }
        }
    }
});
