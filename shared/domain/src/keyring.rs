//! The data key that seals integration secrets (envelope encryption). One item of the table
//! holds it wrapped by the key port (KMS in AWS, the data folder's master key locally); a
//! process unwraps it at its start ([`preload`]: a Lambda's cold start, the local runner's
//! start) or on its first need, and keeps it in memory for its life. The first process allowed to create it that needs it makes
//! it with the port's `generate_data_key` and a conditional put; when two race, the loser
//! reads the winner's. The plaintext is never stored, logged, returned or queued.

use crate::secrets::SecretKey;
use crate::{App, Error, Result, keys};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use beseda_ports::KeyError;
use beseda_ports::table::{Condition, Item};
use serde_json::json;
use std::fmt;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// What a process may do with the data key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Unwrap it (functions that only read secrets).
    Open,
    /// Unwrap it, or create it when there is none yet (those that save secrets).
    Create,
}

/// A process's way to the data key; clones share the unwrapped key.
#[derive(Clone)]
pub struct Keyring {
    access: Access,
    previous: Option<SecretKey>,
    key: Arc<OnceCell<SecretKey>>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Keyring({:?})", self.access)
    }
}

impl Keyring {
    pub fn new(access: Access) -> Self {
        Keyring { access, previous: None, key: Arc::default() }
    }

    /// The data key will also open what `previous` sealed: the local runner's key file, with
    /// which its versions before envelope encryption sealed secrets directly.
    pub fn opening_also(self, previous: SecretKey) -> Self {
        Keyring { previous: Some(previous), ..self }
    }
}

fn failed(e: KeyError) -> Error {
    Error::Internal(format!("the data key of integration secrets is not available: {e}"))
}

/// The data key, unwrapped once per process; an error when this process has no keyring.
pub async fn secret_key(app: &App) -> Result<&SecretKey> {
    let ring = app
        .settings
        .secrets
        .as_ref()
        .ok_or_else(|| Error::conflict("secret_key_missing", "Ключ шифрования секретов не настроен на сервере"))?;
    ring.key
        .get_or_try_init(|| async {
            let key = match stored(app).await? {
                Some(wrapped) => unwrap(app, &wrapped).await?,
                None if ring.access == Access::Create => create(app).await?,
                None => return Err(Error::Internal("no data key has been created yet".into())),
            };
            Ok(match &ring.previous {
                Some(previous) => key.opening_also(previous),
                None => key,
            })
        })
        .await
}

/// Unwraps the stored data key now, so no request waits for the key service; when there is
/// none yet, it is left to the first need (and so to a process that may create it).
pub async fn preload(app: &App) -> Result<()> {
    if app.settings.secrets.is_some() && stored(app).await?.is_some() {
        secret_key(app).await?;
    }
    Ok(())
}

/// The wrapped key of the table, if any.
async fn stored(app: &App) -> Result<Option<Vec<u8>>> {
    let (pk, sk) = keys::data_key();
    let Some(item) = app.ports.table.get(&pk, &sk).await? else { return Ok(None) };
    let wrapped = item.body["wrapped"].as_str().and_then(|b| STANDARD.decode(b).ok());
    wrapped.map(Some).ok_or_else(|| Error::Internal("the stored data key is not base64".into()))
}

async fn unwrap(app: &App, wrapped: &[u8]) -> Result<SecretKey> {
    Ok(SecretKey::from_bytes(app.ports.keys.unwrap(wrapped).await.map_err(failed)?))
}

