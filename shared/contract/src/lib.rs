//! The contract suites: one module of cases per port, and one macro per port that turns every
//! case into a `#[tokio::test]` over a fixture the adapter's own test file builds. The embedded
//! adapters run them on a temporary redb file and folders; the AWS adapters on `moto_server`.

pub mod atomic;
pub mod blobs;
pub mod keys;
pub mod mail;
pub mod queue;
pub mod table;

/// Expands to one test per table case; `$fresh` is an `async fn() -> table::Fixture` that
/// gives every test its own empty table.
#[macro_export]
macro_rules! table_contract {
    ($fresh:path) => {
        $crate::__cases!(
            table_contract,
            $fresh,
            table,
            [
                put_then_get,
                versions_count_parallel_writes,
                conditional_writes,
                query_by_prefix_and_range,
                pagination,
                secondary_index,
                transactions_are_all_or_nothing,
                expired_items_are_gone,
                batch_put,
                scan_by_partition_prefix
            ]
        );
    };
}

/// Expands to one test per queue case; `$fresh` gives `queue::Fixture` over a queue made from
/// `queue::SPEC` (1 s visibility, dead-letter after 2 receives).
#[macro_export]
macro_rules! queue_contract {
    ($fresh:path) => {
        $crate::__cases!(
            queue_contract,
            $fresh,
            queue,
            [
                send_receive_ack,
                delayed_send,
                visibility_timeout_redelivers,
                retry_after_delay,
                dead_letter_after_max_receives_then_replay,
                batch_receive,
                delay_over_fifteen_minutes_is_refused
            ]
        );
    };
}

/// Expands to one test per atomic case; `$fresh` gives `atomic::Fixture` over an empty table
/// and queues that know `queue::SPEC`.
#[macro_export]
macro_rules! atomic_contract {
    ($fresh:path) => {
        $crate::__cases!(
            atomic_contract,
            $fresh,
            atomic,
            [
                writes_and_sends_commit_together,
                a_refused_commit_writes_and_sends_nothing,
                an_unknown_queue_or_a_long_delay_is_refused_before_writing,
                a_commit_that_sent_leaves_nothing_to_redeliver
            ]
        );
    };
}

#[macro_export]
macro_rules! mail_contract {
    ($fresh:path) => {
        $crate::__cases!(mail_contract, $fresh, mail, [sends_text_and_html, refuses_bad_address]);
    };
}

#[macro_export]
macro_rules! blobs_contract {
    ($fresh:path) => {
        $crate::__cases!(blobs_contract, $fresh, blobs, [put_get_delete, refuses_bad_keys]);
    };
}

#[macro_export]
macro_rules! keys_contract {
    ($fresh:path) => {
        $crate::__cases!(
            keys_contract,
            $fresh,
            keys,
            [data_keys_unwrap_to_their_plaintext, foreign_changed_or_garbage_blobs_are_refused]
        );
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __cases {
    ($suite:ident, $fresh:path, $module:ident, [$($case:ident),* $(,)?]) => {
        mod $suite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    $crate::$module::$case($fresh().await).await;
                }
            )*
        }
    };
}
