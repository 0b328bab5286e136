//! The one way in for a customer's message, whatever its source (the site chat, a request
//! form, a callback, a messenger): it joins the customer's open dialog or starts a new one
//! (remembering the earlier dialog for the history), fills the contact card from what was
//! written, and stores the message, the dialog, the retry or event claim, the pointer to the
//! customer's current dialog and a new dialog's lead in the journal in ONE transaction, with
//! the queue messages the message starts (the site chat's timers, group 2's notifications of
//! a new dialog and of a message left unanswered); only then are the operators told.

use super::contacts;
use super::model::{Dialog, Kind, Message, Source};
use super::store::{self, new_id};
use crate::journal::{self, Lead};
use crate::notify::{self, CustomerEvent};
use crate::{App, Error, Result, blacklist, realtime, statistics, widget};
use beseda_ports::table::Write;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// A customer's message on its way in.
pub(crate) struct Arrival {
    /// The customer's open dialog and its version, if there is one.
    pub current: Option<(Dialog, u64)>,
    /// The dialog to start when there is no open one.
    pub fresh: Dialog,
    /// A new dialog's first message from our side (the welcome or hook the visitor answered).
    pub greeting: Option<Message>,
    pub message: Message,
    /// A retry claim in the dialog's partition (the sender's own message id).
    pub claim_sk: Option<String>,
    /// Further writes of the caller, in the same transaction (a platform event's claim).
    pub writes: Vec<Write>,
    /// Where the customer's current dialog is remembered; written when a new dialog starts.
    pub remember: Box<dyn FnOnce(&Dialog) -> Result<Write> + Send>,
    /// The contact card fields the source itself gives (a request's name and phone).
    pub contact: BTreeMap<String, String>,
    /// Whether a new dialog is a lead of its own (a request was recorded as one already).
    pub lead: bool,
    /// The project's widget settings when the message arms the site chat's timers.
    pub timers: Option<widget::Settings>,
}

/// What was stored.
pub(crate) struct Arrived {
    pub dialog: Dialog,
    pub message: Message,
}

/// Stores an arrival. None when a condition failed: the dialog changed meanwhile, or the claim
/// was taken by a concurrent copy of the same message (the caller reloads and decides).
pub(crate) async fn arrive(app: &App, project_id: &str, a: Arrival) -> Result<Option<Arrived>> {
    let Arrival {
        current,
        fresh,
        greeting,
        mut message,
        claim_sk,
        mut writes,
        remember,
        contact,
        lead: is_lead,
        timers,
    } = a;
    let new_dialog = current.is_none();
    let (mut dialog, version) = match current {
        Some((d, v)) => (d, Some(v)),
        None => (fresh, None),
    };
    message.dialog_id = dialog.id.clone();
    let known = dialog.contact.clone();
    // What the customer typed into a request is their newest data; a platform's profile and
    // what their words mention only fill the gaps.
    if message.kind == Kind::Request {
        dialog.update_contact(contact, message.at);
    } else {
        dialog.fill_contact(contact);
        dialog.fill_contact(contacts::found_in(&message.text));
    }
    let begins_wait = dialog.receive(&message);
    if let Some(sk) = &claim_sk {
        writes.push(store::put_claim(project_id, &dialog.id, sk, &message.id));
    }
    writes.push(store::put_message(project_id, &message)?);
    if new_dialog {
        if let Some(mut g) = greeting {
            g.dialog_id = dialog.id.clone();
            writes.push(store::put_message(project_id, &g)?);
        }
        writes.push(remember(&dialog)?);
        writes.push(store::put_contact_link(&dialog));
        if is_lead {
            let lead = lead(&dialog, &message);
            writes.extend(journal::writes(project_id, &lead_source(&dialog.id), &lead)?);
            let tz = statistics::zone(app, project_id).await;
            writes.push(statistics::request(tz, project_id, &lead.id, lead.channel, lead.at)?);
        }
    }
    writes.push(store::put_dialog(&dialog, version)?);
    let mut sends = match &timers {
        Some(s) => super::timers::after_customer_message(s, &dialog, &message)?,
        None => Vec::new(),
    };
    if is_lead && new_dialog {
        sends.push(notify::customer_job(project_id, &dialog.id, &message.id, CustomerEvent::NewDialog)?);
    }
    // The worker mails about the first message of a wait only, so later ones arm nothing.
    if is_lead && begins_wait {
        sends.push(notify::customer_job(project_id, &dialog.id, &message.id, CustomerEvent::Unanswered)?);
    }
    if !store::commit(app, writes, sends).await? {
        return Ok(None);
    }
    let frame = serde_json::json!({ "type": "message", "dialog": dialog, "message": message });
    realtime::push_to_operators(app, project_id, &frame).await?;
    if !new_dialog && dialog.contact != known {
        journal::follow_dialog(app, &lead_source(&dialog.id), &dialog).await?;
    }
    Ok(Some(Arrived { dialog, message }))
}

/// The journal's source id of a dialog's lead.
pub(crate) fn lead_source(dialog_id: &str) -> String {
    format!("dialog#{dialog_id}")
}

/// A new dialog's lead: its source, the customer's first words and what the card knows.
fn lead(d: &Dialog, first: &Message) -> Lead {
    let mut lead = Lead::new(d.source, first.at, first.text.clone());
    lead.id = new_id();
    lead.follow(d);
    lead
}

/// A new dialog for a customer; `previous` is their last (closed) dialog, if any.
pub(crate) fn fresh_dialog(
    app: &App,
    project_id: &str,
    contact_id: &str,
    source: Source,
    previous: Option<&Dialog>,
) -> Dialog {
    let mut d = Dialog::new(new_id(), project_id, contact_id, source, app.now());
    if let Some(p) = previous {
        d.previous_dialog_id = Some(p.id.clone());
        d.contact = p.contact.clone();
    }
    d
}

pub(crate) fn check_text(text: &str) -> Result<String> {
    let text = crate::text::clean(text);
    if text.is_empty() {
        return Err(Error::invalid("text", "empty_message", "Напишите сообщение"));
    }
    if text.chars().count() > super::MAX_TEXT {
        return Err(Error::invalid(
            "text",
            "message_too_long",
            format!("Сообщение — не длиннее {} символов", super::MAX_TEXT),
        ));
    }
    Ok(text.to_owned())
}

pub(crate) fn check_client_id(client_id: &str) -> Result<()> {
    let ok = !client_id.is_empty()
        && client_id.len() <= 64
        && client_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid("client_id", "invalid_client_id", "client_id — до 64 латинских букв, цифр, - и _"))
    }
}

pub(crate) async fn check_blacklist(
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