async fn create(app: &App) -> Result<SecretKey> {
    let new = app.ports.keys.generate_data_key().await.map_err(failed)?;
    let (pk, sk) = keys::data_key();
    let item = Item::new(pk, sk, json!({ "wrapped": STANDARD.encode(&new.wrapped), "created_at": app.now() }));
    match app.ports.table.put(item, Condition::NotExists).await {
        Ok(_) => Ok(SecretKey::from_bytes(new.plaintext)),
        Err(beseda_ports::StoreError::ConditionFailed) => {
            let wrapped = stored(app).await?.ok_or_else(|| Error::Internal("the data key vanished".into()))?;
            unwrap(app, &wrapped).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use beseda_ports::KeyWrap;

    fn with(app: &App, ring: Keyring) -> App {
        App { settings: crate::Settings { secrets: Some(ring), ..app.settings.clone() }, ..app.clone() }
    }

    #[tokio::test]
    async fn the_data_key_is_made_once_stored_wrapped_and_opens_after_a_restart() {
        let (app, _, _) = testing::app();
        let sealed = secret_key(&app).await.unwrap().seal("123456:ABC-token");
        let (pk, sk) = keys::data_key();
        let item = app.ports.table.get(&pk, &sk).await.unwrap().expect("stored on first need");
        let wrapped = STANDARD.decode(item.body["wrapped"].as_str().unwrap()).unwrap();
        assert_eq!(wrapped.len(), 72, "the wrapped key, never the plaintext");
        assert_eq!(secret_key(&app).await.unwrap().open(&sealed).as_deref(), Some("123456:ABC-token"));
        // A restart: a new process on the same table and master key unwraps the stored key,
        // at its start.
        let restarted = with(&app, Keyring::new(Access::Open));
        preload(&restarted).await.unwrap();
        let ring = restarted.settings.secrets.as_ref().unwrap();
        assert_eq!(ring.key.get().and_then(|k| k.open(&sealed)).as_deref(), Some("123456:ABC-token"));
        assert_eq!(app.ports.table.get(&pk, &sk).await.unwrap().unwrap().version, item.version, "not made again");
        assert_eq!(format!("{:?}", app.settings.secrets), "Some(Keyring(Create))");
    }

    #[tokio::test]
    async fn racing_processes_end_up_with_one_key() {
        let (app, _, _) = testing::app();
        let rings: Vec<App> = (0..6).map(|_| with(&app, Keyring::new(Access::Create))).collect();
        let sealed: Vec<String> =
            futures::future::join_all(rings.iter().map(|a| async { secret_key(a).await.unwrap().seal("s") })).await;
        for s in &sealed {
            for other in &rings {
                assert_eq!(secret_key(other).await.unwrap().open(s).as_deref(), Some("s"));
            }
        }
    }

    #[tokio::test]
    async fn a_reader_never_creates_and_a_process_without_a_keyring_is_refused() {
        let (app, _, _) = testing::app();
        let reader = with(&app, Keyring::new(Access::Open));
        preload(&reader).await.unwrap();
        assert!(reader.settings.secrets.as_ref().unwrap().key.get().is_none(), "nothing to unwrap yet");
        assert!(matches!(secret_key(&reader).await, Err(Error::Internal(_))));
        let (pk, sk) = keys::data_key();
        assert!(app.ports.table.get(&pk, &sk).await.unwrap().is_none());
        let none = App { settings: crate::Settings { secrets: None, ..app.settings.clone() }, ..app.clone() };
        assert!(matches!(secret_key(&none).await, Err(Error::Conflict { .. })));
        // Made by a writer, the key opens for the reader on its next need.
        let sealed = secret_key(&app).await.unwrap().seal("x");
        assert_eq!(secret_key(&reader).await.unwrap().open(&sealed).as_deref(), Some("x"));
    }

    #[tokio::test]
    async fn a_wrapped_key_of_another_master_key_is_an_error() {
        let (app, _, _) = testing::app();
        let (pk, sk) = keys::data_key();
        let foreign = beseda_embedded::LocalKeyWrap::new([7; 32]).generate_data_key().await.unwrap();
        let item = Item::new(pk, sk, json!({ "wrapped": STANDARD.encode(&foreign.wrapped) }));
        app.ports.table.put(item, Condition::Always).await.unwrap();
        let err = secret_key(&app).await.unwrap_err();
        assert!(matches!(&err, Error::Internal(m) if m.contains("does not unwrap")), "{err:?}");
    }

    #[tokio::test]
    async fn secrets_sealed_under_the_previous_key_file_still_open() {
        let (app, _, _) = testing::app();
        let file_key = SecretKey::parse("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY").unwrap();
        let sealed_by_the_old_runner = file_key.seal("123456:old");
        let upgraded = with(&app, Keyring::new(Access::Create).opening_also(file_key));
        let key = secret_key(&upgraded).await.unwrap();
        assert_eq!(key.open(&sealed_by_the_old_runner).as_deref(), Some("123456:old"));
        assert_eq!(secret_key(&app).await.unwrap().open(&key.seal("new")).as_deref(), Some("new"));
    }
}
