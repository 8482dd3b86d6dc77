//! Filters rendered in the PostgreSQL dialect agree with `can` on a real
//! server: random worlds of resources (with missing attributes, and keys
//! and attributes of every type) in a typed table, and for every subject
//! and action the rows the `WHERE` selects are the rows `can` allows.

use proptest::prelude::*;
use proptest::test_runner::{Config as Cases, TestRunner};
use rolegate::catalog::{AttrType, CatalogBuilder};
use rolegate::evaluate::AttributeValue;
use rolegate::filter::{Columns, Dialect, SqlValue};
use rolegate::*;

use crate::db::database;

/// The string column orders by a language's rules where the server has
/// ICU, as many databases do: the filter must still order by bytes.
const ATTRIBUTES: [(&str, AttrType, &str); 6] = [
    ("status", AttrType::String, "text COLLATE \"und-x-icu\""),
    ("priority", AttrType::Integer, "bigint"),
    ("flagged", AttrType::Boolean, "boolean"),
    ("author", AttrType::User, "bigint"),
    ("client", AttrType::Customer, "bigint"),
    ("home", AttrType::Organization, "bigint"),
];
const ACTIONS: [&str; 3] = ["read", "update", "delete"];
// Byte order, not a language's: "B" sorts before "a", "é" after "e" and "z".
const WORDS: [&str; 6] = ["a", "B", "é", "e", "z", ""];
const OPS: [&str; 8] = ["==", "!=", "<", "<=", ">", ">=", "in", "not in"];

fn literal(ty: AttrType, n: usize) -> String {
    match ty {
        AttrType::String => format!("{:?}", WORDS[n % WORDS.len()]),
        AttrType::Integer => (n as i64 - 3).to_string(),
        _ => n.is_multiple_of(2).to_string(),
    }
}

/// A world: rules (attribute, op, operand pick, list, action, keys),
/// subjects, and rows of values (`None` missing).
type Rules = Vec<(Vec<(usize, usize, usize, Vec<usize>)>, usize, u8)>;
type Subjects = Vec<(u64, bool, usize, Option<u64>, Vec<u64>)>;
type Rows = Vec<(
    bool,
    Option<u64>,
    Option<u64>,
    Option<u64>,
    Vec<Option<usize>>,
)>;

fn world() -> impl Strategy<Value = (Vec<Rules>, Subjects, Rows)> {
    let condition = (
        0..6usize,
        0..8usize,
        0..8usize,
        prop::collection::vec(0..8usize, 0..4),
    );
    let rule = (prop::collection::vec(condition, 0..3), 0..3usize, 0..16u8);
    let role = prop::collection::vec(rule, 0..4);
    let subject = (
        1..5u64,
        prop::bool::weighted(0.1),
        0..10usize,
        prop::option::of(1..3u64),
        prop::collection::vec(1..4u64, 0..3),
    );
    let row = (
        prop::bool::weighted(0.15),
        prop::option::of(1..3u64),
        prop::option::of(1..4u64),
        prop::option::of(1..5u64),
        prop::collection::vec(prop::option::weighted(0.8, 0..8usize), 6),
    );
    (
        prop::collection::vec(role, 1..4),
        prop::collection::vec(subject, 1..4),
        prop::collection::vec(row, 0..30),
    )
}

fn value(ty: AttrType, n: usize) -> AttributeValue<'static> {
    match ty {
        AttrType::String => AttributeValue::String(WORDS[n % WORDS.len()]),
        AttrType::Integer => AttributeValue::Integer(n as i64 - 3),
        AttrType::Boolean => AttributeValue::Boolean(n.is_multiple_of(2)),
        AttrType::User => AttributeValue::User(UserId::new(1 + n as u64 % 4)),
        AttrType::Customer => AttributeValue::Customer(CustomerId::new(1 + n as u64 % 2)),
        AttrType::Organization => AttributeValue::Organization(OrgId::new(1 + n as u64 % 2)),
    }
}

