//! The blob port as a folder: the bytes at `<root>/<key>`, the content type beside them under
//! `<root>/.types/<key>` (keys never start a segment with a dot, so the two cannot meet).

use async_trait::async_trait;
use beseda_ports::blob::{Blob, BlobError, BlobStore, check_key};
use std::path::{Path, PathBuf};

pub struct FolderBlobs {
    root: PathBuf,
}

fn backend(e: impl std::fmt::Display) -> BlobError {
    BlobError::Backend(e.to_string())
}

impl FolderBlobs {
    pub fn open(root: &Path) -> std::io::Result<Self> {
        crate::private::create_dir(&root.join(".types"))?;
        Ok(Self { root: root.to_owned() })
    }

    fn paths(&self, key: &str) -> Result<(PathBuf, PathBuf), BlobError> {
        check_key(key)?;
        Ok((self.root.join(key), self.root.join(".types").join(key)))
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::private::create_dir(dir)?;
    }
    let tmp = path.with_extension("part");
    crate::private::write(&tmp, bytes)?;
    std::fs::rename(tmp, path)
}

#[async_trait]
impl BlobStore for FolderBlobs {
    async fn put(&self, key: &str, blob: Blob) -> Result<(), BlobError> {
        let (data, kind) = self.paths(key)?;
        tokio::task::spawn_blocking(move || {
            write_file(&kind, blob.content_type.as_bytes())?;
            write_file(&data, &blob.bytes)
        })
        .await
        .map_err(backend)?
        .map_err(backend)
    }

    async fn get(&self, key: &str) -> Result<Option<Blob>, BlobError> {
        let (data, kind) = self.paths(key)?;
        tokio::task::spawn_blocking(move || match std::fs::read(&data) {
            Ok(bytes) => {
                let content_type = std::fs::read_to_string(&kind).unwrap_or_else(|_| "application/octet-stream".into());
                Ok(Some(Blob { bytes: bytes.into(), content_type }))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(backend(e)),
        })
        .await
        .map_err(backend)?
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let (data, kind) = self.paths(key)?;
        for path in [data, kind] {
            match tokio::fs::remove_file(&path).await {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(backend(e)),
            }
        }
        Ok(())
    }
}
