//! The team's Telegram bot end to end on the running binary and the `telegram-test-api`
//! emulator, as the manual's steps go: the administrator sets the team bot's token in the
//! notification settings; a member opens the start link from their Profile (here: sends
//! `/start <code>` as their Telegram user) and is linked; a visitor writes in the widget and the
//! notification arrives in the member's Telegram with «Ответить» and «Взять диалог»; the
//! member's reply in Telegram is in the dialog as their message and reaches the visitor's
//! widget; «Взять диалог» assigns the dialog; without the operator access the bot refuses
//! politely; `/stop` unlinks. A webhook without Telegram's secret is refused.

use beseda_e2e::Runner;
use beseda_e2e::platforms::TelegramEmulator;
use serde_json::{Value, json};
use std::time::Duration;

const BOT: &str = "7000000099:AAE-team-bot-token";
/// The member's Telegram user (and private chat) id.
const ANNA: i64 = 424242;

struct Cabinet {
    http: reqwest::Client,
    base: String,
    token: String,
    user_id: String,
}

impl Cabinet {
    async fn call(&self, method: reqwest::Method, path: &str, body: Value) -> (reqwest::StatusCode, Value) {
        let url = format!("{}/api/v1/projects/demo/{path}", self.base);
        let mut request = self.http.request(method.clone(), &url).bearer_auth(&self.token);
        if method != reqwest::Method::GET {
            request = request.json(&body);
        }
        let r = request.send().await.expect("the runner answers");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn ok(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let (status, answer) = self.call(method.clone(), path, body).await;
        assert!(status.is_success(), "{method} {path}: {status} {answer}");
        answer
    }
}

/// Sends an update as the member's Telegram (a message, maybe replying to the bot's message).
async fn member_writes(emulator: &TelegramEmulator, text: &str, reply_to: Option<&Value>) {
    let user = json!({ "id": ANNA, "first_name": "Анна", "is_bot": false });
    let mut message = json!({
        "botToken": BOT, "from": user, "chat": { "id": ANNA, "first_name": "Анна", "type": "private" },
        "date": 1_764_460_000, "text": text,
    });
    if let Some(original) = reply_to {
        message["reply_to_message"] = original.clone();
    }
    let r = reqwest::Client::new().post(format!("{}/sendMessage", emulator.base)).json(&message).send().await;
    assert!(r.expect("the emulator answers").status().is_success());
}

/// The member presses a button of the bot's message.
async fn member_presses(emulator: &TelegramEmulator, message: &Value, data: &str) {
    let body = json!({
        "botToken": BOT, "from": { "id": ANNA, "first_name": "Анна", "is_bot": false },
        "message": message, "data": data,
    });
    let r = reqwest::Client::new().post(format!("{}/sendCallback", emulator.base)).json(&body).send().await;
    assert!(r.expect("the emulator answers").status().is_success());
}

/// Waits up to 10 s for a bot message to the member that `pick` accepts; the message as the
/// member's Telegram holds it (with its id and chat).
async fn bot_says(emulator: &TelegramEmulator, pick: impl Fn(&Value) -> bool) -> Value {
    let mut seen = Vec::new();
    for _ in 0..100 {
        for update in emulator.bot_messages(BOT, ANNA).await {
            let mut message = update["message"].clone();
            message["message_id"] = update["messageId"].clone();
            message["chat"] = json!({ "id": ANNA, "type": "private" });
            seen.push(message);
        }
        if let Some(found) = seen.iter().find(|m| pick(m)) {
            return found.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the bot did not say it within 10 s; it said: {seen:?}");
}

fn text_has(needle: &'static str) -> impl Fn(&Value) -> bool {
    move |m| m["text"].as_str().is_some_and(|t| t.contains(needle))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_links_telegram_gets_a_new_request_answers_and_takes_it() {
    let emulator = TelegramEmulator::start().await;
    let data = tempfile::tempdir().unwrap();
    let runner = Runner::start_with(data.path(), &[("BESEDA_TELEGRAM_API", &emulator.base)]).await;
    let (email, password) = runner.first_login();
    let session = runner.login(&email, &password).await;
    let me = Cabinet {
        http: reqwest::Client::new(),
        base: runner.base.clone(),
        token: session["token"].as_str().expect("a session").to_owned(),
        user_id: session["user"]["id"].as_str().expect("a user").to_owned(),
    };
    me.ok(reqwest::Method::PATCH, &format!("members/{}", me.user_id), json!({ "accesses": ["operator"] })).await;
    me.ok(reqwest::Method::PUT, "presence", json!({ "online": true })).await;

    // Настройки → Уведомления: the team bot's token; Telegram's getMe names the bot.
    let (status, refused) = me.call(reqwest::Method::PUT, "teambot", json!({ "token": "no token" })).await;
    assert_eq!((status.as_u16(), refused["error"]["field"].as_str()), (422, Some("token")), "{refused}");
    let bot = me.ok(reqwest::Method::PUT, "teambot", json!({ "token": BOT })).await["bot"].clone();
    assert_eq!(bot["username"], "TestNameBot");
    assert_eq!(bot["webhook_registered"], true);
    assert_ne!(bot["token"], BOT, "the token is never returned in full");
    assert!(bot["webhook_url"].as_str().unwrap().starts_with(&format!("{}/webhooks/teambot/", runner.base)));

    // Only Telegram, with the secret it was given, reaches the bot's webhook.
    let forged = json!({ "update_id": 1, "message": { "chat": { "id": ANNA, "type": "private" }, "text": "/stop" } });
    let hook = bot["webhook_url"].as_str().unwrap();
    let r = reqwest::Client::new().post(hook).json(&forged).send().await.unwrap();
    assert_eq!(r.status(), 401, "no secret header, nothing handled");
    let r = reqwest::Client::new().post(hook).header("x-telegram-bot-api-secret-token", "guess").json(&forged).send();
    assert_eq!(r.await.unwrap().status(), 401);
    let unknown = format!("{}/webhooks/teambot/nothing", runner.base);
    let r = reqwest::Client::new().post(unknown).json(&forged).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "teambot_not_found");

    // Профиль → Telegram: a one-time link to the bot; opening it sends `/start <code>`.
    let link = me.ok(reqwest::Method::POST, "me/telegram/link", Value::Null).await;
    let url = link["url"].as_str().unwrap();
    let code = url.strip_prefix("https://t.me/TestNameBot?start=").expect("a t.me start link");
    member_writes(&emulator, &format!("/start {code}"), None).await;
    bot_says(&emulator, text_has("Готово")).await;
    let mine = me.ok(reqwest::Method::GET, "me/telegram", Value::Null).await;
    assert_eq!((mine["linked"].as_bool(), mine["groups"]["requests"].as_bool()), (Some(true), Some(true)), "{mine}");
    member_writes(&emulator, &format!("/start {code}"), None).await;
    bot_says(&emulator, text_has("Ссылка устарела")).await;

    // A visitor writes in the widget: the notification comes to Telegram with the buttons.
    let http = reqwest::Client::new();
    let vtoken = runner.visitor().await;
    let sent = http
        .post(format!("{}/widget/v1/projects/demo/messages", runner.base))
        .header("origin", &runner.base)
        .bearer_auth(&vtoken)
        .json(&json!({ "text": "Здравствуйте! Есть доставка в субботу?", "client_id": "tb-1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
    let note = bot_says(&emulator, text_has("Есть доставка в субботу?")).await;
    assert!(note["text"].as_str().unwrap().contains("Новое обращение — чат на сайте"), "{note}");
    let buttons = &note["reply_markup"]["inline_keyboard"][0];
    assert_eq!((buttons[0]["text"].as_str(), buttons[1]["text"].as_str()), (Some("Ответить"), Some("Взять диалог")));
    let dialog = buttons[0]["callback_data"].as_str().unwrap().strip_prefix("reply:").unwrap().to_owned();

    // The member replies to the notification in Telegram: the answer is theirs in the dialog
    // and reaches the visitor's widget.
    member_writes(&emulator, "Да, доставляем и в субботу", Some(&note)).await;
    bot_says(&emulator, text_has("Ответ отправлен")).await;
    let opened = me.ok(reqwest::Method::GET, &format!("dialogs/{dialog}"), Value::Null).await;
    let answer = opened["messages"].as_array().unwrap().iter().find(|m| m["text"] == "Да, доставляем и в субботу");
    assert_eq!(answer.expect("the reply is in the dialog")["from"], "operator", "{opened}");
    let widget: Value = http
        .get(format!("{}/widget/v1/projects/demo/messages", runner.base))
        .header("origin", &runner.base)
        .bearer_auth(&vtoken)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(widget.to_string().contains("Да, доставляем и в субботу"), "the visitor's widget has it: {widget}");

    // «Взять диалог» assigns it to the member.
    member_presses(&emulator, &note, &format!("take:{dialog}")).await;
    bot_says(&emulator, text_has("Диалог теперь ваш")).await;
    let opened = me.ok(reqwest::Method::GET, &format!("dialogs/{dialog}"), Value::Null).await;
    assert_eq!(opened["dialog"]["assignee"], me.user_id.as_str());

    // Without the operator access the bot refuses, politely.
    me.ok(reqwest::Method::PATCH, &format!("members/{}", me.user_id), json!({ "accesses": ["settings"] })).await;
    member_presses(&emulator, &note, &format!("reply:{dialog}")).await;
    bot_says(&emulator, text_has("«Оператор»")).await;

    // /stop unlinks.
    member_writes(&emulator, "/stop", None).await;
    bot_says(&emulator, text_has("больше не приходят")).await;
    let mine = me.ok(reqwest::Method::GET, "me/telegram", Value::Null).await;
    assert_eq!(mine["linked"], false);
}
