//! The operator's side of the dialogs (PRODUCT.md §10): the folders, opening a dialog (which
//! reads it) with the customer's earlier dialogs as history, replying (through the
//! `deliveries` queue for a messenger), sending a failed delivery again, typing, closing and
//! reopening.

use super::delivery;
use super::inbound::{check_client_id, check_text, lead_source};
use super::model::{Delivery, Dialog, From, Kind, Message, Status, mark_read};
use super::presence::display_name;
use super::store::{self, dialog, load, new_id};
use super::timers;
use crate::access::Action;
use crate::accounts::Profile;
use crate::{App, Error, Result, billing, journal, keys, projects, ratings, realtime, statistics};
use beseda_ports::table::{Condition, Cursor, Query, StoreError, Write};
use serde::Deserialize;
use utoipa::ToSchema;

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

/// The first page of a folder's dialogs, the most recent first.
pub async fn list(app: &App, project_id: &str, user_id: &str, folder: Folder) -> Result<Vec<Dialog>> {
    Ok(list_page(app, project_id, user_id, folder, None, PAGE).await?.0)
}

/// How many dialogs a page of a folder holds unless asked otherwise.
pub const PAGE: usize = 50;

/// How many dialogs of the index one page looks through at most before it answers with what it
/// found (the cursor goes on from there).
const SCAN: usize = 2000;

