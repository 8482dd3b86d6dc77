//! Interpreting raw data against the catalog it ends up in (picks modulo list lengths).

use rolegate::*;

use crate::plain::{
    ALL_OPS, BOOL_OPS, CatalogDecl, Cmp, CmpOp, ID_OPS, Keys, Lit, PlainResource, PlainSubject,
    PlainValue, Rhs, RoleDecl, RuleDecl, TYS, Ty, TypeDecl, UNKNOWN, UNKNOWN_MAX,
};
use crate::pools::{
    ACTION_NAMES, ATTR_NAMES, CUSTOMERS, INTS, ORGS, STRINGS, TEAMS, TYPE_NAMES, USERS,
};
use crate::render::render_conditions;
use crate::shipped::{content_platform_decl, standard_decl};
use crate::strategy::{RawCatalog, RawCond, RawResource, RawRole, RawRule, RawSubject};
use crate::system_roles::{SYSTEM_ROLE_NAMES, system_roles};

pub(crate) fn resolve_catalog(raw: &RawCatalog) -> CatalogDecl {
    let (types, syncs, builtin_rules) = match raw {
        RawCatalog::Standard => return standard_decl(),
        RawCatalog::ContentPlatform => return content_platform_decl(),
        RawCatalog::Random {
            types,
            syncs,
            builtin_rules,
        } => (types, syncs, builtin_rules),
    };
    let mut decl = CatalogDecl::default();
    let mut ranks = Vec::new();
    for t in types {
        // Distinct names: the next free one in the pool (at most 14 types).
        let mut name = t.name % TYPE_NAMES.len();
        while decl.types.iter().any(|d| d.name == TYPE_NAMES[name]) {
            name = (name + 1) % TYPE_NAMES.len();
        }
        let mut actions: Vec<String> = ACTION_NAMES
            .iter()
            .enumerate()
            .filter(|&(i, _)| t.actions >> i & 1 == 1)
            .map(|(_, a)| (*a).to_owned())
            .collect();
        if actions.is_empty() {
            actions.push("read".to_owned());
        }
        // Declaration order varies too.
        let turn = usize::from(t.rank) % actions.len();
        actions.rotate_left(turn);
        let mut attrs: Vec<(String, Ty)> = Vec::new();
        for &(n, ty) in &t.attrs {
            let n = ATTR_NAMES[n % ATTR_NAMES.len()];
            if !attrs.iter().any(|(a, _)| a == n) {
                attrs.push((n.to_owned(), TYS[ty % TYS.len()]));
            }
        }
        decl.types.push(TypeDecl {
            name: TYPE_NAMES[name].to_owned(),
            builtin: t.builtin,
            actions,
            attrs,
        });
        ranks.push(t.rank);
    }

    // Syncs go forward in a random order of the types, so never form a cycle;
    // each target is widened to declare its source's actions and attributes,
    // sources in order so that a type has all it receives before it passes
    // it on. A sync whose target declares a source attribute with another
    // type is dropped.
    let n = decl.types.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (ranks[i], i));
    let pos = |i: usize| order.iter().position(|&x| x == i).unwrap();
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for &(a, b) in syncs {
        let (a, b) = (a % n, b % n);
        if a == b || decl.types[a].builtin || decl.types[b].builtin {
            continue;
        }
        let edge = if pos(a) < pos(b) { (a, b) } else { (b, a) };
        if !edges.contains(&edge) {
            edges.push(edge);
        }
    }
    edges.sort_by_key(|&(from, _)| pos(from));
    for (from, to) in edges {
        let src = decl.types[from].clone();
        let dst = &mut decl.types[to];
        let clash = src
            .attrs
            .iter()
            .any(|(name, ty)| dst.attrs.iter().any(|(n2, t2)| n2 == name && t2 != ty));
        if clash {
            continue;
        }
        for a in &src.actions {
            if !dst.actions.contains(a) {
                dst.actions.push(a.clone());
            }
        }
        for (name, ty) in &src.attrs {
            if !dst.attrs.iter().any(|(n2, _)| n2 == name) {
                dst.attrs.push((name.clone(), *ty));
            }
        }
        decl.syncs.push((src.name.clone(), dst.name.clone()));
    }

    // Built-in rules, mostly on built-in types when there are some.
    let builtin: Vec<usize> = (0..n).filter(|&i| decl.types[i].builtin).collect();
    let all: Vec<usize> = (0..n).collect();
    for r in builtin_rules {
        let candidates = if !builtin.is_empty() && r.keys & 0x80 == 0 {
            &builtin
        } else {
            &all
        };
        if let Some(rule) = resolve_rule(&decl, candidates, r) {
            decl.builtin_rules.push(rule);
        }
    }
    decl
}

