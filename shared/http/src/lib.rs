//! The HTTP glue of every API function: one error type mapped to the JSON envelope in one
//! place ([`error`]), JSON, query and path extractors whose rejections use it ([`json`],
//! [`extract`]), the session and client-IP extractors ([`auth`], [`client_ip`]), and the layers
//! every router gets ([`layers`]).

pub mod auth;
pub mod client_ip;
pub mod error;
pub mod extract;
pub mod json;
pub mod layers;

pub use auth::{CurrentUser, ProjectMember, SESSION_COOKIE, can};
pub use client_ip::{ClientIp, PeerAddr};
pub use error::{ApiError, ApiResult};
pub use extract::{Path, Query};
pub use json::Json;
pub use layers::{finish, with_layers};

/// JSON logs on stdout, filtered by `RUST_LOG` (default `info`), for the local runner and tools.
pub fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let _ = tracing_subscriber::fmt().json().with_env_filter(filter).with_current_span(false).try_init();
}
