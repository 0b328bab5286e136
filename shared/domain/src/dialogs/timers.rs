//! The chat's timers on the `timers` queue (PRODUCT.md §8): the auto-messages "not read in
//! 15 s" and "read but not answered", and the auto-close of a dialog whose customer went
//! silent; and the no-reply chain of §12: a dialog still unanswered after M seconds goes to the
//! next online operator, after K seconds the administrators are alerted in Telegram. A
//! redelivered timer does its work once (its claim is derived from the timer).

use super::model::{Auto, Dialog, From, Kind, Message, Source, Status};
use super::operator::{append, set_status};
use super::presence::online_operators;
use super::site::settings;
use super::store::{self, load, messages, new_id};
use crate::{App, Error, Result, keys, notify, realtime, widget};
use beseda_ports::atomic::Outgoing;
use beseda_ports::queue::{MAX_DELAY, TIMERS};
use serde::{Deserialize, Serialize};
use std::time::Duration;

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
    /// Give the dialog to the next online operator when this message, the first of the
    /// customer's wait, is still unanswered (§12).
    Reassign { project_id: String, dialog_id: String, message_id: String },
    /// Alert the administrators in Telegram when it is still unanswered (§12).
    Alert { project_id: String, dialog_id: String, message_id: String },
}

/// The customer's message `message_id` when it is the first of a wait still going on: no
/// operator answered after it, and none of the customer's messages before it since the last
/// answer (robots' messages are no answer).
pub fn first_of_wait<'a>(all: &'a [Message], message_id: &str) -> Option<&'a Message> {
    let at = all.iter().position(|m| m.id == message_id)?;
    let answered = all[at + 1..].iter().any(|m| m.from == From::Operator);
    let waiting_before =
        all[..at].iter().rev().take_while(|m| m.from != From::Operator).any(|m| m.from == From::Visitor);
    (all[at].from == From::Visitor && !answered && !waiting_before).then_some(&all[at])
}

/// Who gets a dialog next (round robin): the online operator after `current` in the order of
/// their ids, never `current` itself; the first one when nobody has the dialog. None when no
/// one else is online.
pub fn next_operator(online: &[String], current: Option<&str>) -> Option<String> {
    let mut ids: Vec<&String> = online.iter().collect();
    ids.sort();
    ids.dedup();
    let Some(current) = current else { return ids.first().map(|s| (*s).clone()) };
    ids.iter()
        .find(|id| id.as_str() > current)
        .or_else(|| ids.first())
        .filter(|id| id.as_str() != current)
        .map(|s| (*s).clone())
}

/// A timer as the queue message that fires it after `after_secs` (at most the queue's 15
/// minutes; a longer wait is re-armed when it fires).
fn outgoing(timer: &Timer, after_secs: u32) -> Result<Outgoing> {
    let body = serde_json::to_string(timer).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Outgoing::new(TIMERS.name, body, Duration::from_secs(u64::from(after_secs)).min(MAX_DELAY)))
}

async fn schedule(app: &App, timer: Timer, after_secs: u32) -> Result<()> {
    let o = outgoing(&timer, after_secs)?;
    app.ports.queue.send(&o.queue, &o.body, o.delay).await?;
    Ok(())
}

