//! Every route × every access: the permission matrix of PRODUCT.md §3 as the routes enforce
//! it. Each documented route is listed here with what it needs; a member holding one access
//! is refused (403) exactly where the matrix says no, a member of another project learns
//! nothing (404), and a caller without a session gets 401 wherever a session is needed.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use beseda_domain::access::{Access, Action, allows};
use beseda_domain::accounts::{self, NewUser};
use beseda_domain::invitations;
use beseda_domain::projects::{self, NewProject};
use beseda_domain::team::{self, NewMember};
use beseda_domain::{App, Settings};
use serde_json::Value;
use std::collections::BTreeSet;
use tower::ServiceExt;

#[derive(Clone, Copy, Debug)]
enum Need {
    Public,
    Session,
    Project(Action),
    /// The public widget API: the project's sites and a visitor token, tested in widget-api.
    Widget,
}

use Action::*;
use Need::*;

const MATRIX: &[(&str, &str, Need)] = &[
    ("get", "/healthz", Public),
    ("post", "/api/v1/auth/login", Public),
    ("post", "/api/v1/auth/logout", Session),
    ("post", "/api/v1/auth/password-reset", Public),
    ("post", "/api/v1/auth/password-reset/confirm", Public),
    ("get", "/api/v1/me", Session),
    ("patch", "/api/v1/me", Session),
    ("post", "/api/v1/me/password", Session),
    ("put", "/api/v1/me/avatar", Session),
    ("get", "/api/v1/me/avatar", Session),
    ("delete", "/api/v1/me/avatar", Session),
    ("get", "/api/v1/timezones", Public),
    ("get", "/api/v1/spheres", Public),
    ("get", "/api/v1/tariffs", Public),
    ("get", "/api/v1/projects", Session),
    ("post", "/api/v1/projects", Session),
    ("get", "/api/v1/projects/{pid}", Project(ViewProject)),
    ("patch", "/api/v1/projects/{pid}", Project(EditSettings)),
    ("get", "/api/v1/projects/{pid}/members", Project(ViewProject)),
    ("post", "/api/v1/projects/{pid}/members", Project(EditSettings)),
    ("patch", "/api/v1/projects/{pid}/members/{uid}", Project(EditSettings)),
    ("delete", "/api/v1/projects/{pid}/members/{uid}", Project(EditSettings)),
    ("post", "/api/v1/projects/{pid}/admin-transfer", Project(TransferAdmin)),
    ("get", "/api/v1/invitations", Session),
    ("post", "/api/v1/invitations/{pid}/accept", Session),
    ("post", "/api/v1/invitations/{pid}/decline", Session),
    ("get", "/api/v1/projects/{pid}/notification-emails", Project(EditSettings)),
    ("put", "/api/v1/projects/{pid}/notification-emails", Project(EditSettings)),
    ("get", "/api/v1/projects/{pid}/notification-settings", Project(EditSettings)),
    ("put", "/api/v1/projects/{pid}/notification-settings", Project(EditSettings)),
    ("get", "/api/v1/projects/{pid}/teambot", Project(ManageIntegrations)),
    ("put", "/api/v1/projects/{pid}/teambot", Project(ManageIntegrations)),
    ("delete", "/api/v1/projects/{pid}/teambot", Project(ManageIntegrations)),
    ("get", "/api/v1/projects/{pid}/me/telegram", Project(ViewProject)),
    ("patch", "/api/v1/projects/{pid}/me/telegram", Project(ViewProject)),
    ("delete", "/api/v1/projects/{pid}/me/telegram", Project(ViewProject)),
    ("post", "/api/v1/projects/{pid}/me/telegram/link", Project(ViewProject)),
    ("get", "/api/v1/projects/{pid}/blacklist", Project(EditSettings)),
    ("post", "/api/v1/projects/{pid}/blacklist", Project(EditSettings)),
    ("delete", "/api/v1/projects/{pid}/blacklist/{id}", Project(EditSettings)),
    ("get", "/api/v1/projects/{pid}/billing", Project(ViewBilling)),
    ("post", "/api/v1/projects/{pid}/billing/top-up", Project(ManageBilling)),
    ("post", "/api/v1/projects/{pid}/billing/trial", Project(ManageBilling)),
    ("post", "/api/v1/projects/{pid}/billing/connect", Project(ManageBilling)),
    ("post", "/api/v1/projects/{pid}/billing/renew", Project(ManageBilling)),
    ("post", "/api/v1/projects/{pid}/billing/disconnect", Project(ManageBilling)),
    ("get", "/api/v1/projects/{pid}/journal", Project(ViewJournal)),
    ("get", "/api/v1/projects/{pid}/journal/export", Project(ViewJournal)),
    ("get", "/api/v1/projects/{pid}/dashboard", Project(ViewDialogs)),
    ("get", "/api/v1/projects/{pid}/analytics", Project(ViewJournal)),
    ("get", "/api/v1/projects/{pid}/ratings", Project(ViewJournal)),
    ("get", "/api/v1/projects/{pid}/ratings/comments", Project(ViewJournal)),
    ("get", "/api/v1/projects/{pid}/widget-settings", Project(EditSettings)),
    ("put", "/api/v1/projects/{pid}/widget-settings", Project(EditSettings)),
    ("get", "/api/v1/projects/{pid}/integrations", Project(ManageIntegrations)),
    ("put", "/api/v1/projects/{pid}/integrations/{kind}", Project(ManageIntegrations)),
    ("delete", "/api/v1/projects/{pid}/integrations/{kind}", Project(ManageIntegrations)),
    ("post", "/api/v1/projects/{pid}/integrations/{kind}/check", Project(ManageIntegrations)),
    ("post", "/api/v1/projects/{pid}/realtime-ticket", Project(ViewDialogs)),
    ("get", "/api/v1/projects/{pid}/dialogs", Project(ViewDialogs)),
    ("get", "/api/v1/projects/{pid}/dialogs/{did}", Project(ViewDialogs)),
    ("get", "/api/v1/projects/{pid}/dialogs/{did}/messages", Project(ViewDialogs)),
    ("post", "/api/v1/projects/{pid}/dialogs/{did}/messages", Project(AnswerDialogs)),
    ("post", "/api/v1/projects/{pid}/dialogs/{did}/messages/{mid}/send-again", Project(AnswerDialogs)),
    ("post", "/api/v1/projects/{pid}/dialogs/{did}/typing", Project(AnswerDialogs)),
    ("post", "/api/v1/projects/{pid}/dialogs/{did}/close", Project(AnswerDialogs)),
    ("post", "/api/v1/projects/{pid}/dialogs/{did}/reopen", Project(AnswerDialogs)),
    ("get", "/api/v1/projects/{pid}/presence", Project(AnswerDialogs)),
    ("put", "/api/v1/projects/{pid}/presence", Project(AnswerDialogs)),
    ("get", "/api/v1/projects/{pid}/operators", Project(ViewDialogs)),
    ("put", "/api/v1/projects/{pid}/operators/schedule", Project(EditSettings)),
    ("get", "/widget/v1/projects/{pid}/config", Widget),
    ("post", "/widget/v1/projects/{pid}/visitors", Widget),
    ("get", "/widget/v1/projects/{pid}/dialog", Widget),
    ("post", "/widget/v1/projects/{pid}/messages", Widget),
    ("get", "/widget/v1/projects/{pid}/messages", Widget),
    ("post", "/widget/v1/projects/{pid}/contact", Widget),
    ("post", "/widget/v1/projects/{pid}/typing", Widget),
    ("post", "/widget/v1/projects/{pid}/read", Widget),
    ("post", "/widget/v1/projects/{pid}/rating", Widget),
    ("post", "/widget/v1/projects/{pid}/requests", Widget),
    ("post", "/widget/v1/projects/{pid}/callbacks", Widget),
    ("get", "/widget/v1/projects/{pid}/operators/{uid}/avatar", Widget),
];

