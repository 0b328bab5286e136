//! The mail port: SES v2 in production, an outbox folder of `.eml` files locally.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum MailError {
    #[error("the mail is not valid: {0}")]
    Invalid(String),
    #[error("the mail could not be sent: {0}")]
    Backend(String),
}

#[async_trait]
pub trait Mailer: Send + Sync {
    /// Sends the mail; returns the id the service gave it.
    async fn send(&self, mail: &Mail) -> Result<String, MailError>;
}
