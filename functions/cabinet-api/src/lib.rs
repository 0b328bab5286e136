//! The cabinet API: one axum router of `/api/v1/...` routes, with its OpenAPI document built
//! from the same route list (so the two cannot drift apart) and served at `/api/openapi.json`.

mod routes;

use axum::Router;
use axum::routing::get;
use beseda_domain::App;
use beseda_domain::integrations::ChannelSet;
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
        .routes(routes!(routes::auth::request_reset))
        .routes(routes!(routes::auth::confirm_reset))
        .routes(routes!(routes::me::me, routes::account::update_me))
        .routes(routes!(routes::account::change_password))
        .routes(routes!(routes::account::put_avatar, routes::account::get_avatar, routes::account::delete_avatar))
        .routes(routes!(routes::account::timezones))
        .routes(routes!(routes::projects::list, routes::projects::create))
        .routes(routes!(routes::projects::get, routes::projects::update))
        .routes(routes!(routes::projects::spheres))
        .routes(routes!(routes::team::list, routes::team::add))
        .routes(routes!(routes::team::update, routes::team::remove))
        .routes(routes!(routes::team::transfer_admin))
        .routes(routes!(routes::team::notify_emails, routes::team::set_notify_emails))
        .routes(routes!(routes::blacklist::list, routes::blacklist::add))
        .routes(routes!(routes::blacklist::remove))
        .routes(routes!(routes::billing::tariffs))
        .routes(routes!(routes::billing::get))
        .routes(routes!(routes::billing::top_up))
        .routes(routes!(routes::billing::trial))
        .routes(routes!(routes::billing::connect))
        .routes(routes!(routes::billing::renew))
        .routes(routes!(routes::billing::disconnect))
        .routes(routes!(routes::widget::get, routes::widget::put))
        .routes(routes!(routes::integrations::list))
        .routes(routes!(routes::integrations::put, routes::integrations::delete))
        .routes(routes!(routes::integrations::check))
        .split_for_parts()
}

/// The OpenAPI document of every HTTP route of the product: the cabinet's, the journal's,
/// the operators' and the public widget API's.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = routes().1;
    doc.merge(journal_api::routes().1);
    doc.merge(operator_api::routes().1);
    doc.merge(widget_api::routes().1);
    doc
}

/// Gives the integration routes the platforms' clients (the process's
/// `beseda_channels::Channels`, a test double in tests); without them those routes answer 409
/// `channels_unavailable`.
pub fn with_channels(router: Router, channels: Arc<dyn ChannelSet>) -> Router {
    router.layer(axum::Extension(channels))
}

/// The router with its state, without a fallback (see `beseda_http::finish`).
pub fn router(app: App) -> Router {
    let router = routes().0;
    let doc = Arc::new(openapi());
    router.route("/api/openapi.json", get(move || async move { axum::Json(doc.as_ref().clone()) })).with_state(app)
}
