//! The journal API: the lead journal of a project (ЕЖЛ, PRODUCT.md §11), for members with
//! «Аналитика» or the administrator's access.

use axum::Router;
use axum::extract::State;
use beseda_domain::journal::{self, Lead};
use beseda_domain::{App, projects};
use beseda_http::Query;
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, Json, ProjectMember, can};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes and their OpenAPI document.
pub fn routes() -> (Router<App>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new().routes(routes!(list)).split_for_parts()
}

pub fn router(app: App) -> Router {
    routes().0.with_state(app)
}

#[derive(Deserialize, IntoParams)]
pub struct Page {
    /// At most 200; 50 by default.
    limit: Option<usize>,
    /// The `next` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Journal {
    leads: Vec<Lead>,
    next: Option<String>,
}

/// The leads of the project, newest first, with times in the project's time zone.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/journal", tag = "journal", params(("pid" = String, Path), Page), responses(
    (status = 200, body = Journal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn list(
    State(app): State<App>,
    who: ProjectMember<can::ViewJournal>,
    Query(page): Query<Page>,
) -> ApiResult<Json<Journal>> {
    let (project, _) = projects::get(&app, &who.project_id).await?;
    let (leads, next) =
        journal::list(&app, &who.project_id, &project.timezone, page.limit.unwrap_or(50), page.cursor.as_deref())
            .await?;
    Ok(Json(Journal { leads, next }))
}