/// The timers a site-chat customer's message `m` starts in `d` (as it is after the message):
/// the "not read" auto-message and the auto-close. They go into the message's own atomic
/// write, so a stored message always has its timers and a refused one has none.
pub(crate) fn after_customer_message(s: &widget::Settings, d: &Dialog, m: &Message) -> Result<Vec<Outgoing>> {
    let mut out = Vec::new();
    if d.source != Source::Chat {
        return Ok(out);
    }
    let (project_id, dialog_id, message_id) = (d.project_id.clone(), d.id.clone(), m.id.clone());
    if Auto::Unread.armed(&s.chat, d) {
        let timer = Timer::Unread {
            project_id: project_id.clone(),
            dialog_id: dialog_id.clone(),
            message_id: message_id.clone(),
        };
        out.push(outgoing(&timer, s.chat.unread.after_secs)?);
    }
    if let Some(minutes) = s.chat.auto_close_minutes.filter(|m| *m > 0) {
        let timer = Timer::AutoClose {
            project_id: project_id.clone(),
            dialog_id: dialog_id.clone(),
            message_id: message_id.clone(),
        };
        out.push(outgoing(&timer, minutes.saturating_mul(60))?);
    }
    if let Some(secs) = s.chat.reassign_after_secs {
        let timer = Timer::Reassign {
            project_id: project_id.clone(),
            dialog_id: dialog_id.clone(),
            message_id: message_id.clone(),
        };
        out.push(outgoing(&timer, secs)?);
    }
    if let Some(secs) = s.chat.alert_after_secs {
        out.push(outgoing(&Timer::Alert { project_id, dialog_id, message_id }, secs)?);
    }
    Ok(out)
}

/// Arms the "read but not answered" auto-message when an operator read the customer's
/// messages up to `up_to`.
pub(crate) async fn after_operator_read(app: &App, d: &Dialog, up_to: &str) -> Result<()> {
    if d.source != Source::Chat {
        return Ok(());
    }
    let (s, _) = settings(app, &d.project_id).await?;
    if Auto::Unanswered.armed(&s.chat, d) {
        let timer =
            Timer::Unanswered { project_id: d.project_id.clone(), dialog_id: d.id.clone(), message_id: up_to.into() };
        schedule(app, timer, s.chat.unanswered.after_secs).await?;
    }
    Ok(())
}

/// Fires a timer: sends the auto-message, closes the dialog, passes it on or alerts the
/// administrators when its condition still holds (and the project still wants it).
pub async fn fire(app: &App, body: &str) -> Result<bool> {
    let timer: Timer = serde_json::from_str(body).map_err(|e| Error::invalid("body", "bad_timer", e.to_string()))?;
    match &timer {
        Timer::Unread { project_id, dialog_id, message_id } => {
            auto_message(app, project_id, dialog_id, message_id, Auto::Unread).await
        }
        Timer::Unanswered { project_id, dialog_id, message_id } => {
            auto_message(app, project_id, dialog_id, message_id, Auto::Unanswered).await
        }
        Timer::AutoClose { project_id, dialog_id, message_id } => {
            auto_close(app, project_id, dialog_id, message_id).await
        }
        Timer::Reassign { project_id, dialog_id, message_id } => reassign(app, project_id, dialog_id, message_id).await,
        Timer::Alert { project_id, dialog_id, message_id } => alert(app, project_id, dialog_id, message_id).await,
    }
}

/// The dialog when it is open and `message_id` still waits as the first of the customer's wait.
async fn still_waiting(
    app: &App,
    project_id: &str,
    dialog_id: &str,
    message_id: &str,
) -> Result<Option<(Dialog, u64, Message)>> {
    let Ok((d, version)) = load(app, project_id, dialog_id).await else { return Ok(None) };
    if d.status != Status::Open {
        return Ok(None);
    }
    let all = messages(app, project_id, dialog_id, None).await?;
    Ok(first_of_wait(&all, message_id).map(|m| (d, version, m.clone())))
}

