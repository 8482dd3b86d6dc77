//! A small service over a real `TcpListener` on 127.0.0.1: bearer tokens
//! to users of two organizations, workflows with team, owner and status,
//! custom roles created over HTTP, role assignment, the audit log. Each
//! test starts its own server on a free port.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use rolegate::audit::AuditQuery;
use rolegate::catalog::RuleSpec;
use rolegate::*;
use rolegate_axum::{Authz, Caller, Problem, Require, permission};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ACME: OrgId = OrgId::new(1);
const GLOBEX: OrgId = OrgId::new(2);

permission!(
    /// Reading the audit log.
    ReadAudit = "audit_log", "read"
);

/// A workflow's organization, team, owner and status.
type Workflow = (OrgId, TeamId, UserId, &'static str);

#[derive(Clone)]
struct App {
    engine: Engine,
    tokens: Arc<HashMap<&'static str, UserId>>,
    /// Workflow id to (organization, team, owner, status).
    workflows: Arc<HashMap<u64, Workflow>>,
}

impl axum::extract::FromRef<App> for Engine {
    fn from_ref(app: &App) -> Engine {
        app.engine.clone()
    }
}

async fn authenticate(State(app): State<App>, mut request: Request, next: Next) -> Response {
    let token = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if let Some(&user) = token.and_then(|t| app.tokens.get(t)) {
        request.extensions_mut().insert(Caller(user));
    }
    next.run(request).await
}

fn workflow<'a>(app: &App, id: u64) -> Result<Resource<'a>, Problem> {
    let &(org, team, owner, status) = app.workflows.get(&id).ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such workflow".into(),
        )
    })?;
    let c = app.engine.catalog();
    Ok(
        Resource::new(c.resource_type("workflows")?, ResourceId::new(id), org)
            .with_team(team)
            .with_owner(owner)
            .with_attribute(c.attribute("status")?, status),
    )
}

async fn read(
    State(app): State<App>,
    authz: Authz,
    Path(id): Path<u64>,
) -> Result<String, Problem> {
    authz.check(app.engine.catalog().action("update")?, &workflow(&app, id)?)?;
    Ok(format!("workflow {id}"))
}

async fn run(State(app): State<App>, authz: Authz, Path(id): Path<u64>) -> Result<String, Problem> {
    let grant = authz.authorize(
        app.engine.catalog().action("execute")?,
        &workflow(&app, id)?,
    )?;
    grant.success()?;
    Ok(format!("ran {id}"))
}

#[derive(serde::Deserialize)]
struct NewRole {
    name: String,
    rules: Vec<RuleSpec>,
}

async fn create_role(
    authz: Authz,
    Json(role): Json<NewRole>,
) -> Result<impl IntoResponse, Problem> {
    let catalog = authz.engine().catalog();
    let rules = role
        .rules
        .iter()
        .map(|r| r.resolve(catalog))
        .collect::<Result<Vec<_>, _>>()?;
    let id = authz
        .admin()
        .create_role(authz.organization(), &role.name, rules)?;
    Ok((StatusCode::CREATED, id.index().to_string()))
}

