//! The team's Telegram bot (PRODUCT.md §4): the project's bot (its token set by those who manage
//! the integrations, checked with Telegram, returned masked), and each member's own Telegram
//! (a one-time start link, the groups that come there, unlinking).

use super::integrations::Channels;
use axum::extract::State;
use axum::http::StatusCode;
use beseda_domain::notify::Groups;
use beseda_domain::teambot::{self, BotView, MyTelegram, StartLink};
use beseda_domain::{App, Error};
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, Json, ProjectMember, can};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct BotEnvelope {
    /// None when the project has no team bot.
    bot: Option<BotView>,
}

/// The project's team bot, its token masked.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/teambot", tag = "teambot", params(("pid" = String, Path)), responses(
    (status = 200, body = BotEnvelope), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
))]
pub async fn get(State(app): State<App>, who: ProjectMember<can::ManageIntegrations>) -> ApiResult<Json<BotEnvelope>> {
    Ok(Json(BotEnvelope { bot: teambot::get(&app, &who.project_id).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct BotToken {
    /// The token from @BotFather.
    token: String,
}

/// Connects the team bot: the token is checked with Telegram (422 on `token` when refused) and
/// the bot's webhook set.
#[utoipa::path(put, path = "/api/v1/projects/{pid}/teambot", tag = "teambot", params(("pid" = String, Path)), request_body = BotToken, responses(
    (status = 200, body = BotEnvelope), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn put(
    State(app): State<App>,
    who: ProjectMember<can::ManageIntegrations>,
    channels: Channels,
    Json(req): Json<BotToken>,
) -> ApiResult<Json<BotEnvelope>> {
    let api = channels.bot()?;
    Ok(Json(BotEnvelope { bot: Some(teambot::connect(&app, api, &who.project_id, &req.token).await?) }))
}

/// Disconnects the team bot.
#[utoipa::path(delete, path = "/api/v1/projects/{pid}/teambot", tag = "teambot", params(("pid" = String, Path)), responses(
    (status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
))]
pub async fn delete(
    State(app): State<App>,
    who: ProjectMember<can::ManageIntegrations>,
    channels: Channels,
) -> ApiResult<StatusCode> {
    teambot::disconnect(&app, channels.bot()?, &who.project_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's own Telegram in the project: the bot, whether it is linked, the groups.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/me/telegram", tag = "teambot", params(("pid" = String, Path)), responses(
    (status = 200, body = MyTelegram), (status = 403, body = ErrorBody),
))]
pub async fn mine(State(app): State<App>, who: ProjectMember<can::ViewProject>) -> ApiResult<Json<MyTelegram>> {
    Ok(Json(teambot::mine(&app, &who.project_id, &who.user.id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct TelegramGroups {
    groups: Groups,
}

/// Which notification groups also come to the caller's Telegram (404 when it is not linked).
#[utoipa::path(patch, path = "/api/v1/projects/{pid}/me/telegram", tag = "teambot", params(("pid" = String, Path)), request_body = TelegramGroups, responses(
    (status = 200, body = MyTelegram), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
pub async fn set_groups(
    State(app): State<App>,
    who: ProjectMember<can::ViewProject>,
    Json(req): Json<TelegramGroups>,
) -> ApiResult<Json<MyTelegram>> {
    Ok(Json(teambot::set_groups(&app, &who.project_id, &who.user.id, req.groups).await?))
}

/// Unlinks the caller's Telegram.
#[utoipa::path(delete, path = "/api/v1/projects/{pid}/me/telegram", tag = "teambot", params(("pid" = String, Path)), responses(
    (status = 204), (status = 403, body = ErrorBody),
))]
pub async fn unlink(State(app): State<App>, who: ProjectMember<can::ViewProject>) -> ApiResult<StatusCode> {
    teambot::unlink(&app, &who.project_id, &who.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A one-time link (`https://t.me/<bot>?start=<code>`, 15 minutes) that links the caller's
/// Telegram when opened; 409 `teambot_missing` when the project has no bot.
#[utoipa::path(post, path = "/api/v1/projects/{pid}/me/telegram/link", tag = "teambot", params(("pid" = String, Path)), responses(
    (status = 200, body = StartLink), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
))]
pub async fn start_link(State(app): State<App>, who: ProjectMember<can::ViewProject>) -> ApiResult<Json<StartLink>> {
    Ok(Json(teambot::start_link(&app, &who.project_id, &who.user.id).await?))
}

impl Channels {
    fn bot(&self) -> Result<&dyn teambot::BotApi, Error> {
        self.0
            .bot()
            .ok_or_else(|| Error::conflict("channels_unavailable", "Подключение Telegram на этом сервере не настроено"))
    }
}
