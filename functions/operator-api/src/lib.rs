//! The operator API (PRODUCT.md §10): the Dialogs folders, a dialog with its messages,
//! replies, sending a failed messenger delivery again, typing, closing and reopening, the
//! online toggle, and operators' schedules.
//! Reading needs «Аналитика», «Оператор» or the administrator; answering needs «Оператор».

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use beseda_domain::access::{Action, allows};
use beseda_domain::dialogs::{self, Dialog, Folder, Message, Operator, Presence, Status};
use beseda_domain::widget::Hours;
use beseda_domain::{App, Error};
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, Json, ProjectMember, can};
use beseda_http::{Path, Query};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes and their OpenAPI document.
pub fn routes() -> (Router<App>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(open))
        .routes(routes!(reply, older))
        .routes(routes!(send_again))
        .routes(routes!(typing))
        .routes(routes!(close))
        .routes(routes!(reopen))
        .routes(routes!(get_presence, set_presence))
        .routes(routes!(operators))
        .routes(routes!(set_schedule))
        .split_for_parts()
}

pub fn router(app: App) -> Router {
    routes().0.with_state(app)
}

#[derive(Deserialize, IntoParams)]
struct FolderQuery {
    folder: Folder,
    /// The `next` of the page before.
    cursor: Option<String>,
    /// Dialogs per page, 1–200 (50 unless given).
    limit: Option<usize>,
}

#[derive(Serialize, ToSchema)]
struct Dialogs {
    dialogs: Vec<Dialog>,
    /// Where the next page starts; absent on the last page.
    next: Option<String>,
}

/// Мои (mine and unassigned), Общие (colleagues'), Архив (closed); newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/dialogs", tag = "dialogs", params(("pid" = String, Path), FolderQuery), responses(
    (status = 200, body = Dialogs), (status = 403, body = ErrorBody),
))]
async fn list(
    State(app): State<App>,
    who: ProjectMember<can::ViewDialogs>,
    Query(q): Query<FolderQuery>,
) -> ApiResult<Json<Dialogs>> {
    let limit = q.limit.unwrap_or(dialogs::operator::PAGE);
    let (dialogs, next) =
        dialogs::list_page(&app, &who.project_id, &who.user.id, q.folder, q.cursor.as_deref(), limit).await?;
    Ok(Json(Dialogs { dialogs, next }))
}

#[derive(Deserialize)]
struct DialogPath {
    did: String,
}

#[derive(Serialize, ToSchema)]
struct DialogView {
    dialog: Dialog,
    /// The newest messages, oldest first.
    messages: Vec<Message>,
    /// Ask `/messages?before=<older>` for the messages before these; absent when there are none.
    older: Option<String>,
    /// The messages of the customer's earlier dialogs, oldest first; each names its dialog, so
    /// the cabinet draws a "new dialog" divider where `dialog_id` changes.
    history: Vec<Message>,
}

