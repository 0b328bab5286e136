//! Rate limits of the public API: per visitor and per IP address in fixed 10-second windows
//! kept in memory (per process; in Lambda per warm instance, which bounds a burst, not a day),
//! and new visitors per IP address and per project per minute, counted in the table (one
//! count for every process, see `beseda_domain::throttle::count`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Writes per visitor per 10 s.
    pub per_visitor: u32,
    /// Requests per IP address per 10 s.
    pub per_ip: u32,
    /// New visitors per IP address per minute.
    pub new_visitors_per_ip: u64,
    /// New visitors per project per minute.
    pub new_visitors_per_project: u64,
}

impl Limits {
    /// `WIDGET_LIMIT_VISITOR` and `WIDGET_LIMIT_IP`, 20 and 600 by default;
    /// `WIDGET_NEW_VISITORS_IP` and `WIDGET_NEW_VISITORS_PROJECT`, 30 and 600 by default.
    pub fn from_env() -> Self {
        fn var<T: std::str::FromStr>(k: &str, d: T) -> T {
            std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d)
        }
        Self {
            per_visitor: var("WIDGET_LIMIT_VISITOR", 20),
            per_ip: var("WIDGET_LIMIT_IP", 600),
            new_visitors_per_ip: var("WIDGET_NEW_VISITORS_IP", 30),
            new_visitors_per_project: var("WIDGET_NEW_VISITORS_PROJECT", 600),
        }
    }
}

#[derive(Default)]
pub struct Counter(Mutex<HashMap<String, (Instant, u32)>>);

impl Counter {
    /// Counts one hit of `key`; false when it is over `limit` in the current window.
    pub fn hit(&self, key: &str, limit: u32) -> bool {
        let now = Instant::now();
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = map.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= limit
    }
}

#[cfg(test)]
mod tests {
    use super::Counter;

    #[test]
    fn counts_per_key() {
        let c = Counter::default();
        assert!((0..3).all(|_| c.hit("a", 3)));
        assert!(!c.hit("a", 3));
        assert!(c.hit("b", 3));
    }
}
