//! The signed-in user's own account (PRODUCT.md §1).

use beseda_domain::accounts::Profile;
use beseda_http::error::ErrorBody;
use beseda_http::{CurrentUser, Json};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: Profile,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "account", responses(
    (status = 200, body = Me), (status = 401, body = ErrorBody),
))]
pub async fn me(who: CurrentUser) -> Json<Me> {
    Json(Me { user: who.user })
}
