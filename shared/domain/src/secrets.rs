//! Random tokens and passwords, the hashes they are stored as, and the encryption of secrets
//! at rest (integration tokens and keys): XChaCha20-Poly1305 under the installation's 256-bit
//! data key (`keyring` keeps it wrapped in the table and unwraps it once per process).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use std::fmt;

pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the operating system's random source works");
    buf
}

/// A 256-bit URL-safe token (sessions, reset links).
pub fn token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// How a token is stored: its SHA-256, so a leaked table holds no usable token.
pub fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// A generated password of 12 characters that are easy to read and type.
pub fn password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    random_bytes::<12>().iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes make a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters hashes any input")
        .to_string()
}

/// A hash to check against when the account does not exist, so both paths take as long.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Jc9y7M5WJ2C/nGZJcxs3hXyAb0dP0r8Qy6bK3bsm1xA";

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// The key that encrypts secrets at rest. `Debug` never prints it.
#[derive(Clone)]
pub struct SecretKey {
    key: [u8; 32],
    /// A key that sealed secrets before this one, which [`SecretKey::open`] still tries.
    previous: Option<[u8; 32]>,
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.into())
}

impl SecretKey {
    pub(crate) fn from_bytes(key: [u8; 32]) -> Self {
        SecretKey { key, previous: None }
    }

    /// A key from its written form; None when it is not 32 bytes of URL-safe base64.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        Some(Self::from_bytes(bytes.try_into().ok()?))
    }

    /// This key, still opening what `previous` sealed (it never seals with it).
    pub fn opening_also(self, previous: &SecretKey) -> Self {
        SecretKey { previous: Some(previous.key), ..self }
    }

    /// Encrypts a secret: a random nonce and the ciphertext, in URL-safe base64.
    pub fn seal(&self, plaintext: &str) -> String {
        let nonce = random_bytes::<24>();
        let sealed = cipher(&self.key)
            .encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes())
            .expect("XChaCha20-Poly1305 encrypts any input that fits in memory");
        URL_SAFE_NO_PAD.encode([nonce.as_slice(), &sealed].concat())
    }

    /// Decrypts what [`SecretKey::seal`] made with this key or the previous one; None when
    /// neither made it, or it was changed.
    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        if bytes.len() < 24 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        let plain = [Some(self.key), self.previous]
            .into_iter()
            .flatten()
            .find_map(|key| cipher(&key).decrypt(XNonce::from_slice(nonce), ciphertext).ok())?;
        String::from_utf8(plain).ok()
    }
}

/// A secret as the cabinet shows it after saving: the first two and last two characters.
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 8 {
        return "…".to_owned();
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_sealed_with_the_key_and_shown_masked() {
        let key = SecretKey::from_bytes(random_bytes());
        let sealed = key.seal("123456:ABC-token");
        assert!(!sealed.contains("ABC"));
        assert_ne!(sealed, key.seal("123456:ABC-token"), "a fresh nonce each time");
        assert_eq!(key.open(&sealed).as_deref(), Some("123456:ABC-token"));
        let other = SecretKey::from_bytes(random_bytes());
        assert_eq!(other.open(&sealed), None, "another key opens nothing");
        let mut tampered = sealed.clone();
        tampered.replace_range(40..41, if &sealed[40..41] == "A" { "B" } else { "A" });
        assert_eq!(key.open(&tampered), None, "a changed ciphertext is refused");
        assert!(SecretKey::parse("short").is_none());
        let written = SecretKey::parse("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY").unwrap();
        assert_eq!(written.open(&written.seal("x")).as_deref(), Some("x"));
        assert_eq!(format!("{key:?}"), "SecretKey(…)");
        assert_eq!(mask("123456:ABC-xY"), "12…xY");
        assert_eq!(mask("short"), "…");
    }

    #[test]
    fn a_key_opens_what_its_previous_key_sealed_and_seals_only_with_itself() {
        let (old, new) = (SecretKey::from_bytes(random_bytes()), SecretKey::from_bytes(random_bytes()));
        let sealed_before = old.seal("123456:old-token");
        let both = new.clone().opening_also(&old);
        assert_eq!(both.open(&sealed_before).as_deref(), Some("123456:old-token"));
        let sealed_now = both.seal("123456:new-token");
        assert_eq!(new.open(&sealed_now).as_deref(), Some("123456:new-token"), "it seals with the new key");
        assert_eq!(old.open(&sealed_now), None);
        assert_eq!(new.open(&sealed_before), None, "without the previous key the old secret stays closed");
        assert_eq!(format!("{both:?}"), "SecretKey(…)");
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsE", &hash));
        assert!(!verify_password("x", "not a hash"));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok(), "the dummy hash parses, so it costs a full check");
    }

    #[test]
    fn tokens_and_passwords_are_random() {
        assert_ne!(token(), token());
        assert_eq!(token().len(), 43);
        let p = password();
        assert_eq!(p.chars().count(), 12);
        assert_ne!(p, password());
        assert_eq!(token_hash("a"), token_hash("a"));
        assert_ne!(token_hash("a"), token_hash("b"));
    }
}
