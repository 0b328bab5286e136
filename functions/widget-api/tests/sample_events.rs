//! The widget API's sample events in `events/widget-api/` are real HTTP API (payload 2.0)
//! requests of the shape the widget sends: they parse as what `lambda_http` receives, on the
//! SAM template's route, from a page of the project's site.

use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpRequest;
use lambda_http::http::{Method, header};

fn sample(name: &str) -> ApiGatewayV2httpRequest {
    let path = format!("{}/../../events/widget-api/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not an HTTP API v2.0 request: {e}"))
}

fn header(event: &ApiGatewayV2httpRequest, name: header::HeaderName) -> Option<&str> {
    event.headers.get(name).and_then(|v| v.to_str().ok())
}

/// What every request of the widget carries: the template's route, the `$default` stage (no
/// stage prefix in the path) and the page's origin, which the API checks against the
/// project's domains.
fn assert_widget_request(event: &ApiGatewayV2httpRequest, method: Method, path: &str) {
    assert_eq!(event.version.as_deref(), Some("2.0"));
    assert_eq!(event.route_key.as_deref(), Some("ANY /widget/v1/{proxy+}"));
    assert_eq!(event.request_context.route_key.as_deref(), Some("ANY /widget/v1/{proxy+}"));
    assert_eq!(event.request_context.stage.as_deref(), Some("$default"));
    assert_eq!(event.request_context.http.method, method);
    assert_eq!(event.raw_path.as_deref(), Some(path));
    assert_eq!(event.request_context.http.path.as_deref(), Some(path));
    let proxy = path.strip_prefix("/widget/v1/").unwrap();
    assert_eq!(event.path_parameters.get("proxy").map(String::as_str), Some(proxy));
    assert_eq!(header(event, header::ORIGIN), Some("https://romashka.example"));
    let referer = header(event, header::REFERER).expect("a referer");
    assert!(referer.starts_with("https://romashka.example/"), "{referer}");
    assert!(event.request_context.http.source_ip.is_some(), "the rate limit counts per IP");
}

#[test]
fn the_config_sample_is_a_get_from_the_projects_site() {
    let event = sample("config.json");
    assert_widget_request(&event, Method::GET, "/widget/v1/projects/demo/config");
    assert!(event.body.is_none());
    assert_eq!(header(&event, header::AUTHORIZATION), None, "the config is read before a visitor exists");
}

#[test]
fn the_message_sample_is_a_visitors_post_with_a_json_body() {
    let event = sample("message.json");
    assert_widget_request(&event, Method::POST, "/widget/v1/projects/demo/messages");
    assert_eq!(header(&event, header::CONTENT_TYPE), Some("application/json"));
    let token = header(&event, header::AUTHORIZATION).and_then(|v| v.strip_prefix("Bearer ")).expect("a bearer token");
    let (id, secret) = token.split_once('.').expect("a visitor token is <id>.<secret>");
    assert!(!id.is_empty() && !secret.is_empty());

    assert!(!event.is_base64_encoded);
    let body = event.body.as_deref().expect("a body");
    let length: usize = header(&event, header::CONTENT_LENGTH).unwrap().parse().unwrap();
    assert_eq!(length, body.len(), "content-length counts the UTF-8 bytes");
    let json: serde_json::Value = serde_json::from_str(body).expect("the body is JSON");
    assert_eq!(json["text"], "Здравствуйте! Есть доставка сегодня?");
    assert_eq!(json["client_id"], "c-1");
    assert_eq!(json["page_url"], "https://romashka.example/catalog");
}
