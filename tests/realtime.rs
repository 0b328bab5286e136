//! The realtime path end to end on the running binary: a visitor writes over HTTP, the
//! operator's socket gets it; the operator answers, the visitor's socket gets it; a socket
//! that sends a frame that is not JSON is closed, and only that one.

use beseda_e2e::Runner;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message as Frame;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn next_json(ws: &mut Socket, kind: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let frame =
            tokio::time::timeout_at(deadline, ws.next()).await.expect("a frame in time").expect("open").expect("frame");
        if let Frame::Text(text) = frame {
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["type"] == kind {
                return v;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_go_both_ways_live_and_a_bad_frame_closes_only_its_socket() {
    let data = tempfile::tempdir().unwrap();
    let runner = Runner::start(data.path()).await;
    let (email, password) = runner.first_login();
    let base = runner.base.clone();
    let ws_base = base.replacen("http", "ws", 1);
    let http = reqwest::Client::new();

    let session: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let me = session["user"]["id"].as_str().unwrap();
    let ok = |r: reqwest::Response| async move {
        let status = r.status();
        assert!(status.is_success(), "{status}: {}", r.text().await.unwrap_or_default());
    };
    ok(http
        .patch(format!("{base}/api/v1/projects/demo/members/{me}"))
        .bearer_auth(&token)
        .json(&json!({ "accesses": ["operator"] }))
        .send()
        .await
        .unwrap())
    .await;
    ok(http
        .put(format!("{base}/api/v1/projects/demo/presence"))
        .bearer_auth(&token)
        .json(&json!({ "online": true }))
        .send()
        .await
        .unwrap())
    .await;

    let (mut operator, _) = tokio_tungstenite::connect_async(format!("{ws_base}/ws?token={token}")).await.unwrap();
    operator.send(Frame::text(json!({ "action": "subscribe", "project": "demo" }).to_string())).await.unwrap();
    next_json(&mut operator, "subscribed").await;

    let visitor: Value = http
        .post(format!("{base}/widget/v1/projects/demo/visitors"))
        .header("origin", &base)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let vtoken = visitor["token"].as_str().unwrap().to_owned();
    let (mut visitor_ws, _) =
        tokio_tungstenite::connect_async(format!("{ws_base}/ws?visitor={vtoken}&project=demo")).await.unwrap();
    let (mut broken, _) =
        tokio_tungstenite::connect_async(format!("{ws_base}/ws?visitor={vtoken}&project=demo")).await.unwrap();

    let sent = http
        .post(format!("{base}/widget/v1/projects/demo/messages"))
        .header("origin", &base)
        .bearer_auth(&vtoken)
        .json(&json!({ "text": "Здравствуйте! Есть доставка?", "client_id": "e2e-1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
    let got = next_json(&mut operator, "message").await;
    assert_eq!(got["message"]["text"], "Здравствуйте! Есть доставка?");
    let dialog = got["dialog"]["id"].as_str().unwrap().to_owned();

    broken.send(Frame::text("{not json")).await.unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match broken.next().await {
                None | Some(Err(_)) | Some(Ok(Frame::Close(_))) => return true,
                Some(Ok(_)) => continue,
            }
        }
    })
    .await
    .unwrap_or(false);
    assert!(closed, "the socket that sent garbage is closed");

    let reply = http
        .post(format!("{base}/api/v1/projects/demo/dialogs/{dialog}/messages"))
        .bearer_auth(&token)
        .json(&json!({ "text": "Да, сегодня до 21:00", "client_id": "op-1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    let got = next_json(&mut visitor_ws, "message").await;
    assert_eq!(got["message"]["text"], "Да, сегодня до 21:00", "the other socket of the visitor still works");
}
