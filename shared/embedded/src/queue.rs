//! The queue port on redb, in the same file as the table. A message is a row keyed by
//! (queue, id); a second table keyed by (queue, visible-at, id) finds the visible ones in
//! order. A receive hides a message for the queue's visibility timeout and counts it; a
//! message received more than `max_receives` times moves to `<queue>-dlq`. Receipts carry the
//! receive count, so a receipt from an older receive cannot ack a newer one.

use crate::db::{Db, Refusal};
use async_trait::async_trait;
use beseda_ports::Clock;
use beseda_ports::queue::{MAX_DELAY, Queue, QueueError, QueueSpec, Received};
use redb::{ReadableDatabase, ReadableTable, Table, TableDefinition, WriteTransaction};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

const MESSAGES: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("queue_messages");
const VISIBLE: TableDefinition<(&str, u64, &str), ()> = TableDefinition::new("queue_visible");

#[derive(Serialize, Deserialize)]
struct Message {
    body: String,
    visible_at: u64,
    receive_count: u32,
}

impl Refusal for QueueError {
    /// A receipt is checked before anything is written.
    fn wrote_nothing(&self) -> bool {
        matches!(self, QueueError::StaleReceipt)
    }
}

fn backend(e: impl std::fmt::Display) -> QueueError {
    QueueError::Backend(e.to_string())
}

