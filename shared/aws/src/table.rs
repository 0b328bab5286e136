//! The table port on DynamoDB: one table keyed by `pk` (hash) and `sk` (range), the secondary
//! index `gsi1` over `gsi1pk`/`gsi1sk` (projection ALL), `ttl` (epoch seconds) for DynamoDB's
//! TTL, the JSON body as text in `body` and the version in `ver`.
//!
//! Every write is an UpdateItem (or a transaction's Update) that does `ADD ver :one`, so the
//! version goes up by one on every write exactly as in the embedded store. DynamoDB deletes
//! expired items only some time after `ttl`, so expiry is decided here against the injected
//! clock: reads skip expired items and every condition treats them as absent.

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, Projection, ProjectionType, ReturnValue, ScalarAttributeType, TimeToLiveSpecification, TransactWriteItem,
    Update,
};
use beseda_ports::Clock;
use beseda_ports::table::{Condition, Cursor, IndexKey, Item, Page, Query, SkRange, StoreError, TableStore, Write};
use futures::{StreamExt, TryStreamExt};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

/// The name of the secondary index.
pub const INDEX: &str = "gsi1";
/// How many single-item writes `put_batch` keeps in flight.
const BATCH_CONCURRENCY: usize = 16;
/// The most items one query page asks DynamoDB for.
const MAX_PAGE: usize = 1000;

type Attributes = HashMap<String, AttributeValue>;

fn backend(e: impl std::error::Error) -> StoreError {
    StoreError::Backend(DisplayErrorContext(e).to_string())
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn key(pk: &str, sk: &str) -> Attributes {
    HashMap::from([("pk".to_owned(), s(pk)), ("sk".to_owned(), s(sk))])
}

/// The names and values an expression refers to; DynamoDB refuses unused or empty maps.
#[derive(Default)]
struct Expr {
    names: HashMap<String, String>,
    values: Attributes,
}

impl Expr {
    fn name(&mut self, placeholder: &str, attribute: &str) {
        self.names.insert(placeholder.to_owned(), attribute.to_owned());
    }

    fn value(&mut self, placeholder: &str, value: AttributeValue) {
        self.values.insert(placeholder.to_owned(), value);
    }

    /// The condition expression of `condition`; expired items count as absent.
    fn condition(&mut self, condition: Condition, now: i64) -> Option<String> {
        let live = "(attribute_not_exists(#ttl) OR #ttl > :now)";
        let text = match condition {
            Condition::Always => return None,
            Condition::NotExists => "attribute_not_exists(pk) OR #ttl <= :now".to_owned(),
            Condition::Exists => format!("attribute_exists(pk) AND {live}"),
            Condition::Version(v) => {
                self.name("#ver", "ver");
                self.value(":v", n(v));
                format!("#ver = :v AND {live}")
            }
        };
        self.name("#ttl", "ttl");
        self.value(":now", n(now));
        Some(text)
    }

    /// The update expression that writes `item` over whatever is stored and bumps `ver`.
    fn update(&mut self, item: &Item) -> Result<String, StoreError> {
        let body = serde_json::to_string(&item.body).map_err(backend)?;
        self.name("#body", "body");
        self.value(":body", AttributeValue::S(body));
        self.name("#ver", "ver");
        self.value(":one", n(1));
        self.name("#ttl", "ttl");
        self.name("#g1pk", "gsi1pk");
        self.name("#g1sk", "gsi1sk");
        let mut set = vec!["#body = :body"];
        let mut remove = Vec::new();
        match &item.gsi1 {
            Some(g) => {
                self.value(":g1pk", s(&g.pk));
                self.value(":g1sk", s(&g.sk));
                set.push("#g1pk = :g1pk, #g1sk = :g1sk");
            }
            None => remove.push("#g1pk, #g1sk"),
        }
        match item.expires_at {
            Some(at) => {
                self.value(":ttl", n(at));
                set.push("#ttl = :ttl");
            }
            None => remove.push("#ttl"),
        }
        let mut text = format!("SET {} ADD #ver :one", set.join(", "));
        if !remove.is_empty() {
            text.push_str(" REMOVE ");
            text.push_str(&remove.join(", "));
        }
        Ok(text)
    }

    fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    fn values(&self) -> Option<Attributes> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }
}