/// A dialog and its messages, after the customer's earlier dialogs; an operator opening it
/// reads the customer's messages.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/dialogs/{did}", tag = "dialogs", params(("pid" = String, Path), ("did" = String, Path)), responses(
    (status = 200, body = DialogView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn open(
    State(app): State<App>,
    who: ProjectMember<can::ViewDialogs>,
    Path(path): Path<DialogPath>,
) -> ApiResult<Json<DialogView>> {
    let (dialog, messages, older) =
        dialogs::open_for_operator(&app, &who.project_id, &path.did, &who.membership).await?;
    let history = dialogs::history(&app, &who.project_id, &dialog).await?;
    Ok(Json(DialogView { dialog, messages, older, history }))
}

#[derive(Deserialize, IntoParams)]
struct OlderQuery {
    /// The oldest message the cabinet has (the `older` it was given).
    before: String,
}

#[derive(Serialize, ToSchema)]
struct OlderMessages {
    /// Oldest first.
    messages: Vec<Message>,
    /// Where the page before these starts; absent when these are the first.
    older: Option<String>,
}

/// The messages of a dialog before one, a page at a time (a long dialog scrolls back).
#[utoipa::path(get, path = "/api/v1/projects/{pid}/dialogs/{did}/messages", tag = "dialogs", params(("pid" = String, Path), ("did" = String, Path), OlderQuery), responses(
    (status = 200, body = OlderMessages), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn older(
    State(app): State<App>,
    who: ProjectMember<can::ViewDialogs>,
    Path(path): Path<DialogPath>,
    Query(q): Query<OlderQuery>,
) -> ApiResult<Json<OlderMessages>> {
    let (messages, older) = dialogs::older_messages(&app, &who.project_id, &path.did, &q.before).await?;
    Ok(Json(OlderMessages { messages, older }))
}

#[derive(Deserialize, ToSchema)]
struct Reply {
    text: String,
    client_id: String,
}

#[derive(Serialize, ToSchema)]
struct Replied {
    message: Message,
    dialog: Dialog,
}

/// Answers the customer; an unassigned dialog becomes the operator's. A messenger reply is
/// stored `queued` and delivered through the `deliveries` queue.
#[utoipa::path(post, path = "/api/v1/projects/{pid}/dialogs/{did}/messages", tag = "dialogs", params(("pid" = String, Path), ("did" = String, Path)), request_body = Reply, responses(
    (status = 201, body = Replied), (status = 403, body = ErrorBody), (status = 409, description = "dialog_closed", body = ErrorBody), (status = 422, body = ErrorBody),
))]
async fn reply(
    State(app): State<App>,
    who: ProjectMember<can::AnswerDialogs>,
    Path(path): Path<DialogPath>,
    Json(req): Json<Reply>,
) -> ApiResult<(StatusCode, Json<Replied>)> {
    let (message, dialog) =
        dialogs::reply(&app, &who.project_id, &path.did, &who.user, &req.text, &req.client_id).await?;
    Ok((StatusCode::CREATED, Json(Replied { message, dialog })))
}

#[derive(Deserialize)]
struct MessagePath {
    did: String,
    mid: String,
}

#[derive(Serialize, ToSchema)]
struct MessageEnvelope {
    message: Message,
}

/// Sends an operator's messenger reply whose delivery failed once more (it is queued again).
#[utoipa::path(post, path = "/api/v1/projects/{pid}/dialogs/{did}/messages/{mid}/send-again", tag = "dialogs", params(("pid" = String, Path), ("did" = String, Path), ("mid" = String, Path)), responses(
    (status = 202, body = MessageEnvelope), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "not_failed", body = ErrorBody),
))]
async fn send_again(
    State(app): State<App>,
    who: ProjectMember<can::AnswerDialogs>,
    Path(path): Path<MessagePath>,
) -> ApiResult<(StatusCode, Json<MessageEnvelope>)> {
    let message = dialogs::send_again(&app, &who.project_id, &path.did, &path.mid).await?;
    Ok((StatusCode::ACCEPTED, Json(MessageEnvelope { message })))
}

#[utoipa::path(post, path = "/api/v1/projects/{pid}/dialogs/{did}/typing", tag = "dialogs", params(("pid" = String, Path), ("did" = String, Path)), responses((status = 204)))]
async fn typing(
    State(app): State<App>,
    who: ProjectMember<can::AnswerDialogs>,
    Path(path): Path<DialogPath>,
) -> ApiResult<StatusCode> {
    dialogs::operator_typing(&app, &who.project_id, &path.did).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
struct DialogEnvelope {
    dialog: Dialog,
}

#[utoipa::path(post, path = "/api/v1/projects/{pid}/dialogs/{did}/close", tag = "dialogs", params(("pid" = String, Path), ("did" = String, Path)), responses(
    (status = 200, body = DialogEnvelope), (status = 403, body = ErrorBody),
))]
async fn close(
    State(app): State<App>,
    who: ProjectMember<can::AnswerDialogs>,
    Path(path): Path<DialogPath>,
) -> ApiResult<Json<DialogEnvelope>> {
    Ok(Json(DialogEnvelope { dialog: dialogs::set_status(&app, &who.project_id, &path.did, Status::Closed).await? }))
}

