//! The journal API: the lead journal of a project (ЕЖЛ, PRODUCT.md §11) with its filters,
//! its exports to CSV and Excel streamed a page at a time, the Панель's figures, Аналитика's,
//! and ОКО — the customers' ratings of a period with their comments.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use beseda_domain::accounts::Language;
use beseda_domain::dashboard::{self, Dashboard};
use beseda_domain::dialogs::Source;
use beseda_domain::journal::{self, Filter, Lead, LeadStatus};
use beseda_domain::ratings::{self, Rating, Summary};
use beseda_domain::statistics::{self, Analytics};
use beseda_domain::{App, projects};
use beseda_http::Query;
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, Json, ProjectMember, can};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod export;

/// The routes and their OpenAPI document.
pub fn routes() -> (Router<App>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export_leads))
        .routes(routes!(panel))
        .routes(routes!(analytics))
        .routes(routes!(rating_summary))
        .routes(routes!(rating_comments))
        .split_for_parts()
}

pub fn router(app: App) -> Router {
    routes().0.with_state(app)
}

/// What the journal shows; the period is in local dates of the project's time zone.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct Filters {
    /// The first day, `YYYY-MM-DD`.
    from: Option<NaiveDate>,
    /// The last day (included), `YYYY-MM-DD`.
    to: Option<NaiveDate>,
    #[param(inline)]
    source: Option<Source>,
    #[param(inline)]
    status: Option<LeadStatus>,
    /// The id of the operator who answered.
    operator: Option<String>,
    /// A phone, a name, an e-mail or words of the request.
    q: Option<String>,
}

impl Filters {
    fn filter(self) -> Filter {
        Filter {
            from: self.from,
            to: self.to,
            source: self.source,
            status: self.status,
            operator_id: self.operator.filter(|o| !o.is_empty()),
            search: self.q.filter(|q| !q.trim().is_empty()),
        }
    }
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
    /// Where the next page starts; none when this is the last.
    next: Option<String>,
}

/// The leads the filters let through, newest first, with times in the project's time zone.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/journal", tag = "journal", params(("pid" = String, Path), Filters, Page), responses(
    (status = 200, body = Journal), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn list(
    State(app): State<App>,
    who: ProjectMember<can::ViewJournal>,
    Query(filters): Query<Filters>,
    Query(page): Query<Page>,
) -> ApiResult<Json<Journal>> {
    let (project, _) = projects::get(&app, &who.project_id).await?;
    let limit = page.limit.unwrap_or(50).min(200);
    let (leads, next) =
        journal::find(&app, &who.project_id, &project.timezone, &filters.filter(), limit, page.cursor.as_deref())
            .await?;
    Ok(Json(Journal { leads, next }))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(Deserialize, IntoParams)]
pub struct ExportParams {
    #[param(inline)]
    format: Format,
    /// The language of the header row and the names of sources and statuses; the
    /// `Accept-Language` header's when not given.
    #[param(inline)]
    lang: Option<Language>,
}