/// Bodies for routes whose access check needs more than `{}` to be reached.
fn body(method: &str, path: &str) -> &'static str {
    match (method, path) {
        ("put", "/api/v1/projects/{pid}/operators/schedule") => r#"{"user_ids":["nobody"],"schedule":null}"#,
        _ => "{}",
    }
}

struct World {
    router: Router,
    project: String,
    /// (access held, session token)
    members: Vec<(Access, String)>,
    outsider: String,
}

async fn user(app: &App, email: &str) -> (String, String) {
    let u =
        accounts::create_user(app, NewUser { email: email.into(), ..Default::default() }, "password1").await.unwrap();
    (u.id, accounts::login(app, email, "password1", "ip").await.unwrap().token)
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap().keep();
    let ports =
        beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, std::sync::Arc::new(beseda_ports::SystemClock))
            .unwrap()
            .ports;
    let app = App {
        ports,
        settings: Settings { mail_from: "noreply@x.ru".into(), public_url: "http://localhost".into(), secrets: None },
    };
    let (admin_id, admin) = user(&app, "admin@x.ru").await;
    let project = projects::create(&app, &admin_id, NewProject { name: "Ромашка".into(), ..Default::default() }, None)
        .await
        .unwrap()
        .id;
    let mut members = vec![(Access::Admin, admin)];
    for access in [Access::Settings, Access::Analytics, Access::Operator] {
        let email = format!("{access:?}@x.ru").to_lowercase();
        let (id, token) = user(&app, &email).await;
        team::add(&app, &project, NewMember { email, accesses: vec![access], ..Default::default() }).await.unwrap();
        invitations::accept(&app, &id, &project).await.unwrap();
        members.push((access, token));
    }
    let (outsider_id, outsider) = user(&app, "other@x.ru").await;
    projects::create(&app, &outsider_id, NewProject { name: "Чужой".into(), ..Default::default() }, None)
        .await
        .unwrap();
    let router = beseda_http::finish(
        cabinet_api::router(app.clone())
            .merge(journal_api::router(app.clone()))
            .merge(operator_api::router(app.clone()))
            .merge(widget_api::router(app, widget_api::Limits::from_env())),
    );
    World { router, project, members, outsider }
}

