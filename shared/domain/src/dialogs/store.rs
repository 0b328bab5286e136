//! How a dialog is stored: its item (indexed in its folder), its messages, the retry claims,
//! the customer's list of dialogs, and the one transaction that appends a message together
//! with the dialog's new state.

use super::model::{Dialog, Message};
use crate::{App, Error, Result, keys};
use beseda_ports::atomic::Outgoing;
use beseda_ports::table::{Condition, Item, Query, StoreError, Write};
use serde::Serialize;

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))
}

/// A new time-ordered id (UUIDv7) of a message or a dialog.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub(crate) async fn load(app: &App, project_id: &str, dialog_id: &str) -> Result<(Dialog, u64)> {
    let item = app
        .ports
        .table
        .get(&keys::dialog(project_id, dialog_id), keys::DIALOG_META)
        .await?
        .ok_or(Error::NotFound("dialog"))?;
    Ok((item.decode()?, item.version))
}

pub async fn dialog(app: &App, project_id: &str, dialog_id: &str) -> Result<Dialog> {
    Ok(load(app, project_id, dialog_id).await?.0)
}

pub(crate) fn dialog_item(d: &Dialog) -> Result<Item> {
    Ok(Item::new(keys::dialog(&d.project_id, &d.id), keys::DIALOG_META, to_json(d)?)
        .with_index(keys::dialogs_index(&d.project_id, d.status.as_str()), keys::dialogs_entry(&d.last_at, &d.id)))
}

/// The write of a dialog's new state: created when `version` is None, else only over that
/// version.
pub(crate) fn put_dialog(d: &Dialog, version: Option<u64>) -> Result<Write> {
    Ok(Write::Put { item: dialog_item(d)?, condition: version.map_or(Condition::NotExists, Condition::Version) })
}

pub(crate) fn put_message(project_id: &str, m: &Message) -> Result<Write> {
    let item = Item::new(keys::dialog(project_id, &m.dialog_id), keys::message(&m.id), to_json(m)?);
    Ok(Write::Put { item, condition: Condition::NotExists })
}

/// The claim that a sender's id (`sk` in the dialog's partition) made this message.
pub(crate) fn put_claim(project_id: &str, dialog_id: &str, sk: &str, message_id: &str) -> Write {
    let item = Item::new(keys::dialog(project_id, dialog_id), sk, serde_json::json!({ "message_id": message_id }));
    Write::Put { item, condition: Condition::NotExists }
}

/// A new dialog in its customer's list of dialogs (the operator's history).
pub(crate) fn put_contact_link(d: &Dialog) -> Write {
    let item = Item::new(
        keys::contact(&d.project_id, &d.visitor_id),
        keys::contact_dialog(&d.created_at, &d.id),
        serde_json::json!({ "dialog_id": d.id }),
    );
    Write::Put { item, condition: Condition::NotExists }
}

/// The message a claim in the dialog's partition points at, if the claim exists.
pub(crate) async fn claimed(app: &App, project_id: &str, dialog_id: &str, claim_sk: &str) -> Result<Option<Message>> {
    let pk = keys::dialog(project_id, dialog_id);
    let Some(claim) = app.ports.table.get(&pk, claim_sk).await? else { return Ok(None) };
    let id = claim.body["message_id"].as_str().unwrap_or_default();
    Ok(Some(message(app, project_id, dialog_id, id).await?.ok_or(Error::NotFound("message"))?))
}

pub(crate) async fn message(app: &App, project_id: &str, dialog_id: &str, id: &str) -> Result<Option<Message>> {
    let item = app.ports.table.get(&keys::dialog(project_id, dialog_id), &keys::message(id)).await?;
    Ok(item.map(|i| decode_message(&i, dialog_id)).transpose()?)
}

fn decode_message(item: &Item, dialog_id: &str) -> Result<Message> {
    let mut m: Message = item.decode()?;
    if m.dialog_id.is_empty() {
        m.dialog_id = dialog_id.to_owned();
    }
    Ok(m)
}

/// The messages of a dialog after one (all when `after` is None), oldest first.
pub async fn messages(app: &App, project_id: &str, dialog_id: &str, after: Option<&str>) -> Result<Vec<Message>> {
    let pk = keys::dialog(project_id, dialog_id);
    let q = match after {
        Some(id) => {
            Query::partition(&pk).between(format!("{}\u{0001}", keys::message(id)), keys::message("\u{10FFFF}"))
        }
        None => Query::partition(&pk).prefix(keys::MESSAGE_PREFIX),
    };
    let page = app.ports.table.query(q.limit(500)).await?;
    page.items.iter().map(|i| decode_message(i, dialog_id)).collect()
}

/// Up to `limit` of a dialog's newest messages before `before` (or its newest of all), oldest
/// first, and the id of the oldest returned when there are older ones.
pub async fn newest(
    app: &App,
    project_id: &str,
    dialog_id: &str,
    before: Option<&str>,
    limit: usize,
) -> Result<(Vec<Message>, Option<String>)> {
    let pk = keys::dialog(project_id, dialog_id);
    let q = match before {
        Some(id) => {
            if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(Error::invalid("before", "bad_message_id", "Нет такого сообщения"));
            }
            Query::partition(&pk).between(keys::message(""), keys::message(id))
        }
        None => Query::partition(&pk).prefix(keys::MESSAGE_PREFIX),
    };
    // The range is inclusive: the `before` message itself may come back, and is left out.
    let page = app.ports.table.query(q.descending().limit(limit + 2)).await?;
    let items: Vec<&Item> = page.items.iter().filter(|i| before.is_none_or(|b| i.sk != keys::message(b))).collect();
    let more = items.len() > limit || page.next.is_some();
    let mut msgs = items.into_iter().take(limit).map(|i| decode_message(i, dialog_id)).collect::<Result<Vec<_>>>()?;
    msgs.reverse();
    let older = if more { msgs.first().map(|m| m.id.clone()) } else { None };
    Ok((msgs, older))
}

/// The ids of a customer's dialogs, oldest first.
pub(crate) async fn contact_dialogs(app: &App, project_id: &str, contact_id: &str) -> Result<Vec<String>> {
    let q = Query::partition(keys::contact(project_id, contact_id)).prefix(keys::CONTACT_DIALOG_PREFIX).limit(200);
    let page = app.ports.table.query(q).await?;
    Ok(page.items.iter().filter_map(|i| i.body["dialog_id"].as_str().map(str::to_owned)).collect())
}

/// Runs the writes as one transaction with the queue messages they start (timers, a delivery),
/// which are sent only if it commits; false when a condition failed (a concurrent change or a
/// repeated claim).
pub(crate) async fn commit(app: &App, writes: Vec<Write>, sends: Vec<Outgoing>) -> Result<bool> {
    match app.ports.atomic.commit(writes, sends).await {
        Ok(()) => Ok(true),
        Err(StoreError::TransactionCancelled) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
