//! The table port: a single-table key-value store in the shape of DynamoDB.
//!
//! Every item has a partition key `pk` and a sort key `sk` (both carry the project id where
//! the item belongs to a project), an optional entry in the one secondary index (`gsi1`), an
//! optional expiry (`expires_at`, epoch seconds; an expired item reads as absent), a JSON
//! body, and a version that every write bumps, so updates can be optimistic.

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    pub pk: String,
    pub sk: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub pk: String,
    pub sk: String,
    pub gsi1: Option<IndexKey>,
    /// Epoch seconds after which the item is gone.
    pub expires_at: Option<i64>,
    pub body: serde_json::Value,
    /// Set by the store: 1 after the first write, +1 on every write after it.
    pub version: u64,
}

impl Item {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>, body: serde_json::Value) -> Self {
        Self { pk: pk.into(), sk: sk.into(), gsi1: None, expires_at: None, body, version: 0 }
    }

    pub fn with_index(mut self, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.gsi1 = Some(IndexKey { pk: pk.into(), sk: sk.into() });
        self
    }

    pub fn expiring_at(mut self, epoch_seconds: i64) -> Self {
        self.expires_at = Some(epoch_seconds);
        self
    }

    pub fn is_expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }

    /// The body decoded into a domain type.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, StoreError> {
        serde_json::from_value(self.body.clone()).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}

/// What must hold for a write to happen. An expired item counts as absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Condition {
    #[default]
    Always,
    NotExists,
    Exists,
    /// The stored item exists with exactly this version.
    Version(u64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    Put {
        item: Item,
        condition: Condition,
    },
    Delete {
        pk: String,
        sk: String,
        condition: Condition,
    },
    /// Writes nothing; fails the transaction unless the condition holds.
    Check {
        pk: String,
        sk: String,
        condition: Condition,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkRange {
    All,
    Prefix(String),
    /// Inclusive on both ends.
    Between(String, String),
}

impl SkRange {
    pub fn contains(&self, sk: &str) -> bool {
        match self {
            SkRange::All => true,
            SkRange::Prefix(p) => sk.starts_with(p.as_str()),
            SkRange::Between(lo, hi) => sk >= lo.as_str() && sk <= hi.as_str(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Query the secondary index instead of the table.
    pub index: bool,
    pub pk: String,
    pub sk: SkRange,
    pub limit: usize,
    pub descending: bool,
    pub cursor: Option<Cursor>,
}

impl Query {
    pub fn partition(pk: impl Into<String>) -> Self {
        Self { index: false, pk: pk.into(), sk: SkRange::All, limit: 100, descending: false, cursor: None }
    }

    pub fn index(pk: impl Into<String>) -> Self {
        Self { index: true, ..Self::partition(pk) }
    }

    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.sk = SkRange::Prefix(prefix.into());
        self
    }

    pub fn between(mut self, lo: impl Into<String>, hi: impl Into<String>) -> Self {
        self.sk = SkRange::Between(lo.into(), hi.into());
        self
    }

    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit.max(1);
        self
    }

    pub fn descending(mut self) -> Self {
        self.descending = true;
        self
    }

    pub fn after(mut self, cursor: Option<Cursor>) -> Self {
        self.cursor = cursor;
        self
    }
}

/// Where the next page starts: the full key of the last item returned. Opaque to callers,
/// who pass it back as a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub pk: String,
    pub sk: String,
    pub gsi1: Option<IndexKey>,
}

impl Cursor {
    pub fn of(item: &Item) -> Self {
        Self { pk: item.pk.clone(), sk: item.sk.clone(), gsi1: item.gsi1.clone() }
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(text: &str) -> Result<Self, StoreError> {
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| StoreError::BadCursor)?;
        serde_json::from_slice(&bytes).map_err(|_| StoreError::BadCursor)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
    pub next: Option<Cursor>,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum StoreError {
    #[error("the write's condition does not hold")]
    ConditionFailed,
    #[error("the transaction was cancelled: a condition does not hold")]
    TransactionCancelled,
    #[error("the pagination cursor is not valid")]
    BadCursor,
    #[error("a stored item cannot be read: {0}")]
    Corrupt(String),
    #[error("the store failed: {0}")]
    Backend(String),
}

#[async_trait]
pub trait TableStore: Send + Sync {
    /// The live item at (pk, sk), or None when absent or expired.
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError>;
    /// Writes the item if the condition holds; returns the new version, which every write bumps
    /// by exactly one, atomically (so it counts the item's writes).
    async fn put(&self, item: Item, condition: Condition) -> Result<u64, StoreError>;
    async fn delete(&self, pk: &str, sk: &str, condition: Condition) -> Result<(), StoreError>;
    /// One page of live items of one partition (of the table or the index), in sort-key order.
    async fn query(&self, query: Query) -> Result<Page, StoreError>;
    /// All writes or none; at most 100 writes, each key at most once.
    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError>;
    /// Unconditional puts, durable together, for bulk loads.
    async fn put_batch(&self, items: Vec<Item>) -> Result<(), StoreError>;
    /// One page of the live items whose partition key starts with `pk_prefix`, across
    /// partitions, in an order of the store's choosing; resumed after `after`. It reads the
    /// whole table: for exports by an administrator, never on a request's path.
    async fn scan(&self, pk_prefix: &str, after: Option<Cursor>, limit: usize) -> Result<Page, StoreError>;
}
