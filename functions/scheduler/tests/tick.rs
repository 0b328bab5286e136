//! A tick on the sample EventBridge event ends a trial that is over, once; ticks at nine in the
//! morning mail the day before's statistics once.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use beseda_domain::accounts::{self, NewUser};
use beseda_domain::billing::{self, Status};
use beseda_domain::projects::{self, NewProject};
use beseda_domain::{App, Settings};
use beseda_ports::FixedClock;
use std::sync::Arc;

#[tokio::test]
async fn an_ended_trial_expires_once_and_the_admin_is_told() {
    let sample =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/scheduler/tick.json")).unwrap();
    let _: EventBridgeEvent = serde_json::from_str(&sample).expect("the sample is an EventBridge event");

    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let dir = tempfile::tempdir().unwrap();
    let e = beseda_embedded::open(dir.path(), beseda_ports::queue::QUEUES, clock.clone()).unwrap();
    let app = App { ports: e.ports, settings: Settings::from_env() };
    let owner = accounts::create_user(&app, NewUser { email: "o@x.ru".into(), ..Default::default() }, "password1")
        .await
        .unwrap();
    let new = NewProject { name: "Ромашка".into(), domains: vec!["test.com".into()], ..Default::default() };
    let p = projects::create(&app, &owner.id, new, None).await.unwrap();
    billing::start_trial(&app, &p.id).await.unwrap();

    assert_eq!(scheduler::tick(&app).await.unwrap().tariffs_expired, 0);
    clock.advance(chrono::Duration::days(billing::TRIAL_DAYS) + chrono::Duration::minutes(1));
    assert_eq!(scheduler::tick(&app).await.unwrap().tariffs_expired, 1);
    assert_eq!(scheduler::tick(&app).await.unwrap().tariffs_expired, 0);
    assert_eq!(billing::load(&app, &p.id).await.unwrap().0.status, Status::Expired);
    let mails = app.ports.queue.receive("notifications", 10, std::time::Duration::ZERO).await.unwrap();
    let bodies: Vec<String> = mails.into_iter().map(|m| m.body).collect();
    assert!(bodies.iter().any(|b| b.contains("\"expired\"") && b.contains("o@x.ru")), "{bodies:?}");
}

#[tokio::test]
async fn two_ticks_at_nine_put_the_days_statistics_mail_in_the_outbox_once() {
    use chrono::TimeZone;
    // Tuesday 24 November 2026, 10:00 in Moscow.
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2026, 11, 24, 7, 0, 0).unwrap()));
    let dir = tempfile::tempdir().unwrap();
    let e = beseda_embedded::open(dir.path(), beseda_ports::queue::QUEUES, clock.clone()).unwrap();
    let app = App { ports: e.ports, settings: Settings::from_env() };
    let owner = accounts::create_user(&app, NewUser { email: "o@x.ru".into(), ..Default::default() }, "password1")
        .await
        .unwrap();
    let new = NewProject { name: "Ромашка".into(), domains: vec!["test.com".into()], ..Default::default() };
    let p = projects::create(&app, &owner.id, new, None).await.unwrap();
    let groups = beseda_domain::notify::Groups { statistics: true, ..Default::default() };
    beseda_domain::team::update(&app, &p.id, &owner.id, None, Some(groups)).await.unwrap();

    // Wednesday 08:55, then 09:00 twice.
    clock.set(chrono::Utc.with_ymd_and_hms(2026, 11, 25, 5, 55, 0).unwrap());
    assert_eq!(scheduler::tick(&app).await.unwrap().statistics_mails, 0, "not before nine");
    clock.set(chrono::Utc.with_ymd_and_hms(2026, 11, 25, 6, 0, 0).unwrap());
    assert_eq!(scheduler::tick(&app).await.unwrap().statistics_mails, 1);
    assert_eq!(scheduler::tick(&app).await.unwrap().statistics_mails, 0);
    let jobs = app.ports.queue.receive("notifications", 10, std::time::Duration::ZERO).await.unwrap();
    for j in &jobs {
        beseda_domain::notify::deliver(&app, &j.message_id, &j.body).await.unwrap();
    }
    let sent = e.outbox.list().unwrap();
    assert_eq!(sent.len(), 1, "{:?}", sent.iter().map(|m| &m.subject).collect::<Vec<_>>());
    assert_eq!(sent[0].to, ["o@x.ru"]);
    assert_eq!(sent[0].subject, "Беседа: статистика за 24.11.2026 — проект «Ромашка»");
    assert!(sent[0].text.contains("Обращений: 0"), "a quiet day is mailed with its zeros: {}", sent[0].text);
}