fn text<'a>(raw: &'a Attributes, name: &str) -> Option<&'a String> {
    raw.get(name).and_then(|v| v.as_s().ok())
}

fn number<T: std::str::FromStr>(raw: &Attributes, name: &str) -> Result<Option<T>, StoreError> {
    match raw.get(name) {
        None => Ok(None),
        Some(v) => v
            .as_n()
            .ok()
            .and_then(|t| t.parse().ok())
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt(format!("{name} is not a number"))),
    }
}

fn decode(raw: &Attributes) -> Result<Item, StoreError> {
    let required =
        |name: &str| text(raw, name).cloned().ok_or_else(|| StoreError::Corrupt(format!("an item has no {name}")));
    let gsi1 = match (text(raw, "gsi1pk"), text(raw, "gsi1sk")) {
        (Some(pk), Some(sk)) => Some(IndexKey { pk: pk.clone(), sk: sk.clone() }),
        _ => None,
    };
    Ok(Item {
        pk: required("pk")?,
        sk: required("sk")?,
        gsi1,
        expires_at: number(raw, "ttl")?,
        body: serde_json::from_str(&required("body")?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        version: number(raw, "ver")?.ok_or_else(|| StoreError::Corrupt("an item has no ver".into()))?,
    })
}

/// The key DynamoDB resumes a query after: the table's key, plus the index's for the index.
fn start_key(cursor: &Cursor, query: &Query) -> Result<Attributes, StoreError> {
    let mut start = key(&cursor.pk, &cursor.sk);
    if query.index {
        let g = cursor.gsi1.as_ref().ok_or(StoreError::BadCursor)?;
        if g.pk != query.pk {
            return Err(StoreError::BadCursor);
        }
        start.insert("gsi1pk".into(), s(&g.pk));
        start.insert("gsi1sk".into(), s(&g.sk));
    } else if cursor.pk != query.pk {
        return Err(StoreError::BadCursor);
    }
    Ok(start)
}

pub struct DynamoTable {
    client: Client,
    table: String,
    clock: Arc<dyn Clock>,
}

impl DynamoTable {
    pub fn new(client: Client, table: impl Into<String>, clock: Arc<dyn Clock>) -> Self {
        Self { client, table: table.into(), clock }
    }

    /// The table's clock, in epoch milliseconds.
    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// Creates the table with its index and turns TTL on, unless a table of that name exists.
    pub async fn create_table(client: &Client, name: &str) -> Result<(), StoreError> {
        let attribute = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(backend)
        };
        let key_part = |name: &str, kind: KeyType| {
            KeySchemaElement::builder().attribute_name(name).key_type(kind).build().map_err(backend)
        };
        let index = GlobalSecondaryIndex::builder()
            .index_name(INDEX)
            .key_schema(key_part("gsi1pk", KeyType::Hash)?)
            .key_schema(key_part("gsi1sk", KeyType::Range)?)
            .projection(Projection::builder().projection_type(ProjectionType::All).build())
            .build()
            .map_err(backend)?;
        let created = client
            .create_table()
            .table_name(name)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attribute("pk")?)
            .attribute_definitions(attribute("sk")?)
            .attribute_definitions(attribute("gsi1pk")?)
            .attribute_definitions(attribute("gsi1sk")?)
            .key_schema(key_part("pk", KeyType::Hash)?)
            .key_schema(key_part("sk", KeyType::Range)?)
            .global_secondary_indexes(index)
            .send()
            .await;
        match created {
            Ok(_) => {}
            Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_in_use_exception()) => {
                return Ok(());
            }
            Err(e) => return Err(backend(e)),
        }
        client.wait_until_table_exists().table_name(name).wait(Duration::from_secs(300)).await.map_err(backend)?;
        client
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder().enabled(true).attribute_name("ttl").build().map_err(backend)?,
            )
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    async fn write(&self, item: Item, condition: Condition) -> Result<u64, StoreError> {
        let mut expr = Expr::default();
        let update = expr.update(&item)?;
        let condition = expr.condition(condition, self.now());
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(&item.pk, &item.sk)))
            .update_expression(update)
            .set_condition_expression(condition)
            .set_expression_attribute_names(expr.names())
            .set_expression_attribute_values(expr.values())
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error().is_some_and(|e| e.is_conditional_check_failed_exception()) {
                    StoreError::ConditionFailed
                } else {
                    backend(e)
                }
            })?;
        out.attributes()
            .and_then(|a| number(a, "ver").transpose())
            .unwrap_or_else(|| Err(StoreError::Corrupt("the write returned no ver".into())))
    }

    fn transact_item(&self, write: Write, now: i64) -> Result<TransactWriteItem, StoreError> {
        let mut expr = Expr::default();
        let built = match write {
            Write::Put { item, condition } => {
                let update = expr.update(&item)?;
                let condition = expr.condition(condition, now);
                TransactWriteItem::builder().update(
                    Update::builder()
                        .table_name(&self.table)
                        .set_key(Some(key(&item.pk, &item.sk)))
                        .update_expression(update)
                        .set_condition_expression(condition)
                        .set_expression_attribute_names(expr.names())
                        .set_expression_attribute_values(expr.values())
                        .build()
                        .map_err(backend)?,
                )
            }
            Write::Delete { pk, sk, condition } => {
                let condition = expr.condition(condition, now);
                TransactWriteItem::builder().delete(
                    Delete::builder()
                        .table_name(&self.table)
                        .set_key(Some(key(&pk, &sk)))
                        .set_condition_expression(condition)
                        .set_expression_attribute_names(expr.names())
                        .set_expression_attribute_values(expr.values())
                        .build()
                        .map_err(backend)?,
                )
            }
            Write::Check { pk, sk, condition } => {
                let condition = expr.condition(condition, now);
                TransactWriteItem::builder().condition_check(
                    ConditionCheck::builder()
                        .table_name(&self.table)
                        .set_key(Some(key(&pk, &sk)))
                        .set_condition_expression(condition)
                        .set_expression_attribute_names(expr.names())
                        .set_expression_attribute_values(expr.values())
                        .build()
                        .map_err(backend)?,
                )
            }
        };
        Ok(built.build())
    }
}

