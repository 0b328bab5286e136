//! The running binary's edge against an attacker: every documented route answers broken query
//! and path parameters with the JSON error envelope (never plain text, never a 5xx); unknown
//! routes and methods too; the outbox needs the installation's administrator; pages carry a
//! Content-Security-Policy and refuse framing; user files are served with `nosniff`.

use beseda_e2e::Runner;
use serde_json::{Value, json};

/// Checks that a response is a 4xx JSON envelope (or a success), never a 5xx or plain text.
async fn assert_envelope(what: &str, r: reqwest::Response) {
    let status = r.status();
    let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body = r.text().await.unwrap_or_default();
    assert!(!status.is_server_error(), "{what}: {status} {body}");
    if status.is_client_error() {
        assert!(kind.starts_with("application/json"), "{what}: {status} {kind} {body:?}");
        let v: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{what}: not JSON: {body:?}"));
        assert!(v["error"]["code"].is_string() && v["error"]["message"].is_string(), "{what}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_parameters_on_every_route_get_the_envelope() {
    let data = tempfile::tempdir().unwrap();
    let runner = Runner::start(data.path()).await;
    let (email, password) = runner.first_login();
    let base = runner.base.clone();
    let http = reqwest::Client::new();
    let session = runner.login(&email, &password).await;
    let token = session["token"].as_str().unwrap().to_owned();
    let doc: Value = http.get(format!("{base}/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let broken_query = "?limit=abc&after=a&after=b&folder=bogus&status=bogus&access=bogus&from=bogus&to=bogus";
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            if path.ends_with("/logout") {
                continue;
            }
            // Every path parameter as invalid UTF-8, then as a word of the wrong type.
            for param in ["%FF%FE", "not-a-thing"] {
                let mut concrete = String::new();
                for (i, part) in path.split(['{', '}']).enumerate() {
                    concrete.push_str(if i % 2 == 1 { param } else { part });
                }
                let url = format!("{base}{concrete}{broken_query}");
                let req = http
                    .request(method.to_uppercase().parse().unwrap(), &url)
                    .bearer_auth(&token)
                    .header("origin", &base)
                    .header("content-type", "application/json")
                    .body("{}");
                assert_envelope(&format!("{method} {url}"), req.send().await.unwrap()).await;
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "{checked} calls");
    let dialogs = http.get(format!("{base}/api/v1/projects/demo/dialogs?folder=bogus")).bearer_auth(&token);
    let r = dialogs.send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "invalid_query");
    for (method, url) in [("GET", "/api/v1/nowhere"), ("DELETE", "/api/v1/me"), ("PATCH", "/api/openapi.json")] {
        let r = http.request(method.parse().unwrap(), format!("{base}{url}")).bearer_auth(&token).send().await.unwrap();
        assert!(r.status() == 404 || r.status() == 405, "{method} {url}: {}", r.status());
        assert_envelope(&format!("{method} {url}"), r).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_is_the_administrators_and_pages_carry_their_policy() {
    let data = tempfile::tempdir().unwrap();
    let runner = Runner::start(data.path()).await;
    let (email, password) = runner.first_login();
    let base = runner.base.clone();
    let http = reqwest::Client::new();
    for page in ["/outbox", "/outbox.json"] {
        let r = http.get(format!("{base}{page}")).send().await.unwrap();
        assert_eq!(r.status(), 401, "{page} without a session");
    }
    let login = |email: String, password: String| {
        let runner = &runner;
        async move { runner.login(&email, &password).await["token"].as_str().unwrap_or_default().to_owned() }
    };
    let admin = login(email, password).await;
    let r = http.get(format!("{base}/outbox.json")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(r.status(), 200);

    // Anyone else, even the administrator of a project of their own, is refused.
    let added = http
        .post(format!("{base}/api/v1/projects/demo/members"))
        .bearer_auth(&admin)
        .json(&json!({ "email": "other@example.com", "accesses": ["settings"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 201);
    let mut link_token = None;
    for _ in 0..50 {
        let mails: Value =
            http.get(format!("{base}/outbox.json")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
        link_token = mails.as_array().unwrap().iter().find_map(|m| {
            let text = m["text"].as_str()?;
            Some(text.split("token=").nth(1)?.split('&').next()?.to_owned())
        });
        if link_token.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let set = http
        .post(format!("{base}/api/v1/auth/password-reset/confirm"))
        .json(&json!({ "token": link_token.expect("a welcome mail"), "password": "other-pass-1", "password_again": "other-pass-1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 204);
    let other = login("other@example.com".into(), "other-pass-1".into()).await;
    let r = http.get(format!("{base}/outbox")).bearer_auth(&other).send().await.unwrap();
    assert_eq!(r.status(), 403);

    for page in ["/demo", "/outbox"] {
        let r = http.get(format!("{base}{page}")).bearer_auth(&admin).send().await.unwrap();
        let h = r.headers();
        let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{page}: {csp:?}");
        assert_eq!(h.get("x-frame-options").map(|v| v.to_str().unwrap()), Some("DENY"), "{page}");
    }
    let r = http.get(format!("{base}/api/v1/me")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(r.headers().get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"));
}
