//! The website chat (PRODUCT.md §8, §10): anonymous visitors, their dialogs and messages,
//! operators' presence, replies, read marks, contact requests, and the auto-messages that
//! the `timers` queue fires. Every message is stored before anyone is told of it, and a
//! visitor's retry (same `client_id`) never makes a second message.

use crate::access::{Access, Action};
use crate::accounts::Profile;
use crate::journal::{self, Channel, Lead};
use crate::notify::{Group, Template};
use crate::widget::{self, ContactRequest, FieldKind};
use crate::{App, Error, Result, accounts, blacklist, cache, online, phone, projects, realtime, secrets, team};
use beseda_ports::queue::TIMERS;
use beseda_ports::table::{Condition, Item, Query, StoreError, Write};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;
use utoipa::ToSchema;

/// The longest message, in characters.
pub const MAX_TEXT: usize = 4000;

fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))
}

// ---- keys ----

fn visitor_key(project_id: &str, visitor_id: &str) -> (String, String) {
    (format!("project#{project_id}#visitor#{visitor_id}"), "visitor".into())
}

fn dialog_pk(project_id: &str, dialog_id: &str) -> String {
    format!("project#{project_id}#dialog#{dialog_id}")
}

fn dialogs_index(project_id: &str, status: Status) -> String {
    let status = match status {
        Status::Open => "open",
        Status::Closed => "closed",
    };
    format!("project#{project_id}#dialogs#{status}")
}

fn presence_key(project_id: &str, user_id: &str) -> (String, String) {
    (format!("project#{project_id}"), format!("presence#{user_id}"))
}

pub(crate) fn settings_key(project_id: &str) -> (String, String) {
    (format!("project#{project_id}"), "widget".into())
}

// ---- widget settings ----

pub async fn settings(app: &App, project_id: &str) -> Result<(widget::Settings, Option<u64>)> {
    let (pk, sk) = settings_key(project_id);
    Ok(match app.ports.table.get(&pk, &sk).await? {
        Some(item) => (item.decode()?, Some(item.version)),
        None => (widget::Settings::default(), None),
    })
}

pub async fn save_settings(app: &App, project_id: &str, settings: widget::Settings) -> Result<widget::Settings> {
    settings.validate()?;
    let (pk, sk) = settings_key(project_id);
    app.ports.table.put(Item::new(pk, sk, to_json(&settings)?), Condition::Always).await?;
    Ok(settings)
}

// ---- presence and schedules ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Presence {
    pub online: bool,
    pub since: DateTime<Utc>,
    /// The weekly schedule that switches the operator on and off (§10).
    #[serde(default)]
    pub schedule: Option<widget::Hours>,
    /// The day the schedule takes effect (the day after it was set), in the project's zone.
    #[serde(default)]
    pub schedule_from: Option<chrono::NaiveDate>,
}

/// The index partition of every operator with a schedule, for the scheduled job.
const SCHEDULES: &str = "schedules";

async fn load_presence(app: &App, project_id: &str, user_id: &str) -> Result<(Presence, Option<u64>)> {
    let (pk, sk) = presence_key(project_id, user_id);
    Ok(match app.ports.table.get(&pk, &sk).await? {
        Some(item) => (item.decode()?, Some(item.version)),
        None => (Presence { online: false, since: app.now(), schedule: None, schedule_from: None }, None),
    })
}

async fn save_presence(app: &App, project_id: &str, user_id: &str, p: &Presence, version: Option<u64>) -> Result<()> {
    let (pk, sk) = presence_key(project_id, user_id);
    let mut item = Item::new(pk, sk, to_json(p)?);
    if p.schedule.is_some() {
        item = item.with_index(SCHEDULES, format!("{project_id}#{user_id}"));
    }
    app.ports.table.put(item, version.map_or(Condition::NotExists, Condition::Version)).await?;
    Ok(())
}

/// Goes online or offline; it stays so until toggled, even with the computer off.
pub async fn set_presence(app: &App, project_id: &str, user_id: &str, online: bool) -> Result<Presence> {
    let (mut p, version) = load_presence(app, project_id, user_id).await?;
    if p.online != online {
        p.online = online;
        p.since = app.now();
    }
    save_presence(app, project_id, user_id, &p, version).await?;
    online::set(app, project_id, user_id, online).await?;
    realtime::push_to_operators(
        app,
        project_id,
        &serde_json::json!({ "type": "presence", "user_id": user_id, "online": online }),
    )
    .await?;
    Ok(p)
}

pub async fn presence(app: &App, project_id: &str, user_id: &str) -> Result<Presence> {
    Ok(load_presence(app, project_id, user_id).await?.0)
}

/// Sets (or with None removes) the weekly schedule of operators; it takes effect from the
/// next day in the project's time zone.
pub async fn set_schedule(
    app: &App,
    project_id: &str,
    user_ids: &[String],
    schedule: Option<widget::Hours>,
) -> Result<()> {
    if let Some(h) = &schedule {
        if h.len() != 7 || h.iter().any(|d| d.len() != 24) {
            return Err(Error::invalid("schedule", "invalid_hours", "График — 7 дней по 24 часа"));
        }
    }
    let (project, _) = projects::get(app, project_id).await?;
    let tz: chrono_tz::Tz = project.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
    let tomorrow = app.now().with_timezone(&tz).date_naive().succ_opt();
    for user_id in user_ids {
        let member = projects::membership(app, project_id, user_id).await?.ok_or(Error::NotFound("member"))?.0;
        if !member.accesses.contains(&Access::Operator) {
            return Err(Error::invalid("user_ids", "not_an_operator", "График задаётся только операторам"));
        }
        let (mut p, version) = load_presence(app, project_id, user_id).await?;
        p.schedule_from = schedule.as_ref().and(tomorrow);
        p.schedule = schedule.clone();
        save_presence(app, project_id, user_id, &p, version).await?;
    }
    Ok(())
}

/// The scheduled job: switches operators with a schedule in effect on or off by it.
/// Returns how many were switched.
pub async fn apply_schedules(app: &App) -> Result<usize> {
    let mut switched = 0;
    let mut cursor = None;
    loop {
        let page = app.ports.table.query(Query::index(SCHEDULES).limit(200).after(cursor)).await?;
        for item in &page.items {
            let p: Presence = item.decode()?;
            let project_id = item.pk.trim_start_matches("project#");
            let user_id = item.sk.trim_start_matches("presence#");
            let (Some(hours), Some(from)) = (&p.schedule, p.schedule_from) else { continue };
            let Ok((project, _)) = projects::get(app, project_id).await else { continue };
            let tz: chrono_tz::Tz = project.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow);
            let now = app.now();
            if now.with_timezone(&tz).date_naive() < from {
                continue;
            }
            let due = widget::is_open(hours, &project.timezone, now);
            if due != p.online {
                set_presence(app, project_id, user_id, due).await?;
                switched += 1;
            }
        }
        cursor = page.next;
        if cursor.is_none() {
            return Ok(switched);
        }
    }
}

/// An operator of the project as the Dialogs page lists them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Operator {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub online: bool,
    pub schedule: Option<widget::Hours>,
    pub schedule_from: Option<chrono::NaiveDate>,
}

pub async fn operators(app: &App, project_id: &str) -> Result<Vec<Operator>> {
    let mut out = Vec::new();
    for (m, _) in projects::members(app, project_id).await? {
        if !m.accesses.contains(&Access::Operator) {
            continue;
        }
        let profile = accounts::get_profile(app, &m.user_id).await?;
        let p = presence(app, project_id, &m.user_id).await?;
        out.push(Operator {
            user_id: m.user_id,
            name: display_name(&profile),
            email: profile.email,
            online: p.online,
            schedule: p.schedule,
            schedule_from: p.schedule_from,
        });
    }
    Ok(out)
}

