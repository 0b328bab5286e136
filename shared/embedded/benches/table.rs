//! The table store on redb: durable single writes, batched writes, point reads and 50-item
//! queries per second, on a temporary file. `cargo bench -p beseda-embedded --bench table`.

use beseda_embedded::{Db, RedbTable};
use beseda_ports::SystemClock;
use beseda_ports::table::{Condition, Item, Query, TableStore};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn report(name: &str, ops: usize, took: Duration) {
    println!("{name:<40} {:>10.0} ops/s  ({ops} in {:.2} s)", ops as f64 / took.as_secs_f64(), took.as_secs_f64());
}

fn message(dialog: usize, n: usize) -> Item {
    Item::new(
        format!("project#p1#dialog#{dialog}"),
        format!("msg#{n:08}"),
        json!({"from": "visitor", "text": "Здравствуйте! Сколько стоит доставка букета?", "n": n}),
    )
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(RedbTable::new(Db::open(&dir.path().join("bench.redb")).expect("db"), Arc::new(SystemClock)));

    let n = 2_000;
    let started = Instant::now();
    for i in 0..n {
        store.put(message(i % 100, i), Condition::Always).await.expect("put");
    }
    report("durable single writes (1 task)", n, started.elapsed());

    let started = Instant::now();
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..250 {
                    store.put(message(100 + t, i), Condition::NotExists).await.expect("put");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    report("durable conditional writes (8 tasks)", 2_000, started.elapsed());

    let batches = 200;
    let started = Instant::now();
    for b in 0..batches {
        store.put_batch((0..100).map(|i| message(200 + b, i)).collect()).await.expect("batch");
    }
    report("batched writes (100 per commit)", batches * 100, started.elapsed());

    let reads = 20_000;
    let started = Instant::now();
    for i in 0..reads {
        let item = message(i % 100, i % n);
        store.get(&item.pk, &item.sk).await.expect("get");
    }
    report("point reads", reads, started.elapsed());

    let queries = 5_000;
    let started = Instant::now();
    for i in 0..queries {
        let page = store
            .query(Query::partition(format!("project#p1#dialog#{}", 200 + i % batches)).prefix("msg#").limit(50))
            .await
            .expect("query");
        assert_eq!(page.items.len(), 50);
    }
    report("50-item queries", queries, started.elapsed());
}