#[utoipa::path(post, path = "/api/v1/projects/{pid}/dialogs/{did}/reopen", tag = "dialogs", params(("pid" = String, Path), ("did" = String, Path)), responses(
    (status = 200, body = DialogEnvelope), (status = 403, body = ErrorBody),
))]
async fn reopen(
    State(app): State<App>,
    who: ProjectMember<can::AnswerDialogs>,
    Path(path): Path<DialogPath>,
) -> ApiResult<Json<DialogEnvelope>> {
    Ok(Json(DialogEnvelope { dialog: dialogs::set_status(&app, &who.project_id, &path.did, Status::Open).await? }))
}

/// The caller's online status in the project.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/presence", tag = "dialogs", params(("pid" = String, Path)), responses(
    (status = 200, body = Presence), (status = 403, body = ErrorBody),
))]
async fn get_presence(State(app): State<App>, who: ProjectMember<can::AnswerDialogs>) -> ApiResult<Json<Presence>> {
    Ok(Json(dialogs::presence(&app, &who.project_id, &who.user.id).await?))
}

#[derive(Deserialize, ToSchema)]
struct PresenceChange {
    online: bool,
}

/// Goes online or offline; it stays until toggled.
#[utoipa::path(put, path = "/api/v1/projects/{pid}/presence", tag = "dialogs", params(("pid" = String, Path)), request_body = PresenceChange, responses(
    (status = 200, body = Presence), (status = 403, body = ErrorBody),
))]
async fn set_presence(
    State(app): State<App>,
    who: ProjectMember<can::AnswerDialogs>,
    Json(req): Json<PresenceChange>,
) -> ApiResult<Json<Presence>> {
    Ok(Json(dialogs::set_presence(&app, &who.project_id, &who.user.id, req.online).await?))
}

#[derive(Serialize, ToSchema)]
struct Operators {
    operators: Vec<Operator>,
}

/// The project's operators, who is online, who has a schedule.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/operators", tag = "dialogs", params(("pid" = String, Path)), responses(
    (status = 200, body = Operators), (status = 403, body = ErrorBody),
))]
async fn operators(State(app): State<App>, who: ProjectMember<can::ViewDialogs>) -> ApiResult<Json<Operators>> {
    Ok(Json(Operators { operators: dialogs::operators(&app, &who.project_id).await? }))
}

#[derive(Deserialize, ToSchema)]
struct ScheduleChange {
    user_ids: Vec<String>,
    /// Hour cells Monday first; null removes the schedule.
    schedule: Option<Hours>,
}

/// Sets the weekly schedule of one or several operators (from the next day): the project's
/// settings access for anyone, an operator for themself.
#[utoipa::path(put, path = "/api/v1/projects/{pid}/operators/schedule", tag = "dialogs", params(("pid" = String, Path)), request_body = ScheduleChange, responses(
    (status = 200, body = Operators), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
async fn set_schedule(
    State(app): State<App>,
    who: ProjectMember<can::ViewProject>,
    Json(req): Json<ScheduleChange>,
) -> ApiResult<Json<Operators>> {
    let own = req.user_ids.iter().all(|u| *u == who.user.id) && allows(&who.membership.accesses, Action::AnswerDialogs);
    if !own && !allows(&who.membership.accesses, Action::EditSettings) {
        return Err(Error::forbidden("forbidden", "Недостаточно прав для этого действия").into());
    }
    dialogs::set_schedule(&app, &who.project_id, &req.user_ids, req.schedule).await?;
    Ok(Json(Operators { operators: dialogs::operators(&app, &who.project_id).await? }))
}
