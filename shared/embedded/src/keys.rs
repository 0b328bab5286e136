//! The key-wrapping port in the one-server mode: data keys are wrapped with
//! XChaCha20-Poly1305 under a master key kept in the data folder (`secret.key`, 0600, 32
//! bytes of URL-safe base64, made on the first start). The envelope code above it is the one
//! that runs on KMS in AWS.

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use beseda_ports::keywrap::{DataKey, KeyError, KeyWrap};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::path::Path;

/// Bound into every wrapped key, so nothing sealed under the master key for another purpose
/// unwraps as a data key.
const PURPOSE: &[u8] = b"beseda-data-key";
const NONCE: usize = 24;
/// Nonce, the 32-byte key and the 16-byte tag.
const WRAPPED: usize = NONCE + 32 + 16;

pub struct LocalKeyWrap {
    cipher: XChaCha20Poly1305,
}

fn random<const N: usize>() -> Result<[u8; N], KeyError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| KeyError::Backend(format!("no random bytes: {e}")))?;
    Ok(buf)
}

impl LocalKeyWrap {
    pub fn new(master: [u8; 32]) -> Self {
        Self { cipher: XChaCha20Poly1305::new(&master.into()) }
    }

    /// The master key of the file, which is made (0600) when missing.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        if !path.exists() {
            let key = random::<32>().map_err(|e| e.to_string())?;
            crate::private::write(path, URL_SAFE_NO_PAD.encode(key).as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let master = URL_SAFE_NO_PAD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .ok_or_else(|| format!("{} is not a key (32 bytes of URL-safe base64)", path.display()))?;
        Ok(Self::new(master))
    }
}

#[async_trait]
impl KeyWrap for LocalKeyWrap {
    async fn generate_data_key(&self) -> Result<DataKey, KeyError> {
        let (plaintext, nonce) = (random::<32>()?, random::<NONCE>()?);
        let sealed = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: &plaintext, aad: PURPOSE })
            .map_err(|_| KeyError::Backend("the data key could not be wrapped".into()))?;
        Ok(DataKey { plaintext, wrapped: [nonce.as_slice(), &sealed].concat() })
    }

    async fn unwrap(&self, wrapped: &[u8]) -> Result<[u8; 32], KeyError> {
        if wrapped.len() != WRAPPED {
            return Err(KeyError::Refused(format!("a wrapped key is {WRAPPED} bytes, not {}", wrapped.len())));
        }
        let (nonce, sealed) = wrapped.split_at(NONCE);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: PURPOSE })
            .map_err(|_| KeyError::Refused("not wrapped by this master key, or changed".into()))?;
        <[u8; 32]>::try_from(plain).map_err(|_| KeyError::Refused("the wrapped key is not 32 bytes".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_master_key_file_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        let first = LocalKeyWrap::from_file(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.len(), 43);
        let key = first.generate_data_key().await.unwrap();
        let again = LocalKeyWrap::from_file(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "an existing key file is kept");
        assert_eq!(again.unwrap(&key.wrapped).await.unwrap(), key.plaintext, "a restart unwraps the stored key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, "short").unwrap();
        assert!(LocalKeyWrap::from_file(&path).err().is_some_and(|e| e.contains("is not a key")));
    }
}
