//! The website widget's side of the chat (PRODUCT.md §8): the widget's settings and what a
//! visitor's browser is told of them, anonymous visitors and their tokens, and what a visitor
//! does besides writing (reading, typing, filling a contact request).

use super::inbound::{Arrival, arrive, check_blacklist, check_client_id, check_text, fresh_dialog};
use super::model::{Dialog, From, Kind, Message, Source, Status, mark_read};
use super::presence::first_online_operator;
use super::store::{self, dialog, load, messages, new_id, to_json};

use crate::widget::{self, FieldKind};
use crate::{App, Error, Result, accounts, blacklist, cache, keys, phone, projects, realtime, secrets};
use beseda_ports::table::{Condition, Item, Write};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;
use utoipa::ToSchema;

pub async fn settings(app: &App, project_id: &str) -> Result<(widget::Settings, Option<u64>)> {
    let (pk, sk) = keys::widget_settings(project_id);
    Ok(match app.ports.table.get(&pk, &sk).await? {
        Some(item) => (item.decode()?, Some(item.version)),
        None => (widget::Settings::default(), None),
    })
}

pub async fn save_settings(app: &App, project_id: &str, settings: widget::Settings) -> Result<widget::Settings> {
    settings.validate()?;
    let (pk, sk) = keys::widget_settings(project_id);
    app.ports.table.put(Item::new(pk, sk, to_json(&settings)?), Condition::Always).await?;
    Ok(settings)
}

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
    let (pk, sk) = keys::visitor(project_id, &id);
    app.ports.table.put(Item::new(pk, sk, to_json(&visitor)?), Condition::NotExists).await?;
    Ok((id.clone(), format!("{id}.{secret}")))
}

pub async fn visitor_from_token(app: &App, project_id: &str, token: &str) -> Result<Visitor> {
    let (id, secret) = token.split_once('.').ok_or(Error::Unauthenticated)?;
    let (pk, sk) = keys::visitor(project_id, id);
    let item = app.ports.table.get(&pk, &sk).await?.ok_or(Error::Unauthenticated)?;
    let visitor: Visitor = item.decode()?;
    if visitor.token_hash == secrets::token_hash(secret) { Ok(visitor) } else { Err(Error::Unauthenticated) }
}

/// A dialog and its newest messages, as the visitor sees them.
pub async fn visitor_view(app: &App, project_id: &str, visitor: &Visitor) -> Result<Option<(Dialog, Vec<Message>)>> {
    let Some(id) = &visitor.dialog_id else { return Ok(None) };
    let d = dialog(app, project_id, id).await?;
    let (mut msgs, _) = store::newest(app, project_id, id, None, super::operator::MESSAGES).await?;
    mark_read(&mut msgs, &d);
    Ok(Some((d, msgs)))
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
    let (mut d, version) = load(app, project_id, &id).await?;
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
        d.update_contact([(field, value)], app.now());
    }
    if let Some(field) = d.missing_contact() {
        let label = s.fields.iter().find(|f| f.id == field).map_or(field.clone(), |f| f.label.clone());
        return Err(Error::invalid("values", "contact_required", format!("Заполните поле «{label}»")));
    }
    check_blacklist(app, project_id, &visitor.id, None, &d.contact).await?;
    d.pending_contact_request = None;
    app.ports.table.put(store::dialog_item(&d)?, Condition::Version(version)).await?;
    crate::journal::follow_dialog(app, &super::inbound::lead_source(&d.id), &d).await?;
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
    let (mut d, version) = load(app, project_id, id).await?;
    let last = messages(app, project_id, id, d.visitor_read_up_to.as_deref())
        .await?
        .into_iter()
        .filter(|m| m.from != From::Visitor)
        .last();
    let Some(last) = last else { return Ok(()) };
    d.visitor_read_up_to = Some(last.id.clone());
    app.ports.table.put(store::dialog_item(&d)?, Condition::Version(version)).await?;
    realtime::push_to_operators(
        app,
        project_id,
        &serde_json::json!({ "type": "read", "dialog_id": id, "by": "visitor", "up_to": last.id }),
    )
    .await?;
    Ok(())
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

