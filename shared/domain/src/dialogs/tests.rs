//! The dialogs end to end on the embedded adapters: the site chat, the operator's side,
//! auto-messages, requests in the feed, and messenger customers.

use super::*;
use crate::access::Access;
use crate::accounts::NewUser;
use crate::accounts::{self, Language, Profile};
use crate::projects::NewProject;
use crate::team::NewMember;
use crate::testing;
use crate::widget::{self, ContactRequest, FieldKind};
use crate::{App, Error, billing, blacklist, journal, keys, projects, team};
use beseda_ports::queue::{NOTIFICATIONS, TIMERS};
use chrono::Utc;
use std::collections::BTreeMap;
use std::time::Duration;

pub(crate) struct World {
    pub app: App,
    pub project: String,
    pub operator: Profile,
    pub member: projects::Membership,
    /// The mails sent.
    pub outbox: std::sync::Arc<beseda_embedded::Outbox>,
}

/// A test double of the channels: every platform is one scripted fake that records what it
/// was asked to send.
pub(crate) struct FakeChannels(pub FakeChannel);

#[derive(Default)]
pub(crate) struct FakeChannel {
    /// What the next `send` calls answer, in order; `Sent` with a counter id when empty.
    pub answers:
        std::sync::Mutex<std::collections::VecDeque<Result<beseda_channels::Sent, beseda_channels::SendError>>>,
    pub sent: std::sync::Mutex<Vec<beseda_channels::Outbound>>,
    pub connected: std::sync::Mutex<Vec<String>>,
}

const FAKE_FIELDS: &[beseda_channels::Field] = &[
    beseda_channels::Field { name: "token", secret: true, required: true },
    beseda_channels::Field { name: "username", secret: false, required: true },
];

#[async_trait::async_trait]
impl beseda_channels::Channel for FakeChannel {
    fn kind(&self) -> beseda_channels::Kind {
        beseda_channels::Kind::Telegram
    }
    fn fields(&self) -> &'static [beseda_channels::Field] {
        FAKE_FIELDS
    }
    fn verify(
        &self,
        _: &beseda_channels::Credentials,
        _: &beseda_channels::WebhookRequest<'_>,
    ) -> std::result::Result<(), beseda_channels::WebhookError> {
        Err(beseda_channels::WebhookError::Unauthorized)
    }
    fn parse(
        &self,
        _: &beseda_channels::Credentials,
        _: &beseda_channels::WebhookRequest<'_>,
    ) -> std::result::Result<beseda_channels::Parsed, beseda_channels::WebhookError> {
        Err(beseda_channels::WebhookError::Unauthorized)
    }
    async fn connect(
        &self,
        creds: &beseda_channels::Credentials,
        webhook_url: &str,
    ) -> std::result::Result<beseda_channels::Connected, beseda_channels::SendError> {
        if creds.get("token") == Some("bad") {
            return Err(beseda_channels::SendError::Permanent { reason: "token_revoked".into() });
        }
        self.connected.lock().unwrap().push(webhook_url.to_owned());
        Ok(beseda_channels::Connected { display_name: None, webhook_registered: true })
    }
    async fn disconnect(
        &self,
        _: &beseda_channels::Credentials,
    ) -> std::result::Result<(), beseda_channels::SendError> {
        Ok(())
    }
    async fn send(
        &self,
        _: &beseda_channels::Credentials,
        msg: &beseda_channels::Outbound,
    ) -> std::result::Result<beseda_channels::Sent, beseda_channels::SendError> {
        let mut sent = self.sent.lock().unwrap();
        sent.push(msg.clone());
        let n = sent.len();
        self.answers
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| Ok(beseda_channels::Sent { platform_message_id: format!("p{n}") }))
    }
}

impl crate::integrations::ChannelSet for FakeChannels {
    fn get(&self, _: beseda_channels::Kind) -> &dyn beseda_channels::Channel {
        &self.0
    }
}

/// A Telegram integration of the world's project on the fake channel, with the operator
/// online.
pub(crate) async fn telegram(w: &World, channels: &FakeChannels) -> crate::integrations::Resolved {
    let change = crate::integrations::Change {
        enabled: true,
        show_operator_name: true,
        settings: BTreeMap::from([
            ("token".into(), "123456:SECRET-token".into()),
            ("username".into(), "shop_bot".into()),
        ]),
    };
    crate::integrations::save(&w.app, channels, &w.project, beseda_channels::Kind::Telegram, change).await.unwrap();
    crate::integrations::of_project(&w.app, &w.project, beseda_channels::Kind::Telegram).await.unwrap()
}

/// A customer's text message in Telegram.
pub(crate) fn tg_message(event_id: &str, user: &str, text: &str) -> beseda_channels::Event {
    beseda_channels::Event::Message(beseda_channels::Inbound {
        event_id: event_id.into(),
        chat_id: user.into(),
        user: beseda_channels::User {
            id: user.into(),
            name: Some("Пётр".into()),
            username: Some("petr".into()),
            avatar_url: None,
        },
        text: Some(text.into()),
        ..Default::default()
    })
}

