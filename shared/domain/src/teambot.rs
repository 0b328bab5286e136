//! The team's Telegram bot (PRODUCT.md §4, §12): one bot per project, apart from the
//! customers' Telegram channel. Its token is sealed like a channel's, checked by `getMe`, and
//! its webhook is set to its own route with a generated secret. Each member links their own
//! Telegram by a one-time `/start <code>` link from their Profile and chooses which groups also
//! come there; `/stop` or the Profile unlinks. Group 2 notifications arrive with «Ответить» and
//! «Взять диалог»: a reply to a notification (or the next message after «Ответить») goes into
//! the dialog as that member's operator reply, through the same path as a reply from Диалоги.

use crate::access::{Action, allows};
use crate::accounts::{self, Language};
use crate::dialogs;
use crate::keyring::secret_key;
use crate::notify::{CustomerEvent, Group, Groups};
use crate::secrets::{self, SecretKey};
use crate::{App, Error, Result, keys, projects};
use async_trait::async_trait;
use beseda_channels::{Credentials, SendError};
use beseda_ports::StoreError;
use beseda_ports::table::{Condition, Item, Query, Write};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// The Bot API as the team bot calls it: a method with its parameters, answering its `result`.
#[async_trait]
pub trait BotApi: Send + Sync {
    async fn call(&self, token: &str, method: &str, params: Value) -> std::result::Result<Value, SendError>;
}

/// The customers' Telegram client serves the team bot too.
#[async_trait]
impl BotApi for beseda_channels::Telegram {
    async fn call(&self, token: &str, method: &str, params: Value) -> std::result::Result<Value, SendError> {
        let creds = Credentials([(beseda_channels::telegram::TOKEN.to_owned(), token.to_owned())].into());
        self.method(&creds, method, params).await
    }
}

/// The index partition prefix a team bot's webhook URL resolves through.
const ROUTE_KIND: &str = "teambot";
/// How long a start link works.
pub const CODE_SECS: i64 = 15 * 60;
/// How long a pressed «Ответить» waits for the member's next message.
const PENDING_SECS: i64 = 30 * 60;
/// How long a notification can be answered by replying to it.
const MESSAGE_SECS: i64 = 7 * 86_400;
/// How long an update id is remembered (Telegram retries a webhook for about a day).
const UPDATE_SECS: i64 = 2 * 86_400;

/// The bot as stored: its token and webhook secret sealed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    id: String,
    username: String,
    token: String,
    secret: String,
    webhook_registered: bool,
    connected_at: DateTime<Utc>,
}

/// The bot as the cabinet sees it: the token masked.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BotView {
    /// The bot's @username, from `getMe`.
    pub username: String,
    /// Masked like `12…xY`.
    pub token: String,
    pub webhook_url: String,
    pub webhook_registered: bool,
    pub connected_at: DateTime<Utc>,
    /// How many members have linked their Telegram.
    pub linked_members: usize,
}

/// A member's linked Telegram chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Link {
    user_id: String,
    chat_id: String,
    /// The Telegram name, as the member shows it there.
    name: Option<String>,
    groups: Groups,
    linked_at: DateTime<Utc>,
}

/// A member's own Telegram as the Profile shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MyTelegram {
    /// The project's bot, None when the project has none.
    pub bot_username: Option<String>,
    pub linked: bool,
    /// The linked Telegram account's name.
    pub telegram_name: Option<String>,
    pub linked_at: Option<DateTime<Utc>>,
    /// The groups that also come to Telegram.
    pub groups: Groups,
}

/// A one-time link to the bot that links the caller's Telegram.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StartLink {
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

fn webhook_url(app: &App, id: &str) -> String {
    format!("{}/webhooks/teambot/{id}", app.settings.public_url)
}

async fn load(app: &App, project_id: &str) -> Result<Option<Record>> {
    let (pk, sk) = keys::teambot(project_id);
    Ok(app.ports.table.get(&pk, &sk).await?.map(|i| i.decode()).transpose()?)
}

async fn links(app: &App, project_id: &str) -> Result<Vec<Link>> {
    let q = Query::partition(keys::project(project_id)).prefix(keys::TEAMBOT_LINK_PREFIX).limit(500);
    let page = app.ports.table.query(q).await?;
    page.items.iter().map(|i| i.decode().map_err(Error::from)).collect()
}

fn view(app: &App, r: &Record, key: &SecretKey, linked_members: usize) -> BotView {
    BotView {
        username: r.username.clone(),
        token: key.open(&r.token).map_or_else(|| "…".to_owned(), |t| secrets::mask(&t)),
        webhook_url: webhook_url(app, &r.id),
        webhook_registered: r.webhook_registered,
        connected_at: r.connected_at,
        linked_members,
    }
}

/// The project's bot, None when it has none.
pub async fn get(app: &App, project_id: &str) -> Result<Option<BotView>> {
    let Some(r) = load(app, project_id).await? else { return Ok(None) };
    Ok(Some(view(app, &r, secret_key(app).await?, links(app, project_id).await?.len())))
}

/// Connects the project's bot: the token is checked with `getMe` (a refusal answers 422 on
/// `token`), the webhook set to the bot's own route with a generated secret, and the token
/// stored sealed. A new token replaces the old bot; the members' links stay.
pub async fn connect(app: &App, api: &dyn BotApi, project_id: &str, token: &str) -> Result<BotView> {
    let key = secret_key(app).await?;
    let token = token.trim();
    let well_formed = token.split_once(':').is_some_and(|(id, rest)| {
        !id.is_empty()
            && id.chars().all(|c| c.is_ascii_digit())
            && !rest.is_empty()
            && !rest.contains(char::is_whitespace)
    });
    if !well_formed {
        return Err(Error::invalid(
            "token",
            "bot_token_format",
            "Токен бота выглядит как 123456:ABC-DEF… (его выдаёт @BotFather)",
        ));
    }
    let me = api
        .call(token, "getMe", json!({}))
        .await
        .map_err(|e| Error::invalid("token", "bot_token_refused", format!("Telegram не принял токен: {e}")))?;
    let username = me.get("username").and_then(Value::as_str).unwrap_or_default().to_owned();
    if username.is_empty() {
        return Err(Error::invalid("token", "bot_token_refused", "Telegram не назвал имя бота"));
    }
    let id = load(app, project_id).await?.map_or_else(secrets::new_id, |r| r.id);
    let secret = secrets::token();
    let params = json!({
        "url": webhook_url(app, &id),
        "secret_token": secret,
        "allowed_updates": ["message", "callback_query"],
    });
    api.call(token, "setWebhook", params).await.map_err(|e| {
        Error::invalid("token", "bot_webhook_refused", format!("Telegram не принял адрес вебхука: {e}"))
    })?;
    let r = Record {
        id: id.clone(),
        username,
        token: key.seal(token),
        secret: key.seal(&secret),
        webhook_registered: true,
        connected_at: app.now(),
    };
    let (pk, sk) = keys::teambot(project_id);
    let body = serde_json::to_value(&r).map_err(|e| Error::Internal(e.to_string()))?;
    let item = Item::new(pk, sk, body).with_index(keys::webhook_route(ROUTE_KIND, &id), project_id);
    app.ports.table.put(item, Condition::Always).await?;
    Ok(view(app, &r, key, links(app, project_id).await?.len()))
}