fn resolve_rule(decl: &CatalogDecl, candidates: &[usize], raw: &RawRule) -> Option<RuleDecl> {
    if candidates.is_empty() {
        return None;
    }
    let ty = &decl.types[candidates[raw.ty % candidates.len()]];
    let action = ty.actions[raw.action % ty.actions.len()].clone();
    // Each key one time in four.
    let keys = Keys {
        organization: raw.keys & 0b0100_0000 == 0,
        customer: raw.keys & 0b11 == 0,
        team: (raw.keys >> 2) & 0b11 == 0,
        owner: (raw.keys >> 4) & 0b11 == 0,
    };
    let conditions: Vec<Cmp> = raw
        .conds
        .iter()
        .filter_map(|c| resolve_cmp(ty, c))
        .collect();
    let text = render_conditions(&conditions);
    Some(RuleDecl {
        resource: ty.name.clone(),
        action,
        keys,
        conditions,
        text,
    })
}

fn literal_of(ty: Ty, pick: usize) -> Lit {
    match ty {
        Ty::Str => Lit::Str(STRINGS[pick % STRINGS.len()].to_owned()),
        Ty::Int => Lit::Int(INTS[pick % INTS.len()]),
        Ty::Bool => Lit::Bool(pick % 2 == 1),
        other => panic!("no literal of type {other:?}"),
    }
}

fn resolve_cmp(ty: &TypeDecl, raw: &RawCond) -> Option<Cmp> {
    if ty.attrs.is_empty() {
        return None;
    }
    let (attr, attr_ty) = ty.attrs[raw.attr % ty.attrs.len()].clone();
    let ops: &[CmpOp] = match attr_ty {
        Ty::Str | Ty::Int => &ALL_OPS,
        Ty::Bool => &BOOL_OPS,
        Ty::User | Ty::Org | Ty::Customer => &ID_OPS,
    };
    let op = ops[raw.op % ops.len()];
    let rhs = match (attr_ty, op) {
        (Ty::User, _) => Rhs::SubjectId,
        (Ty::Org, _) => Rhs::SubjectOrganization,
        (Ty::Customer, _) => Rhs::SubjectCustomer,
        (_, CmpOp::In | CmpOp::NotIn) => {
            Rhs::List(raw.list.iter().map(|&p| literal_of(attr_ty, p)).collect())
        }
        _ => Rhs::Lit(literal_of(attr_ty, raw.value)),
    };
    Some(Cmp {
        attr,
        ty: attr_ty,
        op,
        rhs,
        spacing: raw.spacing,
    })
}

/// The policy's roles: the six system roles, then the custom roles.
pub(crate) fn resolve_roles(decl: &CatalogDecl, raw: &[RawRole]) -> Vec<RoleDecl> {
    let grantable: Vec<usize> = (0..decl.types.len())
        .filter(|&i| !decl.types[i].builtin)
        .collect();
    let mut roles = system_roles(decl);
    for (i, r) in raw.iter().enumerate() {
        roles.push(RoleDecl {
            name: format!("Custom {i}"),
            organization: Some(if r.org % 4 == 3 { ORGS[1] } else { ORGS[0] }),
            rules: r
                .rules
                .iter()
                .filter_map(|x| resolve_rule(decl, &grantable, x))
                .collect(),
        });
    }
    roles
}

fn org_of(pick: u8) -> u64 {
    if pick % 16 == 15 { ORGS[1] } else { ORGS[0] }
}

pub(crate) fn resolve_subject(raw: &RawSubject, roles: usize) -> PlainSubject {
    let system = SYSTEM_ROLE_NAMES.len();
    let custom = roles - system;
    let role = match raw.role_kind % 10 {
        0..=4 if custom > 0 => system + raw.role % custom,
        9 if raw.role.is_multiple_of(4) => RoleId::MAX,
        9 => roles + raw.role % 3,
        _ => raw.role % system,
    };
    PlainSubject {
        id: USERS[raw.id % USERS.len()],
        organization: org_of(raw.org),
        customer: raw.customer.map(|c| CUSTOMERS[c % CUSTOMERS.len()]),
        teams: raw.teams.iter().map(|&t| TEAMS[t % TEAMS.len()]).collect(),
        role,
        status: match raw.status % 16 {
            0 => UserStatus::Invited,
            1 => UserStatus::Suspended,
            _ => UserStatus::Active,
        },
    }
}

fn value_of(ty: Ty, pick: usize) -> PlainValue {
    match ty {
        Ty::Str => PlainValue::Str(STRINGS[pick % STRINGS.len()].to_owned()),
        Ty::Int => PlainValue::Int(INTS[pick % INTS.len()]),
        Ty::Bool => PlainValue::Bool(pick % 2 == 1),
        Ty::User => PlainValue::User(USERS[pick % USERS.len()]),
        Ty::Org => PlainValue::Org(ORGS[pick % ORGS.len()]),
        Ty::Customer => PlainValue::Customer(CUSTOMERS[pick % CUSTOMERS.len()]),
    }
}

