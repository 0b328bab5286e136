//! The notifications consumer: every record of an SQS batch is delivered once (the domain
//! skips a message id it has already delivered). A record that fails is put back with
//! backoff and reported in `batchItemFailures`, so only it is retried, and after the queue's
//! `maxReceiveCount` it lands in the dead-letter queue.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use beseda_domain::{App, backoff, notify};
use beseda_ports::queue::NOTIFICATIONS;

pub async fn handle(app: &App, event: SqsEvent) -> SqsBatchResponse {
    let mut failures = Vec::new();
    for record in event.records {
        let Some(id) = record.message_id else { continue };
        let body = record.body.unwrap_or_default();
        let Err(e) = notify::deliver(app, &id, &body).await else { continue };
        tracing::warn!(message_id = id, error = %e, "notification failed");
        let receives = record.attributes.get("ApproximateReceiveCount").and_then(|n| n.parse().ok()).unwrap_or(1);
        if let Some(receipt) = record.receipt_handle {
            if let Err(e) = app.ports.queue.retry(NOTIFICATIONS.name, &receipt, backoff::retry_delay(receives)).await {
                tracing::warn!(message_id = id, error = %e, "could not delay the retry");
            }
        }
        let mut failure = BatchItemFailure::default();
        failure.item_identifier = id;
        failures.push(failure);
    }
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failures;
    response
}
