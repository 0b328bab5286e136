//! An SQS batch over the embedded queue: a message done is not reported, a failed one and one
//! put back for later are reported and stay invisible for their delay.

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use beseda_domain::{App, Error, Settings};
use beseda_ports::queue::NOTIFICATIONS;
use std::sync::Arc;
use std::time::Duration;

fn app() -> App {
    let dir = tempfile::tempdir().unwrap().keep();
    let e = beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, Arc::new(beseda_ports::SystemClock)).unwrap();
    App {
        ports: e.ports,
        settings: Settings {
            mail_from: "noreply@beseda.local".into(),
            public_url: "http://localhost".into(),
            secrets: None,
        },
    }
}

/// Sends `bodies` and receives them as Lambda would get them.
async fn batch(app: &App, bodies: &[&str]) -> SqsEvent {
    for body in bodies {
        app.ports.queue.send(NOTIFICATIONS.name, body, Duration::ZERO).await.unwrap();
    }
    let received = app.ports.queue.receive(NOTIFICATIONS.name, 10, Duration::from_secs(1)).await.unwrap();
    let mut event = SqsEvent::default();
    event.records = received
        .into_iter()
        .map(|m| {
            let mut record = SqsMessage::default();
            record.message_id = Some(m.body.clone());
            record.receipt_handle = Some(m.receipt);
            record.body = Some(m.body);
            record.attributes.insert("ApproximateReceiveCount".into(), m.receive_count.to_string());
            record
        })
        .collect();
    event
}

#[tokio::test]
async fn only_failed_and_later_messages_are_reported_and_wait_their_delay() {
    let app = app();
    let event = batch(&app, &["done", "failed", "later"]).await;
    let response = beseda_lambda::sqs_batch_later(&app, NOTIFICATIONS, event, |_, body| async move {
        match body.as_str() {
            "done" => Ok(None),
            "later" => Ok(Some(Duration::from_secs(600))),
            _ => Err(Error::Internal("platform down".into())),
        }
    })
    .await;
    let mut reported: Vec<_> = response.batch_item_failures.iter().map(|f| f.item_identifier.clone()).collect();
    reported.sort();
    assert_eq!(reported, ["failed", "later"]);
    // The failed one comes back after its 2 s backoff; the later one not before its 600 s.
    let again = app.ports.queue.receive(NOTIFICATIONS.name, 10, Duration::from_secs(4)).await.unwrap();
    let bodies: Vec<_> = again.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["failed"]);
}

#[tokio::test]
async fn a_plain_consumer_retries_its_failures() {
    let app = app();
    let event = batch(&app, &["ok", "bad"]).await;
    let response = beseda_lambda::sqs_batch(&app, NOTIFICATIONS, event, |_, body| async move {
        if body == "ok" { Ok(()) } else { Err(Error::Internal("no".into())) }
    })
    .await;
    let reported: Vec<_> = response.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
    assert_eq!(reported, ["bad"]);
}