async fn call(w: &World, method: &str, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let uri = path
        .replace("{pid}", &w.project)
        .replace("{uid}", "nobody")
        .replace("{id}", "nothing")
        .replace("{did}", "nothing")
        .replace("{mid}", "nothing")
        .replace("{kind}", "telegram");
    let mut req = Request::builder()
        .method(method.to_uppercase().as_str())
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let res = w.router.clone().oneshot(req.body(Body::from(body(method, path))).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_matrix_lists_every_documented_route() {
    let doc = cabinet_api::openapi();
    let documented: BTreeSet<(String, String)> = doc
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            let v = serde_json::to_value(item).unwrap();
            v.as_object()
                .unwrap()
                .keys()
                .filter(|k| k.as_str() != "parameters")
                .map(|m| (m.clone(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let listed: BTreeSet<(String, String)> = MATRIX.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, listed, "a route was added or removed: list it in MATRIX with what it needs");
}

#[tokio::test]
async fn every_route_against_every_access() {
    let w = world().await;
    for (method, path, need) in MATRIX {
        if matches!(need, Widget) {
            continue;
        }
        let anonymous = call(&w, method, path, None).await;
        match need {
            Public => assert_ne!(anonymous.0, StatusCode::UNAUTHORIZED, "{method} {path} is public"),
            Widget => unreachable!("skipped above"),
            Session | Project(_) => {
                assert_eq!(anonymous.0, StatusCode::UNAUTHORIZED, "{method} {path} needs a session");
                assert_eq!(anonymous.1["error"]["code"], "unauthenticated");
            }
        }
        let Project(action) = need else { continue };
        let (status, body) = call(&w, method, path, Some(&w.outsider)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: another project's member must learn nothing");
        assert_eq!(body["error"]["code"], "not_found");
        for (access, token) in &w.members {
            let (status, body) = call(&w, method, path, Some(token)).await;
            if allows(&[*access], *action) {
                assert_ne!(status, StatusCode::FORBIDDEN, "{access:?} may {method} {path}: {body}");
                assert_ne!(status, StatusCode::UNAUTHORIZED, "{access:?} {method} {path}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{access:?} must not {method} {path}: {body}");
                assert_eq!(body["error"]["code"], "forbidden");
            }
        }
    }
}

#[tokio::test]
async fn anyone_may_switch_their_own_notifications_but_not_others() {
    let w = world().await;
    let (_, analyst) = &w.members[2];
    let (_, me) = call(&w, "get", "/api/v1/me", Some(analyst)).await;
    let own = format!("/api/v1/projects/{}/members/{}", w.project, me["user"]["id"].as_str().unwrap());
    let body = r#"{"notifications":{"services":false,"requests":true,"statistics":true,"news":false}}"#;
    let req = |path: &str, body: &str| {
        Request::patch(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {analyst}"))
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let res = w.router.clone().oneshot(req(&own, body)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = w.router.clone().oneshot(req(&own, r#"{"accesses":["settings"]}"#)).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "nobody grants themselves an access");
}
