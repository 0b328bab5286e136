//! The atomic port on DynamoDB and SQS, which share no transaction: the items are committed
//! first (one `TransactWriteItems`), then every message is sent, each retried a few times.
//! A refused or failed commit sends nothing; a send that still fails after its retries is
//! reported as an error after the commit, so the caller's retry re-arms it.

use crate::{DynamoTable, SqsQueue};
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
    queue: Arc<SqsQueue>,
}

impl AwsAtomic {
    pub fn new(table: Arc<DynamoTable>, queue: Arc<SqsQueue>) -> Self {
        Self { table, queue }
    }
}

#[async_trait]
impl Atomic for AwsAtomic {
    async fn commit(&self, writes: Vec<Write>, sends: Vec<Outgoing>) -> Result<(), StoreError> {
        if let Some(s) = sends.iter().find(|s| !self.queue.knows(&s.queue)) {
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
