//! Throttles: at most `max` attempts of one subject (an account, an IP address, a project)
//! within a window. An attempt is counted atomically *before* the work it guards (a password
//! check, a reset mail, a new visitor), so N parallel attempts cost N. Accounts get a sliding
//! window ([`take`]); high-volume subjects (new visitors per IP and per project) a fixed-window
//! counter that costs one write and no read ([`count`]).

use crate::{App, Error, Result};
use beseda_ports::table::{Condition, Item, StoreError};
use serde::{Deserialize, Serialize};

/// How many attempts a subject gets within how many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: usize,
    pub window_secs: i64,
}

/// Log-in: 10 wrong passwords in 15 minutes, per account and per client IP.
pub const LOGIN: Limit = Limit { max: 10, window_secs: 15 * 60 };
/// Password-reset requests: 5 an hour per account.
pub const RESET_ACCOUNT: Limit = Limit { max: 5, window_secs: 3600 };
/// Password-reset requests: 20 an hour per client IP.
pub const RESET_IP: Limit = Limit { max: 20, window_secs: 3600 };

/// The attempt times (epoch seconds) of one subject within the window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts(pub Vec<i64>);

impl Attempts {
    fn recent(&self, now: i64, limit: Limit) -> impl Iterator<Item = i64> + '_ {
        self.0.iter().copied().filter(move |t| now - t < limit.window_secs)
    }

    /// Seconds until an attempt is allowed again, or None when it is allowed now.
    pub fn locked_for(&self, now: i64, limit: Limit) -> Option<u64> {
        let recent: Vec<i64> = self.recent(now, limit).collect();
        (recent.len() >= limit.max).then(|| {
            let oldest = recent.iter().copied().min().unwrap_or(now);
            (oldest + limit.window_secs - now).max(1) as u64
        })
    }

    /// The attempts after one more at `now`, forgetting those out of the window.
    pub fn record(&self, now: i64, limit: Limit) -> Self {
        let mut kept: Vec<i64> = self.recent(now, limit).collect();
        kept.push(now);
        Self(kept)
    }

    /// The attempts without one made at `at` (an attempt that turned out fine).
    pub fn forget(&self, at: i64) -> Self {
        let mut kept = self.0.clone();
        if let Some(i) = kept.iter().position(|t| *t == at) {
            kept.remove(i);
        }
        Self(kept)
    }
}

/// How many times a write that lost a race is tried again before the attempt is refused.
const RACE_RETRIES: usize = 200;

fn key(subject: &str) -> (String, String) {
    crate::keys::login_failures(subject)
}

async fn load(app: &App, subject: &str) -> Result<(Attempts, Option<u64>)> {
    let (pk, sk) = key(subject);
    Ok(match app.ports.table.get(&pk, &sk).await? {
        Some(item) => (item.decode()?, Some(item.version)),
        None => (Attempts::default(), None),
    })
}

/// Rewrites a subject's attempts with an optimistic version check, retrying lost races.
/// `change` returns the new attempts, or an error to stop (and nothing is written).
async fn update(
    app: &App,
    subject: &str,
    window_secs: i64,
    change: impl Fn(&Attempts, i64) -> Result<Attempts>,
) -> Result<i64> {
    for _ in 0..RACE_RETRIES {
        let (current, version) = load(app, subject).await?;
        let now = app.now().timestamp();
        let next = change(&current, now)?;
        let (pk, sk) = key(subject);
        let body = serde_json::to_value(&next).map_err(|e| Error::Internal(e.to_string()))?;
        let item = Item::new(pk, sk, body).expiring_at(now + window_secs);
        let condition = version.map_or(Condition::NotExists, Condition::Version);
        match app.ports.table.put(item, condition).await {
            Ok(_) => return Ok(now),
            Err(StoreError::ConditionFailed) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::RateLimited { retry_after: 1 })
}

/// Counts one attempt of `subject`, or refuses it with `RateLimited` when the subject has used
/// up its limit. Returns the attempt's time, for [`give_back`].
pub async fn take(app: &App, subject: &str, limit: Limit) -> Result<i64> {
    update(app, subject, limit.window_secs, |current, now| match current.locked_for(now, limit) {
        Some(retry_after) => Err(Error::RateLimited { retry_after }),
        None => Ok(current.record(now, limit)),
    })
    .await
}

/// Returns an attempt taken at `at` that turned out fine (a right password).
pub async fn give_back(app: &App, subject: &str, limit: Limit, at: i64) -> Result<()> {
    update(app, subject, limit.window_secs, |current, _| Ok(current.forget(at))).await.map(|_| ())
}

/// A fixed-window rate: at most `max` events per window of `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub max: u64,
    pub window_secs: i64,
}

