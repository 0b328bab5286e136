//! The notifications consumer: every message of the notifications queue is delivered once
//! (the domain skips a message id it has already delivered).

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use beseda_domain::{App, notify};
use beseda_ports::queue::NOTIFICATIONS;

pub async fn handle(app: &App, event: SqsEvent) -> SqsBatchResponse {
    beseda_lambda::sqs_batch(
        app,
        NOTIFICATIONS,
        event,
        |id, body| async move { notify::deliver(app, &id, &body).await },
    )
    .await
}
