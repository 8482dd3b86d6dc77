//! Listing what a subject may see from a SQLite table of 100,000
//! workflows: the Marketing Editor's filter rendered as a `WHERE` fragment
//! against reading every row and checking each with `can`, and the cost of
//! building the filter. Run with `cargo bench -p rolegate-sqlite --bench filter`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../examples/listing.rs"]
mod listing;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rolegate::filter::Dialect;
use rolegate::*;
use rusqlite::types::Value;

fn list(c: &mut Criterion) {
    let db = listing::workflows_table(listing::ROWS);
    let (policy, editor) = listing::marketing_editor();
    let catalog = policy.catalog();
    let (workflows, update) = (
        catalog.resource_type("workflows").unwrap(),
        catalog.action("update").unwrap(),
    );
    let columns = listing::columns(catalog);
    let select = |sql: &str, params: &[Value]| -> Vec<u64> {
        let mut statement = db.prepare_cached(sql).unwrap();
        statement
            .query_map(rusqlite::params_from_iter(params), |row| {
                row.get::<_, i64>(0)
            })
            .unwrap()
            .map(|id| id.unwrap() as u64)
            .collect()
    };
    let hand_written =
        "SELECT id FROM workflows WHERE org = 1 AND team IN (3, 7) AND status <> 'archived'";
    let filtered = || {
        let filter = policy.filter(&editor, update, workflows);
        let sql = filter.to_sql(catalog, &columns, Dialect::Sqlite).unwrap();
        let params: Vec<Value> = sql.params.iter().map(listing::to_sql).collect();
        select(
            &format!("SELECT id FROM workflows WHERE {}", sql.sql),
            &params,
        )
    };
    // The same rows, whichever way they are found.
    let mut expected = listing::all_checked(&db, &policy, &editor);
    let mut got = filtered();
    got.sort_unstable();
    expected.sort_unstable();
    assert_eq!(got, expected);
    let mut floor = select(hand_written, &[]);
    floor.sort_unstable();
    assert_eq!(floor, expected);

    let mut g = c.benchmark_group("list_100k");
    g.sample_size(20);
    g.bench_function("floor_hand_written_query", |b| {
        b.iter(|| assert_eq!(select(black_box(hand_written), &[]).len(), expected.len()));
    });
    g.bench_function("filtered_query", |b| {
        b.iter(|| assert_eq!(filtered().len(), expected.len()));
    });
    g.bench_function("load_all_and_can", |b| {
        b.iter(|| {
            assert_eq!(
                listing::all_checked(&db, &policy, &editor).len(),
                expected.len()
            )
        });
    });
    g.finish();

    let mut g = c.benchmark_group("build_filter");
    let draft = Resource::new(workflows, ResourceId::new(1), listing::ACME)
        .with_team(TeamId::new(3))
        .with_attribute(catalog.attribute("status").unwrap(), "draft");
    g.bench_function("floor_can", |b| {
        b.iter(|| assert!(policy.can(black_box(&editor), update, black_box(&draft))));
    });
    g.bench_function("filter", |b| {
        b.iter(|| black_box(policy.filter(black_box(&editor), update, workflows)));
    });
    g.bench_function("filter_and_sql", |b| {
        b.iter(|| {
            let filter = policy.filter(black_box(&editor), update, workflows);
            black_box(filter.to_sql(catalog, &columns, Dialect::Sqlite).unwrap())
        });
    });
    g.finish();
}

criterion_group!(benches, list);
criterion_main!(benches);
