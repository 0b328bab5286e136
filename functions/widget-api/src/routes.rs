//! The handlers of the widget API. Each decodes the request, calls the chat domain, and
//! encodes the answer.

use crate::WidgetState;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use beseda_domain::dialogs::{self, Dialog, FormValues, Message, PublicConfig, Visitor, VisitorMessage};
use beseda_domain::ratings::{self, Rater, Rating};
use beseda_domain::{Error, throttle};
use beseda_http::error::ErrorBody;
use beseda_http::{ApiError, ApiResult, ClientIp, Json};
use beseda_http::{Path, Query};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::IpAddr;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize)]
pub struct ProjectPath {
    pid: String,
}

/// The visitor of the `Authorization: Bearer` token, in the project of the path.
pub struct Caller {
    visitor: Visitor,
    project_id: String,
    ip: Option<IpAddr>,
}

impl FromRequestParts<WidgetState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &WidgetState) -> Result<Self, Self::Rejection> {
        let Path(path) =
            Path::<ProjectPath>::from_request_parts(parts, state).await.map_err(|_| ApiError::RouteNotFound)?;
        let token = beseda_http::auth::token(parts).ok_or(Error::Unauthenticated)?;
        let visitor = dialogs::visitor_from_token(&state.app, &path.pid, &token).await?;
        let ClientIp(ip) = ClientIp::from_request_parts(parts, state).await.unwrap_or(ClientIp(String::new()));
        Ok(Caller { visitor, project_id: path.pid, ip: ip.parse().ok() })
    }
}

fn limit(state: &WidgetState, caller: &Caller) -> ApiResult<()> {
    let by_visitor = state.counter.hit(&format!("v#{}", caller.visitor.id), state.limits.per_visitor);
    let by_ip = caller.ip.is_none_or(|ip| state.counter.hit(&format!("ip#{ip}"), state.limits.per_ip));
    if by_visitor && by_ip { Ok(()) } else { Err(ApiError::from(Error::RateLimited { retry_after: 10 })) }
}

/// The widget's settings for this visitor: tabs, hours, whether the chat works now.
#[utoipa::path(get, path = "/widget/v1/projects/{pid}/config", tag = "widget", params(("pid" = String, Path)), responses(
    (status = 200, body = PublicConfig), (status = 403, description = "origin_not_allowed", body = ErrorBody), (status = 404, body = ErrorBody),
))]
pub async fn config(
    State(state): State<WidgetState>,
    Path(path): Path<ProjectPath>,
    ClientIp(ip): ClientIp,
) -> ApiResult<Json<PublicConfig>> {
    Ok(Json(dialogs::public_config(&state.app, &path.pid, ip.parse().ok()).await?))
}

#[derive(Serialize, ToSchema)]
pub struct NewVisitor {
    visitor_id: String,
    /// Kept in the visitor's browser; sent as `Authorization: Bearer`.
    token: String,
}

/// A new anonymous visitor. New visitors are limited per IP address and per project per
/// minute (429 with `Retry-After`).
#[utoipa::path(post, path = "/widget/v1/projects/{pid}/visitors", tag = "widget", params(("pid" = String, Path)), responses(
    (status = 201, body = NewVisitor), (status = 429, body = ErrorBody),
))]
pub async fn new_visitor(
    State(state): State<WidgetState>,
    Path(path): Path<ProjectPath>,
    ClientIp(ip): ClientIp,
) -> ApiResult<(StatusCode, Json<NewVisitor>)> {
    if !state.counter.hit(&format!("ip#{ip}"), state.limits.per_ip) {
        return Err(Error::RateLimited { retry_after: 10 }.into());
    }
    let per_minute = |max| throttle::Rate { max, window_secs: 60 };
    let (per_ip, per_project) = (state.limits.new_visitors_per_ip, state.limits.new_visitors_per_project);
    throttle::count(&state.app, &format!("new-visitor#ip#{ip}"), per_minute(per_ip)).await?;
    throttle::count(&state.app, &format!("new-visitor#project#{}", path.pid), per_minute(per_project)).await?;
    let (visitor_id, token) = dialogs::create_visitor(&state.app, &path.pid).await?;
    Ok((StatusCode::CREATED, Json(NewVisitor { visitor_id, token })))
}

#[derive(Serialize, ToSchema)]
pub struct DialogView {
    dialog: Option<Dialog>,
    messages: Vec<Message>,
}

