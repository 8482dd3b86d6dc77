//! `Require<P>` through the router with tower's `oneshot`: a permission is
//! resolved in each engine's own catalog, even when one declared
//! permission gates routes of engines with different catalogs, and a name
//! the catalog lacks is the service's own mistake (500).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use axum::routing::get;
use rolegate::{Catalog, Engine, OrgId, SystemRole, User, UserId};
use rolegate_axum::{Caller, Require, permission};
use tower::ServiceExt;

permission!(
    /// Reading workflows.
    ReadWorkflows = "workflows", "read"
);
permission!(
    /// Executing workflows.
    ExecuteWorkflows = "workflows", "execute"
);
permission!(
    /// A type no catalog here has.
    LaunchRockets = "rockets", "launch"
);

fn router(catalog: Catalog) -> Router {
    let engine = Engine::new(catalog);
    engine
        .bootstrap()
        .add_user(User::new(
            UserId::new(1),
            OrgId::new(1),
            SystemRole::Viewer.id(),
        ))
        .unwrap();
    Router::new()
        .route("/read", get(|_: Require<ReadWorkflows>| async { "read" }))
        .route(
            "/execute",
            get(|_: Require<ExecuteWorkflows>| async { "ran" }),
        )
        .route(
            "/launch",
            get(|_: Require<LaunchRockets>| async { "launched" }),
        )
        .with_state(engine)
}

async fn status(router: &Router, path: &str) -> (StatusCode, String) {
    let mut request = Request::get(path).body(Body::empty()).unwrap();
    request.extensions_mut().insert(Caller(UserId::new(1)));
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = to_bytes(response.into_body(), 1 << 16).await.unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn one_permission_gates_engines_of_different_catalogs_alike() {
    // Workflows and read sit at other ids than in the standard catalog.
    let other = Catalog::builder()
        .resource_type("tools", ["execute"])
        .resource_type("workflows", ["execute", "read"])
        .build()
        .unwrap();
    let standard = router(Catalog::standard());
    let small = router(other);
    for _ in 0..3 {
        for router in [&standard, &small] {
            assert_eq!(
                status(router, "/read").await,
                (StatusCode::OK, "read".to_owned())
            );
            let (code, body) = status(router, "/execute").await;
            assert_eq!(code, StatusCode::FORBIDDEN, "{body}");
            assert!(body.contains(r#""code":"no_rule""#), "{body}");
            assert!(
                body.contains(r#""permission":"workflows.execute""#),
                "{body}"
            );
        }
    }
    let (code, body) = status(&standard, "/launch").await;
    assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert!(body.contains(r#""code":"unknown_name""#), "{body}");
}
