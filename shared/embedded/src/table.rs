//! The table port on redb: items keyed by (pk, sk), the secondary index as a second redb table
//! keyed by (gsi1pk, gsi1sk, pk, sk) and written in the same transaction, expiry filtered on
//! read and swept by `sweep_expired`.

use crate::db::{Db, Refusal};
use async_trait::async_trait;
use beseda_ports::Clock;
use beseda_ports::table::{Condition, Cursor, IndexKey, Item, Page, Query, SkRange, StoreError, TableStore, Write};
use redb::{Database, ReadableDatabase, ReadableTable, Table, TableDefinition, WriteTransaction};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

const ITEMS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("items");
const GSI1: TableDefinition<(&str, &str, &str, &str), ()> = TableDefinition::new("gsi1");
/// The greatest sort key a range can end at.
const TOP: &str = "\u{10FFFF}\u{10FFFF}\u{10FFFF}\u{10FFFF}";

/// The stored form, written from a borrowed item.
#[derive(Serialize)]
struct StoredRef<'a> {
    gsi1: &'a Option<IndexKey>,
    expires_at: Option<i64>,
    version: u64,
    body: &'a serde_json::Value,
}

/// What a write needs of a stored item: its index key, expiry and version. Decoding only these
/// skips the body without building it, which the writer thread does for every write it checks.
#[derive(Deserialize)]
struct Header {
    gsi1: Option<IndexKey>,
    expires_at: Option<i64>,
    version: u64,
}

#[derive(Deserialize)]
struct Stored {
    gsi1: Option<IndexKey>,
    expires_at: Option<i64>,
    version: u64,
    body: serde_json::Value,
}

