//! The realtime path end to end on the running binary: a visitor writes over HTTP, the
//! operator's socket gets it; the operator answers, the visitor's socket gets it; a socket
//! that sends a frame that is not JSON is closed, and only that one. The feed ends at once when
//! the operator logs out or is removed from the project, and a page of another site cannot open
//! a socket with the operator's ticket; a ticket opens one socket, and a session or the cookie
//! opens none.

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

    let session = runner.login(&email, &password).await;
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

    let ticket = runner.ticket(&token, "demo").await;
    let (mut operator, _) = tokio_tungstenite::connect_async(format!("{ws_base}/ws?ticket={ticket}")).await.unwrap();
    operator.send(Frame::text(json!({ "action": "subscribe", "project": "demo" }).to_string())).await.unwrap();
    next_json(&mut operator, "subscribed").await;

    let vtoken = runner.visitor().await;
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

/// Whether a frame of `kind` arrives within a second and a half.
async fn arrives(ws: &mut Socket, kind: &str) -> bool {
    tokio::time::timeout(Duration::from_millis(1500), next_json(ws, kind)).await.is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_ends_with_logout_and_removal_and_foreign_pages_are_refused() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let data = tempfile::tempdir().unwrap();
    let runner = Runner::start(data.path()).await;
    let (email, password) = runner.first_login();
    let base = runner.base.clone();
    let ws_base = base.replacen("http", "ws", 1);
    let http = reqwest::Client::new();
    let login = |email: String, password: String| {
        let runner = &runner;
        async move { runner.login(&email, &password).await["token"].as_str().unwrap().to_owned() }
    };
    let admin = login(email, password).await;
    let me: Value =
        http.get(format!("{base}/api/v1/me")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
    let me = me["user"]["id"].as_str().unwrap().to_owned();
    for (method, url, body) in [
        ("PATCH", format!("{base}/api/v1/projects/demo/members/{me}"), json!({ "accesses": ["operator"] })),
        ("PUT", format!("{base}/api/v1/projects/demo/presence"), json!({ "online": true })),
    ] {
        let r = http.request(method.parse().unwrap(), url).bearer_auth(&admin).json(&body).send().await.unwrap();
        assert!(r.status().is_success(), "{method}: {}", r.status());
    }

    let refused = |request: tokio_tungstenite::tungstenite::handshake::client::Request, status: u16, why: &str| {
        let why = why.to_owned();
        async move {
            match tokio_tungstenite::connect_async(request).await {
                Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), status, "{why}"),
                other => panic!("{why}: got a socket: {:?}", other.map(|(_, r)| r.status())),
            }
        }
    };
    let ticket = runner.ticket(&admin, "demo").await;
    let mut foreign = format!("{ws_base}/ws?ticket={ticket}").into_client_request().unwrap();
    foreign.headers_mut().insert("origin", "https://evil.example".parse().unwrap());
    refused(foreign, 403, "a foreign page").await;
    let mut cookie = format!("{ws_base}/ws").into_client_request().unwrap();
    cookie.headers_mut().insert("origin", base.parse().unwrap());
    cookie.headers_mut().insert("cookie", format!("beseda_session={admin}").parse().unwrap());
    refused(cookie, 401, "the cookie alone").await;
    refused(format!("{ws_base}/ws?token={admin}").into_client_request().unwrap(), 401, "a session token").await;
    let mut own = format!("{ws_base}/ws?ticket={ticket}").into_client_request().unwrap();
    own.headers_mut().insert("origin", base.parse().unwrap());
    tokio_tungstenite::connect_async(own).await.expect("the cabinet's own page gets a socket");
    refused(format!("{ws_base}/ws?ticket={ticket}").into_client_request().unwrap(), 401, "a spent ticket").await;

    // A second operator, who sets a password through the mailed link.
    let added = http
        .post(format!("{base}/api/v1/projects/demo/members"))
        .bearer_auth(&admin)
        .json(&json!({ "email": "op2@example.com", "accesses": ["operator"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 201);
    let team: Value = http
        .get(format!("{base}/api/v1/projects/demo/members?q=op2@example.com"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let op_id = team["members"][0]["user_id"].as_str().unwrap().to_owned();
    let mut link_token = String::new();
    for _ in 0..50 {
        let mails: Value =
            http.get(format!("{base}/outbox.json")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
        let text =
            mails.as_array().unwrap().iter().find(|m| m["to"][0] == "op2@example.com").map(|m| m["text"].to_string());
        if let Some(t) = text.and_then(|t| t.split("token=").nth(1).map(|r| r.split('&').next().unwrap().to_owned())) {
            link_token = t;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let set = http
        .post(format!("{base}/api/v1/auth/password-reset/confirm"))
        .json(&json!({ "token": link_token, "password": "op2-password", "password_again": "op2-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 204);
    let operator = login("op2@example.com".into(), "op2-password".into()).await;

    let subscribe = |token: String| {
        let ws_base = ws_base.clone();
        let runner = &runner;
        async move {
            let ticket = runner.ticket(&token, "demo").await;
            let (mut ws, _) = tokio_tungstenite::connect_async(format!("{ws_base}/ws?ticket={ticket}")).await.unwrap();
            ws.send(Frame::text(json!({ "action": "subscribe", "project": "demo" }).to_string())).await.unwrap();
            next_json(&mut ws, "subscribed").await;
            ws
        }
    };
    let vtoken = runner.visitor().await;
    let write = |n: u32| {
        let (http, base, vtoken) = (http.clone(), base.clone(), vtoken.clone());
        async move {
            let r = http
                .post(format!("{base}/widget/v1/projects/demo/messages"))
                .header("origin", &base)
                .bearer_auth(&vtoken)
                .json(&json!({ "text": format!("Вопрос {n}"), "client_id": format!("e2e-feed-{n}") }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
        }
    };

    let mut admin_ws = subscribe(admin.clone()).await;
    let mut operator_ws = subscribe(operator.clone()).await;
    write(1).await;
    assert!(arrives(&mut admin_ws, "message").await && arrives(&mut operator_ws, "message").await);

    let out = http.post(format!("{base}/api/v1/auth/logout")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(out.status(), 204);
    let removed = http
        .delete(format!("{base}/api/v1/projects/demo/members/{op_id}"))
        .bearer_auth(&login(runner.first_login().0, runner.first_login().1).await)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204, "{}", removed.text().await.unwrap_or_default());
    write(2).await;
    assert!(!arrives(&mut admin_ws, "message").await, "the feed outlived the log-out");
    assert!(!arrives(&mut operator_ws, "message").await, "the feed outlived the removal");
}
