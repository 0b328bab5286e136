//! The cabinet API over the embedded adapters, through the same layers a Lambda serves:
//! the envelope for bad input, log-in and sessions, and the OpenAPI document in step with the
//! routes.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use beseda_domain::accounts::{self, NewUser};
use beseda_domain::{App, Settings};
use serde_json::{Value, json};
use tower::ServiceExt;

async fn app() -> (Router, App) {
    let dir = tempfile::tempdir().unwrap().keep();
    let ports =
        beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, std::sync::Arc::new(beseda_ports::SystemClock))
            .unwrap()
            .ports;
    let app = App {
        ports,
        settings: Settings { mail_from: "noreply@x.ru".into(), public_url: "http://localhost".into(), secrets: None },
    };
    accounts::create_user(&app, NewUser { email: "anna@example.ru".into(), ..Default::default() }, "s3cret-pass")
        .await
        .unwrap();
    let router = cabinet_api::router(app.clone())
        .merge(journal_api::router(app.clone()))
        .merge(operator_api::router(app.clone()))
        .merge(widget_api::router(app.clone(), widget_api::Limits::from_env()));
    (beseda_http::finish(router), app)
}

async fn call(router: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let res = router.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn post(path: &str, body: &str) -> Request<Body> {
    Request::post(path).header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_owned())).unwrap()
}

