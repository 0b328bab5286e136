//! The consumer on the sample SQS event from `events/`, over the embedded adapters.

use aws_lambda_events::event::sqs::SqsEvent;
use beseda_channels::{Bases, Channels};
use beseda_domain::{App, Settings};
use std::sync::Arc;

fn sample() -> SqsEvent {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../events/outbound-delivery/sqs-delivery.json"
    ))
    .expect("the sample event exists");
    serde_json::from_str(&text).expect("the sample is an SQS event")
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap().keep();
    let e = beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, Arc::new(beseda_ports::SystemClock)).unwrap();
    App {
        ports: e.ports,
        settings: Settings {
            mail_from: "noreply@beseda.local".into(),
            public_url: "http://localhost:8080".into(),
            secrets: None,
        },
    }
}

#[test]
fn the_sample_names_a_reply_and_carries_no_secret() {
    let event = sample();
    let [record] = event.records.as_slice() else { panic!("one record") };
    assert_eq!(record.event_source_arn.as_deref(), Some("arn:aws:sqs:eu-central-1:123456789012:beseda-deliveries"));
    let body: serde_json::Value = serde_json::from_str(record.body.as_deref().unwrap()).unwrap();
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["dialog_id", "message_id", "project_id"]);
}

#[tokio::test]
async fn a_job_whose_message_is_gone_is_reported_for_a_retry() {
    let app = app();
    let channels = Channels::new(Bases::default());
    let response = outbound_delivery::handle(&app, &channels, sample()).await;
    let failed: Vec<_> = response.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
    assert_eq!(failed, ["3e8a0c1d-7b2f-4a6e-9d15-c4b2e0f9a871"]);
}
