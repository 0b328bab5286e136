//! Outbound delivery of operators' replies to messenger customers. A reply is stored as
//! `queued` and a job naming the project, dialog and message (never a secret) goes on the
//! `deliveries` queue; [`deliver`] sends it through the channel, records how it went (sent with
//! the platform's id, or failed with the reason) and tells the operators. Delivery reports of
//! the platform move the state on to delivered and read.

use super::model::{Delivery, Dialog, Message};
use super::operator::push_message;
use super::store::{self, to_json};
use crate::integrations::{self, Resolved};
use crate::{App, Error, Result, keys, projects};
use beseda_channels::{Channel, Kind, Outbound, SendError, StatusUpdate};
use beseda_ports::atomic::Outgoing;
use beseda_ports::queue::DELIVERIES;
use beseda_ports::table::{Condition, Item};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How a delivery job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Sent (or sent before: a repeated job sends nothing twice).
    Sent,
    /// A temporary failure: try again after this many seconds.
    Retry { after_secs: u64 },
    /// It will not be sent; the message shows the reason.
    Failed,
}

/// The channels a delivery or an integration's setup talks to, one per platform.
pub trait ChannelSet: Send + Sync {
    fn get(&self, kind: Kind) -> &dyn Channel;
    /// The Bot API for the team's own Telegram bot (`crate::teambot`), where there is one.
    fn bot(&self) -> Option<&dyn crate::teambot::BotApi> {
        None
    }
}

impl ChannelSet for beseda_channels::Channels {
    fn get(&self, kind: Kind) -> &dyn Channel {
        beseda_channels::Channels::get(self, kind)
    }

    fn bot(&self) -> Option<&dyn crate::teambot::BotApi> {
        Some(self.telegram())
    }
}

/// A job of the `deliveries` queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Job {
    project_id: String,
    dialog_id: String,
    message_id: String,
}

/// The `deliveries` queue message that sends a stored message.
pub(crate) fn job(project_id: &str, dialog_id: &str, message_id: &str) -> Result<Outgoing> {
    let job = Job { project_id: project_id.into(), dialog_id: dialog_id.into(), message_id: message_id.into() };
    let body = serde_json::to_string(&job).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Outgoing::new(DELIVERIES.name, body, Duration::ZERO))
}

/// Puts a stored message on the `deliveries` queue.
pub(crate) async fn enqueue(app: &App, project_id: &str, dialog_id: &str, message_id: &str) -> Result<()> {
    let o = job(project_id, dialog_id, message_id)?;
    app.ports.queue.send(&o.queue, &o.body, o.delay).await?;
    Ok(())
}

/// Changes a message's delivery state by `next` (given the current one) and tells the
/// operators; the message as it is now.
pub(crate) async fn set_state(
    app: &App,
    d: &Dialog,
    message_id: &str,
    next: impl Fn(Option<&Delivery>) -> Result<Delivery>,
) -> Result<Message> {
    set(app, d, message_id, |m| {
        m.delivery = Some(next(m.delivery.as_ref())?);
        Ok(())
    })
    .await
}

