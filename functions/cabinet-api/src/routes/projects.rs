//! Projects (PRODUCT.md §2): the user's projects, creating one, the main settings.

use axum::extract::State;
use axum::http::StatusCode;
use beseda_domain::App;
use beseda_domain::access::Access;
use beseda_domain::billing::{self, Status};
use beseda_domain::projects::{self, NewProject, Project, ProjectChanges};
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, CurrentUser, Json, ProjectMember, can};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ProjectSummary {
    id: String,
    name: String,
    accesses: Vec<Access>,
    tariff_status: Status,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectList {
    projects: Vec<ProjectSummary>,
}

/// The projects the user belongs to, with the user's accesses in each.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", responses((status = 200, body = ProjectList), (status = 401, body = ErrorBody)))]
pub async fn list(State(app): State<App>, who: CurrentUser) -> ApiResult<Json<ProjectList>> {
    let now = app.now();
    let mut projects = Vec::new();
    for (p, m) in projects::list_for_user(&app, &who.user.id).await? {
        let (account, _) = billing::load(&app, &p.id).await?;
        projects.push(ProjectSummary {
            id: p.id,
            name: p.name,
            accesses: m.accesses,
            tariff_status: account.status_at(now),
        });
    }
    Ok(Json(ProjectList { projects }))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateProject {
    name: String,
    sphere: Option<String>,
    timezone: Option<String>,
    #[serde(default)]
    domains: Vec<String>,
}

/// A project with its embed snippet.
#[derive(Serialize, ToSchema)]
pub struct ProjectView {
    #[serde(flatten)]
    project: Project,
    /// The script to paste before `</body>`.
    embed_snippet: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProjectEnvelope {
    project: ProjectView,
    accesses: Vec<Access>,
}

fn view(app: &App, project: Project) -> ProjectView {
    ProjectView { embed_snippet: projects::embed_snippet(&app.settings.public_url, &project.id), project }
}

/// Creates a project; its creator becomes its administrator.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = CreateProject, responses(
    (status = 201, body = ProjectEnvelope), (status = 422, body = ErrorBody),
))]
pub async fn create(
    State(app): State<App>,
    who: CurrentUser,
    Json(req): Json<CreateProject>,
) -> ApiResult<(StatusCode, Json<ProjectEnvelope>)> {
    let new = NewProject { name: req.name, sphere: req.sphere, timezone: req.timezone, domains: req.domains };
    let project = projects::create(&app, &who.user.id, new, None).await?;
    Ok((StatusCode::CREATED, Json(ProjectEnvelope { project: view(&app, project), accesses: vec![Access::Admin] })))
}

#[utoipa::path(get, path = "/api/v1/projects/{pid}", tag = "projects", params(("pid" = String, Path)), responses(
    (status = 200, body = ProjectEnvelope), (status = 404, body = ErrorBody),
))]
pub async fn get(State(app): State<App>, who: ProjectMember<can::ViewProject>) -> ApiResult<Json<ProjectEnvelope>> {
    let (project, _) = projects::get(&app, &who.project_id).await?;
    Ok(Json(ProjectEnvelope { project: view(&app, project), accesses: who.membership.accesses }))
}

/// Changes the main settings: name, sphere, time zone, the full list of domains.
#[utoipa::path(patch, path = "/api/v1/projects/{pid}", tag = "projects", params(("pid" = String, Path)), request_body = UpdateProject, responses(
    (status = 200, body = ProjectEnvelope), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn update(
    State(app): State<App>,
    who: ProjectMember<can::EditSettings>,
    Json(req): Json<UpdateProject>,
) -> ApiResult<Json<ProjectEnvelope>> {
    let changes = ProjectChanges { name: req.name, sphere: req.sphere, timezone: req.timezone, domains: req.domains };
    let project = projects::update(&app, &who.project_id, changes).await?;
    Ok(Json(ProjectEnvelope { project: view(&app, project), accesses: who.membership.accesses }))
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateProject {
    name: Option<String>,
    sphere: Option<String>,
    timezone: Option<String>,
    domains: Option<Vec<String>>,
}

#[derive(Serialize, ToSchema)]
pub struct Sphere {
    id: &'static str,
    name: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct Spheres {
    spheres: Vec<Sphere>,
}

/// The fixed list of business spheres.
#[utoipa::path(get, path = "/api/v1/spheres", tag = "projects", responses((status = 200, body = Spheres)))]
pub async fn spheres() -> Json<Spheres> {
    Json(Spheres { spheres: projects::SPHERES.iter().map(|(id, name)| Sphere { id, name }).collect() })
}
