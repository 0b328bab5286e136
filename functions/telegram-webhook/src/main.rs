//! The Telegram bot webhook function: POST /webhooks/telegram/{id} (a customers' channel) and
//! POST /webhooks/teambot/{id} (the team's own bot), one Update per request.
//! Thin: the webhook path is `beseda_webhooks`, the platform's format `beseda_channels`.

use beseda_channels::{Channels, Kind};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let app = beseda_lambda::app_from_env(Some(beseda_lambda::Access::Open)).await?;
    let public_url = app.settings.public_url.clone();
    let channels = Arc::new(Channels::from_env());
    let router = beseda_webhooks::router(Kind::Telegram, Arc::new(app.clone()), channels.clone())
        .merge(beseda_webhooks::teambot::router(app, channels));
    beseda_lambda::run_http(router, &public_url).await
}
