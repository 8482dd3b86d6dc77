//! Differential test of `Policy::can` and `Policy::explain` against a naive
//! reference evaluator written straight from SPEC §6, on random catalogs,
//! custom roles, subjects and resources (and on the two shipped catalogs).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::cmp::Ordering;
use std::fmt::Write as _;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use rolegate::*;

// ---------------------------------------------------------------------------
// The plain model: string-level data the test generates, shared by the
// reference evaluator and by the code that builds the engine's inputs.
// ---------------------------------------------------------------------------

/// An attribute type, as declared in a plain catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Str,
    Int,
    Bool,
    User,
    Org,
    Customer,
}

const TYS: [Ty; 6] = [Ty::Str, Ty::Int, Ty::Bool, Ty::User, Ty::Org, Ty::Customer];

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Str => "string",
            Ty::Int => "integer",
            Ty::Bool => "boolean",
            Ty::User => "user",
            Ty::Org => "organization",
            Ty::Customer => "customer",
        }
    }
}

#[derive(Clone, Debug)]
struct TypeDecl {
    name: String,
    builtin: bool,
    actions: Vec<String>,
    attrs: Vec<(String, Ty)>,
}

#[derive(Clone, Debug, Default)]
struct CatalogDecl {
    types: Vec<TypeDecl>,
    /// (from, to): every rule on `from` also grants on `to`.
    syncs: Vec<(String, String)>,
    builtin_rules: Vec<RuleDecl>,
}

/// Must-match keys beyond the implied `organization`; `organization` is
/// whether the rule also names it explicitly (which changes nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Keys {
    organization: bool,
    customer: bool,
    team: bool,
    owner: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
}

const ALL_OPS: [CmpOp; 8] = [
    CmpOp::Eq,
    CmpOp::Ne,
    CmpOp::Lt,
    CmpOp::Le,
    CmpOp::Gt,
    CmpOp::Ge,
    CmpOp::In,
    CmpOp::NotIn,
];
const BOOL_OPS: [CmpOp; 4] = [CmpOp::Eq, CmpOp::Ne, CmpOp::In, CmpOp::NotIn];
const ID_OPS: [CmpOp; 2] = [CmpOp::Eq, CmpOp::Ne];

