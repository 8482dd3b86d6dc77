//! Rendering plain data: condition text for the engine, descriptions for failure messages.

use std::fmt::Write as _;

use crate::plain::{
    CatalogDecl, Cmp, CmpOp, Keys, Lit, PlainResource, PlainSubject, PlainValue, Rhs, RoleDecl,
    RuleDecl,
};
use crate::system_roles::SYSTEM_ROLE_NAMES;

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn render_lit(lit: &Lit) -> String {
    match lit {
        Lit::Str(s) => quote(s),
        Lit::Int(i) => i.to_string(),
        Lit::Bool(b) => b.to_string(),
    }
}

/// One comparison in the crate's text syntax, laid out one of three ways.
fn render_cmp(c: &Cmp) -> String {
    let compact = c.spacing % 3 == 1;
    let rhs = match &c.rhs {
        Rhs::Lit(lit) => render_lit(lit),
        Rhs::List(items) => {
            let items: Vec<String> = items.iter().map(render_lit).collect();
            format!("[{}]", items.join(if compact { "," } else { ", " }))
        }
        Rhs::SubjectId => "subject.id".to_owned(),
        Rhs::SubjectOrganization => "subject.organization".to_owned(),
        Rhs::SubjectCustomer => "subject.customer".to_owned(),
    };
    let op = c.op.text();
    match c.spacing % 3 {
        1 if !matches!(c.op, CmpOp::In | CmpOp::NotIn) => format!("{}{op}{rhs}", c.attr),
        2 => format!("  {}\t {op}   {rhs} ", c.attr),
        _ => format!("{} {op} {rhs}", c.attr),
    }
}

pub(crate) fn render_conditions(conditions: &[Cmp]) -> String {
    let parts: Vec<String> = conditions.iter().map(render_cmp).collect();
    parts.join(" and ")
}

fn describe_keys(keys: Keys) -> String {
    let mut out = vec!["organization"];
    if keys.customer {
        out.push("customer");
    }
    if keys.team {
        out.push("team");
    }
    if keys.owner {
        out.push("owner");
    }
    out.join(";")
}

pub(crate) fn describe_rule(rule: &RuleDecl) -> String {
    let mut out = format!(
        "{}.{} [{}{}]",
        rule.resource,
        rule.action,
        describe_keys(rule.keys),
        if rule.keys.organization {
            ", organization named"
        } else {
            ""
        }
    );
    if !rule.conditions.is_empty() {
        let _ = write!(out, " if {:?}", rule.text);
    }
    out
}

pub(crate) fn describe_catalog(catalog: &CatalogDecl) -> String {
    let mut out = String::from("catalog:\n");
    for t in &catalog.types {
        let attrs: Vec<String> = t
            .attrs
            .iter()
            .map(|(n, ty)| format!("{n}: {}", ty.name()))
            .collect();
        let _ = writeln!(
            out,
            "  type {}{} actions [{}] attributes [{}]",
            t.name,
            if t.builtin { " (built-in)" } else { "" },
            t.actions.join(", "),
            attrs.join(", ")
        );
    }
    for (from, to) in &catalog.syncs {
        let _ = writeln!(out, "  sync {from} -> {to}");
    }
    for rule in &catalog.builtin_rules {
        let _ = writeln!(out, "  built-in rule {}", describe_rule(rule));
    }
    out
}

fn describe_value(v: &PlainValue) -> String {
    match v {
        PlainValue::Str(s) => format!("string {}", quote(s)),
        PlainValue::Int(i) => format!("integer {i}"),
        PlainValue::Bool(b) => format!("boolean {b}"),
        PlainValue::User(u) => format!("user {u}"),
        PlainValue::Org(o) => format!("organization {o}"),
        PlainValue::Customer(c) => format!("customer {c}"),
    }
}

pub(crate) fn describe_request(
    roles: &[RoleDecl],
    subject: &PlainSubject,
    action: &str,
    resource: &PlainResource,
) -> String {
    let role = match roles.get(subject.role) {
        Some(r) => match r.organization {
            Some(org) => format!(
                "#{} {:?} (custom, organization {org})",
                subject.role, r.name
            ),
            None => format!("#{} {} (system)", subject.role, r.name),
        },
        None => format!("#{} (not in the policy)", subject.role),
    };
    let attrs: Vec<String> = resource
        .attrs
        .iter()
        .map(|(n, v)| format!("{n} = {}", describe_value(v)))
        .collect();
    format!(
        "subject: id {} organization {} customer {:?} teams {:?} status {} role {role}\n\
         resource: type {} id {} organization {} customer {:?} team {:?} owner {:?} attributes [{}]\n\
         action: {action}\n",
        subject.id,
        subject.organization,
        subject.customer,
        subject.teams,
        subject.status,
        resource.type_name,
        resource.id,
        resource.organization,
        resource.customer,
        resource.team,
        resource.owner,
        attrs.join(", "),
    )
}

pub(crate) fn describe_roles(roles: &[RoleDecl]) -> String {
    let mut out = String::from("roles: #0-#5 system roles as in SEMANTICS.md §7.1\n");
    for (i, role) in roles.iter().enumerate().skip(SYSTEM_ROLE_NAMES.len()) {
        let _ = writeln!(
            out,
            "  #{i} {:?} of organization {}:",
            role.name,
            role.organization.unwrap_or_default()
        );
        for rule in &role.rules {
            let _ = writeln!(out, "    {}", describe_rule(rule));
        }
    }
    out
}
