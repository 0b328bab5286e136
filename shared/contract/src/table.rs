//! Cases for the table port.

use beseda_ports::table::{Condition, Cursor, Item, Query, StoreError, TableStore, Write};
use beseda_ports::{Clock, FixedClock};
use serde_json::json;
use std::sync::Arc;

pub struct Fixture {
    pub store: Arc<dyn TableStore>,
    /// The clock the store reads expiry against.
    pub clock: Arc<FixedClock>,
}

fn sks(items: &[Item]) -> Vec<&str> {
    items.iter().map(|i| i.sk.as_str()).collect()
}

pub async fn put_then_get(f: Fixture) {
    let s = &f.store;
    assert_eq!(s.get("p1#user", "u1").await.unwrap(), None);
    let v1 = s.put(Item::new("p1#user", "u1", json!({"name": "Анна"})), Condition::Always).await.unwrap();
    assert_eq!(v1, 1);
    let got = s.get("p1#user", "u1").await.unwrap().expect("stored");
    assert_eq!(got.body, json!({"name": "Анна"}));
    assert_eq!(got.version, 1);
    let v2 = s.put(Item::new("p1#user", "u1", json!({"name": "Борис"})), Condition::Always).await.unwrap();
    assert_eq!(v2, 2);
    assert_eq!(s.get("p1#user", "u1").await.unwrap().unwrap().body["name"], "Борис");
    assert_eq!(s.get("p2#user", "u1").await.unwrap(), None, "another partition sees nothing");
}

/// Every write bumps the version by exactly one, atomically: parallel unconditional writes to
/// one item get the numbers 1..=N, each once (the throttle's fixed-window counter rests on it).
pub async fn versions_count_parallel_writes(f: Fixture) {
    let writes = (0..20).map(|i| {
        let s = f.store.clone();
        tokio::spawn(async move { s.put(Item::new("rate#ip", "window#1", json!({ "i": i })), Condition::Always).await })
    });
    let mut versions: Vec<u64> = Vec::new();
    for w in writes.collect::<Vec<_>>() {
        versions.push(w.await.unwrap().unwrap());
    }
    versions.sort_unstable();
    assert_eq!(versions, (1..=20).collect::<Vec<u64>>());
}

pub async fn conditional_writes(f: Fixture) {
    let s = &f.store;
    let item = || Item::new("p1#dialog", "d1", json!({"state": "open"}));
    assert_eq!(s.put(item(), Condition::NotExists).await.unwrap(), 1);
    assert_eq!(s.put(item(), Condition::NotExists).await, Err(StoreError::ConditionFailed));
    assert_eq!(s.put(item(), Condition::Version(1)).await.unwrap(), 2);
    assert_eq!(s.put(item(), Condition::Version(1)).await, Err(StoreError::ConditionFailed), "a stale version loses");
    assert_eq!(
        s.put(Item::new("p1#dialog", "d2", json!({})), Condition::Exists).await,
        Err(StoreError::ConditionFailed)
    );
    assert_eq!(s.put(item(), Condition::Exists).await.unwrap(), 3);
    assert_eq!(s.delete("p1#dialog", "d1", Condition::Version(2)).await, Err(StoreError::ConditionFailed));
    assert!(s.get("p1#dialog", "d1").await.unwrap().is_some());
    s.delete("p1#dialog", "d1", Condition::Version(3)).await.unwrap();
    assert_eq!(s.get("p1#dialog", "d1").await.unwrap(), None);
    assert_eq!(s.delete("p1#dialog", "d1", Condition::Exists).await, Err(StoreError::ConditionFailed));
    s.delete("p1#dialog", "d1", Condition::Always).await.unwrap();
}

