//! The AWS adapters of every port: DynamoDB for the table, SQS for the queue, SES v2 for mail,
//! S3 for blobs and the API Gateway WebSocket management API for realtime push.
//!
//! Each Lambda's `main.rs` calls [`ports_from_env`] once per cold start. The SDK honours
//! `AWS_ENDPOINT_URL` (and the per-service `AWS_ENDPOINT_URL_<SERVICE>`), so `cargo lambda
//! watch` can point every client at `moto_server` on loopback. The tests run the contract
//! suites of `beseda-contract` against `moto_server` (see the `testing` module, feature `testing`).

pub mod atomic;
pub mod blobs;
pub mod mail;
pub mod queue;
pub mod realtime;
pub mod table;
#[cfg(feature = "testing")]
pub mod testing;

pub use atomic::AwsAtomic;
pub use blobs::S3Blobs;
pub use mail::SesMailer;
pub use queue::{QueueUrls, SqsQueue};
pub use realtime::ApiGatewayRealtime;
pub use table::DynamoTable;

use aws_config::BehaviorVersion;
use beseda_ports::{Ports, SystemClock};
use std::sync::Arc;

fn env(name: &str) -> Result<String, String> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => Err(format!("the environment variable {name} is not set")),
    }
}

/// Builds every adapter from the default AWS configuration and the environment:
/// `TABLE_NAME`, `BLOB_BUCKET`, `WS_ENDPOINT` (the WebSocket stage's https management URL)
/// and `QUEUE_URL_<NAME>` for each queue of [`beseda_ports::queue::QUEUES`].
pub async fn ports_from_env() -> Result<Ports, String> {
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let clock = Arc::new(SystemClock);
    let table = Arc::new(DynamoTable::new(aws_sdk_dynamodb::Client::new(&config), env("TABLE_NAME")?, clock.clone()));
    let queue = Arc::new(SqsQueue::from_env(aws_sdk_sqs::Client::new(&config), beseda_ports::queue::QUEUES)?);
    Ok(Ports::new(
        table.clone(),
        Arc::new(AwsAtomic::new(table, queue.clone())),
        queue,
        Arc::new(SesMailer::new(aws_sdk_sesv2::Client::new(&config))),
        Arc::new(S3Blobs::new(S3Blobs::client(&config), env("BLOB_BUCKET")?)),
        Arc::new(ApiGatewayRealtime::new(&config, &env("WS_ENDPOINT")?)),
        clock,
    ))
}
