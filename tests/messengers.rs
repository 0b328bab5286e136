//! Messengers in the one inbox, end to end on the running binary, as the manual's steps go: the
//! administrator connects a Telegram bot, a VK community or a Viber bot in «Синхронизации»; a
//! customer writes there; the dialog appears in Диалоги and in the journal; the operator
//! answers and the answer reaches the customer through the platform, with its delivery state.
//! Telegram runs against the independent emulator `telegram-test-api`; VK and Viber against
//! loopback servers that answer as their documentation shows, with inbound requests taken from
//! `events/` and signed as the platforms sign them. A duplicated webhook makes one message, a
//! forged one is refused, and every webhook answered 200 survives `kill -9`.

use beseda_e2e::Runner;
use beseda_e2e::platforms::{Loopback, TelegramEmulator};
use hmac::{Hmac, KeyInit, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// The administrator of the runner's demo project, who also answers as an operator.
struct Admin {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Admin {
    async fn of(runner: &Runner) -> Admin {
        let (email, password) = runner.first_login();
        let session = runner.login(&email, &password).await;
        let admin = Admin {
            http: reqwest::Client::new(),
            base: runner.base.clone(),
            token: session["token"].as_str().expect("a session").to_owned(),
        };
        let me = session["user"]["id"].as_str().expect("a user").to_owned();
        admin.call(reqwest::Method::PATCH, &format!("members/{me}"), json!({ "accesses": ["operator"] })).await;
        admin.call(reqwest::Method::PUT, "presence", json!({ "online": true })).await;
        admin
    }

    /// A call on the demo project's API that must succeed; its JSON.
    async fn call(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/api/v1/projects/demo/{path}", self.base);
        let mut request = self.http.request(method.clone(), &url).bearer_auth(&self.token);
        if method != reqwest::Method::GET {
            request = request.json(&body);
        }
        let r = request.send().await.expect("the runner answers");
        let status = r.status();
        let text = r.text().await.unwrap_or_default();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, Value::Null).await
    }

    /// Saves and enables an integration; the cabinet's view of it.
    async fn connect(&self, kind: &str, settings: Value) -> Value {
        let body = json!({ "enabled": true, "show_operator_name": false, "settings": settings });
        self.call(reqwest::Method::PUT, &format!("integrations/{kind}"), body).await
    }

    /// The open dialogs (mine and unassigned) of a source, waiting up to 10 s for `count`.
    async fn dialogs_of(&self, source: &str, count: usize) -> Vec<Value> {
        let mut list = Value::Null;
        for _ in 0..100 {
            list = self.get("dialogs?folder=mine").await;
            let found: Vec<Value> =
                list["dialogs"].as_array().into_iter().flatten().filter(|d| d["channel"] == source).cloned().collect();
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no {count} {source} dialog(s) in Диалоги after 10 s: {list}");
    }

    /// All the messages of a dialog, oldest first: the newest page, then the pages before it.
    async fn messages(&self, dialog: &str) -> Vec<Value> {
        let mut page = self.get(&format!("dialogs/{dialog}")).await;
        let mut all = page["messages"].as_array().cloned().unwrap_or_default();
        while let Some(before) = page["older"].as_str().map(str::to_owned) {
            page = self.get(&format!("dialogs/{dialog}/messages?before={before}")).await;
            let mut older = page["messages"].as_array().cloned().unwrap_or_default();
            older.append(&mut all);
            all = older;
        }
        all
    }

    async fn reply(&self, dialog: &str, text: &str, client_id: &str) -> Value {
        let body = json!({ "text": text, "client_id": client_id });
        self.call(reqwest::Method::POST, &format!("dialogs/{dialog}/messages"), body).await["message"].clone()
    }

    /// Waits up to 10 s for the delivery state of message `id` to become `state`.
    async fn delivery_becomes(&self, dialog: &str, id: &str, state: &str) -> Value {
        let mut last = Value::Null;
        for _ in 0..100 {
            if let Some(m) = self.messages(dialog).await.into_iter().find(|m| m["id"] == id) {
                if m["delivery"]["state"] == state {
                    return m;
                }
                last = m;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the delivery did not become {state}: {last}");
    }

    /// The journal's rows.
    async fn journal(&self) -> Vec<Value> {
        self.get("journal").await["leads"].as_array().cloned().unwrap_or_default()
    }
}

/// POSTs a webhook body as the platform would.
async fn post(url: &str, headers: &[(&str, &str)], body: &str) -> (StatusCode, String) {
    let mut request = reqwest::Client::new().post(url).header("content-type", "application/json").body(body.to_owned());
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let r = request.send().await.expect("the runner answers");
    (r.status(), r.text().await.unwrap_or_default())
}

/// The body of a sample event in `events/<function>/<name>.json`.
fn sample_body(function: &str, name: &str) -> String {
    let path = format!("{}/../events/{function}/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let event: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("the sample")).expect("JSON");
    event["body"].as_str().expect("a body").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_telegram_customer_writes_to_the_bot_and_gets_the_operators_answer() {
    let emulator = TelegramEmulator::start().await;
    let data = tempfile::tempdir().unwrap();
    let runner = Runner::start_with(data.path(), &[("BESEDA_TELEGRAM_API", &emulator.base)]).await;
    let admin = Admin::of(&runner).await;

    // «Синхронизации» → Telegram: the token from @BotFather and the bot's name.
    let token = "7000000001:AAE-shop-bot-token";
    let view = admin.connect("telegram", json!({ "token": token, "username": "TestNameBot" })).await;
    assert_eq!(view["enabled"], true);
    assert_eq!(view["status"]["webhook_registered"], true, "setWebhook was called: {view}");
    assert_ne!(view["settings"]["token"], token, "the token is never returned in full");
    assert!(view["webhook_url"].as_str().unwrap().starts_with(&format!("{}/webhooks/telegram/", runner.base)));

    // A customer writes to the bot; the emulator delivers the update to our webhook.
    assert_eq!(emulator.say(token, 1001, "Иван", "Здравствуйте! Доставляете в субботу?").await, 200);
    let dialog = admin.dialogs_of("telegram", 1).await.remove(0);
    let id = dialog["id"].as_str().unwrap().to_owned();
    let messages = admin.messages(&id).await;
    assert_eq!(messages.last().unwrap()["text"], "Здравствуйте! Доставляете в субботу?");
    let lead = admin.journal().await.into_iter().find(|l| l["channel"] == "telegram");
    assert!(lead.is_some(), "the first message of a Telegram dialog is a lead in the journal");

    // The operator answers in Диалоги; the customer gets it in Telegram.
    let reply = admin.reply(&id, "Да, в субботу с 10 до 18", "tg-reply-1").await;
    assert_eq!(reply["delivery"]["state"], "queued");
    let mut got = Vec::new();
    for _ in 0..100 {
        got.extend(emulator.bot_messages(token, 1001).await);
        if !got.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(got.len(), 1, "one answer reaches the customer: {got:?}");
    assert_eq!(got[0]["message"]["text"], "Да, в субботу с 10 до 18");
    let sent = admin.delivery_becomes(&id, reply["id"].as_str().unwrap(), "sent").await;
    assert!(sent["platform_id"].as_str().is_some_and(|p| !p.is_empty()), "{sent}");

    // The customer writes again: the same dialog.
    assert_eq!(emulator.say(token, 1001, "Иван", "Спасибо!").await, 200);
    for _ in 0..100 {
        if admin.messages(&id).await.iter().any(|m| m["text"] == "Спасибо!") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the second message did not join the dialog");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_telegram_dialog_asks_for_a_rating_and_a_button_press_reaches_oko() {
    let emulator = TelegramEmulator::start().await;
    let data = tempfile::tempdir().unwrap();
    let runner = Runner::start_with(data.path(), &[("BESEDA_TELEGRAM_API", &emulator.base)]).await;
    let admin = Admin::of(&runner).await;
    let token = "7000000002:AAE-rating-bot-token";
    admin.connect("telegram", json!({ "token": token, "username": "TestNameBot" })).await;
    assert_eq!(emulator.say(token, 2002, "Мария", "Есть размер M?").await, 200);
    let id = admin.dialogs_of("telegram", 1).await.remove(0)["id"].as_str().unwrap().to_owned();
    let reply = admin.reply(&id, "Есть, отложить?", "tg-rate-1").await;
    admin.delivery_becomes(&id, reply["id"].as_str().unwrap(), "sent").await;

    // The operator closes the dialog: the customer gets the request with five buttons.
    admin.call(reqwest::Method::POST, &format!("dialogs/{id}/close"), json!({})).await;
    let mut asked = None;
    for _ in 0..100 {
        asked = emulator
            .bot_messages(token, 2002)
            .await
            .into_iter()
            .find(|u| u["message"]["reply_markup"]["inline_keyboard"].is_array());
        if asked.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let asked = asked.expect("the rating request reached the customer");
    let row = asked["message"]["reply_markup"]["inline_keyboard"][0].as_array().cloned().unwrap();
    assert_eq!(row.len(), 5, "a button per score: {asked}");
    let four = row[3]["callback_data"].as_str().unwrap().to_owned();

    // The customer presses «★★★★», twice (a repeated press is the same rating).
    assert_eq!(emulator.press(token, 2002, "Мария", &four).await, 200);
    let mut summary = Value::Null;
    for _ in 0..100 {
        summary = admin.get("ratings").await;
        if summary["total"]["count"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!((summary["total"]["count"].as_u64(), summary["total"]["average"].as_f64()), (Some(1), Some(4.0)));
    assert_eq!(summary["channels"][0]["channel"], "telegram", "{summary}");
    assert_eq!(emulator.press(token, 2002, "Мария", &four).await, 200);
    assert_eq!(admin.get("ratings").await["total"]["count"], 1);
    assert_eq!(admin.get(&format!("dialogs/{id}")).await["dialog"]["rating"], 4, "the dialog shows its rating");
    assert_eq!(admin.get("dashboard").await["rating"]["count"], 1, "the Панель counts it this week");
}

const VK_COMMUNITY: &str = "229876543";
const VK_SECRET: &str = "mYs3cr3tK3y";

/// The VK API on loopback: `groups.getById` and `messages.send` as in API version 5.199.
async fn vk_api() -> Loopback {
    Loopback::start(|method| match method {
        "groups.getById" => json!({ "response": { "groups": [{ "id": 229876543, "name": "Ромашка", "screen_name": "romashka" }], "profiles": [] } }),
        "messages.send" => json!({ "response": 4822 }),
        "users.get" => json!({ "response": [{ "id": 123456789, "first_name": "Иван", "last_name": "Петров", "photo_100": "https://sun.userapi.com/ivan.jpg", "can_access_closed": true, "is_closed": false }] }),
        _ => json!({ "error": { "error_code": 3, "error_msg": "Unknown method passed" } }),
    })
    .await
}

async fn connect_vk(admin: &Admin) -> Value {
    let settings = json!({
        "community_id": VK_COMMUNITY, "access_token": "vk1.a.community-key", "confirmation_code": "a1b2c3d4",
        "secret_key": VK_SECRET,
    });
    admin.connect("vk", settings).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vk_community_is_confirmed_duplicates_make_one_message_and_the_answer_is_messages_send() {
    let vk = vk_api().await;
    let data = tempfile::tempdir().unwrap();
    let runner = Runner::start_with(data.path(), &[("BESEDA_VK_API", &vk.base)]).await;
    let admin = Admin::of(&runner).await;
    let view = connect_vk(&admin).await;
    let hook = view["webhook_url"].as_str().unwrap().to_owned();
    assert_eq!(hook, format!("{}/mp/webhooks/vk/{VK_COMMUNITY}", runner.base), "the address to paste into VK");
    let check = &vk.calls("groups.getById")[0];
    assert_eq!(check.field("group_id").as_deref(), Some(VK_COMMUNITY));
    assert_eq!(check.field("v").as_deref(), Some("5.199"));

    // VK confirms the server: the answer is the confirmation code as plain text.
    let (status, text) = post(&hook, &[], &sample_body("vk-webhook", "confirmation")).await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, "a1b2c3d4"));

    // The same event ten times at once (VK retries until it hears "ok"): one message.
    let body = sample_body("vk-webhook", "message-new");
    let answers = futures::future::join_all((0..10).map(|_| post(&hook, &[], &body))).await;
    assert!(answers.iter().all(|(s, t)| *s == StatusCode::OK && t == "ok"), "{answers:?}");
    let dialog = admin.dialogs_of("vk", 1).await.remove(0);
    assert_eq!(dialog["chat"]["name"], "Иван Петров", "the customer is named by users.get: {dialog}");
    let id = dialog["id"].as_str().unwrap().to_owned();
    let texts: Vec<Value> = admin.messages(&id).await.into_iter().map(|m| m["text"].clone()).collect();
    assert_eq!(texts.iter().filter(|t| *t == "Здравствуйте! Есть в наличии?").count(), 1, "{texts:?}");

    // Forged, malformed and misaddressed webhooks store nothing.
    let forged = body.replace(VK_SECRET, "guessed").replace("6c1ae3c8", "7d2bf4d9");
    let (status, _) = post(&hook, &[], &forged).await;
    assert!(status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN, "a wrong secret: {status}");
    let (status, text) = post(&hook, &[], "{\"type\": ").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(serde_json::from_str::<Value>(&text).unwrap()["error"]["code"].is_string(), "{text}");
    let (status, _) = post(&format!("{}/mp/webhooks/vk/1", runner.base), &[], &body).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(admin.messages(&id).await.len(), texts.len(), "nothing was stored by the refused webhooks");

    // The answer: messages.send to the customer with a random_id derived from our message.
    let reply = admin.reply(&id, "Да, есть. Оформить?", "vk-reply-1").await;
    admin.delivery_becomes(&id, reply["id"].as_str().unwrap(), "sent").await;
    let sends = vk.calls("messages.send");
    assert_eq!(sends.len(), 1);
    let send = &sends[0];
    assert_eq!(send.field("peer_id").as_deref(), Some("123456789"));
    assert_eq!(send.field("message").as_deref(), Some("Да, есть. Оформить?"));
    assert_eq!(send.field("access_token").as_deref(), Some("vk1.a.community-key"));
    assert_eq!(send.field("v").as_deref(), Some("5.199"));
    assert!(send.field("random_id").is_some_and(|r| r.parse::<i64>().is_ok()), "random_id: {:?}", send.form());
}

const VIBER_TOKEN: &str = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f";

fn viber_signature(body: &str) -> String {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(VIBER_TOKEN.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viber_customer_is_answered_and_the_delivery_report_reaches_the_operator() {
    // The token our answer gets is the one the sample's delivery report names.
    let viber = Loopback::start(|method| match method {
        "get_account_info" => json!({ "status": 0, "status_message": "ok", "id": "pa:75346594275468546724", "name": "Ромашка" }),
        "set_webhook" => json!({ "status": 0, "status_message": "ok", "event_types": ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"] }),
        "send_message" => json!({ "status": 0, "status_message": "ok", "message_token": 5466297578174182639_i64, "chat_hostname": "SN-CHAT-02_" }),
        _ => json!({ "status": 3, "status_message": "badData" }),
    })
    .await;
    let data = tempfile::tempdir().unwrap();
    let runner = Runner::start_with(data.path(), &[("BESEDA_VIBER_API", &viber.base)]).await;
    let admin = Admin::of(&runner).await;
    let view = admin.connect("viber", json!({ "token": VIBER_TOKEN })).await;
    let hook = view["webhook_url"].as_str().unwrap().to_owned();
    let set = &viber.calls("set_webhook")[0];
    assert_eq!(set.json()["url"], hook.as_str());
    assert_eq!(set.headers["x-viber-auth-token"], VIBER_TOKEN);

    let body = sample_body("viber-webhook", "message-text");
    let (status, _) = post(&hook, &[("x-viber-content-signature", "00ff")], &body).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a body not signed with the token");
    let (status, _) = post(&hook, &[("x-viber-content-signature", &viber_signature(&body))], &body).await;
    assert_eq!(status, StatusCode::OK);
    let dialog = admin.dialogs_of("viber", 1).await.remove(0);
    let id = dialog["id"].as_str().unwrap().to_owned();
    assert_eq!(admin.messages(&id).await.last().unwrap()["text"], "Здравствуйте!");

    let reply = admin.reply(&id, "Добрый день! Чем помочь?", "viber-reply-1").await;
    admin.delivery_becomes(&id, reply["id"].as_str().unwrap(), "sent").await;
    let send = viber.calls("send_message")[0].json();
    assert_eq!(send["receiver"], "5h2COTj83ZE6IAsIcTEVGw==");
    assert_eq!((send["type"].as_str(), send["text"].as_str()), (Some("text"), Some("Добрый день! Чем помочь?")));
    assert!(send["sender"]["name"].as_str().is_some_and(|n| !n.is_empty() && n.chars().count() <= 28), "{send}");

    let delivered = sample_body("viber-webhook", "delivered");
    let (status, _) = post(&hook, &[("x-viber-content-signature", &viber_signature(&delivered))], &delivered).await;
    assert_eq!(status, StatusCode::OK);
    admin.delivery_becomes(&id, reply["id"].as_str().unwrap(), "delivered").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_webhook_answered_ok_survives_kill_9() {
    let vk = vk_api().await;
    let data = tempfile::tempdir().unwrap();
    let env = [("BESEDA_VK_API", vk.base.as_str())];
    let mut runner = Runner::start_with(data.path(), &env).await;
    let admin = Admin::of(&runner).await;
    let hook = connect_vk(&admin).await["webhook_url"].as_str().unwrap().to_owned();
    let template: Value = serde_json::from_str(&sample_body("vk-webhook", "message-new")).unwrap();

    // Four senders post distinct updates as fast as they are answered; the runner is killed.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut senders = Vec::new();
    for sender in 0..4 {
        let (hook, template, acked) = (hook.clone(), template.clone(), acked.clone());
        senders.push(tokio::spawn(async move {
            for n in 0..150 {
                let text = format!("сообщение {sender}-{n}");
                let mut event = template.clone();
                event["event_id"] = json!(format!("{:040x}", sender * 1000 + n + 1));
                event["object"]["message"]["text"] = json!(text);
                event["object"]["message"]["id"] = json!(10_000 + sender * 1000 + n);
                match reqwest::Client::new().post(&hook).json(&event).send().await {
                    Ok(r) if r.status() == 200 => acked.lock().unwrap().push(text),
                    _ => return,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    runner.kill_hard();
    for s in senders {
        s.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 4, "webhooks were answered before the kill ({})", acked.len());

    let runner = Runner::start_with(data.path(), &env).await;
    let admin = Admin::of(&runner).await;
    let dialog = admin.dialogs_of("vk", 1).await.remove(0);
    let stored: Vec<String> = admin
        .messages(dialog["id"].as_str().unwrap())
        .await
        .iter()
        .filter_map(|m| m["text"].as_str().map(str::to_owned))
        .collect();
    let lost: Vec<&String> = acked.iter().filter(|t| !stored.contains(t)).collect();
    assert!(lost.is_empty(), "{} of {} acknowledged webhooks were lost: {lost:?}", lost.len(), acked.len());
}
