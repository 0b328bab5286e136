//! The scheduled jobs in Lambda: an EventBridge schedule fires `tick`.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let app = beseda_lambda::app_from_env(None).await?;
    let app = &app;
    lambda_runtime::run(service_fn(move |_: LambdaEvent<EventBridgeEvent>| async move {
        scheduler::tick(app).await.map_err(lambda_runtime::Error::from)
    }))
    .await
}
