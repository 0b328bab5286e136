//! The queue port, in the shape of SQS with a redrive policy: send (optionally delayed up to
//! 15 minutes), batch receive with a visibility timeout, ack, retry after a delay, and a
//! dead-letter queue that takes a message after `max_receives` receives and can be replayed.

use async_trait::async_trait;
use std::time::Duration;

/// The longest delay SQS allows on a message.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);

/// A queue of the product and its redrive rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueSpec {
    pub name: &'static str,
    /// Receives after which an unacknowledged message moves to the dead-letter queue.
    pub max_receives: u32,
    /// How long a received message stays invisible before it can be received again.
    pub visibility: Duration,
}

impl QueueSpec {
    pub fn dead_letter_name(&self) -> String {
        format!("{}-dlq", self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub message_id: String,
    /// Handle for ack and retry of this receive.
    pub receipt: String,
    pub body: String,
    /// 1 on the first receive.
    pub receive_count: u32,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum QueueError {
    #[error("unknown queue {0}")]
    UnknownQueue(String),
    #[error("the delay exceeds 15 minutes")]
    DelayTooLong,
    #[error("the receipt is not valid any more")]
    StaleReceipt,
    #[error("the queue failed: {0}")]
    Backend(String),
}

#[async_trait]
pub trait Queue: Send + Sync {
    /// Sends a message that becomes visible after `delay`; returns its id.
    async fn send(&self, queue: &str, body: &str, delay: Duration) -> Result<String, QueueError>;
    /// Up to `max` visible messages, each hidden for the queue's visibility timeout; waits up
    /// to `wait` for the first one.
    async fn receive(&self, queue: &str, max: usize, wait: Duration) -> Result<Vec<Received>, QueueError>;
    async fn ack(&self, queue: &str, receipt: &str) -> Result<(), QueueError>;
    /// Makes a received message visible again after `delay` (the backoff of a failed try).
    async fn retry(&self, queue: &str, receipt: &str, delay: Duration) -> Result<(), QueueError>;
    /// The messages waiting in the queue's dead-letter queue, without taking them.
    async fn dead_letters(&self, queue: &str, max: usize) -> Result<Vec<String>, QueueError>;
    /// Moves every dead letter back to the queue, with a fresh receive count; returns how many.
    async fn replay_dead_letters(&self, queue: &str) -> Result<usize, QueueError>;
}

/// Outgoing mail jobs (service mails, notifications); consumed by `notifications-worker`.
pub const NOTIFICATIONS: QueueSpec =
    QueueSpec { name: "notifications", max_receives: 5, visibility: Duration::from_secs(60) };

/// Dialog timers (the auto-messages' "not read in 15 s"), sent with a delay; consumed by
/// `dialog-timers`.
pub const TIMERS: QueueSpec = QueueSpec { name: "timers", max_receives: 5, visibility: Duration::from_secs(30) };

/// Operators' replies to messenger customers, sent through the channel with backoff; consumed
/// by the outbound delivery function.
pub const DELIVERIES: QueueSpec =
    QueueSpec { name: "deliveries", max_receives: 8, visibility: Duration::from_secs(60) };

/// Every queue of the product. The SAM template declares the same ones with their DLQs.
pub const QUEUES: &[QueueSpec] = &[NOTIFICATIONS, TIMERS, DELIVERIES];

pub fn spec(name: &str) -> Option<QueueSpec> {
    QUEUES.iter().copied().find(|q| q.name == name)
}
