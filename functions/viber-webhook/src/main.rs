//! The Viber bot webhook function: POST /webhooks/viber/{id}.
//! Thin: the webhook path is `beseda_webhooks`, the platform's format `beseda_channels`.

use beseda_channels::{Channels, Kind};
use beseda_domain::{App, Settings};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let app = App { ports: beseda_aws::ports_from_env().await?, settings: Settings::from_env() };
    let router = beseda_webhooks::router(Kind::Viber, Arc::new(app), Arc::new(Channels::from_env()));
    lambda_http::run(beseda_http::finish(router)).await
}
