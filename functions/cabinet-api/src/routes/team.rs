//! The team of a project (PRODUCT.md §3) and who receives notifications (§4).

use axum::extract::State;
use axum::http::StatusCode;
use beseda_domain::access::{Access, Action, allows};
use beseda_domain::notify::{self, Groups, NotifySettings};
use beseda_domain::team::{self, Member, NewMember, NotifyEmail};
use beseda_domain::{App, Error};
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, Json, ProjectMember, can};
use beseda_http::{Path, Query};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct MemberFilter {
    /// Searches names, e-mails and phones.
    q: Option<String>,
    access: Option<Access>,
}

#[derive(Serialize, ToSchema)]
pub struct Members {
    members: Vec<Member>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberEnvelope {
    member: Member,
}

/// The team, searchable and filtered by access. Members without «Настройка проекта» see their
/// colleagues' names and accesses but not their e-mails and phones.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/members", tag = "team", params(("pid" = String, Path), MemberFilter), responses(
    (status = 200, body = Members), (status = 403, body = ErrorBody),
))]
pub async fn list(
    State(app): State<App>,
    who: ProjectMember<can::ViewProject>,
    Query(f): Query<MemberFilter>,
) -> ApiResult<Json<Members>> {
    Ok(Json(Members { members: team::list_for(&app, &who.membership, f.q.as_deref(), f.access).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct AddMember {
    email: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    phone: Option<String>,
    accesses: Vec<Access>,
}

/// What the caller learns of an added e-mail: what they sent, the same whether the e-mail
/// had an account (then invited) or not (then an account with a set-password link).
#[derive(Serialize, ToSchema)]
pub struct Added {
    email: String,
    accesses: Vec<Access>,
}

#[derive(Serialize, ToSchema)]
pub struct AddedEnvelope {
    added: Added,
}

/// Adds a member: a new e-mail gets an account, joins, and is mailed its login and a link to set
/// its password; an existing account is invited and joins when it accepts. The answer does not
/// tell the two apart.
#[utoipa::path(post, path = "/api/v1/projects/{pid}/members", tag = "team", params(("pid" = String, Path)), request_body = AddMember, responses(
    (status = 201, body = AddedEnvelope), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn add(
    State(app): State<App>,
    who: ProjectMember<can::EditSettings>,
    Json(req): Json<AddMember>,
) -> ApiResult<(StatusCode, Json<AddedEnvelope>)> {
    let new = NewMember {
        email: req.email,
        first_name: req.first_name,
        last_name: req.last_name,
        phone: req.phone,
        accesses: req.accesses,
    };
    let (raw_email, mut accesses) = (new.email.clone(), new.accesses.clone());
    team::add(&app, &who.project_id, new).await?;
    let email = beseda_domain::accounts::normalize_email(&raw_email)?;
    accesses.sort();
    accesses.dedup();
    Ok((StatusCode::CREATED, Json(AddedEnvelope { added: Added { email, accesses } })))
}

/// `{pid}` is checked by `ProjectMember`; `{uid}` names the member.
#[derive(Deserialize)]
pub struct MemberPath {
    uid: String,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateMember {
    accesses: Option<Vec<Access>>,
    notifications: Option<Groups>,
}

/// Changes a member's accesses (settings only) or notifications (one's own, or anyone's with settings).
#[utoipa::path(patch, path = "/api/v1/projects/{pid}/members/{uid}", tag = "team", params(("pid" = String, Path), ("uid" = String, Path)), request_body = UpdateMember, responses(
    (status = 200, body = MemberEnvelope), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
pub async fn update(
    State(app): State<App>,
    who: ProjectMember<can::ViewProject>,
    Path(path): Path<MemberPath>,
    Json(req): Json<UpdateMember>,
) -> ApiResult<Json<MemberEnvelope>> {
    let may_edit = allows(&who.membership.accesses, Action::EditSettings);
    let own_notifications_only = req.accesses.is_none() && path.uid == who.user.id;
    if !may_edit && !own_notifications_only {
        return Err(Error::forbidden("forbidden", "Недостаточно прав для этого действия").into());
    }
    Ok(Json(MemberEnvelope {
        member: team::update(&app, &who.project_id, &path.uid, req.accesses, req.notifications).await?,
    }))
}

#[utoipa::path(delete, path = "/api/v1/projects/{pid}/members/{uid}", tag = "team", params(("pid" = String, Path), ("uid" = String, Path)), responses(
    (status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
))]
pub async fn remove(
    State(app): State<App>,
    who: ProjectMember<can::EditSettings>,
    Path(path): Path<MemberPath>,
) -> ApiResult<StatusCode> {
    team::remove(&app, &who.project_id, &path.uid).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct AdminTransfer {
    user_id: String,
}

/// Hands the administrator's access to another member; the former keeps «Настройка проекта».
#[utoipa::path(post, path = "/api/v1/projects/{pid}/admin-transfer", tag = "team", params(("pid" = String, Path)), request_body = AdminTransfer, responses(
    (status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
pub async fn transfer_admin(
    State(app): State<App>,
    who: ProjectMember<can::TransferAdmin>,
    Json(req): Json<AdminTransfer>,
) -> ApiResult<StatusCode> {
    team::transfer_admin(&app, &who.project_id, &who.user.id, &req.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NotifyEmails {
    emails: Vec<NotifyEmail>,
}

/// The notification-only e-mails («Только уведомления») and their groups.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/notification-emails", tag = "team", params(("pid" = String, Path)), responses(
    (status = 200, body = NotifyEmails), (status = 403, body = ErrorBody),
))]
pub async fn notify_emails(
    State(app): State<App>,
    who: ProjectMember<can::EditSettings>,
) -> ApiResult<Json<NotifyEmails>> {
    Ok(Json(NotifyEmails { emails: team::notify_emails(&app, &who.project_id).await? }))
}

/// Replaces the notification-only e-mails.
#[utoipa::path(put, path = "/api/v1/projects/{pid}/notification-emails", tag = "team", params(("pid" = String, Path)), request_body = NotifyEmails, responses(
    (status = 200, body = NotifyEmails), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn set_notify_emails(
    State(app): State<App>,
    who: ProjectMember<can::EditSettings>,
    Json(req): Json<NotifyEmails>,
) -> ApiResult<Json<NotifyEmails>> {
    Ok(Json(NotifyEmails { emails: team::set_notify_emails(&app, &who.project_id, req.emails).await? }))
}

/// The project's notification settings: after how many minutes (1–60) an unanswered customer's
/// message is reported to group 2.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/notification-settings", tag = "team", params(("pid" = String, Path)), responses(
    (status = 200, body = NotifySettings), (status = 403, body = ErrorBody),
))]
pub async fn notify_settings(
    State(app): State<App>,
    who: ProjectMember<can::EditSettings>,
) -> ApiResult<Json<NotifySettings>> {
    Ok(Json(notify::settings(&app, &who.project_id).await?))
}

/// Saves the notification settings; minutes outside 1–60 answer 422.
#[utoipa::path(put, path = "/api/v1/projects/{pid}/notification-settings", tag = "team", params(("pid" = String, Path)), request_body = NotifySettings, responses(
    (status = 200, body = NotifySettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn set_notify_settings(
    State(app): State<App>,
    who: ProjectMember<can::EditSettings>,
    Json(req): Json<NotifySettings>,
) -> ApiResult<Json<NotifySettings>> {
    Ok(Json(notify::set_settings(&app, &who.project_id, req).await?))
}
