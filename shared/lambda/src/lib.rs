//! The Lambda glue every function shares: its start-up ([`startup`]: the AWS adapters and
//! the settings, refusing to start without `PUBLIC_URL`, or without `KMS_KEY_ID` when it
//! touches integration secrets), the HTTP edge ([`http`]: the client
//! address from API Gateway's request context) and the queue consumers' batches ([`sqs`]).

pub mod http;
pub mod sqs;
pub mod startup;

pub use beseda_domain::keyring::Access;
pub use http::{edge, run_http};
pub use sqs::{sqs_batch, sqs_batch_later};
pub use startup::{app_from_env, kms_key_from, settings_from};
