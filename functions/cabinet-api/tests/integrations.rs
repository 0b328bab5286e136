//! The «Синхронизации» routes over the embedded adapters with a test double of the channels:
//! saving a Telegram bot registers its webhook and answers the secret masked, a bad username
//! is a 422 naming the field, removing it forgets it, and without the channels the routes
//! answer an envelope, not a 500.

use async_trait::async_trait;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use beseda_channels::{
    Channel, Connected, Credentials, Field, Kind, Outbound, Parsed, SendError, Sent, WebhookError, WebhookRequest,
};
use beseda_domain::accounts::{self, NewUser};
use beseda_domain::integrations::ChannelSet;
use beseda_domain::keyring::{Access, Keyring};
use beseda_domain::projects::{self, NewProject};
use beseda_domain::{App, Settings};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

/// Accepts any credentials and records the webhook URLs it was given.
#[derive(Default)]
struct Recorder {
    webhooks: Mutex<Vec<String>>,
}

const FIELDS: &[Field] =
    &[Field { name: "token", secret: true, required: true }, Field { name: "username", secret: false, required: true }];

#[async_trait]
impl Channel for Recorder {
    fn kind(&self) -> Kind {
        Kind::Telegram
    }
    fn fields(&self) -> &'static [Field] {
        FIELDS
    }
    fn verify(&self, _: &Credentials, _: &WebhookRequest<'_>) -> Result<(), WebhookError> {
        Err(WebhookError::Unauthorized)
    }
    fn parse(&self, _: &Credentials, _: &WebhookRequest<'_>) -> Result<Parsed, WebhookError> {
        Err(WebhookError::Unauthorized)
    }
    async fn connect(&self, _: &Credentials, webhook_url: &str) -> Result<Connected, SendError> {
        self.webhooks.lock().unwrap().push(webhook_url.to_owned());
        Ok(Connected { display_name: Some("Shop".into()), webhook_registered: true })
    }
    async fn disconnect(&self, _: &Credentials) -> Result<(), SendError> {
        Ok(())
    }
    async fn send(&self, _: &Credentials, _: &Outbound) -> Result<Sent, SendError> {
        Err(SendError::Permanent { reason: "not_in_this_test".into() })
    }
}

struct Set(Recorder);

impl ChannelSet for Set {
    fn get(&self, _: Kind) -> &dyn Channel {
        &self.0
    }
}

async fn world(with_channels: bool) -> (Router, String, String, Arc<Set>) {
    let dir = tempfile::tempdir().unwrap().keep();
    let ports =
        beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, Arc::new(beseda_ports::SystemClock)).unwrap().ports;
    let settings = Settings {
        mail_from: "noreply@x.ru".into(),
        public_url: "https://chat.example.ru".into(),
        secrets: Some(Keyring::new(Access::Create)),
    };
    let app = App { ports, settings };
    let user = accounts::create_user(&app, NewUser { email: "admin@x.ru".into(), ..Default::default() }, "password1")
        .await
        .unwrap();
    let token = accounts::login(&app, "admin@x.ru", "password1", "ip").await.unwrap().token;
    let project = projects::create(&app, &user.id, NewProject { name: "Ромашка".into(), ..Default::default() }, None)
        .await
        .unwrap()
        .id;
    let set = Arc::new(Set(Recorder::default()));
    let mut router = cabinet_api::router(app);
    if with_channels {
        router = cabinet_api::with_channels(router, set.clone());
    }
    (beseda_http::finish(router), project, token, set)
}

async fn call(r: &Router, method: &str, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = r.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_telegram_bot_is_saved_with_its_secret_masked_and_removed() {
    let (r, pid, token, set) = world(true).await;
    let path = format!("/api/v1/projects/{pid}/integrations/telegram");
    let body = json!({ "enabled": true, "show_operator_name": true,
        "settings": { "token": "123456789:AAE-secret-xY", "username": "romashka_bot" } });
    let (status, v) = call(&r, "PUT", &path, &token, body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["settings"]["token"], "12…xY");
    assert!(!v.to_string().contains("AAE-secret"), "never returned in full");
    let url = v["webhook_url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("https://chat.example.ru/webhooks/telegram/"), "{url}");
    assert_eq!(set.0.webhooks.lock().unwrap().as_slice(), [url]);
    assert_eq!((v["enabled"].as_bool(), v["status"]["webhook_registered"].as_bool()), (Some(true), Some(true)));

    let (status, list) = call(&r, "GET", &format!("/api/v1/projects/{pid}/integrations"), &token, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    let kinds: Vec<&str> =
        list["integrations"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["telegram", "vk", "viber"]);
    assert!(!list.to_string().contains("AAE-secret"));

    let (status, _) = call(&r, "POST", &format!("{path}/check"), &token, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(set.0.webhooks.lock().unwrap().len(), 2, "check registers the webhook again");

    let bad = json!({ "enabled": true, "settings": { "username": "romashka" } });
    let (status, e) = call(&r, "PUT", &path, &token, bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (e["error"]["code"].as_str(), e["error"]["field"].as_str()),
        (Some("invalid_bot_username"), Some("username"))
    );
    let (status, e) =
        call(&r, "PUT", &format!("/api/v1/projects/{pid}/integrations/icq"), &token, json!({"enabled": false})).await;
    assert_eq!((status, e["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));

    let (status, _) = call(&r, "DELETE", &path, &token, Value::Null).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&r, "DELETE", &path, &token, Value::Null).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_the_channels_the_routes_answer_an_envelope() {
    let (r, pid, token, _) = world(false).await;
    let body = json!({ "enabled": true, "settings": { "token": "1:x", "username": "a_bot" } });
    let (status, e) = call(&r, "PUT", &format!("/api/v1/projects/{pid}/integrations/telegram"), &token, body).await;
    assert_eq!((status, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("channels_unavailable")));
    let (status, _) = call(&r, "GET", &format!("/api/v1/projects/{pid}/integrations"), &token, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "listing needs no channels");
}
