//! The messenger webhook path, written once for every channel: the integration named by the
//! URL is resolved (404 when there is none), the request is verified by its channel (401, and
//! nothing is stored), parsed (400 with a code), its events are stored through the [`Inbox`]
//! (a storage failure answers 503 so the platform retries), and only then is the platform
//! answered with what its channel says (an empty 200, or VK's `ok` / confirmation code); a
//! stored button press is acknowledged where the platform wants it (Telegram's
//! `answerCallbackQuery`).

use async_trait::async_trait;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use beseda_channels::{Channels, Credentials, Event, Kind, Reply, WebhookError, WebhookRequest};
use beseda_domain::integrations;
use beseda_http::Path;
use beseda_http::error::{ErrorBody, ErrorDetail};
use std::sync::Arc;

pub mod teambot;

/// How long a webhook waits for the platform to name a customer it did not name
/// ([`beseda_channels::Channel::complete`]) before storing the message without the name.
const NAMING: std::time::Duration = std::time::Duration::from_secs(2);

/// The route of a channel's webhook; `{key}` is the integration id (Telegram, Viber) or the
/// VK community id.
pub fn path(kind: Kind) -> &'static str {
    match kind {
        Kind::Telegram => "/webhooks/telegram/{key}",
        Kind::Vk => "/mp/webhooks/vk/{key}",
        Kind::Viber => "/webhooks/viber/{key}",
    }
}

/// Where a verified webhook's events go.
#[async_trait]
pub trait Inbox: Send + Sync + 'static {
    /// An enabled integration, as the store resolves it.
    type Target: Send + Sync;

    /// The enabled integration a webhook URL's key names; `Ok(None)` when there is none.
    async fn resolve(&self, kind: Kind, key: &str) -> Result<Option<Self::Target>, Unavailable>;

    /// The integration's decrypted credentials, for verifying and parsing.
    fn credentials<'a>(&self, target: &'a Self::Target) -> &'a Credentials;

    /// Stores the events durably (idempotent on each event's id) before returning.
    async fn receive(&self, target: &Self::Target, events: Vec<Event>) -> Result<(), Unavailable>;
}

/// The store could not be reached: the platform should try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable(pub String);

struct Hook<I> {
    inbox: Arc<I>,
    channels: Arc<Channels>,
    kind: Kind,
}

/// The webhook route of one channel (a Lambda function serves one).
pub fn router<I: Inbox>(kind: Kind, inbox: Arc<I>, channels: Arc<Channels>) -> Router {
    let hook = Arc::new(Hook { inbox, channels, kind });
    Router::new().route(path(kind), post(handle::<I>)).with_state(hook)
}

/// The webhook routes of every channel (the local runner serves them all).
pub fn routers<I: Inbox>(inbox: Arc<I>, channels: Arc<Channels>) -> Router {
    Kind::ALL.into_iter().fold(Router::new(), |all, kind| all.merge(router(kind, inbox.clone(), channels.clone())))
}

async fn handle<I: Inbox>(
    State(hook): State<Arc<Hook<I>>>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let kind = hook.kind;
    let target = match hook.inbox.resolve(kind, &key).await {
        Ok(Some(target)) => target,
        Ok(None) => {
            return refuse(StatusCode::NOT_FOUND, "integration_not_found", "Такой интеграции нет или она выключена");
        }
        Err(Unavailable(e)) => return unavailable(kind, &key, &e),
    };
    let creds = hook.inbox.credentials(&target);
    let channel = hook.channels.get(kind);
    let request = WebhookRequest { headers: &headers, body: &body };
    let parsed = match channel.verify(creds, &request).and_then(|()| channel.parse(creds, &request)) {
        Ok(parsed) => parsed,
        Err(WebhookError::Unauthorized) => {
            tracing::warn!(channel = %kind, key, "webhook refused: not signed by the platform");
            return refuse(StatusCode::UNAUTHORIZED, "bad_signature", "Запрос не подписан платформой");
        }
        Err(WebhookError::Malformed(reason)) => {
            tracing::warn!(channel = %kind, key, reason, "webhook refused: malformed");
            return refuse(
                StatusCode::BAD_REQUEST,
                "malformed_webhook",
                &format!("Тело запроса не подходит: {reason}"),
            );
        }
    };
    let mut parsed = parsed;
    for event in &mut parsed.events {
        if let Event::Message(m) = event {
            let _ = tokio::time::timeout(NAMING, channel.complete(creds, &mut m.user)).await;
        }
    }
    let count = parsed.events.len();
    let presses: Vec<_> =
        parsed.events.iter().filter_map(|e| if let Event::Press(p) = e { Some(p.clone()) } else { None }).collect();
    if count > 0
        && let Err(Unavailable(e)) = hook.inbox.receive(&target, parsed.events).await
    {
        return unavailable(kind, &key, &e);
    }
    for press in &presses {
        match tokio::time::timeout(NAMING, channel.acknowledge(creds, press)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(channel = %kind, key, error = %e, "a button press was not acknowledged"),
            Err(_) => tracing::warn!(channel = %kind, key, "a button press's acknowledgement timed out"),
        }
    }
    tracing::info!(channel = %kind, key, events = count, "webhook stored");
    match parsed.reply {
        Reply::Empty => StatusCode::OK.into_response(),
        Reply::Text(text) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response(),
    }
}

fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    let body = ErrorBody { error: ErrorDetail { code: code.into(), message: message.into(), field: None } };
    (status, axum::Json(body)).into_response()
}

fn unavailable(kind: Kind, key: &str, error: &str) -> Response {
    tracing::error!(channel = %kind, key, error, "webhook not stored; the platform will retry");
    refuse(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Сервис временно недоступен; повторите позже")
}

/// The dialog domain is the inbox: an integration resolved from the store (secrets
/// decrypted), its events stored by `integrations::receive`.
#[async_trait]
impl Inbox for beseda_domain::App {
    type Target = integrations::Resolved;

    async fn resolve(&self, kind: Kind, key: &str) -> Result<Option<Self::Target>, Unavailable> {
        match integrations::resolve(self, kind, key).await {
            Ok(resolved) => Ok(Some(resolved)),
            Err(beseda_domain::Error::NotFound(_)) => Ok(None),
            Err(e) => Err(Unavailable(e.to_string())),
        }
    }

    fn credentials<'a>(&self, target: &'a Self::Target) -> &'a Credentials {
        &target.credentials
    }

    async fn receive(&self, target: &Self::Target, events: Vec<Event>) -> Result<(), Unavailable> {
        integrations::receive(self, target, events).await.map_err(|e| Unavailable(e.to_string()))
    }
}
