//! The AWS adapters of every port: DynamoDB for the table, SQS for the queue, SES v2 for mail,
//! S3 for blobs, the API Gateway WebSocket management API for realtime push and KMS for the
//! data key that seals integration secrets.
//!
//! Each Lambda's `main.rs` calls [`ports_from_env`] once per cold start. A function links only
//! the SDK clients it uses: DynamoDB always, the others by the features `sqs`, `ses`, `s3`,
//! `websocket` and `kms` its crate selects; a port whose client is not linked is
//! [`Unlinked`]. The SDK honours `AWS_ENDPOINT_URL` (and the per-service `AWS_ENDPOINT_URL_<SERVICE>`), so `cargo
//! lambda watch` can point every client at `moto_server` on loopback. The tests run the
//! contract suites of `beseda-contract` against `moto_server` (see the `testing` module,
//! feature `testing`, which links every client).

pub mod atomic;
#[cfg(feature = "s3")]
pub mod blobs;
#[cfg(feature = "kms")]
pub mod keys;
#[cfg(feature = "ses")]
pub mod mail;
#[cfg(feature = "sqs")]
pub mod queue;
#[cfg(feature = "websocket")]
pub mod realtime;
pub mod table;
#[cfg(feature = "testing")]
pub mod testing;
pub mod unlinked;

pub use atomic::AwsAtomic;
#[cfg(feature = "s3")]
pub use blobs::S3Blobs;
#[cfg(feature = "kms")]
pub use keys::KmsKeyWrap;
#[cfg(feature = "ses")]
pub use mail::SesMailer;
#[cfg(feature = "sqs")]
pub use queue::{QueueUrls, SqsQueue};
#[cfg(feature = "websocket")]
pub use realtime::ApiGatewayRealtime;
pub use table::DynamoTable;
pub use unlinked::Unlinked;

use aws_config::{BehaviorVersion, SdkConfig};
use beseda_ports::{BlobStore, KeyWrap, Mailer, Ports, Queue, Realtime, SystemClock};
use std::sync::Arc;

fn env(name: &str) -> Result<String, String> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => Err(format!("the environment variable {name} is not set")),
    }
}

/// Builds every adapter from the default AWS configuration and the environment:
/// `TABLE_NAME`, and for the clients the function links `QUEUE_URL_<NAME>` for each queue of
/// [`beseda_ports::queue::QUEUES`] (sqs), `BLOB_BUCKET` (s3) and `WS_ENDPOINT` (websocket, the
/// WebSocket stage's https management URL). `kms_key_id` is the KMS key of the data key
/// (`KMS_KEY_ID`) for a function that reads or writes integration secrets, which must link
/// the kms client; None for the others, whose key port is [`Unlinked`].
pub async fn ports_from_env(kms_key_id: Option<&str>) -> Result<Ports, String> {
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let clock = Arc::new(SystemClock);
    let table = Arc::new(DynamoTable::new(aws_sdk_dynamodb::Client::new(&config), env("TABLE_NAME")?, clock.clone()));
    let (atomic, queue) = queue(&config, table.clone())?;
    let (mail, blobs, realtime) = (mailer(&config), blobs(&config)?, realtime(&config)?);
    Ok(Ports::new(table, Arc::new(atomic), queue, mail, blobs, realtime, keys(&config, kms_key_id)?, clock))
}

#[cfg(feature = "sqs")]
fn queue(config: &SdkConfig, table: Arc<DynamoTable>) -> Result<(AwsAtomic, Arc<dyn Queue>), String> {
    let queue = Arc::new(SqsQueue::from_env(aws_sdk_sqs::Client::new(config), beseda_ports::queue::QUEUES)?);
    Ok((AwsAtomic::new(table, queue.clone()), queue))
}

#[cfg(not(feature = "sqs"))]
fn queue(_config: &SdkConfig, table: Arc<DynamoTable>) -> Result<(AwsAtomic, Arc<dyn Queue>), String> {
    Ok((AwsAtomic::without_queues(table), Arc::new(Unlinked { client: "sqs" })))
}

#[cfg(feature = "ses")]
fn mailer(config: &SdkConfig) -> Arc<dyn Mailer> {
    Arc::new(SesMailer::new(aws_sdk_sesv2::Client::new(config)))
}

#[cfg(not(feature = "ses"))]
fn mailer(_config: &SdkConfig) -> Arc<dyn Mailer> {
    Arc::new(Unlinked { client: "ses" })
}

#[cfg(feature = "s3")]
fn blobs(config: &SdkConfig) -> Result<Arc<dyn BlobStore>, String> {
    Ok(Arc::new(S3Blobs::new(S3Blobs::client(config), env("BLOB_BUCKET")?)))
}

#[cfg(not(feature = "s3"))]
fn blobs(_config: &SdkConfig) -> Result<Arc<dyn BlobStore>, String> {
    Ok(Arc::new(Unlinked { client: "s3" }))
}

#[cfg(feature = "websocket")]
fn realtime(config: &SdkConfig) -> Result<Arc<dyn Realtime>, String> {
    Ok(Arc::new(ApiGatewayRealtime::new(config, &env("WS_ENDPOINT")?)))
}

#[cfg(not(feature = "websocket"))]
fn realtime(_config: &SdkConfig) -> Result<Arc<dyn Realtime>, String> {
    Ok(Arc::new(Unlinked { client: "websocket" }))
}

#[cfg(feature = "kms")]
fn keys(config: &SdkConfig, key_id: Option<&str>) -> Result<Arc<dyn KeyWrap>, String> {
    Ok(match key_id {
        Some(id) => Arc::new(KmsKeyWrap::new(aws_sdk_kms::Client::new(config), id)),
        None => Arc::new(Unlinked { client: "kms" }),
    })
}

#[cfg(not(feature = "kms"))]
fn keys(_config: &SdkConfig, key_id: Option<&str>) -> Result<Arc<dyn KeyWrap>, String> {
    match key_id {
        Some(_) => {
            Err("this function reads integration secrets but is built without the kms client (feature of beseda-aws)"
                .into())
        }
        None => Ok(Arc::new(Unlinked { client: "kms" })),
    }
}
