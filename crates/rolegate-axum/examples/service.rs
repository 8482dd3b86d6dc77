//! A workflow service gated by rolegate, its state on a SQLite file: bearer
//! tokens for users of two organizations, workflows with a team, an owner
//! and a status, custom roles created from JSON taking effect at once, role
//! assignment through the delegation guard, and the audit log as JSON.
//!
//! Run: `cargo run -p rolegate-axum --example service -- state.db 127.0.0.1:3000`,
//! then `curl -H 'Authorization: Bearer viewer' 127.0.0.1:3000/workflows/1`.
#![allow(dead_code, reason = "the integration tests use the app without main")]

use std::error::Error;

use axum::extract::{Path, Request, State};
use axum::http::{Method, StatusCode, header::AUTHORIZATION};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use rolegate::audit::{AuditLog, AuditQuery, Event};
use rolegate::catalog::RuleSpec;
use rolegate::{Engine, OrgId, Resource, ResourceId, RoleId, SystemRole, TeamId, User, UserId};
use rolegate_axum::{Authz, Caller, Problem, Require, permission};
use rolegate_sqlite::{Durability, SqliteSink, SqliteStore};
use serde::Deserialize;
use serde_json::{Value, json};

const ACME: OrgId = OrgId::new(1);
const MARKETING: TeamId = TeamId::new(10);
/// Bearer tokens: Acme's Owner, Viewer (in Marketing) and Developer, Globex's Owner.
const TOKENS: [(&str, u64); 4] = [("owner", 1), ("viewer", 2), ("dev", 3), ("globex", 20)];
/// Workflows of Acme's Marketing team, owned by the Developer: id, status.
const WORKFLOWS: [(u64, &str); 2] = [(1, "draft"), (2, "archived")];

permission!(
    /// Reading the audit log.
    ReadAudit = "audit_log", "read"
);

/// The people and team a fresh state starts with.
pub(crate) fn seed(engine: &Engine) -> Result<(), Box<dyn Error>> {
    let boot = engine.bootstrap();
    boot.create_team_with_id(ACME, MARKETING, "Marketing")?;
    boot.add_user(User::new(UserId::new(1), ACME, SystemRole::Owner.id()))?;
    boot.add_user(User::new(UserId::new(2), ACME, SystemRole::Viewer.id()).with_team(MARKETING))?;
    boot.add_user(User::new(UserId::new(3), ACME, SystemRole::Developer.id()))?;
    let globex = OrgId::new(2);
    boot.add_user(User::new(UserId::new(20), globex, SystemRole::Owner.id()))?;
    Ok(())
}

/// The host's authentication: a bearer token names the caller.
async fn authenticate(mut request: Request, next: Next) -> Response {
    let header = request.headers().get(AUTHORIZATION);
    let token = header.and_then(|v| v.to_str().ok()).map(str::to_owned);
    for (known, id) in TOKENS {
        if token == Some(format!("Bearer {known}")) {
            request.extensions_mut().insert(Caller(UserId::new(id)));
        }
    }
    next.run(request).await
}

type Reply<T = Json<Value>> = Result<T, Problem>;

fn not_found(what: impl std::fmt::Display) -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not_found", format!("no {what}"))
}

fn workflow<'a>(engine: &Engine, id: u64) -> Reply<Resource<'a>> {
    let found = WORKFLOWS.iter().find(|w| w.0 == id);
    let &(_, status) = found.ok_or_else(|| not_found(id))?;
    let (catalog, id) = (engine.catalog(), ResourceId::new(id));
    Ok(Resource::new(catalog.resource_type("workflows")?, id, ACME)
        .with_team(MARKETING)
        .with_owner(UserId::new(3))
        .with_attribute(catalog.attribute("status")?, status))
}

/// Reading is checked, not recorded.
async fn read(State(e): State<Engine>, authz: Authz, Path(id): Path<u64>) -> Reply {
    authz.check(e.catalog().action("read")?, &workflow(&e, id)?)?;
    Ok(Json(json!({ "id": id })))
}

/// Updating (`PUT`) and running (`POST .../run`) are recorded, then completed.
async fn act(State(e): State<Engine>, m: Method, authz: Authz, Path(id): Path<u64>) -> Reply {
    let put = m == Method::PUT;
    let action = if put { "update" } else { "execute" };
    let grant = authz.authorize(e.catalog().action(action)?, &workflow(&e, id)?)?;
    grant.success()?;
    Ok(Json(json!({ "id": id, "done": action })))
}

#[derive(Deserialize)]
struct NewRole {
    name: String,
    rules: Vec<RuleSpec>,
}

async fn create_role(authz: Authz, Json(role): Json<NewRole>) -> Reply<(StatusCode, Json<Value>)> {
    let rules = RuleSpec::resolve_all(&role.rules, authz.engine().catalog())?;
    let (admin, org) = (authz.admin(), authz.organization());
    let id = admin.create_role(org, &role.name, rules)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id.index() }))))
}

async fn assign(authz: Authz, Path((user, role)): Path<(u64, usize)>) -> Reply<StatusCode> {
    let role = RoleId::new(role).ok_or_else(|| not_found(role))?;
    authz.admin().assign_role(UserId::new(user), role)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn audit(gate: Require<ReadAudit>) -> Reply<Json<Vec<Event>>> {
    let query = AuditQuery::new().organization(gate.authz.organization());
    Ok(Json(gate.authz.engine().audit().query(&query)?.events))
}

pub(crate) fn app(engine: Engine) -> Router {
    Router::new()
        .route("/workflows/{id}", get(read).put(act))
        .route("/workflows/{id}/run", post(act))
        .route("/roles", post(create_role))
        .route("/users/{user}/role/{role}", put(assign))
        .route("/audit", get(audit))
        .layer(middleware::from_fn(authenticate))
        .with_state(engine)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "service.db".to_owned());
    let address = args.next().unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let mut builder = Engine::builder(rolegate::Catalog::standard());
    builder.audit(AuditLog::new(SqliteSink::open(&path, Durability::Strict)?));
    let engine = builder.open(SqliteStore::open(&path)?)?;
    if engine.snapshot().user_count() == 0 {
        seed(&engine)?; // A new file.
    }
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("serving {path} on http://{address}");
    axum::serve(listener, app(engine)).await?;
    Ok(())
}
