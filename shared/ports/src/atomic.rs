//! One atomic write of table items and queue messages: a visitor's message, its dialog, its
//! retry claim and the delayed timers it arms are all durable, or none of them is.
//!
//! The embedded adapter writes the queue's rows in the same redb transaction as the items
//! (one commit, one fsync). DynamoDB and SQS share no transaction, so the AWS adapter commits
//! each message as an outbox item beside the items, sends it right after and deletes the
//! outbox item; a send that failed is made later by [`Atomic::redeliver`], which the scheduler
//! calls every tick (the consumers are idempotent: a message handled twice does its work once).

use crate::table::{StoreError, Write};
use async_trait::async_trait;
use std::time::Duration;

/// A queue message sent only when the writes beside it commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub queue: String,
    pub body: String,
    /// At most `queue::MAX_DELAY`.
    pub delay: Duration,
}

impl Outgoing {
    pub fn new(queue: &str, body: impl Into<String>, delay: Duration) -> Self {
        Self { queue: queue.to_owned(), body: body.into(), delay }
    }
}

#[async_trait]
pub trait Atomic: Send + Sync {
    /// The writes as `TableStore::transact` makes them (all or none, at most 100, each key
    /// once) and the messages, sent if and only if the writes commit. An unknown queue or a
    /// delay over 15 minutes is refused before anything is written.
    async fn commit(&self, writes: Vec<Write>, sends: Vec<Outgoing>) -> Result<(), StoreError>;

    /// Sends the committed messages whose send failed at least `older_than` ago, each once,
    /// with what is left of its delay; the number sent. An adapter whose queue rows commit with
    /// the items has none.
    async fn redeliver(&self, older_than: Duration) -> Result<usize, StoreError> {
        let _ = older_than;
        Ok(0)
    }
}
