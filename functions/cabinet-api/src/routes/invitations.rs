//! The signed-in user's invitations to projects' teams (PRODUCT.md §3): listed, accepted or
//! declined by the invited account only; anyone else's invitation is not found.

use axum::extract::State;
use axum::http::StatusCode;
use beseda_domain::App;
use beseda_domain::invitations::{self, Invitation};
use beseda_domain::projects::Membership;
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, CurrentUser, Json, Path};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Invitations {
    invitations: Vec<Invitation>,
}

/// The invitations waiting for the signed-in user's answer, newest first.
#[utoipa::path(get, path = "/api/v1/invitations", tag = "team", responses(
    (status = 200, body = Invitations), (status = 401, body = ErrorBody),
))]
pub async fn list(State(app): State<App>, who: CurrentUser) -> ApiResult<Json<Invitations>> {
    Ok(Json(Invitations { invitations: invitations::pending(&app, &who.user.id).await? }))
}

#[derive(Deserialize)]
pub struct InvitationPath {
    pid: String,
}

#[derive(Serialize, ToSchema)]
pub struct Joined {
    membership: Membership,
}

/// Joins the project with the invited accesses.
#[utoipa::path(post, path = "/api/v1/invitations/{pid}/accept", tag = "team", params(("pid" = String, Path)), responses(
    (status = 200, body = Joined), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
))]
pub async fn accept(
    State(app): State<App>,
    who: CurrentUser,
    Path(path): Path<InvitationPath>,
) -> ApiResult<Json<Joined>> {
    Ok(Json(Joined { membership: invitations::accept(&app, &who.user.id, &path.pid).await? }))
}

/// Refuses the invitation.
#[utoipa::path(post, path = "/api/v1/invitations/{pid}/decline", tag = "team", params(("pid" = String, Path)), responses(
    (status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
))]
pub async fn decline(
    State(app): State<App>,
    who: CurrentUser,
    Path(path): Path<InvitationPath>,
) -> ApiResult<StatusCode> {
    invitations::decline(&app, &who.user.id, &path.pid).await?;
    Ok(StatusCode::NO_CONTENT)
}
