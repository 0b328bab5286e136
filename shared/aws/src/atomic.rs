//! The atomic port on DynamoDB and SQS, which share no transaction: the items and one outbox
//! item per message are committed first (one `TransactWriteItems`), then every message is
//! sent, each retried a few times, and its outbox item deleted. A refused or failed commit
//! sends nothing; a message whose send still fails stays in the outbox, and
//! [`Atomic::redeliver`] (every scheduler tick) sends it with what is left of its delay — a
//! lost timer is re-armed, never dropped. A function built without the SQS client commits
//! items only: a commit with messages is refused before any write.

use crate::{DynamoTable, Unlinked};
use async_trait::async_trait;
use beseda_ports::atomic::{Atomic, Outgoing};
use beseda_ports::queue::{MAX_DELAY, Queue};
use beseda_ports::table::{Condition, Item, Query, StoreError, TableStore, Write};
use std::sync::Arc;
use std::time::Duration;

/// Tries of one send after the commit.
const SEND_TRIES: u32 = 3;

/// The outbox is spread over this many partitions, so a burst of messages has no hot key.
const OUTBOX_SHARDS: u32 = 8;

/// How long an outbox item outlives a redelivery that never came (days).
const OUTBOX_KEEP_SECS: i64 = 7 * 24 * 3600;

fn outbox_pk(shard: u32) -> String {
    format!("outbox#{shard}")
}

/// A committed message not yet known to be sent.
#[derive(serde::Serialize, serde::Deserialize)]
struct Pending {
    queue: String,
    body: String,
    /// When it is due, in epoch milliseconds.
    due_ms: i64,
}

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

    /// Over any queue port, `knows` naming the queues it has: for tests of a send that fails.
    pub fn with_queue(
        table: Arc<DynamoTable>,
        queue: Arc<dyn Queue>,
        knows: impl Fn(&str) -> bool + Send + Sync + 'static,
    ) -> Self {
        Self { table, queue, knows: Box::new(knows) }
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
        let now = self.table.now_ms();
        let mut writes = writes;
        let mut outbox = Vec::with_capacity(sends.len());
        for s in &sends {
            let id = uuid::Uuid::now_v7();
            let shard = (id.as_u128() % u128::from(OUTBOX_SHARDS)) as u32;
            let (pk, sk) = (outbox_pk(shard), format!("{now:013}#{id}"));
            let pending =
                Pending { queue: s.queue.clone(), body: s.body.clone(), due_ms: now + s.delay.as_millis() as i64 };
            let body = serde_json::to_value(&pending).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let item = Item::new(&pk, &sk, body).expiring_at(now / 1000 + OUTBOX_KEEP_SECS);
            writes.push(Write::Put { item, condition: Condition::NotExists });
            outbox.push((pk, sk));
        }
        self.table.transact(writes).await?;
        for (s, (pk, sk)) in sends.iter().zip(&outbox) {
            if self.send(&s.queue, &s.body, s.delay).await {
                self.table.delete(pk, sk, Condition::Always).await?;
            }
        }
        Ok(())
    }

    async fn redeliver(&self, older_than: Duration) -> Result<usize, StoreError> {
        let now = self.table.now_ms();
        let before = format!("{:013}#", now - older_than.as_millis() as i64);
        let mut sent = 0;
        for shard in 0..OUTBOX_SHARDS {
            let pk = outbox_pk(shard);
            let mut cursor = None;
            loop {
                let q = Query::partition(&pk)
                    .between(format!("{:013}#", 0), before.as_str())
                    .limit(100)
                    .after(cursor.take());
                let page = self.table.query(q).await?;
                for item in &page.items {
                    let p: Pending = item.decode()?;
                    let delay = Duration::from_millis((p.due_ms - now).max(0) as u64).min(MAX_DELAY);
                    if self.send(&p.queue, &p.body, delay).await {
                        self.table.delete(&item.pk, &item.sk, Condition::Always).await?;
                        sent += 1;
                    }
                }
                match page.next {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
        }
        Ok(sent)
    }
}

impl AwsAtomic {
    /// Sends one message, retried a few times; false when it still failed (it stays in the
    /// outbox for [`Atomic::redeliver`]).
    async fn send(&self, queue: &str, body: &str, delay: Duration) -> bool {
        let mut tries = 0;
        loop {
            tries += 1;
            match self.queue.send(queue, body, delay).await {
                Ok(_) => return true,
                Err(e) if tries >= SEND_TRIES => {
                    tracing::warn!(queue, error = %e, "a committed message was not sent; the outbox keeps it");
                    return false;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50 * u64::from(tries))).await,
            }
        }
    }
}
