//! The journal API in Lambda.
//! A function started without its environment (`PUBLIC_URL`, `TABLE_NAME`, …) stops with
//! the name of what is missing.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let app = beseda_lambda::app_from_env(None).await?;
    let public_url = app.settings.public_url.clone();
    beseda_lambda::run_http(journal_api::router(app), &public_url).await
}
