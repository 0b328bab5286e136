//! The one redb file that holds the table and the queue. redb commits are durable (fsync)
//! before they return, so whatever a caller was told is written survives a crash.

use redb::Database;
use std::path::Path;
use std::sync::Arc;

#[derive(Clone)]
pub struct Db(pub(crate) Arc<Database>);

impl Db {
    pub fn open(path: &Path) -> Result<Self, redb::DatabaseError> {
        Ok(Self(Arc::new(Database::create(path)?)))
    }

    /// Runs blocking redb work off the async runtime.
    pub(crate) async fn run<T, E>(
        &self,
        fail: fn(String) -> E,
        work: impl FnOnce(&Database) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let db = self.0.clone();
        tokio::task::spawn_blocking(move || work(&db))
            .await
            .unwrap_or_else(|e| Err(fail(format!("storage task failed: {e}"))))
    }
}
