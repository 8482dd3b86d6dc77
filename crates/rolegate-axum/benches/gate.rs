//! A request through the gate against the same handler ungated, both
//! through the router with tower's `oneshot` (no network): what resolving
//! the caller and checking a permission adds to a request.
//!
//! Run with `cargo bench -p rolegate-axum --bench gate`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
use rolegate_axum::{Caller, Require, permission};
use tower::ServiceExt;

permission!(
    /// Reading workflows.
    ReadWorkflows = "workflows", "read"
);

async fn open() -> &'static str {
    "ok"
}

async fn gated(_: Require<ReadWorkflows>) -> &'static str {
    "ok"
}

fn gate(c: &mut Criterion) {
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    boot.add_user(User::new(
        UserId::new(1),
        OrgId::new(1),
        SystemRole::Viewer.id(),
    ))
    .unwrap();
    let router = Router::new()
        .route("/open", get(open))
        .route("/gated", get(gated))
        .with_state(engine);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let request = |path: &str| {
        let mut request = Request::get(path).body(Body::empty()).unwrap();
        request.extensions_mut().insert(Caller(UserId::new(1)));
        request
    };

    let mut g = c.benchmark_group("gate");
    g.bench_function("floor_ungated", |b| {
        b.iter(|| {
            let response = runtime
                .block_on(router.clone().oneshot(black_box(request("/open"))))
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response
        })
    });
    g.bench_function("gated", |b| {
        b.iter(|| {
            let response = runtime
                .block_on(router.clone().oneshot(black_box(request("/gated"))))
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response
        })
    });
    g.finish();
}

criterion_group!(benches, gate);
criterion_main!(benches);
