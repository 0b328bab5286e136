//! The one redb file that holds the table and the queue. Reads run on the blocking pool;
//! writes go to one writer thread that commits them in groups: every write waiting when a
//! commit starts joins it, and nobody is answered before the group's commit is durable
//! (fsync). When a write of the group fails, the group's transaction is dropped and the group
//! runs again without it (writes are re-runnable closures), so a failed write leaves nothing
//! behind and the others see exactly the state they would have seen alone, in order. One
//! writer keeps latency at one commit when idle; groups lift the throughput of concurrent
//! writers far above one fsync per write.

use redb::{Database, WriteTransaction};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most writes folded into one commit.
const GROUP: usize = 256;

/// A write waiting for its group.
trait Job: Send {
    /// Runs the work in the group's transaction; false when it failed.
    fn run(&mut self, tx: &WriteTransaction) -> bool;
    /// Answers the caller once the group's commit is known.
    fn finish(self: Box<Self>, commit: Result<(), String>);
}

struct Pending<T, E, F> {
    work: F,
    outcome: Option<Result<T, E>>,
    answer: oneshot::Sender<Result<T, E>>,
    fail: fn(String) -> E,
}

impl<T, E, F> Job for Pending<T, E, F>
where
    T: Send,
    E: Send,
    F: Fn(&WriteTransaction) -> Result<T, E> + Send,
{
    fn run(&mut self, tx: &WriteTransaction) -> bool {
        let outcome = (self.work)(tx);
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn finish(self: Box<Self>, commit: Result<(), String>) {
        let fail = self.fail;
        let result = match (self.outcome, commit) {
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(v)), Ok(())) => Ok(v),
            (Some(Ok(_)) | None, Err(e)) => Err(fail(e)),
            (None, Ok(())) => Err(fail("the write never ran".into())),
        };
        let _ = self.answer.send(result);
    }
}

#[derive(Clone)]
pub struct Db {
    db: Arc<Database>,
    writes: mpsc::UnboundedSender<Box<dyn Job>>,
}

impl Db {
    pub fn open(path: &Path) -> Result<Self, redb::DatabaseError> {
        let db = Arc::new(Database::create(path)?);
        let (writes, jobs) = mpsc::unbounded_channel();
        let writer = db.clone();
        std::thread::Builder::new()
            .name("redb-writer".into())
            .spawn(move || write_loop(&writer, jobs))
            .map_err(|e| redb::DatabaseError::Storage(redb::StorageError::Io(e)))?;
        Ok(Self { db, writes })
    }

    /// Runs blocking read work off the async runtime.
    pub(crate) async fn read<T, E>(
        &self,
        fail: fn(String) -> E,
        work: impl FnOnce(&Database) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || work(&db))
            .await
            .unwrap_or_else(|e| Err(fail(format!("storage task failed: {e}"))))
    }

    /// Runs write work in the next group commit and answers once it is durable. The work may
    /// run more than once (see the module comment); an error leaves nothing behind.
    pub(crate) async fn write<T, E>(
        &self,
        fail: fn(String) -> E,
        work: impl Fn(&WriteTransaction) -> Result<T, E> + Send + 'static,
    ) -> Result<T, E>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job = Box::new(Pending { work, outcome: None, answer, fail });
        self.writes.send(job).map_err(|_| fail("the writer has stopped".into()))?;
        answered.await.unwrap_or_else(|_| Err(fail("the writer has stopped".into())))
    }
}

fn write_loop(db: &Database, mut jobs: mpsc::UnboundedReceiver<Box<dyn Job>>) {
    while let Some(first) = jobs.blocking_recv() {
        let mut group = vec![first];
        while group.len() < GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        commit_group(db, group);
    }
}

fn commit_group(db: &Database, mut group: Vec<Box<dyn Job>>) {
    let mut failed: Vec<Box<dyn Job>> = Vec::new();
    loop {
        let tx = match db.begin_write() {
            Ok(tx) => tx,
            Err(e) => {
                for job in group.into_iter().chain(failed) {
                    job.finish(Err(e.to_string()));
                }
                return;
            }
        };
        let failures: Vec<usize> =
            group.iter_mut().enumerate().filter_map(|(i, job)| (!job.run(&tx)).then_some(i)).collect();
        if failures.is_empty() {
            let commit = tx.commit().map_err(|e| e.to_string());
            for job in group {
                job.finish(commit.clone());
            }
            for job in failed {
                job.finish(Ok(()));
            }
            return;
        }
        if let Err(e) = tx.abort() {
            tracing::warn!(error = %e, "aborting a write group failed");
        }
        for i in failures.into_iter().rev() {
            failed.push(group.remove(i));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::{ReadableDatabase, TableDefinition};

    const T: TableDefinition<u32, u32> = TableDefinition::new("t");

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_failed_write_in_a_group_leaves_nothing_and_the_rest_commit() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("g.redb")).unwrap();
        let writes: Vec<_> = (0..200u32)
            .map(|i| {
                let db = db.clone();
                tokio::spawn(async move {
                    db.write(
                        |e| e,
                        move |tx| {
                            tx.open_table(T).map_err(|e| e.to_string())?.insert(i, i).map_err(|e| e.to_string())?;
                            if i % 2 == 1 { Err(format!("write {i} fails after writing")) } else { Ok(i) }
                        },
                    )
                    .await
                })
            })
            .collect();
        for (i, w) in writes.into_iter().enumerate() {
            let result = w.await.unwrap();
            assert_eq!(result.is_ok(), i % 2 == 0, "write {i}: {result:?}");
        }
        let read = db.db.begin_read().unwrap();
        let t = read.open_table(T).unwrap();
        for i in 0..200u32 {
            assert_eq!(t.get(i).unwrap().is_some(), i % 2 == 0, "key {i}");
        }
    }
}
