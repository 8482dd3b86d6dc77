//! A page of the workflows a Marketing Editor may update, from a SQLite
//! table of 100,000: the editor's filter rendered as a `WHERE` fragment, so
//! the database returns only the rows `can` would allow.
//!
//! ```sh
//! cargo run --release -p rolegate-sqlite --example listing
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Instant;

use rolegate::filter::{Columns, Dialect, SqlValue};
use rolegate::*;
use rusqlite::Connection;
use rusqlite::types::Value;

/// The organization of the example.
pub const ACME: OrgId = OrgId::new(1);
/// Rows in the table.
pub const ROWS: u64 = 100_000;
const STATUSES: [&str; 3] = ["draft", "active", "archived"];

/// A table `workflows` of `rows` workflows over ten teams and two
/// organizations, with their status and priority, indexed by organization,
/// team and status (the columns the filter tests).
pub fn workflows_table(rows: u64) -> Connection {
    let db = Connection::open_in_memory().unwrap();
    db.execute_batch(
        "CREATE TABLE workflows (id INTEGER PRIMARY KEY, org INTEGER NOT NULL, team INTEGER, \
         owner INTEGER, status TEXT, priority INTEGER); \
         CREATE INDEX workflows_org_team ON workflows (org, team, status);",
    )
    .unwrap();
    let tx = db.unchecked_transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO workflows VALUES (?, ?, ?, ?, ?, ?)")
            .unwrap();
        for id in 1..=rows {
            insert
                .execute((
                    id as i64,
                    if id % 5 == 0 { 2 } else { 1 },
                    (id % 10 + 1) as i64,
                    (id % 97) as i64,
                    STATUSES[(id / 3 % 3) as usize],
                    (id / 11 % 5) as i64,
                ))
                .unwrap();
        }
    }
    tx.commit().unwrap();
    db
}