/// A resource; its type is most often one the subject's role has a rule on
/// (or a sync target of one), so that rules get tried often.
pub(crate) fn resolve_resource(
    decl: &CatalogDecl,
    roles: &[RoleDecl],
    subject: &PlainSubject,
    raw: &RawResource,
    index: usize,
) -> PlainResource {
    let rules = roles.get(subject.role).map_or(&[][..], |r| &r.rules[..]);
    let by_name = |name: &str| decl.types.iter().find(|t| t.name == name);
    // Half of the resources picked for a rule are steered towards it: its
    // must-match keys mostly shared with the subject and its condition
    // values often used, so that narrowed rules are decided both ways by
    // their keys and conditions rather than by chance.
    let mut steer: Option<&RuleDecl> = None;
    let ty = match raw.kind % 25 {
        0 => None,
        k if k < 15 && !rules.is_empty() => {
            let rule = &rules[raw.ty % rules.len()];
            if k.is_multiple_of(2) {
                steer = Some(rule);
            }
            let targets: Vec<&(String, String)> = decl
                .syncs
                .iter()
                .filter(|(from, _)| *from == rule.resource)
                .collect();
            if k.is_multiple_of(3) && !targets.is_empty() {
                by_name(&targets[raw.ty % targets.len()].1)
            } else {
                by_name(&rule.resource)
            }
        }
        _ => Some(&decl.types[raw.ty % decl.types.len()]),
    };
    let mut attrs = Vec::new();
    if let Some(ty) = ty {
        for (i, (name, declared)) in ty.attrs.iter().enumerate() {
            let (kind, pick) = raw.values[i % raw.values.len()];
            let steered = steer
                .and_then(|rule| rule.conditions.iter().find(|c| c.attr == *name))
                .filter(|_| pick % 3 != 0)
                .and_then(|c| condition_value(c, subject, pick));
            let value = match kind % 10 {
                // Missing.
                0 | 1 => continue,
                2..=7 if steered.is_some() => steered.unwrap(),
                // Of another type than declared.
                8 | 9 => {
                    let at = TYS.iter().position(|t| t == declared).unwrap();
                    value_of(TYS[(at + 1 + pick % 5) % TYS.len()], pick / 5)
                }
                _ => value_of(*declared, pick),
            };
            attrs.push((name.clone(), value));
        }
    }
    let mut resource = PlainResource {
        type_name: ty.map_or_else(|| UNKNOWN.to_owned(), |t| t.name.clone()),
        id: index as u64,
        organization: org_of(raw.org),
        customer: raw.customer.map(|c| CUSTOMERS[c % CUSTOMERS.len()]),
        team: raw.team.map(|t| TEAMS[t % TEAMS.len()]),
        owner: raw.owner.map(|o| USERS[o % USERS.len()]),
        attrs,
    };
    if steer.is_some() {
        // Each key shared three times in four, from bits of the raw data.
        let share = |bits: u8| raw.org >> bits & 3 != 0;
        if share(0) {
            resource.organization = subject.organization;
        }
        if share(2) {
            resource.customer = subject.customer;
        }
        if share(4) && !subject.teams.is_empty() {
            resource.team = Some(subject.teams[raw.ty % subject.teams.len()]);
        }
        if share(6) {
            resource.owner = Some(subject.id);
        }
    }
    resource
}

/// A value that meets or sits on the edge of condition `c` for `subject`:
/// its literal, an item of its list, or the subject's own id, organization
/// or customer. The comparison operator then decides either way.
fn condition_value(c: &Cmp, subject: &PlainSubject, pick: usize) -> Option<PlainValue> {
    let literal = |l: &Lit| match l {
        Lit::Str(v) => PlainValue::Str(v.clone()),
        Lit::Int(v) => PlainValue::Int(*v),
        Lit::Bool(v) => PlainValue::Bool(*v),
    };
    match &c.rhs {
        Rhs::Lit(l) => Some(literal(l)),
        Rhs::List(items) if items.is_empty() => None,
        Rhs::List(items) => Some(literal(&items[pick % items.len()])),
        Rhs::SubjectId => Some(PlainValue::User(subject.id)),
        Rhs::SubjectOrganization => Some(PlainValue::Org(subject.organization)),
        Rhs::SubjectCustomer => subject.customer.map(PlainValue::Customer),
    }
}

/// The actions a request is tried with: every action of the resource's type,
/// one action of the catalog the type lacks, and one unknown action id.
pub(crate) fn request_actions(
    decl: &CatalogDecl,
    resource: &PlainResource,
    index: usize,
) -> Vec<String> {
    let mut out: Vec<String> = decl
        .types
        .iter()
        .find(|t| t.name == resource.type_name)
        .map(|t| t.actions.clone())
        .unwrap_or_default();
    let mut others: Vec<&String> = Vec::new();
    for t in &decl.types {
        for a in &t.actions {
            if !out.contains(a) && !others.contains(&a) {
                others.push(a);
            }
        }
    }
    if !others.is_empty() {
        out.push(others[index % others.len()].clone());
    }
    out.push(
        if index.is_multiple_of(2) {
            UNKNOWN
        } else {
            UNKNOWN_MAX
        }
        .to_owned(),
    );
    out
}