pub(crate) async fn world() -> (World, std::sync::Arc<beseda_ports::FixedClock>) {
    let (app, clock, outbox) = testing::app();
    let owner = accounts::create_user(&app, NewUser { email: "owner@x.ru".into(), ..Default::default() }, "password1")
        .await
        .unwrap();
    let new = NewProject { name: "Ромашка".into(), domains: vec!["romashka.ru".into()], ..Default::default() };
    let p = projects::create(&app, &owner.id, new, None).await.unwrap();
    billing::start_trial(&app, &p.id).await.unwrap();
    let added = team::add(
        &app,
        &p.id,
        NewMember {
            email: "op@x.ru".into(),
            first_name: "Анна".into(),
            accesses: vec![Access::Operator],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let operator = accounts::get_profile(&app, &added.user_id).await.unwrap();
    let member = projects::membership(&app, &p.id, &operator.id).await.unwrap().unwrap().0;
    (World { app, project: p.id, operator, member, outbox }, clock)
}

fn msg(text: &str, client_id: &str) -> VisitorMessage {
    VisitorMessage { text: text.into(), client_id: client_id.into(), ..Default::default() }
}

async fn visitor(w: &World) -> Visitor {
    let (_, token) = create_visitor(&w.app, &w.project).await.unwrap();
    visitor_from_token(&w.app, &w.project, &token).await.unwrap()
}

async fn refreshed(w: &World, v: &Visitor) -> Visitor {
    let (pk, sk) = keys::visitor(&w.project, &v.id);
    w.app.ports.table.get(&pk, &sk).await.unwrap().unwrap().decode().unwrap()
}

#[tokio::test]
async fn the_chat_opens_only_with_an_operator_online() {
    let (w, _) = world().await;
    let v = visitor(&w).await;
    assert!(matches!(
        send_from_visitor(&w.app, &w.project, &v, msg("Здравствуйте", "c1")).await,
        Err(Error::Forbidden { code: "chat_closed", .. })
    ));
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    let config = public_config(&w.app, &w.project, None).await.unwrap();
    assert_eq!(config.chat["enabled"], true);
    assert_eq!(config.chat["welcome"], "Здравствуйте! Меня зовут Анна. Чем могу помочь?");
    let (m, d) = send_from_visitor(&w.app, &w.project, &v, msg("Здравствуйте", "c1")).await.unwrap();
    assert_eq!((d.unread, m.from), (1, From::Visitor));
    let v = refreshed(&w, &v).await;
    let (again, _) = send_from_visitor(&w.app, &w.project, &v, msg("Здравствуйте", "c1")).await.unwrap();
    assert_eq!(again.id, m.id, "a retry with the same client id makes no second message");
    let stored = messages(&w.app, &w.project, &d.id, None).await.unwrap();
    assert_eq!(stored.len(), 2, "the welcome the visitor answered, and the message once");
    assert_eq!((stored[0].from, stored[1].client_id.as_deref()), (From::System, Some("c1")));
    let (leads, _) = journal::list(&w.app, &w.project, "Europe/Moscow", 10, None).await.unwrap();
    assert_eq!(leads.len(), 1, "the dialog is a lead in the journal");
    assert!(matches!(
        send_from_visitor(&w.app, &w.project, &v, msg(&"я".repeat(4001), "c2")).await,
        Err(Error::Invalid { code: "message_too_long", .. })
    ));
}

#[tokio::test]
async fn operator_reads_and_replies_and_the_visitor_sees_it() {
    let (w, _) = world().await;
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    let v = visitor(&w).await;
    let (_, d) = send_from_visitor(&w.app, &w.project, &v, msg("Есть доставка?", "c1")).await.unwrap();
    assert_eq!(
        list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap().len(),
        1,
        "unassigned dialogs are everyone's"
    );
    let (opened, msgs, _) = open_for_operator(&w.app, &w.project, &d.id, &w.member).await.unwrap();
    assert_eq!(opened.unread, 0);
    assert!(msgs.iter().filter(|m| m.from == From::Visitor).all(|m| m.read), "the visitor's messages are read");
    let (answer, d) = reply(&w.app, &w.project, &d.id, &w.operator, "Да, за 2 часа", "r1").await.unwrap();
    assert_eq!(answer.author.as_deref(), Some("Анна"));
    assert_eq!(d.assignee.as_deref(), Some(w.operator.id.as_str()));
    let v = refreshed(&w, &v).await;
    let (_, seen) = visitor_view(&w.app, &w.project, &v).await.unwrap().unwrap();
    assert_eq!(
        seen.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(),
        ["Здравствуйте! Меня зовут Анна. Чем могу помочь?", "Есть доставка?", "Да, за 2 часа"]
    );
    set_status(&w.app, &w.project, &d.id, Status::Closed).await.unwrap();
    assert_eq!(list(&w.app, &w.project, &w.operator.id, Folder::Archive).await.unwrap().len(), 1);
    assert!(list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_unread_message_gets_the_auto_message_once_with_its_contact_request() {
    let (w, _) = world().await;
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    let v = visitor(&w).await;
    let (m, d) = send_from_visitor(&w.app, &w.project, &v, msg("Алло", "c1")).await.unwrap();
    let timers = w.app.ports.queue.receive(TIMERS.name, 10, Duration::from_secs(0)).await.unwrap();
    assert!(timers.is_empty(), "the timer waits its 15 s on the queue");
    let body = serde_json::to_string(&Timer::Unread {
        project_id: w.project.clone(),
        dialog_id: d.id.clone(),
        message_id: m.id.clone(),
    })
    .unwrap();
    assert!(fire(&w.app, &body).await.unwrap());
    assert!(!fire(&w.app, &body).await.unwrap(), "a redelivered timer sends nothing");
    let v = refreshed(&w, &v).await;
    let (d, seen) = visitor_view(&w.app, &w.project, &v).await.unwrap().unwrap();
    assert_eq!(seen.len(), 3, "welcome, the visitor's message, the auto-message");
    assert_eq!(seen[2].from, From::System);
    assert!(seen[2].contact_request.is_some());
    assert!(d.pending_contact_request.is_some());
    // The default request's phone is optional: the visitor may go on writing.
    send_from_visitor(&w.app, &w.project, &v, msg("Ещё вопрос", "c2")).await.unwrap();
}

#[tokio::test]
async fn a_silent_visitors_dialog_closes_after_the_set_minutes() {
    let (w, clock) = world().await;
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    let v = visitor(&w).await;
    let (m, d) = send_from_visitor(&w.app, &w.project, &v, msg("Подумаю", "c1")).await.unwrap();
    let timer = serde_json::to_string(&Timer::AutoClose {
        project_id: w.project.clone(),
        dialog_id: d.id.clone(),
        message_id: m.id.clone(),
    })
    .unwrap();
    clock.advance(chrono::Duration::minutes(15));
    assert!(!fire(&w.app, &timer).await.unwrap(), "60 minutes by default: re-armed, still open");
    clock.advance(chrono::Duration::minutes(45));
    assert!(fire(&w.app, &timer).await.unwrap());
    assert_eq!(dialog(&w.app, &w.project, &d.id).await.unwrap().status, Status::Closed);

    let v = refreshed(&w, &v).await;
    let (m1, d2) = send_from_visitor(&w.app, &w.project, &v, msg("Вернулся", "c2")).await.unwrap();
    assert_ne!(d2.id, d.id, "a closed dialog is not reopened by the visitor: a new one starts");
    let v = refreshed(&w, &v).await;
    send_from_visitor(&w.app, &w.project, &v, msg("Ещё тут", "c3")).await.unwrap();
    clock.advance(chrono::Duration::minutes(61));
    let old = serde_json::to_string(&Timer::AutoClose {
        project_id: w.project.clone(),
        dialog_id: d2.id.clone(),
        message_id: m1.id,
    })
    .unwrap();
    assert!(!fire(&w.app, &old).await.unwrap(), "a later visitor message owns the auto-close");
}

#[tokio::test]
async fn a_required_contact_field_blocks_the_dialog_until_filled() {
    let (w, _) = world().await;
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    let (mut s, _) = settings(&w.app, &w.project).await.unwrap();
    s.fields.push(widget::Field { id: "inn".into(), label: "ИНН".into(), kind: FieldKind::Text });
    s.chat.welcome_contact_request =
        Some(ContactRequest { fields: vec![widget::RequestedField { field: "inn".into(), required: true }] });
    save_settings(&w.app, &w.project, s).await.unwrap();
    let v = visitor(&w).await;
    send_from_visitor(&w.app, &w.project, &v, msg("Нужен счёт", "c1")).await.unwrap();
    let v = refreshed(&w, &v).await;
    assert!(matches!(
        send_from_visitor(&w.app, &w.project, &v, msg("Алло?", "c2")).await,
        Err(Error::Conflict { code: "contact_required", .. })
    ));
    assert!(matches!(
        set_contact(&w.app, &w.project, &v, BTreeMap::new()).await,
        Err(Error::Invalid { code: "contact_required", .. })
    ));
    let d = set_contact(&w.app, &w.project, &v, BTreeMap::from([("inn".into(), "7707083893".into())])).await.unwrap();
    assert_eq!(d.contact["inn"], "7707083893");
    send_from_visitor(&w.app, &w.project, &v, msg("Алло?", "c2")).await.unwrap();
}

#[tokio::test]
async fn a_schedule_switches_the_operator_from_the_next_day() {
    let (w, clock) = world().await;
    let mut hours = vec![vec![false; 24]; 7];
    for day in hours.iter_mut() {
        day[10] = true;
    }
    set_schedule(&w.app, &w.project, std::slice::from_ref(&w.operator.id), Some(hours)).await.unwrap();
    clock.set(chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 25, 7, 30, 0).unwrap());
    assert_eq!(apply_schedules(&w.app).await.unwrap(), 0, "not before the next day");
    clock.set(chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 26, 7, 30, 0).unwrap());
    assert_eq!(apply_schedules(&w.app).await.unwrap(), 1, "10:30 in Moscow: on");
    assert!(presence(&w.app, &w.project, &w.operator.id).await.unwrap().online);
    clock.set(chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 26, 8, 30, 0).unwrap());
    assert_eq!(apply_schedules(&w.app).await.unwrap(), 1, "11:30: off");
    assert!(!presence(&w.app, &w.project, &w.operator.id).await.unwrap().online);
    let ops = operators(&w.app, &w.project).await.unwrap();
    assert!(ops[0].schedule.is_some());
}

#[tokio::test]
async fn blacklisted_visitors_are_refused() {
    let (w, _) = world().await;
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    blacklist::add(&w.app, &w.project, blacklist::Kind::Ip, "203.0.113.0/24", "spam").await.unwrap();
    let v = visitor(&w).await;
    let input = VisitorMessage { ip: "203.0.113.9".parse().ok(), ..msg("Купите", "c1") };
    assert!(matches!(
        send_from_visitor(&w.app, &w.project, &v, input).await,
        Err(Error::Forbidden { code: "blacklisted", .. })
    ));
    let form = FormValues { name: Some("Спам".into()), phone: Some("+79123456789".into()), ..Default::default() };
    assert!(matches!(
        submit_form(&w.app, &w.project, &v.id, "f1", form, "203.0.113.9".parse().ok()).await,
        Err(Error::Forbidden { code: "blacklisted", .. })
    ));
}

#[tokio::test]
async fn form_and_callback_land_in_the_journal_once() {
    let (w, _) = world().await;
    let v = visitor(&w).await;
    assert!(matches!(
        submit_form(&w.app, &w.project, &v.id, "f1", FormValues::default(), None).await,
        Err(Error::Invalid { field: "name", .. })
    ));
    let form =
        FormValues { name: Some("Анна".into()), phone: Some("8 912 345-67-89".into()), ..Default::default() };
    let a = submit_form(&w.app, &w.project, &v.id, "f1", form.clone(), None).await.unwrap();
    assert_eq!(submit_form(&w.app, &w.project, &v.id, "f1", form, None).await.unwrap(), a);
    let (mut s, _) = settings(&w.app, &w.project).await.unwrap();
    s.callback.hours = widget::always();
    s.callback.groups = vec![widget::CallbackGroup { name: "Продажи".into(), number: "+74951234567".into() }];
    save_settings(&w.app, &w.project, s).await.unwrap();
    submit_callback(
        &w.app,
        &w.project,
        &v.id,
        "cb1",
        "+79990001122",
        Some("Олег".into()),
        Some("Продажи".into()),
        None,
    )
    .await
    .unwrap();
    let (leads, _) = journal::list(&w.app, &w.project, "Europe/Moscow", 10, None).await.unwrap();
    assert_eq!(leads.len(), 2);
    let feed = list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap();
    assert_eq!(feed.len(), 1, "both requests are in the Dialogs feed, in one dialog of the visitor");
    let (_, msgs, _) = open_for_operator(&w.app, &w.project, &feed[0].id, &w.member).await.unwrap();
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].from, From::Visitor, "a request is the customer's, not our auto-message");
    assert_eq!(
        msgs[0].request,
        Some(RequestCard::Form {
            name: Some("Анна".into()),
            phone: Some("+79123456789".into()),
            email: None,
            company: None,
            custom: None,
            list: None,
        })
    );
    assert!(msgs[0].text.contains("Имя: Анна"), "{}", msgs[0].text);
    assert!(msgs[1].text.starts_with("Обратный звонок\nИмя: Олег\nТелефон: +79990001122"), "{}", msgs[1].text);
    assert_eq!(
        feed[0].contact.get("phone").map(String::as_str),
        Some("+79990001122"),
        "the contact card has the newest request's phone"
    );
    assert_eq!(feed[0].contact_history.len(), 2, "the form's phone and name are kept: {:?}", feed[0].contact_history);
    assert_eq!(feed[0].contact_history[0].value, "Анна");
    assert_eq!(
        leads[0].request.as_ref().map(|r| r.describe(Language::En)).as_deref(),
        Some(
            "Callback request\nName: Олег\nPhone: +79990001122\nCall: the manager first\nForward to: +74951234567\nDepartment: Продажи"
        )
    );
    assert!(
        leads[0].text.contains("Переадресация на: +74951234567") && leads[0].text.contains("сначала менеджеру"),
        "{}",
        leads[0].text
    );
    assert_eq!(leads[1].phone.as_deref(), Some("+79123456789"));
}