/// Whether the project has a team bot.
pub async fn exists(app: &App, project_id: &str) -> Result<bool> {
    Ok(load(app, project_id).await?.is_some())
}

/// Disconnects the project's bot (its webhook removed where Telegram allows it).
pub async fn disconnect(app: &App, api: &dyn BotApi, project_id: &str) -> Result<()> {
    let Some(r) = load(app, project_id).await? else { return Err(Error::NotFound("teambot")) };
    if let Some(token) = secret_key(app).await?.open(&r.token)
        && let Err(e) = api.call(&token, "deleteWebhook", json!({})).await
    {
        tracing::warn!(project_id, error = %e, "could not remove the team bot's webhook");
    }
    let (pk, sk) = keys::teambot(project_id);
    app.ports.table.delete(&pk, &sk, Condition::Always).await?;
    Ok(())
}

/// The team bot a webhook URL names, with its token and secret opened.
pub struct Resolved {
    pub project_id: String,
    pub username: String,
    pub token: String,
    pub secret: String,
}

/// The bot whose webhook route is `id`; Error::NotFound when there is none.
pub async fn resolve(app: &App, id: &str) -> Result<Resolved> {
    let page = app.ports.table.query(Query::index(keys::webhook_route(ROUTE_KIND, id)).limit(1)).await?;
    let item = page.items.first().ok_or(Error::NotFound("teambot"))?;
    let project_id = item.gsi1.as_ref().map(|i| i.sk.clone()).ok_or(Error::NotFound("teambot"))?;
    let r = load(app, &project_id).await?.filter(|r| r.id == id).ok_or(Error::NotFound("teambot"))?;
    let key = secret_key(app).await?;
    let open =
        |sealed: &str| key.open(sealed).ok_or_else(|| Error::Internal("the team bot's secret does not decrypt".into()));
    Ok(Resolved { project_id, username: r.username.clone(), token: open(&r.token)?, secret: open(&r.secret)? })
}

async fn link_of(app: &App, project_id: &str, user_id: &str) -> Result<Option<Link>> {
    let (pk, sk) = keys::teambot_link(project_id, user_id);
    Ok(app.ports.table.get(&pk, &sk).await?.map(|i| i.decode()).transpose()?)
}

/// The caller's Telegram in a project.
pub async fn mine(app: &App, project_id: &str, user_id: &str) -> Result<MyTelegram> {
    let bot = load(app, project_id).await?;
    let link = link_of(app, project_id, user_id).await?;
    Ok(MyTelegram {
        bot_username: bot.map(|b| b.username),
        linked: link.is_some(),
        telegram_name: link.as_ref().and_then(|l| l.name.clone()),
        linked_at: link.as_ref().map(|l| l.linked_at),
        groups: link.map_or_else(Groups::member_default, |l| l.groups),
    })
}

#[derive(Serialize, Deserialize)]
struct Code {
    project_id: String,
    user_id: String,
    expires_at: i64,
}

/// A one-time start link for the caller: `https://t.me/<bot>?start=<code>`, working for
/// [`CODE_SECS`]; only the code's hash is stored.
pub async fn start_link(app: &App, project_id: &str, user_id: &str) -> Result<StartLink> {
    let bot = load(app, project_id)
        .await?
        .ok_or_else(|| Error::conflict("teambot_missing", "Бот команды ещё не подключён в настройках уведомлений"))?;
    let code = secrets::token();
    let expires_at = app.now().timestamp() + CODE_SECS;
    let (pk, sk) = keys::teambot_code(&secrets::token_hash(&code));
    let body = json!(Code { project_id: project_id.into(), user_id: user_id.into(), expires_at });
    app.ports.table.put(Item::new(pk, sk, body).expiring_at(expires_at), Condition::NotExists).await?;
    Ok(StartLink {
        url: format!("https://t.me/{}?start={code}", bot.username),
        expires_at: DateTime::from_timestamp(expires_at, 0).unwrap_or_else(|| app.now()),
    })
}

/// Which groups also come to the caller's Telegram.
pub async fn set_groups(app: &App, project_id: &str, user_id: &str, groups: Groups) -> Result<MyTelegram> {
    let (pk, sk) = keys::teambot_link(project_id, user_id);
    let item = app.ports.table.get(&pk, &sk).await?.ok_or(Error::NotFound("telegram_link"))?;
    let mut link: Link = item.decode()?;
    link.groups = groups;
    let body = serde_json::to_value(&link).map_err(|e| Error::Internal(e.to_string()))?;
    app.ports.table.put(Item::new(pk, sk, body), Condition::Version(item.version)).await?;
    mine(app, project_id, user_id).await
}

/// Unlinks the caller's Telegram; false when it was not linked.
pub async fn unlink(app: &App, project_id: &str, user_id: &str) -> Result<bool> {
    let Some(link) = link_of(app, project_id, user_id).await? else { return Ok(false) };
    let (lpk, lsk) = keys::teambot_link(project_id, user_id);
    let (cpk, csk) = keys::teambot_chat(project_id, &link.chat_id);
    app.ports
        .table
        .transact(vec![
            Write::Delete { pk: lpk, sk: lsk, condition: Condition::Always },
            Write::Delete { pk: cpk, sk: csk, condition: Condition::Always },
        ])
        .await?;
    Ok(true)
}

