//! Filters rendered to SQL agree with `can` on a real database: random
//! worlds (a catalog with attributes of every type, custom roles with
//! must-match keys and conditions of every operator, subjects with and
//! without customers and teams, rows with missing and mistyped values) are
//! written to a SQLite table through rusqlite, and for every subject and
//! action the rows the rendered `WHERE` selects are exactly the rows `can`
//! allows.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use rolegate::catalog::{AttrType, CatalogBuilder};
use rolegate::evaluate::AttributeValue;
use rolegate::filter::{Columns, Dialect, SqlValue};
use rolegate::*;
use rusqlite::Connection;
use rusqlite::types::Value as Sql;

/// The attributes of `docs`, each with its column.
const ATTRIBUTES: [(&str, AttrType); 6] = [
    ("status", AttrType::String),
    ("priority", AttrType::Integer),
    ("flagged", AttrType::Boolean),
    ("author", AttrType::User),
    ("client", AttrType::Customer),
    ("home", AttrType::Organization),
];
const ACTIONS: [&str; 3] = ["read", "update", "delete"];
const WORDS: [&str; 4] = ["draft", "open", "archived", ""];
const OPS: [&str; 8] = ["==", "!=", "<", "<=", ">", ">=", "in", "not in"];

fn catalog() -> Catalog {
    let mut b = CatalogBuilder::new().resource_type("docs", ACTIONS);
    for (name, ty) in ATTRIBUTES {
        b = b.attribute("docs", name, ty);
    }
    b.build().unwrap()
}

/// One condition: attribute, operator, and an operand chosen by `value`.
#[derive(Clone, Debug)]
struct RawCondition {
    attribute: usize,
    op: usize,
    value: usize,
    list: Vec<usize>,
}

#[derive(Clone, Debug)]
struct RawRule {
    action: usize,
    keys: u8,
    conditions: Vec<RawCondition>,
}

#[derive(Clone, Debug)]
struct RawSubject {
    id: u64,
    second_org: bool,
    role: usize,
    inactive: bool,
    customer: Option<u64>,
    teams: Vec<u64>,
}

/// A stored value: missing, of the attribute's type, or of another type.
#[derive(Clone, Debug)]
enum RawValue {
    Missing,
    Right(usize),
    Wrong(usize),
}

#[derive(Clone, Debug)]
struct RawRow {
    second_org: bool,
    customer: Option<u64>,
    team: Option<u64>,
    owner: Option<u64>,
    values: Vec<RawValue>,
}

#[derive(Clone, Debug)]
struct World {
    roles: Vec<(bool, Vec<RawRule>)>,
    subjects: Vec<RawSubject>,
    rows: Vec<RawRow>,
}

fn world() -> impl Strategy<Value = World> {
    let condition = (
        0..ATTRIBUTES.len(),
        0..OPS.len(),
        0..8usize,
        prop::collection::vec(0..8usize, 0..4),
    )
        .prop_map(|(attribute, op, value, list)| RawCondition {
            attribute,
            op,
            value,
            list,
        });
    let rule = (
        0..ACTIONS.len(),
        0..16u8,
        prop::collection::vec(condition, 0..3),
    )
        .prop_map(|(action, keys, conditions)| RawRule {
            action,
            keys,
            conditions,
        });
    let role = (prop::bool::weighted(0.2), prop::collection::vec(rule, 0..4));
    let subject = (
        1..5u64,
        prop::bool::weighted(0.1),
        0..10usize,
        prop::bool::weighted(0.1),
        prop::option::of(1..3u64),
        prop::collection::vec(1..4u64, 0..3),
    )
        .prop_map(
            |(id, second_org, role, inactive, customer, teams)| RawSubject {
                id,
                second_org,
                role,
                inactive,
                customer,
                teams,
            },
        );
    let value = prop_oneof![
        1 => Just(RawValue::Missing),
        4 => (0..8usize).prop_map(RawValue::Right),
        1 => (0..8usize).prop_map(RawValue::Wrong),
    ];
    let row = (
        prop::bool::weighted(0.15),
        prop::option::of(1..3u64),
        prop::option::of(1..4u64),
        prop::option::of(1..5u64),
        prop::collection::vec(value, ATTRIBUTES.len()),
    )
        .prop_map(|(second_org, customer, team, owner, values)| RawRow {
            second_org,
            customer,
            team,
            owner,
            values,
        });
    (
        prop::collection::vec(role, 1..4),
        prop::collection::vec(subject, 1..5),
        prop::collection::vec(row, 0..40),
    )
        .prop_map(|(roles, subjects, rows)| World {
            roles,
            subjects,
            rows,
        })
}