#[test]
fn rendered_postgres_sql_selects_exactly_the_rows_can_allows() {
    let Some(db) = database("filters") else {
        return;
    };
    let mut client = db.client();
    let mut columns_sql = String::from(
        "id bigint PRIMARY KEY, org bigint NOT NULL, customer bigint, team bigint, owner bigint",
    );
    for (name, _, sql_type) in ATTRIBUTES {
        columns_sql.push_str(&format!(", {name} {sql_type}"));
    }
    let icu: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')",
            &[],
        )
        .unwrap()
        .get(0);
    if !icu {
        columns_sql = columns_sql.replace(" COLLATE \"und-x-icu\"", "");
    }
    client
        .batch_execute(&format!("CREATE TABLE docs ({columns_sql})"))
        .unwrap();

    let mut b = CatalogBuilder::new().resource_type("docs", ACTIONS);
    for (name, ty, _) in ATTRIBUTES {
        b = b.attribute("docs", name, ty);
    }
    let catalog = b.build().unwrap();
    let docs = catalog.resource_type("docs").unwrap();
    let attributes: Vec<AttributeId> = ATTRIBUTES
        .iter()
        .map(|(n, _, _)| catalog.attribute(n).unwrap())
        .collect();
    let mut columns = Columns::new("org")
        .customer("customer")
        .team("team")
        .owner("owner");
    for (&a, (name, _, _)) in attributes.iter().zip(ATTRIBUTES) {
        columns = columns.attribute(a, name);
    }

    let client = std::cell::RefCell::new(client);
    let (selected, pairs) = (std::cell::Cell::new(0usize), std::cell::Cell::new(0usize));
    let mut runner = TestRunner::new(Cases::with_cases(96));
    runner
        .run(&world(), |(roles, subjects, rows)| {
            let mut builder = Policy::builder(catalog.clone());
            let mut ids: Vec<RoleId> = SystemRole::ALL.iter().map(|r| r.id()).collect();
            for (i, rules) in roles.iter().enumerate() {
                let rules: Vec<Rule> = rules
                    .iter()
                    .filter_map(|(conditions, action, keys)| {
                        let text: Vec<String> = conditions
                            .iter()
                            .map(|(a, op, v, list)| {
                                let (name, ty, _) = ATTRIBUTES[*a];
                                let op = OPS[*op];
                                let operand = match ty {
                                    AttrType::User => "subject.id".to_owned(),
                                    AttrType::Customer => "subject.customer".to_owned(),
                                    AttrType::Organization => "subject.organization".to_owned(),
                                    _ if op.ends_with("in") => format!(
                                        "[{}]",
                                        list.iter()
                                            .map(|&n| literal(ty, n))
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    ),
                                    _ => literal(ty, *v),
                                };
                                format!("{name} {op} {operand}")
                            })
                            .collect();
                        Rule::builder(&catalog, "docs", ACTIONS[*action])
                            .must_match(MustMatch::from_bits_truncate(*keys))
                            .conditions(&text.join(" and "))
                            .build()
                            .ok()
                    })
                    .collect();
                ids.push(
                    builder
                        .create_role(OrgId::new(1), &format!("role {i}"), rules)
                        .unwrap(),
                );
            }
            let policy = builder.build();
            let mut client = client.borrow_mut();
            client.batch_execute("TRUNCATE docs").unwrap();
            let mut resources = Vec::new();
            for (i, (second, customer, team, owner, values)) in rows.iter().enumerate() {
                let id = i as i64 + 1;
                let org = if *second { 2 } else { 1 };
                let mut r = Resource::new(docs, ResourceId::new(id as u64), OrgId::new(org));
                if let Some(c) = customer {
                    r = r.with_customer(CustomerId::new(*c));
                }
                if let Some(t) = team {
                    r = r.with_team(TeamId::new(*t));
                }
                if let Some(o) = owner {
                    r = r.with_owner(UserId::new(*o));
                }
                for ((&a, (_, ty, _)), v) in attributes.iter().zip(ATTRIBUTES).zip(values) {
                    if let Some(n) = v {
                        r = r.with_attribute(a, value(ty, *n));
                    }
                }
                let get = |k: usize| values[k].map(|n| value(ATTRIBUTES[k].1, n));
                let text = |k: usize| match get(k) {
                    Some(AttributeValue::String(s)) => Some(s.to_owned()),
                    _ => None,
                };
                let int = |k: usize| match get(k) {
                    Some(AttributeValue::Integer(i)) => Some(i),
                    Some(AttributeValue::User(u)) => Some(u.get() as i64),
                    Some(AttributeValue::Customer(c)) => Some(c.get() as i64),
                    Some(AttributeValue::Organization(o)) => Some(o.get() as i64),
                    _ => None,
                };
                let flag = match get(2) {
                    Some(AttributeValue::Boolean(b)) => Some(b),
                    _ => None,
                };
                client
                    .execute(
                        "INSERT INTO docs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                        &[
                            &id,
                            &(org as i64),
                            &customer.map(|c| c as i64),
                            &team.map(|t| t as i64),
                            &owner.map(|o| o as i64),
                            &text(0),
                            &int(1),
                            &flag,
                            &int(3),
                            &int(4),
                            &int(5),
                        ],
                    )
                    .unwrap();
                resources.push(r);
            }
            for (user, inactive, role, customer, teams) in &subjects {
                let status = if *inactive {
                    UserStatus::Invited
                } else {
                    UserStatus::Active
                };
                let mut s = Subject::new(
                    UserId::new(*user),
                    OrgId::new(1),
                    ids[role % ids.len()],
                    status,
                )
                .with_teams(teams.iter().map(|&t| TeamId::new(t)));
                if let Some(c) = customer {
                    s = s.with_customer(CustomerId::new(*c));
                }
                for action in ACTIONS {
                    let action = catalog.action(action).unwrap();
                    let filter = policy.filter(&s, action, docs);
                    let sql = filter
                        .to_sql(&catalog, &columns, Dialect::Postgres)
                        .unwrap();
                    let params: Vec<Box<dyn postgres::types::ToSql + Sync>> = sql
                        .params
                        .iter()
                        .map(|p| -> Box<dyn postgres::types::ToSql + Sync> {
                            match p {
                                SqlValue::Text(t) => Box::new(t.clone()),
                                SqlValue::Integer(i) => Box::new(*i),
                                SqlValue::Boolean(b) => Box::new(*b),
                                other => panic!("unexpected parameter {other:?}"),
                            }
                        })
                        .collect();
                    let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                        params.iter().map(|p| &**p).collect();
                    let query = format!("SELECT id FROM docs WHERE {} ORDER BY id", sql.sql);
                    let got: Vec<u64> = client
                        .query(&query, &refs)
                        .unwrap_or_else(|e| panic!("{query}: {e}"))
                        .iter()
                        .map(|row| row.get::<_, i64>(0) as u64)
                        .collect();
                    let want: Vec<u64> = resources
                        .iter()
                        .filter(|r| policy.can(&s, action, r))
                        .map(|r| r.id().get())
                        .collect();
                    prop_assert_eq!(&got, &want, "{}\n{:?}\n{:?}", query, sql.params, filter);
                    pairs.set(pairs.get() + 1);
                    selected.set(selected.get() + got.len());
                }
            }
            Ok(())
        })
        .unwrap();
    let (pairs, selected) = (pairs.get(), selected.get());
    assert!(
        pairs > 200 && selected > 100,
        "{pairs} pairs, {selected} rows selected"
    );
}

