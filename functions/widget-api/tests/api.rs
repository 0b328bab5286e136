//! The public widget API over the embedded adapters: only the project's sites may call it,
//! visitors write and fill contact requests, bad input gets its code, and the blacklist and
//! the rate limits refuse.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use beseda_domain::access::Access;
use beseda_domain::accounts::{self, NewUser};
use beseda_domain::projects::{self, NewProject};
use beseda_domain::team::{self, NewMember};
use beseda_domain::{App, Settings, billing, blacklist, dialogs};
use serde_json::{Value, json};
use tower::ServiceExt;

struct World {
    router: Router,
    app: App,
    project: String,
    operator: String,
    owner: String,
}

async fn world(limits: widget_api::Limits) -> World {
    let dir = tempfile::tempdir().unwrap().keep();
    let ports =
        beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, std::sync::Arc::new(beseda_ports::SystemClock))
            .unwrap()
            .ports;
    let app = App {
        ports,
        settings: Settings { mail_from: "noreply@x.ru".into(), public_url: "http://localhost".into(), secrets: None },
    };
    let owner = accounts::create_user(&app, NewUser { email: "owner@x.ru".into(), ..Default::default() }, "password1")
        .await
        .unwrap();
    let new = NewProject {
        name: "Ромашка".into(),
        domains: vec!["romashka.ru".into(), "*.shop.ru".into()],
        ..Default::default()
    };
    let project = projects::create(&app, &owner.id, new, None).await.unwrap().id;
    billing::start_trial(&app, &project).await.unwrap();
    let op = team::add(
        &app,
        &project,
        NewMember { email: "op@x.ru".into(), accesses: vec![Access::Operator], ..Default::default() },
    )
    .await
    .unwrap();
    dialogs::set_presence(&app, &project, &op.user_id, true).await.unwrap();
    World {
        router: beseda_http::finish(widget_api::router(app.clone(), limits)),
        app,
        project,
        operator: op.user_id,
        owner: owner.id,
    }
}

fn generous() -> widget_api::Limits {
    widget_api::Limits { per_visitor: 100, per_ip: 1000, new_visitors_per_ip: 1000, new_visitors_per_project: 1000 }
}

async fn call(
    w: &World,
    method: &str,
    path: &str,
    origin: Option<&str>,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(path.replace("{pid}", &w.project))
        .header(header::CONTENT_TYPE, "application/json")
        .extension(beseda_http::PeerAddr([198, 51, 100, 7].into()));
    if let Some(o) = origin {
        req = req.header(header::ORIGIN, o);
    }
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let res = w.router.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

const SITE: Option<&str> = Some("https://romashka.ru");

async fn visitor(w: &World) -> String {
    let (s, _, b) = call(w, "POST", "/widget/v1/projects/{pid}/visitors", SITE, None, json!({})).await;
    assert_eq!(s, StatusCode::CREATED);
    b["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn only_the_projects_sites_may_call() {
    let w = world(generous()).await;
    let (s, h, b) = call(&w, "GET", "/widget/v1/projects/{pid}/config", SITE, None, Value::Null).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "https://romashka.ru");
    assert_eq!(b["chat"]["enabled"], true);
    assert_eq!(
        call(&w, "GET", "/widget/v1/projects/{pid}/config", Some("https://a.shop.ru"), None, Value::Null).await.0,
        StatusCode::OK
    );
    let (s, h, b) =
        call(&w, "GET", "/widget/v1/projects/{pid}/config", Some("https://evil.example"), None, Value::Null).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("origin_not_allowed")));
    assert!(!h.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
    let (s, _, b) = call(&w, "GET", "/widget/v1/projects/{pid}/config", None, None, Value::Null).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("origin_required")));
    let (s, _, b) = call(&w, "GET", "/widget/v1/projects/nope/config", SITE, None, Value::Null).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("unknown_project")));
    let (s, h, _) = call(&w, "OPTIONS", "/widget/v1/projects/{pid}/messages", SITE, None, Value::Null).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "the preflight is answered");
    assert!(h[header::ACCESS_CONTROL_ALLOW_HEADERS].to_str().unwrap().contains("authorization"));
}