#[tokio::test]
async fn the_journal_row_follows_the_dialog_contacts_answer_and_close() {
    let (w, clock) = world().await;
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    let v = visitor(&w).await;
    let (_, d) = send_from_visitor(&w.app, &w.project, &v, msg("Сколько стоит?", "c1")).await.unwrap();
    let row = || async { journal::list(&w.app, &w.project, "Europe/Moscow", 10, None).await.unwrap().0.remove(0) };
    let lead = row().await;
    assert_eq!(
        (lead.status, lead.dialog_id.as_deref(), lead.phone.as_deref()),
        (journal::LeadStatus::New, Some(d.id.as_str()), None)
    );
    let v = refreshed(&w, &v).await;
    set_contact(&w.app, &w.project, &v, BTreeMap::from([("phone".into(), "8 912 345-67-89".into())])).await.unwrap();
    assert_eq!(row().await.phone.as_deref(), Some("+79123456789"), "the phone given later shows in the row");
    send_from_visitor(&w.app, &w.project, &v, msg("Пишите на anna@mail.ru", "c2")).await.unwrap();
    assert_eq!(row().await.email.as_deref(), Some("anna@mail.ru"), "an e-mail written in the chat shows too");
    clock.advance(chrono::Duration::seconds(90));
    reply(&w.app, &w.project, &d.id, &w.operator, "Добрый день", "r1").await.unwrap();
    clock.advance(chrono::Duration::seconds(30));
    reply(&w.app, &w.project, &d.id, &w.operator, "Сейчас посчитаю", "r2").await.unwrap();
    let lead = row().await;
    assert_eq!(lead.status, journal::LeadStatus::InProgress);
    assert_eq!(
        (lead.operator.as_deref(), lead.first_response_secs),
        (Some("Анна"), Some(90)),
        "the first reply counts"
    );
    set_status(&w.app, &w.project, &d.id, Status::Closed).await.unwrap();
    assert_eq!(row().await.status, journal::LeadStatus::Done);
    let form = FormValues { name: Some("Анна".into()), phone: Some("+79123456789".into()), ..Default::default() };
    submit_form(&w.app, &w.project, &v.id, "f1", form, None).await.unwrap();
    let form_row = row().await;
    assert_eq!(form_row.channel, Source::Form);
    assert!(form_row.dialog_id.is_some_and(|id| id != d.id), "the request opens the dialog it went into");
}

