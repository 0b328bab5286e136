//! The Lambda side of a queue consumer: every record of an SQS batch goes to the consumer's
//! handler (the same one the local runner calls) inside a span naming the queue and the
//! message; a record that fails, or that the handler asks to try again later, is put back
//! with a delay and reported in `batchItemFailures`, so only it is retried, and after the
//! queue's `maxReceiveCount` it lands in the dead-letter queue.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use beseda_domain::{App, Result, backoff};
use beseda_ports::QueueSpec;
use std::future::Future;
use std::time::Duration;
use tracing::Instrument;

/// A consumer whose messages either succeed or fail (retried with backoff).
pub async fn sqs_batch<F, Fut>(app: &App, queue: QueueSpec, event: SqsEvent, handler: F) -> SqsBatchResponse
where
    F: Fn(String, String) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    sqs_batch_later(app, queue, event, |id, body| {
        let handled = handler(id, body);
        async move { handled.await.map(|()| None) }
    })
    .await
}

/// A consumer that may also ask for a message to be tried again later without it failing:
/// `Ok(Some(delay))` puts it back for at least `delay` (a platform's `retry_after`), and, like
/// a failure, counts toward the dead-letter queue.
pub async fn sqs_batch_later<F, Fut>(app: &App, queue: QueueSpec, event: SqsEvent, handler: F) -> SqsBatchResponse
where
    F: Fn(String, String) -> Fut,
    Fut: Future<Output = Result<Option<Duration>>>,
{
    let mut failures = Vec::new();
    for record in event.records {
        let Some(id) = record.message_id else { continue };
        let receives = record.attributes.get("ApproximateReceiveCount").and_then(|n| n.parse().ok()).unwrap_or(1);
        let span = tracing::info_span!("queue_message", queue = queue.name, message_id = id.as_str(), receives);
        let backoff = backoff::retry_delay(receives);
        let delay = match handler(id.clone(), record.body.unwrap_or_default()).instrument(span.clone()).await {
            Ok(None) => continue,
            Ok(Some(later)) => {
                span.in_scope(|| tracing::info!(delay = ?later, "message put back to try later"));
                later.max(backoff).min(beseda_ports::queue::MAX_DELAY)
            }
            Err(e) => {
                span.in_scope(|| tracing::warn!(error = %e, "message failed"));
                backoff
            }
        };
        if let Some(receipt) = record.receipt_handle
            && let Err(e) = app.ports.queue.retry(queue.name, &receipt, delay).await
        {
            span.in_scope(|| tracing::warn!(error = %e, "could not delay the retry"));
        }
        let mut failure = BatchItemFailure::default();
        failure.item_identifier = id;
        failures.push(failure);
    }
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failures;
    response
}
