//! Test support: the webhook samples in `events/` as the HTTP layer receives them, and a
//! loopback HTTP server that records every request and answers as a platform would.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use std::sync::{Arc, Mutex};

/// A webhook sample: an API Gateway HTTP API (v2.0) event wrapping the platform's request.
pub struct Sample {
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl Sample {
    pub fn load(function: &str, name: &str) -> Sample {
        let path = format!("{}/../../events/{function}/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let event: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut headers = http::HeaderMap::new();
        for (name, value) in event["headers"].as_object().expect("headers") {
            let name = http::HeaderName::from_bytes(name.as_bytes()).unwrap();
            headers.insert(name, value.as_str().unwrap().parse().unwrap());
        }
        assert_eq!(event["isBase64Encoded"], false, "{path}");
        let body = event["body"].as_str().expect("a body").as_bytes().to_vec();
        Sample { headers, body }
    }

    /// Every sample of a function, by name.
    pub fn all(function: &str) -> Vec<(String, Sample)> {
        let dir = format!("{}/../../events/{function}", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|entry| entry.unwrap().file_name().to_string_lossy().trim_end_matches(".json").to_owned())
            .collect();
        names.sort();
        names.into_iter().map(|name| (name.clone(), Sample::load(function, &name))).collect()
    }

    pub fn request(&self) -> crate::WebhookRequest<'_> {
        crate::WebhookRequest { headers: &self.headers, body: &self.body }
    }

    /// Verifies and parses the sample as the webhook path does; it must pass both.
    pub fn parse(&self, channel: &dyn crate::Channel, creds: &crate::Credentials) -> crate::Parsed {
        channel.verify(creds, &self.request()).expect("the sample passes the channel's check");
        channel.parse(creds, &self.request()).expect("the sample parses")
    }
}

/// The one customer message a sample's events must be.
pub fn only_message(name: &str, events: &[crate::Event]) -> crate::Inbound {
    match events {
        [crate::Event::Message(m)] => m.clone(),
        other => panic!("{name}: {other:?}"),
    }
}

/// A request the loopback server received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{} is not JSON: {e}", self.path))
    }

    pub fn form(&self) -> Vec<(String, String)> {
        serde_urlencoded::from_bytes(&self.body).expect("a form body")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A loopback server answering every request with the next canned answer (the last one
/// repeats) and recording what it received.
pub struct Loopback {
    pub base: String,
    received: Arc<Mutex<Vec<Recorded>>>,
}

impl Loopback {
    pub async fn start(answers: Vec<(u16, serde_json::Value)>) -> Loopback {
        let received = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(Mutex::new(answers));
        let (log, queue) = (received.clone(), answers.clone());
        let app = axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (log, queue) = (log.clone(), queue.clone());
            async move {
                log.lock().unwrap().push(Recorded { method, path: uri.to_string(), headers, body });
                let mut queue = queue.lock().unwrap();
                let (status, body) = if queue.len() > 1 { queue.remove(0) } else { queue[0].clone() };
                (StatusCode::from_u16(status).unwrap(), axum::Json(body))
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Loopback { base, received }
    }

    pub fn received(&self) -> Vec<Recorded> {
        self.received.lock().unwrap().clone()
    }
}

pub fn creds(pairs: &[(&str, &str)]) -> crate::Credentials {
    crate::Credentials(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}
