//! One's own account (PRODUCT.md §1): the profile, the password, the avatar, time zones.

use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use beseda_domain::App;
use beseda_domain::accounts::{self, ProfileChanges};
use beseda_http::error::ErrorBody;
use beseda_http::{ApiError, ApiResult, CurrentUser, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::me::Me;

/// Changes the profile; the e-mail never changes.
#[utoipa::path(patch, path = "/api/v1/me", tag = "account", request_body = ProfileChanges, responses(
    (status = 200, body = Me), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn update_me(
    State(app): State<App>,
    who: CurrentUser,
    Json(changes): Json<ProfileChanges>,
) -> ApiResult<Json<Me>> {
    Ok(Json(Me { user: accounts::update_profile(&app, &who.user.id, changes).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    pub old_password: String,
    pub new_password: String,
    pub new_password_again: String,
}

/// Changes the password; the user's other sessions are closed.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "account", request_body = PasswordChange, responses(
    (status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn change_password(
    State(app): State<App>,
    who: CurrentUser,
    Json(req): Json<PasswordChange>,
) -> ApiResult<StatusCode> {
    accounts::change_password(
        &app,
        &who.user.id,
        &who.token,
        &req.old_password,
        &req.new_password,
        &req.new_password_again,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets the avatar: the raw JPG, PNG or WebP file as the body, at most 2 MiB (told by content);
/// it is decoded and stored re-encoded, at most 512 px a side, as PNG or JPEG.
#[utoipa::path(put, path = "/api/v1/me/avatar", tag = "account", request_body(content = Vec<u8>, content_type = "image/png"), responses(
    (status = 200, body = Me), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn put_avatar(State(app): State<App>, who: CurrentUser, body: Body) -> ApiResult<Json<Me>> {
    // Its own limit: larger than the JSON routes' 256 KiB.
    let bytes = axum::body::to_bytes(body, accounts::AVATAR_MAX).await.map_err(|_| ApiError::TooLarge)?;
    Ok(Json(Me { user: accounts::set_avatar(&app, &who.user.id, bytes).await? }))
}

#[utoipa::path(get, path = "/api/v1/me/avatar", tag = "account", responses(
    (status = 200, content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"))), (status = 404, body = ErrorBody),
))]
pub async fn get_avatar(State(app): State<App>, who: CurrentUser) -> ApiResult<Response> {
    let blob = accounts::avatar(&app, &who.user.id).await?;
    Ok(([(header::CONTENT_TYPE, blob.content_type), (header::CACHE_CONTROL, "private, no-cache".into())], blob.bytes)
        .into_response())
}

#[utoipa::path(delete, path = "/api/v1/me/avatar", tag = "account", responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn delete_avatar(State(app): State<App>, who: CurrentUser) -> ApiResult<StatusCode> {
    accounts::delete_avatar(&app, &who.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Timezones {
    timezones: Vec<&'static str>,
}

/// The IANA time zones to choose from.
#[utoipa::path(get, path = "/api/v1/timezones", tag = "account", responses((status = 200, body = Timezones)))]
pub async fn timezones() -> Json<Timezones> {
    let mut list: Vec<&'static str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|n| n.contains('/') && !n.starts_with("Etc/"))
        .collect();
    list.sort_unstable();
    Json(Timezones { timezones: list })
}
