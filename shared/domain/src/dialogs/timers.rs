//! The chat's timers on the `timers` queue (PRODUCT.md §8): the auto-messages "not read in
//! 15 s" and "read but not answered", and the auto-close of a dialog whose customer went
//! silent. A redelivered timer sends nothing twice (its claim is derived from the timer).

use super::model::{Auto, Dialog, From, Kind, Message, Source, Status};
use super::operator::{append, set_status};
use super::site::settings;
use super::store::{self, load, messages, new_id};
use crate::{App, Error, Result, keys, widget};
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
        out.push(outgoing(&Timer::AutoClose { project_id, dialog_id, message_id }, minutes.saturating_mul(60))?);
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

/// Fires a timer: sends the auto-message or closes the dialog when its condition still holds.
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
    }
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
    fn a_messenger_message_arms_no_site_chat_timer() {
        let mut d = dialog();
        d.source = Source::Telegram;
        assert!(after_customer_message(&widget::Settings::default(), &d, &message(&d)).unwrap().is_empty());
    }
}
