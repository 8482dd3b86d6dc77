//! The example service (`examples/service.rs`) over a real `TcpListener`
//! on 127.0.0.1, its state in a SQLite store: allows and denials with
//! problem+json bodies, a custom role created over HTTP taking effect on the
//! next request, escalation refused, and the audit log over HTTP. Each test
//! starts its own server on a free port.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../examples/service.rs"]
mod service;

use rolegate::{Catalog, Engine};
use rolegate_sqlite::SqliteStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Starts the service on a fresh state; returns its address and the engine.
async fn serve() -> (String, Engine) {
    let engine = Engine::builder(Catalog::standard())
        .open(SqliteStore::open_in_memory().unwrap())
        .unwrap();
    service::seed(&engine).unwrap();
    let router = service::app(engine.clone());
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
    // Reading is checked: the Viewer may.
    assert_eq!(call(&at, "GET", "/workflows/1", "viewer", "").await.0, 200);
    // Updating is authorized: the Developer may, the Viewer may not.
    assert_eq!(call(&at, "PUT", "/workflows/1", "dev", "").await.0, 200);
    let (status, content_type, body) = call(&at, "PUT", "/workflows/1", "viewer", "").await;
    assert_eq!(
        (status, content_type.as_str()),
        (403, "application/problem+json")
    );
    let problem = json(&body);
    assert_eq!(problem["status"], 403);
    assert_eq!(problem["title"], "Forbidden");
    assert_eq!(problem["type"], "about:blank");
    assert_eq!(problem["code"], "no_rule");
    assert_eq!(problem["permission"], "workflows.update");
    // Another organization's Owner: denied as such.
    let (status, _, body) = call(&at, "GET", "/workflows/1", "globex", "").await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (403, "other_organization".into())
    );
    // An unknown token names no caller: 401.
    let (status, _, body) = call(&at, "GET", "/workflows/1", "nobody", "").await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (401, "unauthenticated".into())
    );
    // A workflow that does not exist: 404.
    assert_eq!(call(&at, "GET", "/workflows/9", "viewer", "").await.0, 404);
}

#[tokio::test]
async fn a_custom_role_created_over_http_takes_effect_on_the_next_request() {
    let (at, engine) = serve().await;
    assert_eq!(call(&at, "PUT", "/workflows/1", "viewer", "").await.0, 403);
    let role = r#"{"name": "Marketing Editor", "rules": [
        {"resource": "workflows", "action": "update", "must_match": ["team"], "conditions": "status != \"archived\""}]}"#;
    let (status, _, created) = call(&at, "POST", "/roles", "owner", role).await;
    assert_eq!(status, 201, "{created}");
    let id = json(&created)["id"].as_u64().unwrap();
    let (status, _, _) = call(&at, "PUT", &format!("/users/2/role/{id}"), "owner", "").await;
    assert_eq!(status, 204);
    // The next request sees the role: a draft of the Viewer's team, yes;
    // an archived one, no, by the condition.
    assert_eq!(call(&at, "PUT", "/workflows/1", "viewer", "").await.0, 200);
    let (status, _, body) = call(&at, "PUT", "/workflows/2", "viewer", "").await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (403, "condition".into())
    );
    // A rule the catalog refuses: 400 naming it, and nothing created.
    let bad = r#"{"name": "Bad", "rules": [{"resource": "rockets", "action": "read"}]}"#;
    let (status, _, body) = call(&at, "POST", "/roles", "owner", bad).await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (400, "invalid_rule".into())
    );
    let detail = json(&body)["detail"].as_str().unwrap().to_owned();
    assert_eq!(
        detail,
        r#"rules[0].resource: unknown resource type "rockets""#
    );
    let bad = r#"{"name": "Bad", "rules": [{"resource": "workflows", "action": "read"},
        {"resource": "workflows", "action": "read", "conditions": "priority <"}]}"#;
    let (status, _, body) = call(&at, "POST", "/roles", "owner", bad).await;
    assert_eq!(status, 400);
    let detail = json(&body)["detail"].as_str().unwrap().to_owned();
    assert!(detail.starts_with("rules[1].conditions: "), "{detail}");
    let bad = r#"{"name": "Bad", "rules": [{"resource": "workflows", "action": "launch"}]}"#;
    let detail = json(&call(&at, "POST", "/roles", "owner", bad).await.2)["detail"].clone();
    assert_eq!(detail, r#"rules[0].action: unknown action "launch""#);
    assert_eq!(engine.snapshot().roles(rolegate::OrgId::new(1)).len(), 7);
    // The same name again: 409.
    let (status, _, body) = call(&at, "POST", "/roles", "owner", role).await;
    assert_eq!(
        (status, json(&body)["code"].clone()),
        (409, "duplicate_role_name".into())
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
    // gated call, newest first: the run denied, the run completed, the
    // refused assignment. Reads are checked, not recorded.
    assert_eq!(call(&at, "GET", "/workflows/1", "viewer", "").await.0, 200);
    assert_eq!(call(&at, "GET", "/audit", "viewer", "").await.0, 403);
    let (status, _, body) = call(&at, "GET", "/audit", "owner", "").await;
    assert_eq!(status, 200, "{body}");
    let seen: Vec<(String, String)> = json(&body)
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
    let want = [
        ("workflows.execute", "denied"),
        ("workflows.execute", "success"),
        ("member.role_assign", "denied"),
    ];
    assert_eq!(seen, want.map(|(a, o)| (a.to_owned(), o.to_owned())));
}
