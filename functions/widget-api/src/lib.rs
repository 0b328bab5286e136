//! The public widget API (`/widget/v1/projects/{pid}/...`): what the widget on a project's
//! site calls. Every request must come from one of the project's domains (the `Origin`, or
//! for same-origin GETs the `Referer`), gets CORS headers for that origin only, and writes are
//! rate-limited per visitor and per IP. Visitors are anonymous: a token from `POST visitors`
//! kept in their browser, sent as `Authorization: Bearer`.

mod limits;
mod routes;

pub use limits::Limits;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use beseda_domain::{App, Error, domains, projects};
use beseda_http::ApiError;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What every widget request gets. Cloned per request and per layer, so the app is shared
/// behind an `Arc`: cloning and dropping its adapters and settings was a few per cent of a
/// chat message's CPU.
#[derive(Clone)]
pub struct WidgetState {
    pub app: Arc<App>,
    pub limits: Limits,
    pub counter: Arc<limits::Counter>,
    /// Every route's path template and method, from the OpenAPI document.
    pub routed: Arc<Vec<(String, String)>>,
}

/// The routes and their OpenAPI document.
pub fn routes() -> (Router<WidgetState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new()
        .routes(routes!(routes::config))
        .routes(routes!(routes::new_visitor))
        .routes(routes!(routes::dialog))
        .routes(routes!(routes::send, routes::messages_after))
        .routes(routes!(routes::contact))
        .routes(routes!(routes::typing))
        .routes(routes!(routes::read))
        .routes(routes!(routes::rate))
        .routes(routes!(routes::request))
        .routes(routes!(routes::callback))
        .routes(routes!(routes::operator_avatar))
        .split_for_parts()
}

pub fn router(app: App, limits: Limits) -> Router {
    let (router, doc) = routes();
    let routed = doc
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            let methods = [("GET", item.get.is_some()), ("POST", item.post.is_some())];
            methods.into_iter().filter(|(_, has)| *has).map(|(m, _)| (path.clone(), m.to_owned())).collect::<Vec<_>>()
        })
        .collect();
    let state = WidgetState { app: Arc::new(app), limits, counter: Arc::default(), routed: Arc::new(routed) };
    router.layer(middleware::from_fn_with_state(state.clone(), origin_guard)).with_state(state)
}

/// Whether a path template (`/widget/v1/projects/{pid}/config`) matches a request path.
fn template_matches(template: &str, path: &str) -> bool {
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(ts), Some(ps)) if ts == ps || (ts.starts_with('{') && ts.ends_with('}') && !ps.is_empty()) => {}
            _ => return false,
        }
    }
}

/// The page's origin: `Origin`, or the origin of `Referer` (browsers omit `Origin` on
/// same-origin GETs).
fn page_origin(req: &Request) -> Option<String> {
    let headers = req.headers();
    if let Some(o) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).filter(|o| *o != "null") {
        return Some(o.to_owned());
    }
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let (scheme, rest) = referer.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(format!("{scheme}://{host}"))
}

fn cors(response: &mut Response, origin: &str) {
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(origin) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("authorization, content-type"));
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
}

/// Only the project's own sites may call; preflights are answered here. A method a path has
/// no route for goes on to its 405 envelope, whoever asks.
async fn origin_guard(State(state): State<WidgetState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let routed = |method: &str| state.routed.iter().any(|(t, m)| m == method && template_matches(t, &path));
    let guarded = match *req.method() {
        Method::OPTIONS => true,
        Method::GET => routed("GET"),
        Method::POST => routed("POST"),
        _ => false,
    };
    if !guarded {
        return next.run(req).await;
    }
    let Some(project_id) = path.strip_prefix("/widget/v1/projects/").and_then(|rest| rest.split('/').next()) else {
        return next.run(req).await;
    };
    let Some(origin) = page_origin(&req) else {
        return ApiError::from(Error::forbidden("origin_required", "Запрос должен прийти со страницы сайта"))
            .into_response();
    };
    let project = match projects::get(&state.app, project_id).await {
        Ok((p, _)) => p,
        Err(Error::NotFound(_)) => {
            return ApiError::from(Error::forbidden("unknown_project", "Такого проекта нет: проверьте код виджета"))
                .into_response();
        }
        Err(e) => return ApiError::from(e).into_response(),
    };
    if !domains::origin_allowed(&project.domains, &origin) {
        let message = format!("Виджет этого проекта работает только на его доменах, а не на {origin}");
        return ApiError::from(Error::forbidden("origin_not_allowed", message)).into_response();
    }
    let mut response =
        if req.method() == Method::OPTIONS { StatusCode::NO_CONTENT.into_response() } else { next.run(req).await };
    cors(&mut response, &origin);
    response
}

#[cfg(test)]
mod tests {
    use super::template_matches;

    #[test]
    fn templates_match_whole_segments() {
        let t = "/widget/v1/projects/{pid}/operators/{uid}/avatar";
        assert!(template_matches(t, "/widget/v1/projects/demo/operators/u1/avatar"));
        assert!(!template_matches(t, "/widget/v1/projects/demo/operators//avatar"));
        assert!(!template_matches(t, "/widget/v1/projects/demo/operators/u1"));
        assert!(!template_matches(t, "/widget/v1/projects/demo/operators/u1/avatar/x"));
        assert!(!template_matches("/widget/v1/projects/{pid}/config", "/widget/v1/projects/demo/dialog"));
    }
}
