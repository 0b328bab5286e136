//! The HTTP edge of an API function in Lambda: the router with the shared layers, the
//! client's address taken from API Gateway's request context (`requestContext.http.sourceIp`),
//! never from a header the caller wrote, and the host the browser sees. Behind the CloudFront
//! front door API Gateway receives its own execute-api host, while the browser's `Origin` is
//! the cabinet's: the request is given the host of `PUBLIC_URL`, so the same-origin check of
//! writes compares the `Origin` with the cabinet's one origin.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use beseda_http::PeerAddr;
use lambda_http::request::RequestContext;
use std::net::IpAddr;

/// The address API Gateway saw the request come from.
fn source_ip(context: &RequestContext) -> Option<IpAddr> {
    match context {
        RequestContext::ApiGatewayV2(ctx) => ctx.http.source_ip.as_deref()?.parse().ok(),
        _ => None,
    }
}

async fn peer_from_context(mut req: Request, next: Next) -> Response {
    if let Some(ip) = req.extensions().get::<RequestContext>().and_then(source_ip) {
        req.extensions_mut().insert(PeerAddr(ip));
    }
    next.run(req).await
}

/// The router as the Lambda serves it: JSON 404s, the shared layers, the peer address, and
/// the host of `public_url` (`https://chat.example.ru`).
pub fn edge(router: Router, public_url: &str) -> Router {
    let host = public_url.split_once("://").map_or(public_url, |(_, rest)| rest);
    let host = HeaderValue::from_str(host).ok();
    beseda_http::finish(router).layer(middleware::from_fn(peer_from_context)).layer(middleware::from_fn(
        move |mut req: Request, next: Next| {
            if let Some(host) = &host {
                req.headers_mut().insert(header::HOST, host.clone());
            }
            next.run(req)
        },
    ))
}

/// Serves the router to the Lambda runtime.
pub async fn run_http(router: Router, public_url: &str) -> Result<(), lambda_http::Error> {
    lambda_http::run(edge(router, public_url)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use beseda_http::ClientIp;
    use tower::ServiceExt;

    #[tokio::test]
    async fn the_client_ip_is_api_gateways_source_ip_not_the_forwarded_header() {
        let router = edge(Router::new().route("/ip", get(|ClientIp(ip): ClientIp| async move { ip })), "https://x.ru");
        let event = serde_json::json!({
            "version": "2.0", "routeKey": "GET /ip", "rawPath": "/ip", "rawQueryString": "",
            "headers": { "host": "api.example.ru", "x-forwarded-for": "1.1.1.1" },
            "requestContext": {
                "accountId": "123456789012", "apiId": "api", "domainName": "api.example.ru",
                "domainPrefix": "api", "requestId": "r", "routeKey": "GET /ip", "stage": "$default",
                "time": "29/Nov/2026:10:00:00 +0000", "timeEpoch": 1795860000000u64,
                "http": { "method": "GET", "path": "/ip", "protocol": "HTTP/1.1",
                          "sourceIp": "203.0.113.9", "userAgent": "test" }
            },
            "isBase64Encoded": false
        });
        let req = lambda_http::request::from_str(&event.to_string()).unwrap();
        let res = router.oneshot(req).await.unwrap();
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], b"203.0.113.9");
    }
}

#[cfg(test)]
mod front_door {
    use super::*;
    use axum::routing::post;
    use tower::ServiceExt;

    fn event(origin: &str) -> lambda_http::Request {
        let event = serde_json::json!({
            "version": "2.0", "routeKey": "$default", "rawPath": "/api/v1/x", "rawQueryString": "",
            "headers": { "host": "abc.execute-api.eu-central-1.amazonaws.com", "origin": origin },
            "requestContext": {
                "accountId": "123456789012", "apiId": "abc", "domainName": "abc.execute-api.eu-central-1.amazonaws.com",
                "domainPrefix": "abc", "requestId": "r", "routeKey": "$default", "stage": "$default",
                "time": "29/Nov/2026:10:00:00 +0000", "timeEpoch": 1795860000000u64,
                "http": { "method": "POST", "path": "/api/v1/x", "protocol": "HTTP/1.1",
                          "sourceIp": "203.0.113.9", "userAgent": "test" }
            },
            "isBase64Encoded": false
        });
        lambda_http::request::from_str(&event.to_string()).unwrap()
    }

    #[tokio::test]
    async fn a_write_from_the_cabinets_origin_passes_the_front_door_and_another_does_not() {
        let router = edge(Router::new().route("/api/v1/x", post(|| async { "ok" })), "https://chat.example.ru");
        let res = router.clone().oneshot(event("https://chat.example.ru")).await.unwrap();
        assert_eq!(res.status(), 200);
        let res = router.oneshot(event("https://evil.example")).await.unwrap();
        assert_eq!(res.status(), 403);
    }
}
