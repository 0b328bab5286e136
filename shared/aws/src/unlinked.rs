//! The port of a service whose SDK client a function does not link (the features of
//! `beseda-aws` it selects, which match the services its IAM role may call): every call is an
//! error naming the client, the same failure the role's missing permission would give, and
//! nothing is sent anywhere.

use async_trait::async_trait;
use beseda_ports::blob::{Blob, BlobError, BlobStore};
use beseda_ports::keywrap::{DataKey, KeyError, KeyWrap};
use beseda_ports::mail::{Mail, MailError, Mailer};
use beseda_ports::queue::{Queue, QueueError, Received};
use beseda_ports::realtime::{PushError, Realtime};
use std::time::Duration;

/// A port of the service `client` (the `beseda-aws` feature that would link it).
#[derive(Debug, Clone, Copy)]
pub struct Unlinked {
    pub client: &'static str,
}

impl Unlinked {
    fn reason(&self) -> String {
        format!("this function is built without the {} client (feature of beseda-aws)", self.client)
    }
}

#[async_trait]
impl Queue for Unlinked {
    async fn send(&self, _queue: &str, _body: &str, _delay: Duration) -> Result<String, QueueError> {
        Err(QueueError::Backend(self.reason()))
    }
    async fn receive(&self, _queue: &str, _max: usize, _wait: Duration) -> Result<Vec<Received>, QueueError> {
        Err(QueueError::Backend(self.reason()))
    }
    async fn ack(&self, _queue: &str, _receipt: &str) -> Result<(), QueueError> {
        Err(QueueError::Backend(self.reason()))
    }
    async fn retry(&self, _queue: &str, _receipt: &str, _delay: Duration) -> Result<(), QueueError> {
        Err(QueueError::Backend(self.reason()))
    }
    async fn dead_letters(&self, _queue: &str, _max: usize) -> Result<Vec<String>, QueueError> {
        Err(QueueError::Backend(self.reason()))
    }
    async fn replay_dead_letters(&self, _queue: &str) -> Result<usize, QueueError> {
        Err(QueueError::Backend(self.reason()))
    }
}

#[async_trait]
impl Mailer for Unlinked {
    async fn send(&self, _mail: &Mail) -> Result<String, MailError> {
        Err(MailError::Backend(self.reason()))
    }
}

#[async_trait]
impl BlobStore for Unlinked {
    async fn put(&self, _key: &str, _blob: Blob) -> Result<(), BlobError> {
        Err(BlobError::Backend(self.reason()))
    }
    async fn get(&self, _key: &str) -> Result<Option<Blob>, BlobError> {
        Err(BlobError::Backend(self.reason()))
    }
    async fn delete(&self, _key: &str) -> Result<(), BlobError> {
        Err(BlobError::Backend(self.reason()))
    }
}

#[async_trait]
impl Realtime for Unlinked {
    async fn push(&self, _connection_id: &str, _payload: &str) -> Result<(), PushError> {
        Err(PushError::Backend(self.reason()))
    }
}

#[async_trait]
impl KeyWrap for Unlinked {
    async fn generate_data_key(&self) -> Result<DataKey, KeyError> {
        Err(KeyError::Backend(self.reason()))
    }
    async fn unwrap(&self, _wrapped: &[u8]) -> Result<[u8; 32], KeyError> {
        Err(KeyError::Backend(self.reason()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_call_fails_naming_the_client() {
        let sqs = Unlinked { client: "sqs" };
        let err = Queue::send(&sqs, "timers", "{}", Duration::ZERO).await.unwrap_err();
        assert!(matches!(&err, QueueError::Backend(m) if m.contains("without the sqs client")), "{err:?}");
        assert!(sqs.receive("timers", 1, Duration::ZERO).await.is_err());
        assert!(sqs.retry("timers", "r", Duration::ZERO).await.is_err());
        let ses = Unlinked { client: "ses" };
        let mail = Mail {
            from: "n@b.ru".into(),
            to: vec!["a@b.ru".into()],
            subject: "s".into(),
            text: "t".into(),
            html: None,
        };
        assert!(matches!(Mailer::send(&ses, &mail).await, Err(MailError::Backend(m)) if m.contains("ses")));
        let s3 = Unlinked { client: "s3" };
        assert!(matches!(s3.get("avatars/u").await, Err(BlobError::Backend(m)) if m.contains("s3")));
        let ws = Unlinked { client: "websocket" };
        assert!(matches!(ws.push("c", "{}").await, Err(PushError::Backend(m)) if m.contains("websocket")));
        let kms = Unlinked { client: "kms" };
        assert!(matches!(kms.generate_data_key().await, Err(KeyError::Backend(m)) if m.contains("kms")));
        assert!(matches!(kms.unwrap(b"blob").await, Err(KeyError::Backend(m)) if m.contains("kms")));
    }
}
