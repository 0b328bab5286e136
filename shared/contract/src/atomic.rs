//! Cases for the atomic port: table writes and queue sends committed together, or neither.

use beseda_ports::atomic::{Atomic, Outgoing};
use beseda_ports::queue::{Queue, Received};
use beseda_ports::table::{Condition, Item, StoreError, TableStore, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Fixture {
    pub atomic: Arc<dyn Atomic>,
    /// The table the atomic port writes to, empty.
    pub table: Arc<dyn TableStore>,
    /// The queues the atomic port sends to, knowing `queue::SPEC`, empty.
    pub queue: Arc<dyn Queue>,
}

const Q: &str = crate::queue::SPEC.name;

fn put(sk: &str, condition: Condition) -> Write {
    Write::Put { item: Item::new("p", sk, serde_json::json!({ "sk": sk })), condition }
}

async fn receive_all(q: &dyn Queue, want: usize, within: Duration) -> Vec<Received> {
    let deadline = Instant::now() + within;
    let mut got = Vec::new();
    while got.len() < want && Instant::now() < deadline {
        got.extend(q.receive(Q, 10, Duration::from_secs(1)).await.unwrap());
    }
    got
}

pub async fn writes_and_sends_commit_together(f: Fixture) {
    let sends = vec![Outgoing::new(Q, "now", Duration::ZERO), Outgoing::new(Q, "later", Duration::from_secs(2))];
    f.atomic.commit(vec![put("a", Condition::NotExists), put("b", Condition::Always)], sends).await.unwrap();
    assert!(f.table.get("p", "a").await.unwrap().is_some());
    assert!(f.table.get("p", "b").await.unwrap().is_some());
    let first = receive_all(f.queue.as_ref(), 1, Duration::from_secs(5)).await;
    assert_eq!(first.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(), ["now"], "the delayed one waits");
    f.queue.ack(Q, &first[0].receipt).await.unwrap();
    let second = receive_all(f.queue.as_ref(), 1, Duration::from_secs(6)).await;
    assert_eq!(second.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(), ["later"]);
}

pub async fn a_refused_commit_writes_and_sends_nothing(f: Fixture) {
    f.table.put(Item::new("p", "taken", serde_json::json!({})), Condition::Always).await.unwrap();
    let refused = f
        .atomic
        .commit(
            vec![put("a", Condition::NotExists), put("taken", Condition::NotExists)],
            vec![Outgoing::new(Q, "never", Duration::ZERO)],
        )
        .await;
    assert_eq!(refused, Err(StoreError::TransactionCancelled));
    assert!(f.table.get("p", "a").await.unwrap().is_none(), "nothing of a refused commit is written");
    assert!(receive_all(f.queue.as_ref(), 1, Duration::from_secs(2)).await.is_empty(), "nor sent");
}

pub async fn an_unknown_queue_or_a_long_delay_is_refused_before_writing(f: Fixture) {
    let unknown = f.atomic.commit(vec![put("a", Condition::Always)], vec![Outgoing::new("nope", "x", Duration::ZERO)]);
    assert!(matches!(unknown.await, Err(StoreError::Backend(_))));
    let long = Outgoing::new(Q, "x", beseda_ports::queue::MAX_DELAY + Duration::from_secs(1));
    assert!(matches!(
        f.atomic.commit(vec![put("b", Condition::Always)], vec![long]).await,
        Err(StoreError::Backend(_))
    ));
    assert!(f.table.get("p", "a").await.unwrap().is_none());
    assert!(f.table.get("p", "b").await.unwrap().is_none());
}

pub async fn a_commit_that_sent_leaves_nothing_to_redeliver(f: Fixture) {
    f.atomic.commit(vec![put("a", Condition::Always)], vec![Outgoing::new(Q, "once", Duration::ZERO)]).await.unwrap();
    assert_eq!(f.atomic.redeliver(Duration::ZERO).await.unwrap(), 0, "its message went out with the commit");
    let got = receive_all(f.queue.as_ref(), 1, Duration::from_secs(5)).await;
    assert_eq!(got.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(), ["once"]);
    f.queue.ack(Q, &got[0].receipt).await.unwrap();
    assert!(receive_all(f.queue.as_ref(), 1, Duration::from_secs(2)).await.is_empty(), "and only once");
}