/// The first operator of a project to have gone online who still is (and still is an
/// operator), as read at most a few seconds ago.
pub async fn first_online_operator(app: &App, project_id: &str) -> Result<Option<online::Online>> {
    for o in online::recent(app, project_id).await? {
        let (pk, sk) = projects::member_key(project_id, &o.user_id);
        if let Some(item) = app.ports.recent.get_recent(&pk, &sk).await?
            && item.decode::<projects::Membership>()?.accesses.contains(&Access::Operator)
        {
            return Ok(Some(o));
        }
    }
    Ok(None)
}

// ---- what the widget is told ----

/// The widget's configuration as a visitor's browser receives it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicConfig {
    pub project_id: String,
    pub language: widget::Language,
    pub color: String,
    pub side: widget::Side,
    pub devices: widget::Devices,
    pub auto_open_secs: Option<u32>,
    pub tab_order: Vec<widget::Tab>,
    pub hooks_on_mobile: bool,
    pub icon_mode: bool,
    pub initiators: Vec<String>,
    /// The visitor's address is one the widget hides from.
    pub hidden: bool,
    pub operators_online: bool,
    pub fields: Vec<widget::Field>,
    pub chat: serde_json::Value,
    pub form: serde_json::Value,
    pub callback: serde_json::Value,
    pub contacts: serde_json::Value,
    pub hooks: Vec<widget::Hook>,
}

/// The start of the next working hour within a week, on the hour.
fn next_open(hours: &widget::Hours, timezone: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let this_hour = now.timestamp() - now.timestamp().rem_euclid(3600);
    (1..=7 * 24)
        .filter_map(|h| DateTime::from_timestamp(this_hour + h * 3600, 0))
        .find(|t| widget::is_open(hours, timezone, *t))
}

pub async fn public_config(app: &App, project_id: &str, ip: Option<IpAddr>) -> Result<PublicConfig> {
    let project = cache::project(app, project_id).await?;
    let s = cache::settings(app, project_id).await?;
    let account = cache::account(app, project_id).await?;
    let now = app.now();
    let online = first_online_operator(app, project_id).await?;
    let operator_name = online.as_ref().map(|o| o.name.clone()).unwrap_or_default();
    let hidden_nets = blacklist::Blacklist(
        s.other
            .hidden_for_ips
            .iter()
            .filter_map(|v| blacklist::normalize(blacklist::Kind::Ip, v).ok())
            .map(|value| blacklist::Entry {
                id: String::new(),
                kind: blacklist::Kind::Ip,
                value,
                note: String::new(),
                created_at: now,
            })
            .collect(),
    );
    let hidden = ip.is_some_and(|ip| hidden_nets.blocks(&blacklist::Sender { ip: Some(ip), ..Default::default() }));
    let tz = project.timezone.as_str();
    let chat_open = widget::is_open(&s.chat.hours, tz, now);
    let chat = serde_json::json!({
        "enabled": s.chat.enabled && account.site_chat(now) && online.is_some() && chat_open,
        "name": s.chat.name,
        "open_now": chat_open,
        "next_open": if chat_open { None } else { next_open(&s.chat.hours, tz, now) },
        "welcome": s.chat.welcome.replace("{NAME}", &operator_name),
        "welcome_contact_request": s.chat.welcome_contact_request,
    });
    let form_open = widget::is_open(&s.form.hours, tz, now);
    let form = serde_json::json!({
        "enabled": s.form.enabled && form_open,
        "name": s.form.name, "open_now": form_open, "title": s.form.title, "fields": s.form.fields,
        "custom_field": s.form.custom_field, "custom_list": s.form.custom_list,
        "thanks_text": s.form.thanks_text, "button_text": s.form.button_text,
    });
    let callback_open = widget::is_open(&s.callback.hours, tz, now);
    let callback = serde_json::json!({
        "enabled": s.callback.enabled && callback_open,
        "name": s.callback.name, "open_now": callback_open,
        "next_open": if callback_open { None } else { next_open(&s.callback.hours, tz, now) },
        "title": s.callback.title, "text": s.callback.text,
        "groups": s.callback.groups.iter().map(|g| serde_json::json!({ "name": g.name })).collect::<Vec<_>>(),
    });
    let contacts = serde_json::json!({
        "enabled": s.contacts_visible() && widget::is_open(&s.contacts.hours, tz, now),
        "name": s.contacts.name,
        "addresses": s.contacts.addresses,
        "socials": s.contacts.socials.iter().filter(|x| x.show).map(|x| serde_json::json!({ "network": x.network, "url": x.url })).collect::<Vec<_>>(),
    });
    let hooks =
        s.catchers.iter().filter(|g| g.enabled).flat_map(|g| g.hooks.iter().filter(|h| h.enabled).cloned()).collect();
    Ok(PublicConfig {
        project_id: project.id,
        language: s.other.language,
        color: s.appearance.color,
        side: s.appearance.side,
        devices: s.appearance.devices,
        auto_open_secs: s.appearance.auto_open_secs,
        tab_order: s.appearance.tab_order,
        hooks_on_mobile: s.appearance.hooks_on_mobile,
        icon_mode: s.appearance.icon_mode,
        initiators: s.other.initiators,
        hidden,
        operators_online: online.is_some(),
        fields: s.fields,
        chat,
        form,
        callback,
        contacts,
        hooks,
    })
}

// ---- visitors ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visitor {
    pub id: String,
    token_hash: String,
    pub dialog_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A new anonymous visitor; the token (`<id>.<secret>`) stays in the visitor's browser.
pub async fn create_visitor(app: &App, project_id: &str) -> Result<(String, String)> {
    projects::get(app, project_id).await?;
    let id = secrets::new_id();
    let secret = secrets::token();
    let visitor =
        Visitor { id: id.clone(), token_hash: secrets::token_hash(&secret), dialog_id: None, created_at: app.now() };
    let (pk, sk) = visitor_key(project_id, &id);
    app.ports.table.put(Item::new(pk, sk, to_json(&visitor)?), Condition::NotExists).await?;
    Ok((id.clone(), format!("{id}.{secret}")))
}

pub async fn visitor_from_token(app: &App, project_id: &str, token: &str) -> Result<Visitor> {
    let (id, secret) = token.split_once('.').ok_or(Error::Unauthenticated)?;
    let (pk, sk) = visitor_key(project_id, id);
    let item = app.ports.table.get(&pk, &sk).await?.ok_or(Error::Unauthenticated)?;
    let visitor: Visitor = item.decode()?;
    if visitor.token_hash == secrets::token_hash(secret) { Ok(visitor) } else { Err(Error::Unauthenticated) }
}

// ---- dialogs and messages ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum From {
    Visitor,
    Operator,
    System,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Message {
    pub id: String,
    pub from: From,
    pub author: Option<String>,
    pub text: String,
    pub at: DateTime<Utc>,
    /// For a visitor's message: an operator read it; for an operator's: the visitor did.
    #[serde(default)]
    pub read: bool,
    pub contact_request: Option<ContactRequest>,
    /// The sender's own id of the message, echoed so a client can match its pending copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Dialog {
    pub id: String,
    pub project_id: String,
    pub visitor_id: String,
    pub channel: Channel,
    pub status: Status,
    pub assignee: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    pub last_text: String,
    /// Visitor messages no operator has read yet.
    pub unread: u32,
    pub operator_read_up_to: Option<String>,
    pub visitor_read_up_to: Option<String>,
    pub operator_replied: bool,
    pub pending_contact_request: Option<ContactRequest>,
    pub contact: BTreeMap<String, String>,
    pub page_url: Option<String>,
    pub ip: Option<String>,
}