type Rows<'a> =
    (Table<'a, (&'static str, &'static str), &'static [u8]>, Table<'a, (&'static str, u64, &'static str), ()>);

fn load(rows: &Rows, queue: &str, id: &str) -> Result<Option<Message>, QueueError> {
    match rows.0.get((queue, id)).map_err(backend)? {
        Some(v) => serde_json::from_slice(v.value()).map(Some).map_err(backend),
        None => Ok(None),
    }
}

fn save(rows: &mut Rows, queue: &str, id: &str, old_visible_at: Option<u64>, msg: &Message) -> Result<(), QueueError> {
    if let Some(at) = old_visible_at {
        rows.1.remove((queue, at, id)).map_err(backend)?;
    }
    let bytes = serde_json::to_vec(msg).map_err(backend)?;
    rows.0.insert((queue, id), bytes.as_slice()).map_err(backend)?;
    rows.1.insert((queue, msg.visible_at, id), ()).map_err(backend)?;
    Ok(())
}

fn drop_row(rows: &mut Rows, queue: &str, id: &str, visible_at: u64) -> Result<(), QueueError> {
    rows.0.remove((queue, id)).map_err(backend)?;
    rows.1.remove((queue, visible_at, id)).map_err(backend)?;
    Ok(())
}

/// The (id, visible-at, body) of the messages waiting in a dead-letter queue.
fn dead_rows(
    visible: &impl ReadableTable<(&'static str, u64, &'static str), ()>,
    messages: &impl ReadableTable<(&'static str, &'static str), &'static [u8]>,
    dlq: &str,
    max: usize,
) -> Result<Vec<(String, u64, String)>, QueueError> {
    let mut out = Vec::new();
    for row in visible.range((dlq, 0u64, "")..=(dlq, u64::MAX, "\u{10FFFF}")).map_err(backend)?.take(max) {
        let (k, _) = row.map_err(backend)?;
        let (_, at, id) = k.value();
        if let Some(v) = messages.get((dlq, id)).map_err(backend)? {
            let msg: Message = serde_json::from_slice(v.value()).map_err(backend)?;
            out.push((id.to_owned(), at, msg.body));
        }
    }
    Ok(out)
}

fn parse_receipt(receipt: &str) -> Result<(&str, u32), QueueError> {
    let (id, count) = receipt.rsplit_once(':').ok_or(QueueError::StaleReceipt)?;
    Ok((id, count.parse().map_err(|_| QueueError::StaleReceipt)?))
}

fn write<T>(tx: &WriteTransaction, work: impl FnOnce(&mut Rows) -> Result<T, QueueError>) -> Result<T, QueueError> {
    let mut rows = (tx.open_table(MESSAGES).map_err(backend)?, tx.open_table(VISIBLE).map_err(backend)?);
    work(&mut rows)
}

/// A checked message, ready to be written in a transaction.
pub(crate) struct NewMessage {
    queue: &'static str,
    pub(crate) id: String,
    msg: Message,
}

impl NewMessage {
    pub(crate) fn put(&self, tx: &WriteTransaction) -> Result<(), QueueError> {
        Self::put_all(tx, std::slice::from_ref(self))
    }

    /// Writes every message in `tx`, opening the queue's tables once for all of them.
    pub(crate) fn put_all(tx: &WriteTransaction, messages: &[NewMessage]) -> Result<(), QueueError> {
        write(tx, |rows| messages.iter().try_for_each(|m| save(rows, m.queue, &m.id, None, &m.msg)))
    }
}

pub struct EmbeddedQueue {
    db: Db,
    specs: HashMap<String, QueueSpec>,
    clock: Arc<dyn Clock>,
    notify: Arc<Notify>,
}

impl EmbeddedQueue {
    pub fn new(db: Db, specs: &[QueueSpec], clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            specs: specs.iter().map(|s| (s.name.to_owned(), *s)).collect(),
            clock,
            notify: Arc::new(Notify::new()),
        }
    }

    /// A message to send, checked, with its id, for [`NewMessage::put`] in any write.
    pub(crate) fn prepare(&self, queue: &str, body: &str, delay: Duration) -> Result<NewMessage, QueueError> {
        let spec = self.spec(queue)?;
        if delay > MAX_DELAY {
            return Err(QueueError::DelayTooLong);
        }
        Ok(NewMessage {
            queue: spec.name,
            id: uuid::Uuid::now_v7().to_string(),
            msg: Message {
                body: body.to_owned(),
                visible_at: self.now_ms() + delay.as_millis() as u64,
                receive_count: 0,
            },
        })
    }

    /// Wakes the receivers after a commit that sent messages.
    pub(crate) fn woken(&self) {
        self.notify.notify_waiters();
    }

    fn spec(&self, queue: &str) -> Result<QueueSpec, QueueError> {
        self.specs.get(queue).copied().ok_or_else(|| QueueError::UnknownQueue(queue.to_owned()))
    }

    fn now_ms(&self) -> u64 {
        self.clock.now().timestamp_millis().max(0) as u64
    }

    /// Whether a message of the queue is visible now: a read, so a receiver polling an empty
    /// queue costs no commit.
    fn any_due(&self, spec: QueueSpec, now: u64) -> Result<bool, QueueError> {
        self.db.read(|db| {
            let tx = db.begin_read().map_err(backend)?;
            match tx.open_table(VISIBLE) {
                Ok(visible) => Ok(visible
                    .range((spec.name, 0u64, "")..=(spec.name, now, "\u{10FFFF}"))
                    .map_err(backend)?
                    .next()
                    .is_some()),
                Err(redb::TableError::TableDoesNotExist(_)) => Ok(false),
                Err(e) => Err(backend(e)),
            }
        })
    }

    async fn receive_now(&self, spec: QueueSpec, max: usize) -> Result<Vec<Received>, QueueError> {
        let now = self.now_ms();
        if !self.any_due(spec, now)? {
            return Ok(vec![]);
        }
        self.db
            .write(QueueError::Backend, move |tx: &WriteTransaction| {
                write(tx, |rows| {
                    let due: Vec<(u64, String)> = rows
                        .1
                        .range((spec.name, 0u64, "")..=(spec.name, now, "\u{10FFFF}"))
                        .map_err(backend)?
                        .map(|row| row.map(|(k, _)| (k.value().1, k.value().2.to_owned())))
                        .collect::<Result<_, _>>()
                        .map_err(backend)?;
                    let dlq = spec.dead_letter_name();
                    let mut out = Vec::new();
                    for (visible_at, id) in due {
                        if out.len() == max {
                            break;
                        }
                        let Some(mut msg) = load(rows, spec.name, &id)? else {
                            continue;
                        };
                        if msg.receive_count >= spec.max_receives {
                            drop_row(rows, spec.name, &id, visible_at)?;
                            let dead = Message { body: msg.body, visible_at: now, receive_count: 0 };
                            save(rows, &dlq, &id, None, &dead)?;
                            continue;
                        }
                        msg.receive_count += 1;
                        msg.visible_at = now + spec.visibility.as_millis() as u64;
                        save(rows, spec.name, &id, Some(visible_at), &msg)?;
                        out.push(Received {
                            receipt: format!("{id}:{}", msg.receive_count),
                            message_id: id,
                            body: msg.body,
                            receive_count: msg.receive_count,
                        });
                    }
                    Ok(out)
                })
            })
            .await
    }

    /// Changes a received message if the receipt is from its latest receive.
    async fn with_receipt(&self, queue: &str, receipt: &str, change: Option<Duration>) -> Result<(), QueueError> {
        let spec = self.spec(queue)?;
        let (id, count) = parse_receipt(receipt)?;
        let (id, now) = (id.to_owned(), self.now_ms());
        self.db
            .write(QueueError::Backend, move |tx: &WriteTransaction| {
                write(tx, |rows| {
                    let Some(mut msg) = load(rows, spec.name, &id)? else {
                        return if change.is_some() { Err(QueueError::StaleReceipt) } else { Ok(()) };
                    };
                    if msg.receive_count != count {
                        return Err(QueueError::StaleReceipt);
                    }
                    let old = msg.visible_at;
                    match change {
                        None => drop_row(rows, spec.name, &id, old),
                        Some(delay) => {
                            msg.visible_at = now + delay.as_millis() as u64;
                            save(rows, spec.name, &id, Some(old), &msg)
                        }
                    }
                })
            })
            .await?;
        self.notify.notify_waiters();
        Ok(())
    }
}

