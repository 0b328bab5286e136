//! The team bot's webhook (`POST /webhooks/teambot/{id}`, PRODUCT.md §4): the bot named by the
//! URL is resolved (404), the request verified by Telegram's secret header (401, nothing
//! stored), parsed (400), handled once per `update_id` (a storage failure answers 503 so
//! Telegram retries), and only then answered with an empty 200.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use beseda_channels::{Channels, Credentials, Kind, WebhookRequest, telegram};
use beseda_domain::{App, Error, teambot};
use beseda_http::Path;
use std::sync::Arc;

/// The route of the team bot's webhook; `{key}` is the bot's id.
pub const PATH: &str = "/webhooks/teambot/{key}";

struct Hook {
    app: App,
    channels: Arc<Channels>,
}

/// The team bot's webhook route (served by the telegram-webhook function and the local runner).
pub fn router(app: App, channels: Arc<Channels>) -> Router {
    Router::new().route(PATH, post(handle)).with_state(Arc::new(Hook { app, channels }))
}

async fn handle(State(hook): State<Arc<Hook>>, Path(key): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let bot = match teambot::resolve(&hook.app, &key).await {
        Ok(bot) => bot,
        Err(Error::NotFound(_)) => {
            return crate::refuse(StatusCode::NOT_FOUND, "teambot_not_found", "Такого бота команды нет");
        }
        Err(e) => return crate::unavailable(Kind::Telegram, &key, &e.to_string()),
    };
    let creds = Credentials([(telegram::SECRET_TOKEN.to_owned(), bot.secret.clone())].into());
    let request = WebhookRequest { headers: &headers, body: &body };
    if hook.channels.get(Kind::Telegram).verify(&creds, &request).is_err() {
        tracing::warn!(key, "team bot webhook refused: not signed by Telegram");
        return crate::refuse(StatusCode::UNAUTHORIZED, "bad_signature", "Запрос не подписан платформой");
    }
    let update: teambot::Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(e) => {
            let message = format!("Тело запроса не подходит: {e}");
            return crate::refuse(StatusCode::BAD_REQUEST, "malformed_webhook", &message);
        }
    };
    if let Err(e) = teambot::handle(&hook.app, hook.channels.telegram(), &bot, update).await {
        return crate::unavailable(Kind::Telegram, &key, &e.to_string());
    }
    StatusCode::OK.into_response()
}
