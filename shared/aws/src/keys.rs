//! The key-wrapping port on KMS: `GenerateDataKey` (AES_256) under the configured key makes
//! a data key, `Decrypt` (naming the same key) unwraps it. Both carry the encryption context
//! `purpose=beseda-data-key`, so a blob KMS wrapped for anything else does not unwrap here.
//! A blob KMS cannot decrypt (changed, cut, not a ciphertext, another key's) is
//! `KeyError::Refused`; the service failing or refusing the caller is `KeyError::Backend`.

use async_trait::async_trait;
use aws_sdk_kms::Client;
use aws_sdk_kms::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::DataKeySpec;
use beseda_ports::keywrap::{DataKey, KeyError, KeyWrap};

const CONTEXT: (&str, &str) = ("purpose", "beseda-data-key");
/// The KMS errors that say the ciphertext is not one this key can decrypt.
const REFUSED: &[&str] = &["InvalidCiphertextException", "IncorrectKeyException"];

pub struct KmsKeyWrap {
    client: Client,
    key_id: String,
}

impl KmsKeyWrap {
    /// `key_id`: the key's id, ARN or `alias/…` (`KMS_KEY_ID`).
    pub fn new(client: Client, key_id: impl Into<String>) -> Self {
        Self { client, key_id: key_id.into() }
    }

    /// Creates a symmetric key (for tests on `moto_server`); returns its id.
    pub async fn create_key(client: &Client) -> Result<String, String> {
        let out = client
            .create_key()
            .description("Beseda integration secrets (test)")
            .send()
            .await
            .map_err(|e| DisplayErrorContext(e).to_string())?;
        out.key_metadata.map(|m| m.key_id).ok_or_else(|| "KMS returned no key id".into())
    }
}

fn backend(e: impl std::error::Error) -> KeyError {
    KeyError::Backend(DisplayErrorContext(e).to_string())
}

fn plaintext(bytes: Option<Blob>) -> Result<[u8; 32], KeyError> {
    bytes
        .and_then(|b| <[u8; 32]>::try_from(b.into_inner()).ok())
        .ok_or_else(|| KeyError::Backend("KMS returned no 32-byte plaintext".into()))
}

#[async_trait]
impl KeyWrap for KmsKeyWrap {
    async fn generate_data_key(&self) -> Result<DataKey, KeyError> {
        let out = self
            .client
            .generate_data_key()
            .key_id(&self.key_id)
            .key_spec(DataKeySpec::Aes256)
            .encryption_context(CONTEXT.0, CONTEXT.1)
            .send()
            .await
            .map_err(backend)?;
        let wrapped = out
            .ciphertext_blob
            .map(Blob::into_inner)
            .ok_or_else(|| KeyError::Backend("KMS returned no ciphertext".into()))?;
        Ok(DataKey { plaintext: plaintext(out.plaintext)?, wrapped })
    }

    async fn unwrap(&self, wrapped: &[u8]) -> Result<[u8; 32], KeyError> {
        let result = self
            .client
            .decrypt()
            .key_id(&self.key_id)
            .ciphertext_blob(Blob::new(wrapped))
            .encryption_context(CONTEXT.0, CONTEXT.1)
            .send()
            .await;
        match result {
            Ok(out) => plaintext(out.plaintext),
            Err(e) if e.as_service_error().and_then(|s| s.code()).is_some_and(|c| REFUSED.contains(&c)) => {
                Err(KeyError::Refused(DisplayErrorContext(e).to_string()))
            }
            Err(e) => Err(backend(e)),
        }
    }
}