impl Dialog {
    /// A new open dialog of a visitor, with nothing in it yet.
    fn new(project_id: &str, visitor_id: &str, channel: Channel, now: DateTime<Utc>) -> Self {
        Dialog {
            id: secrets::new_id(),
            project_id: project_id.to_owned(),
            visitor_id: visitor_id.to_owned(),
            channel,
            status: Status::Open,
            assignee: None,
            created_at: now,
            last_at: now,
            last_text: String::new(),
            unread: 0,
            operator_read_up_to: None,
            visitor_read_up_to: None,
            operator_replied: false,
            pending_contact_request: None,
            contact: BTreeMap::new(),
            page_url: None,
            ip: None,
        }
    }
}

async fn load_dialog(app: &App, project_id: &str, dialog_id: &str) -> Result<(Dialog, u64)> {
    let item =
        app.ports.table.get(&dialog_pk(project_id, dialog_id), "meta").await?.ok_or(Error::NotFound("dialog"))?;
    Ok((item.decode()?, item.version))
}

pub async fn dialog(app: &App, project_id: &str, dialog_id: &str) -> Result<Dialog> {
    Ok(load_dialog(app, project_id, dialog_id).await?.0)
}

fn dialog_item(d: &Dialog) -> Result<Item> {
    Ok(Item::new(dialog_pk(&d.project_id, &d.id), "meta", to_json(d)?)
        .with_index(dialogs_index(&d.project_id, d.status), format!("{}#{}", d.last_at.to_rfc3339(), d.id)))
}

fn message_item(project_id: &str, dialog_id: &str, m: &Message) -> Result<Item> {
    Ok(Item::new(dialog_pk(project_id, dialog_id), format!("msg#{}", m.id), to_json(m)?))
}

/// The messages of a dialog after one (all when `after` is None), oldest first.
pub async fn messages(app: &App, project_id: &str, dialog_id: &str, after: Option<&str>) -> Result<Vec<Message>> {
    let pk = dialog_pk(project_id, dialog_id);
    let q = match after {
        Some(id) => Query::partition(&pk).between(format!("msg#{id}\u{0001}"), "msg#\u{10FFFF}"),
        None => Query::partition(&pk).prefix("msg#"),
    };
    let page = app.ports.table.query(q.limit(500)).await?;
    page.items.iter().map(|i| i.decode().map_err(Error::from)).collect()
}

pub(crate) fn display_name(p: &Profile) -> String {
    let name = format!("{} {}", p.first_name, p.last_name).trim().to_owned();
    if name.is_empty() { p.email.split('@').next().unwrap_or_default().to_owned() } else { p.first_name.clone() }
}

fn check_text(text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("text", "empty_message", "Напишите сообщение"));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Error::invalid("text", "message_too_long", format!("Сообщение — не длиннее {MAX_TEXT} символов")));
    }
    Ok(text.to_owned())
}

fn check_client_id(client_id: &str) -> Result<()> {
    let ok = !client_id.is_empty()
        && client_id.len() <= 64
        && client_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid("client_id", "invalid_client_id", "client_id — до 64 латинских букв, цифр, - и _"))
    }
}

/// A required field of the pending contact request that is still empty.
fn missing_contact(d: &Dialog) -> Option<String> {
    d.pending_contact_request
        .as_ref()?
        .fields
        .iter()
        .find(|f| f.required && !d.contact.contains_key(&f.field))
        .map(|f| f.field.clone())
}

/// What a visitor sends with a message.
#[derive(Debug, Clone, Default)]
pub struct VisitorMessage {
    pub text: String,
    pub client_id: String,
    pub page_url: Option<String>,
    pub hook_id: Option<String>,
    pub ip: Option<IpAddr>,
}

async fn check_blacklist(
    app: &App,
    project_id: &str,
    visitor_id: &str,
    ip: Option<IpAddr>,
    contact: &BTreeMap<String, String>,
) -> Result<()> {
    let list = blacklist::recent(app, project_id).await?;
    let sender = blacklist::Sender {
        visitor_id: Some(visitor_id),
        ip,
        phone: contact.get("phone").map(String::as_str),
        email: contact.get("email").map(String::as_str),
    };
    if list.blocks(&sender) {
        return Err(Error::forbidden("blacklisted", "Сообщения с этого адреса не принимаются"));
    }
    Ok(())
}

