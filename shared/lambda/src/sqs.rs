//! The Lambda side of a queue consumer: every record of an SQS batch goes to the consumer's
//! handler (the same one the local runner calls); a record that fails is put back with
//! backoff and reported in `batchItemFailures`, so only it is retried, and after the queue's
//! `maxReceiveCount` it lands in the dead-letter queue.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use beseda_domain::{App, Result, backoff};
use beseda_ports::QueueSpec;
use std::future::Future;

pub async fn sqs_batch<F, Fut>(app: &App, queue: QueueSpec, event: SqsEvent, handler: F) -> SqsBatchResponse
where
    F: Fn(String, String) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let mut failures = Vec::new();
    for record in event.records {
        let Some(id) = record.message_id else { continue };
        let Err(e) = handler(id.clone(), record.body.unwrap_or_default()).await else { continue };
        tracing::warn!(queue = queue.name, message_id = id, error = %e, "message failed");
        let receives = record.attributes.get("ApproximateReceiveCount").and_then(|n| n.parse().ok()).unwrap_or(1);
        if let Some(receipt) = record.receipt_handle
            && let Err(e) = app.ports.queue.retry(queue.name, &receipt, backoff::retry_delay(receives)).await
        {
            tracing::warn!(queue = queue.name, message_id = id, error = %e, "could not delay the retry");
        }
        let mut failure = BatchItemFailure::default();
        failure.item_identifier = id;
        failures.push(failure);
    }
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failures;
    response
}
