//! The queue port on SQS. Each logical queue (a [`QueueSpec`] name) is one SQS queue whose
//! redrive policy moves a message to its `-dlq` queue after `max_receives` receives; the
//! queue's own VisibilityTimeout is the spec's visibility. Retry is ChangeMessageVisibility;
//! the dead-letter queue is peeked with a zero visibility timeout and replayed by sending each
//! message again (which starts its receive count afresh) and deleting it from the DLQ.

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::error::DisplayErrorContext;
use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};
use beseda_ports::queue::{MAX_DELAY, Queue, QueueError, QueueSpec, Received};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::OnceCell;

/// The longest long poll SQS allows.
const MAX_WAIT_SECONDS: u64 = 20;
/// How long a message taken from the DLQ for a replay stays hidden while it is moved.
const REPLAY_VISIBILITY_SECONDS: i32 = 60;
/// How long a DLQ is kept: the SQS maximum, 14 days.
const DLQ_RETENTION_SECONDS: u32 = 14 * 24 * 60 * 60;

fn backend(e: impl std::error::Error) -> QueueError {
    QueueError::Backend(DisplayErrorContext(e).to_string())
}

/// Whole seconds, rounded up.
fn seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The URLs of one logical queue and of its dead-letter queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueUrls {
    pub url: String,
    pub dead_letter_url: String,
}

struct Entry {
    url: String,
    /// Known at construction, or read from the queue's RedrivePolicy on first use.
    dead_letter_url: OnceCell<String>,
}

pub struct SqsQueue {
    client: Client,
    queues: HashMap<String, Entry>,
}

impl SqsQueue {
    /// Whether the adapter knows the logical queue.
    pub fn knows(&self, queue: &str) -> bool {
        self.queues.contains_key(queue)
    }

    /// An adapter over queues whose URLs, and their DLQs', are known.
    pub fn new(client: Client, queues: HashMap<String, QueueUrls>) -> Self {
        let queues = queues
            .into_iter()
            .map(|(name, urls)| {
                let entry = Entry { url: urls.url, dead_letter_url: OnceCell::new_with(Some(urls.dead_letter_url)) };
                (name, entry)
            })
            .collect();
        Self { client, queues }
    }

    /// An adapter over queues known by URL; each DLQ is found from the queue's redrive policy
    /// the first time it is needed (only dead-letter inspection and replay need it).
    pub fn from_urls(client: Client, urls: HashMap<String, String>) -> Self {
        let queues = urls
            .into_iter()
            .map(|(name, url)| {
                let entry = Entry { url, dead_letter_url: OnceCell::new() };
                (name, entry)
            })
            .collect();
        Self { client, queues }
    }

    /// An adapter over every queue of `specs`, each URL read from [`Self::url_variable`].
    pub fn from_env(client: Client, specs: &[QueueSpec]) -> Result<Self, String> {
        let urls = specs
            .iter()
            .map(|spec| {
                let var = Self::url_variable(spec.name);
                match std::env::var(&var) {
                    Ok(url) if !url.is_empty() => Ok((spec.name.to_owned(), url)),
                    _ => Err(format!("the environment variable {var} is not set")),
                }
            })
            .collect::<Result<_, String>>()?;
        Ok(Self::from_urls(client, urls))
    }

    /// The environment variable that holds a queue's URL: `QUEUE_URL_NOTIFICATIONS` for
    /// `notifications`.
    pub fn url_variable(name: &str) -> String {
        format!("QUEUE_URL_{}", name.to_uppercase().replace('-', "_"))
    }

