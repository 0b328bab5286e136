//! The atomic port on redb: the items and the queue's rows of one commit are written in one
//! transaction of the one file, so they are durable together or not at all.

use crate::db::Db;
use crate::queue::{EmbeddedQueue, NewMessage};
use crate::table::{RedbTable, apply_writes, check_writes};
use async_trait::async_trait;
use beseda_ports::atomic::{Atomic, Outgoing};
use beseda_ports::table::{StoreError, Write};
use redb::WriteTransaction;
use std::sync::Arc;

pub struct EmbeddedAtomic {
    db: Db,
    table: Arc<RedbTable>,
    queue: Arc<EmbeddedQueue>,
}

impl EmbeddedAtomic {
    /// Over the table and the queue of `db`.
    pub fn new(db: Db, table: Arc<RedbTable>, queue: Arc<EmbeddedQueue>) -> Self {
        Self { db, table, queue }
    }
}

#[async_trait]
impl Atomic for EmbeddedAtomic {
    async fn commit(&self, writes: Vec<Write>, sends: Vec<Outgoing>) -> Result<(), StoreError> {
        check_writes(&writes)?;
        let messages = sends
            .iter()
            .map(|s| self.queue.prepare(&s.queue, &s.body, s.delay))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let now = self.table.now();
        let sent = !messages.is_empty();
        self.db
            .write(StoreError::Backend, move |tx: &WriteTransaction| {
                apply_writes(tx, &writes, now)?;
                if !messages.is_empty() {
                    NewMessage::put_all(tx, &messages).map_err(|e| StoreError::Backend(e.to_string()))?;
                }
                Ok(())
            })
            .await?;
        if sent {
            self.queue.woken();
        }
        Ok(())
    }
}
