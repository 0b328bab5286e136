//! Nothing acknowledged is lost: the runner is killed with SIGKILL in the middle of a write
//! load, restarted on the same data folder, and every session it had acknowledged still works.

use beseda_e2e::Runner;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let data = tempfile::tempdir().unwrap();
    let mut runner = Runner::start(data.path()).await;
    let (email, password) = runner.first_login();
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let http = reqwest::Client::new();

    let mut writers = Vec::new();
    for _ in 0..4 {
        let (http, base, acked) = (http.clone(), runner.base.clone(), acked.clone());
        let body = json!({ "email": email, "password": password });
        writers.push(tokio::spawn(async move {
            loop {
                let Ok(res) = http.post(format!("{base}/api/v1/auth/login")).json(&body).send().await else { break };
                if !res.status().is_success() {
                    break;
                }
                let Ok(value) = res.json::<serde_json::Value>().await else { break };
                acked.lock().unwrap().push(value["token"].as_str().unwrap().to_owned());
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    runner.kill_hard();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 4, "the load wrote something before the kill ({} sessions)", acked.len());

    let runner = Runner::start(data.path()).await;
    for token in &acked {
        let res = http.get(format!("{}/api/v1/me", runner.base)).bearer_auth(token).send().await.unwrap();
        assert_eq!(res.status(), 200, "an acknowledged session was lost");
    }
    let (email_again, password_again) = runner.first_login();
    assert_eq!((email_again, password_again), (email, password), "a restart makes no second administrator");
}
