//! The WebSocket routes on the sample events from `events/realtime/`, over the embedded
//! adapters.

use aws_lambda_events::event::apigw::ApiGatewayWebsocketProxyRequest;
use beseda_domain::accounts::{self, NewUser};
use beseda_domain::{App, Settings};
use std::sync::Arc;

fn sample(name: &str) -> ApiGatewayWebsocketProxyRequest {
    let path = format!("{}/../../events/realtime/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test]
async fn connect_ping_disconnect() {
    let dir = tempfile::tempdir().unwrap().keep();
    let e = beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, Arc::new(beseda_ports::SystemClock)).unwrap();
    // The cabinet of the sample's `Origin`.
    let settings = Settings { public_url: "https://app.example.com".into(), ..Settings::from_env() };
    let app = App { ports: e.ports, settings };
    accounts::create_user(&app, NewUser { email: "op@x.ru".into(), ..Default::default() }, "password1").await.unwrap();
    let session = accounts::login(&app, "op@x.ru", "password1", "ip").await.unwrap();

    let refused = realtime::handle(&app, sample("connect.json")).await;
    assert_eq!(refused.status_code, 401, "the sample's ticket was never issued");

    let (connection_id, mut frames) = e.hub.connect();
    let with = |name: &str, value: &str| {
        let mut connect = sample("connect.json");
        connect.request_context.connection_id = Some(connection_id.clone());
        connect.query_string_parameters =
            std::collections::HashMap::from([(name.to_owned(), vec![value.to_owned()])]).into();
        connect
    };
    let ticket = beseda_domain::realtime::issue_ticket(&app, "p", &session.user.id, &session.token).await.unwrap();
    assert_eq!(realtime::handle(&app, with("token", &session.token)).await.status_code, 401, "no session in the URL");
    let mut foreign = with("ticket", &ticket);
    foreign.headers.insert("origin", "https://evil.example".parse().unwrap());
    assert_eq!(realtime::handle(&app, foreign).await.status_code, 403, "a foreign page is refused");
    let ticket = beseda_domain::realtime::issue_ticket(&app, "p", &session.user.id, &session.token).await.unwrap();
    assert_eq!(realtime::handle(&app, with("ticket", &ticket)).await.status_code, 200);
    assert_eq!(realtime::handle(&app, with("ticket", &ticket)).await.status_code, 401, "a ticket opens one socket");

    let mut ping = sample("default-ping.json");
    ping.request_context.connection_id = Some(connection_id.clone());
    assert_eq!(realtime::handle(&app, ping).await.status_code, 200);
    assert_eq!(frames.recv().await.unwrap(), r#"{"type":"pong"}"#);
    assert_eq!(
        beseda_domain::realtime::push_to_user(&app, &session.user.id, &serde_json::json!({"type": "x"})).await.unwrap(),
        1
    );

    let mut bye = sample("disconnect.json");
    bye.request_context.connection_id = Some(connection_id);
    assert_eq!(realtime::handle(&app, bye).await.status_code, 200);
    assert_eq!(
        beseda_domain::realtime::push_to_user(&app, &session.user.id, &serde_json::json!({"type": "x"})).await.unwrap(),
        0
    );
}