/// One page of a folder's dialogs, the most recent first, and the cursor of the next page.
/// Messenger dialogs wait, stored, while the tariff has lapsed, and show again when it is
/// renewed. A cursor of another project or folder is refused.
pub async fn list_page(
    app: &App,
    project_id: &str,
    user_id: &str,
    folder: Folder,
    cursor: Option<&str>,
    limit: usize,
) -> Result<(Vec<Dialog>, Option<String>)> {
    let status = if folder == Folder::Archive { Status::Closed } else { Status::Open };
    let index = keys::dialogs_index(project_id, status.as_str());
    let mut cursor = cursor.map(Cursor::decode).transpose()?;
    if cursor.as_ref().is_some_and(|c| c.gsi1.as_ref().is_none_or(|g| g.pk != index)) {
        return Err(StoreError::BadCursor.into());
    }
    let limit = limit.clamp(1, 200);
    let (account, _) = billing::load(app, project_id).await?;
    let messengers = account.messengers(app.now());
    let shown = |d: &Dialog| {
        (messengers || !d.is_messenger())
            && match folder {
                Folder::Mine => d.assignee.as_deref().is_none_or(|a| a == user_id),
                Folder::Common => d.assignee.as_deref().is_some_and(|a| a != user_id),
                Folder::Archive => true,
            }
    };
    let (mut out, mut scanned) = (Vec::new(), 0);
    loop {
        let q = Query::index(&index).descending().limit(limit.max(100)).after(cursor.take());
        let page = app.ports.table.query(q).await?;
        for (i, item) in page.items.iter().enumerate() {
            scanned += 1;
            let d: Dialog = item.decode()?;
            if shown(&d) {
                out.push(d);
            }
            if out.len() == limit || scanned >= SCAN {
                let more = i + 1 < page.items.len() || page.next.is_some();
                return Ok((out, more.then(|| Cursor::of(item).encode())));
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok((out, None)),
        }
    }
}

/// Opens a dialog for an operator: the newest messages (and the id to page back from, if
/// there are older ones), and when the caller answers dialogs, the
/// customer's messages become read (the visitor sees ✓✓) and the "read but not answered" timer
/// starts.
pub async fn open_for_operator(
    app: &App,
    project_id: &str,
    dialog_id: &str,
    member: &projects::Membership,
) -> Result<(Dialog, Vec<Message>, Option<String>)> {
    let (mut d, version) = load(app, project_id, dialog_id).await?;
    let (mut msgs, older) = store::newest(app, project_id, dialog_id, None, MESSAGES).await?;
    let answers = crate::access::allows(&member.accesses, Action::AnswerDialogs);
    let last_customer = msgs.iter().filter(|m| m.from == From::Visitor).last().map(|m| m.id.clone());
    if answers && d.read_by_operator(last_customer.as_deref()) {
        app.ports.table.put(store::dialog_item(&d)?, Condition::Version(version)).await?;
        if let Some(up_to) = &last_customer {
            realtime::push_to_visitor(
                app,
                project_id,
                &d.visitor_id,
                &serde_json::json!({ "type": "read", "up_to": up_to }),
            )
            .await?;
            timers::after_operator_read(app, &d, up_to).await?;
        }
    }
    mark_read(&mut msgs, &d);
    Ok((d, msgs, older))
}

/// How many of a dialog's newest messages a page holds.
pub const MESSAGES: usize = 100;

/// A dialog's messages before `before`, oldest first, and the id to ask for the page before
/// them, if there are older ones.
pub async fn older_messages(
    app: &App,
    project_id: &str,
    dialog_id: &str,
    before: &str,
) -> Result<(Vec<Message>, Option<String>)> {
    let d = dialog(app, project_id, dialog_id).await?;
    let (mut msgs, older) = store::newest(app, project_id, dialog_id, Some(before), MESSAGES).await?;
    mark_read(&mut msgs, &d);
    Ok((msgs, older))
}

/// The messages of the customer's earlier dialogs, oldest first, each with its dialog id (the
/// operator sees them above a "new dialog" divider).
pub async fn history(app: &App, project_id: &str, d: &Dialog) -> Result<Vec<Message>> {
    let mut out = Vec::new();
    for id in store::contact_dialogs(app, project_id, &d.visitor_id).await? {
        if id == d.id {
            break;
        }
        let (earlier, _) = load(app, project_id, &id).await?;
        let (mut msgs, _) = store::newest(app, project_id, &id, None, MESSAGES).await?;
        mark_read(&mut msgs, &earlier);
        out.extend(msgs);
    }
    Ok(out)
}

/// Writes a message of the operators' side (a reply, an auto-message) with its claim and the
/// dialog's new state, and a messenger reply's delivery job in the same atomic write, then
/// tells the visitor's and the operators' sockets. False when the dialog changed meanwhile
/// (the caller reloads and tries again).
/// `facts` are the statistics facts of the message, in the same write.
pub(crate) async fn append(
    app: &App,
    d: &Dialog,
    version: u64,
    claim_sk: &str,
    message: &Message,
    facts: Vec<Write>,
) -> Result<bool> {
    let mut writes = vec![
        store::put_claim(&d.project_id, &d.id, claim_sk, &message.id),
        store::put_message(&d.project_id, message)?,
        store::put_dialog(d, Some(version))?,
    ];
    writes.extend(facts);
    let mut sends = Vec::new();
    if message.delivery == Some(Delivery::Queued) {
        sends.push(delivery::job(&d.project_id, &d.id, &message.id)?);
    }
    if !store::commit(app, writes, sends).await? {
        return Ok(false);
    }
    push_message(app, d, message).await?;
    Ok(true)
}

/// Tells the visitor's and the operators' sockets of a new or changed message.
pub(crate) async fn push_message(app: &App, d: &Dialog, message: &Message) -> Result<()> {
    let to_visitor = serde_json::json!({ "type": "message", "message": message });
    let to_operators = serde_json::json!({ "type": "message", "dialog": d, "message": message });
    if !d.is_messenger() {
        realtime::push_to_visitor(app, &d.project_id, &d.visitor_id, &to_visitor).await?;
    }
    realtime::push_to_operators(app, &d.project_id, &to_operators).await?;
    Ok(())
}

/// An operator answers: the dialog becomes theirs if nobody had it; a site visitor gets it at
/// once over the socket, a messenger customer through the `deliveries` queue.
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
    let claim_sk = keys::client_claim(client_id);
    for _ in 0..5 {
        let (mut d, version) = load(app, project_id, dialog_id).await?;
        if let Some(existing) = store::claimed(app, project_id, dialog_id, &claim_sk).await? {
            return Ok((existing, d));
        }
        if d.status == Status::Closed {
            return Err(Error::conflict("dialog_closed", "Диалог закрыт; откройте его снова, чтобы ответить"));
        }
        let mut message = Message::new(new_id(), dialog_id, Kind::Operator, text.clone(), app.now());
        message.author = Some(display_name(operator));
        message.client_id = Some(client_id.to_owned());
        if d.is_messenger() {
            message.delivery = Some(Delivery::Queued);
        }
        let first = !d.operator_replied;
        d.reply(&operator.id, &message);
        let tz = statistics::zone(app, project_id).await;
        let mut facts = vec![statistics::operator_message(tz, project_id, &message.id, &operator.id, message.at)?];
        if first {
            facts.push(statistics::first_response(tz, project_id, dialog_id, &operator.id, d.created_at, message.at)?);
        }
        if append(app, &d, version, &claim_sk, &message, facts).await? {
            if first {
                journal::follow_dialog(app, &lead_source(&d.id), &d).await?;
            }
            return Ok((message, d));
        }
    }
    Err(Error::conflict("busy", "Диалог меняется слишком часто; повторите"))
}

