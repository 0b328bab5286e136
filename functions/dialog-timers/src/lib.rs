//! The dialog timers consumer: each message of the timers queue (sent with its timer's delay)
//! fires once; the domain decides whether its work (an auto-message, the auto-close, the
//! no-reply chain's reassign or alert) is still due.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use beseda_domain::{App, dialogs};
use beseda_ports::queue::TIMERS;

pub async fn handle(app: &App, event: SqsEvent) -> SqsBatchResponse {
    beseda_lambda::sqs_batch(app, TIMERS, event, |_, body| async move { dialogs::fire(app, &body).await.map(|_| ()) })
        .await
}