    /// Creates `<prefix><name>` and `<prefix><name>-dlq` for every spec (the queue with the
    /// spec's visibility timeout and a redrive policy of `max_receives`); returns their URLs
    /// by logical name. Creating a queue that exists with the same attributes is harmless.
    pub async fn create_queues(
        client: &Client,
        specs: &[QueueSpec],
        prefix: &str,
    ) -> Result<HashMap<String, QueueUrls>, QueueError> {
        let mut out = HashMap::new();
        for spec in specs {
            let dead_letter_url = client
                .create_queue()
                .queue_name(format!("{prefix}{}", spec.dead_letter_name()))
                .attributes(QueueAttributeName::MessageRetentionPeriod, DLQ_RETENTION_SECONDS.to_string())
                .send()
                .await
                .map_err(backend)?
                .queue_url
                .ok_or_else(|| QueueError::Backend("CreateQueue returned no URL".into()))?;
            let attributes = client
                .get_queue_attributes()
                .queue_url(&dead_letter_url)
                .attribute_names(QueueAttributeName::QueueArn)
                .send()
                .await
                .map_err(backend)?;
            let arn = attributes
                .attributes()
                .and_then(|a| a.get(&QueueAttributeName::QueueArn))
                .ok_or_else(|| QueueError::Backend("the DLQ has no ARN".into()))?;
            let redrive = serde_json::json!({
                "deadLetterTargetArn": arn,
                "maxReceiveCount": spec.max_receives,
            });
            let url = client
                .create_queue()
                .queue_name(format!("{prefix}{}", spec.name))
                .attributes(QueueAttributeName::VisibilityTimeout, seconds(spec.visibility).to_string())
                .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
                .send()
                .await
                .map_err(backend)?
                .queue_url
                .ok_or_else(|| QueueError::Backend("CreateQueue returned no URL".into()))?;
            out.insert(spec.name.to_owned(), QueueUrls { url, dead_letter_url });
        }
        Ok(out)
    }

    fn entry(&self, queue: &str) -> Result<&Entry, QueueError> {
        self.queues.get(queue).ok_or_else(|| QueueError::UnknownQueue(queue.to_owned()))
    }

    async fn dead_letter_url(&self, queue: &str) -> Result<&str, QueueError> {
        let entry = self.entry(queue)?;
        let url = entry.dead_letter_url.get_or_try_init(|| self.find_dead_letter_url(queue, &entry.url)).await?;
        Ok(url)
    }

    /// Reads the DLQ's ARN from the queue's RedrivePolicy and asks SQS for its URL.
    async fn find_dead_letter_url(&self, queue: &str, url: &str) -> Result<String, QueueError> {
        let attributes = self
            .client
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(QueueAttributeName::RedrivePolicy)
            .send()
            .await
            .map_err(backend)?;
        let missing = || QueueError::Backend(format!("the queue {queue} has no dead-letter queue"));
        let policy =
            attributes.attributes().and_then(|a| a.get(&QueueAttributeName::RedrivePolicy)).ok_or_else(missing)?;
        let policy: serde_json::Value = serde_json::from_str(policy).map_err(backend)?;
        let arn = policy["deadLetterTargetArn"].as_str().ok_or_else(missing)?;
        // arn:aws:sqs:<region>:<account>:<name>
        let mut parts = arn.rsplitn(3, ':');
        let (name, account) = match (parts.next(), parts.next()) {
            (Some(name), Some(account)) => (name, account),
            _ => return Err(missing()),
        };
        self.client
            .get_queue_url()
            .queue_name(name)
            .queue_owner_aws_account_id(account)
            .send()
            .await
            .map_err(backend)?
            .queue_url
            .ok_or_else(missing)
    }

    /// One ReceiveMessage call on the DLQ, each message hidden for `visibility` seconds.
    async fn receive_dead(
        &self,
        dead_letter_url: &str,
        max: usize,
        visibility: i32,
    ) -> Result<Vec<aws_sdk_sqs::types::Message>, QueueError> {
        // A long poll of one second asks every SQS server, so an empty answer means empty.
        let out = self
            .client
            .receive_message()
            .queue_url(dead_letter_url)
            .max_number_of_messages(max.clamp(1, 10) as i32)
            .visibility_timeout(visibility)
            .wait_time_seconds(1)
            .send()
            .await
            .map_err(backend)?;
        Ok(out.messages.unwrap_or_default())
    }
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(&self, queue: &str, body: &str, delay: Duration) -> Result<String, QueueError> {
        let entry = self.entry(queue)?;
        if delay > MAX_DELAY {
            return Err(QueueError::DelayTooLong);
        }
        self.client
            .send_message()
            .queue_url(&entry.url)
            .message_body(body)
            .delay_seconds(seconds(delay) as i32)
            .send()
            .await
            .map_err(backend)?
            .message_id
            .ok_or_else(|| QueueError::Backend("SendMessage returned no id".into()))
    }