fn org(second: bool) -> OrgId {
    OrgId::new(if second { 2 } else { 1 })
}

/// A literal of `ty` picked by `n` (small ranges, so that they meet).
fn literal(ty: AttrType, n: usize) -> String {
    match ty {
        AttrType::String => format!("{:?}", WORDS[n % WORDS.len()]),
        AttrType::Integer => (n as i64 - 3).to_string(),
        AttrType::Boolean => n.is_multiple_of(2).to_string(),
        _ => unreachable!("no literal of an id type"),
    }
}

fn condition(c: &RawCondition) -> String {
    let (name, ty) = ATTRIBUTES[c.attribute];
    let op = OPS[c.op];
    let operand = match ty {
        AttrType::User => "subject.id".to_owned(),
        AttrType::Customer => "subject.customer".to_owned(),
        AttrType::Organization => "subject.organization".to_owned(),
        _ if op.ends_with("in") => {
            let items: Vec<String> = c.list.iter().map(|&n| literal(ty, n)).collect();
            format!("[{}]", items.join(", "))
        }
        _ => literal(ty, c.value),
    };
    format!("{name} {op} {operand}")
}

/// The value a row stores for an attribute, as a resource holds it.
fn value(ty: AttrType, raw: &RawValue) -> Option<AttributeValue<'static>> {
    let word = |n: usize| AttributeValue::String(WORDS[n % WORDS.len()]);
    match (raw, ty) {
        (RawValue::Missing, _) => None,
        (RawValue::Right(n), AttrType::String) => Some(word(*n)),
        (RawValue::Right(n), AttrType::Integer) => Some(AttributeValue::Integer(*n as i64 - 3)),
        (RawValue::Right(n), AttrType::Boolean) => {
            Some(AttributeValue::Boolean(n.is_multiple_of(2)))
        }
        (RawValue::Right(n), AttrType::User) => {
            Some(AttributeValue::User(UserId::new(1 + *n as u64 % 4)))
        }
        (RawValue::Right(n), AttrType::Customer) => {
            Some(AttributeValue::Customer(CustomerId::new(1 + *n as u64 % 2)))
        }
        (RawValue::Right(n), _) => Some(AttributeValue::Organization(org(n.is_multiple_of(3)))),
        // A value of another type that the column keeps as it is: an
        // integer among strings, text among integers and ids, an integer
        // that is no boolean among booleans.
        (RawValue::Wrong(n), AttrType::String) => Some(AttributeValue::Integer(*n as i64)),
        (RawValue::Wrong(n), AttrType::Boolean) if n.is_multiple_of(2) => {
            Some(AttributeValue::Integer(2 + *n as i64))
        }
        (RawValue::Wrong(n), _) => Some(word(*n)),
    }
}

/// How a resource's value is stored: booleans as 0 and 1, ids as integers.
fn stored(value: Option<AttributeValue<'_>>) -> Sql {
    match value {
        None => Sql::Null,
        Some(AttributeValue::String(s)) => Sql::Text(s.to_owned()),
        Some(AttributeValue::Integer(i)) => Sql::Integer(i),
        Some(AttributeValue::Boolean(b)) => Sql::Integer(i64::from(b)),
        Some(AttributeValue::User(u)) => Sql::Integer(u.get() as i64),
        Some(AttributeValue::Customer(c)) => Sql::Integer(c.get() as i64),
        Some(AttributeValue::Organization(o)) => Sql::Integer(o.get() as i64),
    }
}

fn key(id: Option<u64>) -> Sql {
    id.map_or(Sql::Null, |i| Sql::Integer(i as i64))
}

