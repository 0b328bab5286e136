//! The queue consumers and the schedules, in process: each queue is drained by a loop that
//! hands every message to the same handler the Lambda consumer calls, acks it on success and
//! retries it with backoff on failure, or after the delay the handler asks for (a messenger's
//! `retry_after`); the queue dead-letters it after its `max_receives`;
//! the scheduled jobs tick every minute, and expired items are swept (DynamoDB's TTL in AWS).

use beseda_channels::Channels;
use beseda_domain::{App, Result, backoff, dialogs, notify};
use beseda_embedded::Embedded;
use beseda_ports::QueueSpec;
use beseda_ports::queue::{DELIVERIES, MAX_DELAY, NOTIFICATIONS, TIMERS};
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

/// A queue message's handler: `Ok(Some(delay))` asks for it to be tried again after `delay`.
type Handler = Arc<dyn Fn(App, String, String) -> BoxFuture<'static, Result<Option<Duration>>> + Send + Sync>;

pub fn spawn(app: App, embedded: Arc<Embedded>, channels: Arc<Channels>) {
    let bots = channels.clone();
    let mail: Handler = Arc::new(move |app, id, body| {
        let bots = bots.clone();
        Box::pin(async move { notify::deliver_with_bot(&app, Some(bots.telegram()), &id, &body).await.map(|()| None) })
    });
    let fire: Handler =
        Arc::new(|app, _, body| Box::pin(async move { dialogs::fire(&app, &body).await.map(|_| None) }));
    let send: Handler = Arc::new(move |app, _, body| {
        let channels = channels.clone();
        Box::pin(async move { outbound_delivery::deliver(&app, channels.as_ref(), &body).await })
    });
    tokio::spawn(consume(app.clone(), NOTIFICATIONS, mail));
    tokio::spawn(consume(app.clone(), TIMERS, fire));
    tokio::spawn(consume(app.clone(), DELIVERIES, send));
    tokio::spawn(every(Duration::from_secs(60), move || {
        let app = app.clone();
        async move {
            if let Err(e) = scheduler::tick(&app).await {
                tracing::warn!(error = %e, "scheduled jobs failed");
            }
        }
    }));
    tokio::spawn(every(Duration::from_secs(60), move || {
        let table = embedded.table.clone();
        async move {
            match table.sweep_expired().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(swept = n, "expired items deleted"),
                Err(e) => tracing::warn!(error = %e, "sweeping expired items failed"),
            }
        }
    }));
}

async fn consume(app: App, spec: QueueSpec, handler: Handler) {
    let queue = app.ports.queue.clone();
    loop {
        let batch = match queue.receive(spec.name, 10, Duration::from_secs(2)).await {
            Ok(batch) => batch,
            Err(e) => {
                tracing::error!(queue = spec.name, error = %e, "receive failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        for msg in batch {
            let outcome = handler(app.clone(), msg.message_id.clone(), msg.body).await;
            let settled = match outcome {
                Ok(None) => queue.ack(spec.name, &msg.receipt).await,
                Ok(Some(later)) => {
                    let delay = later.max(backoff::retry_delay(msg.receive_count)).min(MAX_DELAY);
                    tracing::info!(
                        queue = spec.name,
                        message_id = msg.message_id,
                        ?delay,
                        "message put back to try later"
                    );
                    queue.retry(spec.name, &msg.receipt, delay).await
                }
                Err(e) => {
                    let delay = backoff::retry_delay(msg.receive_count);
                    tracing::warn!(queue = spec.name, message_id = msg.message_id, error = %e, ?delay, "message failed; retrying");
                    queue.retry(spec.name, &msg.receipt, delay).await
                }
            };
            if let Err(e) = settled {
                tracing::error!(queue = spec.name, error = %e, "settling a message failed");
            }
        }
    }
}

async fn every<F, Fut>(period: Duration, job: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        job().await;
    }
}