/// A visitor writes. A new dialog starts when there is none (or the last was closed), opened
/// by the welcome or the hook the visitor answered; the rest is the inbound path's. Then the
/// "not read in N s" timer is set.
///
/// A write that met a concurrent one of the same dialog (the visitor's other tab, an operator's
/// read mark, a timer) is tried again on what is stored now: the visitor never gets `busy`
/// for it.
pub async fn send_from_visitor(
    app: &App,
    project_id: &str,
    visitor: &Visitor,
    input: VisitorMessage,
) -> Result<(Message, Dialog)> {
    if let Some(sent) = try_send(app, project_id, visitor, input.clone()).await? {
        return Ok(sent);
    }
    for _ in 0..SEND_TRIES {
        let (pk, sk) = keys::visitor(project_id, &visitor.id);
        let now: Visitor = app.ports.table.get(&pk, &sk).await?.ok_or(Error::NotFound("visitor"))?.decode()?;
        if let Some(sent) = try_send(app, project_id, &now, input.clone()).await? {
            return Ok(sent);
        }
    }
    Err(Error::conflict("busy", "Сообщение не сохранилось из-за одновременной записи; отправьте ещё раз"))
}

/// How many more times a visitor's message is tried after a concurrent write.
const SEND_TRIES: usize = 8;

/// One try of [`send_from_visitor`]; None when a concurrent write changed the dialog.
async fn try_send(
    app: &App,
    project_id: &str,
    visitor: &Visitor,
    input: VisitorMessage,
) -> Result<Option<(Message, Dialog)>> {
    let text = check_text(&input.text)?;
    check_client_id(&input.client_id)?;
    let current = match &visitor.dialog_id {
        Some(id) => Some(load(app, project_id, id).await?),
        None => None,
    };
    let contact = current.as_ref().map(|(d, _)| d.contact.clone()).unwrap_or_default();
    check_blacklist(app, project_id, &visitor.id, input.ip, &contact).await?;
    let claim_sk = keys::client_claim(&input.client_id);
    if let Some((d, _)) = &current {
        if let Some(existing) = store::claimed(app, project_id, &d.id, &claim_sk).await? {
            return Ok(Some((existing, d.clone())));
        }
        if let Some(field) = d.missing_contact() {
            return Err(Error::conflict(
                "contact_required",
                format!("Заполните поле «{field}», чтобы продолжить диалог"),
            ));
        }
    }
    let s = cache::settings(app, project_id).await?;
    let now = app.now();
    let (open, previous) = match current {
        Some((d, v)) if d.status == Status::Open => (Some((d, v)), None),
        other => (None, other.map(|(d, _)| d)),
    };
    let mut fresh = fresh_dialog(app, project_id, &visitor.id, Source::Chat, previous.as_ref());
    let mut greeting = None;
    if open.is_none() {
        let config = public_config(app, project_id, input.ip).await?;
        if config.chat["enabled"] != serde_json::json!(true) {
            return Err(Error::forbidden("chat_closed", "Чат сейчас не работает: оставьте заявку или позвоните нам"));
        }
        let hook = input.hook_id.as_ref().and_then(|id| config.hooks.iter().find(|h| &h.id == id));
        let (kind, text, request) = match hook {
            Some(h) => (Kind::Hook, h.text.clone(), h.contact_request.clone()),
            None => (
                Kind::Welcome,
                config.chat["welcome"].as_str().unwrap_or_default().to_owned(),
                s.chat.welcome_contact_request.clone(),
            ),
        };
        let mut g = Message::new(new_id(), &fresh.id, kind, text, now);
        g.contact_request = request;
        fresh.pending_contact_request = g.contact_request.clone();
        fresh.page_url = crate::text::page_url(input.page_url.as_deref());
        fresh.ip = input.ip.map(|ip| ip.to_string());
        greeting = Some(g);
    }
    let mut message = Message::new(new_id(), "", Kind::Visitor, text, now);
    message.client_id = Some(input.client_id.clone());
    let mut remembered = visitor.clone();
    let pid = project_id.to_owned();
    let arrival = Arrival {
        current: open.clone(),
        fresh,
        greeting,
        message,
        claim_sk: Some(claim_sk.clone()),
        writes: Vec::new(),
        remember: Box::new(move |d: &Dialog| {
            remembered.dialog_id = Some(d.id.clone());
            let (pk, sk) = keys::visitor(&pid, &remembered.id);
            Ok(Write::Put { item: Item::new(pk, sk, to_json(&remembered)?), condition: Condition::Exists })
        }),
        contact: BTreeMap::new(),
        lead: true,
        timers: Some(s),
    };
    Ok(arrive(app, project_id, arrival).await?.map(|a| (a.message, a.dialog)))
}