/// What the bot says, in the member's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Say {
    Linked,
    LinkExpired,
    Hello,
    NotLinked,
    Unlinked,
    NotAnOperator,
    WriteYourAnswer,
    Answered,
    Taken,
    DialogClosed,
    NoDialog,
    NotSent,
    WhatToAnswer,
}

/// The bot's words (pure, tested): `project` is the project's name.
pub fn say(what: Say, language: Language, project: &str) -> String {
    let ru = language == Language::Ru;
    match (what, ru) {
        (Say::Linked, true) => {
            format!("Готово: уведомления проекта «{project}» будут приходить сюда. Отключить — /stop.")
        }
        (Say::Linked, false) => {
            format!("Done: notifications of the project “{project}” will come here. To stop them, /stop.")
        }
        (Say::LinkExpired, true) => {
            "Ссылка устарела или уже использована. Получите новую в профиле кабинета Беседы.".into()
        }
        (Say::LinkExpired, false) => "The link has expired or was used. Get a new one in your Beseda profile.".into(),
        (Say::Hello, true) => {
            "Это бот команды в Беседе. Чтобы получать уведомления, откройте ссылку из профиля кабинета.".into()
        }
        (Say::Hello, false) => {
            "This is the team's bot in Beseda. To get notifications, open the link from your cabinet profile.".into()
        }
        (Say::NotLinked, true) => {
            "Этот Telegram не привязан к сотруднику. Откройте ссылку из профиля кабинета Беседы.".into()
        }
        (Say::NotLinked, false) => {
            "This Telegram is not linked to a team member. Open the link from your Beseda profile.".into()
        }
        (Say::Unlinked, true) => format!("Уведомления проекта «{project}» сюда больше не приходят."),
        (Say::Unlinked, false) => format!("Notifications of the project “{project}” no longer come here."),
        (Say::NotAnOperator, true) => {
            "Извините, отвечать клиентам может только сотрудник с доступом «Оператор» в этом проекте.".into()
        }
        (Say::NotAnOperator, false) => {
            "Sorry, only a team member with the Operator access in this project can answer customers.".into()
        }
        (Say::WriteYourAnswer, true) => "Напишите ответ клиенту следующим сообщением.".into(),
        (Say::WriteYourAnswer, false) => "Write your answer to the customer in your next message.".into(),
        (Say::Answered, true) => "Ответ отправлен клиенту.".into(),
        (Say::Answered, false) => "Your answer was sent to the customer.".into(),
        (Say::Taken, true) => "Диалог теперь ваш.".into(),
        (Say::Taken, false) => "The dialog is yours now.".into(),
        (Say::DialogClosed, true) => "Диалог уже закрыт.".into(),
        (Say::DialogClosed, false) => "The dialog is already closed.".into(),
        (Say::NoDialog, true) => "Такого диалога нет.".into(),
        (Say::NoDialog, false) => "There is no such dialog.".into(),
        (Say::NotSent, true) => "Ответ не отправлен: он пустой или длиннее, чем можно.".into(),
        (Say::NotSent, false) => "The answer was not sent: it is empty or too long.".into(),
        (Say::WhatToAnswer, true) => {
            "Чтобы ответить клиенту, ответьте на его уведомление или нажмите «Ответить».".into()
        }
        (Say::WhatToAnswer, false) => "To answer a customer, reply to their notification or press “Answer”.".into(),
    }
}

/// A group 2 notification as the bot sends it (pure, tested): the event, the dialog's source
/// and name, the customer's words, and the two buttons.
pub fn notification(
    event: CustomerEvent,
    language: Language,
    m: &crate::notify::CustomerMail,
    dialog_id: &str,
) -> (String, Value) {
    let ru = language == Language::Ru;
    let source = crate::notify::source_name(m.source, language);
    let head = match (event, ru) {
        (CustomerEvent::NewDialog, true) => format!("Новое обращение — {source}"),
        (CustomerEvent::NewDialog, false) => format!("New request — {source}"),
        (CustomerEvent::Unanswered, true) => format!("Клиент ждёт ответа {} мин. — {source}", m.minutes),
        (CustomerEvent::Unanswered, false) => format!("A customer has waited {} min. — {source}", m.minutes),
    };
    let who = m.customer.unwrap_or(if ru { "Клиент" } else { "Customer" });
    let text = format!("{head}\n{} · {who}\n\n{}", m.project_name, m.text);
    let (answer, take) =
        if ru { ("Ответить", "Взять диалог") } else { ("Answer", "Take the dialog") };
    let keyboard = json!({ "inline_keyboard": [[
        { "text": answer, "callback_data": format!("reply:{dialog_id}") },
        { "text": take, "callback_data": format!("take:{dialog_id}") },
    ]] });
    (text, keyboard)
}

/// Sends a group 2 notification to every linked member with the group on for Telegram. Best
/// effort: a chat that cannot be reached is logged, the mails have gone anyway.
pub async fn notify_customer(
    app: &App,
    api: &dyn BotApi,
    project_id: &str,
    dialog_id: &str,
    event: CustomerEvent,
    mail: &crate::notify::CustomerMail<'_>,
) -> Result<()> {
    send_answerable(
        app,
        api,
        project_id,
        dialog_id,
        |link, _| link.groups.requests,
        |language| notification(event, language, mail, dialog_id),
    )
    .await
}

/// The no-reply alert (§12) as the bot sends it (pure, tested): a group 2 «waiting»
/// notification with the link that opens the dialog.
pub fn alert(language: Language, m: &crate::notify::CustomerMail, dialog_id: &str) -> (String, Value) {
    let (text, keyboard) = notification(CustomerEvent::Unanswered, language, m, dialog_id);
    (format!("{text}\n\n{}", m.link), keyboard)
}