    async fn receive(&self, queue: &str, max: usize, wait: Duration) -> Result<Vec<Received>, QueueError> {
        let entry = self.entry(queue)?;
        let out = self
            .client
            .receive_message()
            .queue_url(&entry.url)
            .max_number_of_messages(max.clamp(1, 10) as i32)
            .wait_time_seconds(seconds(wait).min(MAX_WAIT_SECONDS) as i32)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send()
            .await
            .map_err(backend)?;
        out.messages
            .unwrap_or_default()
            .into_iter()
            .map(|m| {
                let receive_count = m
                    .attributes()
                    .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(1);
                match (m.message_id, m.receipt_handle) {
                    (Some(message_id), Some(receipt)) => {
                        Ok(Received { message_id, receipt, body: m.body.unwrap_or_default(), receive_count })
                    }
                    _ => Err(QueueError::Backend("a received message has no id or receipt".into())),
                }
            })
            .collect()
    }

    async fn ack(&self, queue: &str, receipt: &str) -> Result<(), QueueError> {
        let entry = self.entry(queue)?;
        self.client.delete_message().queue_url(&entry.url).receipt_handle(receipt).send().await.map_err(|e| {
            if e.as_service_error().is_some_and(|e| e.is_receipt_handle_is_invalid()) {
                QueueError::StaleReceipt
            } else {
                backend(e)
            }
        })?;
        Ok(())
    }

    async fn retry(&self, queue: &str, receipt: &str, delay: Duration) -> Result<(), QueueError> {
        let entry = self.entry(queue)?;
        if delay > MAX_DELAY {
            return Err(QueueError::DelayTooLong);
        }
        self.client
            .change_message_visibility()
            .queue_url(&entry.url)
            .receipt_handle(receipt)
            .visibility_timeout(seconds(delay) as i32)
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error().is_some_and(|e| e.is_receipt_handle_is_invalid() || e.is_message_not_inflight())
                {
                    QueueError::StaleReceipt
                } else {
                    backend(e)
                }
            })?;
        Ok(())
    }

    async fn dead_letters(&self, queue: &str, max: usize) -> Result<Vec<String>, QueueError> {
        let dead_letter_url = self.dead_letter_url(queue).await?;
        // A zero visibility timeout leaves every message in place: a peek. One call returns
        // at most ten.
        let messages = self.receive_dead(dead_letter_url, max, 0).await?;
        Ok(messages.into_iter().map(|m| m.body.unwrap_or_default()).collect())
    }

    async fn replay_dead_letters(&self, queue: &str) -> Result<usize, QueueError> {
        let url = &self.entry(queue)?.url;
        let dead_letter_url = self.dead_letter_url(queue).await?;
        let mut moved = 0;
        loop {
            let messages = self.receive_dead(dead_letter_url, 10, REPLAY_VISIBILITY_SECONDS).await?;
            if messages.is_empty() {
                return Ok(moved);
            }
            for m in messages {
                let receipt = m
                    .receipt_handle
                    .ok_or_else(|| QueueError::Backend("a dead letter has no receipt handle".into()))?;
                self.client
                    .send_message()
                    .queue_url(url)
                    .message_body(m.body.unwrap_or_default())
                    .send()
                    .await
                    .map_err(backend)?;
                self.client
                    .delete_message()
                    .queue_url(dead_letter_url)
                    .receipt_handle(receipt)
                    .send()
                    .await
                    .map_err(backend)?;
                moved += 1;
            }
        }
    }
}
