//! The messaging platforms on loopback for end-to-end tests: the Telegram Bot API emulator
//! (npm `telegram-test-api`, started through `infra/emulators/telegram.mjs`), and a recording
//! HTTP server that answers VK's and Viber's API methods as their documentation shows.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// `telegram-test-api` on a free port; stopped when dropped.
pub struct TelegramEmulator {
    child: Child,
    pub base: String,
}

impl TelegramEmulator {
    pub async fn start() -> TelegramEmulator {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../infra/emulators");
        assert!(
            dir.join("node_modules/telegram-test-api").exists(),
            "telegram-test-api is not installed: `make test` runs `npm ci` in infra/emulators"
        );
        let port = crate::free_port();
        let child = Command::new("node")
            .current_dir(&dir)
            .args(["telegram.mjs", "serve", &port.to_string()])
            .stdout(Stdio::null())
            .spawn()
            .expect("node runs the emulator");
        let emulator = TelegramEmulator { child, base: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if reqwest::Client::new().post(format!("{}/bot1:probe/getMe", emulator.base)).send().await.is_ok() {
                return emulator;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("telegram-test-api did not start within 20 s");
    }

    /// A Telegram user (id `user_id`) writes `text` to the bot with `token`; the emulator calls
    /// the bot's webhook and answers when the webhook did.
    pub async fn say(&self, token: &str, user_id: i64, first_name: &str, text: &str) -> reqwest::StatusCode {
        let user =
            serde_json::json!({ "id": user_id, "first_name": first_name, "username": "ivan_petrov", "is_bot": false });
        let message = serde_json::json!({
            "botToken": token, "from": user,
            "chat": { "id": user_id, "first_name": first_name, "type": "private" },
            "date": unix_now(), "text": text,
        });
        let r = reqwest::Client::new().post(format!("{}/sendMessage", self.base)).json(&message).send().await;
        r.expect("the emulator answers").status()
    }

    /// The user presses an inline keyboard button (its `callback_data`) under a message of the
    /// bot; the emulator calls the bot's webhook with a `callback_query` update.
    pub async fn press(&self, token: &str, user_id: i64, first_name: &str, data: &str) -> reqwest::StatusCode {
        let user =
            serde_json::json!({ "id": user_id, "first_name": first_name, "username": "ivan_petrov", "is_bot": false });
        let query = serde_json::json!({
            "botToken": token, "from": user, "data": data,
            "message": { "from": user, "chat": { "id": user_id, "first_name": first_name, "type": "private" } },
        });
        let r = reqwest::Client::new().post(format!("{}/sendCallback", self.base)).json(&query).send().await;
        r.expect("the emulator answers").status()
    }

    /// The bot's messages to the user not read before.
    pub async fn bot_messages(&self, token: &str, user_id: i64) -> Vec<serde_json::Value> {
        let body = serde_json::json!({ "token": token, "chatId": user_id });
        let r = reqwest::Client::new().post(format!("{}/getUpdates", self.base)).json(&body).send().await;
        let answer: serde_json::Value = r.expect("the emulator answers").json().await.expect("JSON");
        answer["result"].as_array().cloned().unwrap_or_default()
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

impl Drop for TelegramEmulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request the loopback platform received.
#[derive(Debug, Clone)]
pub struct Call {
    /// The method: the path without its leading `/` (`messages.send`, `send_message`).
    pub method: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Call {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// The `application/x-www-form-urlencoded` fields.
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    pub fn field(&self, name: &str) -> Option<String> {
        self.form().into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

type Answer = Arc<dyn Fn(&str) -> serde_json::Value + Send + Sync>;

/// A platform API on loopback: answers each method with `answer(method)` and records the call.
pub struct Loopback {
    pub base: String,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl Loopback {
    pub async fn start(answer: impl Fn(&str) -> serde_json::Value + Send + Sync + 'static) -> Loopback {
        let calls: Arc<Mutex<Vec<Call>>> = Arc::default();
        let answer: Answer = Arc::new(answer);
        let state = (calls.clone(), answer);
        let app = Router::new().fallback(record).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Loopback { base, calls }
    }

    /// The calls of one method so far.
    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.calls.lock().unwrap_or_else(|e| e.into_inner()).iter().filter(|c| c.method == method).cloned().collect()
    }
}

async fn record(
    State((calls, answer)): State<(Arc<Mutex<Vec<Call>>>, Answer)>,
    request: Request,
) -> axum::Json<serde_json::Value> {
    let method = request.uri().path().trim_start_matches('/').to_owned();
    let headers = request.headers().clone();
    let body = axum::body::to_bytes(request.into_body(), 1 << 20).await.unwrap_or_default();
    let reply = answer(&method);
    calls.lock().unwrap_or_else(|e| e.into_inner()).push(Call { method, headers, body });
    axum::Json(reply)
}
