//! A tick on the sample EventBridge event ends a trial that is over, once.

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
