//! The ticket that opens the operator's live socket (PRODUCT.md §10): issued over this
//! authenticated API to a member who may read the project's dialogs, good for seconds and one
//! socket, so neither the session cookie nor its token reaches the WebSocket endpoint.

use axum::extract::State;
use beseda_domain::App;
use beseda_domain::realtime;
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, Json, ProjectMember, can};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Ticket {
    /// Opens one socket: `/ws?ticket=<ticket>`.
    ticket: String,
    /// Seconds it is good for.
    expires_in: i64,
}

#[utoipa::path(post, path = "/api/v1/projects/{pid}/realtime-ticket", tag = "realtime", params(("pid" = String, Path)), responses(
    (status = 200, body = Ticket), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
))]
pub async fn ticket(State(app): State<App>, who: ProjectMember<can::ViewDialogs>) -> ApiResult<Json<Ticket>> {
    let ticket = realtime::issue_ticket(&app, &who.project_id, &who.user.id, &who.token).await?;
    Ok(Json(Ticket { ticket, expires_in: realtime::TICKET_SECS }))
}
