//! The one redb file that holds the table and the queue. Reads run on the caller's thread: a
//! read of pages in redb's cache (or the kernel's) takes microseconds, while a hop to the
//! blocking pool and back costs two thread switches, which were a quarter of the runner's CPU
//! in the profile and most of a read's time under load (README, "Benchmarks"). Writes go to
//! one writer thread that commits them in groups: one redb transaction and one fsync for every
//! write of the group, and nobody is answered before the group's commit is durable. A group gathers for a bounded moment: a few tens of microseconds when the writer
//! is idle (one write alone waits well under a millisecond), up to the time of the last
//! commit when the last group folded several writes (under load the writes that arrive during
//! one commit join the next one instead of trickling into commits of their own).
//!
//! The writes of a group run in order in the one transaction, each seeing what the earlier
//! ones wrote, so two conflicting writes (the same item twice) are decided inside the group:
//! the second's conditions are checked against the first's result. A write refused by its
//! conditions before writing anything (see [`Refusal`]) is simply answered with its refusal
//! while the rest of the group goes on. A write that fails after it wrote something makes the
//! group's transaction drop and the group run again without it (writes are re-runnable
//! closures), so a failed write leaves nothing behind and the others see exactly the state
//! they would have seen alone, in order.

use redb::{Database, WriteTransaction};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The most writes folded into one commit.
const GROUP: usize = 256;
/// How long a group gathers when the writer was idle (the last group held one write).
const IDLE_GATHER: Duration = Duration::from_micros(50);
/// The longest a group gathers under load.
const MAX_GATHER: Duration = Duration::from_millis(2);

/// An error that may say the write was refused before it wrote anything (a condition that
/// does not hold), so the rest of its group can commit without running again.
pub trait Refusal {
    fn wrote_nothing(&self) -> bool;
}

impl Refusal for String {
    fn wrote_nothing(&self) -> bool {
        false
    }
}

/// How a write ran in its group's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ran {
    Done,
    /// Failed before writing anything.
    Refused,
    /// Failed, possibly after writing: the transaction must drop.
    Failed,
}

/// A write waiting for its group.
trait Job: Send {
    fn run(&mut self, tx: &WriteTransaction) -> Ran;
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
    E: Refusal + Send,
    F: Fn(&WriteTransaction) -> Result<T, E> + Send,
{
    fn run(&mut self, tx: &WriteTransaction) -> Ran {
        let outcome = (self.work)(tx);
        let ran = match &outcome {
            Ok(_) => Ran::Done,
            Err(e) if e.wrote_nothing() => Ran::Refused,
            Err(_) => Ran::Failed,
        };
        self.outcome = Some(outcome);
        ran
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
    writes: mpsc::Sender<Box<dyn Job>>,
    commits: Arc<AtomicU64>,
}

impl Db {
    pub fn open(path: &Path) -> Result<Self, redb::DatabaseError> {
        let db = Arc::new(Database::create(path)?);
        let (writes, jobs) = mpsc::channel();
        let (writer, commits) = (db.clone(), Arc::new(AtomicU64::new(0)));
        let counted = commits.clone();
        std::thread::Builder::new()
            .name("redb-writer".into())
            .spawn(move || write_loop(&writer, jobs, &counted))
            .map_err(|e| redb::DatabaseError::Storage(redb::StorageError::Io(e)))?;
        Ok(Self { db, writes, commits })
    }

    /// How many write transactions were committed since the file was opened.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Runs read work on the caller's thread (see the module comment).
    pub(crate) fn read<T, E>(&self, work: impl FnOnce(&Database) -> Result<T, E>) -> Result<T, E> {
        work(&self.db)
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
        E: Refusal + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job = Box::new(Pending { work, outcome: None, answer, fail });
        self.writes.send(job).map_err(|_| fail("the writer has stopped".into()))?;
        answered.await.unwrap_or_else(|_| Err(fail("the writer has stopped".into())))
    }
}

fn write_loop(db: &Database, jobs: mpsc::Receiver<Box<dyn Job>>, commits: &AtomicU64) {
    let (mut last_size, mut last_commit) = (1usize, Duration::ZERO);
    while let Ok(first) = jobs.recv() {
        let gather = if last_size > 1 { last_commit.min(MAX_GATHER) } else { IDLE_GATHER };
        let until = Instant::now() + gather;
        let mut group = vec![first];
        // Everything already waiting joins; then more for the bounded moment, but no longer
        // than it takes to gather as many as the last group held.
        while group.len() < GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(mpsc::TryRecvError::Disconnected) => break,
                Err(mpsc::TryRecvError::Empty) => {
                    let now = Instant::now();
                    if now >= until || group.len() >= last_size {
                        break;
                    }
                    match jobs.recv_timeout(until - now) {
                        Ok(job) => group.push(job),
                        Err(_) => break,
                    }
                }
            }
        }
        last_size = group.len();
        let started = Instant::now();
        commit_group(db, group);
        commits.fetch_add(1, Ordering::Relaxed);
        last_commit = started.elapsed();
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
            group.iter_mut().enumerate().filter_map(|(i, job)| (job.run(&tx) == Ran::Failed).then_some(i)).collect();
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
    use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};

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

    /// A refusal that wrote nothing, for the tests.
    #[derive(Debug, PartialEq)]
    struct Refused;

    impl Refusal for Refused {
        fn wrote_nothing(&self) -> bool {
            true
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn writes_of_one_group_see_each_other_in_order_and_a_refusal_reruns_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("g.redb")).unwrap();
        let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let writes: Vec<_> = (0..100u32)
            .map(|i| {
                let (db, runs) = (db.clone(), runs.clone());
                tokio::spawn(async move {
                    db.write(
                        |_| Refused,
                        move |tx| {
                            runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            let mut t = tx.open_table(T).map_err(|_| Refused)?;
                            if i % 10 == 9 {
                                return Err(Refused);
                            }
                            let count = t.get(0).map_err(|_| Refused)?.map_or(0, |v| v.value());
                            t.insert(0, count + 1).map_err(|_| Refused)?;
                            Ok(count + 1)
                        },
                    )
                    .await
                })
            })
            .collect();
        let mut seen = Vec::new();
        for (i, w) in writes.into_iter().enumerate() {
            match w.await.unwrap() {
                Ok(count) => seen.push(count),
                Err(Refused) => assert_eq!(i % 10, 9, "write {i} was refused"),
            }
        }
        seen.sort_unstable();
        assert_eq!(seen, (1..=90).collect::<Vec<u32>>(), "every increment saw the ones before it");
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 100, "a refusal makes nobody run again");
        let read = db.db.begin_read().unwrap();
        assert_eq!(read.open_table(T).unwrap().get(0).unwrap().unwrap().value(), 90);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_writes_fold_into_fewer_commits_than_writes() {
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
                            Ok(())
                        },
                    )
                    .await
                })
            })
            .collect();
        for w in writes {
            w.await.unwrap().unwrap();
        }
        let read = db.db.begin_read().unwrap();
        assert_eq!(read.open_table(T).unwrap().len().unwrap(), 200);
        let commits = db.commits();
        assert!(commits <= 20, "200 concurrent writes took {commits} commits");
    }
}
