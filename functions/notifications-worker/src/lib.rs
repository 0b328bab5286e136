//! The notifications consumer: every message of the notifications queue is delivered once
//! (the domain skips a message id it has already delivered); group 2 also goes to the team's
//! Telegram bot through `bot`.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use beseda_domain::teambot::BotApi;
use beseda_domain::{App, notify};
use beseda_ports::queue::NOTIFICATIONS;

pub async fn handle(app: &App, bot: Option<&dyn BotApi>, event: SqsEvent) -> SqsBatchResponse {
    beseda_lambda::sqs_batch(app, NOTIFICATIONS, event, |id, body| async move {
        notify::deliver_with_bot(app, bot, &id, &body).await
    })
    .await
}