pub async fn query_by_prefix_and_range(f: Fixture) {
    let s = &f.store;
    for i in 1..=10 {
        s.put(Item::new("p1#d1", format!("msg#{i:03}"), json!({"n": i})), Condition::Always).await.unwrap();
    }
    s.put(Item::new("p1#d1", "note#1", json!({})), Condition::Always).await.unwrap();
    s.put(Item::new("p1#d2", "msg#001", json!({})), Condition::Always).await.unwrap();

    let all = s.query(Query::partition("p1#d1")).await.unwrap();
    assert_eq!(all.items.len(), 11);
    let msgs = s.query(Query::partition("p1#d1").prefix("msg#")).await.unwrap();
    assert_eq!(msgs.items.len(), 10);
    assert_eq!(msgs.items[0].body, json!({"n": 1}));
    assert_eq!(msgs.next, None);
    let some = s.query(Query::partition("p1#d1").between("msg#003", "msg#005")).await.unwrap();
    assert_eq!(sks(&some.items), ["msg#003", "msg#004", "msg#005"]);
    let last = s.query(Query::partition("p1#d1").prefix("msg#").descending().limit(2)).await.unwrap();
    assert_eq!(sks(&last.items), ["msg#010", "msg#009"]);
    assert!(last.next.is_some());
    let none = s.query(Query::partition("p1#d3")).await.unwrap();
    assert!(none.items.is_empty() && none.next.is_none());
}

pub async fn pagination(f: Fixture) {
    let s = &f.store;
    for i in 0..25 {
        s.put(Item::new("p1#lead", format!("{i:02}"), json!({})), Condition::Always).await.unwrap();
    }
    for descending in [false, true] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut q =
                Query::partition("p1#lead").limit(10).after(cursor.as_deref().map(|c| Cursor::decode(c).unwrap()));
            if descending {
                q = q.descending();
            }
            let page = s.query(q).await.unwrap();
            pages += 1;
            assert!(page.items.len() <= 10);
            seen.extend(page.items.iter().map(|i| i.sk.clone()));
            match page.next {
                Some(next) => cursor = Some(next.encode()),
                None => break,
            }
            assert!(pages < 10, "pagination must end");
        }
        let mut want: Vec<String> = (0..25).map(|i| format!("{i:02}")).collect();
        if descending {
            want.reverse();
        }
        assert_eq!(seen, want, "every item once, in order (descending: {descending})");
    }
    assert_eq!(Cursor::decode("not a cursor!"), Err(StoreError::BadCursor));
}

pub async fn secondary_index(f: Fixture) {
    let s = &f.store;
    let user = |email: &str| {
        Item::new("user#u1", "profile", json!({"email": email})).with_index(format!("email#{email}"), "user")
    };
    s.put(user("a@example.com"), Condition::Always).await.unwrap();
    let hit = s.query(Query::index("email#a@example.com")).await.unwrap();
    assert_eq!(hit.items.len(), 1);
    assert_eq!((hit.items[0].pk.as_str(), hit.items[0].sk.as_str()), ("user#u1", "profile"));
    s.put(user("b@example.com"), Condition::Always).await.unwrap();
    assert!(s.query(Query::index("email#a@example.com")).await.unwrap().items.is_empty(), "the old index entry goes");
    assert_eq!(s.query(Query::index("email#b@example.com")).await.unwrap().items.len(), 1);
    s.delete("user#u1", "profile", Condition::Always).await.unwrap();
    assert!(s.query(Query::index("email#b@example.com")).await.unwrap().items.is_empty());

    for i in 0..7 {
        let item =
            Item::new(format!("p1#dialog#{i}"), "meta", json!({"i": i})).with_index("p1#open", format!("2026-11-0{i}"));
        s.put(item, Condition::Always).await.unwrap();
    }
    let first = s.query(Query::index("p1#open").limit(4)).await.unwrap();
    assert_eq!(first.items.len(), 4);
    let rest = s.query(Query::index("p1#open").limit(4).after(first.next)).await.unwrap();
    assert_eq!(rest.items.len(), 3);
    assert_eq!(rest.items[0].body, json!({"i": 4}));
    let recent = s.query(Query::index("p1#open").between("2026-11-02", "2026-11-03").descending()).await.unwrap();
    assert_eq!(recent.items.iter().map(|i| i.body["i"].as_i64().unwrap()).collect::<Vec<_>>(), [3, 2]);
}

