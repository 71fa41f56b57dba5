//! The system clock, for callers that want it read for them (cargo feature
//! `clock`, off by default: without it the core reads no clock).

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::error::Result;
use crate::token::sign::Signer;
use crate::token::verify::{Verified, Verifier};

/// Seconds since the Unix epoch by the system clock (negative before it).
pub fn now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

impl Verifier {
    /// [`Verifier::verify`] at the system clock's [`now`].
    ///
    /// # Errors
    /// As [`Verifier::verify`].
    pub fn verify_now(&self, token: &str) -> Result<Verified> {
        self.verify(token, now())
    }
}

impl Signer {
    /// [`Signer::sign`] at the system clock's [`now`].
    ///
    /// # Errors
    /// As [`Signer::sign`].
    pub fn sign_now(&self, claims: &Value) -> Result<String> {
        self.sign(claims, now())
    }
}