/// Gives a dialog still unanswered to the next online operator, with the timer's claim in the
/// same write, and shows the operators its new frame.
async fn reassign(app: &App, project_id: &str, dialog_id: &str, message_id: &str) -> Result<bool> {
    if settings(app, project_id).await?.0.chat.reassign_after_secs.is_none() {
        return Ok(false);
    }
    let claim_sk = keys::auto_claim("reassign", message_id);
    let pk = keys::dialog(project_id, dialog_id);
    for _ in 0..5 {
        let Some((mut d, version, _)) = still_waiting(app, project_id, dialog_id, message_id).await? else {
            return Ok(false);
        };
        if app.ports.table.get(&pk, &claim_sk).await?.is_some() {
            return Ok(false);
        }
        let online = online_operators(app, project_id).await?;
        let Some(next) = next_operator(&online, d.assignee.as_deref()) else { return Ok(false) };
        d.assignee = Some(next);
        let writes =
            vec![store::put_claim(project_id, dialog_id, &claim_sk, message_id), store::put_dialog(&d, Some(version))?];
        if store::commit(app, writes, Vec::new()).await? {
            let frame = serde_json::json!({ "type": "dialog", "dialog": d });
            realtime::push_to_operators(app, project_id, &frame).await?;
            return Ok(true);
        }
    }
    Err(Error::conflict("busy", "the dialog kept changing"))
}

/// Queues the Telegram alert of the administrators for a dialog still unanswered, with the
/// timer's claim in the same write.
async fn alert(app: &App, project_id: &str, dialog_id: &str, message_id: &str) -> Result<bool> {
    if settings(app, project_id).await?.0.chat.alert_after_secs.is_none() {
        return Ok(false);
    }
    let Some((_, _, m)) = still_waiting(app, project_id, dialog_id, message_id).await? else { return Ok(false) };
    let claim_sk = keys::auto_claim("alert", message_id);
    let minutes = u32::try_from((app.now() - m.at).num_minutes()).unwrap_or(0).max(1);
    let job = notify::alert_job(project_id, dialog_id, message_id, minutes)?;
    store::commit(app, vec![store::put_claim(project_id, dialog_id, &claim_sk, message_id)], vec![job]).await
}