/// A visitor writes. A new dialog starts when there is none (or the last was closed); the
/// message, the dialog, the retry claim and the message's timers are written together; then
/// the operators are told.
pub async fn send_from_visitor(
    app: &App,
    project_id: &str,
    visitor: &Visitor,
    input: VisitorMessage,
) -> Result<(Message, Dialog)> {
    let text = check_text(&input.text)?;
    check_client_id(&input.client_id)?;
    let current = match &visitor.dialog_id {
        Some(id) => Some(load_dialog(app, project_id, id).await?),
        None => None,
    };
    let contact = current.as_ref().map(|(d, _)| d.contact.clone()).unwrap_or_default();
    check_blacklist(app, project_id, &visitor.id, input.ip, &contact).await?;
    let claim_sk = format!("client#{}", input.client_id);
    if let Some((d, _)) = &current {
        if let Some(claim) = app.ports.table.get(&dialog_pk(project_id, &d.id), &claim_sk).await? {
            let id = claim.body["message_id"].as_str().unwrap_or_default().to_owned();
            let existing = app
                .ports
                .table
                .get(&dialog_pk(project_id, &d.id), &format!("msg#{id}"))
                .await?
                .ok_or(Error::NotFound("message"))?;
            return Ok((existing.decode()?, d.clone()));
        }
        if let Some(field) = missing_contact(d) {
            return Err(Error::conflict(
                "contact_required",
                format!("Заполните поле «{field}», чтобы продолжить диалог"),
            ));
        }
    }
    let s = cache::settings(app, project_id).await?;
    let now = app.now();
    let open = current.as_ref().filter(|(d, _)| d.status == Status::Open);
    let mut greeting = None;
    let (mut dialog, version) = match open {
        Some((d, v)) => (d.clone(), Some(*v)),
        None => {
            let config = public_config(app, project_id, input.ip).await?;
            if config.chat["enabled"] != serde_json::json!(true) {
                return Err(Error::forbidden(
                    "chat_closed",
                    "Чат сейчас не работает: оставьте заявку или позвоните нам",
                ));
            }
            // What the visitor answers: the hook that opened the chat, or the welcome message;
            // the operator sees it as the dialog's first message.
            let hook = input.hook_id.as_ref().and_then(|id| config.hooks.iter().find(|h| &h.id == id));
            let (text, request) = match hook {
                Some(h) => (h.text.clone(), h.contact_request.clone()),
                None => (
                    config.chat["welcome"].as_str().unwrap_or_default().to_owned(),
                    s.chat.welcome_contact_request.clone(),
                ),
            };
            greeting = Some(Message {
                id: uuid_v7(),
                from: From::System,
                author: None,
                text,
                at: now,
                read: false,
                contact_request: request,
                client_id: None,
            });
            let d = Dialog {
                pending_contact_request: greeting.as_ref().and_then(|g| g.contact_request.clone()),
                contact,
                page_url: input.page_url.clone(),
                ip: input.ip.map(|ip| ip.to_string()),
                ..Dialog::new(project_id, &visitor.id, Channel::Chat, now)
            };
            (d, None)
        }
    };
    let new_dialog = version.is_none();
    let message = Message {
        id: uuid_v7(),
        from: From::Visitor,
        author: None,
        text: text.clone(),
        at: now,
        read: false,
        contact_request: None,
        client_id: Some(input.client_id.clone()),
    };
    dialog.last_at = now;
    dialog.last_text = text.chars().take(200).collect();
    dialog.unread += 1;
    let mut writes = vec![
        Write::Put {
            item: Item::new(
                dialog_pk(project_id, &dialog.id),
                &claim_sk,
                serde_json::json!({ "message_id": message.id }),
            ),
            condition: Condition::NotExists,
        },
        Write::Put { item: message_item(project_id, &dialog.id, &message)?, condition: Condition::NotExists },
        Write::Put { item: dialog_item(&dialog)?, condition: version.map_or(Condition::NotExists, Condition::Version) },
    ];
    if let Some(g) = &greeting {
        writes.push(Write::Put { item: message_item(project_id, &dialog.id, g)?, condition: Condition::NotExists });
    }
    if new_dialog {
        let mut v = visitor.clone();
        v.dialog_id = Some(dialog.id.clone());
        let (pk, sk) = visitor_key(project_id, &v.id);
        writes.push(Write::Put { item: Item::new(pk, sk, to_json(&v)?), condition: Condition::Exists });
    }
    let timers = crate::timers::after_visitor_message(&s, &dialog, &message.id)?;
    match app.ports.atomic.commit(writes, timers).await {
        Ok(()) => {}
        Err(StoreError::TransactionCancelled) => {
            return Err(Error::conflict(
                "busy",
                "Сообщение не сохранилось из-за одновременной записи; отправьте ещё раз",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    if new_dialog {
        let lead = Lead {
            id: String::new(),
            at: now,
            local_time: String::new(),
            channel: Channel::Chat,
            name: None,
            phone: None,
            email: None,
            text: text.clone(),
        };
        journal::record(app, project_id, &format!("dialog#{}", dialog.id), lead).await?;
    }
    let frame = serde_json::json!({ "type": "message", "dialog": dialog, "message": message });
    realtime::push_to_operators(app, project_id, &frame).await?;
    Ok((message, dialog))
}

fn uuid_v7() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A dialog and its messages, as the visitor sees them.
pub async fn visitor_view(app: &App, project_id: &str, visitor: &Visitor) -> Result<Option<(Dialog, Vec<Message>)>> {
    let Some(id) = &visitor.dialog_id else { return Ok(None) };
    let d = dialog(app, project_id, id).await?;
    let mut msgs = messages(app, project_id, id, None).await?;
    mark_read(&mut msgs, &d);
    Ok(Some((d, msgs)))
}

fn mark_read(msgs: &mut [Message], d: &Dialog) {
    for m in msgs {
        let up_to = match m.from {
            From::Visitor => d.operator_read_up_to.as_deref(),
            From::Operator | From::System => d.visitor_read_up_to.as_deref(),
        };
        m.read = up_to.is_some_and(|u| m.id.as_str() <= u);
    }
}

/// The visitor fills the contact request; required fields of the pending request must be
/// there, phones and e-mails are checked and normalized.
pub async fn set_contact(
    app: &App,
    project_id: &str,
    visitor: &Visitor,
    values: BTreeMap<String, String>,
) -> Result<Dialog> {
    let id = visitor.dialog_id.clone().ok_or(Error::NotFound("dialog"))?;
    let (s, _) = settings(app, project_id).await?;
    let (mut d, version) = load_dialog(app, project_id, &id).await?;
    for (field, value) in values {
        let def = s
            .fields
            .iter()
            .find(|f| f.id == field)
            .ok_or_else(|| Error::invalid("values", "unknown_field", format!("Нет поля «{field}»")))?;
        let value = value.trim().to_owned();
        if value.is_empty() {
            continue;
        }
        if value.chars().count() > 200 {
            return Err(Error::Invalid {
                field: "values",
                code: "value_too_long",
                message: format!("«{}» — не длиннее 200 символов", def.label),
            });
        }
        let value = match def.kind {
            FieldKind::Phone => phone::normalize("values", &value)?,
            FieldKind::Email => accounts::normalize_email(&value)?,
            FieldKind::Text => value,
        };
        d.contact.insert(field, value);
    }
    if let Some(field) = missing_contact(&d) {
        let label = s.fields.iter().find(|f| f.id == field).map_or(field.clone(), |f| f.label.clone());
        return Err(Error::invalid("values", "contact_required", format!("Заполните поле «{label}»")));
    }
    check_blacklist(app, project_id, &visitor.id, None, &d.contact).await?;
    d.pending_contact_request = None;
    app.ports.table.put(dialog_item(&d)?, Condition::Version(version)).await?;
    realtime::push_to_operators(app, project_id, &serde_json::json!({ "type": "dialog", "dialog": d })).await?;
    Ok(d)
}

pub async fn visitor_typing(app: &App, project_id: &str, visitor: &Visitor) -> Result<()> {
    if let Some(id) = &visitor.dialog_id {
        realtime::push_to_operators(app, project_id, &serde_json::json!({ "type": "typing", "dialog_id": id })).await?;
    }
    Ok(())
}

/// The visitor has seen the operators' messages so far.
pub async fn visitor_read(app: &App, project_id: &str, visitor: &Visitor) -> Result<()> {
    let Some(id) = &visitor.dialog_id else { return Ok(()) };
    let (mut d, version) = load_dialog(app, project_id, id).await?;
    let last = messages(app, project_id, id, d.visitor_read_up_to.as_deref())
        .await?
        .into_iter()
        .filter(|m| m.from != From::Visitor)
        .last();
    let Some(last) = last else { return Ok(()) };
    d.visitor_read_up_to = Some(last.id.clone());
    app.ports.table.put(dialog_item(&d)?, Condition::Version(version)).await?;
    realtime::push_to_operators(
        app,
        project_id,
        &serde_json::json!({ "type": "read", "dialog_id": id, "by": "visitor", "up_to": last.id }),
    )
    .await?;
    Ok(())
}

// ---- the operator's side ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    /// Open dialogs assigned to me or to nobody yet.
    Mine,
    /// Open dialogs of colleagues.
    Common,
    /// Closed dialogs.
    Archive,
}

/// Dialogs of a folder, the most recent first.
pub async fn list(app: &App, project_id: &str, user_id: &str, folder: Folder) -> Result<Vec<Dialog>> {
    let status = if folder == Folder::Archive { Status::Closed } else { Status::Open };
    let page = app.ports.table.query(Query::index(dialogs_index(project_id, status)).descending().limit(200)).await?;
    let all: Vec<Dialog> = page.items.iter().map(|i| i.decode().map_err(Error::from)).collect::<Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|d| match folder {
            Folder::Mine => d.assignee.as_deref().is_none_or(|a| a == user_id),
            Folder::Common => d.assignee.as_deref().is_some_and(|a| a != user_id),
            Folder::Archive => true,
        })
        .collect())
}

/// Opens a dialog for an operator: the messages, and when the caller answers dialogs, the
/// visitor's messages become read (the visitor sees ✓✓) and the "read but not answered" timer
/// starts.
pub async fn open_for_operator(
    app: &App,
    project_id: &str,
    dialog_id: &str,
    member: &projects::Membership,
) -> Result<(Dialog, Vec<Message>)> {
    let (mut d, version) = load_dialog(app, project_id, dialog_id).await?;
    let mut msgs = messages(app, project_id, dialog_id, None).await?;
    let answers = crate::access::allows(&member.accesses, Action::AnswerDialogs);
    let last_visitor = msgs.iter().filter(|m| m.from == From::Visitor).last().map(|m| m.id.clone());
    if answers && d.unread > 0 {
        d.unread = 0;
        d.operator_read_up_to = last_visitor.clone();
        app.ports.table.put(dialog_item(&d)?, Condition::Version(version)).await?;
        if let Some(up_to) = &last_visitor {
            realtime::push_to_visitor(
                app,
                project_id,
                &d.visitor_id,
                &serde_json::json!({ "type": "read", "up_to": up_to }),
            )
            .await?;
            let (s, _) = settings(app, project_id).await?;
            if s.chat.unanswered.enabled && !(s.chat.no_auto_after_reply && d.operator_replied) {
                let timer = Timer::Unanswered {
                    project_id: project_id.into(),
                    dialog_id: d.id.clone(),
                    message_id: up_to.clone(),
                };
                schedule(app, timer, s.chat.unanswered.after_secs).await?;
            }
        }
    }
    mark_read(&mut msgs, &d);
    Ok((d, msgs))
}

/// Writes a message of the operators' side (a reply, an auto-message) with its claim and the
/// dialog's new state, then tells the visitor's and the operators' sockets. False when the
/// dialog changed meanwhile (the caller reloads and tries again).
async fn append(app: &App, d: &Dialog, version: u64, claim_sk: &str, message: &Message) -> Result<bool> {
    let pk = dialog_pk(&d.project_id, &d.id);
    let writes = vec![
        Write::Put {
            item: Item::new(&pk, claim_sk, serde_json::json!({ "message_id": message.id })),
            condition: Condition::NotExists,
        },
        Write::Put { item: message_item(&d.project_id, &d.id, message)?, condition: Condition::NotExists },
        Write::Put { item: dialog_item(d)?, condition: Condition::Version(version) },
    ];
    match app.ports.table.transact(writes).await {
        Ok(()) => {}
        Err(StoreError::TransactionCancelled) => return Ok(false),
        Err(e) => return Err(e.into()),
    }
    let to_visitor = serde_json::json!({ "type": "message", "message": message });
    let to_operators = serde_json::json!({ "type": "message", "dialog": d, "message": message });
    realtime::push_to_visitor(app, &d.project_id, &d.visitor_id, &to_visitor).await?;
    realtime::push_to_operators(app, &d.project_id, &to_operators).await?;
    Ok(true)
}

/// An operator answers: the dialog becomes theirs if nobody had it; the visitor gets it at
/// once over the socket.
pub async fn reply(
    app: &App,
    project_id: &str,
    dialog_id: &str,
    operator: &Profile,
    text: &str,
    client_id: &str,
) -> Result<(Message, Dialog)> {
    let text = check_text(text)?;
    check_client_id(client_id)?;
    let pk = dialog_pk(project_id, dialog_id);
    let claim_sk = format!("client#{client_id}");
    for _ in 0..5 {
        let (mut d, version) = load_dialog(app, project_id, dialog_id).await?;
        if let Some(claim) = app.ports.table.get(&pk, &claim_sk).await? {
            let id = claim.body["message_id"].as_str().unwrap_or_default().to_owned();
            let existing = app.ports.table.get(&pk, &format!("msg#{id}")).await?.ok_or(Error::NotFound("message"))?;
            return Ok((existing.decode()?, d));
        }
        if d.status == Status::Closed {
            return Err(Error::conflict("dialog_closed", "Диалог закрыт; откройте его снова, чтобы ответить"));
        }
        let now = app.now();
        let message = Message {
            id: uuid_v7(),
            from: From::Operator,
            author: Some(display_name(operator)),
            text: text.clone(),
            at: now,
            read: false,
            contact_request: None,
            client_id: Some(client_id.to_owned()),
        };
        d.assignee.get_or_insert_with(|| operator.id.clone());
        d.operator_replied = true;
        d.unread = 0;
        d.last_at = now;
        d.last_text = text.chars().take(200).collect();
        if append(app, &d, version, &claim_sk, &message).await? {
            return Ok((message, d));
        }
    }
    Err(Error::conflict("busy", "Диалог меняется слишком часто; повторите"))
}

pub async fn operator_typing(app: &App, project_id: &str, dialog_id: &str) -> Result<()> {
    let d = dialog(app, project_id, dialog_id).await?;
    realtime::push_to_visitor(app, project_id, &d.visitor_id, &serde_json::json!({ "type": "typing" })).await?;
    Ok(())
}

/// Closes or reopens a dialog.
pub async fn set_status(app: &App, project_id: &str, dialog_id: &str, status: Status) -> Result<Dialog> {
    let (mut d, version) = load_dialog(app, project_id, dialog_id).await?;
    if d.status == status {
        return Ok(d);
    }
    d.status = status;
    app.ports.table.put(dialog_item(&d)?, Condition::Version(version)).await?;
    let frame = serde_json::json!({ "type": "dialog", "dialog": d });
    realtime::push_to_operators(app, project_id, &frame).await?;
    realtime::push_to_visitor(app, project_id, &d.visitor_id, &frame).await?;
    Ok(d)
}

// ---- requests and callbacks ----

/// What a visitor submits on the Заявка tab.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct FormValues {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub custom: Option<String>,
    pub list: Option<String>,
}

