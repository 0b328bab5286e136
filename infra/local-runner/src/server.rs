//! Serving: the routers of every function mounted into one axum server, the static widget and
//! cabinet, the demo site, the outbox viewer and `/ws`, with the queue consumers and the
//! schedules running beside them.

use crate::{site, workers, ws};
use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::routing::{any, get};
use axum::serve::ListenerExt;
use beseda_channels::Channels;
use beseda_domain::keyring::{Access, Keyring};
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
    let spa = ServeDir::new(&cabinet)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(cabinet.join("index.html")).precompressed_br().precompressed_gzip());
    let api_404 = || async { ApiError::RouteNotFound };
    let routes = Router::new()
        .merge(cabinet_api::with_channels(cabinet_api::router(local.app.clone()), local.channels.clone()))
        .merge(journal_api::router(local.app.clone()))
        .merge(operator_api::router(local.app.clone()))
        .merge(widget_api::router(local.app.clone(), widget_api::Limits::from_env()))
        .merge(beseda_webhooks::routers(Arc::new(local.app.clone()), local.channels.clone()))
        .merge(beseda_webhooks::teambot::router(local.app.clone(), local.channels.clone()))
        .merge(
            Router::new()
                .route("/ws", get(ws::upgrade))
                .route("/demo", get(site::demo))
                .route("/outbox", get(site::outbox))
                .route("/outbox.json", get(site::outbox_json))
                .with_state(local),
        )
        .nest_service("/widget", ServeDir::new(static_dir.join("widget")).precompressed_br().precompressed_gzip())
        .route("/api/{*rest}", any(api_404))
        .route("/widget/v1/{*rest}", any(api_404))
        .route("/webhooks/{*rest}", any(api_404))
        .fallback_service(spa);
    beseda_http::with_layers(routes)
        .layer(middleware::from_fn(page_policy))
        .layer(middleware::from_fn(peer_addr))
        .layer(middleware::from_fn(static_caching))
}

/// What the pages (the cabinet, `/demo`, the outbox) may load: scripts and connections from
/// this origin only, inline styles (the widget's shadow DOM), images also as data/blob URLs;
/// and no other site may frame them.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
form-action 'self'; frame-ancestors 'none'";

/// Every HTML page gets [`PAGE_CSP`] and `X-Frame-Options: DENY`.
async fn page_policy(req: Request, next: Next) -> axum::response::Response {
    let mut response = next.run(req).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        let h = response.headers_mut();
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

/// How long a browser may keep a static file: a year for the versioned ones (`?v=<hash>`),
/// five minutes for the widget's loader (its URL is in every customer's site), an hour for
/// other files, and the cabinet's page revalidated on every load. None for the API.
fn cache_control(path: &str, query: Option<&str>) -> Option<&'static str> {
    let dynamic = ["/api/", "/widget/v1/", "/webhooks/", "/mp/", "/healthz", "/ws", "/demo", "/outbox"];
    if dynamic.iter().any(|p| path.starts_with(p)) {
        return None;
    }
    let versioned = query.is_some_and(|q| q.split('&').any(|kv| kv.starts_with("v=")));
    let file = path.rsplit('/').next().unwrap_or_default();
    Some(if versioned {
        "public, max-age=31536000, immutable"
    } else if file == "loader.js" {
        "public, max-age=300"
    } else if file.contains('.') && file != "index.html" {
        "public, max-age=3600"
    } else {
        "no-cache"
    })
}

async fn static_caching(req: Request, next: Next) -> axum::response::Response {
    let policy = cache_control(req.uri().path(), req.uri().query());
    let mut response = next.run(req).await;
    if let Some(policy) = policy
        && response.status().is_success()
        && !response.headers().contains_key(header::CACHE_CONTROL)
    {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// The runner is the edge: the peer is the socket's (a proxy in front of it is believed only
/// when listed in `TRUSTED_PROXIES`, see `beseda_http::client_ip`).
async fn peer_addr(mut req: Request, next: Next) -> axum::response::Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        req.extensions_mut().insert(beseda_http::PeerAddr(peer.ip()));
    }
    next.run(req).await
}

