//! How many table reads and writes the widget's hot path costs (what DynamoDB bills): a
//! counting wrapper under the cache of recent reads counts every read (`get` is one, a
//! `query` one per page) and every item written (a put, a delete, each write of a
//! transaction), for a page view's `/config` and a visitor's message, with one operator and
//! with twenty. Run with `--nocapture` to see the figures.

use crate::access::Access;
use crate::accounts::{self, NewUser};
use crate::projects::{self, NewProject};
use crate::team::{self, NewMember};
use crate::{App, Settings, billing, dialogs};
use async_trait::async_trait;
use beseda_ports::atomic::{Atomic, Outgoing};
use beseda_ports::table::{Condition, Cursor, Item, Page, Query, StoreError, TableStore, Write};
use beseda_ports::{FixedClock, Ports};
use chrono::TimeZone;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting {
    table: Arc<dyn TableStore>,
    atomic: Arc<dyn Atomic>,
    reads: AtomicUsize,
    writes: AtomicUsize,
}

impl Counting {
    fn take(&self) -> (usize, usize) {
        (self.reads.swap(0, Ordering::SeqCst), self.writes.swap(0, Ordering::SeqCst))
    }

    fn wrote(&self, n: usize) {
        self.writes.fetch_add(n, Ordering::SeqCst);
    }

    fn read(&self) {
        self.reads.fetch_add(1, Ordering::SeqCst);
    }
}

#[async_trait]
impl TableStore for Counting {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        self.read();
        self.table.get(pk, sk).await
    }

    async fn put(&self, item: Item, condition: Condition) -> Result<u64, StoreError> {
        self.wrote(1);
        self.table.put(item, condition).await
    }

    async fn delete(&self, pk: &str, sk: &str, condition: Condition) -> Result<(), StoreError> {
        self.wrote(1);
        self.table.delete(pk, sk, condition).await
    }

    async fn query(&self, query: Query) -> Result<Page, StoreError> {
        self.read();
        self.table.query(query).await
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        self.wrote(writes.len());
        self.table.transact(writes).await
    }

    async fn put_batch(&self, items: Vec<Item>) -> Result<(), StoreError> {
        self.wrote(items.len());
        self.table.put_batch(items).await
    }
    async fn scan(&self, pk_prefix: &str, after: Option<Cursor>, limit: usize) -> Result<Page, StoreError> {
        self.read();
        self.table.scan(pk_prefix, after, limit).await
    }
}

#[async_trait]
impl Atomic for Counting {
    async fn commit(&self, writes: Vec<Write>, sends: Vec<Outgoing>) -> Result<(), StoreError> {
        self.wrote(writes.len());
        self.atomic.commit(writes, sends).await
    }
}

/// A project with a trial, `operators` operators online, and the counter under its ports.
async fn world(operators: usize) -> (App, String, Arc<Counting>) {
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()));
    let dir = tempfile::tempdir().unwrap().keep();
    let e = beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, clock.clone()).unwrap();
    let counting = Arc::new(Counting {
        table: e.table.clone(),
        atomic: e.atomic.clone(),
        reads: AtomicUsize::new(0),
        writes: AtomicUsize::new(0),
    });
    let p = e.ports;
    let ports = Ports::new(counting.clone(), counting.clone(), p.queue, p.mail, p.blobs, p.realtime, p.keys, p.clock);
    let settings =
        Settings { mail_from: "noreply@beseda.local".into(), public_url: "http://cabinet.test".into(), secrets: None };
    let app = App { ports, settings };
    let owner = accounts::create_user(&app, NewUser { email: "owner@x.ru".into(), ..Default::default() }, "password1")
        .await
        .unwrap();
    let new = NewProject { name: "Ромашка".into(), domains: vec!["romashka.ru".into()], ..Default::default() };
    let project = projects::create(&app, &owner.id, new, None).await.unwrap().id;
    billing::start_trial(&app, &project).await.unwrap();
    for i in 0..operators {
        let member = NewMember {
            email: format!("op{i}@x.ru"),
            first_name: format!("Оператор {i}"),
            accesses: vec![Access::Operator],
            ..Default::default()
        };
        let added = team::add(&app, &project, member).await.unwrap();
        dialogs::set_presence(&app, &project, &added.user_id, true).await.unwrap();
    }
    (app, project, counting)
}

/// (reads, writes) of a cold `/config`, a warm one, a visitor's first message and a later one.
async fn costs(operators: usize) -> [(usize, usize); 4] {
    let (app, project, counting) = world(operators).await;
    let (_, token) = dialogs::create_visitor(&app, &project).await.unwrap();
    let visitor = dialogs::visitor_from_token(&app, &project, &token).await.unwrap();
    // Another process: nothing cached yet.
    app.ports.recent.forget_all();
    counting.take();
    dialogs::public_config(&app, &project, None).await.unwrap();
    let cold = counting.take();
    dialogs::public_config(&app, &project, None).await.unwrap();
    let warm = counting.take();
    let first = dialogs::VisitorMessage {
        text: "Здравствуйте".into(), client_id: "c1".into(), ..Default::default()
    };
    dialogs::send_from_visitor(&app, &project, &visitor, first).await.unwrap();
    let first = counting.take();
    let visitor = dialogs::visitor_from_token(&app, &project, &token).await.unwrap();
    counting.take();
    let later =
        dialogs::VisitorMessage { text: "Ещё вопрос".into(), client_id: "c2".into(), ..Default::default() };
    dialogs::send_from_visitor(&app, &project, &visitor, later).await.unwrap();
    [cold, warm, first, counting.take()]
}

#[tokio::test]
async fn the_hot_path_reads_and_writes_the_same_whatever_the_team() {
    let one = costs(1).await;
    let twenty = costs(20).await;
    for (name, c) in [("1 operator", one), ("20 operators", twenty)] {
        println!(
            "{name}: /config cold {} reads, warm {} reads; first message {} reads {} writes; later message {} reads {} writes",
            c[0].0, c[1].0, c[2].0, c[2].1, c[3].0, c[3].1
        );
    }
    assert_eq!(one, twenty, "the cost does not grow with the team");
    let [cold, warm, first, later] = one;
    assert!(cold.0 <= 5 && cold.1 == 0, "a cold /config: {cold:?}");
    assert!(warm.0 <= 3 && warm.1 == 0, "a warm /config: {warm:?}");
    assert!(later.1 <= 4, "a later message: {later:?}");
    assert!(
        first.1 <= 9,
        "a first message (with its greeting, the visitor, the contact's history, the journal and the statistics fact): {first:?}"
    );
}
