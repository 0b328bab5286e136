//! The widget's requests (PRODUCT.md §8, §11): the request form and the callback, checked
//! against their settings, recorded once in the journal, mailed to group 2, and — with
//! «requests in the feed» — brought into the visitor's dialog through the inbound path.

use super::inbound::{Arrival, arrive, check_blacklist, check_client_id, fresh_dialog};
use super::model::{Dialog, Message, Source, Status};
use super::request_card::{Labelled, RequestCard};
use super::site::{Visitor, settings};
use super::store::{self, load, new_id, to_json};
use crate::accounts::Language;
use crate::journal::{self, Lead};
use crate::notify::{Group, Template};
use crate::{App, Error, Result, accounts, keys, phone, projects, realtime, team, widget};
use beseda_ports::table::{Condition, Item, Write};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::IpAddr;
use utoipa::ToSchema;

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
        Some(c) => required("custom", c.rule, &values.custom)?.map(|value| Labelled { label: c.label.clone(), value }),
        None => None,
    };
    let list = match &f.custom_list {
        Some(c) => match required("list", c.rule, &values.list)? {
            Some(v) if !c.options.contains(&v) => {
                return Err(Error::invalid("list", "unknown_option", "Выберите значение из списка"));
            }
            v => v.map(|value| Labelled { label: c.label.clone(), value }),
        },
        None => None,
    };
    let contact: BTreeMap<String, String> = [("phone", &phone), ("email", &email)]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.to_owned(), v)))
        .collect();
    check_blacklist(app, project_id, visitor_id, ip, &contact).await?;
    let card =
        RequestCard::Form { name: name.clone(), phone: phone.clone(), email: email.clone(), company, custom, list };
    let lead = Lead { name, phone, email, ..Lead::new(Source::Form, app.now(), String::new()) };
    record_request(app, project_id, visitor_id, &format!("form#{visitor_id}#{request_id}"), card, lead).await
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
    let name = name.map(|n| n.trim().chars().take(100).collect::<String>()).filter(|n| !n.is_empty());
    let card = RequestCard::Callback {
        phone: phone_number.clone(),
        name: name.clone(),
        call_first: c.call_first,
        forward: Some(forward).filter(|f| !f.is_empty()),
        group,
    };
    let lead = Lead { name, phone: Some(phone_number), ..Lead::new(Source::Callback, app.now(), String::new()) };
    record_request(app, project_id, visitor_id, &format!("callback#{visitor_id}#{request_id}"), card, lead).await
}

/// Records a request in the journal once; the first time, also in the visitor's dialog and to
/// group 2. The journal's text is the request in Russian, what its search finds.
async fn record_request(
    app: &App,
    project_id: &str,
    visitor_id: &str,
    source: &str,
    card: RequestCard,
    mut lead: Lead,
) -> Result<String> {
    let (project, _) = projects::get(app, project_id).await?;
    lead.text = card.describe(Language::Ru);
    lead.request = Some(card.clone());
    let channel = lead.channel;
    let contact: BTreeMap<String, String> = [("name", &lead.name), ("phone", &lead.phone), ("email", &lead.email)]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.to_owned(), v)))
        .collect();
    let (id, new) = journal::record(app, project_id, source, lead).await?;
    if !new {
        return Ok(id);
    }
    if let Some(dialog_id) = to_feed(app, project_id, visitor_id, channel, card.clone(), contact).await? {
        journal::link_dialog(app, project_id, source, &dialog_id).await?;
    }
    realtime::push_to_operators(app, project_id, &serde_json::json!({ "type": "lead", "lead_id": id })).await?;
    let template = Template::NewRequest { project_name: project.name, request: card };
    team::notify_group(app, project_id, Group::Requests, template).await?;
    Ok(id)
}

/// A request or a call in the Dialogs feed (§8 advanced): with «requests in the feed» it is
/// the customer's request in the visitor's open dialog (a new dialog when there is none); with
/// «raise on a call or request» the visitor's open dialog goes to the top of the list. The
/// dialog the request went into, if any.
async fn to_feed(
    app: &App,
    project_id: &str,
    visitor_id: &str,
    source: Source,
    card: RequestCard,
    contact: BTreeMap<String, String>,
) -> Result<Option<String>> {
    let (s, _) = settings(app, project_id).await?;
    if !s.chat.requests_in_feed && !s.chat.raise_on_request {
        return Ok(None);
    }
    let (vpk, vsk) = keys::visitor(project_id, visitor_id);
    let Some(item) = app.ports.table.get(&vpk, &vsk).await? else { return Ok(None) };
    let visitor: Visitor = item.decode()?;
    let (open, previous) = match &visitor.dialog_id {
        Some(id) => match load(app, project_id, id).await? {
            (d, v) if d.status == Status::Open => (Some((d, v)), None),
            (d, _) => (None, Some(d)),
        },
        None => (None, None),
    };
    if !s.chat.requests_in_feed {
        let Some((mut d, version)) = open else { return Ok(None) };
        d.last_at = app.now();
        app.ports.table.put(store::dialog_item(&d)?, Condition::Version(version)).await?;
        realtime::push_to_operators(app, project_id, &serde_json::json!({ "type": "dialog", "dialog": d })).await?;
        return Ok(Some(d.id));
    }
    let version = item.version;
    let mut remembered = visitor.clone();
    let pid = project_id.to_owned();
    let arrival = Arrival {
        current: open,
        fresh: fresh_dialog(app, project_id, visitor_id, source, previous.as_ref()),
        greeting: None,
        message: Message::request(new_id(), card, app.now()),
        claim_sk: None,
        writes: Vec::new(),
        remember: Box::new(move |d: &Dialog| {
            remembered.dialog_id = Some(d.id.clone());
            let (pk, sk) = keys::visitor(&pid, &remembered.id);
            Ok(Write::Put { item: Item::new(pk, sk, to_json(&remembered)?), condition: Condition::Version(version) })
        }),
        contact,
        lead: false,
        timers: None,
    };
    arrive(app, project_id, arrival)
        .await?
        .map(|a| Some(a.dialog.id))
        .ok_or_else(|| Error::conflict("busy", "Заявка записана, но диалог менялся одновременно"))
}
