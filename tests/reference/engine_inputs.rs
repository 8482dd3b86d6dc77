//! Building the engine's inputs from the plain data, through the catalog's public lookups.

use rolegate::catalog::{AttrType, CatalogBuilder};
use rolegate::evaluate::AttributeValue;
use rolegate::*;

use crate::plain::{
    CatalogDecl, Keys, PlainResource, PlainSubject, PlainValue, RoleDecl, RuleDecl, Ty, UNKNOWN,
    UNKNOWN_MAX,
};
use crate::render::{describe_catalog, describe_rule};
use crate::system_roles::SYSTEM_ROLE_NAMES;

fn attr_type(ty: Ty) -> AttrType {
    match ty {
        Ty::Str => AttrType::String,
        Ty::Int => AttrType::Integer,
        Ty::Bool => AttrType::Boolean,
        Ty::User => AttrType::User,
        Ty::Org => AttrType::Organization,
        Ty::Customer => AttrType::Customer,
    }
}

fn must_match(keys: Keys) -> MustMatch {
    let mut m = MustMatch::empty();
    if keys.organization {
        m |= MustMatch::ORGANIZATION;
    }
    if keys.customer {
        m |= MustMatch::CUSTOMER;
    }
    if keys.team {
        m |= MustMatch::TEAM;
    }
    if keys.owner {
        m |= MustMatch::OWNER;
    }
    m
}

pub(crate) fn engine_catalog(decl: &CatalogDecl) -> Catalog {
    let mut b = CatalogBuilder::new();
    for t in &decl.types {
        b = if t.builtin {
            b.builtin_resource_type(&t.name, &t.actions)
        } else {
            b.resource_type(&t.name, &t.actions)
        };
    }
    for t in &decl.types {
        for (name, ty) in &t.attrs {
            b = b.attribute(&t.name, name, attr_type(*ty));
        }
    }
    for (from, to) in &decl.syncs {
        b = b.sync(from, to);
    }
    for r in &decl.builtin_rules {
        b = b.builtin_rule(&r.resource, &r.action, must_match(r.keys), &r.text);
    }
    b.build()
        .unwrap_or_else(|e| panic!("catalog rejected: {e}\n{}", describe_catalog(decl)))
}

pub(crate) fn engine_rule(catalog: &Catalog, rule: &RuleDecl) -> Rule {
    Rule::builder(catalog, &rule.resource, &rule.action)
        .must_match(must_match(rule.keys))
        .conditions(&rule.text)
        .build()
        .unwrap_or_else(|e| panic!("rule {} rejected: {e}", describe_rule(rule)))
}

/// The policy: the catalog, the six system roles (the engine's own) and the
/// custom roles `roles[6..]`.
pub(crate) fn engine_policy(decl: &CatalogDecl, roles: &[RoleDecl]) -> Policy {
    let catalog = engine_catalog(decl);
    let custom: Vec<(OrgId, &str, Vec<Rule>)> = roles
        .iter()
        .skip(SYSTEM_ROLE_NAMES.len())
        .map(|r| {
            let rules: Vec<Rule> = r.rules.iter().map(|x| engine_rule(&catalog, x)).collect();
            (OrgId::new(r.organization.unwrap()), r.name.as_str(), rules)
        })
        .collect();
    let mut builder = Policy::builder(catalog);
    for (organization, name, rules) in custom {
        builder
            .create_role(organization, name, rules)
            .unwrap_or_else(|e| panic!("role rejected: {e}\n{}", describe_catalog(decl)));
    }
    builder.build()
}

pub(crate) fn engine_action(catalog: &Catalog, name: &str) -> ActionId {
    match name {
        UNKNOWN => ActionId::new(catalog.action_count()).unwrap(),
        UNKNOWN_MAX => ActionId::new(ActionId::MAX).unwrap(),
        _ => catalog.action(name).unwrap(),
    }
}

pub(crate) fn engine_subject(s: &PlainSubject) -> Subject {
    let mut subject = Subject::new(
        UserId::new(s.id),
        OrgId::new(s.organization),
        RoleId::new(s.role).unwrap(),
        s.status,
    )
    .with_teams(s.teams.iter().map(|&t| TeamId::new(t)));
    if let Some(c) = s.customer {
        subject = subject.with_customer(CustomerId::new(c));
    }
    subject
}

pub(crate) fn engine_resource<'a>(catalog: &Catalog, r: &'a PlainResource) -> Resource<'a> {
    let ty = if r.type_name == UNKNOWN {
        ResourceTypeId::new(catalog.resource_type_count()).unwrap()
    } else {
        catalog.resource_type(&r.type_name).unwrap()
    };
    let mut resource = Resource::new(ty, ResourceId::new(r.id), OrgId::new(r.organization));
    if let Some(c) = r.customer {
        resource = resource.with_customer(CustomerId::new(c));
    }
    if let Some(t) = r.team {
        resource = resource.with_team(TeamId::new(t));
    }
    if let Some(o) = r.owner {
        resource = resource.with_owner(UserId::new(o));
    }
    for (name, value) in &r.attrs {
        let id = catalog.attribute(name).unwrap();
        let value = match value {
            PlainValue::Str(s) => AttributeValue::String(s),
            PlainValue::Int(i) => AttributeValue::Integer(*i),
            PlainValue::Bool(b) => AttributeValue::Boolean(*b),
            PlainValue::User(u) => AttributeValue::User(UserId::new(*u)),
            PlainValue::Org(o) => AttributeValue::Organization(OrgId::new(*o)),
            PlainValue::Customer(c) => AttributeValue::Customer(CustomerId::new(*c)),
        };
        resource = resource.with_attribute(id, value);
    }
    resource
}
