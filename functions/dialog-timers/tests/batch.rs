//! The consumer on the sample SQS event from `events/`, over the embedded adapters.

use aws_lambda_events::event::sqs::SqsEvent;
use beseda_domain::{App, Settings};
use std::sync::Arc;

fn sample() -> SqsEvent {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/dialog-timers/sqs-timer.json"))
            .expect("the sample event exists");
    serde_json::from_str(&text).expect("the sample is an SQS event")
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap().keep();
    let e = beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, Arc::new(beseda_ports::SystemClock)).unwrap();
    let settings = Settings {
        mail_from: "Беседа <noreply@beseda.local>".into(),
        public_url: "http://localhost:8080".into(),
        secrets: None,
    };
    App { ports: e.ports, settings }
}

#[test]
fn the_sample_is_a_timer_from_the_timers_queue() {
    let event = sample();
    assert_eq!(event.records.len(), 1);
    let record = &event.records[0];
    assert_eq!(record.event_source_arn.as_deref(), Some("arn:aws:sqs:eu-central-1:123456789012:beseda-timers"));
    assert_eq!(
        record.body.as_deref(),
        Some(
            r#"{"kind":"unread","project_id":"demo","dialog_id":"d-1","message_id":"0193a1b2-0000-7000-8000-000000000001"}"#
        )
    );
}

#[tokio::test]
async fn a_timer_of_a_dialog_that_does_not_exist_is_done_not_failed() {
    let app = app();
    let response = dialog_timers::handle(&app, sample()).await;
    assert!(response.batch_item_failures.is_empty(), "{:?}", response.batch_item_failures);
    // Redelivered, it is still nothing to do.
    let again = dialog_timers::handle(&app, sample()).await;
    assert!(again.batch_item_failures.is_empty());
}

#[tokio::test]
async fn a_body_that_is_not_a_timer_is_reported() {
    let app = app();
    let mut event = sample();
    let id = event.records[0].message_id.clone().unwrap();
    event.records[0].body = Some(r#"{"kind":"nope"}"#.into());
    // The sample's receipt handle is not one of the embedded queue's: the retry is only
    // logged, the failure is reported all the same.
    let response = dialog_timers::handle(&app, event).await;
    let failed: Vec<_> = response.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
    assert_eq!(failed, [id.as_str()]);
}