/// The fixed window `now` falls in: its number and the second it ends.
pub fn window(now: i64, window_secs: i64) -> (i64, i64) {
    let number = now.div_euclid(window_secs);
    (number, (number + 1) * window_secs)
}

/// Counts one event of `subject` in the current fixed window, or refuses it with
/// `RateLimited` (retry when the window ends) once the window holds `max` events. One
/// unconditional write and no read: the table bumps an item's version by one on every write,
/// atomically in both adapters (redb's write transaction, DynamoDB's `ADD ver :one`), so the
/// version of the window's item is the event's number in the window; parallel events each get
/// their own number and none is lost.
pub async fn count(app: &App, subject: &str, rate: Rate) -> Result<()> {
    let now = app.now().timestamp();
    let (number, end) = window(now, rate.window_secs);
    let item = Item::new(format!("rate#{subject}"), format!("window#{number}"), serde_json::json!({})).expiring_at(end);
    let nth = app.ports.table.put(item, Condition::Always).await?;
    if nth > rate.max { Err(Error::RateLimited { retry_after: (end - now).max(1) as u64 }) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_windows_start_and_end_on_their_multiples() {
        assert_eq!(window(0, 60), (0, 60));
        assert_eq!(window(119, 60), (1, 120));
        assert_eq!(window(120, 60), (2, 180));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_fixed_window_counts_parallel_events_and_opens_again_when_it_ends() {
        let (app, clock, _) = crate::testing::app();
        let rate = Rate { max: 25, window_secs: 60 };
        let tasks: Vec<_> = (0..60)
            .map(|_| {
                let app = app.clone();
                tokio::spawn(async move { count(&app, "ip#10.0.0.1", rate).await })
            })
            .collect();
        let mut allowed = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => allowed += 1,
                Err(Error::RateLimited { retry_after }) => assert!((1..=60).contains(&retry_after)),
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(allowed, 25, "exactly the limit, however many race");
        assert!(count(&app, "ip#10.0.0.2", rate).await.is_ok(), "another subject has its own count");
        clock.advance(chrono::Duration::seconds(60));
        assert!(count(&app, "ip#10.0.0.1", rate).await.is_ok(), "a new window");
    }

    #[test]
    fn ten_attempts_in_fifteen_minutes_lock() {
        let mut f = Attempts::default();
        for i in 0..9 {
            f = f.record(1000 + i * 60, LOGIN);
            assert_eq!(f.locked_for(1000 + i * 60, LOGIN), None);
        }
        f = f.record(1540, LOGIN);
        assert_eq!(f.locked_for(1541, LOGIN), Some(359));
        assert_eq!(f.locked_for(1000 + LOGIN.window_secs, LOGIN), None, "the oldest attempt has left the window");
    }

    #[test]
    fn old_attempts_are_forgotten_and_one_can_be_given_back() {
        let f = Attempts((0..10).collect());
        assert_eq!(f.record(5000, LOGIN).0, vec![5000]);
        assert_eq!(Attempts(vec![1, 2, 2, 3]).forget(2).0, vec![1, 2, 3]);
        assert_eq!(Attempts(vec![1]).forget(9).0, vec![1]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn parallel_attempts_are_each_counted() {
        let (app, _, _) = crate::testing::app();
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let app = app.clone();
                tokio::spawn(async move { take(&app, "email#x", LOGIN).await })
            })
            .collect();
        let mut allowed = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => allowed += 1,
                Err(Error::RateLimited { .. }) => {}
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(allowed, LOGIN.max);
    }
}