/// Checks one world; returns how many (subject, action) pairs were run and
/// how many rows were selected in all.
fn check(w: &World) -> Result<(usize, usize), String> {
    let catalog = catalog();
    let docs = catalog.resource_type("docs").unwrap();
    let attributes: Vec<AttributeId> = ATTRIBUTES
        .iter()
        .map(|(n, _)| catalog.attribute(n).unwrap())
        .collect();

    let mut builder = Policy::builder(catalog.clone());
    let mut roles: Vec<RoleId> = SystemRole::ALL.iter().map(|r| r.id()).collect();
    for (i, (second, rules)) in w.roles.iter().enumerate() {
        let rules: Vec<Rule> = rules
            .iter()
            .filter_map(|r| {
                let text: Vec<String> = r.conditions.iter().map(condition).collect();
                Rule::builder(&catalog, "docs", ACTIONS[r.action])
                    .must_match(MustMatch::from_bits_truncate(r.keys))
                    .conditions(&text.join(" and "))
                    .build()
                    .ok()
            })
            .collect();
        roles.push(
            builder
                .create_role(org(*second), &format!("role {i}"), rules)
                .unwrap(),
        );
    }
    let policy = builder.build();

    let db = Connection::open_in_memory().unwrap();
    // No declared column types: SQLite keeps each value as it is given.
    db.execute_batch(
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, org, customer, team, owner, \
         status, priority, flagged, author, client, home)",
    )
    .unwrap();
    let mut resources = Vec::new();
    for (i, row) in w.rows.iter().enumerate() {
        let mut resource = Resource::new(docs, ResourceId::new(i as u64 + 1), org(row.second_org));
        if let Some(c) = row.customer {
            resource = resource.with_customer(CustomerId::new(c));
        }
        if let Some(t) = row.team {
            resource = resource.with_team(TeamId::new(t));
        }
        if let Some(o) = row.owner {
            resource = resource.with_owner(UserId::new(o));
        }
        for ((&attribute, (_, ty)), raw) in attributes.iter().zip(ATTRIBUTES).zip(&row.values) {
            if let Some(v) = value(ty, raw) {
                resource = resource.with_attribute(attribute, v);
            }
        }
        let mut params = vec![
            Sql::Integer(i as i64 + 1),
            Sql::Integer(resource.organization().get() as i64),
            key(row.customer),
            key(row.team),
            key(row.owner),
        ];
        params.extend(attributes.iter().map(|&a| stored(resource.attribute(a))));
        db.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rusqlite::params_from_iter(params),
        )
        .unwrap();
        resources.push(resource);
    }

    let mut columns = Columns::new("org")
        .customer("customer")
        .team("team")
        .owner("owner");
    for (&attribute, (name, _)) in attributes.iter().zip(ATTRIBUTES) {
        columns = columns.attribute(attribute, name);
    }
    let (mut pairs, mut selected) = (0, 0);
    for raw in &w.subjects {
        let status = if raw.inactive {
            UserStatus::Suspended
        } else {
            UserStatus::Active
        };
        let mut subject = Subject::new(
            UserId::new(raw.id),
            org(raw.second_org),
            roles[raw.role % roles.len()],
            status,
        )
        .with_teams(raw.teams.iter().map(|&t| TeamId::new(t)));
        if let Some(c) = raw.customer {
            subject = subject.with_customer(CustomerId::new(c));
        }
        for action in ACTIONS {
            let action = catalog.action(action).unwrap();
            let filter = policy.filter(&subject, action, docs);
            let sql = filter
                .to_sql(&catalog, &columns, Dialect::Sqlite)
                .map_err(|e| e.to_string())?;
            let query = format!("SELECT id FROM docs WHERE {} ORDER BY id", sql.sql);
            let params = sql.params.iter().map(|p| match p {
                SqlValue::Text(t) => Sql::Text(t.clone()),
                SqlValue::Integer(i) => Sql::Integer(*i),
                SqlValue::Boolean(b) => Sql::Integer(i64::from(*b)),
                other => panic!("unexpected parameter {other:?}"),
            });
            let mut statement = db.prepare(&query).map_err(|e| format!("{query}: {e}"))?;
            let got: Vec<u64> = statement
                .query_map(rusqlite::params_from_iter(params), |row| {
                    row.get::<_, i64>(0)
                })
                .unwrap()
                .map(|id| id.unwrap() as u64)
                .collect();
            let want: Vec<u64> = resources
                .iter()
                .filter(|r| policy.can(&subject, action, r))
                .map(|r| r.id().get())
                .collect();
            if got != want {
                return Err(format!(
                    "SQL selects {got:?}, can allows {want:?}\n{query}\n{:?}\nsubject {subject:?}\nfilter {filter:?}",
                    sql.params
                ));
            }
            pairs += 1;
            selected += got.len();
        }
    }
    Ok((pairs, selected))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rendered_sql_selects_exactly_the_rows_can_allows(w in world()) {
        check(&w).map_err(TestCaseError::fail)?;
    }
}

/// The worlds select rows, and not all of them: the agreement is not won
/// by empty or full answers.
#[test]
fn sql_worlds_select_some_rows_and_leave_others() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = world();
    let (mut pairs, mut selected, mut rows) = (0, 0, 0);
    for _ in 0..64 {
        let w = strategy.new_tree(&mut runner).unwrap().current();
        let (p, s) = check(&w).unwrap_or_else(|e| panic!("{e}"));
        pairs += p;
        selected += s;
        rows += p * w.rows.len();
    }
    assert!(pairs > 300, "{pairs} subject and action pairs");
    assert!(
        selected * 20 > rows && selected * 20 < rows * 19,
        "{selected} of {rows} rows selected"
    );
}
