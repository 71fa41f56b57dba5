//! The `now` that signing and verification take: seconds since the Unix epoch,
//! from whatever the caller's clock gives, without casts.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time, in whole seconds since the Unix epoch (negative before
/// it). Converts from `i64`, `i32`, `u64` and `u32` seconds (what
/// `Duration::as_secs` gives, saturating at `i64::MAX`), a `Duration` since
/// the epoch and a `SystemTime`.
///
/// ```
/// use std::time::{SystemTime, UNIX_EPOCH};
/// use jwt_accord::{Key, SignOptions, Signer, UnixTime};
///
/// let signer = Signer::new(Key::from_text("a-long-random-secret-of-at-least-32-bytes")?, SignOptions::default());
/// let claims = serde_json::json!({"sub": "user-1"});
/// let a = signer.sign(&claims, SystemTime::now())?;
/// let b = signer.sign(&claims, SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs())?;
/// let c = signer.sign(&claims, 1_700_000_000)?;
/// assert_eq!(UnixTime::from(UNIX_EPOCH).seconds(), 0);
/// # let _ = (a, b, c);
/// # Ok::<(), jwt_accord::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

impl UnixTime {
    /// The seconds since the epoch.
    pub const fn seconds(self) -> i64 {
        self.0
    }
}

impl From<i64> for UnixTime {
    fn from(seconds: i64) -> Self {
        UnixTime(seconds)
    }
}

impl From<i32> for UnixTime {
    fn from(seconds: i32) -> Self {
        UnixTime(i64::from(seconds))
    }
}

impl From<u32> for UnixTime {
    fn from(seconds: u32) -> Self {
        UnixTime(i64::from(seconds))
    }
}

impl From<u64> for UnixTime {
    fn from(seconds: u64) -> Self {
        UnixTime(i64::try_from(seconds).unwrap_or(i64::MAX))
    }
}

impl From<Duration> for UnixTime {
    /// A duration since the epoch (`SystemTime::duration_since(UNIX_EPOCH)`).
    fn from(since_epoch: Duration) -> Self {
        UnixTime::from(since_epoch.as_secs())
    }
}

impl From<SystemTime> for UnixTime {
    /// Whole seconds, floored (a time before the epoch counts back from it).
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(since) => UnixTime::from(since),
            Err(before) => {
                let back = before.duration();
                let whole = i64::try_from(back.as_secs()).unwrap_or(i64::MAX);
                UnixTime(-whole - i64::from(back.subsec_nanos() > 0))
            }
        }
    }
}
