//! Running the real `beseda` binary for end-to-end tests: a fresh data folder, a free port,
//! waiting for health, and the first login it printed; and the platforms it talks to on
//! loopback (`platforms`).

pub mod platforms;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `beseda` binary beside this test binary (`make test` builds it first).
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary has a path");
    let dir = exe.parent().and_then(Path::parent).expect("tests run from target/<profile>/deps");
    let bin = dir.join("beseda");
    assert!(bin.exists(), "{} is missing: build it with `cargo build -p beseda-local` (make test does)", bin.display());
    bin
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A running local runner; killed (SIGKILL) when dropped.
pub struct Runner {
    pub child: Child,
    pub base: String,
    pub data: PathBuf,
}

impl Runner {
    pub async fn start(data: &Path) -> Runner {
        Runner::start_with(data, &[]).await
    }

    /// Started with these environment variables (the platforms' API hosts, say).
    pub async fn start_with(data: &Path, env: &[(&str, &str)]) -> Runner {
        let port = free_port();
        let child = Command::new(binary())
            .args(["--data", data.to_str().expect("utf-8 path"), "serve", "--port", &port.to_string()])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the runner starts");
        let runner = Runner { child, base: format!("http://127.0.0.1:{port}"), data: data.to_owned() };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if reqwest::get(format!("{}/healthz", runner.base)).await.is_ok_and(|r| r.status().is_success()) {
                return runner;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the runner did not answer /healthz within 20 s");
    }

    /// The first administrator's login and password, as the runner wrote them.
    pub fn first_login(&self) -> (String, String) {
        let text = std::fs::read_to_string(self.data.join("first-login.txt")).expect("first-login.txt");
        let mut lines = text.lines();
        (lines.next().unwrap_or_default().to_owned(), lines.next().unwrap_or_default().to_owned())
    }

    /// Logs in over the API; the session's JSON (`token`, `user`), or the error envelope.
    pub async fn login(&self, email: &str, password: &str) -> serde_json::Value {
        let body = serde_json::json!({ "email": email, "password": password });
        let r = reqwest::Client::new().post(format!("{}/api/v1/auth/login", self.base)).json(&body).send().await;
        r.expect("the runner answers").json().await.expect("a JSON answer")
    }

    /// A single-use ticket for an operator socket to `project` (`/ws?ticket=`), issued to the
    /// session `token`.
    pub async fn ticket(&self, token: &str, project: &str) -> String {
        let url = format!("{}/api/v1/projects/{project}/realtime-ticket", self.base);
        let r = reqwest::Client::new().post(url).bearer_auth(token).json(&serde_json::json!({})).send().await;
        let body: serde_json::Value = r.expect("the runner answers").json().await.expect("a JSON answer");
        body["ticket"].as_str().unwrap_or_else(|| panic!("no ticket: {body}")).to_owned()
    }

    /// A new visitor of the demo site, as the widget makes one; its token.
    pub async fn visitor(&self) -> String {
        let url = format!("{}/widget/v1/projects/demo/visitors", self.base);
        let r = reqwest::Client::new().post(url).header("origin", &self.base).json(&serde_json::json!({})).send().await;
        let body: serde_json::Value = r.expect("the runner answers").json().await.expect("a JSON answer");
        body["token"].as_str().unwrap_or_else(|| panic!("no visitor: {body}")).to_owned()
    }

    /// `kill -9`: no shutdown, no flush.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.kill_hard();
    }
}
