//! HS256 tokens (docs/spec.md §8): keys, signing, verifying, decoding.

#[cfg(test)]
mod arbitrary;
pub mod base64url;
pub mod claims;
pub mod json;
pub mod key;
mod plain;
pub mod plain_json;
mod scan;
pub mod sign;
pub mod time;
pub mod verify;
mod write;

/// Seconds since the epoch from a host number (a JavaScript `Date.now() / 1000`,
/// a Python `time.time()`): floored; `None` when not finite or beyond +-2^53.
pub fn seconds_from_f64(seconds: f64) -> Option<i64> {
    (seconds.is_finite() && seconds.abs() <= claims::MAX_TIME).then(|| seconds.floor() as i64)
}
