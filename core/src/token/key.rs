//! HMAC-SHA256 keys with their key schedule prepared once, keyrings, and the
//! minimal crypto provider for the `jsonwebtoken` crate.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{Error as JwtError, ErrorKind as JwtErrorKind};
use jsonwebtoken::signature;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use sha2::Sha256;

use crate::error::{Error, ErrorCode, Result};
use crate::policy::{public_key_reason, MIN_SECRET_BYTES};
use crate::report::Resolution;
use crate::rotation::KeySlot;
use crate::secret::Secret;

type HmacSha256 = Hmac<Sha256>;

/// The most keys a keyring holds (docs/spec.md §8.2, step 6).
pub const MAX_KEYS: usize = 8;

/// An HS256 key: the secret plus its HMAC key schedule, computed once so that
/// each signature costs only the message's own hashing.
#[derive(Clone)]
pub struct Key {
    secret: Secret,
    mac: HmacSha256,
    slot: Option<KeySlot>,
}

impl Key {
    /// A raw key from bytes (a text secret is its UTF-8 bytes). RFC 7518 section
    /// 3.2 requires at least 32 bytes; public-key material is refused in every
    /// form docs/decisions.md lists (PEM, DER raw/base64/hex, OpenSSH, RFC 4716,
    /// JWK). Placeholders and quotes are a resolution policy, not checked here.
    ///
    /// # Errors
    /// `invalid_key` for an empty, short or public-key-looking key.
    pub fn from_bytes(bytes: &[u8]) -> Result<Key> {
        let invalid = |message: String, reason: &str| {
            Error::new(ErrorCode::InvalidKey, message).with("reason", reason)
        };
        if bytes.is_empty() {
            return Err(invalid("the key is empty".into(), "empty"));
        }
        if bytes.len() < MIN_SECRET_BYTES {
            return Err(invalid(
                format!(
                    "the key ({}) has {} bytes; HS256 needs at least {MIN_SECRET_BYTES} \
                     (RFC 7518 section 3.2)",
                    crate::fingerprint(bytes),
                    bytes.len()
                ),
                "too_short",
            )
            .with("length", bytes.len())
            .with("minimum", MIN_SECRET_BYTES));
        }
        if let Some(reason) = public_key_reason(bytes) {
            return Err(invalid(
                format!(
                    "the key ({}) is public-key material ({reason}): anyone holding the public \
                     key could forge tokens",
                    crate::fingerprint(bytes)
                ),
                "public_key",
            ));
        }
        Ok(Key::unchecked(Secret::new(bytes)))
    }

    /// A raw key from text: its UTF-8 bytes, with the checks of [`Key::from_bytes`].
    ///
    /// # Errors
    /// `invalid_key`.
    pub fn from_text(text: &str) -> Result<Key> {
        Key::from_bytes(text.as_bytes())
    }

    /// The keys of a resolution, as a keyring in the order `current`, `next`,
    /// `previous` (docs/spec.md §14), each key carrying its slot: a [`Signer`]
    /// signs with `current`, a [`Verifier`] accepts all of them and reports
    /// the slot that verified (`Verified::key_slot`). Its environment's policy
    /// already applied (a short secret is only a warning in development and
    /// test), so no check here.
    ///
    /// [`Signer`]: crate::Signer
    /// [`Verifier`]: crate::Verifier
    pub fn from_resolution(resolution: &Resolution) -> Keyring {
        Keyring {
            keys: resolution
                .keys()
                .iter()
                .map(|held| Key {
                    slot: Some(held.slot),
                    ..Key::unchecked(held.secret().clone())
                })
                .collect(),
        }
    }

    pub(crate) fn unchecked(secret: Secret) -> Key {
        let mac = HmacSha256::new_from_slice(secret.expose())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        Key {
            secret,
            mac,
            slot: None,
        }
    }

    /// The slot of a key from a resolution; `None` for a raw key.
    pub fn slot(&self) -> Option<KeySlot> {
        self.slot
    }

    /// The key's fingerprint, used as the default `kid`.
    pub fn fingerprint(&self) -> &str {
        self.secret.fingerprint()
    }

    /// This key's HMAC state with `prefix` already absorbed: a signer's
    /// header segment and dot, the same for every token it signs.
    pub(crate) fn prefixed(&self, prefix: &[u8]) -> Prefixed {
        let mut mac = self.mac.clone();
        mac.update(prefix);
        Prefixed { mac }
    }

