//! The webhook path over the dialog domain (embedded adapters) and a loopback platform that
//! answers the setup calls: each channel's samples from `events/` become messages of a dialog,
//! a replayed or concurrently duplicated webhook stores nothing twice, and a request with a
//! wrong secret stores nothing.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, Uri};
use beseda_channels::{Bases, Channels, Kind};
use beseda_domain::accounts::{self, NewUser};
use beseda_domain::dialogs::{self, Folder};
use beseda_domain::integrations::{self, Change};
use beseda_domain::projects::{self, NewProject};
use beseda_domain::secrets::SecretKey;
use beseda_domain::{App, Settings, billing};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

const BOT: &str = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const VIBER_TOKEN: &str = "4a1b2c3d4e5f6a7b-8c9d0e1f2a3b4c5d-6e7f8a9b0c1d2e3f";

struct World {
    app: App,
    project: String,
    owner: String,
    router: Router,
    /// Integration id and webhook secret per channel, as the setup registered them.
    telegram: (String, String),
    viber: String,
}

/// A platform that accepts every setup call, recording Telegram's `setWebhook` body.
async fn platform(set_webhook: Arc<Mutex<Option<Value>>>) -> String {
    let app = Router::new().fallback(move |uri: Uri, body: Bytes| {
        let set_webhook = set_webhook.clone();
        async move {
            let path = uri.path();
            axum::Json(if path.ends_with("/getMe") {
                json!({"ok": true, "result": {"id": 7000000001_i64, "is_bot": true, "first_name": "Ромашка", "username": "romashka_shop_bot"}})
            } else if path.ends_with("/setWebhook") {
                *set_webhook.lock().unwrap() = serde_json::from_slice(&body).ok();
                json!({"ok": true, "result": true})
            } else if path.ends_with("/groups.getById") {
                json!({"response": {"groups": [{"id": 229876543, "name": "Ромашка"}], "profiles": []}})
            } else {
                json!({"status": 0, "status_message": "ok", "name": "Ромашка"})
            })
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

async fn enable(app: &App, channels: &Channels, project: &str, kind: Kind, settings: &[(&str, &str)]) -> String {
    let change = Change {
        enabled: true,
        show_operator_name: false,
        settings: settings.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    };
    let view = integrations::save(app, channels, project, kind, change).await.unwrap();
    view.webhook_url.unwrap().rsplit('/').next().unwrap().to_owned()
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap().keep();
    let ports =
        beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, Arc::new(beseda_ports::SystemClock)).unwrap().ports;
    let settings = Settings {
        mail_from: "noreply@beseda.local".into(),
        public_url: "https://chat.example.ru".into(),
        secret_key: SecretKey::parse(&SecretKey::generate()),
    };
    let app = App { ports, settings };
    let owner = accounts::create_user(&app, NewUser { email: "admin@x.ru".into(), ..Default::default() }, "password1")
        .await
        .unwrap()
        .id;
    let new = NewProject { name: "Ромашка".into(), domains: vec!["romashka.ru".into()], ..Default::default() };
    let project = projects::create(&app, &owner, new, None).await.unwrap().id;
    billing::start_trial(&app, &project).await.unwrap();
    let set_webhook = Arc::new(Mutex::new(None));
    let base = platform(set_webhook.clone()).await;
    let channels = Arc::new(Channels::new(Bases { telegram: base.clone(), vk: base.clone(), viber: base }));
    let telegram_id =
        enable(&app, &channels, &project, Kind::Telegram, &[("token", BOT), ("username", "romashka_shop_bot")]).await;
    let secret = set_webhook.lock().unwrap().as_ref().unwrap()["secret_token"].as_str().unwrap().to_owned();
    let vk = [
        ("community_id", "229876543"),
        ("access_token", "vk1.a.key"),
        ("confirmation_code", "693d0ba9"),
        ("secret_key", "mYs3cr3tK3y"),
    ];
    enable(&app, &channels, &project, Kind::Vk, &vk).await;
    let viber = enable(&app, &channels, &project, Kind::Viber, &[("token", VIBER_TOKEN)]).await;
    let router = beseda_webhooks::routers(Arc::new(app.clone()), channels);
    World { app, project, owner, router, telegram: (telegram_id, secret), viber }
}

impl World {
    /// A sample of `events/<function>/<name>.json` addressed to this world's integration.
    fn sample(&self, function: &str, name: &str) -> Request<Body> {
        let path = format!("{}/../../events/{function}/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let event: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let raw = event["rawPath"].as_str().unwrap();
        let (route, _) = raw.rsplit_once('/').unwrap();
        let key = match function {
            "telegram-webhook" => self.telegram.0.as_str(),
            "viber-webhook" => self.viber.as_str(),
            _ => raw.rsplit('/').next().unwrap(),
        };
        let mut request = Request::post(format!("{route}/{key}"));
        for (name, value) in event["headers"].as_object().unwrap() {
            let value = if name == "x-telegram-bot-api-secret-token" {
                self.telegram.1.as_str()
            } else {
                value.as_str().unwrap()
            };
            request = request.header(name, value);
        }
        request.body(Body::from(event["body"].as_str().unwrap().to_owned())).unwrap()
    }

    async fn send(&self, request: Request<Body>) -> StatusCode {
        self.router.clone().oneshot(request).await.unwrap().status()
    }

    /// Every customer's message of every open dialog, by channel.
    async fn messages(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for d in dialogs::list(&self.app, &self.project, &self.owner, Folder::Mine).await.unwrap() {
            for m in dialogs::history(&self.app, &self.project, &d).await.unwrap() {
                if m.from == dialogs::From::Visitor {
                    out.push((serde_json::to_value(d.source).unwrap().as_str().unwrap_or_default().to_owned(), m.text));
                }
            }
        }
        out.sort();
        out
    }
}

fn names(function: &str) -> Vec<String> {
    let dir = format!("{}/../../events/{function}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".json").to_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn every_sample_lands_in_a_dialog_once_even_when_replayed() {
    let w = world().await;
    for function in ["telegram-webhook", "vk-webhook", "viber-webhook"] {
        for name in names(function) {
            assert_eq!(w.send(w.sample(function, &name)).await, StatusCode::OK, "{function}/{name}");
        }
    }
    let stored = w.messages().await;
    let texts: Vec<&str> = stored.iter().map(|(_, t)| t.as_str()).collect();
    for text in ["Здравствуйте! Сколько стоит доставка?", "Здравствуйте! Есть в наличии?", "Здравствуйте!"]
    {
        assert!(texts.contains(&text), "{text} in {stored:?}");
    }
    for function in ["telegram-webhook", "vk-webhook", "viber-webhook"] {
        for name in names(function) {
            assert_eq!(w.send(w.sample(function, &name)).await, StatusCode::OK, "again {function}/{name}");
        }
    }
    assert_eq!(w.messages().await, stored, "a replayed webhook stores nothing new");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_webhook_ten_times_at_once_is_one_message() {
    let w = world().await;
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (router, request) = (w.router.clone(), w.sample("telegram-webhook", "text"));
            tokio::spawn(async move { router.oneshot(request).await.unwrap().status() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let stored = w.messages().await;
    assert_eq!(stored.len(), 1, "{stored:?}");
}

#[tokio::test]
async fn a_wrong_secret_stores_nothing() {
    let w = world().await;
    let mut request = w.sample("telegram-webhook", "text");
    request.headers_mut().insert("x-telegram-bot-api-secret-token", "guessed".parse().unwrap());
    assert_eq!(w.send(request).await, StatusCode::UNAUTHORIZED);
    let mut request = w.sample("viber-webhook", "message-text");
    request.headers_mut().insert("x-viber-content-signature", "00".repeat(32).parse().unwrap());
    assert_eq!(w.send(request).await, StatusCode::UNAUTHORIZED);
    assert!(w.messages().await.is_empty());
}