/// Strings order by bytes in a filter as in `can`, whatever the column's
/// collation: every ordering against every word, on a column ordered by
/// ICU's rules where the server has them.
#[test]
fn string_order_in_postgres_filters_is_byte_order() {
    let Some(db) = database("order") else { return };
    let mut client = db.client();
    let icu: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')",
            &[],
        )
        .unwrap()
        .get(0);
    let collation = if icu { " COLLATE \"und-x-icu\"" } else { "" };
    client
        .batch_execute(&format!(
            "CREATE TABLE docs (id bigint PRIMARY KEY, org bigint NOT NULL, status text{collation})"
        ))
        .unwrap();
    let catalog = CatalogBuilder::new()
        .resource_type("docs", ["read"])
        .attribute("docs", "status", AttrType::String)
        .build()
        .unwrap();
    let (docs, read) = (
        catalog.resource_type("docs").unwrap(),
        catalog.action("read").unwrap(),
    );
    let status = catalog.attribute("status").unwrap();
    let mut resources = Vec::new();
    for (i, word) in WORDS.iter().enumerate() {
        client
            .execute(
                "INSERT INTO docs VALUES ($1, 1, $2)",
                &[&(i as i64 + 1), word],
            )
            .unwrap();
        resources.push(
            Resource::new(docs, ResourceId::new(i as u64 + 1), OrgId::new(1))
                .with_attribute(status, *word),
        );
    }
    let columns = Columns::new("org").attribute(status, "status");
    let mut differs = 0;
    for op in ["<", "<=", ">", ">="] {
        for word in WORDS {
            let mut builder = Policy::builder(catalog.clone());
            let rule = Rule::builder(&catalog, "docs", "read")
                .conditions(&format!("status {op} {word:?}"))
                .build()
                .unwrap();
            let role = builder
                .create_role(OrgId::new(1), "Reader", [rule])
                .unwrap();
            let policy = builder.build();
            let subject = Subject::new(UserId::new(1), OrgId::new(1), role, UserStatus::Active);
            let sql = policy
                .filter(&subject, read, docs)
                .to_sql(&catalog, &columns, Dialect::Postgres)
                .unwrap();
            let SqlValue::Integer(org) = sql.params[0] else {
                panic!("{sql:?}")
            };
            let SqlValue::Text(literal) = &sql.params[1] else {
                panic!("{sql:?}")
            };
            let query = format!("SELECT id FROM docs WHERE {} ORDER BY id", sql.sql);
            let got: Vec<u64> = client
                .query(&query, &[&org, literal])
                .unwrap()
                .iter()
                .map(|row| row.get::<_, i64>(0) as u64)
                .collect();
            let want: Vec<u64> = resources
                .iter()
                .filter(|r| policy.can(&subject, read, r))
                .map(|r| r.id().get())
                .collect();
            assert_eq!(got, want, "{query} with {literal:?}");
            // How often the column's own order would have answered otherwise.
            let by_column: Vec<u64> = client
                .query(
                    &format!("SELECT id FROM docs WHERE status {op} $1 ORDER BY id"),
                    &[literal],
                )
                .unwrap()
                .iter()
                .map(|row| row.get::<_, i64>(0) as u64)
                .collect();
            differs += usize::from(by_column != want);
        }
    }
    if icu {
        assert!(
            differs > 0,
            "the ICU column orders like bytes: the test would show nothing"
        );
    }
}
