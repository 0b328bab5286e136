//! The cabinet API: one axum router of `/api/v1/...` routes, with its OpenAPI document built
//! from the same route list (so the two cannot drift apart) and served at `/api/openapi.json`.

mod routes;

use axum::Router;
use axum::routing::get;
use beseda_domain::App;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Beseda API", description = "The cabinet and operator API of Beseda."),
    components(schemas(beseda_http::error::ErrorBody))
)]
struct ApiDoc;

/// The routes and their OpenAPI document.
pub fn routes() -> (Router<App>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(routes::health::healthz))
        .routes(routes!(routes::auth::login))
        .routes(routes!(routes::auth::logout))
        .routes(routes!(routes::me::me))
        .split_for_parts()
}

/// The router with its state, without a fallback (see `beseda_http::finish`).
pub fn router(app: App) -> Router {
    let (router, doc) = routes();
    let doc = Arc::new(doc);
    router.route("/api/openapi.json", get(move || async move { axum::Json(doc.as_ref().clone()) })).with_state(app)
}
