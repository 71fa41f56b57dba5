//! The secret type and its fingerprint (docs/spec.md §6).

use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The fingerprint of a secret: the first 16 lower-case hex characters of
/// SHA-256 over its bytes, so `printf '%s' "$SECRET" | sha256sum | cut -c1-16`
/// gives the same value.
pub fn fingerprint(secret: &[u8]) -> String {
    let digest = Sha256::digest(secret);
    hex(&digest[..8])
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// Whether `text` has the fingerprint form: 16 lower-case hex characters.
pub fn is_fingerprint_form(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Secret bytes. `Debug` and `Display` show only the fingerprint; the bytes are
/// zeroed when the last clone is dropped. Read them with [`Secret::expose`].
#[derive(Clone)]
pub struct Secret(Arc<Inner>);

struct Inner {
    bytes: Zeroizing<Vec<u8>>,
    fingerprint: String,
}

impl Secret {
    /// Wraps secret bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = Zeroizing::new(bytes.into());
        let fingerprint = fingerprint(&bytes);
        Secret(Arc::new(Inner { bytes, fingerprint }))
    }

    /// The fingerprint (16 hex characters, no prefix).
    pub fn fingerprint(&self) -> &str {
        &self.0.fingerprint
    }

    /// The secret bytes. The name is deliberate: every read is visible in review.
    pub fn expose(&self) -> &[u8] {
        &self.0.bytes
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.0.bytes.len()
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.bytes.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(sha256:{})", self.fingerprint())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", self.fingerprint())
    }
}