async fn set(app: &App, d: &Dialog, message_id: &str, change: impl Fn(&mut Message) -> Result<()>) -> Result<Message> {
    let (pk, sk) = (keys::dialog(&d.project_id, &d.id), keys::message(message_id));
    for _ in 0..5 {
        let item = app.ports.table.get(&pk, &sk).await?.ok_or(Error::NotFound("message"))?;
        let mut m: Message = item.decode()?;
        let before = m.clone();
        change(&mut m)?;
        if m == before {
            return Ok(m);
        }
        let put = app.ports.table.put(Item::new(&pk, &sk, to_json(&m)?), Condition::Version(item.version)).await;
        match put {
            Ok(_) => {
                push_message(app, d, &m).await?;
                return Ok(m);
            }
            Err(beseda_ports::StoreError::ConditionFailed) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::conflict("busy", "the message kept changing"))
}

/// Counts a try of a message's delivery; the number of this try.
async fn count_try(app: &App, d: &Dialog, message_id: &str) -> Result<u32> {
    let (pk, sk) = (keys::dialog(&d.project_id, &d.id), keys::delivery_attempts(message_id));
    for _ in 0..5 {
        let current = app.ports.table.get(&pk, &sk).await?;
        let tries = current.as_ref().and_then(|i| i.body["tries"].as_u64()).unwrap_or(0) as u32 + 1;
        let condition = current.map_or(Condition::NotExists, |i| Condition::Version(i.version));
        match app.ports.table.put(Item::new(&pk, &sk, serde_json::json!({ "tries": tries })), condition).await {
            Ok(_) => return Ok(tries),
            Err(beseda_ports::StoreError::ConditionFailed) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::conflict("busy", "the delivery kept changing"))
}

async fn fail(app: &App, d: &Dialog, message_id: &str, reason: &str) -> Result<Outcome> {
    set_state(app, d, message_id, |_| Ok(Delivery::Failed { reason: reason.to_owned() })).await?;
    Ok(Outcome::Failed)
}

/// The text the customer gets: with «show the operator's name», prefixed by it.
fn outbound_text(r: &Resolved, m: &Message) -> String {
    match (&m.author, r.show_operator_name) {
        (Some(name), true) => format!("{name}: {}", m.text),
        _ => m.text.clone(),
    }
}

/// Handles one job of the `deliveries` queue (a JSON body that names project, dialog and message —
/// never a secret): loads the message and the integration, calls `channel.send`, records the
/// delivery state (sent with the platform id / failed with the reason), pushes it to operators.
pub async fn deliver(app: &App, channels: &dyn ChannelSet, body: &str) -> Result<Outcome> {
    let job: Job = serde_json::from_str(body).map_err(|e| Error::invalid("body", "bad_job", e.to_string()))?;
    let d = store::dialog(app, &job.project_id, &job.dialog_id).await?;
    let m = store::message(app, &job.project_id, &job.dialog_id, &job.message_id)
        .await?
        .ok_or(Error::NotFound("message"))?;
    if m.delivery != Some(Delivery::Queued) {
        return Ok(match m.delivery {
            Some(Delivery::Failed { .. }) => Outcome::Failed,
            _ => Outcome::Sent,
        });
    }
    let Some(chat) = &d.chat else { return fail(app, &d, &m.id, "not_a_messenger_dialog").await };
    let Some(kind) = d.source.messenger() else { return fail(app, &d, &m.id, "not_a_messenger_dialog").await };
    let r = match integrations::of_project(app, &job.project_id, kind).await {
        Ok(r) if r.integration_id == chat.integration_id => r,
        Ok(_) | Err(Error::NotFound(_)) => return fail(app, &d, &m.id, "integration_disabled").await,
        Err(e) => return Err(e),
    };
    let tries = count_try(app, &d, &m.id).await?;
    let sender_name = match (&m.author, r.show_operator_name) {
        (Some(name), true) => Some(name.clone()),
        _ => Some(projects::get(app, &job.project_id).await?.0.name),
    };
    let out = Outbound {
        chat_id: chat.chat_id.clone(),
        text: outbound_text(&r, &m),
        image_url: None,
        key: m.id.clone(),
        sender_name,
        buttons: m
            .buttons
            .iter()
            .map(|b| beseda_channels::Button { label: b.label.clone(), data: b.data.clone() })
            .collect(),
    };
    match channels.get(kind).send(&r.credentials, &out).await {
        Ok(sent) => {
            let (pk, sk) = keys::platform_message(&job.project_id, &r.integration_id, &sent.platform_message_id);
            let pointer = serde_json::json!({ "dialog_id": d.id, "message_id": m.id });
            app.ports.table.put(Item::new(pk, sk, pointer), Condition::Always).await?;
            let platform_id = sent.platform_message_id;
            set(app, &d, &m.id, |msg| {
                msg.delivery = Some(msg.delivery.clone().unwrap_or(Delivery::Queued).advance(Delivery::Sent));
                msg.platform_id = Some(platform_id.clone());
                Ok(())
            })
            .await?;
            Ok(Outcome::Sent)
        }
        Err(SendError::Permanent { reason }) => fail(app, &d, &m.id, &reason).await,
        Err(SendError::Retryable { reason, .. }) if tries >= DELIVERIES.max_receives => {
            fail(app, &d, &m.id, &reason).await
        }
        Err(SendError::Retryable { retry_after, .. }) => Ok(Outcome::Retry {
            after_secs: retry_after.unwrap_or_else(|| crate::backoff::retry_delay(tries).as_secs()),
        }),
    }
}

/// A platform's delivery report moves the message's state on (never back).
pub(crate) async fn report(app: &App, r: &Resolved, s: &StatusUpdate) -> Result<()> {
    let (pk, sk) = keys::platform_message(&r.project_id, &r.integration_id, &s.platform_message_id);
    let Some(pointer) = app.ports.table.get(&pk, &sk).await? else { return Ok(()) };
    let (Some(dialog_id), Some(message_id)) = (pointer.body["dialog_id"].as_str(), pointer.body["message_id"].as_str())
    else {
        return Ok(());
    };
    let d = store::dialog(app, &r.project_id, dialog_id).await?;
    let next = match &s.state {
        beseda_channels::DeliveryReport::Delivered => Delivery::Delivered,
        beseda_channels::DeliveryReport::Read => Delivery::Read,
        beseda_channels::DeliveryReport::Failed(reason) => Delivery::Failed { reason: reason.clone() },
    };
    set_state(app, &d, message_id, |current| Ok(current.cloned().unwrap_or(Delivery::Sent).advance(next.clone())))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{FakeChannels, World, telegram, tg_message, world};
    use super::*;
    use crate::dialogs::{self, Folder};
    use crate::integrations;

    /// A Telegram dialog with the operator's reply queued; the job's body.
    async fn replied(w: &World, channels: &FakeChannels) -> (Resolved, Dialog, Message, String) {
        let r = telegram(w, channels).await;
        integrations::receive(&w.app, &r, vec![tg_message("u1", "42", "Сколько стоит?")]).await.unwrap();
        let d = dialogs::list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap().remove(0);
        let (m, d) = dialogs::reply(&w.app, &w.project, &d.id, &w.operator, "500 ₽", "r1").await.unwrap();
        assert_eq!(m.delivery, Some(Delivery::Queued));
        let jobs = w.app.ports.queue.receive(DELIVERIES.name, 10, Duration::ZERO).await.unwrap();
        assert_eq!(jobs.len(), 1, "the reply is on the deliveries queue");
        assert!(!jobs[0].body.contains("SECRET"), "no secret in the queue");
        (r, d, m, jobs[0].body.clone())
    }

    async fn state(w: &World, d: &Dialog, m: &Message) -> Message {
        store::message(&w.app, &w.project, &d.id, &m.id).await.unwrap().unwrap()
    }

    #[tokio::test]
    async fn a_reply_is_sent_once_with_the_operators_name_and_reports_move_it_on() {
        let (w, _) = world().await;
        let channels = FakeChannels(Default::default());
        let (r, d, m, job) = replied(&w, &channels).await;
        assert_eq!(deliver(&w.app, &channels, &job).await.unwrap(), Outcome::Sent);
        assert_eq!(deliver(&w.app, &channels, &job).await.unwrap(), Outcome::Sent, "a repeated job");
        let sent = channels.0.sent.lock().unwrap().clone();
        assert_eq!(sent.len(), 1, "sent once");
        assert_eq!((sent[0].chat_id.as_str(), sent[0].text.as_str()), ("42", "Анна: 500 ₽"));
        assert_eq!(sent[0].key, m.id, "our message id keys the platform's de-duplication");
        let now = state(&w, &d, &m).await;
        assert_eq!((now.delivery, now.platform_id.as_deref()), (Some(Delivery::Sent), Some("p1")));
        let report =
            |state| beseda_channels::StatusUpdate { event_id: "s1".into(), platform_message_id: "p1".into(), state };
        integrations::receive(
            &w.app,
            &r,
            vec![beseda_channels::Event::Status(report(beseda_channels::DeliveryReport::Read))],
        )
        .await
        .unwrap();
        let late = beseda_channels::Event::Status(report(beseda_channels::DeliveryReport::Delivered));
        integrations::receive(&w.app, &r, vec![late]).await.unwrap();
        assert_eq!(state(&w, &d, &m).await.delivery, Some(Delivery::Read), "a late report does not go back");
    }

    #[tokio::test]
    async fn retry_after_is_honoured_and_a_permanent_error_fails_with_its_reason() {
        let (w, _) = world().await;
        let channels = FakeChannels(Default::default());
        let (_, d, m, job) = replied(&w, &channels).await;
        channels.0.answers.lock().unwrap().extend([
            Err(SendError::Retryable { reason: "429".into(), retry_after: Some(7) }),
            Err(SendError::Permanent { reason: "blocked_by_user".into() }),
        ]);
        assert_eq!(deliver(&w.app, &channels, &job).await.unwrap(), Outcome::Retry { after_secs: 7 });
        assert_eq!(state(&w, &d, &m).await.delivery, Some(Delivery::Queued));
        assert_eq!(deliver(&w.app, &channels, &job).await.unwrap(), Outcome::Failed);
        let failed = state(&w, &d, &m).await;
        assert_eq!(failed.delivery, Some(Delivery::Failed { reason: "blocked_by_user".into() }));
        assert_eq!(deliver(&w.app, &channels, &job).await.unwrap(), Outcome::Failed, "nothing more is sent");
        assert_eq!(channels.0.sent.lock().unwrap().len(), 2);

        dialogs::send_again(&w.app, &w.project, &d.id, &m.id).await.unwrap();
        assert!(matches!(
            dialogs::send_again(&w.app, &w.project, &d.id, &m.id).await,
            Err(Error::Conflict { code: "not_failed", .. })
        ));
        let jobs = w.app.ports.queue.receive(DELIVERIES.name, 10, Duration::ZERO).await.unwrap();
        assert_eq!(deliver(&w.app, &channels, &jobs[0].body).await.unwrap(), Outcome::Sent, "sent again");
        assert_eq!(state(&w, &d, &m).await.delivery, Some(Delivery::Sent));
    }

    #[tokio::test]
    async fn the_last_try_of_a_temporary_failure_fails_the_message() {
        let (w, _) = world().await;
        let channels = FakeChannels(Default::default());
        let (_, d, m, job) = replied(&w, &channels).await;
        for _ in 0..DELIVERIES.max_receives {
            channels
                .0
                .answers
                .lock()
                .unwrap()
                .push_back(Err(SendError::Retryable { reason: "server_error".into(), retry_after: None }));
        }
        for _ in 1..DELIVERIES.max_receives {
            assert!(matches!(deliver(&w.app, &channels, &job).await.unwrap(), Outcome::Retry { .. }));
        }
        assert_eq!(deliver(&w.app, &channels, &job).await.unwrap(), Outcome::Failed);
        assert_eq!(state(&w, &d, &m).await.delivery, Some(Delivery::Failed { reason: "server_error".into() }));
    }
}