#[tokio::test]
async fn health_and_unknown_routes() {
    let (r, _) = app().await;
    let (s, h, b) = call(&r, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["status"], "ok");
    assert!(h.contains_key("x-request-id"), "every answer names its request");
    let (s, _, b) = call(&r, Request::get("/api/v1/nope").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(b["error"]["code"], "route_not_found");
    let (s, _, b) = call(&r, Request::delete("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(b["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn bad_bodies_get_a_code_never_a_500() {
    let (r, _) = app().await;
    let (s, _, b) = call(&r, post("/api/v1/auth/login", "{not json")).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("malformed_json")));
    let (s, _, b) = call(&r, post("/api/v1/auth/login", r#"{"email": 5}"#)).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let plain =
        Request::post("/api/v1/auth/login").header(header::CONTENT_TYPE, "text/plain").body(Body::from("{}")).unwrap();
    let (s, _, b) = call(&r, plain).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("wrong_content_type")));
    let huge = format!(r#"{{"email":"a@b.ru","password":"{}"}}"#, "x".repeat(300 * 1024));
    let (s, _, b) = call(&r, post("/api/v1/auth/login", &huge)).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")));
}

#[tokio::test]
async fn log_in_use_the_cookie_log_out() {
    let (r, _) = app().await;
    let (s, _, b) =
        call(&r, post("/api/v1/auth/login", r#"{"email":"anna@example.ru","password":"wrong-pass"}"#)).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("wrong_credentials")));
    assert_eq!(b["error"]["message"], "Неверный e-mail или пароль");

    let (s, h, b) =
        call(&r, post("/api/v1/auth/login", r#"{"email":"Anna@Example.ru","password":"s3cret-pass"}"#)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["user"]["email"], "anna@example.ru");
    assert!(b["user"].get("password_hash").is_none());
    let cookie = h[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let session = cookie.split(';').next().unwrap().to_owned();

    let me = |cookie: &str| Request::get("/api/v1/me").header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    let (s, _, b) = call(&r, me(&session)).await;
    assert_eq!((s, b["user"]["email"].as_str()), (StatusCode::OK, Some("anna@example.ru")));
    let bearer = Request::get("/api/v1/me")
        .header(header::AUTHORIZATION, format!("Bearer {}", b.get("token").and_then(Value::as_str).unwrap_or("")))
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&r, bearer).await.0, StatusCode::UNAUTHORIZED, "an empty bearer is no session");

    let foreign = Request::post("/api/v1/auth/logout")
        .header(header::COOKIE, &session)
        .header(header::HOST, "cabinet.example")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .unwrap();
    let (s, _, b) = call(&r, foreign).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("cross_origin")));
    assert_eq!(call(&r, me(&session)).await.0, StatusCode::OK, "the refused request changed nothing");

    let out = Request::post("/api/v1/auth/logout")
        .header(header::COOKIE, &session)
        .header(header::HOST, "cabinet.example")
        .header(header::ORIGIN, "https://cabinet.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&r, out).await.0, StatusCode::NO_CONTENT);
    let (s, _, b) = call(&r, me(&session)).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
}

#[tokio::test]
async fn bearer_tokens_work_for_api_clients() {
    let (r, _) = app().await;
    let (_, _, b) =
        call(&r, post("/api/v1/auth/login", r#"{"email":"anna@example.ru","password":"s3cret-pass"}"#)).await;
    let token = b["token"].as_str().unwrap();
    let req = Request::get("/api/v1/me")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&r, req).await.0, StatusCode::OK);
}

#[tokio::test]
async fn every_documented_route_exists() {
    let (r, _) = app().await;
    let (s, _, doc) = call(&r, Request::get("/api/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 4);
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            let concrete = path.replace(['{', '}'], "");
            let req =
                Request::builder().method(method.to_uppercase().as_str()).uri(&concrete).body(Body::empty()).unwrap();
            let (s, _, b) = call(&r, req).await;
            assert_ne!(b["error"]["code"], json!("route_not_found"), "{method} {path} is documented but not routed");
            assert_ne!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        }
    }
}

#[tokio::test]
async fn avatars_have_their_own_larger_limit_and_are_re_encoded() {
    let (r, _) = app().await;
    let (_, _, b) =
        call(&r, post("/api/v1/auth/login", r#"{"email":"anna@example.ru","password":"s3cret-pass"}"#)).await;
    let token = b["token"].as_str().unwrap().to_owned();
    let upload = |bytes: Vec<u8>| {
        Request::put("/api/v1/me/avatar")
            .header(header::CONTENT_TYPE, "image/png")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(bytes))
            .unwrap()
    };
    // A PNG with an HTML page inside and after it, padded past the JSON routes' limit.
    let mut png = include_bytes!("../../../shared/domain/tests/fixtures/avatar-polyglot.png").to_vec();
    png.resize(1024 * 1024, 0);
    let (s, _, b) = call(&r, upload(png.clone())).await;
    assert_eq!((s, b["user"]["has_avatar"].as_bool()), (StatusCode::OK, Some(true)));
    let get = Request::get("/api/v1/me/avatar")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = r.clone().oneshot(get).await.unwrap();
    assert_eq!(res.headers()[header::CONTENT_TYPE], "image/jpeg", "served re-encoded");
    let served = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    assert!(served.len() < 200_000 && !served.windows(7).any(|w| w == b"<script"), "only pixels survive");
    png.resize(2 * 1024 * 1024 + 1, 0);
    let (s, _, b) = call(&r, upload(png)).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")));
    let (s, _, b) = call(&r, upload(b"<html><script>alert(1)</script></html>".to_vec())).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("avatar_type")));
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("avatar_type")));
}

#[test]
fn the_document_defines_every_schema_it_references_and_keeps_statuses_apart() {
    let doc = serde_json::to_value(cabinet_api::openapi()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let text = doc.to_string();
    for reference in text.split(r##""$ref":"#/components/schemas/"##).skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "#/components/schemas/{name} is referenced but not defined");
    }
    assert!(schemas.contains_key("Folder"));
    assert_eq!(schemas["TariffStatus"]["enum"], json!(["none", "trial", "active", "expired"]));
    assert!(!schemas["Status"].to_string().contains("trial"), "the dialog status is not the tariff's");
    let mut ids = std::collections::BTreeSet::new();
    for ops in doc["paths"].as_object().unwrap().values() {
        for op in ops.as_object().unwrap().values() {
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            assert!(ids.insert(id.clone()), "operationId {id} is not unique");
        }
    }
}

/// Adding an e-mail that has an account invites it: the answer is the same as for a new e-mail
/// and tells nothing about the account; only the invited account can accept, once, within seven
/// days.
#[tokio::test]
async fn an_existing_account_is_invited_and_nobody_else_can_accept() {
    let clock = std::sync::Arc::new(beseda_ports::FixedClock::new(chrono::Utc::now()));
    let dir = tempfile::tempdir().unwrap().keep();
    let ports = beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, clock.clone()).unwrap().ports;
    let app = App {
        ports,
        settings: Settings { mail_from: "noreply@x.ru".into(), public_url: "http://localhost".into(), secrets: None },
    };
    let r = beseda_http::finish(cabinet_api::router(app.clone()));
    for (email, first) in [("admin@x.ru", "Админ"), ("bob@x.ru", "Борис"), ("eve@x.ru", "Ева")] {
        let new = NewUser {
            email: email.into(),
            first_name: first.into(),
            phone: Some("+79123456789".into()),
            ..Default::default()
        };
        accounts::create_user(&app, new, "s3cret-pass").await.unwrap();
    }
    let login = |email: &str| {
        let (r, body) = (r.clone(), format!(r#"{{"email":"{email}","password":"s3cret-pass"}}"#));
        async move { call(&r, post("/api/v1/auth/login", &body)).await.2["token"].as_str().unwrap().to_owned() }
    };
    let send = |method: &str, path: &str, token: &str, body: Value| {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let (admin, bob, eve) = (login("admin@x.ru").await, login("bob@x.ru").await, login("eve@x.ru").await);
    let (_, _, created) = call(&r, send("POST", "/api/v1/projects", &admin, json!({"name": "Ромашка"}))).await;
    let pid = created["project"]["id"].as_str().unwrap().to_owned();
    let members = format!("/api/v1/projects/{pid}/members");

    let add = |email: &str| send("POST", &members, &admin, json!({"email": email, "accesses": ["operator"]}));
    let (s_new, _, new) = call(&r, add("new@x.ru")).await;
    let (s_old, _, old) = call(&r, add("Bob@X.ru")).await;
    assert_eq!((s_new, s_old), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(new, json!({"added": {"email": "new@x.ru", "accesses": ["operator"]}}));
    assert_eq!(old, json!({"added": {"email": "bob@x.ru", "accesses": ["operator"]}}), "nothing about Bob's account");
    let (_, _, team) = call(&r, send("GET", &members, &admin, Value::Null)).await;
    assert!(team["members"].as_array().unwrap().iter().all(|m| m["email"] != "bob@x.ru"), "not attached: {team}");

    let accept = format!("/api/v1/invitations/{pid}/accept");
    let (s, _, b) = call(&r, send("POST", &accept, &eve, Value::Null)).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "not Eve's invitation");
    let (_, _, eves) = call(&r, send("GET", "/api/v1/invitations", &eve, Value::Null)).await;
    assert_eq!(eves["invitations"], json!([]));
    let (_, _, project) = call(&r, send("GET", &format!("/api/v1/projects/{pid}"), &eve, Value::Null)).await;
    assert_eq!(project["error"]["code"], "not_found", "Eve did not join");

    let (_, _, bobs) = call(&r, send("GET", "/api/v1/invitations", &bob, Value::Null)).await;
    assert_eq!(bobs["invitations"][0]["project_name"], "Ромашка");
    let (s, _, b) = call(&r, send("POST", &accept, &bob, Value::Null)).await;
    assert_eq!((s, b["membership"]["accesses"].clone()), (StatusCode::OK, json!(["operator"])));
    let (s, _, _) = call(&r, send("POST", &accept, &bob, Value::Null)).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "accepted once");
    let (s, _, _) = call(&r, send("GET", &format!("/api/v1/projects/{pid}"), &bob, Value::Null)).await;
    assert_eq!(s, StatusCode::OK, "Bob is a member now");

    let (s, _, _) = call(&r, add("eve@x.ru")).await;
    assert_eq!(s, StatusCode::CREATED);
    clock.advance(chrono::Duration::days(7));
    let eve = login("eve@x.ru").await;
    let (s, _, _) = call(&r, send("POST", &accept, &eve, Value::Null)).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "expired");
    let (s, _, _) = call(&r, send("POST", &format!("/api/v1/invitations/{pid}/decline"), &eve, Value::Null)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, _, team) = call(&r, send("GET", &members, &admin, Value::Null)).await;
    assert!(team["members"].as_array().unwrap().iter().all(|m| m["email"] != "eve@x.ru"));
}
