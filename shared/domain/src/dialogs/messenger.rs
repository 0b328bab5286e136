//! A messenger customer's side of the dialogs: their messages come in through the inbound
//! path, once per platform event id, into the dialog remembered by their identity; they are
//! stored whatever the tariff (the operators see them once it is renewed).

use super::contacts::Identity;
use super::inbound::{Arrival, arrive, fresh_dialog};
use super::model::{Attachment, Dialog, Kind, MAX_TEXT, Message, MessengerChat, Source, Status};
use super::store::{self, new_id, to_json};
use crate::integrations::Resolved;
use crate::{App, Error, Result, keys, phone};
use beseda_channels::Inbound;
use beseda_ports::table::{Condition, Item, Write};
use std::collections::BTreeMap;

fn identity_write(project_id: &str, id: &Identity, version: Option<u64>) -> Result<Write> {
    let (pk, sk) = keys::identity(project_id, id.source.as_str(), &id.user_id);
    let item = Item::new(pk, sk, to_json(id)?);
    Ok(Write::Put { item, condition: version.map_or(Condition::NotExists, Condition::Version) })
}

async fn identity(app: &App, project_id: &str, source: Source, user_id: &str) -> Result<Option<(Identity, u64)>> {
    let (pk, sk) = keys::identity(project_id, source.as_str(), user_id);
    Ok(app.ports.table.get(&pk, &sk).await?.map(|i| i.decode().map(|d| (d, i.version))).transpose()?)
}

/// What the message says, as text: its words, or what it carries.
fn text_of(m: &Inbound) -> String {
    let text = m.text.clone().unwrap_or_default();
    let text = match (text.trim().is_empty(), &m.phone, m.attachments.is_empty()) {
        (false, _, _) => text,
        (true, Some(p), _) => format!("Телефон: {p}"),
        (true, None, false) => "Вложение".to_owned(),
        (true, None, true) => m.start.as_ref().map_or_else(String::new, |_| "/start".to_owned()),
    };
    text.chars().take(MAX_TEXT).collect()
}