pub async fn run(data: PathBuf, embedded: Embedded, options: Options) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind((options.host.as_str(), options.port)).await?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    let settings = Settings {
        public_url: std::env::var("PUBLIC_URL").unwrap_or_else(|_| base.clone()),
        secrets: Some(keyring(&data)?),
        ..Settings::from_env()
    };
    let app = App { ports: embedded.ports.clone(), settings };
    if let Err(e) = beseda_domain::keyring::preload(&app).await {
        tracing::warn!(error = %e, "the data key of integration secrets could not be unwrapped at start");
    }
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
    let note = data.join("first-login.txt");
    if let Some((email, password)) = first {
        beseda_embedded::private::write(&note, format!("{email}\n{password}\n").as_bytes())?;
        println!("  First login: {email} / {password}  (also in {}; change it after logging in)", note.display());
    }
    if let Ok(text) = std::fs::read_to_string(&note)
        && let [email, password, ..] = text.lines().collect::<Vec<_>>()[..]
    {
        tokio::spawn(forget_changed_password(app.clone(), note, email.to_owned(), password.to_owned()));
    }
    if !options.static_dir.join("cabinet/index.html").exists() {
        println!(
            "  Note: {} has no built cabinet; run `make run` (or `npm run build` in widget/)",
            options.static_dir.display()
        );
    }

    let router = router(Local { app, embedded, channels }, &options.static_dir);
    // Without TCP_NODELAY a socket's small frames wait for the peer's delayed ACK (up to 40 ms).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY");
        }
    });
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// first-login.txt keeps the generated password only while it works: once the administrator
/// changes it, the note says so instead.
async fn forget_changed_password(app: App, note: PathBuf, email: String, password: String) {
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        if let Ok(false) = accounts::password_is(&app, &email, &password).await {
            let text = format!("{email}\n(the first password was changed; this file no longer holds it)\n");
            if let Err(e) = beseda_embedded::private::write(&note, text.as_bytes()) {
                tracing::warn!(error = %e, "first-login.txt not updated");
            }
            return;
        }
    }
}

/// The runner's keyring: the data key in the table, wrapped under `DATA/secret.key` (the
/// embedded adapters make it on the first start). Versions before envelope encryption sealed
/// secrets directly under `BESEDA_SECRET_KEY` when it was set, else under that file, so the
/// data key also opens what that key sealed.
fn keyring(data: &std::path::Path) -> anyhow::Result<Keyring> {
    let path = data.join("secret.key");
    let previous = match std::env::var("BESEDA_SECRET_KEY").ok().filter(|k| !k.trim().is_empty()) {
        Some(text) => SecretKey::parse(&text).ok_or_else(|| anyhow::anyhow!("BESEDA_SECRET_KEY is not a valid key"))?,
        None => SecretKey::parse(&std::fs::read_to_string(&path)?)
            .ok_or_else(|| anyhow::anyhow!("{} is not a valid key", path.display()))?,
    };
    Ok(Keyring::new(Access::Create).opening_also(previous))
}

#[cfg(test)]
mod tests {
    use super::{SecretKey, Settings, cache_control, keyring};
    use beseda_domain::{App, integrations, keys};
    use beseda_ports::table::{Condition, Item};
    use std::sync::Arc;

    #[tokio::test]
    async fn secrets_sealed_by_a_runner_before_envelope_encryption_still_open() {
        let data = tempfile::tempdir().unwrap();
        // The runner before: a key file, and a Telegram token sealed directly under it.
        let file_key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY";
        std::fs::write(data.path().join("secret.key"), file_key).unwrap();
        let old = SecretKey::parse(file_key).unwrap();
        let embedded =
            beseda_embedded::open(data.path(), beseda_ports::queue::QUEUES, Arc::new(beseda_ports::SystemClock))
                .unwrap();
        let (pk, sk) = keys::integration("p1", "telegram");
        let record = serde_json::json!({
            "id": "i1", "kind": "telegram", "enabled": false, "enabled_at": null, "show_operator_name": false,
            "settings": { "username": "shop_bot" }, "sealed": { "token": old.seal("123456:old-token-xY") },
            "status": { "webhook_registered": false, "last_inbound_at": null, "last_error": null },
        });
        embedded.ports.table.put(Item::new(pk, sk, record), Condition::NotExists).await.unwrap();

        // The upgraded runner on the same folder: the file is its master key now.
        let settings = Settings { secrets: Some(keyring(data.path()).unwrap()), ..Settings::from_env() };
        let app = App { ports: embedded.ports, settings };
        let views = integrations::list(&app, "p1").await.unwrap();
        assert_eq!(views[0].settings["token"], "12…xY", "the old secret opens");
        let key = beseda_domain::keyring::secret_key(&app).await.unwrap();
        assert_eq!(old.open(&key.seal("new")), None, "new secrets are sealed under the data key");
        let (pk, sk) = keys::data_key();
        assert!(app.ports.table.get(&pk, &sk).await.unwrap().is_some(), "the data key is stored wrapped");
        assert_eq!(std::fs::read_to_string(data.path().join("secret.key")).unwrap(), file_key, "the file is kept");
    }

    #[test]
    fn versioned_files_are_kept_a_year_the_loader_minutes_the_page_not_at_all() {
        assert_eq!(cache_control("/app.js", Some("v=0123456789")), Some("public, max-age=31536000, immutable"));
        assert_eq!(cache_control("/widget/widget.js", Some("v=abc")), Some("public, max-age=31536000, immutable"));
        assert_eq!(cache_control("/widget/loader.js", None), Some("public, max-age=300"));
        assert_eq!(cache_control("/favicon.svg", None), Some("public, max-age=3600"));
        assert_eq!(cache_control("/", None), Some("no-cache"));
        assert_eq!(cache_control("/dialogs/123", None), Some("no-cache"));
        assert_eq!(cache_control("/api/v1/me", Some("v=1")), None);
        assert_eq!(cache_control("/widget/v1/projects/p/config", None), None);
        assert_eq!(cache_control("/healthz", None), None);
    }
}