impl Refusal for StoreError {
    /// Conditions are checked before anything is written.
    fn wrote_nothing(&self) -> bool {
        matches!(self, StoreError::ConditionFailed | StoreError::TransactionCancelled)
    }
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn decode(pk: &str, sk: &str, bytes: &[u8]) -> Result<Item, StoreError> {
    let s: Stored = serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(Item { pk: pk.into(), sk: sk.into(), gsi1: s.gsi1, expires_at: s.expires_at, body: s.body, version: s.version })
}

#[derive(Clone)]
pub struct RedbTable {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl RedbTable {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    /// Deletes every expired item; returns how many. The local runner calls it on a schedule
    /// (DynamoDB's TTL does the same in AWS).
    pub async fn sweep_expired(&self) -> Result<usize, StoreError> {
        let now = self.now();
        self.db
            .write(StoreError::Backend, move |tx: &WriteTransaction| {
                let mut swept = 0;
                {
                    let mut items = tx.open_table(ITEMS).map_err(backend)?;
                    let mut index = tx.open_table(GSI1).map_err(backend)?;
                    let mut expired = Vec::new();
                    for row in items.iter().map_err(backend)? {
                        let (k, v) = row.map_err(backend)?;
                        let (pk, sk) = k.value();
                        let header = header(v.value())?;
                        if header.expires_at.is_some_and(|t| t <= now) {
                            expired.push((pk.to_owned(), sk.to_owned(), header));
                        }
                    }
                    for (pk, sk, header) in expired {
                        remove(&mut items, &mut index, &pk, &sk, &header)?;
                        swept += 1;
                    }
                }
                Ok(swept)
            })
            .await
    }
}

fn live(
    items: &impl ReadableTable<(&'static str, &'static str), &'static [u8]>,
    pk: &str,
    sk: &str,
    now: i64,
) -> Result<Option<Item>, StoreError> {
    match items.get((pk, sk)).map_err(backend)? {
        Some(v) => {
            let item = decode(pk, sk, v.value())?;
            Ok((!item.is_expired(now)).then_some(item))
        }
        None => Ok(None),
    }
}

fn header(bytes: &[u8]) -> Result<Header, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The header of the item stored at (pk, sk) unless it has expired.
fn live_header(
    items: &impl ReadableTable<(&'static str, &'static str), &'static [u8]>,
    pk: &str,
    sk: &str,
    now: i64,
) -> Result<Option<Header>, StoreError> {
    match items.get((pk, sk)).map_err(backend)? {
        Some(v) => Ok(Some(header(v.value())?).filter(|h| h.expires_at.is_none_or(|t| t > now))),
        None => Ok(None),
    }
}

fn holds(condition: Condition, current: Option<&Header>) -> bool {
    match condition {
        Condition::Always => true,
        Condition::NotExists => current.is_none(),
        Condition::Exists => current.is_some(),
        Condition::Version(v) => current.is_some_and(|c| c.version == v),
    }
}

fn remove(
    items: &mut Table<(&str, &str), &[u8]>,
    index: &mut Table<(&str, &str, &str, &str), ()>,
    pk: &str,
    sk: &str,
    header: &Header,
) -> Result<(), StoreError> {
    items.remove((pk, sk)).map_err(backend)?;
    if let Some(g) = &header.gsi1 {
        index.remove((g.pk.as_str(), g.sk.as_str(), pk, sk)).map_err(backend)?;
    }
    Ok(())
}

/// Writes `item` over whatever is stored (expired or not); returns the new version.
fn store(
    items: &mut Table<(&str, &str), &[u8]>,
    index: &mut Table<(&str, &str, &str, &str), ()>,
    item: &Item,
) -> Result<u64, StoreError> {
    let previous = match items.get((item.pk.as_str(), item.sk.as_str())).map_err(backend)? {
        Some(v) => Some(header(v.value())?),
        None => None,
    };
    if let Some(g) = previous.as_ref().and_then(|p| p.gsi1.as_ref()) {
        index.remove((g.pk.as_str(), g.sk.as_str(), item.pk.as_str(), item.sk.as_str())).map_err(backend)?;
    }
    let version = previous.map_or(0, |p| p.version) + 1;
    let bytes =
        serde_json::to_vec(&StoredRef { gsi1: &item.gsi1, expires_at: item.expires_at, version, body: &item.body })
            .map_err(backend)?;
    items.insert((item.pk.as_str(), item.sk.as_str()), bytes.as_slice()).map_err(backend)?;
    if let Some(g) = &item.gsi1 {
        index.insert((g.pk.as_str(), g.sk.as_str(), item.pk.as_str(), item.sk.as_str()), ()).map_err(backend)?;
    }
    Ok(version)
}

fn sk_bounds(range: &SkRange) -> (String, String) {
    match range {
        SkRange::All => (String::new(), TOP.to_owned()),
        SkRange::Prefix(p) => (p.clone(), format!("{p}{TOP}")),
        SkRange::Between(lo, hi) => (lo.clone(), hi.clone()),
    }
}

fn query_table(db: &Database, q: &Query, now: i64) -> Result<Page, StoreError> {
    let tx = db.begin_read().map_err(backend)?;
    let items = match tx.open_table(ITEMS) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => {
            return Ok(Page { items: vec![], next: None });
        }
        Err(e) => return Err(backend(e)),
    };
    let (lo, hi) = sk_bounds(&q.sk);
    let mut out = Vec::new();
    let mut more = false;
    if q.index {
        let index = match tx.open_table(GSI1) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => {
                return Ok(Page { items: vec![], next: None });
            }
            Err(e) => return Err(backend(e)),
        };
        let after = q.cursor.as_ref().and_then(|c| c.gsi1.as_ref().map(|g| (g.sk.clone(), c.pk.clone(), c.sk.clone())));
        let (start, end) = match (&after, q.descending) {
            (Some((gsk, pk, sk)), false) => (
                Bound::Excluded((q.pk.as_str(), gsk.as_str(), pk.as_str(), sk.as_str())),
                Bound::Included((q.pk.as_str(), hi.as_str(), TOP, TOP)),
            ),
            (Some((gsk, pk, sk)), true) => (
                Bound::Included((q.pk.as_str(), lo.as_str(), "", "")),
                Bound::Excluded((q.pk.as_str(), gsk.as_str(), pk.as_str(), sk.as_str())),
            ),
            (None, _) => (
                Bound::Included((q.pk.as_str(), lo.as_str(), "", "")),
                Bound::Included((q.pk.as_str(), hi.as_str(), TOP, TOP)),
            ),
        };
        let range = index.range::<(&str, &str, &str, &str)>((start, end)).map_err(backend)?;
        let mut walk = |row: Result<
            (redb::AccessGuard<(&str, &str, &str, &str)>, redb::AccessGuard<()>),
            redb::StorageError,
        >|
         -> Result<bool, StoreError> {
            let (k, _) = row.map_err(backend)?;
            let (_, gsk, pk, sk) = k.value();
            if !q.sk.contains(gsk) {
                return Ok(true);
            }
            if let Some(item) = live(&items, pk, sk, now)? {
                if out.len() == q.limit {
                    more = true;
                    return Ok(false);
                }
                out.push(item);
            }
            Ok(true)
        };
        if q.descending {
            for row in range.rev() {
                if !walk(row)? {
                    break;
                }
            }
        } else {
            for row in range {
                if !walk(row)? {
                    break;
                }
            }
        }
    } else {
        let after = q.cursor.as_ref().map(|c| c.sk.clone());
        let (start, end) = match (&after, q.descending) {
            (Some(sk), false) => {
                (Bound::Excluded((q.pk.as_str(), sk.as_str())), Bound::Included((q.pk.as_str(), hi.as_str())))
            }
            (Some(sk), true) => {
                (Bound::Included((q.pk.as_str(), lo.as_str())), Bound::Excluded((q.pk.as_str(), sk.as_str())))
            }
            (None, _) => (Bound::Included((q.pk.as_str(), lo.as_str())), Bound::Included((q.pk.as_str(), hi.as_str()))),
        };
        let range = items.range::<(&str, &str)>((start, end)).map_err(backend)?;
        let mut walk = |row: Result<
            (redb::AccessGuard<(&str, &str)>, redb::AccessGuard<&[u8]>),
            redb::StorageError,
        >|
         -> Result<bool, StoreError> {
            let (k, v) = row.map_err(backend)?;
            let (pk, sk) = k.value();
            if !q.sk.contains(sk) {
                return Ok(true);
            }
            let item = decode(pk, sk, v.value())?;
            if item.is_expired(now) {
                return Ok(true);
            }
            if out.len() == q.limit {
                more = true;
                return Ok(false);
            }
            out.push(item);
            Ok(true)
        };
        if q.descending {
            for row in range.rev() {
                if !walk(row)? {
                    break;
                }
            }
        } else {
            for row in range {
                if !walk(row)? {
                    break;
                }
            }
        }
    }
    let next = if more { out.last().map(Cursor::of) } else { None };
    Ok(Page { items: out, next })
}

