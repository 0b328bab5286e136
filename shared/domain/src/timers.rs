//! The timers a visitor's message arms ("not read in N s" and the auto-close), as queue
//! messages that go into the same atomic write as the message itself (`Ports::atomic`), so a
//! stored message always has its timers and a refused one has none.

use crate::chat::{Dialog, Timer};
use crate::widget::Settings;
use crate::{Error, Result};
use beseda_ports::atomic::Outgoing;
use beseda_ports::queue::{MAX_DELAY, TIMERS};
use std::time::Duration;

fn outgoing(timer: &Timer, after_secs: u32) -> Result<Outgoing> {
    let body = serde_json::to_string(timer).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Outgoing::new(TIMERS.name, body, Duration::from_secs(u64::from(after_secs)).min(MAX_DELAY)))
}

/// The timers of a visitor's message `message_id` in `dialog` (as it is after the message).
pub fn after_visitor_message(s: &Settings, dialog: &Dialog, message_id: &str) -> Result<Vec<Outgoing>> {
    let (project_id, dialog_id, message_id) = (dialog.project_id.clone(), dialog.id.clone(), message_id.to_owned());
    let mut out = Vec::new();
    if s.chat.unread.enabled && !(s.chat.no_auto_after_reply && dialog.operator_replied) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dialog() -> Dialog {
        serde_json::from_value(serde_json::json!({
            "id": "d1", "project_id": "p1", "visitor_id": "v1", "channel": "chat", "status": "open",
            "assignee": null, "created_at": "2026-11-29T12:00:00Z", "last_at": "2026-11-29T12:00:00Z",
            "last_text": "", "unread": 1, "operator_read_up_to": null, "visitor_read_up_to": null,
            "operator_replied": false, "pending_contact_request": null, "contact": {},
            "page_url": null, "ip": null
        }))
        .unwrap()
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
        let out = after_visitor_message(&Settings::default(), &d, "m1").unwrap();
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
        d.operator_replied = true;
        let mut s = Settings::default();
        s.chat.auto_close_minutes = None;
        assert!(after_visitor_message(&s, &d, "m1").unwrap().is_empty());
        s.chat.no_auto_after_reply = false;
        assert_eq!(after_visitor_message(&s, &d, "m1").unwrap().len(), 1);
        s.chat.unread.enabled = false;
        assert!(after_visitor_message(&s, &d, "m1").unwrap().is_empty());
    }
}
