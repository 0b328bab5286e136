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
    components(schemas(beseda_http::error::ErrorBody, beseda_domain::dialogs::Folder))
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
        .routes(routes!(routes::invitations::list))
        .routes(routes!(routes::invitations::accept))
        .routes(routes!(routes::invitations::decline))
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
        .routes(routes!(routes::realtime::ticket))
        .split_for_parts()
}

/// The OpenAPI document of every HTTP route of the product: the cabinet's, the journal's,
/// the operators' and the public widget API's.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = routes().1;
    doc.merge(journal_api::routes().1);
    doc.merge(operator_api::routes().1);
    doc.merge(widget_api::routes().1);
    complete_operations(&mut doc);
    doc
}

/// The answers every route may give besides its own, all in the error envelope: bad input
/// (400, 413, 422), no session or no right (401, 403), an unknown project or item (404), a
/// conflict (409) and a throttle (429).
const COMMON_ERRORS: [(&str, &str); 8] = [
    ("400", "malformed_json, invalid_body, invalid_query, invalid_path, wrong_content_type"),
    ("401", "unauthenticated"),
    ("403", "forbidden, cross_origin"),
    ("404", "not_found, route_not_found"),
    ("409", "conflict"),
    ("413", "payload_too_large"),
    ("422", "a field is not acceptable"),
    ("429", "too_many_attempts"),
];

/// Operation ids unique across the merged document (the handlers' names repeat from one module
/// to the next): the method and the path, `get_api_v1_projects_pid_billing`; and every
/// operation lists [`COMMON_ERRORS`].
fn complete_operations(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let envelope = |description: &str| {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
        ResponseBuilder::new().description(description).content("application/json", content).build()
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let slug: String = path
            .chars()
            .filter(|c| !"{}".contains(*c))
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let operations = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
            ("options", &mut item.options),
            ("head", &mut item.head),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                operation.operation_id = Some(format!("{method}{slug}"));
                for (status, description) in COMMON_ERRORS {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| envelope(description).into());
                }
            }
        }
    }
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