/// Alerts every linked administrator of the project that a customer is still waiting (the
/// no-reply chain of §12), whatever groups they chose. Best effort, like [`notify_customer`].
pub async fn alert_admins(
    app: &App,
    api: &dyn BotApi,
    project_id: &str,
    dialog_id: &str,
    mail: &crate::notify::CustomerMail<'_>,
) -> Result<()> {
    send_answerable(app, api, project_id, dialog_id, |_, m| m.is_admin(), |language| alert(language, mail, dialog_id))
        .await
}

/// Sends the members whose link and membership pass `to` a message about a dialog that they
/// can answer by replying to it.
async fn send_answerable(
    app: &App,
    api: &dyn BotApi,
    project_id: &str,
    dialog_id: &str,
    to: impl Fn(&Link, &projects::Membership) -> bool,
    message: impl Fn(Language) -> (String, Value),
) -> Result<()> {
    let Some(bot) = load(app, project_id).await? else { return Ok(()) };
    let Some(token) = secret_key(app).await?.open(&bot.token) else { return Ok(()) };
    for link in links(app, project_id).await? {
        let Some((member, _)) = projects::membership(app, project_id, &link.user_id).await? else { continue };
        if !to(&link, &member) {
            continue;
        }
        let language = accounts::get_profile(app, &link.user_id).await.map(|p| p.language).unwrap_or_default();
        let (text, keyboard) = message(language);
        let params = json!({ "chat_id": chat_value(&link.chat_id), "text": text, "reply_markup": keyboard });
        match api.call(&token, "sendMessage", params).await {
            Ok(sent) => {
                let Some(message_id) = sent.get("message_id").and_then(Value::as_i64) else { continue };
                let (pk, sk) = keys::teambot_message(project_id, &link.chat_id, &message_id.to_string());
                let item = Item::new(pk, sk, json!({ "dialog_id": dialog_id }))
                    .expiring_at(app.now().timestamp() + MESSAGE_SECS);
                app.ports.table.put(item, Condition::Always).await?;
            }
            Err(e) => tracing::warn!(project_id, error = %e, "the team bot could not notify a member"),
        }
    }
    Ok(())
}

/// Sends a service notification of a group (a tariff's news, the statistics) to every linked
/// member who chose the group for Telegram. Best effort, like [`notify_customer`].
pub async fn notify_group(
    app: &App,
    api: &dyn BotApi,
    project_id: &str,
    group: Group,
    text: impl Fn(Language) -> String,
) -> Result<()> {
    let Some(bot) = load(app, project_id).await? else { return Ok(()) };
    let Some(token) = secret_key(app).await?.open(&bot.token) else { return Ok(()) };
    for link in links(app, project_id).await?.into_iter().filter(|l| l.groups.has(group)) {
        if projects::membership(app, project_id, &link.user_id).await?.is_none() {
            continue;
        }
        let language = accounts::get_profile(app, &link.user_id).await.map(|p| p.language).unwrap_or_default();
        let params = json!({ "chat_id": chat_value(&link.chat_id), "text": text(language) });
        if let Err(e) = api.call(&token, "sendMessage", params).await {
            tracing::warn!(project_id, error = %e, "the team bot could not notify a member");
        }
    }
    Ok(())
}

fn chat_value(chat_id: &str) -> Value {
    chat_id.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(chat_id))
}

/// An update of the team bot, as far as it matters here.
#[derive(Debug, Deserialize)]
pub struct Update {
    pub update_id: i64,
    message: Option<TgMessage>,
    callback_query: Option<Callback>,
}

#[derive(Debug, Deserialize)]
struct TgMessage {
    chat: TgChat,
    from: Option<TgUser>,
    text: Option<String>,
    reply_to_message: Option<Replied>,
}

