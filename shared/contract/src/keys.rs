//! Cases for the key-wrapping port (envelope encryption): a data key unwraps to its plaintext
//! under the master key that made it, and nothing else unwraps.

use beseda_ports::keywrap::{KeyError, KeyWrap};
use std::sync::Arc;

pub struct Fixture {
    pub keys: Arc<dyn KeyWrap>,
    /// The same kind of port under another master key.
    pub other: Arc<dyn KeyWrap>,
}

pub async fn data_keys_unwrap_to_their_plaintext(f: Fixture) {
    let first = f.keys.generate_data_key().await.unwrap();
    let second = f.keys.generate_data_key().await.unwrap();
    assert_ne!(first.plaintext, second.plaintext, "every data key is new");
    assert_ne!(first.wrapped, second.wrapped);
    assert!(!first.wrapped.windows(32).any(|w| w == first.plaintext), "the wrapped key does not hold the plaintext");
    assert_eq!(f.keys.unwrap(&first.wrapped).await.unwrap(), first.plaintext);
    assert_eq!(f.keys.unwrap(&second.wrapped).await.unwrap(), second.plaintext);
    assert_eq!(f.keys.unwrap(&first.wrapped).await.unwrap(), first.plaintext, "unwrapping again gives the same key");
    assert!(!format!("{first:?}").contains(&format!("{:?}", first.plaintext)), "Debug never prints the key");
}

pub async fn foreign_changed_or_garbage_blobs_are_refused(f: Fixture) {
    let key = f.keys.generate_data_key().await.unwrap();
    assert!(f.other.unwrap(&key.wrapped).await.is_err(), "another master key unwraps nothing");
    let mut changed = key.wrapped.clone();
    let last = changed.len() - 1;
    changed[last] ^= 1;
    assert!(matches!(f.keys.unwrap(&changed).await, Err(KeyError::Refused(_))), "a changed blob is refused");
    let garbage = b"this is not a wrapped key at all".to_vec();
    assert!(matches!(f.keys.unwrap(&garbage).await, Err(KeyError::Refused(_))), "garbage is refused");
    assert!(matches!(f.keys.unwrap(&key.wrapped[..8]).await, Err(KeyError::Refused(_))), "a cut blob is refused");
}
