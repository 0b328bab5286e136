//! The machine's own ceilings, measured in the same sitting as the chat so that the chat's
//! figures read as ratios to them: a bare axum server on loopback answering a JSON POST the
//! size of a visitor's message (what any Rust web service on this machine could do at best,
//! driven by the same HTTP client as the chat), and how many 4 KiB writes per second the disk
//! makes durable one by one (append + fdatasync, like `dd oflag=dsync`): a store that commits
//! every message alone cannot exceed it.

use anyhow::Context;
use axum::Json;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Concurrent connections driving the bare server.
pub const CONNECTIONS: usize = 64;
/// How long each ceiling is measured.
const SPAN: Duration = Duration::from_secs(3);

pub struct Ceilings {
    /// Answered JSON POSTs per second.
    pub bare_post: f64,
    /// Durable 4 KiB writes per second.
    pub fsyncs: f64,
}

pub async fn measure(http: &reqwest::Client, data: &std::path::Path) -> anyhow::Result<Ceilings> {
    let bare_post = bare_post(http).await?;
    let dir = data.to_owned();
    let fsyncs = tokio::task::spawn_blocking(move || durable_writes(&dir)).await??;
    Ok(Ceilings { bare_post, fsyncs })
}

/// What the bare server does with a message: parse it and echo it back as stored.
async fn accept(Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(json!({ "message": { "text": body["text"], "client_id": body["client_id"] } })))
}

async fn bare_post(http: &reqwest::Client) -> anyhow::Result<f64> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/messages", listener.local_addr()?);
    let server =
        tokio::spawn(async move { axum::serve(listener, axum::Router::new().route("/messages", post(accept))).await });
    let answered = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + SPAN;
    let started = Instant::now();
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|i| {
            let (http, url, answered) = (http.clone(), url.clone(), answered.clone());
            tokio::spawn(async move {
                let mut seq = 0u64;
                while Instant::now() < deadline {
                    seq += 1;
                    let marker = format!("c{i}m{seq}");
                    let body = json!({ "text": format!("Сообщение нагрузки {marker}"), "client_id": marker });
                    if let Ok(r) = http.post(&url).json(&body).send().await
                        && r.status() == StatusCode::CREATED
                        && r.bytes().await.is_ok()
                    {
                        answered.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for c in clients {
        c.await?;
    }
    let rate = answered.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    server.abort();
    Ok(rate)
}

fn durable_writes(dir: &std::path::Path) -> anyhow::Result<f64> {
    let path = dir.join("fsync-probe.bin");
    let mut file = std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    let block = [0x5au8; 4096];
    let mut writes = 0u64;
    let started = Instant::now();
    while started.elapsed() < SPAN {
        file.write_all(&block)?;
        file.sync_data()?;
        writes += 1;
    }
    let rate = writes as f64 / started.elapsed().as_secs_f64();
    drop(file);
    std::fs::remove_file(&path)?;
    Ok(rate)
}