    /// HMAC-SHA256 over `message`.
    pub fn tag(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// Whether `signature` is the HMAC of `message`, compared in constant time.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let mut mac = self.mac.clone();
        mac.update(message);
        mac.verify_slice(signature).is_ok()
    }
}

/// An HMAC state past a fixed prefix (see [`Key::prefixed`]): each tag then
/// hashes only what follows it, one SHA-256 block fewer for a signer's header.
#[derive(Clone)]
pub(crate) struct Prefixed {
    mac: HmacSha256,
}

impl Prefixed {
    /// HMAC-SHA256 over the prefix followed by `rest`.
    pub(crate) fn tag(&self, rest: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(rest);
        mac.finalize().into_bytes().into()
    }

    /// Whether `signature` is the HMAC of the prefix followed by `rest`,
    /// compared in constant time.
    pub(crate) fn verifies(&self, rest: &[u8], signature: &[u8]) -> bool {
        let mut mac = self.mac.clone();
        mac.update(rest);
        mac.verify_slice(signature).is_ok()
    }
}

impl fmt::Debug for Prefixed {
    /// Nothing of the state, which is derived from the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Prefixed(..)")
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key(sha256:{})", self.fingerprint())
    }
}

impl From<&Resolution> for Keyring {
    fn from(resolution: &Resolution) -> Keyring {
        Key::from_resolution(resolution)
    }
}

/// One to eight keys, current first (for rotation).
#[derive(Clone, Debug)]
pub struct Keyring {
    keys: Vec<Key>,
}

impl Keyring {
    /// A keyring from keys, current first.
    ///
    /// # Errors
    /// `invalid_key` when there are no keys or more than eight.
    pub fn new(keys: Vec<Key>) -> Result<Keyring> {
        if keys.is_empty() {
            return Err(Error::new(ErrorCode::InvalidKey, "no key was given")
                .with("reason", "empty_keyring"));
        }
        if keys.len() > MAX_KEYS {
            return Err(Error::new(
                ErrorCode::InvalidKey,
                format!(
                    "{} keys were given; a keyring holds at most {MAX_KEYS}",
                    keys.len()
                ),
            )
            .with("reason", "too_many_keys")
            .with("count", keys.len())
            .with("maximum", MAX_KEYS));
        }
        Ok(Keyring { keys })
    }

    /// The current key (the first), which signs.
    pub fn current(&self) -> &Key {
        &self.keys[0]
    }

    /// All keys, current first.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// The keys, current first, to combine with others into a new keyring
    /// (as bindings do for a list that mixes resolutions and raw keys).
    pub fn into_keys(self) -> Vec<Key> {
        self.keys
    }

    /// The fingerprints of all keys, current first.
    pub fn fingerprints(&self) -> Vec<String> {
        self.keys
            .iter()
            .map(|k| k.fingerprint().to_owned())
            .collect()
    }
}

impl From<Key> for Keyring {
    fn from(key: Key) -> Keyring {
        Keyring { keys: vec![key] }
    }
}

impl signature::Signer<Vec<u8>> for Key {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        Ok(self.tag(message).to_vec())
    }
}

impl signature::Verifier<Vec<u8>> for Key {
    fn verify(
        &self,
        message: &[u8],
        signature: &Vec<u8>,
    ) -> std::result::Result<(), signature::Error> {
        if self.verifies(message, signature) {
            Ok(())
        } else {
            Err(signature::Error::new())
        }
    }
}

impl JwtSigner for Key {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
}

impl JwtVerifier for Key {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
}

/// A `jsonwebtoken` crypto provider that knows HS256 only, backed by the same
/// prepared-key HMAC as the core. The core never installs it (that is
/// process-global); an application that also calls `jsonwebtoken` directly may
/// `HS256_ONLY_PROVIDER.install_default()` to keep RSA/ECDSA crates out.
pub static HS256_ONLY_PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: |algorithm, key: &EncodingKey| {
        hs256_only(algorithm)?;
        Ok(Box::new(Key::unchecked(Secret::new(key.as_bytes()))) as Box<dyn JwtSigner>)
    },
    verifier_factory: |algorithm, key: &DecodingKey| {
        hs256_only(algorithm)?;
        Ok(Box::new(Key::unchecked(Secret::new(key.try_get_as_bytes()?))) as Box<dyn JwtVerifier>)
    },
    key_utils: KeyUtils::new_unimplemented(),
};

fn hs256_only(algorithm: &Algorithm) -> std::result::Result<(), JwtError> {
    if *algorithm == Algorithm::HS256 {
        Ok(())
    } else {
        Err(JwtErrorKind::InvalidAlgorithm.into())
    }
}