/// Delivers every notification job visible now; how many there were.
async fn deliver_notifications(w: &World) -> usize {
    let jobs = w.app.ports.queue.receive(NOTIFICATIONS.name, 10, Duration::from_secs(30)).await.unwrap();
    for job in &jobs {
        crate::notify::deliver(&w.app, &job.message_id, &job.body).await.unwrap();
        w.app.ports.queue.ack(NOTIFICATIONS.name, &job.receipt).await.unwrap();
    }
    jobs.len()
}

/// The customer notifications mailed so far (new requests and waits, in either language).
fn customer_mails(w: &World) -> Vec<beseda_embedded::outbox::Stored> {
    let about_customers = ["новое обращение", "клиент ждёт", "a new request", "a customer is waiting"];
    let mails = w.outbox.list().unwrap();
    mails.into_iter().filter(|m| about_customers.iter().any(|s| m.subject.contains(s))).collect()
}

#[tokio::test]
async fn group_two_hears_of_a_new_dialog_from_any_source_and_of_a_wait_each_in_their_language() {
    let (w, clock) = world().await;
    let channels = FakeChannels(Default::default());
    let r = telegram(&w, &channels).await;
    let english = accounts::ProfileChanges { language: Some(accounts::Language::En), ..Default::default() };
    accounts::update_profile(&w.app, &w.operator.id, english).await.unwrap();

    crate::integrations::receive(&w.app, &r, vec![tg_message("u1", "555", "Есть доставка в субботу?")]).await.unwrap();
    crate::integrations::receive(&w.app, &r, vec![tg_message("u2", "555", "И сколько стоит?")]).await.unwrap();
    deliver_notifications(&w).await;
    let new = customer_mails(&w);
    assert_eq!(new.len(), 2, "the new dialog at once, one mail per language; the waits later");
    let ru = new.iter().find(|m| m.to.contains(&"owner@x.ru".to_owned())).expect("the administrator");
    assert!(ru.subject.contains("новое обращение (Telegram)") && ru.subject.contains("Ромашка"), "{}", ru.subject);
    assert!(ru.text.contains("Пётр: Есть доставка в субботу?") && ru.text.contains("/dialogs/mine/"), "{}", ru.text);
    let en = new.iter().find(|m| m.to.contains(&"op@x.ru".to_owned())).expect("the operator");
    assert!(en.subject.starts_with("Beseda: a new request (Telegram)"), "{}", en.subject);

    // Three minutes later nobody has answered: the wait is mailed once (for its first message).
    clock.advance(chrono::TimeDelta::seconds(181));
    deliver_notifications(&w).await;
    let waits: Vec<_> = customer_mails(&w).into_iter().filter(|m| !new.iter().any(|n| n.file == m.file)).collect();
    assert_eq!(
        waits.len(),
        2,
        "the wait, in both languages, once: {:?}",
        waits.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    assert!(
        waits.iter().any(|m| m.subject.contains("клиент ждёт ответа") && m.text.contains("Есть доставка в субботу?"))
    );

    // A message the operator answers in time is not reported.
    let d = list(&w.app, &w.project, &w.operator.id, Folder::Mine).await.unwrap().remove(0);
    crate::integrations::receive(&w.app, &r, vec![tg_message("u3", "555", "Жду")]).await.unwrap();
    reply(&w.app, &w.project, &d.id, &w.operator, "Да, доставляем", "op-1").await.unwrap();
    clock.advance(chrono::TimeDelta::seconds(181));
    deliver_notifications(&w).await;
    assert_eq!(customer_mails(&w).len(), 4, "an answered message makes no mail");
}

#[tokio::test]
async fn folders_and_long_dialogs_page_by_cursor_without_losing_any() {
    let (w, clock) = world().await;
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..7 {
        clock.advance(chrono::Duration::seconds(1));
        let v = visitor(&w).await;
        let (_, d) = send_from_visitor(&w.app, &w.project, &v, msg(&format!("Вопрос {i}"), "c1")).await.unwrap();
        ids.push(d.id);
    }
    ids.reverse();
    let (mut seen, mut cursor) = (Vec::new(), None);
    loop {
        let (page, next) =
            list_page(&w.app, &w.project, &w.operator.id, Folder::Mine, cursor.as_deref(), 3).await.unwrap();
        assert!(page.len() <= 3);
        seen.extend(page.into_iter().map(|d| d.id));
        match next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    assert_eq!(seen, ids, "every dialog once, the newest first");
    let (_, next) = list_page(&w.app, &w.project, &w.operator.id, Folder::Mine, None, 3).await.unwrap();
    let foreign = list_page(&w.app, &w.project, &w.operator.id, Folder::Archive, next.as_deref(), 3).await;
    assert!(matches!(foreign, Err(Error::Store(beseda_ports::table::StoreError::BadCursor))), "{foreign:?}");

    // A long dialog opens on its newest messages and pages back to its first.
    let v = visitor(&w).await;
    let mut sent = Vec::new();
    for i in 0..230 {
        let v = refreshed(&w, &v).await;
        let (m, _) =
            send_from_visitor(&w.app, &w.project, &v, msg(&format!("Сообщение {i}"), &format!("m{i}"))).await.unwrap();
        sent.push(m.id);
    }
    let did = refreshed(&w, &v).await.dialog_id.unwrap();
    let (_, newest, mut older) = open_for_operator(&w.app, &w.project, &did, &w.member).await.unwrap();
    assert_eq!(newest.len(), super::operator::MESSAGES);
    assert_eq!(newest.last().map(|m| &m.id), sent.last(), "the newest message is there");
    let mut all: Vec<String> = newest.into_iter().map(|m| m.id).collect();
    while let Some(before) = older {
        let (page, next) = older_messages(&w.app, &w.project, &did, &before).await.unwrap();
        all.splice(0..0, page.into_iter().map(|m| m.id));
        older = next;
    }
    assert_eq!(all.len(), 231, "the welcome and every message, once");
    assert_eq!(all[1..], sent[..], "in order");
    assert!(matches!(
        older_messages(&w.app, &w.project, &did, "msg#../x").await,
        Err(Error::Invalid { field: "before", .. })
    ));
}

#[tokio::test]
async fn messages_of_one_dialog_sent_at_once_are_all_stored_and_none_is_refused_as_busy() {
    let (w, _) = world().await;
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    let v = visitor(&w).await;
    send_from_visitor(&w.app, &w.project, &v, msg("Начало", "c0")).await.unwrap();
    let v = refreshed(&w, &v).await;
    let sends = (1..=12).map(|i| {
        let (app, project, v) = (w.app.clone(), w.project.clone(), v.clone());
        tokio::spawn(async move {
            send_from_visitor(&app, &project, &v, msg(&format!("Сразу {i}"), &format!("c{i}"))).await
        })
    });
    for sent in futures::future::join_all(sends).await {
        sent.unwrap().unwrap();
    }
    let did = refreshed(&w, &v).await.dialog_id.unwrap();
    let stored = messages(&w.app, &w.project, &did, None).await.unwrap();
    assert_eq!(stored.len(), 14, "the welcome, the first and twelve at once");
    assert_eq!(dialog(&w.app, &w.project, &did).await.unwrap().unread, 13);
}

#[tokio::test]
async fn the_wait_follows_the_projects_minutes_and_the_mail_has_an_escaped_html_part() {
    let (w, clock) = world().await;
    let settings = crate::notify::NotifySettings { unanswered_minutes: 5 };
    crate::notify::set_settings(&w.app, &w.project, settings).await.unwrap();
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    let boss = NewMember { email: "boss@x.ru".into(), accesses: vec![Access::Settings], ..Default::default() };
    team::add(&w.app, &w.project, boss).await.unwrap();
    let v = visitor(&w).await;
    send_from_visitor(&w.app, &w.project, &v, msg("<script>alert(1)</script> & привет", "c1")).await.unwrap();
    deliver_notifications(&w).await;
    let new = customer_mails(&w);
    assert_eq!(new.len(), 2, "the new dialog: one mail to those who open dialogs, one to the others");
    let cabinet = new.iter().find(|m| m.to == ["boss@x.ru"]).expect("the settings-only member");
    assert!(
        cabinet.text.contains("Открыть кабинет: http://cabinet.test/") && !cabinet.text.contains("/dialogs/"),
        "{}",
        cabinet.text
    );
    let dialog = new.iter().find(|m| m.to.contains(&"op@x.ru".to_owned())).expect("the operator");
    let html = dialog.html.clone().expect("an HTML part");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; привет") && !html.contains("<script>"),
        "{html}"
    );
    assert!(html.contains("/dialogs/mine/"), "{html}");

    clock.advance(chrono::TimeDelta::seconds(181));
    deliver_notifications(&w).await;
    assert_eq!(customer_mails(&w).len(), 2, "three minutes are not five: the job waits on");
    clock.advance(chrono::TimeDelta::seconds(120));
    deliver_notifications(&w).await;
    let all = customer_mails(&w);
    assert_eq!(all.len(), 4, "after five minutes the wait is mailed");
    assert!(all.iter().any(|m| m.text.contains("уже 5 мин.")), "{:?}", all.iter().map(|m| &m.text).collect::<Vec<_>>());
}

/// The "unanswered" notification jobs visible now, taken off the queue, by message id.
async fn unanswered_jobs(w: &World) -> Vec<String> {
    let jobs = w.app.ports.queue.receive(NOTIFICATIONS.name, 10, Duration::from_secs(30)).await.unwrap();
    let mut out = Vec::new();
    for j in &jobs {
        if let crate::notify::Job::Customer { message_id, event: crate::notify::CustomerEvent::Unanswered, .. } =
            serde_json::from_str(&j.body).unwrap()
        {
            out.push(message_id);
        }
        w.app.ports.queue.ack(NOTIFICATIONS.name, &j.receipt).await.unwrap();
    }
    out
}

#[tokio::test]
async fn a_wait_arms_one_unanswered_job_and_an_answer_ends_the_wait() {
    let (w, clock) = world().await;
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    let v = visitor(&w).await;
    let (first, d) = send_from_visitor(&w.app, &w.project, &v, msg("Здравствуйте", "w1")).await.unwrap();
    let v = refreshed(&w, &v).await;
    for (i, text) in ["Есть розы?", "Красные", "Ау"].into_iter().enumerate() {
        send_from_visitor(&w.app, &w.project, &v, msg(text, &format!("w{}", i + 2))).await.unwrap();
    }
    assert_eq!(dialog(&w.app, &w.project, &d.id).await.unwrap().waiting_since, Some(first.at));
    clock.advance(chrono::TimeDelta::seconds(61));
    assert_eq!(unanswered_jobs(&w).await, vec![first.id], "one job for the wait, on its first message");

    reply(&w.app, &w.project, &d.id, &w.operator, "Есть", "r1").await.unwrap();
    assert_eq!(dialog(&w.app, &w.project, &d.id).await.unwrap().waiting_since, None);
    let (next, _) = send_from_visitor(&w.app, &w.project, &v, msg("Сколько стоят?", "w5")).await.unwrap();
    send_from_visitor(&w.app, &w.project, &v, msg("И доставка?", "w6")).await.unwrap();
    clock.advance(chrono::TimeDelta::seconds(61));
    assert_eq!(unanswered_jobs(&w).await, vec![next.id], "a new wait after the answer");
}

/// Fires every timer due now; each timer with whether it did its work.
async fn fire_due(w: &World) -> Vec<(Timer, bool)> {
    let due = w.app.ports.queue.receive(TIMERS.name, 10, Duration::from_secs(30)).await.unwrap();
    let mut out = Vec::new();
    for t in &due {
        out.push((serde_json::from_str(&t.body).unwrap(), fire(&w.app, &t.body).await.unwrap()));
        w.app.ports.queue.ack(TIMERS.name, &t.receipt).await.unwrap();
    }
    out
}

/// The no-reply alerts queued for the team bot now, as (dialog, minutes); every notification
/// job due is taken off the queue.
async fn no_reply_alerts(w: &World) -> Vec<(String, u32)> {
    let jobs = w.app.ports.queue.receive(NOTIFICATIONS.name, 10, Duration::from_secs(30)).await.unwrap();
    let mut out = Vec::new();
    for j in &jobs {
        if let crate::notify::Job::NoReply { dialog_id, minutes, .. } = serde_json::from_str(&j.body).unwrap() {
            out.push((dialog_id, minutes));
        }
        w.app.ports.queue.ack(NOTIFICATIONS.name, &j.receipt).await.unwrap();
    }
    out
}

#[tokio::test]
async fn an_unanswered_dialog_goes_to_the_next_online_operator_then_the_administrators_are_alerted() {
    let (w, clock) = world().await;
    let (mut s, _) = super::site::settings(&w.app, &w.project).await.unwrap();
    s.chat.reassign_after_secs = Some(60);
    s.chat.alert_after_secs = Some(120);
    super::site::save_settings(&w.app, &w.project, s).await.unwrap();
    let boris = NewMember {
        email: "boris@x.ru".into(),
        first_name: "Борис".into(),
        accesses: vec![Access::Operator],
        ..Default::default()
    };
    let boris = team::add(&w.app, &w.project, boris).await.unwrap().user_id;
    set_presence(&w.app, &w.project, &w.operator.id, true).await.unwrap();
    set_presence(&w.app, &w.project, &boris, true).await.unwrap();
    let v = visitor(&w).await;
    let (m, d) = send_from_visitor(&w.app, &w.project, &v, msg("Алло, есть кто?", "c1")).await.unwrap();
    super::operator::take(&w.app, &w.project, &d.id, &w.operator.id).await.unwrap();

    clock.advance(chrono::Duration::seconds(59));
    assert!(fire_due(&w).await.iter().all(|(t, _)| !matches!(t, Timer::Reassign { .. })), "M has not passed");
    clock.advance(chrono::Duration::seconds(1));
    let fired = fire_due(&w).await;
    let reassign = Timer::Reassign { project_id: w.project.clone(), dialog_id: d.id.clone(), message_id: m.id.clone() };
    assert!(fired.contains(&(reassign.clone(), true)), "{fired:?}");
    let d = dialog(&w.app, &w.project, &d.id).await.unwrap();
    assert_eq!(d.assignee.as_deref(), Some(boris.as_str()), "the other online operator has it now");
    assert!(!fire(&w.app, &serde_json::to_string(&reassign).unwrap()).await.unwrap(), "a redelivery does nothing");
    assert_eq!(dialog(&w.app, &w.project, &d.id).await.unwrap().assignee.as_deref(), Some(boris.as_str()));
    assert!(no_reply_alerts(&w).await.is_empty(), "K has not passed");

    clock.advance(chrono::Duration::seconds(60));
    let fired = fire_due(&w).await;
    let alert = Timer::Alert { project_id: w.project.clone(), dialog_id: d.id.clone(), message_id: m.id.clone() };
    assert!(fired.contains(&(alert.clone(), true)), "{fired:?}");
    assert!(!fire(&w.app, &serde_json::to_string(&alert).unwrap()).await.unwrap(), "a redelivery does nothing");
    assert_eq!(no_reply_alerts(&w).await, [(d.id.clone(), 2)], "one alert, after two minutes");

    // A dialog answered in time triggers neither.
    reply(&w.app, &w.project, &d.id, &w.operator, "Да, слушаю", "r1").await.unwrap();
    let v = refreshed(&w, &v).await;
    send_from_visitor(&w.app, &w.project, &v, msg("Сколько стоит доставка?", "c2")).await.unwrap();
    reply(&w.app, &w.project, &d.id, &w.operator, "300 ₽", "r2").await.unwrap();
    clock.advance(chrono::Duration::seconds(120));
    let fired = fire_due(&w).await;
    assert!(fired.iter().any(|(t, _)| matches!(t, Timer::Alert { .. })), "the timers did fire: {fired:?}");
    assert!(fired.iter().all(|(_, worked)| !worked), "{fired:?}");
    assert_eq!(dialog(&w.app, &w.project, &d.id).await.unwrap().assignee.as_deref(), Some(boris.as_str()));
    assert!(no_reply_alerts(&w).await.is_empty());

    // Switched off after the message: its timers do nothing.
    let v = refreshed(&w, &v).await;
    send_from_visitor(&w.app, &w.project, &v, msg("А в воскресенье?", "c3")).await.unwrap();
    let (mut s, _) = super::site::settings(&w.app, &w.project).await.unwrap();
    (s.chat.reassign_after_secs, s.chat.alert_after_secs) = (None, None);
    super::site::save_settings(&w.app, &w.project, s).await.unwrap();
    clock.advance(chrono::Duration::seconds(120));
    let fired = fire_due(&w).await;
    assert!(fired.iter().any(|(t, _)| matches!(t, Timer::Reassign { .. })), "the timers did fire: {fired:?}");
    assert!(fired.iter().all(|(t, worked)| !worked || matches!(t, Timer::Unread { .. })), "{fired:?}");
    assert_eq!(dialog(&w.app, &w.project, &d.id).await.unwrap().assignee.as_deref(), Some(boris.as_str()));
    assert!(no_reply_alerts(&w).await.is_empty());
}
