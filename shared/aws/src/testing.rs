//! Test support (feature `testing`): `moto_server` on loopback and an SDK configuration that
//! points every client at it with dummy credentials.
//!
//! [`Moto::shared`] starts one server per test process (or uses `MOTO_ENDPOINT` when set);
//! tests share it by giving their tables, queues and buckets unique names. [`Moto::start`]
//! starts a private one for a test that reads back global state (sent mail). A server runs
//! under `sh`, which kills it when its standard input closes. The test process holds the only
//! write end: a private server stops when its [`Moto`] is dropped, the shared one in an exit
//! hook, and either one when the process dies however it dies, as the pipe closes then.
//! [`Moto::deployment`] creates what the SAM template would (the table, every queue with its
//! dead-letter queue, the blob bucket, the sender's SES identity, the KMS key of the data key)
//! and returns the environment the functions read, so a test can start them as Lambda does.
//! Test support panics with a clear message instead of returning errors.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::{Credentials, SharedCredentialsProvider};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The region every test client uses.
pub const REGION: &str = "us-east-1";
/// How long a starting server may take to answer.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `moto_server` (or an external one named by `MOTO_ENDPOINT`).
pub struct Moto {
    endpoint: String,
    process: Mutex<Option<(Child, ChildStdin)>>,
}

static SHARED: OnceLock<Moto> = OnceLock::new();
/// Tells apart the deployments one test process makes.
static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

unsafe extern "C" {
    /// The C library's exit hook: it runs when a test binary's `main` returns or calls
    /// `std::process::exit`, which Rust's statics never see.
    fn atexit(hook: extern "C" fn()) -> std::ffi::c_int;
}

/// Stops the shared server before the test process exits, so none outlives it even briefly.
extern "C" fn stop_shared() {
    if let Some(moto) = SHARED.get() {
        moto.stop();
    }
}

impl Moto {
    /// The server this test process shares, started on first use.
    pub fn shared() -> &'static Moto {
        SHARED.get_or_init(|| match std::env::var("MOTO_ENDPOINT") {
            Ok(endpoint) if !endpoint.is_empty() => {
                Moto { endpoint: endpoint.trim_end_matches('/').to_owned(), process: Mutex::new(None) }
            }
            _ => {
                let moto = Moto::start();
                // SAFETY: `stop_shared` is a plain function that lives as long as the process.
                unsafe { atexit(stop_shared) };
                moto
            }
        })
    }

    /// A private server on a free loopback port, stopped when dropped.
    pub fn start() -> Moto {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("no free loopback port for moto_server: {e}"));
        let mut child = Command::new("sh")
            .args(["-c", r#""$1" -H 127.0.0.1 -p "$2" & pid=$!; read line; kill -9 $pid; wait $pid"#, "sh"])
            .arg(binary())
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run sh to start moto_server: {e}"));
        let stdin = child.stdin.take().unwrap_or_else(|| panic!("the stdin of moto_server's shell is not piped"));
        let moto = Moto { endpoint: format!("http://127.0.0.1:{port}"), process: Mutex::new(Some((child, stdin))) };
        let started = Instant::now();
        while !answers(port) {
            if started.elapsed() > START_TIMEOUT {
                panic!("moto_server did not answer on port {port} within {START_TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// An SDK configuration for this server: its endpoint, [`REGION`], dummy credentials.
    pub fn sdk_config(&self) -> SdkConfig {
        SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .endpoint_url(&self.endpoint)
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                "testing", "testing", None, None, "moto",
            )))
            .build()
    }

    /// A fresh deployment on this server under a unique name: the environment a function
    /// reads (the resources' names, the endpoint and dummy credentials), with `ws_endpoint`
    /// as the WebSocket stage's management URL and `public_url` as the cabinet's.
    pub async fn deployment(&self, ws_endpoint: &str, public_url: &str) -> Vec<(String, String)> {
        let config = self.sdk_config();
        let millis = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis();
        let name =
            format!("d{}-{millis}-{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let dynamo = aws_sdk_dynamodb::Client::new(&config);
        crate::DynamoTable::create_table(&dynamo, &name)
            .await
            .unwrap_or_else(|e| panic!("cannot create the table on moto_server: {e}"));
        let sqs = aws_sdk_sqs::Client::new(&config);
        let queues = crate::SqsQueue::create_queues(&sqs, beseda_ports::queue::QUEUES, &format!("{name}-"))
            .await
            .unwrap_or_else(|e| panic!("cannot create the queues on moto_server: {e}"));
        let s3 = crate::S3Blobs::client(&config);
        crate::S3Blobs::create_bucket(&s3, &name)
            .await
            .unwrap_or_else(|e| panic!("cannot create the bucket on moto_server: {e}"));
        let sender = format!("noreply@{name}.example");
        aws_sdk_sesv2::Client::new(&config)
            .create_email_identity()
            .email_identity(&sender)
            .send()
            .await
            .unwrap_or_else(|e| panic!("cannot verify the sender on moto_server: {e}"));
        let kms_key = crate::KmsKeyWrap::create_key(&aws_sdk_kms::Client::new(&config))
            .await
            .unwrap_or_else(|e| panic!("cannot create the KMS key on moto_server: {e}"));
        let mut env: Vec<(String, String)> = vec![
            ("AWS_ENDPOINT_URL".into(), self.endpoint.clone()),
            ("AWS_REGION".into(), REGION.into()),
            ("AWS_ACCESS_KEY_ID".into(), "testing".into()),
            ("AWS_SECRET_ACCESS_KEY".into(), "testing".into()),
            ("TABLE_NAME".into(), name.clone()),
            ("BLOB_BUCKET".into(), name.clone()),
            ("WS_ENDPOINT".into(), ws_endpoint.into()),
            ("PUBLIC_URL".into(), public_url.into()),
            ("MAIL_FROM".into(), format!("Беседа <{sender}>")),
            ("KMS_KEY_ID".into(), kms_key),
        ];
        for (queue, urls) in queues {
            env.push((crate::SqsQueue::url_variable(&queue), urls.url));
        }
        env
    }

    /// Stops the server this process started, and waits until it is gone.
    fn stop(&self) {
        let process = self.process.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some((mut child, stdin)) = process {
            // Closing the pipe makes the shell kill the server and wait for it.
            drop(stdin);
            let _ = child.wait();
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The `moto_server` of the repository's `.venv`, else the one on PATH.
fn binary() -> PathBuf {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/moto_server");
    if venv.is_file() {
        return venv;
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("moto_server"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "moto_server is not installed: run `make test` (it installs moto[server] into \
                 .venv), or `pip install 'moto[server]'`, or set MOTO_ENDPOINT"
            )
        })
}

/// Whether an HTTP server answers on the port.
fn answers(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut head = [0u8; 5];
    stream
        .write_all(b"GET /moto-api/data.json HTTP/1.0\r\n\r\n")
        .and_then(|()| stream.read_exact(&mut head))
        .is_ok_and(|()| &head == b"HTTP/")
}
