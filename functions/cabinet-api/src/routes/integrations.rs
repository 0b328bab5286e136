//! The messenger integrations («Синхронизации»): list, save (enabling checks the credentials
//! with the platform and registers the webhook), check the connection again, remove. Only
//! the administrator and the settings access; secrets come back masked.

use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use beseda_domain::integrations::{self, Change, ChannelSet, Kind, View};
use beseda_domain::{App, Error};
use beseda_http::Path;
use beseda_http::error::{ApiError, ErrorBody};
use beseda_http::{ApiResult, Json, ProjectMember, can};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

/// The platforms' clients, which the process puts into the request extensions
/// (`cabinet_api::with_channels`).
pub struct Channels(pub(crate) Arc<dyn ChannelSet>);

impl<S: Send + Sync> FromRequestParts<S> for Channels {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let set = parts.extensions.get::<Arc<dyn ChannelSet>>().cloned().ok_or_else(|| {
            Error::conflict("channels_unavailable", "Подключение мессенджеров на этом сервере не настроено")
        })?;
        Ok(Channels(set))
    }
}

#[derive(Serialize, ToSchema)]
pub struct Integrations {
    integrations: Vec<View>,
}

#[derive(Deserialize)]
pub struct KindPath {
    kind: String,
}

fn kind(path: &KindPath) -> Result<Kind, Error> {
    Kind::parse(&path.kind).ok_or(Error::NotFound("integration"))
}

/// Telegram, VK and Viber, set up or not, with their status.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/integrations", tag = "integrations", params(("pid" = String, Path)), responses(
    (status = 200, body = Integrations), (status = 403, body = ErrorBody),
))]
pub async fn list(
    State(app): State<App>,
    who: ProjectMember<can::ManageIntegrations>,
) -> ApiResult<Json<Integrations>> {
    Ok(Json(Integrations { integrations: integrations::list(&app, &who.project_id).await? }))
}

/// Saves an integration (`telegram`, `vk`, `viber`). A secret field omitted or empty keeps
/// its stored value. Enabling checks the credentials with the platform and registers the
/// webhook; a refusal answers 422 `connect_failed` and is kept as the status's last error.
#[utoipa::path(put, path = "/api/v1/projects/{pid}/integrations/{kind}", tag = "integrations", params(("pid" = String, Path), ("kind" = String, Path)), request_body = Change, responses(
    (status = 200, body = View), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn put(
    State(app): State<App>,
    who: ProjectMember<can::ManageIntegrations>,
    Path(path): Path<KindPath>,
    channels: Channels,
    Json(change): Json<Change>,
) -> ApiResult<Json<View>> {
    Ok(Json(integrations::save(&app, channels.0.as_ref(), &who.project_id, kind(&path)?, change).await?))
}

/// Removes an integration; its webhook is unregistered where the platform allows it.
#[utoipa::path(delete, path = "/api/v1/projects/{pid}/integrations/{kind}", tag = "integrations", params(("pid" = String, Path), ("kind" = String, Path)), responses(
    (status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
pub async fn delete(
    State(app): State<App>,
    who: ProjectMember<can::ManageIntegrations>,
    Path(path): Path<KindPath>,
    channels: Channels,
) -> ApiResult<StatusCode> {
    integrations::delete(&app, channels.0.as_ref(), &who.project_id, kind(&path)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks the connection again (re-registers the webhook); the status tells how it went.
#[utoipa::path(post, path = "/api/v1/projects/{pid}/integrations/{kind}/check", tag = "integrations", params(("pid" = String, Path), ("kind" = String, Path)), responses(
    (status = 200, body = View), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
pub async fn check(
    State(app): State<App>,
    who: ProjectMember<can::ManageIntegrations>,
    Path(path): Path<KindPath>,
    channels: Channels,
) -> ApiResult<Json<View>> {
    Ok(Json(integrations::check(&app, channels.0.as_ref(), &who.project_id, kind(&path)?).await?))
}