/// The live items whose pk starts with `prefix`, in key order: redb keeps them together.
fn scan_table(db: &Database, prefix: &str, after: Option<&Cursor>, limit: usize, now: i64) -> Result<Page, StoreError> {
    let tx = db.begin_read().map_err(backend)?;
    let items = match tx.open_table(ITEMS) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Page { items: vec![], next: None }),
        Err(e) => return Err(backend(e)),
    };
    let start = match after {
        Some(c) => Bound::Excluded((c.pk.as_str(), c.sk.as_str())),
        None => Bound::Included((prefix, "")),
    };
    let mut out = Vec::new();
    let mut more = false;
    for row in items.range::<(&str, &str)>((start, Bound::Unbounded)).map_err(backend)? {
        let (k, v) = row.map_err(backend)?;
        let (pk, sk) = k.value();
        if !pk.starts_with(prefix) {
            break;
        }
        let item = decode(pk, sk, v.value())?;
        if item.is_expired(now) {
            continue;
        }
        if out.len() == limit {
            more = true;
            break;
        }
        out.push(item);
    }
    let next = if more { out.last().map(Cursor::of) } else { None };
    Ok(Page { items: out, next })
}

/// The limits of a transaction: at most 100 writes, each key at most once.
pub(crate) fn check_writes(writes: &[Write]) -> Result<(), StoreError> {
    let mut keys = HashSet::new();
    for w in writes {
        let key = match w {
            Write::Put { item, .. } => (item.pk.as_str(), item.sk.as_str()),
            Write::Delete { pk, sk, .. } | Write::Check { pk, sk, .. } => (pk.as_str(), sk.as_str()),
        };
        if !keys.insert(key) {
            return Err(StoreError::Backend("a transaction names one key twice".into()));
        }
    }
    if writes.len() > 100 {
        return Err(StoreError::Backend("a transaction holds at most 100 writes".into()));
    }
    Ok(())
}

