//! The blob port: S3 in production, a folder locally. Keys are `/`-separated paths that start
//! with the project id; they never contain `..` or begin with `/`.

use async_trait::async_trait;
use bytes::Bytes;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub bytes: Bytes,
    pub content_type: String,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum BlobError {
    #[error("the key {0:?} is not valid")]
    BadKey(String),
    #[error("the blob store failed: {0}")]
    Backend(String),
}

/// Checks a blob key: non-empty segments of safe characters that never start with a dot.
pub fn check_key(key: &str) -> Result<(), BlobError> {
    let ok = !key.is_empty()
        && key.len() <= 512
        && key.split('/').all(|seg| {
            !seg.is_empty()
                && !seg.starts_with('.')
                && seg.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
    if ok { Ok(()) } else { Err(BlobError::BadKey(key.to_owned())) }
}

#[async_trait]
pub trait BlobStore: Send + Sync {
    async fn put(&self, key: &str, blob: Blob) -> Result<(), BlobError>;
    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError>;
    /// Deleting an absent key is not an error.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
}

#[cfg(test)]
mod tests {
    use super::check_key;

    #[test]
    fn keys_cannot_escape_the_store() {
        assert!(check_key("p1/avatars/u1.png").is_ok());
        for bad in ["", "/abs", "a/../b", "a//b", "..", "a/./b", "a b", "a\\b", ".hidden/x"] {
            assert!(check_key(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
