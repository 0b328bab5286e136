//! The webhook path of every channel against an in-memory inbox: the samples in `events/` are
//! stored and answered as each platform expects; an unknown integration, a bad signature, a
//! malformed body and a store that is down get their status and nothing is stored.

use async_trait::async_trait;
use axum::body::Body;
use beseda_channels::{Bases, Channels, Credentials, Event, Kind};
use beseda_webhooks::{Inbox, Unavailable};
use http::{Request, StatusCode};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

const TELEGRAM_ID: &str = "01936f4e-8a2b-7c3d-9e4f-5a6b7c8d9e0f";
const VIBER_ID: &str = "01936f4e-9b3c-7d4e-8f5a-6b7c8d9e0f1a";
const VK_COMMUNITY: &str = "229876543";

#[derive(Default)]
struct Memory {
    stored: Mutex<Vec<(Kind, Event)>>,
    down: bool,
}

fn creds(pairs: &[(&str, &str)]) -> Credentials {
    Credentials(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

#[async_trait]
impl Inbox for Memory {
    type Target = (Kind, Credentials);

    async fn resolve(&self, kind: Kind, key: &str) -> Result<Option<Self::Target>, Unavailable> {
        let creds = match (kind, key) {
            (Kind::Telegram, TELEGRAM_ID) => {
                creds(&[("token", "1:x"), ("secret_token", "bsd_Q2hhbm5lbHMtdGVzdC1zZWNyZXQtdG9rZW4")])
            }
            (Kind::Viber, VIBER_ID) => creds(&[("token", "4a1b2c3d4e5f6a7b-8c9d0e1f2a3b4c5d-6e7f8a9b0c1d2e3f")]),
            (Kind::Vk, VK_COMMUNITY) => creds(&[
                ("community_id", VK_COMMUNITY),
                ("access_token", "vk1.a.x"),
                ("confirmation_code", "693d0ba9"),
                ("secret_key", "mYs3cr3tK3y"),
            ]),
            _ => return Ok(None),
        };
        Ok(Some((kind, creds)))
    }

    fn credentials<'a>(&self, target: &'a Self::Target) -> &'a Credentials {
        &target.1
    }

    async fn receive(&self, target: &Self::Target, events: Vec<Event>) -> Result<(), Unavailable> {
        if self.down {
            return Err(Unavailable("the table is unreachable".into()));
        }
        self.stored.lock().unwrap().extend(events.into_iter().map(|e| (target.0, e)));
        Ok(())
    }
}

/// A sample as API Gateway hands it over: the path, the headers and the body.
fn sample(function: &str, name: &str) -> Request<Body> {
    let path = format!("{}/../../events/{function}/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let event: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut request = Request::post(event["rawPath"].as_str().unwrap());
    for (name, value) in event["headers"].as_object().unwrap() {
        request = request.header(name, value.as_str().unwrap());
    }
    request.body(Body::from(event["body"].as_str().unwrap().to_owned())).unwrap()
}

fn samples(function: &str) -> Vec<String> {
    let dir = format!("{}/../../events/{function}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".json").to_owned())
        .collect();
    names.sort();
    names
}

async fn send(inbox: &Arc<Memory>, request: Request<Body>) -> (StatusCode, String) {
    let app = beseda_webhooks::routers(inbox.clone(), Arc::new(Channels::new(Bases::default())));
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

fn error_code(body: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{body}: {e}"));
    json["error"]["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_sample_is_stored_and_answered_as_its_platform_expects() {
    for (function, kind) in
        [("telegram-webhook", Kind::Telegram), ("vk-webhook", Kind::Vk), ("viber-webhook", Kind::Viber)]
    {
        for name in samples(function) {
            let inbox = Arc::new(Memory::default());
            let (status, body) = send(&inbox, sample(function, &name)).await;
            assert_eq!(status, StatusCode::OK, "{function}/{name}: {body}");
            let expected = match (kind, name.as_str()) {
                (Kind::Vk, "confirmation") => "693d0ba9",
                (Kind::Vk, _) => "ok",
                _ => "",
            };
            assert_eq!(body, expected, "{function}/{name}");
            let stored = inbox.stored.lock().unwrap();
            assert!(stored.iter().all(|(k, _)| *k == kind));
            let quiet = ["confirmation", "webhook"].contains(&name.as_str());
            assert_eq!(stored.is_empty(), quiet, "{function}/{name} stores {stored:?}");
        }
    }
}

#[tokio::test]
async fn an_unknown_integration_is_404() {
    let inbox = Arc::new(Memory::default());
    for path in ["/webhooks/telegram/nope", "/mp/webhooks/vk/1", "/webhooks/viber/nope"] {
        let request = Request::post(path).header("content-type", "application/json").body(Body::from("{}")).unwrap();
        let (status, body) = send(&inbox, request).await;
        assert_eq!((status, error_code(&body).as_str()), (StatusCode::NOT_FOUND, "integration_not_found"), "{path}");
    }
    assert!(inbox.stored.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_request_not_signed_by_the_platform_is_401_and_stores_nothing() {
    let inbox = Arc::new(Memory::default());
    let mut telegram = sample("telegram-webhook", "text");
    telegram.headers_mut().insert("x-telegram-bot-api-secret-token", "guess".parse().unwrap());
    let mut viber = sample("viber-webhook", "message-text");
    viber.headers_mut().insert("x-viber-content-signature", "00".repeat(32).parse().unwrap());
    let vk_body = std::str::from_utf8(
        &axum::body::to_bytes(sample("vk-webhook", "message-new").into_body(), 1 << 16).await.unwrap(),
    )
    .unwrap()
    .replace("mYs3cr3tK3y", "wrong");
    let vk = Request::post(format!("/mp/webhooks/vk/{VK_COMMUNITY}")).body(Body::from(vk_body)).unwrap();
    for request in [telegram, viber, vk] {
        let (status, body) = send(&inbox, request).await;
        assert_eq!((status, error_code(&body).as_str()), (StatusCode::UNAUTHORIZED, "bad_signature"));
    }
    assert!(inbox.stored.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_malformed_body_is_400_with_a_code() {
    let inbox = Arc::new(Memory::default());
    let request = Request::post(format!("/webhooks/telegram/{TELEGRAM_ID}"))
        .header("x-telegram-bot-api-secret-token", "bsd_Q2hhbm5lbHMtdGVzdC1zZWNyZXQtdG9rZW4")
        .body(Body::from(r#"{"message":"no update id"}"#))
        .unwrap();
    let (status, body) = send(&inbox, request).await;
    assert_eq!((status, error_code(&body).as_str()), (StatusCode::BAD_REQUEST, "malformed_webhook"));
    let vk = Request::post(format!("/mp/webhooks/vk/{VK_COMMUNITY}")).body(Body::from("not json")).unwrap();
    let (status, body) = send(&inbox, vk).await;
    assert_eq!((status, error_code(&body).as_str()), (StatusCode::BAD_REQUEST, "malformed_webhook"));
    assert!(inbox.stored.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_store_that_is_down_answers_503_so_the_platform_retries() {
    let inbox = Arc::new(Memory { down: true, ..Memory::default() });
    let (status, body) = send(&inbox, sample("telegram-webhook", "text")).await;
    assert_eq!((status, error_code(&body).as_str()), (StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
    let (status, body) = send(&inbox, sample("vk-webhook", "message-new")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "VK must not get its ok: {body}");
}