/// Stores a customer's messenger message once per event id: a second copy of the same event,
/// even a concurrent one, stores nothing.
pub(crate) async fn receive(app: &App, r: &Resolved, m: Inbound) -> Result<()> {
    let project_id = r.project_id.as_str();
    let source = Source::from(r.kind);
    let (claim_pk, claim_sk) = keys::event_claim(project_id, &r.integration_id, &m.event_id);
    for _ in 0..5 {
        if app.ports.table.get(&claim_pk, &claim_sk).await?.is_some() {
            return Ok(());
        }
        let (mut who, version) = match identity(app, project_id, source, &m.user.id).await? {
            Some((i, v)) => (i, Some(v)),
            None => (
                Identity {
                    contact_id: new_id(),
                    source,
                    user_id: m.user.id.clone(),
                    chat_id: m.chat_id.clone(),
                    name: None,
                    username: None,
                    avatar_url: None,
                    dialog_id: None,
                    unsubscribed: false,
                },
                None,
            ),
        };
        who.chat_id = m.chat_id.clone();
        who.name = m.user.name.clone().or(who.name);
        who.username = m.user.username.clone().or(who.username);
        who.avatar_url = m.user.avatar_url.clone().or(who.avatar_url);
        who.unsubscribed = false;
        let (open, previous) = match &who.dialog_id {
            Some(id) => match store::load(app, project_id, id).await? {
                (d, v) if d.status == Status::Open => (Some((d, v)), None),
                (d, _) => (None, Some(d)),
            },
            None => (None, None),
        };
        let chat = MessengerChat {
            integration_id: r.integration_id.clone(),
            chat_id: m.chat_id.clone(),
            name: who.name.clone(),
            username: who.username.clone(),
            avatar_url: who.avatar_url.clone(),
        };
        let mut fresh = fresh_dialog(app, project_id, &who.contact_id, source, previous.as_ref());
        fresh.chat = Some(chat.clone());
        let open = open.map(|(mut d, v)| {
            d.chat = Some(chat.clone());
            (d, v)
        });
        let mut contact = BTreeMap::new();
        if let Some(name) = &who.name {
            contact.insert("name".to_owned(), name.clone());
        }
        if let Some(p) = m.phone.as_deref().and_then(|p| phone::normalize("phone", p).ok()) {
            contact.insert("phone".to_owned(), p);
        }
        let mut message = Message::new(new_id(), "", Kind::Visitor, text_of(&m), app.now());
        message.platform_id = Some(m.event_id.clone());
        message.attachments = m
            .attachments
            .iter()
            .map(|a| Attachment {
                kind: serde_json::to_value(a.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
                url: a.url.clone(),
                name: a.name.clone(),
            })
            .collect();
        let mut writes = vec![Write::Put {
            item: Item::new(&claim_pk, &claim_sk, serde_json::json!({})),
            condition: Condition::NotExists,
        }];
        let new_dialog = open.is_none();
        if !new_dialog {
            writes.push(identity_write(project_id, &who, version)?);
        }
        let pid = project_id.to_owned();
        let remembered = who.clone();
        let arrival = Arrival {
            current: open,
            fresh,
            greeting: None,
            message,
            claim_sk: None,
            writes,
            remember: Box::new(move |d: &Dialog| {
                let mut id = remembered;
                id.dialog_id = Some(d.id.clone());
                identity_write(&pid, &id, version)
            }),
            contact,
            lead: true,
            timers: None,
        };
        if arrive(app, project_id, arrival).await?.is_some() {
            return Ok(());
        }
    }
    Err(Error::conflict("busy", "the customer's dialog kept changing"))
}

/// The customer blocked the bot or unsubscribed: replies will fail until they write again.
pub(crate) async fn unsubscribed(app: &App, r: &Resolved, user_id: &str) -> Result<()> {
    let Some((mut who, version)) = identity(app, &r.project_id, Source::from(r.kind), user_id).await? else {
        return Ok(());
    };
    if who.unsubscribed {
        return Ok(());
    }
    who.unsubscribed = true;
    store::commit(app, vec![identity_write(&r.project_id, &who, Some(version))?], Vec::new()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{FakeChannels, telegram, tg_message, world};
    use crate::dialogs::{self, Folder, Kind, Source, Status};
    use crate::{billing, integrations, journal};

    #[tokio::test]
    async fn ten_concurrent_copies_of_one_update_make_one_message_and_one_lead() {
        let (w, _) = world().await;
        let channels = FakeChannels(Default::default());
        let r = telegram(&w, &channels).await;
        let copies = (0..10).map(|_| integrations::receive(&w.app, &r, vec![tg_message("u1", "42", "Есть доставка?")]));
        for result in futures::future::join_all(copies).await {
            result.unwrap();
        }
        let list = dialogs::list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap();
        assert_eq!(list.len(), 1);
        let d = &list[0];
        assert_eq!((d.source, d.unread), (Source::Telegram, 1));
        assert_eq!(d.chat.as_ref().unwrap().name.as_deref(), Some("Пётр"));
        let msgs = dialogs::messages(&w.app, &w.project, &d.id, None).await.unwrap();
        assert_eq!(msgs.len(), 1, "one message for ten copies");
        assert_eq!((msgs[0].kind, msgs[0].text.as_str()), (Kind::Visitor, "Есть доставка?"));
        let (leads, _) = journal::list(&w.app, &w.project, "Europe/Moscow", 10, None).await.unwrap();
        assert_eq!(leads.len(), 1, "the first message is a lead, once");
        assert_eq!((leads[0].channel, leads[0].name.as_deref()), (Source::Telegram, Some("Пётр")));
    }

    #[tokio::test]
    async fn a_customer_who_writes_after_close_continues_the_history_and_fills_the_card() {
        let (w, _) = world().await;
        let channels = FakeChannels(Default::default());
        let r = telegram(&w, &channels).await;
        integrations::receive(&w.app, &r, vec![tg_message("u1", "42", "Здравствуйте")]).await.unwrap();
        let first = dialogs::list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap().remove(0);
        dialogs::set_status(&w.app, &w.project, &first.id, Status::Closed).await.unwrap();
        let text = "Это снова я, мой телефон 8 (912) 345-67-89, почта petr@example.ru";
        integrations::receive(&w.app, &r, vec![tg_message("u2", "42", text)]).await.unwrap();
        let second = dialogs::list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap().remove(0);
        assert_ne!(second.id, first.id, "a closed dialog stays closed: a new one starts");
        assert_eq!(second.visitor_id, first.visitor_id, "the same contact");
        assert_eq!(second.previous_dialog_id.as_deref(), Some(first.id.as_str()));
        assert_eq!(second.contact.get("phone").map(String::as_str), Some("+79123456789"));
        assert_eq!(second.contact.get("email").map(String::as_str), Some("petr@example.ru"));
        let history = dialogs::history(&w.app, &w.project, &second).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!((history[0].dialog_id.as_str(), history[0].text.as_str()), (first.id.as_str(), "Здравствуйте"));
        let (leads, _) = journal::list(&w.app, &w.project, "Europe/Moscow", 10, None).await.unwrap();
        assert_eq!(leads.len(), 2, "every new dialog is a lead");
        assert_eq!(leads[0].phone.as_deref(), Some("+79123456789"), "with the phone it brought");
    }

    #[tokio::test]
    async fn a_lapsed_tariff_keeps_the_messages_and_shows_them_when_renewed() {
        let (w, clock) = world().await;
        let channels = FakeChannels(Default::default());
        let r = telegram(&w, &channels).await;
        clock.advance(chrono::Duration::days(60));
        integrations::receive(&w.app, &r, vec![tg_message("u1", "42", "Вы работаете?")]).await.unwrap();
        assert!(
            dialogs::list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap().is_empty(),
            "hidden while the tariff has lapsed"
        );
        billing::top_up(&w.app, &w.project, 10_000).await.unwrap();
        billing::connect(&w.app, &w.project, billing::Plan::Start, None).await.unwrap();
        let list = dialogs::list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap();
        assert_eq!(list.len(), 1, "Start includes the messengers: the message was kept");
    }

    #[tokio::test]
    async fn an_unsubscribed_customer_is_marked() {
        let (w, _) = world().await;
        let channels = FakeChannels(Default::default());
        let r = telegram(&w, &channels).await;
        integrations::receive(&w.app, &r, vec![tg_message("u1", "42", "Привет")]).await.unwrap();
        let gone = beseda_channels::Event::Unsubscribed { event_id: "u2".into(), user_id: "42".into() };
        integrations::receive(&w.app, &r, vec![gone]).await.unwrap();
        let (who, _) = super::identity(&w.app, &w.project, Source::Telegram, "42").await.unwrap().unwrap();
        assert!(who.unsubscribed);
        integrations::receive(&w.app, &r, vec![tg_message("u3", "42", "Я вернулся")]).await.unwrap();
        let (who, _) = super::identity(&w.app, &w.project, Source::Telegram, "42").await.unwrap().unwrap();
        assert!(!who.unsubscribed, "writing again subscribes");
    }
}
