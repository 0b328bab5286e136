//! `beseda-load`: drives many concurrent visitors against a running Beseda (the local runner)
//! over the real paths — `POST /widget/v1/.../messages` from each visitor, the operator
//! receiving them over `/ws` — and reports messages per second and the latency from a
//! visitor's send to the operator's receipt (p50/p99); then Telegram updates posted to the
//! webhook route (see `webhooks`). Before the chat it measures the
//! machine's own ceilings in the same sitting (see `ceilings`), and prints the chat's figures
//! as ratios to them. Every loop is bounded in time and it talks only to the URL it is given
//! (loopback) and to its own loopback server.

mod ceilings;
mod webhooks;

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
    /// A phase of load, `VISITORS:RATE` (messages per second in all; 0 sends as fast as the
    /// server answers); phases run one after another with fresh visitors.
    #[arg(long = "phase", default_values_t = [Phase { visitors: 200, rate: 0 }, Phase { visitors: 500, rate: 1000 }])]
    phases: Vec<Phase>,
    /// Seconds of load per phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Skip measuring the machine's ceilings (bare axum JSON POST, durable writes).
    #[arg(long)]
    no_ceilings: bool,
    /// The loopback port the runner was told is Telegram's Bot API (`BESEDA_TELEGRAM_API`):
    /// with it, the webhook scenario runs after the chat.
    #[arg(long)]
    telegram_api_port: Option<u16>,
    /// Concurrent Telegram customers in the webhook scenario.
    #[arg(long, default_value_t = 200)]
    webhook_senders: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Phase {
    visitors: usize,
    rate: u64,
}

impl std::str::FromStr for Phase {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (v, r) = s.split_once(':').ok_or("a phase is VISITORS:RATE")?;
        Ok(Self {
            visitors: v.parse().map_err(|e| format!("visitors: {e}"))?,
            rate: r.parse().map_err(|e| format!("rate: {e}"))?,
        })
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.visitors, self.rate)
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// What one phase measured.
struct Outcome {
    stored_per_sec: f64,
    operator_p99: f64,
    busy: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let base = args.url.trim_end_matches('/').to_owned();
    let login = std::fs::read_to_string(args.data.join("first-login.txt")).context("first-login.txt in --data")?;
    let mut lines = login.lines();
    let (email, password) = (lines.next().unwrap_or_default(), lines.next().unwrap_or_default());
    let most = args.phases.iter().map(|p| p.visitors).max().unwrap_or(16);
    let http = reqwest::Client::builder().pool_max_idle_per_host(most.max(64)).build()?;

    let ceilings = if args.no_ceilings { None } else { Some(ceilings::measure(&http, &args.data).await?) };
    if let Some(c) = &ceilings {
        println!("machine ceilings (same sitting)");
        println!("bare axum JSON POST {:>8.0} req/s  ({} connections)", c.bare_post, ceilings::CONNECTIONS);
        println!("durable 4 KiB write {:>8.0} fsync/s", c.fsyncs);
    }

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
    let ticket: Value = http
        .post(format!("{base}/api/v1/projects/{project}/realtime-ticket"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let ticket = ticket["ticket"].as_str().context("ticket")?;
    let ws_url = format!("{}/ws?ticket={ticket}", base.replacen("http", "ws", 1));
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
                if let Some(start) = lock(&sent_at).remove(&marker) {
                    lock(&received).push(start.elapsed().as_secs_f64() * 1000.0);
                }
            }
        })
    };

    let mut outcomes = Vec::new();
    for (n, phase) in args.phases.iter().enumerate() {
        let run = Run { http: &http, base: &base, project, seconds: args.seconds, tag: n };
        outcomes.push((*phase, run.phase(*phase, &sent_at, &received).await?));
    }
    receiver.abort();
    let webhook = match args.telegram_api_port {
        Some(port) => {
            Some(webhooks::run(&http, &base, project, &token, port, args.webhook_senders, args.seconds).await?)
        }
        None => None,
    };

    if let Some(c) = ceilings {
        println!(
            "against the ceilings (targets: ingest ≥ 25 % of bare POST and ≥ 4× fsync; p99 ≤ 20 ms at 1 000 msg/s; no busy)"
        );
        for (phase, o) in outcomes {
            println!(
                "{:>4} visitors at {:>9}: {:>6.0} msg/s = {:>5.1} % of bare POST, {:>5.1}× fsync; p99 to operator {:>6.1} ms; busy {}",
                phase.visitors,
                if phase.rate == 0 { "max".to_owned() } else { format!("{} msg/s", phase.rate) },
                o.stored_per_sec,
                100.0 * o.stored_per_sec / c.bare_post,
                o.stored_per_sec / c.fsyncs,
                o.operator_p99,
                o.busy
            );
        }
        if let Some(w) = webhook {
            println!(
                "telegram webhook: {:>6.0} updates/s = {:>5.1} % of bare POST, {:>5.1}× fsync; p50 {:.1} ms, p99 {:.1} ms",
                w.per_sec,
                100.0 * w.per_sec / c.bare_post,
                w.per_sec / c.fsyncs,
                w.p50,
                w.p99
            );
        }
    }
    Ok(())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One phase's setting.