/// The visitor's current dialog and its messages.
#[utoipa::path(get, path = "/widget/v1/projects/{pid}/dialog", tag = "widget", params(("pid" = String, Path)), responses(
    (status = 200, body = DialogView), (status = 401, body = ErrorBody),
))]
pub async fn dialog(State(state): State<WidgetState>, caller: Caller) -> ApiResult<Json<DialogView>> {
    Ok(Json(match dialogs::visitor_view(&state.app, &caller.project_id, &caller.visitor).await? {
        Some((dialog, messages)) => DialogView { dialog: Some(dialog), messages },
        None => DialogView { dialog: None, messages: vec![] },
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct Send {
    text: String,
    /// A random id per message: a retry with the same id makes no second message.
    client_id: String,
    page_url: Option<String>,
    hook_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Sent {
    message: Message,
    dialog: Dialog,
}

/// The visitor writes; a dialog starts if there is none.
#[utoipa::path(post, path = "/widget/v1/projects/{pid}/messages", tag = "widget", params(("pid" = String, Path)), request_body = Send, responses(
    (status = 201, body = Sent),
    (status = 403, description = "blacklisted, chat_closed", body = ErrorBody),
    (status = 409, description = "contact_required", body = ErrorBody),
    (status = 422, description = "message_too_long, empty_message", body = ErrorBody),
    (status = 429, body = ErrorBody),
))]
pub async fn send(
    State(state): State<WidgetState>,
    caller: Caller,
    Json(req): Json<Send>,
) -> ApiResult<(StatusCode, Json<Sent>)> {
    limit(&state, &caller)?;
    let input = VisitorMessage {
        text: req.text,
        client_id: req.client_id,
        page_url: req.page_url,
        hook_id: req.hook_id,
        ip: caller.ip,
    };
    let (message, dialog) = dialogs::send_from_visitor(&state.app, &caller.project_id, &caller.visitor, input).await?;
    Ok((StatusCode::CREATED, Json(Sent { message, dialog })))
}

#[derive(Deserialize, IntoParams)]
pub struct After {
    /// The id of the last message the widget has.
    after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Messages {
    messages: Vec<Message>,
}

/// Messages after one: the widget's fallback when its WebSocket cannot connect.
#[utoipa::path(get, path = "/widget/v1/projects/{pid}/messages", tag = "widget", params(("pid" = String, Path), After), responses(
    (status = 200, body = Messages), (status = 401, body = ErrorBody),
))]
pub async fn messages_after(
    State(state): State<WidgetState>,
    caller: Caller,
    Query(q): Query<After>,
) -> ApiResult<Json<Messages>> {
    let Some(dialog_id) = &caller.visitor.dialog_id else { return Ok(Json(Messages { messages: vec![] })) };
    let messages = dialogs::messages(&state.app, &caller.project_id, dialog_id, q.after.as_deref()).await?;
    Ok(Json(Messages { messages }))
}

