//! The embedded adapters: everything the local runner needs to run the whole product in one
//! process on one machine, durable across restarts and `kill -9`.
//!
//! The table and the queue share one redb file (`beseda.redb` in the data folder); mail goes
//! to an outbox folder of `.eml` files; blobs to a folder; realtime pushes to the sockets the
//! local runner holds open.

pub mod blobs;
pub mod db;
pub mod outbox;
pub mod private;
pub mod queue;
pub mod realtime;
pub mod table;

pub use blobs::FolderBlobs;
pub use db::Db;
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
    let ports = Ports {
        table: table.clone(),
        queue: Arc::new(EmbeddedQueue::new(db, queues, clock.clone())),
        mail: outbox.clone(),
        blobs: Arc::new(FolderBlobs::open(&data.join("blobs")).map_err(|e| e.to_string())?),
        realtime: hub.clone(),
        clock,
    };
    Ok(Embedded { ports, table, hub, outbox })
}
