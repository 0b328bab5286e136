//! How long a failed queue message waits before its next try: doubling from 2 s, capped at
//! 15 minutes (the longest SQS delay).

use std::time::Duration;

pub fn retry_delay(receive_count: u32) -> Duration {
    let exp = receive_count.saturating_sub(1).min(20);
    Duration::from_secs(2u64.saturating_mul(1 << exp)).min(beseda_ports::queue::MAX_DELAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_then_caps() {
        assert_eq!(retry_delay(1), Duration::from_secs(2));
        assert_eq!(retry_delay(2), Duration::from_secs(4));
        assert_eq!(retry_delay(5), Duration::from_secs(32));
        assert_eq!(retry_delay(30), Duration::from_secs(900));
    }
}
