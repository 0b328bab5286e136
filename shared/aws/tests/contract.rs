//! The contract suites on the AWS adapters, against `moto_server` on loopback. The table,
//! queue, blob and key tests share one server, each under its own unique table, queue prefix,
//! bucket or KMS key; each mail test has a server of its own, since sent mail is global to a server.

use beseda_aws::testing::Moto;
use beseda_aws::{AwsAtomic, DynamoTable, KmsKeyWrap, S3Blobs, SesMailer, SqsQueue};
use beseda_contract::{
    atomic, atomic_contract, blobs, blobs_contract, keys, keys_contract, mail, mail_contract, queue, queue_contract,
    table, table_contract,
};
use beseda_ports::queue::Queue;
use beseda_ports::{Atomic, Clock, Condition, FixedClock, Item, Outgoing, TableStore, Write};
use chrono::TimeZone;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

fn unique() -> String {
    format!("t{}", uuid::Uuid::new_v4().simple())
}

async fn fresh_table() -> table::Fixture {
    let client = aws_sdk_dynamodb::Client::new(&Moto::shared().sdk_config());
    let name = unique();
    DynamoTable::create_table(&client, &name).await.unwrap();
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()));
    let store: Arc<dyn Clock> = clock.clone();
    table::Fixture { store: Arc::new(DynamoTable::new(client, name, store)), clock }
}

async fn fresh_queue() -> queue::Fixture {
    let client = aws_sdk_sqs::Client::new(&Moto::shared().sdk_config());
    let urls = SqsQueue::create_queues(&client, &[queue::SPEC], &format!("{}-", unique())).await.unwrap();
    queue::Fixture { queue: Arc::new(SqsQueue::new(client, urls)) }
}

async fn fresh_atomic() -> atomic::Fixture {
    let config = Moto::shared().sdk_config();
    let dynamo = aws_sdk_dynamodb::Client::new(&config);
    let name = unique();
    DynamoTable::create_table(&dynamo, &name).await.unwrap();
    let table = Arc::new(DynamoTable::new(dynamo, name, Arc::new(beseda_ports::SystemClock)));
    let sqs = aws_sdk_sqs::Client::new(&config);
    let urls = SqsQueue::create_queues(&sqs, &[queue::SPEC], &format!("{}-", unique())).await.unwrap();
    let queue = Arc::new(SqsQueue::new(sqs, urls));
    atomic::Fixture { atomic: Arc::new(AwsAtomic::new(table.clone(), queue.clone())), table, queue }
}

/// A queue whose sends fail while `down` is set, over a real one.
struct Flaky {
    queue: Arc<SqsQueue>,
    down: std::sync::atomic::AtomicBool,
}

#[async_trait::async_trait]
impl Queue for Flaky {
    async fn send(&self, queue: &str, body: &str, delay: Duration) -> Result<String, beseda_ports::QueueError> {
        if self.down.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(beseda_ports::QueueError::Backend("the queue is unreachable".into()));
        }
        self.queue.send(queue, body, delay).await
    }
    async fn receive(
        &self,
        queue: &str,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<beseda_ports::Received>, beseda_ports::QueueError> {
        self.queue.receive(queue, max, wait).await
    }
    async fn ack(&self, queue: &str, receipt: &str) -> Result<(), beseda_ports::QueueError> {
        self.queue.ack(queue, receipt).await
    }
    async fn retry(&self, queue: &str, receipt: &str, delay: Duration) -> Result<(), beseda_ports::QueueError> {
        self.queue.retry(queue, receipt, delay).await
    }
    async fn dead_letters(&self, queue: &str, max: usize) -> Result<Vec<String>, beseda_ports::QueueError> {
        self.queue.dead_letters(queue, max).await
    }
    async fn replay_dead_letters(&self, queue: &str) -> Result<usize, beseda_ports::QueueError> {
        self.queue.replay_dead_letters(queue).await
    }
}

/// A message whose send fails after its commit is kept and sent by `redeliver`, once: a lost
/// timer is re-armed, never dropped.
#[tokio::test]
async fn a_send_lost_after_the_commit_is_redelivered_once() {
    let config = Moto::shared().sdk_config();
    let dynamo = aws_sdk_dynamodb::Client::new(&config);
    let name = unique();
    DynamoTable::create_table(&dynamo, &name).await.unwrap();
    let table = Arc::new(DynamoTable::new(dynamo, name, Arc::new(beseda_ports::SystemClock)));
    let sqs = aws_sdk_sqs::Client::new(&config);
    let urls = SqsQueue::create_queues(&sqs, &[queue::SPEC], &format!("{}-", unique())).await.unwrap();
    let flaky = Arc::new(Flaky { queue: Arc::new(SqsQueue::new(sqs, urls)), down: true.into() });
    let atomic = AwsAtomic::with_queue(table.clone(), flaky.clone(), |q| q == queue::SPEC.name);
    let item = Write::Put { item: Item::new("p", "a", serde_json::json!({})), condition: Condition::Always };
    atomic.commit(vec![item], vec![Outgoing::new(queue::SPEC.name, "timer", Duration::ZERO)]).await.unwrap();
    assert!(table.get("p", "a").await.unwrap().is_some(), "the commit stands");
    assert!(flaky.receive(queue::SPEC.name, 10, Duration::from_secs(1)).await.unwrap().is_empty(), "nothing was sent");
    assert_eq!(atomic.redeliver(Duration::ZERO).await.unwrap(), 0, "still unreachable: kept for the next tick");
    flaky.down.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(atomic.redeliver(Duration::from_secs(60)).await.unwrap(), 0, "a fresh send may still be under way");
    assert_eq!(atomic.redeliver(Duration::ZERO).await.unwrap(), 1);
    assert_eq!(atomic.redeliver(Duration::ZERO).await.unwrap(), 0, "sent once");
    let got = flaky.receive(queue::SPEC.name, 10, Duration::from_secs(2)).await.unwrap();
    assert_eq!(got.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(), ["timer"]);
}

