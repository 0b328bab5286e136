//! The consumer on the sample SQS event from `events/`, over the embedded adapters.

use aws_lambda_events::event::sqs::SqsEvent;
use beseda_domain::{App, Settings};
use std::sync::Arc;

fn sample() -> SqsEvent {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../events/notifications-worker/sqs-mail.json"
    ))
    .expect("the sample event exists");
    serde_json::from_str(&text).expect("the sample is an SQS event")
}

fn app() -> (App, Arc<beseda_embedded::Outbox>) {
    let dir = tempfile::tempdir().unwrap().keep();
    let e = beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, Arc::new(beseda_ports::SystemClock)).unwrap();
    let settings = Settings {
        mail_from: "Беседа <noreply@beseda.local>".into(),
        public_url: "http://localhost:8080".into(),
        secrets: None,
    };
    (App { ports: e.ports, settings }, e.outbox)
}

#[tokio::test]
async fn the_sample_event_sends_one_mail_even_when_redelivered() {
    let (app, outbox) = app();
    let first = notifications_worker::handle(&app, None, sample()).await;
    assert!(first.batch_item_failures.is_empty());
    let again = notifications_worker::handle(&app, None, sample()).await;
    assert!(again.batch_item_failures.is_empty());
    let sent = outbox.list().unwrap();
    assert_eq!(sent.len(), 1, "SQS may deliver twice; the mail goes once");
    assert_eq!(sent[0].to, ["owner@example.com"]);
    assert!(sent[0].subject.contains("Демо"));
}

#[tokio::test]
async fn only_the_bad_record_is_reported() {
    let (app, outbox) = app();
    let mut event = sample();
    let mut bad = event.records[0].clone();
    bad.message_id = Some("bad-1".into());
    bad.body = Some("{\"kind\":\"unknown\"}".into());
    bad.receipt_handle = None;
    event.records.push(bad);
    let response = notifications_worker::handle(&app, None, event).await;
    let failed: Vec<_> = response.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
    assert_eq!(failed, ["bad-1"]);
    assert_eq!(outbox.list().unwrap().len(), 1);
}
