//! The ports of Beseda: one small trait per side effect. The domain and the functions talk
//! only to these traits; `beseda-embedded` and `beseda-aws` implement each of them, and
//! `beseda-contract` holds the one test suite both implementations must pass.

pub mod atomic;
pub mod blob;
pub mod cache;
pub mod clock;
pub mod keywrap;
pub mod mail;
pub mod queue;
pub mod realtime;
pub mod table;

pub use atomic::{Atomic, Outgoing};
pub use blob::{Blob, BlobError, BlobStore};
pub use cache::Cached;
pub use clock::{Clock, FixedClock, SystemClock};
pub use keywrap::{DataKey, KeyError, KeyWrap};
pub use mail::{Mail, MailError, Mailer};
pub use queue::{Queue, QueueError, QueueSpec, Received};
pub use realtime::{PushError, Realtime};
pub use table::{Condition, Cursor, IndexKey, Item, Page, Query, SkRange, StoreError, TableStore, Write};

use std::sync::Arc;

/// Every port a function may need, built once per process (per cold start in Lambda).
#[derive(Clone)]
pub struct Ports {
    pub table: Arc<dyn TableStore>,
    /// Table writes and queue sends in one atomic write.
    pub atomic: Arc<dyn Atomic>,
    /// Reads that may be a few seconds old (see `cache`); `table` and `atomic` write through
    /// it, so it forgets what they change.
    pub recent: Arc<Cached>,
    pub queue: Arc<dyn Queue>,
    pub mail: Arc<dyn Mailer>,
    pub blobs: Arc<dyn BlobStore>,
    pub realtime: Arc<dyn Realtime>,
    /// Wraps and unwraps the data key that seals integration secrets.
    pub keys: Arc<dyn KeyWrap>,
    pub clock: Arc<dyn Clock>,
}

impl Ports {
    /// Ports over a table and an atomic port of the same store, both wrapped by the cache of
    /// recent reads.
    pub fn new(
        table: Arc<dyn TableStore>,
        atomic: Arc<dyn Atomic>,
        queue: Arc<dyn Queue>,
        mail: Arc<dyn Mailer>,
        blobs: Arc<dyn BlobStore>,
        realtime: Arc<dyn Realtime>,
        keys: Arc<dyn KeyWrap>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let recent = Arc::new(Cached::new(table, atomic, cache::TTL));
        Self { table: recent.clone(), atomic: recent.clone(), recent, queue, mail, blobs, realtime, keys, clock }
    }
}
