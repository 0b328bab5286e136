//! The layers every API router gets: request ids (`x-request-id`, made when absent and echoed
//! back), a trace span per request, the 256 KiB body limit, panics turned into a 500 envelope,
//! refusal of state-changing requests from other origins, JSON answers for 404 and 405, and
//! `X-Content-Type-Options: nosniff` on every response, so a user's file (an avatar) is never
//! read by a browser as anything but its declared type.

use crate::error::ApiError;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The body limit of JSON routes; upload routes set their own with `DefaultBodyLimit`.
pub const BODY_LIMIT: usize = 256 * 1024;

/// A router as a Lambda serves it: the layers, and JSON answers for unknown routes.
pub fn finish(router: Router) -> Router {
    with_layers(router.fallback(|| async { ApiError::RouteNotFound }))
}

/// The layers alone, for a router whose fallback is something else (the local runner's
/// cabinet pages).
pub fn with_layers(router: Router) -> Router {
    router
        .layer(middleware::from_fn(same_origin_writes))
        .layer(middleware::from_fn(json_method_not_allowed))
        .layer(middleware::from_fn(nosniff))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CatchPanicLayer::custom(|_| ApiError::Panic.into_response()))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

async fn nosniff(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// A 405 that axum made answers with the envelope too (keeping its `Allow` header). Done on
/// the response rather than with a method-not-allowed fallback, so that layers of a function's
/// own routes (the widget API's CORS preflights) still run for unrouted methods.
async fn json_method_not_allowed(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::METHOD_NOT_ALLOWED || response.headers().contains_key(header::CONTENT_TYPE) {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut json = ApiError::MethodNotAllowed.into_response();
    if let Some(allow) = allow {
        json.headers_mut().insert(header::ALLOW, allow);
    }
    json
}

/// A browser names the page's origin on every POST/PUT/PATCH/DELETE; one that is not this
/// host's is refused, so another site cannot act with the cabinet's cookie. The public
/// widget API (`/widget/v1/`) checks origins against the project's domains instead.
async fn same_origin_writes(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !req.uri().path().starts_with("/widget/v1/") {
        let host = req.headers().get(header::HOST).and_then(|v| v.to_str().ok());
        let origin = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let cross_site = req.headers().get("sec-fetch-site").is_some_and(|v| v == "cross-site");
        let foreign = match (origin, host) {
            (Some("null"), _) => true,
            (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) != Some(host),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if foreign || cross_site {
            return ApiError::CrossOrigin.into_response();
        }
    }
    next.run(req).await
}
