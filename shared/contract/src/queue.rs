//! Cases for the queue port. They run on real time: the waits are a few seconds in all.

use beseda_ports::queue::{Queue, QueueError, QueueSpec, Received};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The queue every case uses: 1 s visibility, dead-letter after 2 receives.
pub const SPEC: QueueSpec = QueueSpec { name: "contract", max_receives: 2, visibility: Duration::from_secs(1) };

pub struct Fixture {
    /// A queue adapter that knows `SPEC` (and its dead-letter queue), empty.
    pub queue: Arc<dyn Queue>,
}

const NOW: Duration = Duration::ZERO;
const Q: &str = SPEC.name;

async fn receive_all(q: &dyn Queue, want: usize, within: Duration) -> Vec<Received> {
    let deadline = Instant::now() + within;
    let mut got = Vec::new();
    while got.len() < want && Instant::now() < deadline {
        got.extend(q.receive(Q, 10, Duration::from_secs(1)).await.unwrap());
    }
    got
}

pub async fn send_receive_ack(f: Fixture) {
    let q = f.queue.as_ref();
    let id = q.send(Q, "{\"n\":1}", NOW).await.unwrap();
    let got = receive_all(q, 1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].message_id, id);
    assert_eq!(got[0].body, "{\"n\":1}");
    assert_eq!(got[0].receive_count, 1);
    q.ack(Q, &got[0].receipt).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert!(q.receive(Q, 10, NOW).await.unwrap().is_empty(), "an acked message never comes back");
}

pub async fn delayed_send(f: Fixture) {
    let q = f.queue.as_ref();
    let started = Instant::now();
    q.send(Q, "later", Duration::from_secs(2)).await.unwrap();
    assert!(q.receive(Q, 10, NOW).await.unwrap().is_empty(), "a delayed message is hidden");
    let got = receive_all(q, 1, Duration::from_secs(6)).await;
    assert_eq!(got.len(), 1);
    assert!(started.elapsed() >= Duration::from_millis(1500), "seen after {:?}", started.elapsed());
}

pub async fn visibility_timeout_redelivers(f: Fixture) {
    let q = f.queue.as_ref();
    q.send(Q, "again", NOW).await.unwrap();
    let first = receive_all(q, 1, Duration::from_secs(5)).await;
    assert_eq!(first.len(), 1);
    assert!(q.receive(Q, 10, NOW).await.unwrap().is_empty(), "hidden while being handled");
    let second = receive_all(q, 1, Duration::from_secs(5)).await;
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].message_id, first[0].message_id);
    assert_eq!(second[0].receive_count, 2);
    q.ack(Q, &second[0].receipt).await.unwrap();
}

pub async fn retry_after_delay(f: Fixture) {
    let q = f.queue.as_ref();
    q.send(Q, "flaky", NOW).await.unwrap();
    let first = receive_all(q, 1, Duration::from_secs(5)).await;
    q.retry(Q, &first[0].receipt, NOW).await.unwrap();
    let second = receive_all(q, 1, Duration::from_secs(5)).await;
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].receive_count, 2);
    q.ack(Q, &second[0].receipt).await.unwrap();
}

pub async fn dead_letter_after_max_receives_then_replay(f: Fixture) {
    let q = f.queue.as_ref();
    q.send(Q, "poison", NOW).await.unwrap();
    for n in 1..=SPEC.max_receives {
        let got = receive_all(q, 1, Duration::from_secs(5)).await;
        assert_eq!(got.len(), 1, "receive {n}");
        q.retry(Q, &got[0].receipt, NOW).await.unwrap();
    }
    assert!(receive_all(q, 1, Duration::from_secs(2)).await.is_empty(), "past max receives it leaves the queue");
    let mut dead = Vec::new();
    for _ in 0..20 {
        dead = q.dead_letters(Q, 10).await.unwrap();
        if !dead.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(dead, ["poison"]);
    assert_eq!(q.replay_dead_letters(Q).await.unwrap(), 1);
    let back = receive_all(q, 1, Duration::from_secs(5)).await;
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].body, "poison");
    assert_eq!(back[0].receive_count, 1, "a replayed message starts afresh");
    q.ack(Q, &back[0].receipt).await.unwrap();
    assert!(q.dead_letters(Q, 10).await.unwrap().is_empty());
}

pub async fn batch_receive(f: Fixture) {
    let q = f.queue.as_ref();
    for i in 0..5 {
        q.send(Q, &format!("m{i}"), NOW).await.unwrap();
    }
    let got = receive_all(q, 5, Duration::from_secs(5)).await;
    let mut bodies: Vec<_> = got.iter().map(|r| r.body.clone()).collect();
    bodies.sort();
    assert_eq!(bodies, ["m0", "m1", "m2", "m3", "m4"]);
    for r in &got {
        q.ack(Q, &r.receipt).await.unwrap();
    }
}

pub async fn delay_over_fifteen_minutes_is_refused(f: Fixture) {
    let q = f.queue.as_ref();
    assert_eq!(q.send(Q, "x", Duration::from_secs(15 * 60 + 1)).await, Err(QueueError::DelayTooLong));
    assert!(matches!(q.send("no-such-queue", "x", NOW).await, Err(QueueError::UnknownQueue(_))));
}
