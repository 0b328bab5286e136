//! The VK community Callback API function: POST /mp/webhooks/vk/{community_id}.
//! Thin: the webhook path is `beseda_webhooks`, the platform's format `beseda_channels`.

use beseda_channels::{Channels, Kind};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let app = beseda_lambda::app_from_env(Some(beseda_lambda::Access::Open)).await?;
    let public_url = app.settings.public_url.clone();
    let router = beseda_webhooks::router(Kind::Vk, Arc::new(app), Arc::new(Channels::from_env()));
    beseda_lambda::run_http(router, &public_url).await
}
