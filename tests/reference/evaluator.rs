//! The reference evaluator: SEMANTICS.md §2–§6, as plainly as it can be written.

use std::cmp::Ordering;

use rolegate::*;

use crate::plain::{
    CatalogDecl, Cmp, CmpOp, Keys, Lit, PlainResource, PlainSubject, PlainValue, Rhs, RoleDecl,
    RuleDecl,
};

/// Whether `subject` may do `action` on `resource`, given the catalog and the
/// policy's roles (six system roles, then custom roles).
pub(crate) fn reference_can(
    catalog: &CatalogDecl,
    roles: &[RoleDecl],
    subject: &PlainSubject,
    action: &str,
    resource: &PlainResource,
) -> bool {
    // §6.3: only active users, built-in rules included.
    if subject.status != UserStatus::Active {
        return false;
    }
    // §6.2: tenant isolation, whatever the role.
    if resource.organization != subject.organization {
        return false;
    }
    // §6.4: the action must be declared by the resource's type.
    let Some(ty) = catalog.types.iter().find(|t| t.name == resource.type_name) else {
        return false;
    };
    if !ty.actions.iter().any(|a| a == action) {
        return false;
    }
    // The role must exist, and a custom role only works in its organization.
    let Some(role) = roles.get(subject.role) else {
        return false;
    };
    if let Some(org) = role.organization
        && org != subject.organization
    {
        return false;
    }
    // §6.5: own rules (each also on its sync targets) and built-in rules,
    // combined with OR; §6.1: nothing else allows.
    role.rules
        .iter()
        .chain(&catalog.builtin_rules)
        .any(|rule| rule_allows(catalog, rule, subject, action, resource))
}

fn rule_allows(
    catalog: &CatalogDecl,
    rule: &RuleDecl,
    subject: &PlainSubject,
    action: &str,
    resource: &PlainResource,
) -> bool {
    grants_on(catalog, rule, action, &resource.type_name)
        && keys_hold(rule.keys, subject, resource)
        && rule
            .conditions
            .iter()
            .all(|c| comparison_holds(c, subject, resource))
}

/// How many rules of the subject's role, and built-in rules, grant `action`
/// on the resource's type, directly or through syncs, whatever their keys
/// and conditions.
pub(crate) fn rules_granting(
    catalog: &CatalogDecl,
    roles: &[RoleDecl],
    subject: &PlainSubject,
    action: &str,
    resource: &PlainResource,
) -> usize {
    let own = roles.get(subject.role).map_or(&[][..], |r| &r.rules[..]);
    own.iter()
        .chain(&catalog.builtin_rules)
        .filter(|rule| grants_on(catalog, rule, action, &resource.type_name))
        .count()
}

/// Whether `rule` is for `action` on `type_name`, directly or through syncs.
fn grants_on(catalog: &CatalogDecl, rule: &RuleDecl, action: &str, type_name: &str) -> bool {
    rule.action == action
        && (rule.resource == type_name || synced(catalog, &rule.resource, type_name))
}

/// Whether `to` is reachable from `from` by following syncs.
fn synced(catalog: &CatalogDecl, from: &str, to: &str) -> bool {
    let mut seen = vec![from.to_owned()];
    let mut frontier = vec![from.to_owned()];
    while let Some(at) = frontier.pop() {
        for (a, b) in &catalog.syncs {
            if *a == at && !seen.contains(b) {
                if b == to {
                    return true;
                }
                seen.push(b.clone());
                frontier.push(b.clone());
            }
        }
    }
    false
}

/// §6.6, key by key.
fn keys_hold(keys: Keys, subject: &PlainSubject, resource: &PlainResource) -> bool {
    let organization = resource.organization == subject.organization;
    let customer = !keys.customer
        || matches!((subject.customer, resource.customer), (Some(a), Some(b)) if a == b);
    let team = !keys.team
        || match resource.team {
            Some(t) => subject.teams.contains(&t),
            None => false,
        };
    let owner = !keys.owner || resource.owner == Some(subject.id);
    organization && customer && team && owner
}

/// §6.7: one comparison. Missing attribute, value of another type, or
/// `subject.customer` on a subject without one: false.
fn comparison_holds(c: &Cmp, subject: &PlainSubject, resource: &PlainResource) -> bool {
    let Some((_, value)) = resource.attrs.iter().find(|(name, _)| *name == c.attr) else {
        return false;
    };
    if value.ty() != c.ty {
        return false;
    }
    match &c.rhs {
        Rhs::SubjectId => match value {
            PlainValue::User(u) => by_ordering(c.op, u.cmp(&subject.id)),
            _ => false,
        },
        Rhs::SubjectOrganization => match value {
            PlainValue::Org(o) => by_ordering(c.op, o.cmp(&subject.organization)),
            _ => false,
        },
        Rhs::SubjectCustomer => match (value, subject.customer) {
            (PlainValue::Customer(v), Some(mine)) => by_ordering(c.op, v.cmp(&mine)),
            _ => false,
        },
        Rhs::Lit(lit) => match literal_ordering(value, lit) {
            Some(o) => by_ordering(c.op, o),
            None => false,
        },
        Rhs::List(items) => {
            let found = items
                .iter()
                .any(|lit| literal_ordering(value, lit) == Some(Ordering::Equal));
            match c.op {
                CmpOp::In => found,
                CmpOp::NotIn => !found,
                other => panic!("list operand with operator {other:?}"),
            }
        }
    }
}

/// How a value compares with a literal of the same type; strings byte-wise.
fn literal_ordering(value: &PlainValue, lit: &Lit) -> Option<Ordering> {
    match (value, lit) {
        (PlainValue::Str(v), Lit::Str(l)) => Some(v.as_bytes().cmp(l.as_bytes())),
        (PlainValue::Int(v), Lit::Int(l)) => Some(v.cmp(l)),
        (PlainValue::Bool(v), Lit::Bool(l)) => Some(v.cmp(l)),
        _ => None,
    }
}

fn by_ordering(op: CmpOp, o: Ordering) -> bool {
    match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
        CmpOp::In | CmpOp::NotIn => panic!("list operator with a scalar operand"),
    }
}