/// An operator takes an open dialog: it becomes theirs (the team bot's «Взять диалог»). A
/// write to the dialog at the same moment makes it load the dialog again and retry.
pub async fn take(app: &App, project_id: &str, dialog_id: &str, user_id: &str) -> Result<Dialog> {
    for _ in 0..5 {
        let (mut d, version) = load(app, project_id, dialog_id).await?;
        if d.status == Status::Closed {
            return Err(Error::conflict("dialog_closed", "Диалог закрыт"));
        }
        if d.assignee.as_deref() == Some(user_id) {
            return Ok(d);
        }
        d.assignee = Some(user_id.to_owned());
        match app.ports.table.put(store::dialog_item(&d)?, Condition::Version(version)).await {
            Ok(_) => {
                let frame = serde_json::json!({ "type": "dialog", "dialog": d });
                realtime::push_to_operators(app, project_id, &frame).await?;
                return Ok(d);
            }
            Err(StoreError::ConditionFailed) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::conflict("busy", "Диалог меняется слишком часто; повторите"))
}

/// Sends an operator's message whose delivery failed once more.
pub async fn send_again(app: &App, project_id: &str, dialog_id: &str, message_id: &str) -> Result<Message> {
    let d = store::dialog(app, project_id, dialog_id).await?;
    let m = delivery::set_state(app, &d, message_id, |state| match state {
        Some(Delivery::Failed { .. }) => Ok(Delivery::Queued),
        _ => Err(Error::conflict("not_failed", "Сообщение не требует повторной отправки")),
    })
    .await?;
    delivery::enqueue(app, project_id, dialog_id, message_id).await?;
    Ok(m)
}

pub async fn operator_typing(app: &App, project_id: &str, dialog_id: &str) -> Result<()> {
    let d = store::dialog(app, project_id, dialog_id).await?;
    realtime::push_to_visitor(app, project_id, &d.visitor_id, &serde_json::json!({ "type": "typing" })).await?;
    Ok(())
}

/// Closes or reopens a dialog. Closing one no operator answered counts it as missed; closing a
/// messenger dialog an operator answered, not rated yet, asks the customer for a rating through
/// the `deliveries` queue in the same write (the site's visitor learns it from the dialog's
/// frame and state).
/// A write to the dialog at the same moment (the customer's next message, a read mark) makes
/// it load the dialog again and retry, a few times.
pub async fn set_status(app: &App, project_id: &str, dialog_id: &str, status: Status) -> Result<Dialog> {
    let mut attempts = 0;
    let (d, request) = loop {
        let (mut d, version) = load(app, project_id, dialog_id).await?;
        if !d.set_status(status) {
            return Ok(d);
        }
        let mut writes = vec![store::put_dialog(&d, Some(version))?];
        if d.status == Status::Closed && !d.operator_replied {
            let tz = statistics::zone(app, project_id).await;
            writes.push(statistics::missed(tz, project_id, &d.id, app.now())?);
        }
        let mut sends = Vec::new();
        let request = if d.awaits_rating() && d.is_messenger() {
            let language = ratings::customer_language(app, project_id).await?;
            let m = ratings::request_message(&d, language, app.now());
            writes.push(store::put_message(project_id, &m)?);
            sends.push(delivery::job(project_id, &d.id, &m.id)?);
            Some(m)
        } else {
            None
        };
        if store::commit(app, writes, sends).await? {
            break (d, request);
        }
        if attempts >= 5 {
            return Err(Error::conflict("busy", "Диалог меняется слишком часто; повторите"));
        }
        attempts += 1;
    };
    journal::follow_dialog(app, &lead_source(&d.id), &d).await?;
    let frame = serde_json::json!({ "type": "dialog", "dialog": d });
    realtime::push_to_operators(app, project_id, &frame).await?;
    realtime::push_to_visitor(app, project_id, &d.visitor_id, &frame).await?;
    if let Some(m) = request {
        push_message(app, &d, &m).await?;
    }
    Ok(d)
}
