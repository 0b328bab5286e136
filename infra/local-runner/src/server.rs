//! Serving: the routers of every function mounted into one axum server, the static widget and
//! cabinet, the demo site, the outbox viewer and `/ws`, with the queue consumers and the
//! schedules running beside them.

use crate::{site, workers, ws};
use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::routing::{any, get};
use beseda_channels::Channels;
use beseda_domain::secrets::SecretKey;
use beseda_domain::{App, Settings, accounts};
use beseda_embedded::Embedded;
use beseda_http::ApiError;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};

#[derive(clap::Parser, Clone)]
pub struct Options {
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,
    #[arg(long, env = "BESEDA_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// The built widget and cabinet (`npm run build` in widget/).
    #[arg(long, env = "BESEDA_STATIC", default_value = "widget/dist")]
    pub static_dir: PathBuf,
}

/// What the local-only routes share.
#[derive(Clone)]
pub struct Local {
    pub app: App,
    pub embedded: Arc<Embedded>,
    /// The messengers, at the API hosts of `BESEDA_TELEGRAM_API`, `BESEDA_VK_API`, `BESEDA_VIBER_API`.
    pub channels: Arc<Channels>,
}

pub fn router(local: Local, static_dir: &std::path::Path) -> Router {
    let cabinet = static_dir.join("cabinet");
    let spa = ServeDir::new(&cabinet).fallback(ServeFile::new(cabinet.join("index.html")));
    let api_404 = || async { ApiError::RouteNotFound };
    let routes = Router::new()
        .merge(cabinet_api::with_channels(cabinet_api::router(local.app.clone()), local.channels.clone()))
        .merge(journal_api::router(local.app.clone()))
        .merge(operator_api::router(local.app.clone()))
        .merge(widget_api::router(local.app.clone(), widget_api::Limits::from_env()))
        .merge(beseda_webhooks::routers(Arc::new(local.app.clone()), local.channels.clone()))
        .merge(
            Router::new()
                .route("/ws", get(ws::upgrade))
                .route("/demo", get(site::demo))
                .route("/outbox", get(site::outbox))
                .route("/outbox.json", get(site::outbox_json))
                .with_state(local),
        )
        .nest_service("/widget", ServeDir::new(static_dir.join("widget")))
        .route("/api/{*rest}", any(api_404))
        .route("/widget/v1/{*rest}", any(api_404))
        .route("/webhooks/{*rest}", any(api_404))
        .fallback_service(spa);
    beseda_http::with_layers(routes).layer(middleware::from_fn(forwarded_for))
}

/// The runner is the edge: the client address is the socket's, whatever a client claims.
async fn forwarded_for(mut req: Request, next: Next) -> axum::response::Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied()
        && let Ok(v) = HeaderValue::from_str(&peer.ip().to_string())
    {
        req.headers_mut().insert("x-forwarded-for", v);
    }
    next.run(req).await
}

pub async fn run(data: PathBuf, embedded: Embedded, options: Options) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind((options.host.as_str(), options.port)).await?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    let mut settings =
        Settings { public_url: std::env::var("PUBLIC_URL").unwrap_or_else(|_| base.clone()), ..Settings::from_env() };
    if settings.secret_key.is_none() {
        settings.secret_key = Some(secret_key(&data)?);
    }
    let app = App { ports: embedded.ports.clone(), settings };
    let first = accounts::ensure_first_admin(&app).await?;
    if first.is_some() {
        site::create_demo_project(&app).await?;
    }
    let embedded = Arc::new(embedded);
    let channels = Arc::new(Channels::from_env());
    workers::spawn(app.clone(), embedded.clone(), channels.clone());

    println!("Беседа is running on the embedded adapters; data in {}", data.display());
    println!("  Cabinet:    {base}/");
    println!("  Demo site:  {base}/demo");
    println!("  Widget:     {base}/widget/loader.js");
    println!("  API docs:   {base}/api/openapi.json");
    println!("  Outbox:     {base}/outbox");
    println!("  Health:     {base}/healthz");
    if let Some((email, password)) = first {
        let note = data.join("first-login.txt");
        std::fs::write(&note, format!("{email}\n{password}\n"))?;
        restrict(&note)?;
        println!("  First login: {email} / {password}  (also in {}; change it after logging in)", note.display());
    }
    if !options.static_dir.join("cabinet/index.html").exists() {
        println!(
            "  Note: {} has no built cabinet; run `make run` (or `npm run build` in widget/)",
            options.static_dir.display()
        );
    }

    let router = router(Local { app, embedded, channels }, &options.static_dir);
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// The key that encrypts integration secrets when `BESEDA_SECRET_KEY` is not set: generated
/// into `DATA/secret.key` (0600) on the first start and read from there after.
fn secret_key(data: &std::path::Path) -> anyhow::Result<SecretKey> {
    let path = data.join("secret.key");
    if !path.exists() {
        std::fs::write(&path, SecretKey::generate())?;
        restrict(&path)?;
    }
    let text = std::fs::read_to_string(&path)?;
    SecretKey::parse(&text).ok_or_else(|| anyhow::anyhow!("{} is not a valid key", path.display()))
}

#[cfg(unix)]
fn restrict(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict(_: &std::path::Path) -> std::io::Result<()> {
    Ok(())
}
