//! `beseda-load`: drives many concurrent visitors against a running Beseda (the local runner)
//! over the real paths — `POST /widget/v1/.../messages` from each visitor, the operator
//! receiving them over `/ws` — and reports messages per second and the latency from a
//! visitor's send to the operator's receipt (p50/p99). Every loop is bounded in time and it
//! talks only to the URL it is given (loopback).

use anyhow::{Context, bail};
use clap::Parser;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message as Frame;

#[derive(Parser)]
#[command(about = "Load test of the website chat: visitors write, an operator receives")]
struct Args {
    /// The running Beseda.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    #[arg(long, default_value = "demo")]
    project: String,
    /// The data folder of the runner, to read the first administrator's login from.
    #[arg(long, default_value = "./data")]
    data: std::path::PathBuf,
    /// Concurrent visitors.
    #[arg(long, default_value_t = 500)]
    visitors: usize,
    /// Messages per second in all; 0 sends as fast as the server answers.
    #[arg(long, default_value_t = 0)]
    rate: u64,
    /// Seconds of load.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let base = args.url.trim_end_matches('/').to_owned();
    let login = std::fs::read_to_string(args.data.join("first-login.txt")).context("first-login.txt in --data")?;
    let mut lines = login.lines();
    let (email, password) = (lines.next().unwrap_or_default(), lines.next().unwrap_or_default());
    let http = reqwest::Client::builder().pool_max_idle_per_host(args.visitors.max(16)).build()?;

    // The operator: log in, hold the operator access, go online, follow the project.
    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await?;
    if !res.status().is_success() {
        bail!("log-in failed: {}", res.text().await?);
    }
    let session: Value = res.json().await?;
    let token = session["token"].as_str().context("token")?.to_owned();
    let user_id = session["user"]["id"].as_str().context("user id")?.to_owned();
    let project = &args.project;
    http.patch(format!("{base}/api/v1/projects/{project}/members/{user_id}"))
        .bearer_auth(&token)
        .json(&json!({ "accesses": ["admin", "operator"] }))
        .send()
        .await?
        .error_for_status()?;
    http.put(format!("{base}/api/v1/projects/{project}/presence"))
        .bearer_auth(&token)
        .json(&json!({ "online": true }))
        .send()
        .await?
        .error_for_status()?;
    let ws_url = format!("{}/ws?token={token}", base.replacen("http", "ws", 1));
    let (mut ws, _) = tokio_tungstenite::connect_async(&ws_url).await.context("operator socket")?;
    ws.send(Frame::text(json!({ "action": "subscribe", "project": project }).to_string())).await?;

    let sent_at: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let received: Arc<Mutex<Vec<f64>>> = Arc::default();
    let receiver = {
        let (sent_at, received) = (sent_at.clone(), received.clone());
        tokio::spawn(async move {
            while let Some(Ok(frame)) = ws.next().await {
                let Frame::Text(text) = frame else { continue };
                let Ok(v) = serde_json::from_str::<Value>(&text) else { continue };
                if v["type"] != "message" || v["message"]["from"] != "visitor" {
                    continue;
                }
                let marker = v["message"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .split(' ')
                    .next_back()
                    .unwrap_or_default()
                    .to_owned();
                if let Some(start) = sent_at.lock().unwrap_or_else(|e| e.into_inner()).remove(&marker) {
                    received.lock().unwrap_or_else(|e| e.into_inner()).push(start.elapsed().as_secs_f64() * 1000.0);
                }
            }
        })
    };

    // The visitors.
    let origin = base.clone();
    let mut tokens = Vec::with_capacity(args.visitors);
    for _ in 0..args.visitors {
        let v: Value = http
            .post(format!("{base}/widget/v1/projects/{project}/visitors"))
            .header("origin", &origin)
            .json(&json!({}))
            .send()
            .await?
            .error_for_status()
            .context("creating a visitor (raise WIDGET_LIMIT_IP on the runner)")?
            .json()
            .await?;
        tokens.push(v["token"].as_str().context("visitor token")?.to_owned());
    }

    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let per_visitor =
        if args.rate == 0 { None } else { Some(Duration::from_secs_f64(args.visitors as f64 / args.rate as f64)) };
    let acks: Arc<Mutex<Vec<f64>>> = Arc::default();
    let errors: Arc<Mutex<HashMap<u16, usize>>> = Arc::default();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, token) in tokens.into_iter().enumerate() {
        let (http, base, origin, project) = (http.clone(), base.clone(), origin.clone(), project.clone());
        let (sent_at, acks, errors) = (sent_at.clone(), acks.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut ticks = per_visitor.map(|p| {
                let mut t =
                    tokio::time::interval_at(tokio::time::Instant::now() + p.mul_f64(i as f64 / 1000.0 % 1.0), p);
                t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                t
            });
            let mut seq = 0u64;
            while Instant::now() < deadline {
                if let Some(t) = ticks.as_mut() {
                    t.tick().await;
                }
                seq += 1;
                let marker = format!("v{i}m{seq}");
                let body = json!({ "text": format!("Сообщение нагрузки {marker}"), "client_id": marker });
                let start = Instant::now();
                sent_at.lock().unwrap_or_else(|e| e.into_inner()).insert(marker.clone(), start);
                let res = http
                    .post(format!("{base}/widget/v1/projects/{project}/messages"))
                    .header("origin", &origin)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().as_u16() == 201 => {
                        acks.lock().unwrap_or_else(|e| e.into_inner()).push(start.elapsed().as_secs_f64() * 1000.0)
                    }
                    Ok(r) => {
                        sent_at.lock().unwrap_or_else(|e| e.into_inner()).remove(&marker);
                        *errors.lock().unwrap_or_else(|e| e.into_inner()).entry(r.status().as_u16()).or_default() += 1;
                    }
                    Err(_) => {
                        sent_at.lock().unwrap_or_else(|e| e.into_inner()).remove(&marker);
                        *errors.lock().unwrap_or_else(|e| e.into_inner()).entry(0).or_default() += 1;
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    // Let the last pushes arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    receiver.abort();

    let mut acks = acks.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut received = received.lock().unwrap_or_else(|e| e.into_inner()).clone();
    acks.sort_by(f64::total_cmp);
    received.sort_by(f64::total_cmp);
    let lost = sent_at.lock().unwrap_or_else(|e| e.into_inner()).len();
    println!(
        "visitors {}  target {}  duration {:.1} s",
        args.visitors,
        if args.rate == 0 { "max".into() } else { format!("{} msg/s", args.rate) },
        elapsed
    );
    println!("stored (201)        {:>8}  = {:.0} msg/s", acks.len(), acks.len() as f64 / elapsed);
    println!("send → stored       p50 {:>6.1} ms   p99 {:>6.1} ms", percentile(&acks, 0.5), percentile(&acks, 0.99));
    println!(
        "send → operator     p50 {:>6.1} ms   p99 {:>6.1} ms   ({} received, {} not seen)",
        percentile(&received, 0.5),
        percentile(&received, 0.99),
        received.len(),
        lost
    );
    let errors = errors.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if !errors.is_empty() {
        println!("errors by status    {errors:?}");
    }
    Ok(())
}
