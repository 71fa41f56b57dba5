//! Verification and signature counts (docs/spec.md §16): what a [`Verifier`]
//! and a [`Signer`] have done since they were made, for the metrics.
//!
//! One relaxed atomic increment per call; clones of a verifier or signer share
//! their counts (they are the same verifier to an operator).
//!
//! [`Verifier`]: crate::Verifier
//! [`Signer`]: crate::Signer

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::error::ErrorCode;
use crate::rotation::KeySlot;

/// The results a verification is counted under, in the order of the metrics:
/// `ok` for each slot, then each error code verification can return (docs/spec.md
/// §8.2, in check order).
pub const VERIFICATION_RESULTS: [(&str, Option<KeySlot>); 15] = [
    ("ok", Some(KeySlot::Current)),
    ("ok", Some(KeySlot::Next)),
    ("ok", Some(KeySlot::Previous)),
    ("token_too_large", None),
    ("malformed", None),
    ("unsupported_algorithm", None),
    ("unknown_key", None),
    ("invalid_signature", None),
    ("invalid_claim_type", None),
    ("missing_claim", None),
    ("expired", None),
    ("not_yet_valid", None),
    ("invalid_issuer", None),
    ("invalid_audience", None),
    ("wrong_token_type", None),
];

const RESULTS: usize = VERIFICATION_RESULTS.len();

/// The index in [`VERIFICATION_RESULTS`] of a verification's outcome: the
/// slot of the key that verified it (a raw key, outside any resolution, counts
/// as `current`: it is the one key held), or the error's code.
fn result_index(outcome: Result<Option<KeySlot>, ErrorCode>) -> Option<usize> {
    match outcome {
        Ok(slot) => Some(slot.unwrap_or(KeySlot::Current) as usize),
        Err(code) => VERIFICATION_RESULTS
            .iter()
            .skip(3)
            .position(|(name, _)| *name == code.as_str())
            .map(|i| i + 3),
    }
}

/// A snapshot of verification counts, indexed like [`VERIFICATION_RESULTS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VerificationCounts(pub [u64; RESULTS]);

impl VerificationCounts {
    /// Adds `other`'s counts to these (a service with several verifiers).
    pub fn add(&mut self, other: &VerificationCounts) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine = mine.saturating_add(theirs);
        }
    }

    /// The count of one result: `("ok", Some(slot))` or `(code, None)`.
    pub fn get(&self, result: &str, slot: Option<KeySlot>) -> u64 {
        VERIFICATION_RESULTS
            .iter()
            .position(|&(r, s)| r == result && s == slot)
            .map_or(0, |i| self.0[i])
    }

    /// Counts given as a list of numbers in [`VERIFICATION_RESULTS`] order,
    /// as hosts pass them back (`Verifier.counts()`); `Err` says what is wrong.
    pub fn from_slice(counts: &[u64]) -> Result<VerificationCounts, String> {
        <[u64; RESULTS]>::try_from(counts)
            .map(VerificationCounts)
            .map_err(|_| {
                format!(
                    "verification counts must be {RESULTS} numbers, found {}",
                    counts.len()
                )
            })
    }
}

/// The live counters a verifier holds.
#[derive(Debug, Default)]
pub(crate) struct VerificationCounter([AtomicU64; RESULTS]);

impl VerificationCounter {
    /// A fresh counter, shareable between clones.
    pub(crate) fn shared() -> Arc<VerificationCounter> {
        Arc::new(VerificationCounter::default())
    }

    /// Counts one verification.
    pub(crate) fn record(&self, outcome: Result<Option<KeySlot>, ErrorCode>) {
        if let Some(i) = result_index(outcome) {
            self.0[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The counts so far.
    pub(crate) fn snapshot(&self) -> VerificationCounts {
        VerificationCounts(std::array::from_fn(|i| self.0[i].load(Ordering::Relaxed)))
    }
}

/// The live counter a signer holds: tokens signed.
#[derive(Debug, Default)]
pub(crate) struct SignatureCounter(AtomicU64);

impl SignatureCounter {
    /// A fresh counter, shareable between clones.
    pub(crate) fn shared() -> Arc<SignatureCounter> {
        Arc::new(SignatureCounter::default())
    }

    /// Counts one signature.
    pub(crate) fn record(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// The count so far.
    pub(crate) fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_error_of_verify_has_a_result() {
        // The errors Verifier::verify documents, each counted under its own name.
        for code in ErrorCode::ALL {
            let counted = result_index(Err(*code));
            assert_eq!(counted.is_some(), code.is_verification_error(), "{code}");
        }
        assert_eq!(result_index(Ok(None)), Some(0));
        assert_eq!(result_index(Ok(Some(KeySlot::Previous))), Some(2));
    }

    #[test]
    fn counts_are_shared_and_summed() {
        let counter = VerificationCounter::shared();
        let clone = Arc::clone(&counter);
        counter.record(Ok(Some(KeySlot::Next)));
        clone.record(Err(ErrorCode::UnknownKey));
        clone.record(Err(ErrorCode::UnknownKey));
        let mut total = counter.snapshot();
        total.add(&clone.snapshot());
        assert_eq!(total.get("ok", Some(KeySlot::Next)), 2);
        assert_eq!(total.get("unknown_key", None), 4);
        assert_eq!(total.get("expired", None), 0);
        assert!(VerificationCounts::from_slice(&[1, 2]).is_err());
    }
}