/// The message a message replies to: only its id matters.
#[derive(Debug, Deserialize)]
struct Replied {
    message_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct TgChat {
    id: i64,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
struct TgUser {
    first_name: Option<String>,
    last_name: Option<String>,
    username: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Callback {
    id: String,
    message: Option<TgMessage>,
    data: Option<String>,
}

/// What an update asks for (pure, tested).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/start <code>`; an empty code greets.
    Start {
        chat_id: String,
        code: String,
        name: Option<String>,
    },
    Stop {
        chat_id: String,
    },
    /// A message: `reply_to` is the bot's message it replies to.
    Text {
        chat_id: String,
        text: String,
        reply_to: Option<String>,
    },
    /// «Ответить» pressed.
    Answer {
        chat_id: String,
        callback_id: String,
        dialog_id: String,
    },
    /// «Взять диалог» pressed.
    Take {
        chat_id: String,
        callback_id: String,
        dialog_id: String,
    },
    /// Anything else (a group chat, a sticker, an unknown button).
    Ignore,
}

/// Reads an update: private chats only.
pub fn command(update: Update) -> Command {
    if let Some(c) = update.callback_query {
        let Some(chat) = c.message.as_ref().map(|m| m.chat.id.to_string()) else { return Command::Ignore };
        let data = c.data.unwrap_or_default();
        return match data.split_once(':') {
            Some(("reply", d)) if !d.is_empty() => {
                Command::Answer { chat_id: chat, callback_id: c.id, dialog_id: d.to_owned() }
            }
            Some(("take", d)) if !d.is_empty() => {
                Command::Take { chat_id: chat, callback_id: c.id, dialog_id: d.to_owned() }
            }
            _ => Command::Ignore,
        };
    }
    let Some(m) = update.message else { return Command::Ignore };
    if m.chat.kind.as_deref().is_some_and(|k| k != "private") {
        return Command::Ignore;
    }
    let chat_id = m.chat.id.to_string();
    let Some(text) = m.text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) else { return Command::Ignore };
    let word = text.split_whitespace().next().unwrap_or_default();
    let command = word.split('@').next().unwrap_or_default();
    match command {
        "/start" => {
            let name = m.from.map(|u| {
                let full = [u.first_name, u.last_name].into_iter().flatten().collect::<Vec<_>>().join(" ");
                if full.is_empty() { u.username.unwrap_or_default() } else { full }
            });
            let code = text[word.len()..].trim().to_owned();
            Command::Start { chat_id, code, name: name.filter(|n| !n.is_empty()) }
        }
        "/stop" => Command::Stop { chat_id },
        _ => Command::Text {
            chat_id,
            text,
            reply_to: m.reply_to_message.and_then(|r| r.message_id).map(|id| id.to_string()),
        },
    }
}

/// Handles a verified update once: its `update_id` is claimed first (a repeat does nothing),
/// and the claim is given back if handling fails, so Telegram's retry handles it.
pub async fn handle(app: &App, api: &dyn BotApi, bot: &Resolved, update: Update) -> Result<()> {
    let (pk, sk) = keys::teambot_update(&bot.project_id, update.update_id);
    let claim = Item::new(pk.clone(), sk.clone(), json!({})).expiring_at(app.now().timestamp() + UPDATE_SECS);
    match app.ports.table.put(claim, Condition::NotExists).await {
        Ok(_) => {}
        Err(StoreError::ConditionFailed) => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    let update_id = update.update_id;
    if let Err(e) = act(app, api, bot, command(update), update_id).await {
        app.ports.table.delete(&pk, &sk, Condition::Always).await?;
        return Err(e);
    }
    Ok(())
}

/// The member a chat is linked to, with their language.
async fn member_of(app: &App, project_id: &str, chat_id: &str) -> Result<Option<(String, Language)>> {
    let (pk, sk) = keys::teambot_chat(project_id, chat_id);
    let Some(item) = app.ports.table.get(&pk, &sk).await? else { return Ok(None) };
    let user_id = item.body["user_id"].as_str().unwrap_or_default().to_owned();
    let language = accounts::get_profile(app, &user_id).await.map(|p| p.language).unwrap_or_default();
    Ok(Some((user_id, language)))
}

async fn act(app: &App, api: &dyn BotApi, bot: &Resolved, cmd: Command, update_id: i64) -> Result<()> {
    let project_id = bot.project_id.as_str();
    let (project, _) = projects::get(app, project_id).await?;
    let tell = |chat_id: String, text: String| async move {
        if let Err(e) =
            api.call(&bot.token, "sendMessage", json!({ "chat_id": chat_value(&chat_id), "text": text })).await
        {
            tracing::warn!(project_id, error = %e, "the team bot could not answer");
        }
    };
    let ack = |callback_id: String| async move {
        if let Err(e) = api.call(&bot.token, "answerCallbackQuery", json!({ "callback_query_id": callback_id })).await {
            tracing::warn!(project_id, error = %e, "the team bot could not answer a button");
        }
    };
    match cmd {
        Command::Ignore => {}
        Command::Start { chat_id, code, name } => {
            if code.is_empty() {
                let language = member_of(app, project_id, &chat_id).await?.map(|(_, l)| l).unwrap_or_default();
                tell(chat_id, say(Say::Hello, language, &project.name)).await;
                return Ok(());
            }
            match redeem(app, project_id, &code).await? {
                Some(user_id) => {
                    link(app, project_id, &user_id, &chat_id, name).await?;
                    let language = accounts::get_profile(app, &user_id).await.map(|p| p.language).unwrap_or_default();
                    tell(chat_id, say(Say::Linked, language, &project.name)).await;
                }
                None => tell(chat_id, say(Say::LinkExpired, Language::default(), &project.name)).await,
            }
        }
        Command::Stop { chat_id } => match member_of(app, project_id, &chat_id).await? {
            Some((user_id, language)) => {
                unlink(app, project_id, &user_id).await?;
                tell(chat_id, say(Say::Unlinked, language, &project.name)).await;
            }
            None => tell(chat_id, say(Say::NotLinked, Language::default(), &project.name)).await,
        },
        Command::Answer { chat_id, callback_id, dialog_id } => {
            ack(callback_id).await;
            let Some((user_id, language)) = member_of(app, project_id, &chat_id).await? else {
                return Ok(tell(chat_id, say(Say::NotLinked, Language::default(), &project.name)).await);
            };
            if !is_operator(app, project_id, &user_id).await? {
                return Ok(tell(chat_id, say(Say::NotAnOperator, language, &project.name)).await);
            }
            let (pk, sk) = keys::teambot_pending(project_id, &chat_id);
            let item =
                Item::new(pk, sk, json!({ "dialog_id": dialog_id })).expiring_at(app.now().timestamp() + PENDING_SECS);
            app.ports.table.put(item, Condition::Always).await?;
            tell(chat_id, say(Say::WriteYourAnswer, language, &project.name)).await;
        }
        Command::Take { chat_id, callback_id, dialog_id } => {
            ack(callback_id).await;
            let Some((user_id, language)) = member_of(app, project_id, &chat_id).await? else {
                return Ok(tell(chat_id, say(Say::NotLinked, Language::default(), &project.name)).await);
            };
            if !is_operator(app, project_id, &user_id).await? {
                return Ok(tell(chat_id, say(Say::NotAnOperator, language, &project.name)).await);
            }
            let said = match dialogs::take(app, project_id, &dialog_id, &user_id).await {
                Ok(_) => Say::Taken,
                Err(Error::Conflict { code: "dialog_closed", .. }) => Say::DialogClosed,
                Err(Error::NotFound(_)) => Say::NoDialog,
                Err(e) => return Err(e),
            };
            tell(chat_id, say(said, language, &project.name)).await;
        }
        Command::Text { chat_id, text, reply_to } => {
            let Some((user_id, language)) = member_of(app, project_id, &chat_id).await? else {
                return Ok(tell(chat_id, say(Say::NotLinked, Language::default(), &project.name)).await);
            };
            let Some(dialog_id) = answered_dialog(app, project_id, &chat_id, reply_to.as_deref()).await? else {
                return Ok(tell(chat_id, say(Say::WhatToAnswer, language, &project.name)).await);
            };
            if !is_operator(app, project_id, &user_id).await? {
                return Ok(tell(chat_id, say(Say::NotAnOperator, language, &project.name)).await);
            }
            let operator = accounts::get_profile(app, &user_id).await?;
            let client_id = format!("tg-{update_id}");
            let said = match dialogs::reply(app, project_id, &dialog_id, &operator, &text, &client_id).await {
                Ok(_) => Say::Answered,
                Err(Error::Conflict { code: "dialog_closed", .. }) => Say::DialogClosed,
                Err(Error::NotFound(_)) => Say::NoDialog,
                Err(Error::Invalid { .. }) => Say::NotSent,
                Err(e) => return Err(e),
            };
            let (pk, sk) = keys::teambot_pending(project_id, &chat_id);
            app.ports.table.delete(&pk, &sk, Condition::Always).await?;
            tell(chat_id, say(said, language, &project.name)).await;
        }
    }
    Ok(())
}

async fn is_operator(app: &App, project_id: &str, user_id: &str) -> Result<bool> {
    Ok(projects::membership(app, project_id, user_id)
        .await?
        .is_some_and(|(m, _)| allows(&m.accesses, Action::AnswerDialogs)))
}

/// The dialog a member's message answers: the notification it replies to, or the last
/// «Ответить» pressed.
async fn answered_dialog(app: &App, project_id: &str, chat_id: &str, reply_to: Option<&str>) -> Result<Option<String>> {
    let dialog_of = |item: Option<Item>| item.and_then(|i| i.body["dialog_id"].as_str().map(str::to_owned));
    if let Some(message_id) = reply_to {
        let (pk, sk) = keys::teambot_message(project_id, chat_id, message_id);
        if let Some(d) = dialog_of(app.ports.table.get(&pk, &sk).await?) {
            return Ok(Some(d));
        }
    }
    let (pk, sk) = keys::teambot_pending(project_id, chat_id);
    Ok(dialog_of(app.ports.table.get(&pk, &sk).await?))
}

/// Uses a start code once: the member it was made for, None when it is unknown, used,
/// expired or of another project.
async fn redeem(app: &App, project_id: &str, code: &str) -> Result<Option<String>> {
    let (pk, sk) = keys::teambot_code(&secrets::token_hash(code));
    let Some(item) = app.ports.table.get(&pk, &sk).await? else { return Ok(None) };
    match app.ports.table.delete(&pk, &sk, Condition::Version(item.version)).await {
        Ok(()) => {}
        Err(StoreError::ConditionFailed) => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let c: Code = item.decode()?;
    let fresh = c.expires_at > app.now().timestamp() && c.project_id == project_id;
    let member = projects::membership(app, project_id, &c.user_id).await?.is_some();
    Ok((fresh && member).then_some(c.user_id))
}

/// Links a chat to a member: a chat is one member's, and a member has one chat; an earlier
/// link of either is replaced.
async fn link(app: &App, project_id: &str, user_id: &str, chat_id: &str, name: Option<String>) -> Result<()> {
    if let Some((other, _)) = member_of(app, project_id, chat_id).await? {
        unlink(app, project_id, &other).await?;
    }
    let groups = link_of(app, project_id, user_id).await?.map_or_else(Groups::member_default, |l| l.groups);
    unlink(app, project_id, user_id).await?;
    let link = Link { user_id: user_id.into(), chat_id: chat_id.into(), name, groups, linked_at: app.now() };
    let (lpk, lsk) = keys::teambot_link(project_id, user_id);
    let (cpk, csk) = keys::teambot_chat(project_id, chat_id);
    let body = serde_json::to_value(&link).map_err(|e| Error::Internal(e.to_string()))?;
    app.ports
        .table
        .transact(vec![
            Write::Put { item: Item::new(lpk, lsk, body), condition: Condition::Always },
            Write::Put { item: Item::new(cpk, csk, json!({ "user_id": user_id })), condition: Condition::Always },
        ])
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Access;
    use crate::dialogs::tests::world;
    use crate::team::{self, NewMember};
    use std::sync::Mutex;

    /// The Bot API as Telegram answers it, recording every call.
    #[derive(Default)]
    struct FakeBot {
        calls: Mutex<Vec<(String, String, Value)>>,
    }

    impl FakeBot {
        /// The id the last `sendMessage` was answered with.
        fn last_message_id(&self) -> usize {
            let calls = self.calls.lock().unwrap();
            100 + 1 + calls.iter().rposition(|(_, m, _)| m == "sendMessage").unwrap()
        }

        fn sent(&self, method: &str) -> Vec<Value> {
            let calls = self.calls.lock().unwrap();
            calls.iter().filter(|(_, m, _)| m == method).map(|(_, _, p)| p.clone()).collect()
        }
    }

    /// Delivers the queued notification jobs, the team bot's messages through `bot`.
    async fn deliver_jobs(w: &crate::dialogs::tests::World, bot: &FakeBot) {
        let jobs = w.app.ports.queue.receive(beseda_ports::queue::NOTIFICATIONS.name, 10, std::time::Duration::ZERO);
        for job in &jobs.await.unwrap() {
            crate::notify::deliver_with_bot(&w.app, Some(bot), &job.message_id, &job.body).await.unwrap();
        }
    }

    #[async_trait]
    impl BotApi for FakeBot {
        async fn call(&self, token: &str, method: &str, params: Value) -> std::result::Result<Value, SendError> {
            let mut calls = self.calls.lock().unwrap();
            calls.push((token.to_owned(), method.to_owned(), params));
            match (token, method) {
                ("1:refused", _) => Err(SendError::Permanent { reason: "token_revoked".into() }),
                (_, "getMe") => Ok(json!({ "id": 1, "is_bot": true, "username": "team_bot" })),
                (_, "sendMessage") => Ok(json!({ "message_id": 100 + calls.len() })),
                _ => Ok(json!(true)),
            }
        }
    }

    fn update(id: i64, body: Value) -> Update {
        let mut v = body;
        v["update_id"] = id.into();
        serde_json::from_value(v).unwrap()
    }

    fn text(id: i64, chat: i64, text: &str) -> Update {
        update(
            id,
            json!({ "message": { "message_id": id, "chat": { "id": chat, "type": "private" },
            "from": { "id": chat, "first_name": "Анна" }, "text": text } }),
        )
    }

    fn button(id: i64, chat: i64, data: &str) -> Update {
        update(
            id,
            json!({ "callback_query": { "id": format!("cb{id}"), "data": data,
            "message": { "message_id": 1, "chat": { "id": chat, "type": "private" } } } }),
        )
    }

    #[test]
    fn updates_read_as_commands() {
        let start = command(text(1, 7, "/start abc"));
        assert_eq!(start, Command::Start { chat_id: "7".into(), code: "abc".into(), name: Some("Анна".into()) });
        assert!(matches!(command(text(1, 7, "/start@team_bot abc")), Command::Start { code, .. } if code == "abc"));
        assert!(matches!(command(text(1, 7, "/start")), Command::Start { code, .. } if code.is_empty()));
        assert_eq!(command(text(1, 7, "/stop")), Command::Stop { chat_id: "7".into() });
        let reply = update(
            2,
            json!({ "message": { "chat": { "id": 7, "type": "private" }, "text": "Да",
            "reply_to_message": { "message_id": 55, "chat": { "id": 7 } } } }),
        );
        assert_eq!(
            command(reply),
            Command::Text { chat_id: "7".into(), text: "Да".into(), reply_to: Some("55".into()) }
        );
        assert!(matches!(command(button(3, 7, "take:d1")), Command::Take { dialog_id, .. } if dialog_id == "d1"));
        assert!(matches!(command(button(3, 7, "reply:d1")), Command::Answer { dialog_id, .. } if dialog_id == "d1"));
        assert_eq!(command(button(3, 7, "rate:5")), Command::Ignore);
        let group = update(4, json!({ "message": { "chat": { "id": -5, "type": "group" }, "text": "/stop" } }));
        assert_eq!(command(group), Command::Ignore, "group chats are not the team's private chats");
    }

    #[test]
    fn a_notification_carries_the_source_the_name_the_words_and_two_buttons() {
        let mail = crate::notify::CustomerMail {
            project_name: "Ромашка",
            source: "vk",
            customer: Some("Пётр"),
            text: "Есть доставка?",
            link: "",
            minutes: 3,
            opens_dialog: true,
        };
        let (text, keyboard) = notification(CustomerEvent::Unanswered, Language::Ru, &mail, "d1");
        assert_eq!(text, "Клиент ждёт ответа 3 мин. — ВКонтакте\nРомашка · Пётр\n\nЕсть доставка?");
        assert_eq!(keyboard["inline_keyboard"][0][0], json!({ "text": "Ответить", "callback_data": "reply:d1" }));
        assert_eq!(keyboard["inline_keyboard"][0][1], json!({ "text": "Взять диалог", "callback_data": "take:d1" }));
        let (text, keyboard) = notification(CustomerEvent::NewDialog, Language::En, &mail, "d1");
        assert!(text.starts_with("New request — VK\n"), "{text}");
        assert_eq!(keyboard["inline_keyboard"][0][1]["text"], "Take the dialog");
    }

    #[tokio::test]
    async fn a_member_links_is_notified_answers_takes_and_unlinks() {
        let (w, _) = world().await;
        let bot = FakeBot::default();
        assert!(matches!(
            connect(&w.app, &bot, &w.project, "not a token").await,
            Err(Error::Invalid { field: "token", code: "bot_token_format", .. })
        ));
        assert!(matches!(
            connect(&w.app, &bot, &w.project, "1:refused").await,
            Err(Error::Invalid { field: "token", code: "bot_token_refused", .. })
        ));
        let v = connect(&w.app, &bot, &w.project, "123456:TEAM-secret").await.unwrap();
        assert_eq!((v.username.as_str(), v.token.as_str()), ("team_bot", "12…et"));
        let hook = &bot.sent("setWebhook")[0];
        assert_eq!(hook["url"], v.webhook_url);
        let (pk, sk) = keys::teambot(&w.project);
        let raw = w.app.ports.table.get(&pk, &sk).await.unwrap().unwrap();
        assert!(!raw.body.to_string().contains("TEAM-secret"), "the token is sealed");
        let resolved = resolve(&w.app, v.webhook_url.rsplit('/').next().unwrap()).await.unwrap();
        assert_eq!(resolved.secret, hook["secret_token"].as_str().unwrap());

        let link = start_link(&w.app, &w.project, &w.operator.id).await.unwrap();
        let code = link.url.strip_prefix("https://t.me/team_bot?start=").unwrap().to_owned();
        handle(&w.app, &bot, &resolved, text(1, 700, &format!("/start {code}"))).await.unwrap();
        assert!(mine(&w.app, &w.project, &w.operator.id).await.unwrap().linked);
        assert!(bot.sent("sendMessage").last().unwrap()["text"].as_str().unwrap().starts_with("Готово"));
        handle(&w.app, &bot, &resolved, text(2, 800, &format!("/start {code}"))).await.unwrap();
        assert!(
            bot.sent("sendMessage").last().unwrap()["text"].as_str().unwrap().starts_with("Ссылка устарела"),
            "a code works once"
        );

        crate::dialogs::set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let (_, token) = crate::dialogs::create_visitor(&w.app, &w.project).await.unwrap();
        let visitor = crate::dialogs::visitor_from_token(&w.app, &w.project, &token).await.unwrap();
        let first = crate::dialogs::VisitorMessage {
            text: "Здравствуйте!".into(),
            client_id: "c1".into(),
            ..Default::default()
        };
        let (_, d) = crate::dialogs::send_from_visitor(&w.app, &w.project, &visitor, first).await.unwrap();
        deliver_jobs(&w, &bot).await;
        let note = bot.sent("sendMessage").last().unwrap().clone();
        assert_eq!(note["chat_id"], 700);
        assert!(note["text"].as_str().unwrap().contains("Здравствуйте!"), "{note}");
        assert_eq!(note["reply_markup"]["inline_keyboard"][0][0]["callback_data"], format!("reply:{}", d.id));
        let note_id = bot.last_message_id();
        let reply = update(
            3,
            json!({ "message": { "message_id": 3, "chat": { "id": 700, "type": "private" },
            "text": "Добрый день!", "reply_to_message": { "message_id": note_id, "chat": { "id": 700 } } } }),
        );
        handle(&w.app, &bot, &resolved, reply).await.unwrap();
        let all = crate::dialogs::messages(&w.app, &w.project, &d.id, None).await.unwrap();
        let answer = all.iter().find(|m| m.text == "Добрый день!").expect("the reply is in the dialog");
        assert_eq!((answer.from, answer.author.as_deref()), (crate::dialogs::From::Operator, Some("Анна")));

        handle(&w.app, &bot, &resolved, button(4, 700, &format!("reply:{}", d.id))).await.unwrap();
        handle(&w.app, &bot, &resolved, text(5, 700, "Чем помочь?")).await.unwrap();
        handle(&w.app, &bot, &resolved, text(5, 700, "Чем помочь?")).await.unwrap();
        let all = crate::dialogs::messages(&w.app, &w.project, &d.id, None).await.unwrap();
        assert_eq!(all.iter().filter(|m| m.text == "Чем помочь?").count(), 1, "after «Ответить», once per update");

        let boss = NewMember { email: "boss@x.ru".into(), accesses: vec![Access::Settings], ..Default::default() };
        let boss = team::add(&w.app, &w.project, boss).await.unwrap().user_id;
        let code = start_link(&w.app, &w.project, &boss).await.unwrap().url.split("start=").nth(1).unwrap().to_owned();
        handle(&w.app, &bot, &resolved, text(6, 900, &format!("/start {code}"))).await.unwrap();
        handle(&w.app, &bot, &resolved, button(7, 900, &format!("take:{}", d.id))).await.unwrap();
        assert!(bot.sent("sendMessage").last().unwrap()["text"].as_str().unwrap().contains("«Оператор»"), "refused");

        let (mut taken, version) = crate::dialogs::store::load(&w.app, &w.project, &d.id).await.unwrap();
        taken.assignee = None;
        w.app
            .ports
            .table
            .put(crate::dialogs::store::dialog_item(&taken).unwrap(), Condition::Version(version))
            .await
            .unwrap();
        handle(&w.app, &bot, &resolved, button(8, 700, &format!("take:{}", d.id))).await.unwrap();
        let d = crate::dialogs::dialog(&w.app, &w.project, &d.id).await.unwrap();
        assert_eq!(d.assignee.as_deref(), Some(w.operator.id.as_str()), "«Взять диалог» assigns it");

        let services = Groups { services: true, ..Groups::member_default() };
        set_groups(&w.app, &w.project, &w.operator.id, services).await.unwrap();
        let template = crate::notify::Template::Test { project_name: "Ромашка".into() };
        team::notify_group(&w.app, &w.project, Group::Services, template).await.unwrap();
        deliver_jobs(&w, &bot).await;
        let notice = bot.sent("sendMessage").last().unwrap().clone();
        assert_eq!(notice["chat_id"], 700, "the member who chose «Услуги и документы» for Telegram: {notice}");
        assert!(notice["text"].as_str().unwrap().starts_with("Беседа: проверка уведомлений"), "{notice}");

        handle(&w.app, &bot, &resolved, button(9, 700, "take:nothing")).await.unwrap();
        assert_eq!(bot.sent("sendMessage").last().unwrap()["text"], "Такого диалога нет.", "no retry loop");
        handle(&w.app, &bot, &resolved, text(10, 700, "/stop")).await.unwrap();
        assert!(!mine(&w.app, &w.project, &w.operator.id).await.unwrap().linked, "/stop unlinks");
        assert!(mine(&w.app, &w.project, &boss).await.unwrap().linked);
        assert!(unlink(&w.app, &w.project, &boss).await.unwrap(), "the Profile unlinks");
        assert!(!mine(&w.app, &w.project, &boss).await.unwrap().linked);
    }

    #[test]
    fn the_no_reply_alert_says_how_long_the_customer_waits_with_their_words_and_the_link() {
        let mail = crate::notify::CustomerMail {
            project_name: "Ромашка",
            source: "chat",
            customer: None,
            text: "Алло?",
            link: "https://b.ru/dialogs/mine/d1",
            minutes: 5,
            opens_dialog: true,
        };
        let (text, keyboard) = alert(Language::Ru, &mail, "d1");
        assert_eq!(
            text,
            "Клиент ждёт ответа 5 мин. — чат на сайте\nРомашка · Клиент\n\nАлло?\n\nhttps://b.ru/dialogs/mine/d1"
        );
        assert_eq!(keyboard["inline_keyboard"][0][1]["callback_data"], "take:d1");
    }

    #[tokio::test]
    async fn a_no_reply_alert_reaches_the_linked_administrators_once() {
        let (w, _) = world().await;
        let bot = FakeBot::default();
        let v = connect(&w.app, &bot, &w.project, "123456:TEAM-secret").await.unwrap();
        let resolved = resolve(&w.app, v.webhook_url.rsplit('/').next().unwrap()).await.unwrap();
        let owner = accounts::find_by_email(&w.app, "owner@x.ru").await.unwrap().unwrap();
        for (user_id, chat) in [(&owner.id, 500), (&w.operator.id, 700)] {
            let url = start_link(&w.app, &w.project, user_id).await.unwrap().url;
            let code = url.split("start=").nth(1).unwrap().to_owned();
            handle(&w.app, &bot, &resolved, text(chat, chat, &format!("/start {code}"))).await.unwrap();
        }
        crate::dialogs::set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let (_, token) = crate::dialogs::create_visitor(&w.app, &w.project).await.unwrap();
        let visitor = crate::dialogs::visitor_from_token(&w.app, &w.project, &token).await.unwrap();
        let first =
            crate::dialogs::VisitorMessage { text: "Алло?".into(), client_id: "c1".into(), ..Default::default() };
        let (m, d) = crate::dialogs::send_from_visitor(&w.app, &w.project, &visitor, first).await.unwrap();
        let before = bot.sent("sendMessage").len();
        let job = crate::notify::alert_job(&w.project, &d.id, &m.id, 5).unwrap();
        crate::notify::deliver_with_bot(&w.app, Some(&bot), "job-1", &job.body).await.unwrap();
        crate::notify::deliver_with_bot(&w.app, Some(&bot), "job-1", &job.body).await.unwrap();
        let sent = bot.sent("sendMessage")[before..].to_vec();
        assert_eq!(sent.len(), 1, "the administrator only, once: {sent:?}");
        assert_eq!(sent[0]["chat_id"], 500);
        let alert = sent[0]["text"].as_str().unwrap();
        assert!(alert.starts_with("Клиент ждёт ответа 5 мин."), "{alert}");
        assert!(alert.contains("Алло?") && alert.ends_with(&format!("/dialogs/mine/{}", d.id)), "{alert}");
    }
}
