//! The AWS deployment end to end, on `moto_server`: the functions start as Lambda starts them
//! (`beseda_lambda::app_from_env` on the environment the template gives them) and are driven
//! with real API Gateway HTTP API v2, WebSocket and SQS event shapes. The first administrator
//! is made by `beseda --aws create-user`; then the scenario of the embedded end-to-end tests:
//! log in, create a project, a visitor writes, the operator's socket receives it, the
//! operator answers, the visitor's socket receives it, a form lead lands in the journal and
//! its notification mail goes out through SES; a Telegram bot's token is saved through the
//! cabinet, sealed under a data key that KMS wrapped, and read back masked by a function that
//! starts cold with read access only (KMS `Decrypt`).
//!
//! moto accepts `PostToConnection` but cannot give back what was posted, so the WebSocket
//! stage's management endpoint is a recorder on loopback: the real SDK client signs and posts
//! to it, it keeps every frame per connection and answers 410 Gone for closed connections.
//! The table is wrapped in a counter of the calls each step makes (the README's cost figures).
//! Last, the project moves to the one-server mode: `beseda --aws export`, `beseda import`.

use async_trait::async_trait;
use aws_lambda_events::event::apigw::ApiGatewayWebsocketProxyRequest;
use aws_lambda_events::event::sqs::SqsEvent;
use aws_sdk_sqs::types::MessageSystemAttributeName;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use beseda_aws::testing::Moto;
use beseda_channels::Channels;
use beseda_domain::App;
use beseda_ports::Ports;
use beseda_ports::atomic::{Atomic, Outgoing};
use beseda_ports::table::{Condition, Cursor, Item, Page, Query, StoreError, TableStore, Write};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

/// The frames posted to each connection, and the connections that are gone.
#[derive(Default)]
struct Sockets {
    frames: Mutex<Vec<(String, Value)>>,
    gone: Mutex<HashSet<String>>,
}

impl Sockets {
    fn frames(&self, connection: &str, kind: &str) -> Vec<Value> {
        let frames = self.frames.lock().unwrap();
        frames.iter().filter(|(c, f)| c == connection && f["type"] == kind).map(|(_, f)| f.clone()).collect()
    }
}

/// API Gateway's management API as the adapter sees it: `POST <stage>/@connections/{id}`.
async fn post_to_connection(
    State(sockets): State<Arc<Sockets>>,
    Path(id): Path<String>,
    body: Bytes,
) -> (StatusCode, [(&'static str, &'static str); 1], &'static str) {
    if sockets.gone.lock().unwrap().contains(&id) {
        return (StatusCode::GONE, [("x-amzn-errortype", "GoneException")], r#"{"message":"Gone"}"#);
    }
    let frame = serde_json::from_slice(&body).unwrap_or(Value::Null);
    sockets.frames.lock().unwrap().push((id, frame));
    (StatusCode::OK, [("content-type", "application/json")], "{}")
}

/// Counts the table calls: reads (get, query) and writes (put, delete, each item of a
/// transaction or a batch).
struct Counting {
    inner: Arc<dyn TableStore>,
    atomic: Arc<dyn Atomic>,
    reads: AtomicUsize,
    writes: AtomicUsize,
}

impl Counting {
    fn take(&self) -> (usize, usize) {
        (self.reads.swap(0, Ordering::SeqCst), self.writes.swap(0, Ordering::SeqCst))
    }
}

#[async_trait]
impl Atomic for Counting {
    async fn commit(&self, writes: Vec<Write>, sends: Vec<Outgoing>) -> Result<(), StoreError> {
        self.writes.fetch_add(writes.len(), Ordering::SeqCst);
        self.atomic.commit(writes, sends).await
    }
}

#[async_trait]
impl TableStore for Counting {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.inner.get(pk, sk).await
    }
    async fn put(&self, item: Item, condition: Condition) -> Result<u64, StoreError> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        self.inner.put(item, condition).await
    }
    async fn delete(&self, pk: &str, sk: &str, condition: Condition) -> Result<(), StoreError> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        self.inner.delete(pk, sk, condition).await
    }
    async fn query(&self, query: Query) -> Result<Page, StoreError> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.inner.query(query).await
    }
    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        self.writes.fetch_add(writes.len(), Ordering::SeqCst);
        self.inner.transact(writes).await
    }
    async fn put_batch(&self, items: Vec<Item>) -> Result<(), StoreError> {
        self.writes.fetch_add(items.len(), Ordering::SeqCst);
        self.inner.put_batch(items).await
    }
    async fn scan(&self, pk_prefix: &str, after: Option<Cursor>, limit: usize) -> Result<Page, StoreError> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.inner.scan(pk_prefix, after, limit).await
    }
}