#[tokio::test]
async fn a_visitor_writes_and_bad_input_gets_its_code() {
    let w = world(generous()).await;
    let token = visitor(&w).await;
    let send =
        |text: &str, id: &str| json!({ "text": text, "client_id": id, "page_url": "https://romashka.ru/catalog" });
    let (s, _, b) = call(&w, "POST", "/widget/v1/projects/{pid}/messages", SITE, None, send("Привет", "c1")).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
    let (s, _, b) = call(
        &w,
        "POST",
        "/widget/v1/projects/{pid}/messages",
        SITE,
        Some(&token),
        send("<script>alert(1)</script>", "c1"),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(b["message"]["text"], "<script>alert(1)</script>", "stored as text; the pages render it as text");
    let (s, _, b) =
        call(&w, "POST", "/widget/v1/projects/{pid}/messages", SITE, Some(&token), send(&"я".repeat(4001), "c2")).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("message_too_long")));
    let (s, _, b) =
        call(&w, "POST", "/widget/v1/projects/{pid}/messages", SITE, Some(&token), json!({"text": 5})).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let (s, _, b) = call(&w, "GET", "/widget/v1/projects/{pid}/dialog", SITE, Some(&token), Value::Null).await;
    assert_eq!(s, StatusCode::OK);
    let texts: Vec<&str> = b["messages"].as_array().unwrap().iter().map(|m| m["from"].as_str().unwrap()).collect();
    assert_eq!(texts, ["system", "visitor"], "the welcome the visitor answered, then the message");
    let first = b["messages"][1]["id"].as_str().unwrap().to_owned();
    call(&w, "POST", "/widget/v1/projects/{pid}/messages", SITE, Some(&token), send("Ещё", "c3")).await;
    let (_, _, b) = call(
        &w,
        "GET",
        &format!("/widget/v1/projects/{{pid}}/messages?after={first}"),
        SITE,
        Some(&token),
        Value::Null,
    )
    .await;
    assert_eq!(
        b["messages"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect::<Vec<_>>(),
        ["Ещё"]
    );
    let other = visitor(&w).await;
    let (_, _, b) = call(&w, "GET", "/widget/v1/projects/{pid}/dialog", SITE, Some(&other), Value::Null).await;
    assert_eq!(b["dialog"], Value::Null, "a visitor sees only their own dialog");
}

#[tokio::test]
async fn requests_callbacks_and_the_blacklist() {
    let w = world(generous()).await;
    let token = visitor(&w).await;
    let form = json!({ "request_id": "f1", "values": { "name": "Анна", "phone": "8 912 345-67-89" } });
    let (s, _, b) = call(&w, "POST", "/widget/v1/projects/{pid}/requests", SITE, Some(&token), form.clone()).await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, _, again) = call(&w, "POST", "/widget/v1/projects/{pid}/requests", SITE, Some(&token), form).await;
    assert_eq!(again["lead_id"], b["lead_id"], "a retried submission is one lead");
    let (s, _, b) = call(
        &w,
        "POST",
        "/widget/v1/projects/{pid}/requests",
        SITE,
        Some(&token),
        json!({ "request_id": "f2", "values": { "name": "Анна" } }),
    )
    .await;
    assert_eq!((s, b["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("phone")));
    blacklist::add(&w.app, &w.project, blacklist::Kind::Phone, "+79990001122", "").await.unwrap();
    let callback = json!({ "request_id": "cb1", "phone": "8 999 000-11-22" });
    let (s, _, b) = call(&w, "POST", "/widget/v1/projects/{pid}/callbacks", SITE, Some(&token), callback).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("blacklisted")));
    blacklist::add(&w.app, &w.project, blacklist::Kind::Ip, "198.51.100.0/24", "").await.unwrap();
    let send = json!({ "text": "Привет", "client_id": "c1" });
    let (s, _, b) = call(&w, "POST", "/widget/v1/projects/{pid}/messages", SITE, Some(&token), send).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("blacklisted")));
}

