//! The key-wrapping port of envelope encryption: KMS in production, a local master key in
//! the one-server mode. It makes a data key (the 32 bytes that seal integration secrets, and
//! the same key wrapped, which is what gets stored) and unwraps a stored one; the plaintext
//! never leaves the process that asked for it.

use async_trait::async_trait;
use std::fmt;

/// A new data key: its plaintext (kept in memory only) and its wrapped form (stored).
pub struct DataKey {
    pub plaintext: [u8; 32],
    pub wrapped: Vec<u8>,
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DataKey {{ plaintext: …, wrapped: {} bytes }}", self.wrapped.len())
    }
}

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum KeyError {
    /// The blob was not wrapped by this master key, or was changed.
    #[error("the wrapped key does not unwrap: {0}")]
    Refused(String),
    #[error("the key service failed: {0}")]
    Backend(String),
}

#[async_trait]
pub trait KeyWrap: Send + Sync {
    /// A new random 256-bit data key, with its wrapped form.
    async fn generate_data_key(&self) -> Result<DataKey, KeyError>;
    /// The plaintext of a wrapped key that [`KeyWrap::generate_data_key`] made under the same
    /// master key; anything else is [`KeyError::Refused`].
    async fn unwrap(&self, wrapped: &[u8]) -> Result<[u8; 32], KeyError>;
}