/// The reader's language: `lang=`, else the first of `Accept-Language` that the cabinet
/// speaks, else Russian.
fn reader_language(lang: Option<Language>, headers: &HeaderMap) -> Language {
    lang.unwrap_or_else(|| {
        let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        accept
            .split(',')
            .map(|t| t.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
            .find_map(|t| match t.split('-').next() {
                Some("ru") => Some(Language::Ru),
                Some("en") => Some(Language::En),
                _ => None,
            })
            .unwrap_or(Language::Ru)
    })
}

/// What the filters show, as a CSV (UTF-8 with a BOM, so Excel reads Cyrillic) or an Excel
/// workbook, times in the project's time zone; read from the journal a page at a time.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/journal/export", tag = "journal", params(("pid" = String, Path), ExportParams, Filters), responses(
    (status = 200, description = "The file", content_type = "text/csv", body = String),
    (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn export_leads(
    State(app): State<App>,
    who: ProjectMember<can::ViewJournal>,
    headers: HeaderMap,
    Query(params): Query<ExportParams>,
    Query(filters): Query<Filters>,
) -> ApiResult<Response> {
    let (project, _) = projects::get(&app, &who.project_id).await?;
    let lang = reader_language(params.lang, &headers);
    let day = app.now().with_timezone(&project.timezone.parse().unwrap_or(chrono_tz::Europe::Moscow)).date_naive();
    let source = export::Source {
        app: app.clone(),
        project_id: who.project_id.clone(),
        timezone: project.timezone.clone(),
        filter: filters.filter(),
        lang,
    };
    let (content_type, extension, body) = match params.format {
        Format::Csv => ("text/csv; charset=utf-8", "csv", Body::from_stream(export::csv(source))),
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            Body::from_stream(export::xlsx(source).await?),
        ),
    };
    let name = format!("journal-{}.{extension}", day.format("%Y-%m-%d"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// The Панель: today's and this week's requests by source (local days of the project), the
/// open and unanswered dialogs, the operators online now.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/dashboard", tag = "journal", params(("pid" = String, Path)), responses(
    (status = 200, body = Dashboard), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
))]
async fn panel(State(app): State<App>, who: ProjectMember<can::ViewDialogs>) -> ApiResult<Json<Dashboard>> {
    Ok(Json(dashboard::figures(&app, &who.project_id).await?))
}

/// A period of local days of the project.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct Period {
    /// The first day, `YYYY-MM-DD`; 29 days before `to` by default.
    from: Option<NaiveDate>,
    /// The last day (included), `YYYY-MM-DD`; today by default. At most 366 days in all.
    to: Option<NaiveDate>,
}

/// Аналитика: requests per day by source, by hour of day and day of week, first-response
/// percentiles per day and for the period, missed dialogs and the operators' figures, in local
/// days of the project's time zone. Response times are the upper bounds of fixed buckets (see
/// the `statistics` module).
#[utoipa::path(get, path = "/api/v1/projects/{pid}/analytics", tag = "journal", params(("pid" = String, Path), Period), responses(
    (status = 200, body = Analytics), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    (status = 422, description = "The period ends before it starts or is longer than 366 days", body = ErrorBody),
))]
async fn analytics(
    State(app): State<App>,
    who: ProjectMember<can::ViewJournal>,
    Query(period): Query<Period>,
) -> ApiResult<Json<Analytics>> {
    Ok(Json(statistics::analytics(&app, &who.project_id, period.from, period.to).await?))
}

/// ОКО: the average and the distribution of the ratings first given in the period, in total,
/// per operator and per channel.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/ratings", tag = "journal", params(("pid" = String, Path), Period), responses(
    (status = 200, body = Summary), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 422, description = "bad_period, period_too_long", body = ErrorBody),
))]
async fn rating_summary(
    State(app): State<App>,
    who: ProjectMember<can::ViewJournal>,
    Query(period): Query<Period>,
) -> ApiResult<Json<Summary>> {
    Ok(Json(ratings::summary(&app, &who.project_id, period.from, period.to).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Comments {
    ratings: Vec<Rating>,
    /// Where the next page starts; none when this is the last.
    next: Option<String>,
}

/// ОКО: the ratings of the period that have a comment, newest first, each with its dialog.
#[utoipa::path(get, path = "/api/v1/projects/{pid}/ratings/comments", tag = "journal", params(("pid" = String, Path), Period, Page), responses(
    (status = 200, body = Comments), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
))]
async fn rating_comments(
    State(app): State<App>,
    who: ProjectMember<can::ViewJournal>,
    Query(period): Query<Period>,
    Query(page): Query<Page>,
) -> ApiResult<Json<Comments>> {
    let limit = page.limit.unwrap_or(20).min(200);
    let (ratings, next) =
        ratings::comments(&app, &who.project_id, period.from, period.to, limit, page.cursor.as_deref()).await?;
    Ok(Json(Comments { ratings, next }))
}

/// The bytes of a stream chunk.
type Chunk = Result<Bytes, std::io::Error>;
