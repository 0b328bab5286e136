//! The cabinet API in Lambda: the adapters are built once per cold start, then every request
//! goes to the same axum router the local runner mounts.

use beseda_channels::Channels;
use beseda_domain::{App, Settings};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let app = App { ports: beseda_aws::ports_from_env().await?, settings: Settings::from_env() };
    let router = cabinet_api::with_channels(cabinet_api::router(app), Arc::new(Channels::from_env()));
    lambda_http::run(beseda_http::finish(router)).await
}
