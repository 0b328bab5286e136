//! The embedded adapters: everything the local runner needs to run the whole product in one
//! process on one machine, durable across restarts and `kill -9`.
//!
//! The table and the queue share one redb file (`beseda.redb` in the data folder); mail goes
//! to an outbox folder of `.eml` files; blobs to a folder; realtime pushes to the sockets the
//! local runner holds open; data keys are wrapped under the master key file `secret.key`.

pub mod atomic;
pub mod blobs;
pub mod db;
pub mod keys;
pub mod outbox;
pub mod private;
pub mod queue;
pub mod realtime;
pub mod table;

pub use atomic::EmbeddedAtomic;
pub use blobs::FolderBlobs;
pub use db::Db;
pub use keys::LocalKeyWrap;
pub use outbox::Outbox;
pub use queue::EmbeddedQueue;
pub use realtime::LocalHub;
pub use table::RedbTable;

use beseda_ports::{Clock, Ports, QueueSpec};
use std::path::Path;
use std::sync::Arc;

/// The embedded adapters as ports, and the concrete ones the local runner also drives.
pub struct Embedded {
    pub ports: Ports,
    pub table: Arc<RedbTable>,
    pub atomic: Arc<EmbeddedAtomic>,
    pub hub: Arc<LocalHub>,
    pub outbox: Arc<Outbox>,
}

/// Opens (creating when missing) every embedded adapter over one data folder.
pub fn open(data: &Path, queues: &[QueueSpec], clock: Arc<dyn Clock>) -> Result<Embedded, String> {
    private::create_dir(data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let db = Db::open(&data.join("beseda.redb")).map_err(|e| e.to_string())?;
    private::restrict(&data.join("beseda.redb")).map_err(|e| e.to_string())?;
    let table = Arc::new(RedbTable::new(db.clone(), clock.clone()));
    let hub = Arc::new(LocalHub::default());
    let outbox = Arc::new(Outbox::open(&data.join("outbox")).map_err(|e| e.to_string())?);
    let queue = Arc::new(EmbeddedQueue::new(db.clone(), queues, clock.clone()));
    let atomic = Arc::new(EmbeddedAtomic::new(db, table.clone(), queue.clone()));
    let ports = Ports::new(
        table.clone(),
        atomic.clone(),
        queue,
        outbox.clone(),
        Arc::new(FolderBlobs::open(&data.join("blobs")).map_err(|e| e.to_string())?),
        hub.clone(),
        Arc::new(LocalKeyWrap::from_file(&data.join("secret.key"))?),
        clock,
    );
    Ok(Embedded { ports, table, atomic, hub, outbox })
}
