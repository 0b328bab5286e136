//! The atomic port on DynamoDB and SQS, which share no transaction: the items are committed
//! first (one `TransactWriteItems`), then every message is sent, each retried a few times.
//! A refused or failed commit sends nothing; a send that still fails after its retries is
//! reported as an error after the commit, so the caller's retry re-arms it. A function built
//! without the SQS client commits items only: a commit with messages is refused before any write.

use crate::{DynamoTable, Unlinked};
use async_trait::async_trait;
use beseda_ports::atomic::{Atomic, Outgoing};
use beseda_ports::queue::{MAX_DELAY, Queue};
use beseda_ports::table::{StoreError, TableStore, Write};
use std::sync::Arc;
use std::time::Duration;

/// Tries of one send after the commit.
const SEND_TRIES: u32 = 3;

pub struct AwsAtomic {
    table: Arc<DynamoTable>,
    queue: Arc<dyn Queue>,
    /// Whether a logical queue can be sent to.
    knows: Box<dyn Fn(&str) -> bool + Send + Sync>,
}

impl AwsAtomic {
    #[cfg(feature = "sqs")]
    pub fn new(table: Arc<DynamoTable>, queue: Arc<crate::SqsQueue>) -> Self {
        let known = queue.clone();
        Self { table, queue, knows: Box::new(move |name| known.knows(name)) }
    }

    /// Items only: every queue is unknown.
    pub fn without_queues(table: Arc<DynamoTable>) -> Self {
        Self { table, queue: Arc::new(Unlinked { client: "sqs" }), knows: Box::new(|_| false) }
    }
}

#[async_trait]
impl Atomic for AwsAtomic {
    async fn commit(&self, writes: Vec<Write>, sends: Vec<Outgoing>) -> Result<(), StoreError> {
        if let Some(s) = sends.iter().find(|s| !(self.knows)(&s.queue)) {
            return Err(StoreError::Backend(format!("unknown queue {}", s.queue)));
        }
        if sends.iter().any(|s| s.delay > MAX_DELAY) {
            return Err(StoreError::Backend("the delay exceeds 15 minutes".into()));
        }
        self.table.transact(writes).await?;
        for s in &sends {
            let mut tries = 0;
            loop {
                tries += 1;
                match self.queue.send(&s.queue, &s.body, s.delay).await {
                    Ok(_) => break,
                    Err(e) if tries >= SEND_TRIES => {
                        return Err(StoreError::Backend(format!("committed, but a message was not sent: {e}")));
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(50 * u64::from(tries))).await,
                }
            }
        }
        Ok(())
    }
}
