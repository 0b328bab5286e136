//! The outbound delivery consumer in Lambda: an SQS batch in, the partial-batch failures out.

use aws_lambda_events::event::sqs::SqsEvent;
use beseda_channels::Channels;
use lambda_runtime::{LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let app = beseda_lambda::app_from_env(Some(beseda_lambda::Access::Open)).await?;
    let channels = Channels::from_env();
    let (app, channels) = (&app, &channels);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, lambda_runtime::Error>(outbound_delivery::handle(app, channels, event.payload).await)
    }))
    .await
}
