//! The webhook scenario: a Telegram bot connected to the project (its Bot API is a loopback
//! server of this tool, at the port the runner was given as `BESEDA_TELEGRAM_API`, which keeps
//! the `secret_token` of `setWebhook`), then customers' updates posted to the webhook route as
//! fast as they are answered, each stored durably before its 200 — the chat's inbound path,
//! reported as updates per second and p50/p99 beside the bare JSON POST of the same sitting.

use crate::{lock, percentile};
use anyhow::{Context, bail};
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The Bot API methods Beseda calls, answered as Telegram does; `setWebhook`'s secret kept.
async fn bot_api(
    State(secret): State<Arc<Mutex<Option<String>>>>,
    Path(method): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Json<Value> {
    let (_, method) = method;
    match method.as_str() {
        "getMe" => Json(
            json!({ "ok": true, "result": { "id": 7000000001_i64, "is_bot": true, "first_name": "Нагрузка", "username": "load_test_bot" } }),
        ),
        "setWebhook" => {
            let params: Value = serde_json::from_slice(&body).unwrap_or_default();
            *lock(&secret) = params["secret_token"].as_str().map(str::to_owned);
            Json(json!({ "ok": true, "result": true, "description": "Webhook was set" }))
        }
        _ => Json(
            json!({ "ok": true, "result": { "message_id": 1, "date": 1795948900, "chat": { "id": 1, "type": "private" } } }),
        ),
    }
}

/// What the scenario measured.
pub struct Outcome {
    pub per_sec: f64,
    pub p50: f64,
    pub p99: f64,
}

/// Runs the scenario for `seconds` with `senders` concurrent customers.
pub async fn run(
    http: &reqwest::Client,
    base: &str,
    project: &str,
    token: &str,
    bot_api_port: u16,
    senders: usize,
    seconds: u64,
) -> anyhow::Result<Outcome> {
    let secret: Arc<Mutex<Option<String>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", bot_api_port))
        .await
        .context("the Bot API port given to the runner as BESEDA_TELEGRAM_API")?;
    let app = axum::Router::new().route("/{bot}/{method}", axum::routing::post(bot_api)).with_state(secret.clone());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let settings =
        json!({ "enabled": true, "settings": { "token": "7000000001:AAE-load", "username": "load_test_bot" } });
    let res = http
        .put(format!("{base}/api/v1/projects/{project}/integrations/telegram"))
        .bearer_auth(token)
        .json(&settings)
        .send()
        .await?;
    if !res.status().is_success() {
        bail!("connecting the Telegram bot failed: {}", res.text().await?);
    }
    let view: Value = res.json().await?;
    let hook = view["webhook_url"].as_str().context("the webhook URL")?.to_owned();
    let secret = lock(&secret).clone().context("setWebhook carried a secret_token")?;

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let acks: Arc<Mutex<Vec<f64>>> = Arc::default();
    let failures: Arc<Mutex<usize>> = Arc::default();
    let tasks: Vec<_> = (0..senders)
        .map(|s| {
            let (http, hook, secret, acks, failures) =
                (http.clone(), hook.clone(), secret.clone(), acks.clone(), failures.clone());
            tokio::spawn(async move {
                let chat = 500_000_000 + s as i64;
                let mut n = 0i64;
                while Instant::now() < deadline {
                    n += 1;
                    let update = json!({
                        "update_id": (s as i64) * 10_000_000 + n,
                        "message": {
                            "message_id": n, "date": 1795948900,
                            "from": { "id": chat, "is_bot": false, "first_name": "Клиент", "language_code": "ru" },
                            "chat": { "id": chat, "first_name": "Клиент", "type": "private" },
                            "text": format!("Сообщение нагрузки {s}-{n}"),
                        },
                    });
                    let start = Instant::now();
                    let res =
                        http.post(&hook).header("x-telegram-bot-api-secret-token", &secret).json(&update).send().await;
                    match res {
                        Ok(r) if r.status().is_success() => lock(&acks).push(start.elapsed().as_secs_f64() * 1000.0),
                        _ => *lock(&failures) += 1,
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    server.abort();
    let mut acks = lock(&acks).clone();
    acks.sort_by(f64::total_cmp);
    let outcome =
        Outcome { per_sec: acks.len() as f64 / elapsed, p50: percentile(&acks, 0.5), p99: percentile(&acks, 0.99) };
    println!("telegram webhook, {senders} customers, {elapsed:.1} s");
    println!(
        "stored (200)        {:>8}  = {:.0} updates/s   p50 {:>6.1} ms   p99 {:>6.1} ms   failed {}",
        acks.len(),
        outcome.per_sec,
        outcome.p50,
        outcome.p99,
        lock(&failures)
    );
    Ok(outcome)
}