fn required(field: &'static str, rule: widget::FieldRule, value: &Option<String>) -> Result<Option<String>> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty() && rule.visible).map(str::to_owned);
    if rule.visible && rule.required && value.is_none() {
        return Err(Error::invalid(field, "field_required", "Заполните это поле"));
    }
    if value.as_ref().is_some_and(|v| v.chars().count() > 500) {
        return Err(Error::invalid(field, "value_too_long", "Не длиннее 500 символов"));
    }
    Ok(value)
}

/// A request form submission: checked against the form's fields, refused for blacklisted
/// senders, recorded once in the journal (per `request_id`), mailed to group 2.
pub async fn submit_form(
    app: &App,
    project_id: &str,
    visitor_id: &str,
    request_id: &str,
    values: FormValues,
    ip: Option<IpAddr>,
) -> Result<String> {
    check_client_id(request_id)?;
    let (s, _) = settings(app, project_id).await?;
    let f = &s.form;
    if !f.enabled {
        return Err(Error::forbidden("form_closed", "Форма заявки выключена"));
    }
    let name = required("name", f.fields.name, &values.name)?;
    let phone = match required("phone", f.fields.phone, &values.phone)? {
        Some(p) => Some(phone::normalize("phone", &p)?),
        None => None,
    };
    let email = match required("email", f.fields.email, &values.email)? {
        Some(e) => Some(accounts::normalize_email(&e)?),
        None => None,
    };
    let company = required("company", f.fields.company, &values.company)?;
    let custom = match &f.custom_field {
        Some(c) => required("custom", c.rule, &values.custom)?.map(|v| format!("{}: {v}", c.label)),
        None => None,
    };
    let list = match &f.custom_list {
        Some(c) => match required("list", c.rule, &values.list)? {
            Some(v) if !c.options.contains(&v) => {
                return Err(Error::invalid("list", "unknown_option", "Выберите значение из списка"));
            }
            v => v.map(|v| format!("{}: {v}", c.label)),
        },
        None => None,
    };
    let contact: BTreeMap<String, String> = [("phone", &phone), ("email", &email)]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.to_owned(), v)))
        .collect();
    check_blacklist(app, project_id, visitor_id, ip, &contact).await?;
    let text = ["Заявка с сайта".to_owned()]
        .into_iter()
        .chain(company.map(|c| format!("Компания: {c}")))
        .chain(custom)
        .chain(list)
        .collect::<Vec<_>>()
        .join("\n");
    let lead = Lead {
        id: String::new(),
        at: app.now(),
        local_time: String::new(),
        channel: Channel::Form,
        name,
        phone,
        email,
        text,
    };
    record_request(app, project_id, visitor_id, &format!("form#{visitor_id}#{request_id}"), lead).await
}