impl CmpOp {
    fn text(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Lit {
    Str(String),
    Int(i64),
    Bool(bool),
}

#[derive(Clone, Debug)]
enum Rhs {
    Lit(Lit),
    List(Vec<Lit>),
    SubjectId,
    SubjectOrganization,
    SubjectCustomer,
}

/// One comparison `attr op rhs`; `ty` is the attribute's declared type on the
/// rule's resource type, `spacing` only picks how the text is laid out.
#[derive(Clone, Debug)]
struct Cmp {
    attr: String,
    ty: Ty,
    op: CmpOp,
    rhs: Rhs,
    spacing: u8,
}

#[derive(Clone, Debug)]
struct RuleDecl {
    resource: String,
    action: String,
    keys: Keys,
    conditions: Vec<Cmp>,
    /// The conditions rendered to the crate's text syntax.
    text: String,
}

#[derive(Clone, Debug)]
struct RoleDecl {
    name: String,
    /// `None` for a system role.
    organization: Option<u64>,
    rules: Vec<RuleDecl>,
}

#[derive(Clone, Debug)]
struct PlainSubject {
    id: u64,
    organization: u64,
    customer: Option<u64>,
    teams: Vec<u64>,
    /// Index into the policy's role list (system roles first).
    role: usize,
    status: Status,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum PlainValue {
    Str(String),
    Int(i64),
    Bool(bool),
    User(u64),
    Org(u64),
    Customer(u64),
}

impl PlainValue {
    fn ty(&self) -> Ty {
        match self {
            PlainValue::Str(_) => Ty::Str,
            PlainValue::Int(_) => Ty::Int,
            PlainValue::Bool(_) => Ty::Bool,
            PlainValue::User(_) => Ty::User,
            PlainValue::Org(_) => Ty::Org,
            PlainValue::Customer(_) => Ty::Customer,
        }
    }
}

#[derive(Clone, Debug)]
struct PlainResource {
    /// A name of the catalog, or [`UNKNOWN`] for an id the catalog lacks.
    type_name: String,
    id: u64,
    organization: u64,
    customer: Option<u64>,
    team: Option<u64>,
    owner: Option<u64>,
    attrs: Vec<(String, PlainValue)>,
}

/// A resource type or action name no catalog has (not an identifier): the
/// engine side gets an id one past the catalog's last.
const UNKNOWN: &str = "#unknown";
/// An action name standing for [`ActionId::MAX`].
const UNKNOWN_MAX: &str = "#max";

// ---------------------------------------------------------------------------
// The reference evaluator: SPEC §6, as plainly as it can be written.
// ---------------------------------------------------------------------------

/// Whether `subject` may do `action` on `resource`, given the catalog and the
/// policy's roles (six system roles, then custom roles).
fn reference_can(
    catalog: &CatalogDecl,
    roles: &[RoleDecl],
    subject: &PlainSubject,
    action: &str,
    resource: &PlainResource,
) -> bool {
    // §6.3: only active users, built-in rules included.
    if subject.status != Status::Active {
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
fn rules_granting(
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

// The six system roles, modeled from the SPEC §4 table.

const SYSTEM_ROLE_NAMES: [&str; 6] = [
    "Owner",
    "Admin",
    "Developer",
    "Operator",
    "Viewer",
    "End User",
];

const DEVELOPER_LACKS: [&str; 5] = [
    "organization.update",
    "billing.read",
    "billing.update",
    "members.manage",
    "roles.manage",
];

const OPERATOR: [&str; 18] = [
    "connectors.read",
    "connections.create",
    "connections.read",
    "connections.update",
    "connections.delete",
    "connections.execute",
    "connections.share",
    "workflows.read",
    "workflows.execute",
    "agents.read",
    "agents.execute",
    "tools.read",
    "tools.execute",
    "activity.read",
    "organization.read",
    "members.read",
    "roles.read",
    "audit_log.read",
];

const VIEWER: [&str; 7] = [
    "connectors.read",
    "connections.read",
    "workflows.read",
    "agents.read",
    "tools.read",
    "activity.read",
    "organization.read",
];

const END_USER: [&str; 9] = [
    "connectors.read",
    "connections.create",
    "connections.read",
    "connections.update",
    "connections.delete",
    "connections.execute",
    "workflows.read",
    "workflows.execute",
    "activity.read",
];

/// The system roles' rules in `catalog`: unconditional rules on grantable
/// permissions, End User's with must-match customer (and owner on
/// `connections`).
fn system_roles(catalog: &CatalogDecl) -> Vec<RoleDecl> {
    SYSTEM_ROLE_NAMES
        .iter()
        .map(|&role| {
            let mut rules = Vec::new();
            for ty in catalog.types.iter().filter(|t| !t.builtin) {
                for action in &ty.actions {
                    let permission = format!("{}.{}", ty.name, action);
                    let p = permission.as_str();
                    let held = match role {
                        "Owner" | "Admin" => true,
                        "Developer" => !DEVELOPER_LACKS.contains(&p),
                        "Operator" => OPERATOR.contains(&p),
                        "Viewer" => VIEWER.contains(&p),
                        _ => END_USER.contains(&p),
                    };
                    if !held {
                        continue;
                    }
                    let keys = if role == "End User" {
                        Keys {
                            customer: true,
                            owner: ty.name == "connections",
                            ..Keys::default()
                        }
                    } else {
                        Keys::default()
                    };
                    rules.push(RuleDecl {
                        resource: ty.name.clone(),
                        action: action.clone(),
                        keys,
                        conditions: Vec::new(),
                        text: String::new(),
                    });
                }
            }
            RoleDecl {
                name: role.to_owned(),
                organization: None,
                rules,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Rendering plain data: condition text for the engine, descriptions for
// failure messages.
// ---------------------------------------------------------------------------

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

fn render_conditions(conditions: &[Cmp]) -> String {
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

fn describe_rule(rule: &RuleDecl) -> String {
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

fn describe_catalog(catalog: &CatalogDecl) -> String {
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

fn describe_request(
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

fn describe_roles(roles: &[RoleDecl]) -> String {
    let mut out = String::from("roles: #0-#5 system roles as in SPEC §4\n");
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

// ---------------------------------------------------------------------------
// Building the engine's inputs from the plain data (names are resolved
// through the catalog's public lookups; nothing else is read back).
// ---------------------------------------------------------------------------

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

fn engine_catalog(decl: &CatalogDecl) -> Catalog {
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

fn engine_rule(catalog: &Catalog, rule: &RuleDecl) -> Rule {
    Rule::builder(catalog, &rule.resource, &rule.action)
        .must_match(must_match(rule.keys))
        .conditions(&rule.text)
        .build()
        .unwrap_or_else(|e| panic!("rule {} rejected: {e}", describe_rule(rule)))
}

/// The policy: the catalog, the six system roles (the engine's own) and the
/// custom roles `roles[6..]`.
fn engine_policy(decl: &CatalogDecl, roles: &[RoleDecl]) -> Policy {
    let catalog = engine_catalog(decl);
    let custom: Vec<Role> = roles
        .iter()
        .skip(SYSTEM_ROLE_NAMES.len())
        .map(|r| {
            let rules: Vec<Rule> = r.rules.iter().map(|x| engine_rule(&catalog, x)).collect();
            Role::custom(OrgId::new(r.organization.unwrap()), &r.name, rules).unwrap()
        })
        .collect();
    Policy::builder(catalog)
        .custom_roles(custom)
        .build()
        .unwrap_or_else(|e| panic!("policy rejected: {e}\n{}", describe_catalog(decl)))
}

fn engine_action(catalog: &Catalog, name: &str) -> ActionId {
    match name {
        UNKNOWN => ActionId::new(catalog.action_count()).unwrap(),
        UNKNOWN_MAX => ActionId::new(ActionId::MAX).unwrap(),
        _ => catalog.action(name).unwrap(),
    }
}

fn engine_subject(s: &PlainSubject) -> Subject {
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

fn engine_resource<'a>(catalog: &Catalog, r: &'a PlainResource) -> Resource<'a> {
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
            PlainValue::Str(s) => Value::String(s),
            PlainValue::Int(i) => Value::Integer(*i),
            PlainValue::Bool(b) => Value::Boolean(*b),
            PlainValue::User(u) => Value::User(UserId::new(*u)),
            PlainValue::Org(o) => Value::Organization(OrgId::new(*o)),
            PlainValue::Customer(c) => Value::Customer(CustomerId::new(*c)),
        };
        resource = resource.with_attribute(id, value);
    }
    resource
}

// ---------------------------------------------------------------------------
// Pools the generators draw from: small, so that matches happen often.
// ---------------------------------------------------------------------------

const TYPE_NAMES: [&str; 16] = [
    "connectors",
    "connections",
    "workflows",
    "agents",
    "tools",
    "organization",
    "billing",
    "members",
    "roles",
    "activity",
    "audit_log",
    "documents",
    "reports",
    "widgets",
    "invoices",
    "datasets",
];
const ACTION_NAMES: [&str; 12] = [
    "create",
    "read",
    "update",
    "delete",
    "execute",
    "share",
    "deploy_test",
    "deploy_prod",
    "manage",
    "export",
    "access",
    "publish",
];
const ATTR_NAMES: [&str; 8] = [
    "status",
    "priority",
    "environment",
    "archived",
    "author",
    "home",
    "client",
    "label",
];
const STRINGS: [&str; 12] = [
    "",
    "a",
    "b",
    "ab",
    "archived",
    "draft",
    "Draft",
    "quo\"te",
    "back\\slash",
    "é",
    "line\nbreak",
    "\u{1}",
];
const INTS: [i64; 9] = [i64::MIN, -3, -1, 0, 1, 2, 3, 10, i64::MAX];
const USERS: [u64; 3] = [100, 101, 102];
const ORGS: [u64; 2] = [1, 2];
const CUSTOMERS: [u64; 2] = [30, 31];
const TEAMS: [u64; 6] = [50, 51, 52, 53, 54, 55];

/// Requests checked against each generated policy; each is tried with every
/// action of the catalog and two unknown action ids.
const REQUESTS_PER_POLICY: usize = 48;

// ---------------------------------------------------------------------------
// Raw generated data: plain numbers that proptest shrinks, interpreted
// against the catalog they end up in (picks are taken modulo list lengths).
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct RawType {
    name: usize,
    builtin: bool,
    actions: u16,
    attrs: Vec<(usize, usize)>,
    rank: u8,
}

#[derive(Clone, Debug)]
enum RawCatalog {
    Random {
        types: Vec<RawType>,
        syncs: Vec<(usize, usize)>,
        builtin_rules: Vec<RawRule>,
    },
    Standard,
    ContentPlatform,
}

#[derive(Clone, Debug)]
struct RawCond {
    attr: usize,
    op: usize,
    value: usize,
    list: Vec<usize>,
    spacing: u8,
}

#[derive(Clone, Debug)]
struct RawRule {
    ty: usize,
    action: usize,
    keys: u8,
    conds: Vec<RawCond>,
}

#[derive(Clone, Debug)]
struct RawRole {
    org: u8,
    rules: Vec<RawRule>,
}

#[derive(Clone, Debug)]
struct RawSubject {
    id: usize,
    org: u8,
    customer: Option<usize>,
    teams: Vec<usize>,
    status: u8,
    role_kind: u8,
    role: usize,
}

#[derive(Clone, Debug)]
struct RawResource {
    kind: u8,
    ty: usize,
    org: u8,
    customer: Option<usize>,
    team: Option<usize>,
    owner: Option<usize>,
    values: Vec<(u8, usize)>,
}

#[derive(Clone, Debug)]
struct RawCase {
    catalog: RawCatalog,
    roles: Vec<RawRole>,
    requests: Vec<(RawSubject, RawResource)>,
}

fn pick() -> impl Strategy<Value = usize> {
    0..1000usize
}

fn raw_cond() -> impl Strategy<Value = RawCond> {
    (
        pick(),
        pick(),
        pick(),
        prop::collection::vec(pick(), 0..4),
        any::<u8>(),
    )
        .prop_map(|(attr, op, value, list, spacing)| RawCond {
            attr,
            op,
            value,
            list,
            spacing,
        })
}

fn raw_rule() -> impl Strategy<Value = RawRule> {
    (
        pick(),
        pick(),
        any::<u8>(),
        prop::collection::vec(raw_cond(), 0..3),
    )
        .prop_map(|(ty, action, keys, conds)| RawRule {
            ty,
            action,
            keys,
            conds,
        })
}

fn raw_type() -> impl Strategy<Value = RawType> {
    (
        pick(),
        prop::bool::weighted(0.12),
        any::<u16>(),
        prop::collection::vec((pick(), pick()), 0..4),
        any::<u8>(),
    )
        .prop_map(|(name, builtin, actions, attrs, rank)| RawType {
            name,
            builtin,
            actions,
            attrs,
            rank,
        })
}

fn raw_catalog() -> impl Strategy<Value = RawCatalog> {
    let random = (
        prop::collection::vec(raw_type(), 1..15),
        prop::collection::vec((pick(), pick()), 0..6),
        prop::collection::vec(raw_rule(), 0..3),
    )
        .prop_map(|(types, syncs, builtin_rules)| RawCatalog::Random {
            types,
            syncs,
            builtin_rules,
        });
    prop_oneof![
        8 => random,
        1 => Just(RawCatalog::Standard),
        1 => Just(RawCatalog::ContentPlatform),
    ]
}

fn raw_role() -> impl Strategy<Value = RawRole> {
    (any::<u8>(), prop::collection::vec(raw_rule(), 0..8))
        .prop_map(|(org, rules)| RawRole { org, rules })
}

fn raw_subject() -> impl Strategy<Value = RawSubject> {
    (
        pick(),
        any::<u8>(),
        prop::option::weighted(0.8, pick()),
        prop::collection::vec(pick(), 0..6),
        any::<u8>(),
        any::<u8>(),
        pick(),
    )
        .prop_map(
            |(id, org, customer, teams, status, role_kind, role)| RawSubject {
                id,
                org,
                customer,
                teams,
                status,
                role_kind,
                role,
            },
        )
}

fn raw_resource() -> impl Strategy<Value = RawResource> {
    (
        any::<u8>(),
        pick(),
        any::<u8>(),
        prop::option::weighted(0.8, pick()),
        prop::option::weighted(0.7, pick()),
        prop::option::weighted(0.7, pick()),
        prop::collection::vec((any::<u8>(), pick()), 1..6),
    )
        .prop_map(
            |(kind, ty, org, customer, team, owner, values)| RawResource {
                kind,
                ty,
                org,
                customer,
                team,
                owner,
                values,
            },
        )
}

fn raw_case() -> impl Strategy<Value = RawCase> {
    (
        raw_catalog(),
        prop::collection::vec(raw_role(), 0..5),
        prop::collection::vec((raw_subject(), raw_resource()), REQUESTS_PER_POLICY),
    )
        .prop_map(|(catalog, roles, requests)| RawCase {
            catalog,
            roles,
            requests,
        })
}

// Interpretation of raw data into plain data.

fn resolve_catalog(raw: &RawCatalog) -> CatalogDecl {
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
fn resolve_roles(decl: &CatalogDecl, raw: &[RawRole]) -> Vec<RoleDecl> {
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

fn resolve_subject(raw: &RawSubject, roles: usize) -> PlainSubject {
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
            0 => Status::Invited,
            1 => Status::Suspended,
            _ => Status::Active,
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
fn resolve_resource(
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
fn request_actions(decl: &CatalogDecl, resource: &PlainResource, index: usize) -> Vec<String> {
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

// ---------------------------------------------------------------------------
// The comparison.
// ---------------------------------------------------------------------------

/// Tallies of what the generated checks went through, by the engine's own
/// explanation, so that the generators can be seen to reach every path.
#[derive(Debug, Default)]
struct Stats {
    checks: usize,
    allowed: usize,
    allowed_custom: usize,
    allowed_narrowed_custom: usize,
    /// Allows and denials decided by the one condition of the only rule
    /// that grants the permission (a custom role's), by kind of right-hand
    /// side (string, integer, boolean, list, subject reference).
    allowed_by_one_condition: [usize; 5],
    denied_by_one_condition: [usize; 5],
    allowed_synced: usize,
    allowed_builtin: usize,
    allowed_end_user: usize,
    allowed_permission_above_63: usize,
    denied_inactive: usize,
    denied_other_org: usize,
    denied_not_applicable: usize,
    denied_unknown_role: usize,
    denied_role_of_other_org: usize,
    denied_no_rule: usize,
    denied_rules_failed: usize,
}

/// Runs every check of one generated case; the first disagreement comes back
/// as a message with the generated data and both answers.
fn check_case(raw: &RawCase, stats: &mut Stats) -> Result<(), String> {
    let decl = resolve_catalog(&raw.catalog);
    let roles = resolve_roles(&decl, &raw.roles);
    let policy = engine_policy(&decl, &roles);
    let catalog = policy.catalog();
    for (i, (raw_subject, raw_resource)) in raw.requests.iter().enumerate() {
        let subject = resolve_subject(raw_subject, roles.len());
        let resource = resolve_resource(&decl, &roles, &subject, raw_resource, i);
        let actions = request_actions(&decl, &resource, i);
        let engine_subject = engine_subject(&subject);
        let engine_resource = engine_resource(catalog, &resource);
        for action in &actions {
            let expected = reference_can(&decl, &roles, &subject, action, &resource);
            let action_id = engine_action(catalog, action);
            let can = policy.can(&engine_subject, action_id, &engine_resource);
            let why = policy.explain(&engine_subject, action_id, &engine_resource);
            let grants = rules_granting(&decl, &roles, &subject, action, &resource);
            stats.record(&why, &roles, grants);
            if can != expected || why.is_allowed() != can {
                return Err(format!(
                    "reference and engine disagree\n{}{}{}reference (SPEC §6): {}\nPolicy::can: {}\nPolicy::explain: {}\n",
                    describe_catalog(&decl),
                    describe_roles(&roles),
                    describe_request(&roles, &subject, action, &resource),
                    verdict(expected),
                    verdict(can),
                    why.display(&policy),
                ));
            }
        }
    }
    Ok(())
}

fn verdict(allowed: bool) -> &'static str {
    if allowed { "allow" } else { "deny" }
}

/// The kind of a comparison's right-hand side, as counted in [`Stats`].
fn rhs_kind(c: &Cmp) -> usize {
    match &c.rhs {
        Rhs::Lit(Lit::Str(_)) => 0,
        Rhs::Lit(Lit::Int(_)) => 1,
        Rhs::Lit(Lit::Bool(_)) => 2,
        Rhs::List(_) => 3,
        Rhs::SubjectId | Rhs::SubjectOrganization | Rhs::SubjectCustomer => 4,
    }
}

impl Stats {
    /// Records one decision; `grants` is how many rules of the subject's
    /// role and built-in rules grant the permission asked for.
    fn record(&mut self, why: &Explanation, roles: &[RoleDecl], grants: usize) {
        self.checks += 1;
        match why {
            Explanation::Allowed {
                role,
                rule,
                permission,
            } => {
                self.allowed += 1;
                if permission.index() >= 64 {
                    self.allowed_permission_above_63 += 1;
                }
                if rule.source == RuleSource::BuiltIn {
                    self.allowed_builtin += 1;
                }
                if rule.synced_to.is_some() {
                    self.allowed_synced += 1;
                }
                if role.index() == 5 {
                    self.allowed_end_user += 1;
                }
                if role.index() >= SYSTEM_ROLE_NAMES.len() && rule.source == RuleSource::Role {
                    self.allowed_custom += 1;
                    let r = &roles[role.index()].rules[rule.index];
                    if !r.conditions.is_empty() || r.keys.customer || r.keys.team || r.keys.owner {
                        self.allowed_narrowed_custom += 1;
                    }
                    if let ([c], 1) = (r.conditions.as_slice(), grants) {
                        self.allowed_by_one_condition[rhs_kind(c)] += 1;
                    }
                }
            }
            Explanation::Denied(Denial::RulesFailed { role, failures, .. })
                if role.index() >= SYSTEM_ROLE_NAMES.len() =>
            {
                self.denied_rules_failed += 1;
                if let [failure] = failures.as_slice()
                    && failure.rule.source == RuleSource::Role
                    && matches!(failure.reason, Failure::Condition { .. })
                    && let [c] = roles[role.index()].rules[failure.rule.index]
                        .conditions
                        .as_slice()
                {
                    self.denied_by_one_condition[rhs_kind(c)] += 1;
                }
            }
            Explanation::Denied(denial) => match denial {
                Denial::Inactive { .. } => self.denied_inactive += 1,
                Denial::OtherOrganization { .. } => self.denied_other_org += 1,
                Denial::NotApplicable { .. } => self.denied_not_applicable += 1,
                Denial::UnknownRole { .. } => self.denied_unknown_role += 1,
                Denial::RoleOfOtherOrganization { .. } => self.denied_role_of_other_org += 1,
                Denial::NoRule { .. } => self.denied_no_rule += 1,
                Denial::RulesFailed { .. } => self.denied_rules_failed += 1,
                _ => {}
            },
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The engine agrees with the reference on every generated request, and
    /// `explain` agrees with `can`.
    #[test]
    fn engine_agrees_with_reference(case in raw_case()) {
        check_case(&case, &mut Stats::default()).map_err(TestCaseError::fail)?;
    }
}

/// The generators reach every allow and deny path in useful proportions, so
/// that agreement above means something.
#[test]
fn generated_checks_cover_every_path() {
    let mut runner = TestRunner::deterministic();
    let strategy = raw_case();
    let mut stats = Stats::default();
    for _ in 0..512 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        check_case(&case, &mut stats).unwrap_or_else(|e| panic!("{e}"));
    }
    let s = &stats;
    println!("{s:#?}");
    assert!(s.checks > 10_000, "{s:?}");
    let share = s.allowed as f64 / s.checks as f64;
    assert!((0.1..0.9).contains(&share), "allowed share {share}: {s:?}");
    for (what, n) in [
        ("allowed through a custom role", s.allowed_custom),
        (
            "allowed through a narrowed custom rule",
            s.allowed_narrowed_custom,
        ),
        ("allowed through a sync", s.allowed_synced),
        ("allowed through a built-in rule", s.allowed_builtin),
        ("allowed as End User", s.allowed_end_user),
        (
            "allowed on a permission past the first mask word",
            s.allowed_permission_above_63,
        ),
        ("denied as inactive", s.denied_inactive),
        ("denied across organizations", s.denied_other_org),
        ("denied as not applicable", s.denied_not_applicable),
        ("denied for an unknown role", s.denied_unknown_role),
        (
            "denied for a role of another organization",
            s.denied_role_of_other_org,
        ),
        ("denied for no rule", s.denied_no_rule),
        ("denied as every rule failed", s.denied_rules_failed),
    ] {
        assert!(n >= 20, "too few checks {what}: {s:?}");
    }
    // A sole rule with one condition is decided without reading the role's
    // rule list: each kind of comparison is reached both ways.
    for (kind, what) in ["string", "integer", "boolean", "list", "subject reference"]
        .iter()
        .enumerate()
    {
        for (n, outcome) in [
            (s.allowed_by_one_condition[kind], "allowed"),
            (s.denied_by_one_condition[kind], "denied"),
        ] {
            assert!(
                n >= 10,
                "too few checks {outcome} by one {what} condition: {s:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The shipped catalogs in plain form, and fixed cases that pin the reference
// itself to SPEC §3-§6.
// ---------------------------------------------------------------------------

fn plain_type(name: &str, actions: &[&str], attrs: &[(&str, Ty)]) -> TypeDecl {
    TypeDecl {
        name: name.to_owned(),
        builtin: false,
        actions: actions.iter().map(|&a| a.to_owned()).collect(),
        attrs: attrs.iter().map(|&(n, t)| (n.to_owned(), t)).collect(),
    }
}

fn profile_type_and_rules() -> (TypeDecl, Vec<RuleDecl>) {
    let mut profile = plain_type("profile", &["read", "update"], &[]);
    profile.builtin = true;
    let rules = ["read", "update"]
        .iter()
        .map(|&a| RuleDecl {
            resource: "profile".to_owned(),
            action: a.to_owned(),
            keys: Keys {
                owner: true,
                ..Keys::default()
            },
            conditions: Vec::new(),
            text: String::new(),
        })
        .collect();
    (profile, rules)
}

/// SPEC §3, with the attributes the crate's preset declares on the five
/// categories.
fn standard_decl() -> CatalogDecl {
    let crud_x = ["create", "read", "update", "delete", "execute"];
    let category = [
        ("status", Ty::Str),
        ("priority", Ty::Int),
        ("environment", Ty::Str),
    ];
    let mut types = vec![
        plain_type(
            "connectors",
            &[
                "create",
                "read",
                "update",
                "delete",
                "deploy_test",
                "deploy_prod",
            ],
            &category,
        ),
        plain_type(
            "connections",
            &["create", "read", "update", "delete", "execute", "share"],
            &category,
        ),
        plain_type(
            "workflows",
            &[
                "create",
                "read",
                "update",
                "delete",
                "execute",
                "deploy_test",
                "deploy_prod",
            ],
            &category,
        ),
        plain_type("agents", &crud_x, &category),
        plain_type("tools", &crud_x, &category),
        plain_type("organization", &["read", "update"], &[]),
        plain_type("billing", &["read", "update"], &[]),
        plain_type("members", &["read", "manage"], &[]),
        plain_type("roles", &["read", "manage"], &[]),
        plain_type("activity", &["read"], &[]),
        plain_type("audit_log", &["read"], &[]),
    ];
    let (profile, builtin_rules) = profile_type_and_rules();
    types.push(profile);
    CatalogDecl {
        types,
        syncs: Vec::new(),
        builtin_rules,
    }
}

/// SPEC §5, with the attributes the crate's preset declares.
fn content_platform_decl() -> CatalogDecl {
    let crud = ["create", "read", "update", "delete"];
    let text = [("status", Ty::Str), ("locale", Ty::Str)];
    let mut types = vec![
        plain_type("content", &crud, &text),
        plain_type("content_font_resources", &crud, &text),
        plain_type("datasource", &crud, &[]),
        plain_type("oauth_clients", &crud, &[]),
        plain_type("statistics", &["access", "export"], &[]),
        plain_type("workflow", &crud, &[]),
    ];
    let (profile, builtin_rules) = profile_type_and_rules();
    types.push(profile);
    CatalogDecl {
        types,
        syncs: vec![
            ("content".to_owned(), "content_font_resources".to_owned()),
            ("datasource".to_owned(), "oauth_clients".to_owned()),
        ],
        builtin_rules,
    }
}

/// A custom role of organization 1 (or `org`) with rules given as
/// (resource, action, keys, condition text) on a plain catalog.
fn custom_role(
    decl: &CatalogDecl,
    org: u64,
    name: &str,
    rules: &[(&str, &str, Keys, &str)],
) -> RoleDecl {
    // Only the shapes the fixed cases use: a conjunction of `attr op literal`.
    let rules = rules
        .iter()
        .map(|&(resource, action, keys, text)| {
            let ty = decl.types.iter().find(|t| t.name == resource).unwrap();
            let conditions = text
                .split(" and ")
                .filter(|p| !p.trim().is_empty())
                .map(|part| parse_simple_cmp(ty, part))
                .collect();
            RuleDecl {
                resource: resource.to_owned(),
                action: action.to_owned(),
                keys,
                conditions,
                text: text.to_owned(),
            }
        })
        .collect();
    RoleDecl {
        name: name.to_owned(),
        organization: Some(org),
        rules,
    }
}

/// `attr op value` for the fixed cases: a quoted string without escapes, an
/// integer, or `subject.FIELD`.
fn parse_simple_cmp(ty: &TypeDecl, text: &str) -> Cmp {
    let mut words = text.split_whitespace();
    let attr = words.next().unwrap().to_owned();
    let op = words.next().unwrap();
    let value = words.collect::<Vec<_>>().join(" ");
    let op = *ALL_OPS.iter().find(|o| o.text() == op).unwrap();
    let attr_ty = ty.attrs.iter().find(|(n, _)| *n == attr).unwrap().1;
    let rhs = match value.as_str() {
        "subject.id" => Rhs::SubjectId,
        "subject.organization" => Rhs::SubjectOrganization,
        "subject.customer" => Rhs::SubjectCustomer,
        v if v.starts_with('"') => Rhs::Lit(Lit::Str(v.trim_matches('"').to_owned())),
        v => Rhs::Lit(Lit::Int(v.parse().unwrap())),
    };
    Cmp {
        attr,
        ty: attr_ty,
        op,
        rhs,
        spacing: 0,
    }
}

struct Fixture {
    decl: CatalogDecl,
    roles: Vec<RoleDecl>,
    policy: Policy,
}

impl Fixture {
    /// The standard catalog, built by the crate's own preset.
    fn standard(custom: impl FnOnce(&CatalogDecl) -> Vec<RoleDecl>) -> Self {
        Self::new(standard_decl(), Catalog::standard(), custom)
    }

    /// The content-platform catalog, built by the crate's own preset.
    fn content_platform(custom: impl FnOnce(&CatalogDecl) -> Vec<RoleDecl>) -> Self {
        Self::new(content_platform_decl(), Catalog::content_platform(), custom)
    }

    fn new(
        decl: CatalogDecl,
        catalog: Catalog,
        custom: impl FnOnce(&CatalogDecl) -> Vec<RoleDecl>,
    ) -> Self {
        let mut roles = system_roles(&decl);
        roles.extend(custom(&decl));
        let engine_roles: Vec<Role> = roles
            .iter()
            .skip(SYSTEM_ROLE_NAMES.len())
            .map(|r| {
                let rules: Vec<Rule> = r.rules.iter().map(|x| engine_rule(&catalog, x)).collect();
                Role::custom(OrgId::new(r.organization.unwrap()), &r.name, rules).unwrap()
            })
            .collect();
        let policy = Policy::builder(catalog)
            .custom_roles(engine_roles)
            .build()
            .unwrap();
        Self {
            decl,
            roles,
            policy,
        }
    }

    /// Asserts that both the reference and the engine decide `expected`.
    #[track_caller]
    fn expect(
        &self,
        subject: &PlainSubject,
        action: &str,
        resource: &PlainResource,
        expected: bool,
    ) {
        let what = describe_request(&self.roles, subject, action, resource);
        let reference = reference_can(&self.decl, &self.roles, subject, action, resource);
        assert_eq!(reference, expected, "reference\n{what}");
        let catalog = self.policy.catalog();
        let (s, r) = (engine_subject(subject), engine_resource(catalog, resource));
        let a = engine_action(catalog, action);
        assert_eq!(self.policy.can(&s, a, &r), expected, "can\n{what}");
        assert_eq!(
            self.policy.explain(&s, a, &r).is_allowed(),
            expected,
            "explain\n{what}"
        );
    }
}

const ME: u64 = 100;
const SOMEONE: u64 = 101;
const ORG: u64 = 1;
const OTHER_ORG: u64 = 2;
const ACME: u64 = 30;
const GLOBEX: u64 = 31;
const RED: u64 = 50;
const BLUE: u64 = 51;

fn person(role: usize) -> PlainSubject {
    PlainSubject {
        id: ME,
        organization: ORG,
        customer: None,
        teams: Vec::new(),
        role,
        status: Status::Active,
    }
}

fn thing(type_name: &str) -> PlainResource {
    PlainResource {
        type_name: type_name.to_owned(),
        id: 1,
        organization: ORG,
        customer: None,
        team: None,
        owner: None,
        attrs: Vec::new(),
    }
}

const OWNER: usize = 0;
const ADMIN: usize = 1;
const DEVELOPER: usize = 2;
const OPERATOR_ROLE: usize = 3;
const VIEWER_ROLE: usize = 4;
const END_USER_ROLE: usize = 5;
const FIRST_CUSTOM: usize = 6;

#[test]
fn plain_catalogs_are_the_shipped_presets() {
    assert_eq!(
        engine_catalog(&standard_decl()).fingerprint(),
        Catalog::standard().fingerprint()
    );
    assert_eq!(
        engine_catalog(&content_platform_decl()).fingerprint(),
        Catalog::content_platform().fingerprint()
    );
    // SPEC §4: rule counts of the six system roles in the standard catalog.
    let counts: Vec<usize> = system_roles(&standard_decl())
        .iter()
        .map(|r| r.rules.len())
        .collect();
    assert_eq!(counts, [39, 39, 34, 18, 7, 9]);
}

#[test]
fn end_user_reaches_own_connections_of_own_customer_only() {
    let f = Fixture::standard(|_| Vec::new());
    let me = PlainSubject {
        customer: Some(ACME),
        ..person(END_USER_ROLE)
    };
    let own = PlainResource {
        customer: Some(ACME),
        owner: Some(ME),
        ..thing("connections")
    };
    f.expect(&me, "read", &own, true);
    f.expect(&me, "execute", &own, true);
    // connections.share is not in End User's list.
    f.expect(&me, "share", &own, false);
    let someone_elses = PlainResource {
        owner: Some(SOMEONE),
        ..own.clone()
    };
    f.expect(&me, "read", &someone_elses, false);
    let unowned = PlainResource {
        owner: None,
        ..own.clone()
    };
    f.expect(&me, "read", &unowned, false);
    let other_customer = PlainResource {
        customer: Some(GLOBEX),
        ..own.clone()
    };
    f.expect(&me, "read", &other_customer, false);
    let no_customer = PlainResource {
        customer: None,
        ..own.clone()
    };
    f.expect(&me, "read", &no_customer, false);
    let me_without_customer = person(END_USER_ROLE);
    f.expect(&me_without_customer, "read", &own, false);
    // Workflows need the customer, not the owner.
    let workflow = PlainResource {
        customer: Some(ACME),
        ..thing("workflows")
    };
    f.expect(&me, "execute", &workflow, true);
    f.expect(&me, "update", &workflow, false);
    f.expect(&me_without_customer, "execute", &workflow, false);
}

#[test]
fn system_roles_follow_the_spec_table() {
    let f = Fixture::standard(|_| Vec::new());
    for (role, permission, allowed) in [
        (OWNER, "billing.update", true),
        (ADMIN, "roles.manage", true),
        (DEVELOPER, "workflows.deploy_prod", true),
        (DEVELOPER, "billing.read", false),
        (DEVELOPER, "organization.update", false),
        (DEVELOPER, "members.read", true),
        (OPERATOR_ROLE, "connections.share", true),
        (OPERATOR_ROLE, "workflows.update", false),
        (OPERATOR_ROLE, "audit_log.read", true),
        (VIEWER_ROLE, "workflows.read", true),
        (VIEWER_ROLE, "members.read", false),
        (VIEWER_ROLE, "workflows.execute", false),
        (END_USER_ROLE, "activity.read", false),
    ] {
        let (ty, action) = permission.split_once('.').unwrap();
        f.expect(&person(role), action, &thing(ty), allowed);
    }
    // Inapplicable and unknown actions are denied even to the Owner.
    f.expect(&person(OWNER), "execute", &thing("billing"), false);
    f.expect(&person(OWNER), UNKNOWN, &thing("billing"), false);
    f.expect(&person(OWNER), "read", &thing(UNKNOWN), false);
}

#[test]
fn tenant_isolation_and_inactive_users() {
    let f = Fixture::standard(|_| Vec::new());
    let elsewhere = PlainResource {
        organization: OTHER_ORG,
        ..thing("workflows")
    };
    f.expect(&person(OWNER), "read", &elsewhere, false);
    f.expect(&person(OWNER), "read", &thing("workflows"), true);
    for status in [Status::Invited, Status::Suspended] {
        let inactive = PlainSubject {
            status,
            ..person(OWNER)
        };
        f.expect(&inactive, "read", &thing("workflows"), false);
        let own_profile = PlainResource {
            owner: Some(ME),
            ..thing("profile")
        };
        f.expect(&inactive, "read", &own_profile, false);
    }
}

#[test]
fn built_in_profile_rules_hold_for_every_role() {
    let f = Fixture::standard(|decl| {
        vec![
            custom_role(decl, ORG, "Nothing", &[]),
            custom_role(decl, OTHER_ORG, "Elsewhere", &[]),
        ]
    });
    let own = PlainResource {
        owner: Some(ME),
        ..thing("profile")
    };
    let others = PlainResource {
        owner: Some(SOMEONE),
        ..thing("profile")
    };
    for role in [OWNER, VIEWER_ROLE, END_USER_ROLE, FIRST_CUSTOM] {
        f.expect(&person(role), "read", &own, true);
        f.expect(&person(role), "update", &own, true);
        f.expect(&person(role), "read", &others, false);
        f.expect(&person(role), "read", &thing("profile"), false);
    }
    // A role of another organization, or one the policy lacks, holds nothing.
    f.expect(&person(FIRST_CUSTOM + 1), "read", &own, false);
    f.expect(&person(FIRST_CUSTOM + 2), "read", &own, false);
}

#[test]
fn conditions_and_must_match_on_the_standard_catalog() {
    let f = Fixture::standard(|decl| {
        vec![custom_role(
            decl,
            ORG,
            "Editor",
            &[
                (
                    "workflows",
                    "update",
                    Keys::default(),
                    r#"status != "archived" and priority <= 3"#,
                ),
                (
                    "tools",
                    "execute",
                    Keys {
                        team: true,
                        ..Keys::default()
                    },
                    "",
                ),
            ],
        )]
    });
    let editor = PlainSubject {
        teams: vec![RED],
        ..person(FIRST_CUSTOM)
    };
    let workflow = |attrs: Vec<(&str, PlainValue)>| PlainResource {
        attrs: attrs.into_iter().map(|(n, v)| (n.to_owned(), v)).collect(),
        ..thing("workflows")
    };
    let draft = || ("status", PlainValue::Str("draft".to_owned()));
    f.expect(
        &editor,
        "update",
        &workflow(vec![draft(), ("priority", PlainValue::Int(3))]),
        true,
    );
    f.expect(
        &editor,
        "update",
        &workflow(vec![draft(), ("priority", PlainValue::Int(4))]),
        false,
    );
    f.expect(
        &editor,
        "update",
        &workflow(vec![
            ("status", PlainValue::Str("archived".to_owned())),
            ("priority", PlainValue::Int(1)),
        ]),
        false,
    );
    // A missing attribute makes even `!=` false.
    f.expect(
        &editor,
        "update",
        &workflow(vec![("priority", PlainValue::Int(1))]),
        false,
    );
    // A value of another type makes the comparison false.
    f.expect(
        &editor,
        "update",
        &workflow(vec![draft(), ("priority", PlainValue::Str("1".to_owned()))]),
        false,
    );
    // The rule is on update only.
    f.expect(
        &editor,
        "delete",
        &workflow(vec![draft(), ("priority", PlainValue::Int(1))]),
        false,
    );
    let tool = |team| PlainResource {
        team,
        ..thing("tools")
    };
    f.expect(&editor, "execute", &tool(Some(RED)), true);
    f.expect(&editor, "execute", &tool(Some(BLUE)), false);
    f.expect(&editor, "execute", &tool(None), false);
}

#[test]
fn synced_permissions_on_the_content_platform() {
    let f = Fixture::content_platform(|decl| {
        vec![custom_role(
            decl,
            ORG,
            "Publisher",
            &[
                ("content", "update", Keys::default(), r#"status == "draft""#),
                ("datasource", "read", Keys::default(), ""),
                ("content_font_resources", "delete", Keys::default(), ""),
            ],
        )]
    });
    let publisher = person(FIRST_CUSTOM);
    let draft = |ty: &str| PlainResource {
        attrs: vec![("status".to_owned(), PlainValue::Str("draft".to_owned()))],
        ..thing(ty)
    };
    f.expect(&publisher, "update", &draft("content"), true);
    // Synced with the same condition.
    f.expect(&publisher, "update", &draft("content_font_resources"), true);
    f.expect(
        &publisher,
        "update",
        &thing("content_font_resources"),
        false,
    );
    f.expect(&publisher, "read", &thing("oauth_clients"), true);
    f.expect(&publisher, "read", &thing("workflow"), false);
    // Syncs go one way only.
    f.expect(&publisher, "delete", &thing("content_font_resources"), true);
    f.expect(&publisher, "delete", &thing("content"), false);
    // `statistics` takes access and export only.
    f.expect(&person(OWNER), "access", &thing("statistics"), true);
    f.expect(&person(OWNER), "read", &thing("statistics"), false);
}