/// The deployment: the functions' routers as their Lambdas serve them, the realtime and
/// queue functions' handlers, and what the test reads back.
struct Deployment {
    moto: Moto,
    app: App,
    env: Vec<(String, String)>,
    cabinet: Router,
    operator: Router,
    journal: Router,
    widget: Router,
    sockets: Arc<Sockets>,
    table: Arc<Counting>,
    invocations: AtomicUsize,
}

const SITE: &str = "https://shop.example";
/// The front door: the cabinet's origin, which API Gateway does not see as its host.
const PUBLIC_URL: &str = "https://chat.example.ru";
const SOURCE_IP: &str = "198.51.100.7";

impl Deployment {
    async fn start() -> Deployment {
        let sockets = Arc::new(Sockets::default());
        let recorder =
            Router::new().route("/live/@connections/{id}", post(post_to_connection)).with_state(sockets.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let ws_endpoint = format!("http://{}/live", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, recorder).await });

        // A private server: the sent mail is read back from its global record.
        let moto = Moto::start();
        let env = moto.deployment(&ws_endpoint, PUBLIC_URL).await;
        for (name, value) in &env {
            // SAFETY: this test binary holds one test, and it sets the environment before
            // anything in it reads the environment.
            unsafe { std::env::set_var(name, value) };
        }
        let mut app = beseda_lambda::app_from_env(Some(beseda_lambda::Access::Create))
            .await
            .expect("the functions start on the template's environment");
        let p = app.ports.clone();
        let table = Arc::new(Counting { inner: p.table, atomic: p.atomic, reads: 0.into(), writes: 0.into() });
        app.ports = Ports::new(table.clone(), table.clone(), p.queue, p.mail, p.blobs, p.realtime, p.keys, p.clock);
        let limits = widget_api::Limits {
            per_visitor: 100,
            per_ip: 1000,
            new_visitors_per_ip: 1000,
            new_visitors_per_project: 1000,
        };
        Deployment {
            moto,
            cabinet: beseda_lambda::edge(
                cabinet_api::with_channels(cabinet_api::router(app.clone()), Arc::new(Channels::from_env())),
                PUBLIC_URL,
            ),
            operator: beseda_lambda::edge(operator_api::router(app.clone()), PUBLIC_URL),
            journal: beseda_lambda::edge(journal_api::router(app.clone()), PUBLIC_URL),
            widget: beseda_lambda::edge(widget_api::router(app.clone(), limits), PUBLIC_URL),
            app,
            env,
            sockets,
            table,
            invocations: 0.into(),
        }
    }

    /// The function API Gateway routes the path to, as the template's routes do.
    fn route(&self, path: &str) -> &Router {
        let project_route = path.strip_prefix("/api/v1/projects/").and_then(|rest| rest.split_once('/'));
        match project_route.map(|(_, rest)| rest.split('/').next().unwrap_or_default()) {
            _ if path.starts_with("/widget/v1/") => &self.widget,
            Some("dialogs" | "presence" | "operators") => &self.operator,
            Some("journal") => &self.journal,
            _ => &self.cabinet,
        }
    }

    /// One HTTP API (payload 2.0) request through the function of its route.
    async fn http(&self, method: &str, path: &str, auth: Auth<'_>, body: Option<Value>) -> (StatusCode, Value) {
        self.invocations.fetch_add(1, Ordering::SeqCst);
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let host = "abc123.execute-api.us-east-1.amazonaws.com";
        let mut headers = json!({ "host": host, "user-agent": "e2e", "x-forwarded-for": "1.1.1.1" });
        match auth {
            Auth::Operator(token) => {
                headers["authorization"] = json!(format!("Bearer {token}"));
                headers["origin"] = json!(PUBLIC_URL);
            }
            Auth::Visitor(token) => {
                headers["authorization"] = json!(format!("Bearer {token}"));
                headers["origin"] = json!(SITE);
            }
            Auth::Site => headers["origin"] = json!(SITE),
            Auth::None => headers["origin"] = json!(PUBLIC_URL),
        }
        if body.is_some() {
            headers["content-type"] = json!("application/json");
        }
        let event = json!({
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": path,
            "rawQueryString": query,
            "headers": headers,
            "requestContext": {
                "accountId": "123456789012", "apiId": "abc123", "domainName": host,
                "domainPrefix": "abc123", "requestId": "e2e", "routeKey": "$default", "stage": "$default",
                "time": "29/Nov/2026:10:00:00 +0000", "timeEpoch": 1_795_860_000_000u64,
                "http": { "method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": SOURCE_IP, "userAgent": "e2e" }
            },
            "body": body.map(|b| b.to_string()),
            "isBase64Encoded": false
        });
        let request = lambda_http::request::from_str(&event.to_string()).expect("an HTTP API event");
        let response = self.route(path).clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    /// One WebSocket API event through the realtime function.
    async fn socket(&self, route: &str, connection: &str, query: Value, body: Option<Value>) -> i64 {
        self.invocations.fetch_add(1, Ordering::SeqCst);
        // A browser sends its page's origin: the cabinet's for operators, the site's for visitors.
        let origin = if query.get("visitor").is_some() { SITE } else { "https://chat.example.ru" };
        let event = json!({
            "headers": { "Host": "ws.example.ru", "Origin": origin },
            "queryStringParameters": query,
            "requestContext": {
                "routeKey": route, "eventType": "MESSAGE", "messageDirection": "IN", "stage": "live",
                "connectedAt": 1_795_860_000_000u64, "requestTimeEpoch": 1_795_860_000_000u64,
                "identity": { "sourceIp": SOURCE_IP }, "requestId": "e2e",
                "domainName": "ws.example.ru", "connectionId": connection, "apiId": "ws"
            },
            "body": body.map(|b| b.to_string()),
            "isBase64Encoded": false
        });
        let event: ApiGatewayWebsocketProxyRequest = serde_json::from_value(event).expect("a WebSocket event");
        realtime::handle(&self.app, event).await.status_code
    }

    /// What the SQS event source mapping does: receives a batch, invokes the consumer, deletes
    /// what it did not report as failed; until the queue is empty.
    async fn drain_notifications(&self) -> usize {
        let sqs = aws_sdk_sqs::Client::new(&self.moto.sdk_config());
        let url = self.var("QUEUE_URL_NOTIFICATIONS");
        let mut handled = 0;
        loop {
            let out = sqs
                .receive_message()
                .queue_url(&url)
                .max_number_of_messages(10)
                .message_system_attribute_names(MessageSystemAttributeName::All)
                .send()
                .await
                .unwrap();
            let messages = out.messages();
            if messages.is_empty() {
                return handled;
            }
            let records: Vec<Value> = messages
                .iter()
                .map(|m| {
                    let attributes: HashMap<String, String> =
                        m.attributes().into_iter().flatten().map(|(k, v)| (k.as_str().to_owned(), v.clone())).collect();
                    json!({
                        "messageId": m.message_id(), "receiptHandle": m.receipt_handle(), "body": m.body(),
                        "attributes": attributes, "messageAttributes": {}, "md5OfBody": m.md5_of_body(),
                        "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:notifications",
                        "awsRegion": "us-east-1"
                    })
                })
                .collect();
            let event: SqsEvent = serde_json::from_value(json!({ "Records": records })).expect("an SQS event");
            self.invocations.fetch_add(1, Ordering::SeqCst);
            let response = notifications_worker::handle(&self.app, None, event).await;
            let failed: HashSet<String> =
                response.batch_item_failures.iter().map(|f| f.item_identifier.clone()).collect();
            assert!(failed.is_empty(), "every notification is delivered: {failed:?}");
            for m in messages {
                sqs.delete_message().queue_url(&url).receipt_handle(m.receipt_handle().unwrap()).send().await.unwrap();
                handled += 1;
            }
        }
    }

    /// The raw mails SES accepted.
    async fn sent_mail(&self) -> Vec<String> {
        let data: Value =
            reqwest::get(format!("{}/moto-api/data.json", self.moto.endpoint())).await.unwrap().json().await.unwrap();
        data["ses"]["RawMessage"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| m["raw_data"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    fn var(&self, name: &str) -> String {
        self.env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// Table reads and writes, and function invocations, since the last call.
    fn take_counts(&self) -> (usize, usize, usize) {
        let (reads, writes) = self.table.take();
        (reads, writes, self.invocations.swap(0, Ordering::SeqCst))
    }
}

#[derive(Clone, Copy)]
enum Auth<'a> {
    None,
    Operator(&'a str),
    Visitor(&'a str),
    /// The widget before it has a visitor token: only the page's origin.
    Site,
}

fn created(status: StatusCode, body: &Value) {
    assert!(status.is_success(), "{status}: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aws_deployment_serves_the_whole_chat() {
    let aws = Deployment::start().await;

    // The first administrator, made from the command line against the deployment.
    let out = std::process::Command::new(beseda_e2e::binary())
        .args(["--aws", "create-user", "--email", "owner@shop.example", "--first-name", "Анна"])
        .envs(aws.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("beseda runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "create-user --aws: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    let password = stdout.lines().find_map(|l| l.strip_prefix("password: ")).expect("a generated password").to_owned();

    let (status, session) = aws
        .http(
            "POST",
            "/api/v1/auth/login",
            Auth::None,
            Some(json!({ "email": "owner@shop.example", "password": password })),
        )
        .await;
    created(status, &session);
    let token = session["token"].as_str().unwrap().to_owned();
    let me = session["user"]["id"].as_str().unwrap().to_owned();
    let op = Auth::Operator(&token);

    let (status, project) =
        aws.http("POST", "/api/v1/projects", op, Some(json!({ "name": "Магазин", "domains": ["shop.example"] }))).await;
    created(status, &project);
    let pid = project["project"]["id"].as_str().unwrap().to_owned();
    let snippet = project["project"]["embed_snippet"].as_str().unwrap();
    assert!(snippet.contains("https://chat.example.ru/widget/"), "the snippet points at PUBLIC_URL: {snippet}");
    let (status, body) = aws.http("POST", &format!("/api/v1/projects/{pid}/billing/trial"), op, None).await;
    created(status, &body);
    let (status, body) = aws
        .http("PATCH", &format!("/api/v1/projects/{pid}/members/{me}"), op, Some(json!({ "accesses": ["operator"] })))
        .await;
    created(status, &body);
    let (status, body) =
        aws.http("PUT", &format!("/api/v1/projects/{pid}/presence"), op, Some(json!({ "online": true }))).await;
    created(status, &body);

    // The operator's socket opens with a ticket from the API and follows the project.
    let (status, ticket) =
        aws.http("POST", &format!("/api/v1/projects/{pid}/realtime-ticket"), op, Some(json!({}))).await;
    created(status, &ticket);
    let ticket = ticket["ticket"].as_str().unwrap().to_owned();
    assert_eq!(aws.socket("$connect", "op-conn", json!({ "token": token }), None).await, 401, "no session in URLs");
    assert_eq!(aws.socket("$connect", "op-conn", json!({ "ticket": ticket }), None).await, 200);
    assert_eq!(aws.socket("$connect", "op-conn-2", json!({ "ticket": ticket }), None).await, 401, "spent");
    let subscribe = json!({ "action": "subscribe", "project": pid });
    assert_eq!(aws.socket("$default", "op-conn", json!({}), Some(subscribe)).await, 200);
    assert_eq!(aws.sockets.frames("op-conn", "subscribed").len(), 1);

    // A visitor opens the site: config, a visitor token, a socket; and a stale socket of the
    // same visitor that API Gateway has already closed.
    aws.take_counts();
    let (status, config) = aws.http("GET", &format!("/widget/v1/projects/{pid}/config"), Auth::Site, None).await;
    created(status, &config);
    let (status, visitor) =
        aws.http("POST", &format!("/widget/v1/projects/{pid}/visitors"), Auth::Site, Some(json!({}))).await;
    created(status, &visitor);
    let vtoken = visitor["token"].as_str().unwrap().to_owned();
    let vq = json!({ "visitor": vtoken, "project": pid });
    assert_eq!(aws.socket("$connect", "visitor-conn", vq.clone(), None).await, 200);
    let page_view = aws.take_counts();
    assert_eq!(aws.socket("$connect", "stale-conn", vq, None).await, 200);
    aws.sockets.gone.lock().unwrap().insert("stale-conn".into());
    aws.take_counts();

    // The visitor writes; the operator's socket receives it.
    let (status, body) = aws
        .http(
            "POST",
            &format!("/widget/v1/projects/{pid}/messages"),
            Auth::Visitor(&vtoken),
            Some(json!({ "text": "Здравствуйте! Есть доставка?", "client_id": "c-1" })),
        )
        .await;
    created(status, &body);
    let visitor_message = aws.take_counts();
    let got = aws.sockets.frames("op-conn", "message");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["message"]["text"], "Здравствуйте! Есть доставка?");
    let dialog = got[0]["dialog"]["id"].as_str().unwrap().to_owned();

    // The operator answers; the visitor's socket receives it, the closed one is forgotten.
    let (status, body) = aws
        .http(
            "POST",
            &format!("/api/v1/projects/{pid}/dialogs/{dialog}/messages"),
            op,
            Some(json!({ "text": "Да, сегодня до 21:00", "client_id": "op-1" })),
        )
        .await;
    created(status, &body);
    let operator_reply = aws.take_counts();
    let got = aws.sockets.frames("visitor-conn", "message");
    assert!(got.iter().any(|f| f["message"]["text"] == "Да, сегодня до 21:00"), "{got:?}");
    let stale = aws.app.ports.table.query(Query::partition("conn#stale-conn")).await.unwrap();
    assert!(stale.items.is_empty(), "a connection API Gateway answered 410 for is forgotten");

    // A form lead lands in the journal, and its notification mail goes out through SES.
    let form = json!({ "request_id": "f-1", "values": { "name": "Анна", "phone": "8 912 345-67-89" } });
    let (status, lead) =
        aws.http("POST", &format!("/widget/v1/projects/{pid}/requests"), Auth::Visitor(&vtoken), Some(form)).await;
    created(status, &lead);
    let (status, journal) = aws.http("GET", &format!("/api/v1/projects/{pid}/journal"), op, None).await;
    created(status, &journal);
    let text = journal.to_string();
    assert!(text.contains(lead["lead_id"].as_str().unwrap()), "the lead is in the journal: {text}");
    assert!(aws.drain_notifications().await >= 1, "the lead's notification was queued");
    let mails = aws.sent_mail().await;
    assert!(
        mails.iter().any(|m| m.contains("owner@shop.example")),
        "SES sent the notification to the administrator: {mails:?}"
    );

    // Integration secrets: the first one saved makes the data key (KMS GenerateDataKey, stored
    // wrapped); the token is sealed in the table and shown masked. Another function, started
    // cold with read access only, unwraps the same data key (KMS Decrypt) and opens it.
    let integration = format!("/api/v1/projects/{pid}/integrations/telegram");
    let bot = json!({ "enabled": false, "settings": { "token": "123456789:AAE-secret-xY", "username": "shop_bot" } });
    let (status, saved) = aws.http("PUT", &integration, op, Some(bot)).await;
    created(status, &saved);
    assert_eq!(saved["settings"]["token"], "12…xY");
    let (pk, sk) = beseda_domain::keys::data_key();
    let data_key = aws.app.ports.table.get(&pk, &sk).await.unwrap().expect("the data key is stored");
    assert!(data_key.body["wrapped"].as_str().is_some_and(|w| w.len() > 100), "wrapped by KMS: {}", data_key.body);
    let (pk, sk) = beseda_domain::keys::integration(&pid, "telegram");
    let stored = aws.app.ports.table.get(&pk, &sk).await.unwrap().expect("the integration is stored");
    assert!(!stored.body.to_string().contains("AAE-secret"), "sealed at rest: {}", stored.body);
    let (status, listed) = aws.http("GET", &format!("/api/v1/projects/{pid}/integrations"), op, None).await;
    created(status, &listed);
    assert_eq!(listed["integrations"][0]["settings"]["token"], "12…xY", "{listed}");
    let reader = beseda_lambda::app_from_env(Some(beseda_lambda::Access::Open)).await.expect("a reader starts");
    let views = beseda_domain::integrations::list(&reader, &pid).await.expect("the reader unwraps the data key");
    assert_eq!(views[0].settings["token"], "12…xY");

    // The project moves to the one-server mode: exported from AWS, imported into a data folder.
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("project.jsonl");
    let beseda = |args: &[&str], aws_env: bool| {
        let mut command = std::process::Command::new(beseda_e2e::binary());
        command.args(args);
        if aws_env {
            command.envs(aws.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        let out = command.output().expect("beseda runs");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "beseda {args:?}: {text}");
        text
    };
    let file_arg = file.to_str().unwrap();
    beseda(&["--aws", "export", "--project", &pid, "--file", file_arg], true);
    let exported = std::fs::read_to_string(&file).unwrap();
    assert!(exported.contains("Здравствуйте! Есть доставка?") && exported.contains("owner@shop.example"));
    let data = folder.path().join("data");
    let data_arg = data.to_str().unwrap();
    let imported = beseda(&["--data", data_arg, "import", "--file", file_arg], false);
    assert!(imported.contains(&format!("imported {} item(s)", exported.lines().count())), "{imported}");
    let again = beseda(&["--data", data_arg, "export", "--project", &pid], false);
    assert_eq!(again.lines().filter(|l| l.starts_with('{')).count(), exported.lines().count());

    println!("per page view (config, visitor, socket): reads, writes, invocations = {page_view:?}");
    println!("per visitor message: reads, writes, invocations = {visitor_message:?}");
    println!("per operator reply: reads, writes, invocations = {operator_reply:?}");
}