async fn assign(
    authz: Authz,
    Path((user, role)): Path<(u64, usize)>,
) -> Result<StatusCode, Problem> {
    let role = RoleId::new(role)
        .ok_or_else(|| Problem::new(StatusCode::BAD_REQUEST, "bad_role", "no such role".into()))?;
    authz.admin().assign_role(UserId::new(user), role)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn audit(gate: Require<ReadAudit>) -> Result<Json<serde_json::Value>, Problem> {
    let authz = gate.authz;
    let page = authz
        .engine()
        .audit()
        .query(&AuditQuery::new().organization(authz.organization()))?;
    let events: Vec<serde_json::Value> = page
        .events
        .iter()
        .map(|e| serde_json::json!({"action": e.action(), "outcome": e.outcome().to_string()}))
        .collect();
    Ok(Json(serde_json::Value::Array(events)))
}

/// Starts the service; returns its address and the engine.
async fn serve() -> (String, Engine) {
    let engine = Engine::new(Catalog::standard());
    let boot = engine.bootstrap();
    let team = boot.create_team(ACME, "Marketing").unwrap();
    boot.add_user(User::new(UserId::new(1), ACME, SystemRole::Owner.id()))
        .unwrap();
    boot.add_user(User::new(UserId::new(2), ACME, SystemRole::Viewer.id()).with_team(team))
        .unwrap();
    boot.add_user(User::new(UserId::new(3), ACME, SystemRole::Developer.id()))
        .unwrap();
    boot.add_user(User::new(UserId::new(20), GLOBEX, SystemRole::Owner.id()))
        .unwrap();
    let app = App {
        engine: engine.clone(),
        tokens: Arc::new(HashMap::from([
            ("owner", UserId::new(1)),
            ("viewer", UserId::new(2)),
            ("dev", UserId::new(3)),
            ("globex", UserId::new(20)),
        ])),
        workflows: Arc::new(HashMap::from([
            (1, (ACME, team, UserId::new(3), "draft")),
            (2, (ACME, team, UserId::new(3), "archived")),
        ])),
    };
    let router = Router::new()
        .route("/workflows/{id}", get(read))
        .route("/workflows/{id}/run", post(run))
        .route("/roles", post(create_role))
        .route("/users/{user}/role/{role}", put(assign))
        .route("/audit", get(audit))
        .layer(middleware::from_fn_with_state(app.clone(), authenticate))
        .with_state(app);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (address, engine)
}

/// One HTTP/1.1 request; the status, the content type and the body.
async fn call(
    address: &str,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| l.strip_prefix("content-type: "))
        .unwrap_or_default()
        .to_owned();
    (status, content_type, body.to_owned())
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn allows_and_denials_with_problem_json_and_reason_codes() {
    let (at, _) = serve().await;
    // The Developer may update (checked with `check`), the Viewer may not.
    assert_eq!(call(&at, "GET", "/workflows/1", "dev", "").await.0, 200);
    let (status, content_type, body) = call(&at, "GET", "/workflows/1", "viewer", "").await;
    assert_eq!(
        (status, content_type.as_str()),
        (403, "application/problem+json")
    );
    let problem = json(&body);
    assert_eq!(problem["status"], 403);
    assert_eq!(problem["title"], "Forbidden");
    assert_eq!(problem["code"], "no_rule");
    assert_eq!(problem["permission"], "workflows.update");
    // Another organization's user: denied as such.
    let (status, _, body) = call(&at, "GET", "/workflows/1", "globex", "").await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (403, "other_organization".into())
    );
    // No token, or an unknown one: 401.
    let (status, _, body) = call(&at, "GET", "/workflows/1", "nobody", "").await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (401, "unauthenticated".into())
    );
}

#[tokio::test]
async fn a_custom_role_created_over_http_takes_effect_on_the_next_request() {
    let (at, engine) = serve().await;
    assert_eq!(call(&at, "GET", "/workflows/1", "viewer", "").await.0, 403);
    let role = r#"{"name": "Marketing Editor", "rules": [
        {"resource": "workflows", "action": "update", "must_match": ["team"], "conditions": "status != \"archived\""}]}"#;
    let (status, _, id) = call(&at, "POST", "/roles", "owner", role).await;
    assert_eq!(status, 201, "{id}");
    let (status, _, _) = call(&at, "PUT", &format!("/users/2/role/{id}"), "owner", "").await;
    assert_eq!(status, 204);
    // The next request sees the role: a draft of the Viewer's team, yes;
    // an archived one, no, by the condition.
    assert_eq!(call(&at, "GET", "/workflows/1", "viewer", "").await.0, 200);
    let (status, _, body) = call(&at, "GET", "/workflows/2", "viewer", "").await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (403, "condition".into())
    );
    // A rule the catalog refuses: 400 naming it.
    let bad = r#"{"name": "Bad", "rules": [{"resource": "rockets", "action": "read"}]}"#;
    let (status, _, body) = call(&at, "POST", "/roles", "owner", bad).await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (400, "invalid_rule".into())
    );
    assert!(
        json(&body)["detail"].as_str().unwrap().contains("rockets"),
        "{body}"
    );
    assert_eq!(
        engine.snapshot().roles(ACME).len(),
        7,
        "the bad role was not created"
    );
}

#[tokio::test]
async fn escalation_is_refused_with_403_and_every_gated_call_is_audited() {
    let (at, _) = serve().await;
    // A Developer cannot manage members: refused by the guard.
    let (status, _, body) = call(&at, "PUT", "/users/2/role/0", "dev", "").await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (403, "guard.missing_permission".into())
    );
    assert_eq!(
        call(&at, "POST", "/workflows/1/run", "dev", "").await.0,
        200
    );
    let (status, _, body) = call(&at, "POST", "/workflows/1/run", "viewer", "").await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (403, "no_rule".into())
    );
    // The Viewer may not read the audit log; the Owner may, and sees each
    // gated call: the run allowed and completed, the run denied, the
    // refused assignment.
    assert_eq!(call(&at, "GET", "/audit", "viewer", "").await.0, 403);
    let (status, _, body) = call(&at, "GET", "/audit", "owner", "").await;
    assert_eq!(status, 200, "{body}");
    let events = json(&body);
    let seen: Vec<(String, String)> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .filter(|(a, _)| a != "team.create" && a != "member.add")
        .collect();
    assert_eq!(
        seen,
        [
            ("workflows.execute".to_owned(), "denied".to_owned()),
            ("workflows.execute".to_owned(), "success".to_owned()),
            ("member.role_assign".to_owned(), "denied".to_owned()),
        ]
    );
}
