//! The realtime push adapter against `moto_server`, which accepts a push to any connection id.
//! moto never answers 410 Gone, so the Gone path is covered by the local adapter's tests.

use beseda_aws::ApiGatewayRealtime;
use beseda_aws::testing::Moto;
use beseda_ports::realtime::{PushError, Realtime};
use std::net::{Ipv4Addr, TcpListener};

#[tokio::test]
async fn pushes_to_a_connection() {
    let moto = Moto::shared();
    let realtime = ApiGatewayRealtime::new(&moto.sdk_config(), moto.endpoint());
    realtime.push("L0SM9cOFvHcCIhw=", r#"{"type":"message","text":"Здравствуйте"}"#).await.unwrap();
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_backend_error() {
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).and_then(|l| l.local_addr()).unwrap().port();
    let realtime = ApiGatewayRealtime::new(&Moto::shared().sdk_config(), &format!("http://127.0.0.1:{port}"));
    let err = realtime.push("c1", "{}").await.unwrap_err();
    assert!(matches!(err, PushError::Backend(_)), "{err:?}");
}
