//! What the journal API's tests share: a project «Ромашка» in Moscow time owned by Анна on
//! fresh embedded adapters, and the journal router called with Анна's session.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use beseda_domain::accounts::{self, NewUser};
use beseda_domain::projects::{self, NewProject};
use beseda_domain::{App, Settings};
use serde_json::Value;
use tower::ServiceExt;

/// Анна's password.
const PASSWORD: &str = "s3cret-pass";

/// An app on fresh embedded adapters and the id of Анна's project «Ромашка» (Europe/Moscow,
/// romashka.ru).
pub async fn owned_project() -> (App, String) {
    let dir = tempfile::tempdir().unwrap().keep();
    let ports =
        beseda_embedded::open(&dir, beseda_ports::queue::QUEUES, std::sync::Arc::new(beseda_ports::SystemClock))
            .unwrap()
            .ports;
    let app = App {
        ports,
        settings: Settings { mail_from: "noreply@x.ru".into(), public_url: "http://localhost".into(), secrets: None },
    };
    let owner =
        accounts::create_user(&app, NewUser { email: "anna@example.ru".into(), ..Default::default() }, PASSWORD)
            .await
            .unwrap();
    let new = NewProject {
        name: "Ромашка".into(),
        timezone: Some("Europe/Moscow".into()),
        domains: vec!["romashka.ru".into()],
        ..Default::default()
    };
    let project = projects::create(&app, &owner.id, new, None).await.unwrap().id;
    (app, project)
}

/// The journal API as Анна calls it, on one project.
pub struct Api {
    router: Router,
    cookie: String,
    pub project: String,
}

impl Api {
    /// Анна logs in.
    pub async fn new(app: &App, project: &str) -> Self {
        let session = accounts::login(app, "anna@example.ru", PASSWORD, "127.0.0.1").await.unwrap();
        let router = beseda_http::finish(journal_api::router(app.clone()));
        Api {
            router,
            cookie: format!("{}={}", beseda_http::SESSION_COOKIE, session.token),
            project: project.to_owned(),
        }
    }

    /// GET a path under the project, in the language `lang`.
    pub async fn get(&self, path: &str, lang: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let req = Request::get(format!("/api/v1/projects/{}{path}", self.project))
            .header(header::COOKIE, &self.cookie)
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::empty())
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        (status, headers, axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap().to_vec())
    }

    /// GET a path under the project as JSON (Null when the body is not JSON).
    pub async fn json(&self, path: &str) -> (StatusCode, Value) {
        let (s, _, body) = self.get(path, "ru").await;
        (s, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }
}