/// Checks every condition, then (only when all hold) makes every write, in `tx`.
pub(crate) fn apply_writes(tx: &WriteTransaction, writes: &[Write], now: i64) -> Result<(), StoreError> {
    let mut items = tx.open_table(ITEMS).map_err(backend)?;
    let mut index = tx.open_table(GSI1).map_err(backend)?;
    for w in writes {
        let (pk, sk, condition) = match w {
            Write::Put { item, condition } => (&item.pk, &item.sk, *condition),
            Write::Delete { pk, sk, condition } | Write::Check { pk, sk, condition } => (pk, sk, *condition),
        };
        if !holds(condition, live_header(&items, pk, sk, now)?.as_ref()) {
            return Err(StoreError::TransactionCancelled);
        }
    }
    for w in writes {
        match w {
            Write::Put { item, .. } => {
                store(&mut items, &mut index, item)?;
            }
            Write::Delete { pk, sk, .. } => {
                if let Some(header) = live_header(&items, pk, sk, now)? {
                    remove(&mut items, &mut index, pk, sk, &header)?;
                }
            }
            Write::Check { .. } => {}
        }
    }
    Ok(())
}

#[async_trait]
impl TableStore for RedbTable {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        let now = self.now();
        self.db.read(|db| {
            let tx = db.begin_read().map_err(backend)?;
            match tx.open_table(ITEMS) {
                Ok(items) => live(&items, pk, sk, now),
                Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
                Err(e) => Err(backend(e)),
            }
        })
    }

    async fn put(&self, item: Item, condition: Condition) -> Result<u64, StoreError> {
        let now = self.now();
        self.db
            .write(StoreError::Backend, move |tx: &WriteTransaction| {
                let version = {
                    let mut items = tx.open_table(ITEMS).map_err(backend)?;
                    let mut index = tx.open_table(GSI1).map_err(backend)?;
                    let current = live_header(&items, &item.pk, &item.sk, now)?;
                    if !holds(condition, current.as_ref()) {
                        return Err(StoreError::ConditionFailed);
                    }
                    store(&mut items, &mut index, &item)?
                };
                Ok(version)
            })
            .await
    }

    async fn delete(&self, pk: &str, sk: &str, condition: Condition) -> Result<(), StoreError> {
        let (pk, sk, now) = (pk.to_owned(), sk.to_owned(), self.now());
        self.db
            .write(StoreError::Backend, move |tx: &WriteTransaction| {
                {
                    let mut items = tx.open_table(ITEMS).map_err(backend)?;
                    let mut index = tx.open_table(GSI1).map_err(backend)?;
                    let current = live_header(&items, &pk, &sk, now)?;
                    if !holds(condition, current.as_ref()) {
                        return Err(StoreError::ConditionFailed);
                    }
                    if let Some(header) = current {
                        remove(&mut items, &mut index, &pk, &sk, &header)?;
                    }
                }
                Ok(())
            })
            .await
    }

    async fn query(&self, query: Query) -> Result<Page, StoreError> {
        let now = self.now();
        self.db.read(|db| query_table(db, &query, now))
    }

    async fn scan(&self, pk_prefix: &str, after: Option<Cursor>, limit: usize) -> Result<Page, StoreError> {
        let (now, limit) = (self.now(), limit.max(1));
        self.db.read(|db| scan_table(db, pk_prefix, after.as_ref(), limit, now))
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        check_writes(&writes)?;
        let now = self.now();
        self.db.write(StoreError::Backend, move |tx: &WriteTransaction| apply_writes(tx, &writes, now)).await
    }

    async fn put_batch(&self, batch: Vec<Item>) -> Result<(), StoreError> {
        self.db
            .write(StoreError::Backend, move |tx: &WriteTransaction| {
                {
                    let mut items = tx.open_table(ITEMS).map_err(backend)?;
                    let mut index = tx.open_table(GSI1).map_err(backend)?;
                    for item in &batch {
                        store(&mut items, &mut index, item)?;
                    }
                }
                Ok(())
            })
            .await
    }
}
