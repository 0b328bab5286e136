//! The realtime push port: the API Gateway WebSocket management API in production, the local
//! runner's WebSocket server locally. A connection id names one open socket.

use async_trait::async_trait;

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum PushError {
    /// The socket is closed; the caller forgets the connection.
    #[error("the connection is gone")]
    Gone,
    #[error("the push failed: {0}")]
    Backend(String),
}

#[async_trait]
pub trait Realtime: Send + Sync {
    async fn push(&self, connection_id: &str, payload: &str) -> Result<(), PushError>;
}
