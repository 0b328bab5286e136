//! The Lambda glue every function shares: its start-up ([`startup`]: the AWS adapters and
//! the settings, refusing to start without `PUBLIC_URL`), the HTTP edge ([`http`]: the client
//! address from API Gateway's request context) and the queue consumers' batches ([`sqs`]).

pub mod http;
pub mod sqs;
pub mod startup;

pub use http::{edge, run_http};
pub use sqs::{sqs_batch, sqs_batch_later};
pub use startup::{app_from_env, settings_from};
