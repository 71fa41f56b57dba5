//! Shared fixtures for the fuzz targets: the fixed keyring (the conformance
//! vectors' two keys, so seed tokens from `tests/vectors/` verify), hand-signed
//! tokens that reach the claim checks, and the secret-hygiene assertion.

use std::sync::LazyLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jwt_accord::{Error, Key, Keyring};

/// The time the targets verify at (the vectors' `now`).
pub const NOW: i64 = 1_700_000_000;

/// The two held secrets: `k1` and `k2` of `tests/vectors/verify.json`.
pub const SECRETS: [&str; 2] = [
    "k1-conformance-secret-0a1b2c3d4e5f60718293a4b5",
    "k2-conformance-secret-f0e1d2c3b4a5968778695a4b",
];

/// The keys of [`SECRETS`].
pub static KEYS: LazyLock<[Key; 2]> =
    LazyLock::new(|| SECRETS.map(|s| Key::from_text(s).expect("a valid key")));

/// The fixed two-key keyring, current first.
pub fn keyring() -> Keyring {
    Keyring::new(KEYS.to_vec()).expect("two keys")
}

/// Base64url without padding.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token over arbitrary header and claims bytes (`header \n claims`; without
/// a newline, all of it is the claims under `{"alg":"HS256"}`), signed with held
/// key `index`, so that fuzzed claims get past the signature check.
pub fn signed_token(parts: &[u8], index: usize) -> String {
    let (header, claims) = match parts.iter().position(|&b| b == b'\n') {
        Some(at) => (&parts[..at], &parts[at + 1..]),
        None => (&br#"{"alg":"HS256"}"#[..], parts),
    };
    let input = format!("{}.{}", b64(header), b64(claims));
    let tag = KEYS[index].tag(input.as_bytes());
    format!("{input}.{}", b64(&tag))
}

/// Every text a caller could show of an error: `Display`, `Debug`, the JSON form.
pub fn error_surfaces(error: &Error) -> Vec<String> {
    vec![
        error.to_string(),
        format!("{error:?}"),
        error.to_json_value().to_string(),
        jwt_accord::error_report_json(error),
    ]
}

/// Panics when a surface shows a secret, unless the fuzz input itself carried
/// that secret (then an attacker-chosen claim may legitimately echo it).
pub fn assert_hidden(surfaces: &[String], secrets: &[&[u8]], input: &[u8]) {
    for secret in secrets {
        if secret.is_empty() || contains(input, secret) {
            continue;
        }
        for surface in surfaces {
            assert!(
                !contains(surface.as_bytes(), secret),
                "a secret is shown: {surface}"
            );
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
