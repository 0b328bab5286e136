//! The cabinet API in Lambda: the adapters are built once per cold start, then every request
//! goes to the same axum router the local runner mounts.
//! A function started without its environment (`PUBLIC_URL`, `TABLE_NAME`, …) stops with
//! the name of what is missing.

use beseda_channels::Channels;
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let app = beseda_lambda::app_from_env(Some(beseda_lambda::Access::Create)).await?;
    let public_url = app.settings.public_url.clone();
    let router = cabinet_api::with_channels(cabinet_api::router(app), Arc::new(Channels::from_env()));
    beseda_lambda::run_http(router, &public_url).await
}
