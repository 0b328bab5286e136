//! The project's blacklist (PRODUCT.md §2 «Черный список»).

use axum::extract::State;
use axum::http::StatusCode;
use beseda_domain::App;
use beseda_domain::blacklist::{self, Entry, Kind};
use beseda_http::Path;
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, Json, ProjectMember, can};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Entries {
    entries: Vec<Entry>,
}

#[utoipa::path(get, path = "/api/v1/projects/{pid}/blacklist", tag = "blacklist", params(("pid" = String, Path)), responses(
    (status = 200, body = Entries), (status = 403, body = ErrorBody),
))]
pub async fn list(State(app): State<App>, who: ProjectMember<can::EditSettings>) -> ApiResult<Json<Entries>> {
    let mut entries = blacklist::load(&app, &who.project_id).await?.0;
    entries.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    Ok(Json(Entries { entries }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewEntry {
    kind: Kind,
    value: String,
    #[serde(default)]
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct EntryEnvelope {
    entry: Entry,
}

/// Lists a visitor id, phone, e-mail, IP address or network.
#[utoipa::path(post, path = "/api/v1/projects/{pid}/blacklist", tag = "blacklist", params(("pid" = String, Path)), request_body = NewEntry, responses(
    (status = 201, body = EntryEnvelope), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn add(
    State(app): State<App>,
    who: ProjectMember<can::EditSettings>,
    Json(req): Json<NewEntry>,
) -> ApiResult<(StatusCode, Json<EntryEnvelope>)> {
    let entry = blacklist::add(&app, &who.project_id, req.kind, &req.value, &req.note).await?;
    Ok((StatusCode::CREATED, Json(EntryEnvelope { entry })))
}

#[derive(Deserialize)]
pub struct EntryPath {
    id: String,
}

#[utoipa::path(delete, path = "/api/v1/projects/{pid}/blacklist/{id}", tag = "blacklist", params(("pid" = String, Path), ("id" = String, Path)), responses(
    (status = 204), (status = 404, body = ErrorBody),
))]
pub async fn remove(
    State(app): State<App>,
    who: ProjectMember<can::EditSettings>,
    Path(path): Path<EntryPath>,
) -> ApiResult<StatusCode> {
    blacklist::remove(&app, &who.project_id, &path.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
