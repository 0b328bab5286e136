//! Tariffs, the trial and the balance (PRODUCT.md §5); changes are the administrator's alone.

use axum::extract::State;
use beseda_domain::App;
use beseda_domain::billing::{self, Account, LedgerEntry, Plan, Status, Tariff, TrialBlocker};
use beseda_domain::projects;
use beseda_http::error::ErrorBody;
use beseda_http::{ApiResult, Json, ProjectMember, can};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Tariffs {
    tariffs: Vec<Tariff>,
}

#[utoipa::path(get, path = "/api/v1/tariffs", tag = "billing", responses((status = 200, body = Tariffs)))]
pub async fn tariffs() -> Json<Tariffs> {
    Json(Tariffs { tariffs: billing::catalogue() })
}

#[derive(Serialize, ToSchema)]
pub struct TariffState {
    plan: Option<Plan>,
    visitors: Option<u32>,
    status: Status,
    started_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    site_chat: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Trial {
    available: bool,
    blockers: Vec<TrialBlocker>,
}

#[derive(Serialize, ToSchema)]
pub struct Billing {
    balance_rub: i64,
    tariff: TariffState,
    trial: Trial,
    ledger: Vec<LedgerEntry>,
}

async fn view(app: &App, project_id: &str, account: Account) -> ApiResult<Json<Billing>> {
    let now = app.now();
    let (project, _) = projects::get(app, project_id).await?;
    let blockers = billing::trial_blockers(&project, &account, now);
    Ok(Json(Billing {
        balance_rub: account.balance_rub,
        tariff: TariffState {
            plan: account.plan,
            visitors: account.visitors,
            status: account.status_at(now),
            started_at: account.started_at,
            expires_at: account.expires_at,
            site_chat: account.site_chat(now),
        },
        trial: Trial { available: blockers.is_empty(), blockers },
        ledger: billing::ledger(app, project_id).await?,
    }))
}

#[utoipa::path(get, path = "/api/v1/projects/{pid}/billing", tag = "billing", params(("pid" = String, Path)), responses(
    (status = 200, body = Billing), (status = 403, body = ErrorBody),
))]
pub async fn get(State(app): State<App>, who: ProjectMember<can::ViewBilling>) -> ApiResult<Json<Billing>> {
    let (account, _) = billing::load(&app, &who.project_id).await?;
    view(&app, &who.project_id, account).await
}

#[derive(Deserialize, ToSchema)]
pub struct TopUp {
    amount_rub: i64,
}

#[utoipa::path(post, path = "/api/v1/projects/{pid}/billing/top-up", tag = "billing", params(("pid" = String, Path)), request_body = TopUp, responses(
    (status = 200, body = Billing), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
))]
pub async fn top_up(
    State(app): State<App>,
    who: ProjectMember<can::ManageBilling>,
    Json(req): Json<TopUp>,
) -> ApiResult<Json<Billing>> {
    let account = billing::top_up(&app, &who.project_id, req.amount_rub).await?;
    view(&app, &who.project_id, account).await
}

/// «Попробовать»: 7 days of Pro, once per project, once a domain is set.
#[utoipa::path(post, path = "/api/v1/projects/{pid}/billing/trial", tag = "billing", params(("pid" = String, Path)), responses(
    (status = 200, body = Billing), (status = 403, body = ErrorBody), (status = 409, description = "trial_unavailable", body = ErrorBody),
))]
pub async fn trial(State(app): State<App>, who: ProjectMember<can::ManageBilling>) -> ApiResult<Json<Billing>> {
    let account = billing::start_trial(&app, &who.project_id).await?;
    view(&app, &who.project_id, account).await
}

#[derive(Deserialize, ToSchema)]
pub struct Connect {
    plan: Plan,
    /// Pro+ only: the monthly visitors it is priced for.
    visitors: Option<u32>,
}

/// «Подключить»: at once when the balance covers the price.
#[utoipa::path(post, path = "/api/v1/projects/{pid}/billing/connect", tag = "billing", params(("pid" = String, Path)), request_body = Connect, responses(
    (status = 200, body = Billing), (status = 403, body = ErrorBody), (status = 409, description = "insufficient_balance", body = ErrorBody),
))]
pub async fn connect(
    State(app): State<App>,
    who: ProjectMember<can::ManageBilling>,
    Json(req): Json<Connect>,
) -> ApiResult<Json<Billing>> {
    let account = billing::connect(&app, &who.project_id, req.plan, req.visitors).await?;
    view(&app, &who.project_id, account).await
}

#[utoipa::path(post, path = "/api/v1/projects/{pid}/billing/renew", tag = "billing", params(("pid" = String, Path)), responses(
    (status = 200, body = Billing), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
))]
pub async fn renew(State(app): State<App>, who: ProjectMember<can::ManageBilling>) -> ApiResult<Json<Billing>> {
    let account = billing::renew(&app, &who.project_id).await?;
    view(&app, &who.project_id, account).await
}

#[utoipa::path(post, path = "/api/v1/projects/{pid}/billing/disconnect", tag = "billing", params(("pid" = String, Path)), responses(
    (status = 200, body = Billing), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
))]
pub async fn disconnect(State(app): State<App>, who: ProjectMember<can::ManageBilling>) -> ApiResult<Json<Billing>> {
    let account = billing::disconnect(&app, &who.project_id).await?;
    view(&app, &who.project_id, account).await
}
