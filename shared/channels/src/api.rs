//! What every platform module shares on the wire: one HTTP client, one way to call an API and
//! read its JSON answer, the failure constructors and the constant-time secret comparison, so
//! a platform module only maps its own envelope and error codes.

use crate::SendError;
use std::time::Duration;
use subtle::ConstantTimeEq;

/// The client every channel uses: bounded timeouts so a hung platform turns into a retry.
pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(8))
        .user_agent(concat!("beseda/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the TLS backend initialises")
}

/// A platform's answer: its HTTP status, JSON body and `Retry-After` header.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: serde_json::Value,
    pub retry_after: Option<u64>,
}

impl Answer {
    /// The failure for an answer the platform module does not recognise: a server-side error
    /// or a rate limit is worth retrying, anything else is not.
    pub fn unexpected(&self) -> SendError {
        if self.status >= 500 || self.status == 429 {
            retryable(format!("http_{}", self.status), self.retry_after)
        } else {
            permanent(format!("unexpected_response_http_{}", self.status))
        }
    }
}

/// Sends a request and reads a JSON answer. A network failure, a timeout or a non-JSON server
/// error is retryable. Errors never carry the URL (Telegram's carries the bot token).
pub(crate) async fn call(request: reqwest::RequestBuilder) -> Result<Answer, SendError> {
    let response = request.send().await.map_err(|e| retryable(format!("network: {}", e.without_url()), None))?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let bytes = response.bytes().await.map_err(|e| retryable(format!("network: {}", e.without_url()), None))?;
    match serde_json::from_slice(&bytes) {
        Ok(body) => Ok(Answer { status, body, retry_after }),
        Err(_) => Err(Answer { status, body: serde_json::Value::Null, retry_after }.unexpected()),
    }
}

pub(crate) fn retryable(reason: impl Into<String>, retry_after: Option<u64>) -> SendError {
    SendError::Retryable { reason: reason.into(), retry_after }
}

pub(crate) fn permanent(reason: impl Into<String>) -> SendError {
    SendError::Permanent { reason: reason.into() }
}

/// The credential a setup or send call cannot do without.
pub(crate) fn required<'a>(creds: &'a crate::Credentials, field: &str) -> Result<&'a str, SendError> {
    creds.get(field).ok_or_else(|| permanent(format!("missing_{field}")))
}

/// Compares a received secret with the stored one in time independent of where they differ.
pub(crate) fn secret_eq(received: &[u8], stored: &[u8]) -> bool {
    received.ct_eq(stored).into()
}

/// Parses a webhook body as JSON of the platform's shape.
pub(crate) fn json<'a, T: serde::Deserialize<'a>>(body: &'a [u8]) -> Result<T, crate::WebhookError> {
    serde_json::from_slice(body).map_err(|e| crate::WebhookError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_exactly() {
        assert!(secret_eq(b"s3cr3t", b"s3cr3t"));
        assert!(!secret_eq(b"s3cr3t", b"s3cr3T"));
        assert!(!secret_eq(b"s3cr3", b"s3cr3t"));
        assert!(!secret_eq(b"", b"s3cr3t"));
    }

    #[test]
    fn an_unrecognised_answer_is_retried_only_when_the_server_failed() {
        let answer = |status| Answer { status, body: serde_json::Value::Null, retry_after: Some(3) };
        assert_eq!(answer(502).unexpected(), retryable("http_502", Some(3)));
        assert_eq!(answer(429).unexpected(), retryable("http_429", Some(3)));
        assert_eq!(answer(404).unexpected(), permanent("unexpected_response_http_404"));
    }
}