#[tokio::test]
async fn a_visitor_over_the_rate_limit_gets_429() {
    let w = world(widget_api::Limits { per_visitor: 3, ..generous() }).await;
    let token = visitor(&w).await;
    let mut statuses = Vec::new();
    for i in 0..5 {
        let body = json!({ "text": format!("сообщение {i}"), "client_id": format!("c{i}") });
        statuses.push(call(&w, "POST", "/widget/v1/projects/{pid}/messages", SITE, Some(&token), body).await.0);
    }
    assert_eq!(statuses[..3], [StatusCode::CREATED; 3]);
    assert_eq!(statuses[3..], [StatusCode::TOO_MANY_REQUESTS; 2]);
}

#[tokio::test]
async fn the_site_shows_an_operators_photo_and_nobody_elses() {
    let w = world(generous()).await;
    let png = bytes::Bytes::from_static(include_bytes!("../../../shared/domain/tests/fixtures/avatar-polyglot.png"));
    accounts::set_avatar(&w.app, &w.operator, png.clone()).await.unwrap();
    accounts::set_avatar(&w.app, &w.owner, png).await.unwrap();
    let path = |uid: &str| format!("/widget/v1/projects/{{pid}}/operators/{uid}/avatar");
    let req = |uid: &str, origin: &str| {
        Request::builder()
            .uri(path(uid).replace("{pid}", &w.project))
            .header(header::REFERER, origin)
            .extension(beseda_http::PeerAddr([198, 51, 100, 7].into()))
            .body(Body::empty())
            .unwrap()
    };
    let res = w.router.clone().oneshot(req(&w.operator, "https://romashka.ru/page")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "image/jpeg", "stored re-encoded");
    let (s, _, b) = call(&w, "GET", &path(&w.owner), SITE, None, Value::Null).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "not an operator");
    let (s, _, _) = call(&w, "GET", &path("nobody"), SITE, None, Value::Null).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let res = w.router.clone().oneshot(req(&w.operator, "https://evil.example/")).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "only the project's sites");
}

/// New visitors are limited per IP address and per project per minute, with the 429 envelope
/// and `Retry-After`; the limits are the configuration's.
#[tokio::test]
async fn new_visitors_are_limited_per_ip_and_per_project() {
    let limits = widget_api::Limits { new_visitors_per_ip: 3, new_visitors_per_project: 5, ..generous() };
    let w = world(limits).await;
    let new_visitor = |ip: [u8; 4]| {
        let req = Request::post(format!("/widget/v1/projects/{}/visitors", w.project))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ORIGIN, SITE.unwrap())
            .extension(beseda_http::PeerAddr(ip.into()))
            .body(Body::from("{}"))
            .unwrap();
        let router = w.router.clone();
        async move {
            let res = router.oneshot(req).await.unwrap();
            let (status, retry) = (res.status(), res.headers().get(header::RETRY_AFTER).cloned());
            let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
            (status, retry, serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null))
        }
    };
    for _ in 0..3 {
        assert_eq!(new_visitor([203, 0, 113, 1]).await.0, StatusCode::CREATED);
    }
    let (s, retry, b) = new_visitor([203, 0, 113, 1]).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts")));
    let retry: u64 = retry.expect("Retry-After").to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(new_visitor([203, 0, 113, 2]).await.0, StatusCode::CREATED, "another address has its own count");
    assert_eq!(new_visitor([203, 0, 113, 3]).await.0, StatusCode::CREATED);
    let (s, retry, _) = new_visitor([203, 0, 113, 4]).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "the project's five of this minute are taken");
    assert!(retry.is_some());
}

