//! Recent reads: a wrapper over the table and atomic ports that can answer a read from a
//! copy at most a few seconds old, for what the hot path reads on every request and changes
//! rarely (a project's widget settings, its public configuration, its blacklist). Only reads
//! asked for with [`Cached::get_recent`] or [`Cached::query_recent`] are kept; every write
//! through the wrapper forgets the copies it touches, so within one process a save is seen at
//! once. Other processes (other Lambda instances) see it within the time a copy lives. Items
//! that expire are never kept.

use crate::atomic::{Atomic, Outgoing};
use crate::table::{Condition, Cursor, Item, Page, Query, StoreError, TableStore, Write};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a copy lives.
pub const TTL: Duration = Duration::from_secs(5);

/// What a copy of a partition was read by: one item, or every item under a sort-key prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Item(String),
    Prefix(String),
}

impl Key {
    fn touched_by(&self, sk: &str) -> bool {
        match self {
            Key::Item(s) => s == sk,
            Key::Prefix(prefix) => sk.starts_with(prefix.as_str()),
        }
    }
}

/// The keys a batch of writes touches.
fn touched(writes: &[Write]) -> Vec<(String, String)> {
    writes
        .iter()
        .filter_map(|w| match w {
            Write::Put { item, .. } => Some((item.pk.clone(), item.sk.clone())),
            Write::Delete { pk, sk, .. } => Some((pk.clone(), sk.clone())),
            Write::Check { .. } => None,
        })
        .collect()
}

/// A copy: the item read (none or one), or the items of the prefix.
type Copy = Vec<Item>;

struct Entry {
    /// Bumped by every write that touches the key, so a read that started before a write
    /// never stores what it read.
    generation: u64,
    copy: Option<(Instant, Arc<Copy>)>,
}

pub struct Cached {
    table: Arc<dyn TableStore>,
    atomic: Arc<dyn Atomic>,
    ttl: Duration,
    /// By partition key.
    entries: Mutex<HashMap<String, HashMap<Key, Entry>>>,
}

impl Cached {
    pub fn new(table: Arc<dyn TableStore>, atomic: Arc<dyn Atomic>, ttl: Duration) -> Self {
        Self { table, atomic, ttl, entries: Mutex::default() }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, HashMap<Key, Entry>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A fresh copy, or the generation a read must still find to store its result.
    fn lookup(&self, pk: &str, key: &Key) -> Result<Arc<Copy>, u64> {
        let mut entries = self.entries();
        let entry =
            entries.entry(pk.to_owned()).or_default().entry(key.clone()).or_insert(Entry { generation: 0, copy: None });
        match &entry.copy {
            Some((at, copy)) if at.elapsed() < self.ttl => Ok(copy.clone()),
            _ => Err(entry.generation),
        }
    }

    fn store(&self, pk: &str, key: &Key, generation: u64, copy: Copy) {
        if let Some(entry) = self.entries().get_mut(pk).and_then(|keys| keys.get_mut(key))
            && entry.generation == generation
        {
            entry.copy = Some((Instant::now(), Arc::new(copy)));
        }
    }

    fn forget(&self, keys: &[(String, String)]) {
        let mut entries = self.entries();
        for (pk, sk) in keys {
            if let Some(kept) = entries.get_mut(pk) {
                for (_, entry) in kept.iter_mut().filter(|(key, _)| key.touched_by(sk)) {
                    entry.generation += 1;
                    entry.copy = None;
                }
            }
        }
    }

    /// Forgets every copy (as a process that has just started knows nothing).
    pub fn forget_all(&self) {
        for entry in self.entries().values_mut().flat_map(|keys| keys.values_mut()) {
            entry.generation += 1;
            entry.copy = None;
        }
    }

    /// The item as read at most `TTL` ago.
    pub async fn get_recent(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        let key = Key::Item(sk.to_owned());
        match self.lookup(pk, &key) {
            Ok(copy) => Ok(copy.first().cloned()),
            Err(generation) => {
                let item = self.table.get(pk, sk).await?;
                if item.as_ref().is_none_or(|i| i.expires_at.is_none()) {
                    self.store(pk, &key, generation, item.iter().cloned().collect());
                }
                Ok(item)
            }
        }
    }

    /// Every item of partition `pk` whose sort key starts with `prefix`, as read at most
    /// `TTL` ago (all pages).
    pub async fn query_recent(&self, pk: &str, prefix: &str) -> Result<Vec<Item>, StoreError> {
        let key = Key::Prefix(prefix.to_owned());
        match self.lookup(pk, &key) {
            Ok(copy) => Ok(copy.as_ref().clone()),
            Err(generation) => {
                let mut items = Vec::new();
                let mut cursor = None;
                loop {
                    let page = self.table.query(Query::partition(pk).prefix(prefix).limit(500).after(cursor)).await?;
                    items.extend(page.items);
                    cursor = page.next;
                    if cursor.is_none() {
                        break;
                    }
                }
                if items.iter().all(|i| i.expires_at.is_none()) {
                    self.store(pk, &key, generation, items.clone());
                }
                Ok(items)
            }
        }
    }
}

#[async_trait]
impl TableStore for Cached {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        self.table.get(pk, sk).await
    }

    async fn put(&self, item: Item, condition: Condition) -> Result<u64, StoreError> {
        let keys = [(item.pk.clone(), item.sk.clone())];
        self.forget(&keys);
        let result = self.table.put(item, condition).await;
        self.forget(&keys);
        result
    }

    async fn delete(&self, pk: &str, sk: &str, condition: Condition) -> Result<(), StoreError> {
        let keys = [(pk.to_owned(), sk.to_owned())];
        self.forget(&keys);
        let result = self.table.delete(pk, sk, condition).await;
        self.forget(&keys);
        result
    }

    async fn query(&self, query: Query) -> Result<Page, StoreError> {
        self.table.query(query).await
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        let keys = touched(&writes);
        self.forget(&keys);
        let result = self.table.transact(writes).await;
        self.forget(&keys);
        result
    }

    async fn put_batch(&self, items: Vec<Item>) -> Result<(), StoreError> {
        let keys: Vec<_> = items.iter().map(|i| (i.pk.clone(), i.sk.clone())).collect();
        self.forget(&keys);
        let result = self.table.put_batch(items).await;
        self.forget(&keys);
        result
    }
    async fn scan(&self, pk_prefix: &str, after: Option<Cursor>, limit: usize) -> Result<Page, StoreError> {
        self.table.scan(pk_prefix, after, limit).await
    }
}

#[async_trait]
impl Atomic for Cached {
    async fn commit(&self, writes: Vec<Write>, sends: Vec<Outgoing>) -> Result<(), StoreError> {
        let keys = touched(&writes);
        self.forget(&keys);
        let result = self.atomic.commit(writes, sends).await;
        self.forget(&keys);
        result
    }

    async fn redeliver(&self, older_than: Duration) -> Result<usize, StoreError> {
        self.atomic.redeliver(older_than).await
    }
}
