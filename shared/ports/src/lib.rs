//! The ports of Beseda: one small trait per side effect. The domain and the functions talk
//! only to these traits; `beseda-embedded` and `beseda-aws` implement each of them, and
//! `beseda-contract` holds the one test suite both implementations must pass.

pub mod blob;
pub mod clock;
pub mod mail;
pub mod queue;
pub mod realtime;
pub mod table;

pub use blob::{Blob, BlobError, BlobStore};
pub use clock::{Clock, FixedClock, SystemClock};
pub use mail::{Mail, MailError, Mailer};
pub use queue::{Queue, QueueError, QueueSpec, Received};
pub use realtime::{PushError, Realtime};
pub use table::{Condition, Cursor, IndexKey, Item, Page, Query, SkRange, StoreError, TableStore, Write};

use std::sync::Arc;

/// Every port a function may need, built once per process (per cold start in Lambda).
#[derive(Clone)]
pub struct Ports {
    pub table: Arc<dyn TableStore>,
    pub queue: Arc<dyn Queue>,
    pub mail: Arc<dyn Mailer>,
    pub blobs: Arc<dyn BlobStore>,
    pub realtime: Arc<dyn Realtime>,
    pub clock: Arc<dyn Clock>,
}