/// A method a path has no route for is a 405 envelope whoever asks, from a site or not.
#[tokio::test]
async fn a_wrong_method_is_a_405_envelope() {
    let w = world(generous()).await;
    for (method, path) in [
        ("GET", "/widget/v1/projects/{pid}/visitors"),
        ("POST", "/widget/v1/projects/{pid}/config"),
        ("GET", "/widget/v1/projects/{pid}/requests"),
        ("DELETE", "/widget/v1/projects/{pid}/dialog"),
        ("PUT", "/widget/v1/projects/{pid}/messages"),
        ("PATCH", "/widget/v1/projects/nope/config"),
    ] {
        for origin in [None, SITE, Some("https://evil.example")] {
            let (s, _, b) = call(&w, method, path, origin, None, json!({})).await;
            assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {path} from {origin:?}: {b}");
            assert_eq!(b["error"]["code"], "method_not_allowed");
        }
    }
    let (s, _, b) = call(&w, "GET", "/widget/v1/projects/{pid}/config", None, None, Value::Null).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("origin_required")),
        "routes stay guarded"
    );
}

#[tokio::test]
async fn a_visitor_rates_an_answered_dialog_of_their_own() {
    let w = world(generous()).await;
    let token = visitor(&w).await;
    let send = json!({ "text": "Есть доставка?", "client_id": "c1" });
    let (_, _, b) = call(&w, "POST", "/widget/v1/projects/{pid}/messages", SITE, Some(&token), send).await;
    let dialog_id = b["dialog"]["id"].as_str().unwrap().to_owned();
    let rate = |score: Value, comment: &str| json!({ "dialog_id": dialog_id, "score": score, "comment": comment });
    let path = "/widget/v1/projects/{pid}/rating";
    let (s, _, b) = call(&w, "POST", path, SITE, Some(&token), rate(json!(5), "")).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("not_answered")));
    let profile = accounts::get_profile(&w.app, &w.operator).await.unwrap();
    dialogs::reply(&w.app, &w.project, &dialog_id, &profile, "Да", "r1").await.unwrap();
    dialogs::set_status(&w.app, &w.project, &dialog_id, dialogs::Status::Closed).await.unwrap();
    let (_, _, b) = call(&w, "GET", "/widget/v1/projects/{pid}/dialog", SITE, Some(&token), Value::Null).await;
    assert_eq!((b["dialog"]["status"].as_str(), b["dialog"]["rating"].clone()), (Some("closed"), Value::Null));
    assert_eq!(b["dialog"]["operator_replied"], true, "the widget's state says a rating is awaited");
    let (s, _, b) = call(&w, "POST", path, SITE, None, rate(json!(5), "")).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
    for (score, code) in [(json!(0), "bad_score"), (json!(6), "bad_score")] {
        let (s, _, b) = call(&w, "POST", path, SITE, Some(&token), rate(score, "")).await;
        assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(code)));
    }
    let (s, _, b) = call(&w, "POST", path, SITE, Some(&token), rate(json!("пять"), "")).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let (s, _, b) = call(&w, "POST", path, SITE, Some(&token), rate(json!(4), &"я".repeat(1001))).await;
    assert_eq!((s, b["error"]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("comment")));
    let stranger = visitor(&w).await;
    let (s, _, _) = call(&w, "POST", path, SITE, Some(&stranger), rate(json!(1), "")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another visitor cannot rate it");
    let (s, _, b) = call(&w, "POST", path, SITE, Some(&token), rate(json!(4), "  Быстро ответили  ")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((b["rating"]["score"].as_u64(), b["rating"]["comment"].as_str()), (Some(4), Some("Быстро ответили")));
    let (_, _, b) = call(&w, "GET", "/widget/v1/projects/{pid}/dialog", SITE, Some(&token), Value::Null).await;
    assert_eq!(b["dialog"]["rating"], 4);
}