#[async_trait]
impl Queue for EmbeddedQueue {
    async fn send(&self, queue: &str, body: &str, delay: Duration) -> Result<String, QueueError> {
        let new = self.prepare(queue, body, delay)?;
        let id = new.id.clone();
        self.db.write(QueueError::Backend, move |tx: &WriteTransaction| new.put(tx)).await?;
        self.woken();
        Ok(id)
    }

    async fn receive(&self, queue: &str, max: usize, wait: Duration) -> Result<Vec<Received>, QueueError> {
        let spec = self.spec(queue)?;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let notified = self.notify.notified();
            let got = self.receive_now(spec, max.clamp(1, 10)).await?;
            let now = tokio::time::Instant::now();
            if !got.is_empty() || now >= deadline {
                return Ok(got);
            }
            // Woken by a send, or every 100 ms for delayed and re-visible messages.
            let _ = tokio::time::timeout((deadline - now).min(Duration::from_millis(100)), notified).await;
        }
    }

    async fn ack(&self, queue: &str, receipt: &str) -> Result<(), QueueError> {
        self.with_receipt(queue, receipt, None).await
    }

    async fn retry(&self, queue: &str, receipt: &str, delay: Duration) -> Result<(), QueueError> {
        if delay > MAX_DELAY {
            return Err(QueueError::DelayTooLong);
        }
        self.with_receipt(queue, receipt, Some(delay)).await
    }

    async fn dead_letters(&self, queue: &str, max: usize) -> Result<Vec<String>, QueueError> {
        let dlq = self.spec(queue)?.dead_letter_name();
        let rows = self.db.read(|db| {
            let tx = db.begin_read().map_err(backend)?;
            match (tx.open_table(VISIBLE), tx.open_table(MESSAGES)) {
                (Ok(visible), Ok(messages)) => dead_rows(&visible, &messages, &dlq, max),
                (Err(redb::TableError::TableDoesNotExist(_)), _) | (_, Err(redb::TableError::TableDoesNotExist(_))) => {
                    Ok(vec![])
                }
                (Err(e), _) | (_, Err(e)) => Err(backend(e)),
            }
        })?;
        Ok(rows.into_iter().map(|(_, _, body)| body).collect())
    }

    async fn replay_dead_letters(&self, queue: &str) -> Result<usize, QueueError> {
        let spec = self.spec(queue)?;
        let now = self.now_ms();
        let moved = self
            .db
            .write(QueueError::Backend, move |tx: &WriteTransaction| {
                let dlq = spec.dead_letter_name();
                write(tx, |rows| {
                    let dead = dead_rows(&rows.1, &rows.0, &dlq, usize::MAX)?;
                    for (id, at, body) in &dead {
                        drop_row(rows, &dlq, id, *at)?;
                        save(
                            rows,
                            spec.name,
                            id,
                            None,
                            &Message { body: body.clone(), visible_at: now, receive_count: 0 },
                        )?;
                    }
                    Ok(dead.len())
                })
            })
            .await?;
        self.notify.notify_waiters();
        Ok(moved)
    }
}
