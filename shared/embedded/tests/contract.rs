//! The contract suites on the embedded adapters, each test on its own temporary data folder.

use beseda_contract::{
    atomic, atomic_contract, blobs, blobs_contract, keys, keys_contract, mail, mail_contract, queue, queue_contract,
    table, table_contract,
};
use beseda_embedded::{Db, EmbeddedAtomic, EmbeddedQueue, FolderBlobs, LocalKeyWrap, Outbox, RedbTable};
use beseda_ports::{FixedClock, SystemClock};
use chrono::TimeZone;
use std::sync::Arc;

fn temp() -> std::path::PathBuf {
    tempfile::tempdir().expect("temp dir").keep()
}

async fn fresh_table() -> table::Fixture {
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()));
    let db = Db::open(&temp().join("t.redb")).unwrap();
    table::Fixture { store: Arc::new(RedbTable::new(db, clock.clone())), clock }
}

async fn fresh_queue() -> queue::Fixture {
    let db = Db::open(&temp().join("q.redb")).unwrap();
    queue::Fixture { queue: Arc::new(EmbeddedQueue::new(db, &[queue::SPEC], Arc::new(SystemClock))) }
}

async fn fresh_atomic() -> atomic::Fixture {
    let db = Db::open(&temp().join("a.redb")).unwrap();
    let table = Arc::new(RedbTable::new(db.clone(), Arc::new(SystemClock)));
    let queue = Arc::new(EmbeddedQueue::new(db.clone(), &[queue::SPEC], Arc::new(SystemClock)));
    atomic::Fixture { atomic: Arc::new(EmbeddedAtomic::new(db, table.clone(), queue.clone())), table, queue }
}

async fn fresh_mail() -> mail::Fixture {
    let outbox = Arc::new(Outbox::open(&temp().join("outbox")).unwrap());
    let reader = outbox.clone();
    mail::Fixture {
        mailer: outbox,
        sent: Box::new(move || {
            let list = reader.list().unwrap();
            Box::pin(async move {
                list.into_iter().map(|m| mail::Sent { to: m.to, subject: m.subject, text: m.text }).collect()
            })
        }),
    }
}

async fn fresh_blobs() -> blobs::Fixture {
    blobs::Fixture { blobs: Arc::new(FolderBlobs::open(&temp().join("blobs")).unwrap()) }
}

/// Two data folders' master key files.
async fn fresh_keys() -> keys::Fixture {
    let (one, two) = (temp().join("secret.key"), temp().join("secret.key"));
    keys::Fixture {
        keys: Arc::new(LocalKeyWrap::from_file(&one).unwrap()),
        other: Arc::new(LocalKeyWrap::from_file(&two).unwrap()),
    }
}

table_contract!(crate::fresh_table);
queue_contract!(crate::fresh_queue);
atomic_contract!(crate::fresh_atomic);
mail_contract!(crate::fresh_mail);
blobs_contract!(crate::fresh_blobs);
keys_contract!(crate::fresh_keys);