/// A callback request: the number, the name, the chosen group with its own number; recorded
/// in the journal with who is called first and where the call goes.
pub async fn submit_callback(
    app: &App,
    project_id: &str,
    visitor_id: &str,
    request_id: &str,
    phone_number: &str,
    name: Option<String>,
    group: Option<String>,
    ip: Option<IpAddr>,
) -> Result<String> {
    check_client_id(request_id)?;
    let (s, _) = settings(app, project_id).await?;
    let c = &s.callback;
    if !c.enabled {
        return Err(Error::forbidden("callback_closed", "Обратный звонок выключен"));
    }
    let phone_number = phone::normalize("phone", phone_number)?;
    let contact = BTreeMap::from([("phone".to_owned(), phone_number.clone())]);
    check_blacklist(app, project_id, visitor_id, ip, &contact).await?;
    let forward = match &group {
        Some(g) => c
            .groups
            .iter()
            .find(|x| &x.name == g)
            .map(|x| x.number.clone())
            .ok_or_else(|| Error::invalid("group", "unknown_group", "Выберите отдел из списка"))?,
        None => c.forward_number.clone(),
    };
    let first = match c.call_first {
        widget::CallFirst::Manager => "сначала менеджеру",
        widget::CallFirst::Visitor => "сначала посетителю",
    };
    let mut text = format!("Обратный звонок на {phone_number}; звонок {first}");
    if !forward.is_empty() {
        text.push_str(&format!("; переадресация на {forward}"));
    }
    if let Some(g) = &group {
        text.push_str(&format!("; отдел «{g}»"));
    }
    let name = name.map(|n| n.trim().chars().take(100).collect::<String>()).filter(|n| !n.is_empty());
    let lead = Lead {
        id: String::new(),
        at: app.now(),
        local_time: String::new(),
        channel: Channel::Callback,
        name,
        phone: Some(phone_number),
        email: None,
        text,
    };
    record_request(app, project_id, visitor_id, &format!("callback#{visitor_id}#{request_id}"), lead).await
}

async fn record_request(app: &App, project_id: &str, visitor_id: &str, source: &str, lead: Lead) -> Result<String> {
    let (project, _) = projects::get(app, project_id).await?;
    let summary =
        format!("{}{}", lead.text, lead.phone.as_ref().map(|p| format!("\nТелефон: {p}")).unwrap_or_default());
    let channel = lead.channel;
    let contact: BTreeMap<String, String> = [("name", &lead.name), ("phone", &lead.phone), ("email", &lead.email)]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.to_owned(), v)))
        .collect();
    let (id, new) = journal::record(app, project_id, source, lead).await?;
    if !new {
        return Ok(id);
    }
    realtime::push_to_operators(app, project_id, &serde_json::json!({ "type": "lead", "lead_id": id })).await?;
    to_feed(app, project_id, visitor_id, channel, &summary, contact).await?;
    let template = Template::NewRequest { project_name: project.name, summary };
    team::notify_group(app, project_id, Group::Requests, template).await?;
    Ok(id)
}

/// A request or a call in the Dialogs feed (§8 advanced): with «requests in the feed» it is
/// a message of the visitor's open dialog (a new dialog when there is none); with «raise on a
/// call or request» the visitor's open dialog goes to the top of the list.
async fn to_feed(
    app: &App,
    project_id: &str,
    visitor_id: &str,
    channel: Channel,
    summary: &str,
    contact: BTreeMap<String, String>,
) -> Result<()> {
    let (s, _) = settings(app, project_id).await?;
    if !s.chat.requests_in_feed && !s.chat.raise_on_request {
        return Ok(());
    }
    let (vpk, vsk) = visitor_key(project_id, visitor_id);
    let Some(item) = app.ports.table.get(&vpk, &vsk).await? else { return Ok(()) };
    let mut visitor: Visitor = item.decode()?;
    let current = match &visitor.dialog_id {
        Some(id) => Some(load_dialog(app, project_id, id).await?).filter(|(d, _)| d.status == Status::Open),
        None => None,
    };
    if current.is_none() && !s.chat.requests_in_feed {
        return Ok(());
    }
    let now = app.now();
    let (mut d, version) = match current {
        Some((d, v)) => (d, Some(v)),
        None => (Dialog::new(project_id, visitor_id, channel, now), None),
    };
    d.last_at = now;
    for (k, v) in contact {
        d.contact.entry(k).or_insert(v);
    }
    let mut writes = Vec::new();
    let mut message = None;
    if s.chat.requests_in_feed {
        let m = Message {
            id: uuid_v7(),
            from: From::System,
            author: None,
            text: summary.to_owned(),
            at: now,
            read: false,
            contact_request: None,
            client_id: None,
        };
        d.last_text = summary.chars().take(200).collect();
        d.unread += 1;
        writes.push(Write::Put { item: message_item(project_id, &d.id, &m)?, condition: Condition::NotExists });
        message = Some(m);
    }
    writes.push(Write::Put {
        item: dialog_item(&d)?,
        condition: version.map_or(Condition::NotExists, Condition::Version),
    });
    if version.is_none() {
        visitor.dialog_id = Some(d.id.clone());
        writes.push(Write::Put {
            item: Item::new(vpk, vsk, to_json(&visitor)?),
            condition: Condition::Version(item.version),
        });
    }
    app.ports.table.transact(writes).await?;
    let frame = match message {
        Some(m) => serde_json::json!({ "type": "message", "dialog": d, "message": m }),
        None => serde_json::json!({ "type": "dialog", "dialog": d }),
    };
    realtime::push_to_operators(app, project_id, &frame).await?;
    Ok(())
}

// ---- auto-messages ----

/// A timer on the `timers` queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Timer {
    /// No operator has read the visitor's message yet.
    Unread { project_id: String, dialog_id: String, message_id: String },
    /// An operator read it but nobody answered.
    Unanswered { project_id: String, dialog_id: String, message_id: String },
    /// Close the dialog when the visitor has been silent since this message for the
    /// project's auto-close minutes (re-armed in steps of at most 15 minutes).
    AutoClose { project_id: String, dialog_id: String, message_id: String },
}

async fn schedule(app: &App, timer: Timer, after_secs: u32) -> Result<()> {
    let body = serde_json::to_string(&timer).map_err(|e| Error::Internal(e.to_string()))?;
    let delay = Duration::from_secs(u64::from(after_secs)).min(beseda_ports::queue::MAX_DELAY);
    app.ports.queue.send(TIMERS.name, &body, delay).await?;
    Ok(())
}

/// Fires a timer: sends the auto-message when its condition still holds. A redelivered timer
/// sends nothing twice (the message id is derived from the timer).
pub async fn fire(app: &App, body: &str) -> Result<bool> {
    let timer: Timer = serde_json::from_str(body).map_err(|e| Error::invalid("body", "bad_timer", e.to_string()))?;
    match &timer {
        Timer::Unread { project_id, dialog_id, message_id } => {
            auto_message(app, project_id, dialog_id, message_id, "unread").await
        }
        Timer::Unanswered { project_id, dialog_id, message_id } => {
            auto_message(app, project_id, dialog_id, message_id, "unanswered").await
        }
        Timer::AutoClose { project_id, dialog_id, message_id } => {
            auto_close(app, project_id, dialog_id, message_id).await
        }
    }
}

async fn auto_close(app: &App, project_id: &str, dialog_id: &str, message_id: &str) -> Result<bool> {
    let (s, _) = settings(app, project_id).await?;
    let Some(minutes) = s.chat.auto_close_minutes.filter(|m| *m > 0) else { return Ok(false) };
    let Ok(d) = dialog(app, project_id, dialog_id).await else { return Ok(false) };
    let pk = dialog_pk(project_id, dialog_id);
    let Some(item) = app.ports.table.get(&pk, &format!("msg#{message_id}")).await? else { return Ok(false) };
    let last: Message = item.decode()?;
    let later = messages(app, project_id, dialog_id, Some(message_id)).await?;
    if d.status != Status::Open || later.iter().any(|m| m.from == From::Visitor) {
        return Ok(false);
    }
    let silent = (app.now() - last.at).num_seconds().max(0);
    let needed = i64::from(minutes) * 60;
    if silent < needed {
        let timer = Timer::AutoClose {
            project_id: project_id.into(),
            dialog_id: dialog_id.into(),
            message_id: message_id.into(),
        };
        schedule(app, timer, u32::try_from(needed - silent).unwrap_or(u32::MAX)).await?;
        return Ok(false);
    }
    set_status(app, project_id, dialog_id, Status::Closed).await?;
    Ok(true)
}