/// The policy with a Marketing Editor role, and an editor in teams 3 and 7.
pub fn marketing_editor() -> (Policy, Subject) {
    let catalog = Catalog::standard();
    let mut builder = Policy::builder(catalog.clone());
    let editor = builder
        .create_role(
            ACME,
            "Marketing Editor",
            [Rule::builder(&catalog, "workflows", "update")
                .must_match(MustMatch::TEAM)
                .conditions(r#"status != "archived""#)
                .build()
                .unwrap()],
        )
        .unwrap();
    let subject = Subject::new(UserId::new(42), ACME, editor, UserStatus::Active)
        .with_teams([TeamId::new(3), TeamId::new(7)]);
    (builder.build(), subject)
}

/// The table's columns.
pub fn columns(catalog: &Catalog) -> Columns {
    Columns::new("org")
        .team("team")
        .owner("owner")
        .attribute(catalog.attribute("status").unwrap(), "status")
        .attribute(catalog.attribute("priority").unwrap(), "priority")
}

/// The ids of the workflows `subject` may update, as the database selects
/// them through the filter, after `after`, at most `limit`.
pub fn page(
    db: &Connection,
    policy: &Policy,
    subject: &Subject,
    after: u64,
    limit: usize,
) -> Vec<u64> {
    let catalog = policy.catalog();
    let (workflows, update) = (
        catalog.resource_type("workflows").unwrap(),
        catalog.action("update").unwrap(),
    );
    let filter = policy.filter(subject, update, workflows);
    let sql = filter
        .to_sql(catalog, &columns(catalog), Dialect::Sqlite)
        .unwrap();
    let query = format!(
        "SELECT id FROM workflows WHERE {} AND id > ? ORDER BY id LIMIT ?",
        sql.sql
    );
    let mut params: Vec<Value> = sql.params.iter().map(to_sql).collect();
    params.push(Value::Integer(after as i64));
    params.push(Value::Integer(limit as i64));
    let mut statement = db.prepare_cached(&query).unwrap();
    statement
        .query_map(rusqlite::params_from_iter(params), |row| {
            row.get::<_, i64>(0)
        })
        .unwrap()
        .map(|id| id.unwrap() as u64)
        .collect()
}

/// A filter's parameter as rusqlite takes it.
pub fn to_sql(value: &SqlValue) -> Value {
    match value {
        SqlValue::Text(t) => Value::Text(t.clone()),
        SqlValue::Integer(i) => Value::Integer(*i),
        SqlValue::Boolean(b) => Value::Integer(i64::from(*b)),
        other => panic!("unexpected parameter {other:?}"),
    }
}

/// Every workflow, read from the table and checked with `can`: what the
/// filter saves a service from doing.
pub fn all_checked(db: &Connection, policy: &Policy, subject: &Subject) -> Vec<u64> {
    let catalog = policy.catalog();
    let (workflows, update) = (
        catalog.resource_type("workflows").unwrap(),
        catalog.action("update").unwrap(),
    );
    let (status, priority) = (
        catalog.attribute("status").unwrap(),
        catalog.attribute("priority").unwrap(),
    );
    let mut statement = db
        .prepare_cached("SELECT id, org, team, owner, status, priority FROM workflows ORDER BY id")
        .unwrap();
    let mut rows = statement.query([]).unwrap();
    let mut allowed = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        let id: i64 = row.get(0).unwrap();
        let text: Option<String> = row.get(4).unwrap();
        let mut resource = Resource::new(
            workflows,
            ResourceId::new(id as u64),
            OrgId::new(row.get::<_, i64>(1).unwrap() as u64),
        );
        if let Some(team) = row.get::<_, Option<i64>>(2).unwrap() {
            resource = resource.with_team(TeamId::new(team as u64));
        }
        if let Some(owner) = row.get::<_, Option<i64>>(3).unwrap() {
            resource = resource.with_owner(UserId::new(owner as u64));
        }
        if let Some(text) = &text {
            resource = resource.with_attribute(status, text.as_str());
        }
        if let Some(p) = row.get::<_, Option<i64>>(5).unwrap() {
            resource = resource.with_attribute(priority, p);
        }
        if policy.can(subject, update, &resource) {
            allowed.push(id as u64);
        }
    }
    allowed
}

#[allow(dead_code)]
fn main() {
    let started = Instant::now();
    let db = workflows_table(ROWS);
    println!("{ROWS} workflows written in {:.0?}", started.elapsed());
    let (policy, editor) = marketing_editor();
    let catalog = policy.catalog();
    let filter = policy.filter(
        &editor,
        catalog.action("update").unwrap(),
        catalog.resource_type("workflows").unwrap(),
    );
    let sql = filter
        .to_sql(catalog, &columns(catalog), Dialect::Sqlite)
        .unwrap();
    println!("the Marketing Editor's filter: WHERE {}", sql.sql);
    println!("with parameters {:?}", sql.params);

    let started = Instant::now();
    let first = page(&db, &policy, &editor, 0, 20);
    println!(
        "first page, 20 rows, in {:.0?}: {first:?}",
        started.elapsed()
    );
    let next = page(&db, &policy, &editor, *first.last().unwrap(), 20);
    println!("next page: {next:?}");

    // The same answer as reading every row and asking `can`.
    let started = Instant::now();
    let mut filtered = Vec::new();
    let mut after = 0;
    loop {
        let rows = page(&db, &policy, &editor, after, 1_000);
        match rows.last() {
            Some(&last) => after = last,
            None => break,
        }
        filtered.extend(rows);
    }
    let through_filter = started.elapsed();
    let started = Instant::now();
    let checked = all_checked(&db, &policy, &editor);
    let through_can = started.elapsed();
    assert_eq!(filtered, checked);
    println!(
        "all {} rows the editor may update: {through_filter:.0?} through the filter, \
         {through_can:.0?} reading all {ROWS} and checking each with can: the same rows",
        filtered.len()
    );
}
