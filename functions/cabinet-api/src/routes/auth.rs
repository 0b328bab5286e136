//! Log-in and log-out (PRODUCT.md §1).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use beseda_domain::App;
use beseda_domain::accounts::{self, Language, Profile};
use beseda_http::auth::{clear_cookie, session_cookie};
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, ClientIp, CurrentUser, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub user: Profile,
    /// The session token, for API clients (`Authorization: Bearer`); browsers use the cookie.
    pub token: String,
}

/// Opens a session: sets the HttpOnly session cookie and returns the user.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = LoginResponse),
    (status = 401, description = "wrong_credentials", body = ErrorBody),
    (status = 429, description = "too_many_attempts: 10 failures in 15 minutes", body = ErrorBody),
))]
pub async fn login(
    State(app): State<App>,
    ClientIp(ip): ClientIp,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Response> {
    let session = accounts::login(&app, &req.email, &req.password, &ip).await?;
    let cookie = session_cookie(&session.token, app.settings.public_url.starts_with("https://"));
    Ok(([(header::SET_COOKIE, cookie)], Json(LoginResponse { user: session.user, token: session.token }))
        .into_response())
}

/// Closes the session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses(
    (status = 204), (status = 401, body = ErrorBody),
))]
pub async fn logout(State(app): State<App>, who: CurrentUser) -> ApiResult<Response> {
    accounts::logout(&app, &who.token).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear_cookie())]).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct ResetRequest {
    pub email: String,
    /// The language of the page asking: the mail is written in it (the account's cabinet
    /// language when absent).
    #[serde(default)]
    pub lang: Option<Language>,
}

/// Mails a one-time link (valid 1 hour) if the account exists; always answers 202 alike.
/// Limited to 5 requests an hour per e-mail and 20 per client IP.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = ResetRequest, responses(
    (status = 202),
    (status = 429, description = "too_many_attempts", body = ErrorBody),
))]
pub async fn request_reset(
    State(app): State<App>,
    ClientIp(ip): ClientIp,
    Json(req): Json<ResetRequest>,
) -> ApiResult<StatusCode> {
    accounts::request_reset(&app, &req.email, &ip, req.lang).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
pub struct ResetConfirm {
    pub token: String,
    pub password: String,
    pub password_again: String,
}

/// Sets the new password from a reset link; the link works once.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = ResetConfirm, responses(
    (status = 204), (status = 422, description = "invalid_reset_link, passwords_differ, password_too_short", body = ErrorBody),
))]
pub async fn confirm_reset(State(app): State<App>, Json(req): Json<ResetConfirm>) -> ApiResult<StatusCode> {
    accounts::confirm_reset(&app, &req.token, &req.password, &req.password_again).await?;
    Ok(StatusCode::NO_CONTENT)
}
