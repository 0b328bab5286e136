//! The outbound delivery consumer: each message of the deliveries queue names an operator's
//! reply; the domain sends it through its channel and records how it went. A temporary
//! failure puts the message back for the platform's `retry_after` (or the backoff), and after
//! the queue's tries it lands in the dead-letter queue.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use beseda_domain::dialogs::delivery::{self, ChannelSet, Outcome};
use beseda_domain::{App, Result};
use beseda_ports::queue::DELIVERIES;
use std::time::Duration;

/// Delivers one job; `Some(delay)` when it is to be tried again after `delay`.
pub async fn deliver(app: &App, channels: &dyn ChannelSet, body: &str) -> Result<Option<Duration>> {
    Ok(match delivery::deliver(app, channels, body).await? {
        Outcome::Retry { after_secs } => Some(Duration::from_secs(after_secs)),
        Outcome::Sent | Outcome::Failed => None,
    })
}

pub async fn handle(app: &App, channels: &dyn ChannelSet, event: SqsEvent) -> SqsBatchResponse {
    beseda_lambda::sqs_batch_later(app, DELIVERIES, event, |_, body| async move { deliver(app, channels, &body).await })
        .await
}
