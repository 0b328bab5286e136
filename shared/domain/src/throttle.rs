//! The login throttle: after 10 failures within 15 minutes for one account or one IP address,
//! further attempts are refused until the oldest failure leaves the window.

use serde::{Deserialize, Serialize};

pub const MAX_FAILURES: usize = 10;
pub const WINDOW_SECS: i64 = 15 * 60;

/// The failure times (epoch seconds) of one subject within the window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failures(pub Vec<i64>);

impl Failures {
    fn recent(&self, now: i64) -> impl Iterator<Item = i64> + '_ {
        self.0.iter().copied().filter(move |t| now - t < WINDOW_SECS)
    }

    /// Seconds until an attempt is allowed again, or None when it is allowed now.
    pub fn locked_for(&self, now: i64) -> Option<u64> {
        let recent: Vec<i64> = self.recent(now).collect();
        (recent.len() >= MAX_FAILURES).then(|| {
            let oldest = recent.iter().copied().min().unwrap_or(now);
            (oldest + WINDOW_SECS - now).max(1) as u64
        })
    }

    /// The failures after one more at `now`, forgetting those out of the window.
    pub fn record(&self, now: i64) -> Self {
        let mut kept: Vec<i64> = self.recent(now).collect();
        kept.push(now);
        Self(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_failures_in_fifteen_minutes_lock() {
        let mut f = Failures::default();
        for i in 0..9 {
            f = f.record(1000 + i * 60);
            assert_eq!(f.locked_for(1000 + i * 60), None);
        }
        f = f.record(1540);
        assert_eq!(f.locked_for(1541), Some(359));
        assert_eq!(f.locked_for(1000 + WINDOW_SECS), None, "the oldest failure has left the window");
    }

    #[test]
    fn old_failures_are_forgotten() {
        let f = Failures((0..10).collect());
        assert_eq!(f.record(5000).0, vec![5000]);
    }
}