async fn auto_message(app: &App, project_id: &str, dialog_id: &str, message_id: &str, kind: &str) -> Result<bool> {
    let (s, _) = settings(app, project_id).await?;
    let auto = if kind == "unread" { &s.chat.unread } else { &s.chat.unanswered };
    let pk = dialog_pk(project_id, dialog_id);
    let claim_sk = format!("auto#{kind}#{message_id}");
    for _ in 0..5 {
        let Ok((mut d, version)) = load_dialog(app, project_id, dialog_id).await else { return Ok(false) };
        let later = messages(app, project_id, dialog_id, Some(message_id)).await?;
        let answered = later.iter().any(|m| m.from == From::Operator);
        let read = d.operator_read_up_to.as_deref().is_some_and(|r| r >= message_id);
        let due = d.status == Status::Open
            && auto.enabled
            && !answered
            && !(s.chat.no_auto_after_reply && d.operator_replied)
            && if kind == "unread" { !read } else { read };
        if !due || app.ports.table.get(&pk, &claim_sk).await?.is_some() {
            return Ok(false);
        }
        let now = app.now();
        let message = Message {
            id: uuid_v7(),
            from: From::System,
            author: None,
            text: auto.text.clone(),
            at: now,
            read: false,
            contact_request: auto.contact_request.clone(),
            client_id: None,
        };
        if auto.contact_request.is_some() {
            d.pending_contact_request = auto.contact_request.clone();
        }
        // The list keeps showing the visitor's words, not the robot's.
        d.last_at = now;
        if append(app, &d, version, &claim_sk, &message).await? {
            return Ok(true);
        }
    }
    Err(Error::conflict("busy", "the dialog kept changing"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::NewUser;
    use crate::billing;
    use crate::projects::NewProject;
    use crate::team::NewMember;
    use crate::testing;

    struct World {
        app: App,
        project: String,
        operator: Profile,
        member: projects::Membership,
    }

    async fn world() -> (World, std::sync::Arc<beseda_ports::FixedClock>) {
        let (app, clock, _) = testing::app();
        let owner =
            accounts::create_user(&app, NewUser { email: "owner@x.ru".into(), ..Default::default() }, "password1")
                .await
                .unwrap();
        let new =
            NewProject { name: "Ромашка".into(), domains: vec!["romashka.ru".into()], ..Default::default() };
        let p = projects::create(&app, &owner.id, new, None).await.unwrap();
        billing::start_trial(&app, &p.id).await.unwrap();
        let added = team::add(
            &app,
            &p.id,
            NewMember {
                email: "op@x.ru".into(),
                first_name: "Анна".into(),
                accesses: vec![Access::Operator],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let operator = accounts::get_profile(&app, &added.user_id).await.unwrap();
        let member = projects::membership(&app, &p.id, &operator.id).await.unwrap().unwrap().0;
        (World { app, project: p.id, operator, member }, clock)
    }

    fn msg(text: &str, client_id: &str) -> VisitorMessage {
        VisitorMessage { text: text.into(), client_id: client_id.into(), ..Default::default() }
    }

    async fn visitor(w: &World) -> Visitor {
        let (_, token) = create_visitor(&w.app, &w.project).await.unwrap();
        visitor_from_token(&w.app, &w.project, &token).await.unwrap()
    }

    async fn refreshed(w: &World, v: &Visitor) -> Visitor {
        let (pk, sk) = visitor_key(&w.project, &v.id);
        w.app.ports.table.get(&pk, &sk).await.unwrap().unwrap().decode().unwrap()
    }

    #[tokio::test]
    async fn the_chat_opens_only_with_an_operator_online() {
        let (w, _) = world().await;
        let v = visitor(&w).await;
        assert!(matches!(
            send_from_visitor(&w.app, &w.project, &v, msg("Здравствуйте", "c1")).await,
            Err(Error::Forbidden { code: "chat_closed", .. })
        ));
        set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let config = public_config(&w.app, &w.project, None).await.unwrap();
        assert_eq!(config.chat["enabled"], true);
        assert_eq!(config.chat["welcome"], "Здравствуйте! Меня зовут Анна. Чем могу помочь?");
        let (m, d) = send_from_visitor(&w.app, &w.project, &v, msg("Здравствуйте", "c1")).await.unwrap();
        assert_eq!((d.unread, m.from), (1, From::Visitor));
        let v = refreshed(&w, &v).await;
        let (again, _) = send_from_visitor(&w.app, &w.project, &v, msg("Здравствуйте", "c1")).await.unwrap();
        assert_eq!(again.id, m.id, "a retry with the same client id makes no second message");
        let stored = messages(&w.app, &w.project, &d.id, None).await.unwrap();
        assert_eq!(stored.len(), 2, "the welcome the visitor answered, and the message once");
        assert_eq!((stored[0].from, stored[1].client_id.as_deref()), (From::System, Some("c1")));
        let (leads, _) = journal::list(&w.app, &w.project, "Europe/Moscow", 10, None).await.unwrap();
        assert_eq!(leads.len(), 1, "the dialog is a lead in the journal");
        assert!(matches!(
            send_from_visitor(&w.app, &w.project, &v, msg(&"я".repeat(4001), "c2")).await,
            Err(Error::Invalid { code: "message_too_long", .. })
        ));
    }

    #[tokio::test]
    async fn operator_reads_and_replies_and_the_visitor_sees_it() {
        let (w, _) = world().await;
        set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let v = visitor(&w).await;
        let (_, d) = send_from_visitor(&w.app, &w.project, &v, msg("Есть доставка?", "c1")).await.unwrap();
        assert_eq!(
            list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap().len(),
            1,
            "unassigned dialogs are everyone's"
        );
        let (opened, msgs) = open_for_operator(&w.app, &w.project, &d.id, &w.member).await.unwrap();
        assert_eq!(opened.unread, 0);
        assert!(msgs.iter().filter(|m| m.from == From::Visitor).all(|m| m.read), "the visitor's messages are read");
        let (answer, d) = reply(&w.app, &w.project, &d.id, &w.operator, "Да, за 2 часа", "r1").await.unwrap();
        assert_eq!(answer.author.as_deref(), Some("Анна"));
        assert_eq!(d.assignee.as_deref(), Some(w.operator.id.as_str()));
        let v = refreshed(&w, &v).await;
        let (_, seen) = visitor_view(&w.app, &w.project, &v).await.unwrap().unwrap();
        assert_eq!(
            seen.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
            ["Здравствуйте! Меня зовут Анна. Чем могу помочь?", "Есть доставка?", "Да, за 2 часа"]
        );
        set_status(&w.app, &w.project, &d.id, Status::Closed).await.unwrap();
        assert_eq!(list(&w.app, &w.project, &w.operator.id, Folder::Archive).await.unwrap().len(), 1);
        assert!(list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn an_unread_message_gets_the_auto_message_once_with_its_contact_request() {
        let (w, _) = world().await;
        set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let v = visitor(&w).await;
        let (m, d) = send_from_visitor(&w.app, &w.project, &v, msg("Алло", "c1")).await.unwrap();
        let timers = w.app.ports.queue.receive(TIMERS.name, 10, Duration::from_secs(0)).await.unwrap();
        assert!(timers.is_empty(), "the timer waits its 15 s on the queue");
        let body = serde_json::to_string(&Timer::Unread {
            project_id: w.project.clone(),
            dialog_id: d.id.clone(),
            message_id: m.id.clone(),
        })
        .unwrap();
        assert!(fire(&w.app, &body).await.unwrap());
        assert!(!fire(&w.app, &body).await.unwrap(), "a redelivered timer sends nothing");
        let v = refreshed(&w, &v).await;
        let (d, seen) = visitor_view(&w.app, &w.project, &v).await.unwrap().unwrap();
        assert_eq!(seen.len(), 3, "welcome, the visitor's message, the auto-message");
        assert_eq!(seen[2].from, From::System);
        assert!(seen[2].contact_request.is_some());
        assert!(d.pending_contact_request.is_some());
        // The default request's phone is optional: the visitor may go on writing.
        send_from_visitor(&w.app, &w.project, &v, msg("Ещё вопрос", "c2")).await.unwrap();
    }

    #[tokio::test]
    async fn a_silent_visitors_dialog_closes_after_the_set_minutes() {
        let (w, clock) = world().await;
        set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let v = visitor(&w).await;
        let (m, d) = send_from_visitor(&w.app, &w.project, &v, msg("Подумаю", "c1")).await.unwrap();
        let timer = serde_json::to_string(&Timer::AutoClose {
            project_id: w.project.clone(),
            dialog_id: d.id.clone(),
            message_id: m.id.clone(),
        })
        .unwrap();
        clock.advance(chrono::Duration::minutes(15));
        assert!(!fire(&w.app, &timer).await.unwrap(), "60 minutes by default: re-armed, still open");
        clock.advance(chrono::Duration::minutes(45));
        assert!(fire(&w.app, &timer).await.unwrap());
        assert_eq!(dialog(&w.app, &w.project, &d.id).await.unwrap().status, Status::Closed);

        let v = refreshed(&w, &v).await;
        let (m1, d2) = send_from_visitor(&w.app, &w.project, &v, msg("Вернулся", "c2")).await.unwrap();
        assert_ne!(d2.id, d.id, "a closed dialog is not reopened by the visitor: a new one starts");
        let v = refreshed(&w, &v).await;
        send_from_visitor(&w.app, &w.project, &v, msg("Ещё тут", "c3")).await.unwrap();
        clock.advance(chrono::Duration::minutes(61));
        let old = serde_json::to_string(&Timer::AutoClose {
            project_id: w.project.clone(),
            dialog_id: d2.id.clone(),
            message_id: m1.id,
        })
        .unwrap();
        assert!(!fire(&w.app, &old).await.unwrap(), "a later visitor message owns the auto-close");
    }

    #[tokio::test]
    async fn a_required_contact_field_blocks_the_dialog_until_filled() {
        let (w, _) = world().await;
        set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        let (mut s, _) = settings(&w.app, &w.project).await.unwrap();
        s.fields.push(widget::Field { id: "inn".into(), label: "ИНН".into(), kind: FieldKind::Text });
        s.chat.welcome_contact_request =
            Some(ContactRequest { fields: vec![widget::RequestedField { field: "inn".into(), required: true }] });
        save_settings(&w.app, &w.project, s).await.unwrap();
        let v = visitor(&w).await;
        send_from_visitor(&w.app, &w.project, &v, msg("Нужен счёт", "c1")).await.unwrap();
        let v = refreshed(&w, &v).await;
        assert!(matches!(
            send_from_visitor(&w.app, &w.project, &v, msg("Алло?", "c2")).await,
            Err(Error::Conflict { code: "contact_required", .. })
        ));
        assert!(matches!(
            set_contact(&w.app, &w.project, &v, BTreeMap::new()).await,
            Err(Error::Invalid { code: "contact_required", .. })
        ));
        let d =
            set_contact(&w.app, &w.project, &v, BTreeMap::from([("inn".into(), "7707083893".into())])).await.unwrap();
        assert_eq!(d.contact["inn"], "7707083893");
        send_from_visitor(&w.app, &w.project, &v, msg("Алло?", "c2")).await.unwrap();
    }

    #[tokio::test]
    async fn a_schedule_switches_the_operator_from_the_next_day() {
        let (w, clock) = world().await;
        let mut hours = vec![vec![false; 24]; 7];
        for day in hours.iter_mut() {
            day[10] = true;
        }
        set_schedule(&w.app, &w.project, std::slice::from_ref(&w.operator.id), Some(hours)).await.unwrap();
        clock.set(chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 25, 7, 30, 0).unwrap());
        assert_eq!(apply_schedules(&w.app).await.unwrap(), 0, "not before the next day");
        clock.set(chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 26, 7, 30, 0).unwrap());
        assert_eq!(apply_schedules(&w.app).await.unwrap(), 1, "10:30 in Moscow: on");
        assert!(presence(&w.app, &w.project, &w.operator.id).await.unwrap().online);
        clock.set(chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 26, 8, 30, 0).unwrap());
        assert_eq!(apply_schedules(&w.app).await.unwrap(), 1, "11:30: off");
        assert!(!presence(&w.app, &w.project, &w.operator.id).await.unwrap().online);
        let ops = operators(&w.app, &w.project).await.unwrap();
        assert!(ops[0].schedule.is_some());
    }

    #[tokio::test]
    async fn blacklisted_visitors_are_refused() {
        let (w, _) = world().await;
        set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
        blacklist::add(&w.app, &w.project, blacklist::Kind::Ip, "203.0.113.0/24", "spam").await.unwrap();
        let v = visitor(&w).await;
        let input = VisitorMessage { ip: "203.0.113.9".parse().ok(), ..msg("Купите", "c1") };
        assert!(matches!(
            send_from_visitor(&w.app, &w.project, &v, input).await,
            Err(Error::Forbidden { code: "blacklisted", .. })
        ));
        let form =
            FormValues { name: Some("Спам".into()), phone: Some("+79123456789".into()), ..Default::default() };
        assert!(matches!(
            submit_form(&w.app, &w.project, &v.id, "f1", form, "203.0.113.9".parse().ok()).await,
            Err(Error::Forbidden { code: "blacklisted", .. })
        ));
    }

    #[tokio::test]
    async fn form_and_callback_land_in_the_journal_once() {
        let (w, _) = world().await;
        let v = visitor(&w).await;
        assert!(matches!(
            submit_form(&w.app, &w.project, &v.id, "f1", FormValues::default(), None).await,
            Err(Error::Invalid { field: "name", .. })
        ));
        let form =
            FormValues { name: Some("Анна".into()), phone: Some("8 912 345-67-89".into()), ..Default::default() };
        let a = submit_form(&w.app, &w.project, &v.id, "f1", form.clone(), None).await.unwrap();
        assert_eq!(submit_form(&w.app, &w.project, &v.id, "f1", form, None).await.unwrap(), a);
        let (mut s, _) = settings(&w.app, &w.project).await.unwrap();
        s.callback.hours = widget::always();
        s.callback.groups =
            vec![widget::CallbackGroup { name: "Продажи".into(), number: "+74951234567".into() }];
        save_settings(&w.app, &w.project, s).await.unwrap();
        submit_callback(
            &w.app,
            &w.project,
            &v.id,
            "cb1",
            "+79990001122",
            Some("Олег".into()),
            Some("Продажи".into()),
            None,
        )
        .await
        .unwrap();
        let (leads, _) = journal::list(&w.app, &w.project, "Europe/Moscow", 10, None).await.unwrap();
        assert_eq!(leads.len(), 2);
        let feed = list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap();
        assert_eq!(feed.len(), 1, "both requests are in the Dialogs feed, in one dialog of the visitor");
        let (_, msgs) = open_for_operator(&w.app, &w.project, &feed[0].id, &w.member).await.unwrap();
        assert_eq!(msgs.len(), 2);
        assert!(msgs[1].text.starts_with("Обратный звонок на +79990001122"));
        assert_eq!(
            feed[0].contact.get("phone").map(String::as_str),
            Some("+79123456789"),
            "the contact card has the request's phone"
        );
        assert!(
            leads[0].text.contains("переадресация на +74951234567") && leads[0].text.contains("сначала менеджеру"),
            "{}",
            leads[0].text
        );
        assert_eq!(leads[1].phone.as_deref(), Some("+79123456789"));
    }
}