#[derive(Deserialize, ToSchema)]
pub struct Contact {
    values: BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
pub struct DialogEnvelope {
    dialog: Dialog,
}

/// The visitor fills the contact request.
#[utoipa::path(post, path = "/widget/v1/projects/{pid}/contact", tag = "widget", params(("pid" = String, Path)), request_body = Contact, responses(
    (status = 200, body = DialogEnvelope), (status = 422, body = ErrorBody),
))]
pub async fn contact(
    State(state): State<WidgetState>,
    caller: Caller,
    Json(req): Json<Contact>,
) -> ApiResult<Json<DialogEnvelope>> {
    limit(&state, &caller)?;
    Ok(Json(DialogEnvelope {
        dialog: dialogs::set_contact(&state.app, &caller.project_id, &caller.visitor, req.values).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct Rate {
    /// The visitor's dialog being rated.
    dialog_id: String,
    /// 1 to 5.
    score: u8,
    /// Up to 1000 characters; blank is none.
    comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Rated {
    rating: Rating,
}

/// The visitor rates a dialog an operator answered (ОКО); the rating may be changed for a day.
#[utoipa::path(post, path = "/widget/v1/projects/{pid}/rating", tag = "widget", params(("pid" = String, Path)), request_body = Rate, responses(
    (status = 200, body = Rated),
    (status = 404, description = "not the visitor's dialog", body = ErrorBody),
    (status = 409, description = "not_answered, rating_final", body = ErrorBody),
    (status = 422, description = "bad_score, comment_too_long", body = ErrorBody),
    (status = 429, body = ErrorBody),
))]
pub async fn rate(State(state): State<WidgetState>, caller: Caller, Json(req): Json<Rate>) -> ApiResult<Json<Rated>> {
    limit(&state, &caller)?;
    let rater = Rater::Visitor { visitor_id: caller.visitor.id.clone() };
    let rating =
        ratings::rate(&state.app, &caller.project_id, &req.dialog_id, &rater, req.score, req.comment.as_deref())
            .await?;
    Ok(Json(Rated { rating }))
}

/// The visitor is typing.
#[utoipa::path(post, path = "/widget/v1/projects/{pid}/typing", tag = "widget", params(("pid" = String, Path)), responses((status = 204)))]
pub async fn typing(State(state): State<WidgetState>, caller: Caller) -> ApiResult<StatusCode> {
    limit(&state, &caller)?;
    dialogs::visitor_typing(&state.app, &caller.project_id, &caller.visitor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The visitor has seen the operators' messages.
#[utoipa::path(post, path = "/widget/v1/projects/{pid}/read", tag = "widget", params(("pid" = String, Path)), responses((status = 204)))]
pub async fn read(State(state): State<WidgetState>, caller: Caller) -> ApiResult<StatusCode> {
    dialogs::visitor_read(&state.app, &caller.project_id, &caller.visitor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct RequestForm {
    /// A random id per submission: a retry records one lead.
    request_id: String,
    values: FormValues,
}

#[derive(Serialize, ToSchema)]
pub struct LeadCreated {
    lead_id: String,
}

/// A request form submission (the Заявка tab); it goes to the lead journal.
#[utoipa::path(post, path = "/widget/v1/projects/{pid}/requests", tag = "widget", params(("pid" = String, Path)), request_body = RequestForm, responses(
    (status = 201, body = LeadCreated), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn request(
    State(state): State<WidgetState>,
    caller: Caller,
    Json(req): Json<RequestForm>,
) -> ApiResult<(StatusCode, Json<LeadCreated>)> {
    limit(&state, &caller)?;
    let lead_id = dialogs::submit_form(
        &state.app,
        &caller.project_id,
        &caller.visitor.id,
        &req.request_id,
        req.values,
        caller.ip,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(LeadCreated { lead_id })))
}

#[derive(Deserialize, ToSchema)]
pub struct Callback {
    request_id: String,
    phone: String,
    name: Option<String>,
    /// A callback operator group's name.
    group: Option<String>,
}

/// A callback request (the Обратный звонок tab); it goes to the lead journal.
#[utoipa::path(post, path = "/widget/v1/projects/{pid}/callbacks", tag = "widget", params(("pid" = String, Path)), request_body = Callback, responses(
    (status = 201, body = LeadCreated), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn callback(
    State(state): State<WidgetState>,
    caller: Caller,
    Json(req): Json<Callback>,
) -> ApiResult<(StatusCode, Json<LeadCreated>)> {
    limit(&state, &caller)?;
    let lead_id = dialogs::submit_callback(
        &state.app,
        &caller.project_id,
        &caller.visitor.id,
        &req.request_id,
        &req.phone,
        req.name,
        req.group,
        caller.ip,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(LeadCreated { lead_id })))
}

#[derive(Deserialize)]
pub struct OperatorPath {
    pid: String,
    uid: String,
}

/// The photo of the operator answering the visitor (the dialog's `assignee`); 404 for anyone
/// who is not an operator of the project or has no photo.
#[utoipa::path(get, path = "/widget/v1/projects/{pid}/operators/{uid}/avatar", tag = "widget",
    params(("pid" = String, Path), ("uid" = String, Path)),
    responses((status = 200, content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"))), (status = 404, body = ErrorBody)),
)]
pub async fn operator_avatar(
    State(state): State<WidgetState>,
    Path(path): Path<OperatorPath>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let blob = beseda_domain::projects::operator_avatar(&state.app, &path.pid, &path.uid).await?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, blob.content_type),
        (axum::http::header::CACHE_CONTROL, "public, max-age=300".to_owned()),
    ];
    Ok((headers, blob.bytes).into_response())
}