/// A mail read back from moto's record of raw SES mail.
fn sent_from(raw: &str) -> mail::Sent {
    let parsed = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("moto holds a parsable mail");
    mail::Sent {
        to: parsed
            .to()
            .map(|a| a.iter().filter_map(|addr| addr.address().map(str::to_owned)).collect())
            .unwrap_or_default(),
        subject: parsed.subject().unwrap_or_default().to_owned(),
        text: parsed.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
    }
}

async fn fresh_mail() -> mail::Fixture {
    let moto = Arc::new(Moto::start());
    let client = aws_sdk_sesv2::Client::new(&moto.sdk_config());
    client.create_email_identity().email_identity("noreply@beseda.example").send().await.unwrap();
    mail::Fixture {
        mailer: Arc::new(SesMailer::new(client)),
        sent: Box::new(move || {
            let url = format!("{}/moto-api/data.json", moto.endpoint());
            Box::pin(async move {
                let data: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
                data["ses"]["RawMessage"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|m| sent_from(m["raw_data"].as_str().unwrap_or_default()))
                    .collect()
            })
        }),
    }
}

async fn fresh_blobs() -> blobs::Fixture {
    let client = S3Blobs::client(&Moto::shared().sdk_config());
    let bucket = unique();
    S3Blobs::create_bucket(&client, &bucket).await.unwrap();
    blobs::Fixture { blobs: Arc::new(S3Blobs::new(client, bucket)) }
}

/// A port under a new KMS key, and one under another key.
async fn fresh_keys() -> keys::Fixture {
    let client = aws_sdk_kms::Client::new(&Moto::shared().sdk_config());
    let (one, two) = (KmsKeyWrap::create_key(&client).await.unwrap(), KmsKeyWrap::create_key(&client).await.unwrap());
    keys::Fixture {
        keys: Arc::new(KmsKeyWrap::new(client.clone(), one)),
        other: Arc::new(KmsKeyWrap::new(client, two)),
    }
}

table_contract!(crate::fresh_table);
queue_contract!(crate::fresh_queue);
atomic_contract!(crate::fresh_atomic);
mail_contract!(crate::fresh_mail);
blobs_contract!(crate::fresh_blobs);
keys_contract!(crate::fresh_keys);

/// An adapter that knows only the queue's URL finds the dead-letter queue from its redrive
/// policy, as one built by `SqsQueue::from_env` does.
#[tokio::test]
async fn dead_letter_queue_is_found_from_the_redrive_policy() {
    let client = aws_sdk_sqs::Client::new(&Moto::shared().sdk_config());
    let urls = SqsQueue::create_queues(&client, &[queue::SPEC], &format!("{}-", unique())).await.unwrap();
    let created = &urls[queue::SPEC.name];
    client.send_message().queue_url(&created.dead_letter_url).message_body("dead").send().await.unwrap();
    let q = SqsQueue::from_urls(client, HashMap::from([(queue::SPEC.name.to_owned(), created.url.clone())]));
    assert_eq!(q.dead_letters(queue::SPEC.name, 10).await.unwrap(), ["dead"]);
    assert_eq!(SqsQueue::url_variable("crm-push"), "QUEUE_URL_CRM_PUSH", "the variable from_env reads");
}

/// The atomic port of a function built without the SQS client refuses a commit with messages
/// before writing anything, and commits items alone.
#[tokio::test]
async fn without_queues_a_commit_with_messages_writes_nothing() {
    let dynamo = aws_sdk_dynamodb::Client::new(&Moto::shared().sdk_config());
    let name = unique();
    DynamoTable::create_table(&dynamo, &name).await.unwrap();
    let table = Arc::new(DynamoTable::new(dynamo, name, Arc::new(beseda_ports::SystemClock)));
    let atomic = AwsAtomic::without_queues(table.clone());
    let item = |sk: &str| Write::Put { item: Item::new("p", sk, serde_json::json!({})), condition: Condition::Always };
    let send = Outgoing::new(queue::SPEC.name, "{}", Duration::ZERO);
    let err = atomic.commit(vec![item("a")], vec![send]).await.unwrap_err();
    assert!(err.to_string().contains("unknown queue"), "{err}");
    assert_eq!(table.get("p", "a").await.unwrap(), None, "nothing written");
    atomic.commit(vec![item("b")], vec![]).await.unwrap();
    assert!(table.get("p", "b").await.unwrap().is_some());
}