pub async fn transactions_are_all_or_nothing(f: Fixture) {
    let s = &f.store;
    let put = |sk: &str| Write::Put { item: Item::new("p1#t", sk, json!({"sk": sk})), condition: Condition::NotExists };
    s.transact(vec![put("a"), put("b")]).await.unwrap();
    assert_eq!(s.transact(vec![put("c"), put("a")]).await, Err(StoreError::TransactionCancelled));
    assert_eq!(s.get("p1#t", "c").await.unwrap(), None, "nothing of a failed transaction is written");
    s.transact(vec![
        Write::Check { pk: "p1#t".into(), sk: "a".into(), condition: Condition::Exists },
        Write::Delete { pk: "p1#t".into(), sk: "b".into(), condition: Condition::Version(1) },
        put("c"),
    ])
    .await
    .unwrap();
    assert_eq!(s.get("p1#t", "b").await.unwrap(), None);
    assert!(s.get("p1#t", "c").await.unwrap().is_some());
    let failed = s
        .transact(vec![Write::Check { pk: "p1#t".into(), sk: "zz".into(), condition: Condition::Exists }, put("d")])
        .await;
    assert_eq!(failed, Err(StoreError::TransactionCancelled));
    assert_eq!(s.get("p1#t", "d").await.unwrap(), None);
}

pub async fn expired_items_are_gone(f: Fixture) {
    let s = &f.store;
    let now = f.clock.now().timestamp();
    s.put(Item::new("p1#session", "s1", json!({})).expiring_at(now + 60), Condition::Always).await.unwrap();
    s.put(Item::new("p1#session", "s2", json!({})).expiring_at(now + 600), Condition::Always).await.unwrap();
    assert!(s.get("p1#session", "s1").await.unwrap().is_some());
    f.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(s.get("p1#session", "s1").await.unwrap(), None);
    assert_eq!(sks(&s.query(Query::partition("p1#session")).await.unwrap().items), ["s2"]);
    assert_eq!(
        s.put(Item::new("p1#session", "s1", json!({"new": true})), Condition::NotExists).await.map(|_| ()),
        Ok(())
    );
    assert_eq!(s.get("p1#session", "s1").await.unwrap().unwrap().body, json!({"new": true}));
}

pub async fn batch_put(f: Fixture) {
    let s = &f.store;
    let items = (0..60).map(|i| Item::new("p1#bulk", format!("{i:03}"), json!({"i": i}))).collect();
    s.put_batch(items).await.unwrap();
    let mut count = 0;
    let mut cursor = None;
    loop {
        let page = s.query(Query::partition("p1#bulk").limit(50).after(cursor)).await.unwrap();
        count += page.items.len();
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(count, 60);
}

pub async fn scan_by_partition_prefix(f: Fixture) {
    let s = &f.store;
    for (pk, sk) in [("p1#a", "1"), ("p1#a", "2"), ("p1#b", "1"), ("p1#c#x", "1"), ("p10#a", "1"), ("p2#a", "1")] {
        s.put(Item::new(pk, sk, json!({"pk": pk})), Condition::Always).await.unwrap();
    }
    let expires = f.clock.now().timestamp() - 1;
    s.put(Item::new("p1#d", "gone", json!({})).expiring_at(expires), Condition::Always).await.unwrap();
    let mut seen = Vec::new();
    let mut after = None;
    for _ in 0..10 {
        let page = s.scan("p1#", after, 2).await.unwrap();
        assert!(page.items.len() <= 2, "a page holds at most the limit");
        seen.extend(page.items.iter().map(|i| format!("{}/{}", i.pk, i.sk)));
        after = page.next;
        if after.is_none() {
            break;
        }
    }
    seen.sort();
    assert_eq!(seen, ["p1#a/1", "p1#a/2", "p1#b/1", "p1#c#x/1"], "every live item of the prefix, once");
}