#[async_trait]
impl TableStore for DynamoTable {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        match out.item() {
            Some(raw) => {
                let item = decode(raw)?;
                Ok((!item.is_expired(self.now())).then_some(item))
            }
            None => Ok(None),
        }
    }

    async fn put(&self, item: Item, condition: Condition) -> Result<u64, StoreError> {
        self.write(item, condition).await
    }

    async fn delete(&self, pk: &str, sk: &str, condition: Condition) -> Result<(), StoreError> {
        let mut expr = Expr::default();
        let condition = expr.condition(condition, self.now());
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .set_condition_expression(condition)
            .set_expression_attribute_names(expr.names())
            .set_expression_attribute_values(expr.values())
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error().is_some_and(|e| e.is_conditional_check_failed_exception()) {
                    StoreError::ConditionFailed
                } else {
                    backend(e)
                }
            })?;
        Ok(())
    }

    async fn query(&self, query: Query) -> Result<Page, StoreError> {
        let limit = query.limit.max(1);
        let now = self.now();
        let mut expr = Expr::default();
        let (pk_name, sk_name) = if query.index { ("gsi1pk", "gsi1sk") } else { ("pk", "sk") };
        expr.name("#kp", pk_name);
        expr.value(":kp", s(&query.pk));
        let mut condition = "#kp = :kp".to_owned();
        match &query.sk {
            SkRange::All => {}
            SkRange::Prefix(prefix) => {
                expr.name("#ks", sk_name);
                expr.value(":prefix", s(prefix));
                condition.push_str(" AND begins_with(#ks, :prefix)");
            }
            SkRange::Between(lo, hi) => {
                expr.name("#ks", sk_name);
                expr.value(":lo", s(lo));
                expr.value(":hi", s(hi));
                condition.push_str(" AND #ks BETWEEN :lo AND :hi");
            }
        }
        let mut start = match &query.cursor {
            Some(cursor) => Some(start_key(cursor, &query)?),
            None => None,
        };
        let mut items = Vec::new();
        // One live item more than the page holds tells whether another page exists.
        loop {
            let want = limit + 1 - items.len();
            let mut request = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression(&condition)
                .set_expression_attribute_names(expr.names())
                .set_expression_attribute_values(expr.values())
                .scan_index_forward(!query.descending)
                .limit(want.min(MAX_PAGE) as i32)
                .set_exclusive_start_key(start.take());
            request = if query.index { request.index_name(INDEX) } else { request.consistent_read(true) };
            let out = request.send().await.map_err(backend)?;
            for raw in out.items() {
                let item = decode(raw)?;
                if !item.is_expired(now) {
                    items.push(item);
                    if items.len() > limit {
                        break;
                    }
                }
            }
            match out.last_evaluated_key {
                Some(last) if items.len() <= limit && !last.is_empty() => start = Some(last),
                _ => break,
            }
        }
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(Cursor::of)
        } else {
            None
        };
        Ok(Page { items, next })
    }

    async fn scan(&self, pk_prefix: &str, after: Option<Cursor>, limit: usize) -> Result<Page, StoreError> {
        let limit = limit.max(1);
        let now = self.now();
        let mut start = after.map(|c| key(&c.pk, &c.sk));
        let mut items = Vec::new();
        // A filtered Scan may return short or empty pages before the table's end.
        loop {
            let out = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression("begins_with(pk, :prefix)")
                .expression_attribute_values(":prefix", s(pk_prefix))
                .consistent_read(true)
                .limit(MAX_PAGE as i32)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(backend)?;
            for raw in out.items() {
                let item = decode(raw)?;
                if item.is_expired(now) {
                    continue;
                }
                items.push(item);
                if items.len() == limit {
                    let next = items.last().map(Cursor::of);
                    return Ok(Page { items, next });
                }
            }
            match out.last_evaluated_key {
                Some(last) if !last.is_empty() => start = Some(last),
                _ => return Ok(Page { items, next: None }),
            }
        }
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        let mut keys = HashSet::new();
        for w in &writes {
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
        let now = self.now();
        let items = writes
            .into_iter()
            // A check that always holds has nothing to tell DynamoDB.
            .filter(|w| !matches!(w, Write::Check { condition: Condition::Always, .. }))
            .map(|w| self.transact_item(w, now))
            .collect::<Result<Vec<_>, _>>()?;
        if items.is_empty() {
            return Ok(());
        }
        let result = self.client.transact_write_items().set_transact_items(Some(items)).send().await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) => {
                    let reasons = cancelled.cancellation_reasons();
                    if reasons.is_empty() || reasons.iter().any(|r| r.code() == Some("ConditionalCheckFailed")) {
                        Err(StoreError::TransactionCancelled)
                    } else {
                        Err(backend(e))
                    }
                }
                _ => Err(backend(e)),
            },
        }
    }

    async fn put_batch(&self, items: Vec<Item>) -> Result<(), StoreError> {
        // One UpdateItem per item keeps `ver` right (a BatchWriteItem put cannot add to it);
        // of two items with one key, the later wins.
        let mut latest: HashMap<(String, String), Item> = HashMap::new();
        for item in items {
            latest.insert((item.pk.clone(), item.sk.clone()), item);
        }
        futures::stream::iter(latest.into_values())
            .map(|item| self.write(item, Condition::Always))
            .buffer_unordered(BATCH_CONCURRENCY)
            .try_collect::<Vec<_>>()
            .await
            .map(|_| ())
    }
}
