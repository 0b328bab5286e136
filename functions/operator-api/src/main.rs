//! The operator API in Lambda.

use beseda_domain::{App, Settings};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda_http::tracing::init_default_subscriber();
    let app = App { ports: beseda_aws::ports_from_env().await?, settings: Settings::from_env() };
    lambda_http::run(beseda_http::finish(operator_api::router(app))).await
}
