//! The website widget's settings (PRODUCT.md §8) and its lead catchers (§9).

use axum::extract::State;
use beseda_domain::App;
use beseda_domain::dialogs;
use beseda_domain::widget::Settings;
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, Json, ProjectMember, can};

#[utoipa::path(get, path = "/api/v1/projects/{pid}/widget-settings", tag = "widget", params(("pid" = String, Path)), responses(
    (status = 200, body = Settings), (status = 403, body = ErrorBody),
))]
pub async fn get(State(app): State<App>, who: ProjectMember<can::EditSettings>) -> ApiResult<Json<Settings>> {
    Ok(Json(dialogs::settings(&app, &who.project_id).await?.0))
}

/// Replaces the whole settings object; every limit of §8 is checked (422 names the field).
#[utoipa::path(put, path = "/api/v1/projects/{pid}/widget-settings", tag = "widget", params(("pid" = String, Path)), request_body = Settings, responses(
    (status = 200, body = Settings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn put(
    State(app): State<App>,
    who: ProjectMember<can::EditSettings>,
    Json(settings): Json<Settings>,
) -> ApiResult<Json<Settings>> {
    Ok(Json(dialogs::save_settings(&app, &who.project_id, settings).await?))
}