struct Run<'a> {
    http: &'a reqwest::Client,
    base: &'a str,
    project: &'a str,
    seconds: u64,
    /// Tells this phase's markers from the others'.
    tag: usize,
}

impl Run<'_> {
    async fn phase(
        &self,
        phase: Phase,
        sent_at: &Arc<Mutex<HashMap<String, Instant>>>,
        received: &Arc<Mutex<Vec<f64>>>,
    ) -> anyhow::Result<Outcome> {
        let (base, project) = (self.base, self.project);
        let origin = base.to_owned();
        let mut tokens = Vec::with_capacity(phase.visitors);
        for _ in 0..phase.visitors {
            let v: Value = self
                .http
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
        lock(received).clear();

        let deadline = Instant::now() + Duration::from_secs(self.seconds);
        let per_visitor = (phase.rate > 0).then(|| Duration::from_secs_f64(phase.visitors as f64 / phase.rate as f64));
        let acks: Arc<Mutex<Vec<f64>>> = Arc::default();
        let errors: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let started = Instant::now();
        let mut tasks = Vec::new();
        for (i, token) in tokens.into_iter().enumerate() {
            let (http, base, origin, project) =
                (self.http.clone(), base.to_owned(), origin.clone(), project.to_owned());
            let (sent_at, acks, errors, tag) = (sent_at.clone(), acks.clone(), errors.clone(), self.tag);
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
                    let marker = format!("p{tag}v{i}m{seq}");
                    let body = json!({ "text": format!("Сообщение нагрузки {marker}"), "client_id": marker });
                    let start = Instant::now();
                    lock(&sent_at).insert(marker.clone(), start);
                    let res = http
                        .post(format!("{base}/widget/v1/projects/{project}/messages"))
                        .header("origin", &origin)
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await;
                    let failure = match res {
                        Ok(r) if r.status().as_u16() == 201 => {
                            lock(&acks).push(start.elapsed().as_secs_f64() * 1000.0);
                            None
                        }
                        Ok(r) => {
                            let status = r.status().as_u16();
                            let body: Value = r.json().await.unwrap_or_default();
                            Some(format!("{status} {}", body["error"]["code"].as_str().unwrap_or_default()))
                        }
                        Err(_) => Some("no answer".to_owned()),
                    };
                    if let Some(f) = failure {
                        lock(&sent_at).remove(&marker);
                        *lock(&errors).entry(f).or_default() += 1;
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

        let mut acks = lock(&acks).clone();
        let mut received = lock(received).clone();
        acks.sort_by(f64::total_cmp);
        received.sort_by(f64::total_cmp);
        let lost = {
            let mut pending = lock(sent_at);
            let n = pending.len();
            pending.clear();
            n
        };
        println!(
            "visitors {}  target {}  duration {:.1} s",
            phase.visitors,
            if phase.rate == 0 { "max".into() } else { format!("{} msg/s", phase.rate) },
            elapsed
        );
        println!("stored (201)        {:>8}  = {:.0} msg/s", acks.len(), acks.len() as f64 / elapsed);
        println!(
            "send → stored       p50 {:>6.1} ms   p99 {:>6.1} ms",
            percentile(&acks, 0.5),
            percentile(&acks, 0.99)
        );
        println!(
            "send → operator     p50 {:>6.1} ms   p99 {:>6.1} ms   ({} received, {} not seen)",
            percentile(&received, 0.5),
            percentile(&received, 0.99),
            received.len(),
            lost
        );
        let errors = lock(&errors).clone();
        if !errors.is_empty() {
            println!("errors              {errors:?}");
        }
        let busy = errors.iter().filter(|(k, _)| k.ends_with(" busy")).map(|(_, n)| n).sum();
        Ok(Outcome { stored_per_sec: acks.len() as f64 / elapsed, operator_p99: percentile(&received, 0.99), busy })
    }
}