async fn auto_close(app: &App, project_id: &str, dialog_id: &str, message_id: &str) -> Result<bool> {
    let (s, _) = settings(app, project_id).await?;
    let Some(minutes) = s.chat.auto_close_minutes.filter(|m| *m > 0) else { return Ok(false) };
    let Ok((d, _)) = load(app, project_id, dialog_id).await else { return Ok(false) };
    let Some(last) = store::message(app, project_id, dialog_id, message_id).await? else { return Ok(false) };
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

async fn auto_message(app: &App, project_id: &str, dialog_id: &str, message_id: &str, auto: Auto) -> Result<bool> {
    let (s, _) = settings(app, project_id).await?;
    let pk = keys::dialog(project_id, dialog_id);
    let claim_sk = keys::auto_claim(auto.as_str(), message_id);
    for _ in 0..5 {
        let Ok((mut d, version)) = load(app, project_id, dialog_id).await else { return Ok(false) };
        let later = messages(app, project_id, dialog_id, Some(message_id)).await?;
        if !auto.is_due(&s.chat, &d, message_id, &later) || app.ports.table.get(&pk, &claim_sk).await?.is_some() {
            return Ok(false);
        }
        let text = auto.settings(&s.chat);
        let mut message = Message::new(new_id(), dialog_id, Kind::AutoMessage, text.text.clone(), app.now());
        message.contact_request = text.contact_request.clone();
        if message.contact_request.is_some() {
            d.pending_contact_request = message.contact_request.clone();
        }
        // The list keeps showing the visitor's words, not the robot's.
        d.last_at = message.at;
        if append(app, &d, version, &claim_sk, &message, Vec::new()).await? {
            return Ok(true);
        }
    }
    Err(Error::conflict("busy", "the dialog kept changing"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn dialog() -> Dialog {
        let at = chrono::Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap();
        Dialog::new("d1".into(), "p1", "v1", Source::Chat, at)
    }

    fn message(d: &Dialog) -> Message {
        Message::new("m1".into(), &d.id, Kind::Visitor, "Здравствуйте".into(), d.created_at)
    }

    fn timers(out: &[Outgoing]) -> Vec<(Timer, u64)> {
        out.iter()
            .map(|o| {
                assert_eq!(o.queue, TIMERS.name);
                (serde_json::from_str(&o.body).unwrap(), o.delay.as_secs())
            })
            .collect()
    }

    #[test]
    fn a_message_arms_the_unread_timer_and_the_auto_close_capped_at_fifteen_minutes() {
        let d = dialog();
        let out = after_customer_message(&widget::Settings::default(), &d, &message(&d)).unwrap();
        let ids = (d.project_id.clone(), d.id.clone(), "m1".to_owned());
        assert_eq!(
            timers(&out),
            [
                (Timer::Unread { project_id: ids.0.clone(), dialog_id: ids.1.clone(), message_id: ids.2.clone() }, 15),
                (Timer::AutoClose { project_id: ids.0, dialog_id: ids.1, message_id: ids.2 }, 15 * 60),
            ]
        );
    }

    #[test]
    fn no_unread_timer_after_a_reply_when_the_project_says_so_and_none_when_off() {
        let mut d = dialog();
        let m = message(&d);
        d.operator_replied = true;
        let mut s = widget::Settings::default();
        s.chat.auto_close_minutes = None;
        assert!(after_customer_message(&s, &d, &m).unwrap().is_empty());
        s.chat.no_auto_after_reply = false;
        assert_eq!(after_customer_message(&s, &d, &m).unwrap().len(), 1);
        s.chat.unread.enabled = false;
        assert!(after_customer_message(&s, &d, &m).unwrap().is_empty());
    }

    #[test]
    fn the_no_reply_chain_is_armed_with_the_message_when_set() {
        let d = dialog();
        let mut s = widget::Settings::default();
        s.chat.reassign_after_secs = Some(60);
        s.chat.alert_after_secs = Some(300);
        let out = timers(&after_customer_message(&s, &d, &message(&d)).unwrap());
        let ids = (d.project_id.clone(), d.id.clone(), "m1".to_owned());
        assert_eq!(
            out[2..],
            [
                (
                    Timer::Reassign { project_id: ids.0.clone(), dialog_id: ids.1.clone(), message_id: ids.2.clone() },
                    60
                ),
                (Timer::Alert { project_id: ids.0, dialog_id: ids.1, message_id: ids.2 }, 300),
            ]
        );
    }

    #[test]
    fn only_the_first_message_of_an_unanswered_wait_counts() {
        let d = dialog();
        let m = |id: &str, kind| Message::new(id.into(), &d.id, kind, "…".into(), d.created_at);
        let all = [
            m("v1", Kind::Visitor),
            m("o1", Kind::Operator),
            m("v2", Kind::Visitor),
            m("a1", Kind::AutoMessage),
            m("v3", Kind::Visitor),
        ];
        assert_eq!(first_of_wait(&all, "v2").map(|m| m.id.as_str()), Some("v2"), "an auto-message is no answer");
        assert!(first_of_wait(&all, "v1").is_none(), "answered");
        assert!(first_of_wait(&all, "v3").is_none(), "the wait began with v2");
        assert!(first_of_wait(&all, "o1").is_none(), "not the customer's");
        assert!(first_of_wait(&all, "gone").is_none());
    }

    #[test]
    fn the_dialog_goes_round_the_online_operators_skipping_its_own() {
        let online = ["c".to_owned(), "a".to_owned(), "b".to_owned()];
        assert_eq!(next_operator(&online, Some("a")).as_deref(), Some("b"));
        assert_eq!(next_operator(&online, Some("c")).as_deref(), Some("a"), "round the end");
        assert_eq!(next_operator(&online, Some("away")).as_deref(), Some("b"), "the next after an offline one");
        assert_eq!(next_operator(&online, None).as_deref(), Some("a"));
        assert_eq!(next_operator(&["a".to_owned()], Some("a")), None, "nobody else online");
        assert_eq!(next_operator(&[], None), None);
    }

    #[test]
    fn a_messenger_message_arms_no_site_chat_timer() {
        let mut d = dialog();
        d.source = Source::Telegram;
        assert!(after_customer_message(&widget::Settings::default(), &d, &message(&d)).unwrap().is_empty());
    }
}
