//! Registered-claim types (docs/spec.md §8.2, step 9), shared by signing and
//! verifying so that nothing is signed that a verifier would refuse.

use serde_json::Value;

use super::json::type_name;
use crate::error::{Error, ErrorCode};

/// The registered claims whose types and values the checks read, in contract order
/// (docs/spec.md §8.2, step 9).
pub const REGISTERED: [&str; 8] = [
    "exp",
    "nbf",
    "iat",
    "iss",
    "sub",
    "jti",
    "token_type",
    "aud",
];
/// The largest time value accepted: 2^53, the largest integer every JSON
/// implementation represents exactly.
pub const MAX_TIME: f64 = 9_007_199_254_740_992.0;

/// A time claim's value, if it is a number within `0..=2^53` as written: an
/// integer up to 2^53, or a float below 2^53 and not negative.
pub(crate) fn time_value(value: &Value) -> Option<f64> {
    let Value::Number(n) = value else { return None };
    if let Some(int) = n.as_u64() {
        // Integers are compared exactly: 2^53 + 1 would round down to 2^53 as f64.
        return (int <= 1 << 53).then_some(int as f64);
    }
    if n.is_i64() {
        return None; // negative
    }
    // A float is checked as written, not as rounded (docs/decisions.md): one
    // below 2^53 as an f64 was below 2^53 as written, but one that rounds to
    // 2^53 may have been above it (`9007199254740993.0`), so the float form
    // must be below 2^53; one that rounds to -0.0 (`-1e-400`) was negative.
    n.as_f64()
        .filter(|v| v.is_finite() && v.is_sign_positive() && *v < MAX_TIME)
}

/// Checks one claim's type, if it is a registered claim.
#[cold]
#[inline(never)]
pub(crate) fn check_type(claim: &str, value: &Value, code: ErrorCode) -> Result<(), Error> {
    registered_rank(claim).map_or(Ok(()), |index| check_registered_type(index, value, code))
}

/// Checks the type of [`REGISTERED`]`[index]`'s value.
#[inline]
pub(crate) fn check_registered_type(
    index: usize,
    value: &Value,
    code: ErrorCode,
) -> Result<(), Error> {
    let ok = match index {
        // exp, nbf, iat
        0..=2 => time_value(value).is_some(),
        // iss, sub, jti, token_type
        3..=6 => value.is_string(),
        // aud
        _ => match value {
            Value::String(_) => true,
            Value::Array(items) => items.iter().all(Value::is_string),
            _ => false,
        },
    };
    if ok {
        Ok(())
    } else {
        Err(type_error(index, value, code))
    }
}

/// What a registered claim of the wrong type is reported as.
#[cold]
fn type_error(index: usize, value: &Value, code: ErrorCode) -> Error {
    let expected = match index {
        0..=2 => "a number of seconds since the epoch between 0 and 2^53",
        3..=6 => "a string",
        _ => "a string or a list of strings",
    };
    let claim = REGISTERED[index];
    Error::new(
        code,
        format!(
            "claim {claim} must be {expected}, found {}",
            describe(value)
        ),
    )
    .with("claim", claim)
    .with("expected", expected)
    .with("found", type_name(value))
}

/// The contract-order position of a registered claim (for reporting the first).
pub(crate) fn registered_rank(claim: &str) -> Option<usize> {
    registered_index(tag(claim), claim)
}

/// A key's first seven bytes and its length, in one word: keys of up to
/// seven bytes are equal exactly when their tags are, longer ones only if.
pub(crate) fn tag(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let len = bytes.len();
    // Built in registers, without a loop: overlapping reads cover 1 to 3
    // and 4 to 7 bytes (a copy into a zeroed array called memcpy).
    let u32_at = |at: usize| {
        bytes.get(at..at + 4).map_or(0, |four| {
            u64::from(u32::from_le_bytes(four.try_into().unwrap_or_default()))
        })
    };
    let head = match len {
        0 => 0,
        1..=3 => {
            u64::from(bytes[0])
                | u64::from(bytes[len / 2]) << (8 * (len / 2))
                | u64::from(bytes[len - 1]) << (8 * (len - 1))
        }
        4..=7 => u32_at(0) | u32_at(len - 4) << (8 * (len - 4)),
        _ => u32_at(0) | u32_at(4) << 32,
    };
    head & 0x00ff_ffff_ffff_ffff | (len as u64 & 0xff) << 56
}

/// The tags of [`REGISTERED`], in order.
const REGISTERED_TAGS: [u64; 8] = {
    let mut tags = [0; 8];
    let mut i = 0;
    while i < 8 {
        let name = REGISTERED[i].as_bytes();
        let mut word = [0; 8];
        let mut j = 0;
        while j < name.len() && j < 7 {
            word[j] = name[j];
            j += 1;
        }
        word[7] = name.len() as u8;
        tags[i] = u64::from_le_bytes(word);
        i += 1;
    }
    tags
};

/// A multiplier that sends the eight registered tags to eight distinct
/// slots (its top three bits): found by search, checked at compile time.
const SLOT_HASH: u64 = 0xdcc1_afb6_6246_f0bf;

const fn slot(tag: u64) -> usize {
    (tag.wrapping_mul(SLOT_HASH) >> 61) as usize
}

/// The [`REGISTERED`] index of the tag in each slot.
const BY_SLOT: [usize; 8] = {
    let mut table = [usize::MAX; 8];
    let mut i = 0;
    while i < 8 {
        let at = slot(REGISTERED_TAGS[i]);
        assert!(
            table[at] == usize::MAX,
            "SLOT_HASH must be perfect on REGISTERED"
        );
        table[at] = i;
        i += 1;
    }
    table
};

/// The position of `claim` (whose tag is `tag`) in [`REGISTERED`]: one
/// multiplication and one compare (no branch per name), and the full name
/// only for `token_type`.
pub(crate) fn registered_index(tag: u64, claim: &str) -> Option<usize> {
    let index = BY_SLOT[slot(tag)];
    (REGISTERED_TAGS[index] == tag && (claim.len() <= 7 || REGISTERED[index] == claim))
        .then_some(index)
}

fn describe(value: &Value) -> String {
    match value {
        Value::Number(n) if n.as_f64() == Some(MAX_TIME) && n.is_f64() => {
            format!(
                "the number {n}, which may be above 2^53 before rounding: write times as integers"
            )
        }
        Value::Number(n) => format!("the number {n}"),
        Value::Array(_) => "an array that is not all strings".into(),
        other => type_name(other).into(),
    }
}

/// A number for details: an integer when integral, so every host shows `5`, not `5.0`.
pub(crate) fn number(value: f64) -> serde_json::Value {
    if value.fract() == 0.0 && value.abs() < MAX_TIME {
        serde_json::Value::from(value as i64)
    } else {
        serde_json::Value::from(value)
    }
}

/// Formats seconds as a whole number when integral, otherwise as JSON writes
/// the number (shortest round-trip digits: `1.5`, `1e-7`), so that a message
/// shows a time as it appears in the token. (Not `f64`'s `Display`: that one
/// would add ~20 KB of float formatting to the WASM module.)
pub(crate) fn secs(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < MAX_TIME * 2.0 {
        (value as i64).to_string()
    } else {
        serde_json::Number::from_f64(value)
            .map_or_else(|| "a non-finite number".into(), |n| n.to_string())
    }
}

/// A duration in human terms: `45 seconds`, `3 minutes 20 seconds`, `2 hours 5 minutes`.
pub fn human_duration(seconds: f64) -> String {
    if seconds < 60.0 {
        let s = secs(seconds);
        return format!("{s} second{}", if s == "1" { "" } else { "s" });
    }
    let total = seconds as u64;
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    let (days, hours, minutes, rest) = (
        total / 86_400,
        total / 3_600 % 24,
        total / 60 % 60,
        total % 60,
    );
    match (days, hours) {
        (0, 0) if rest == 0 => plural(minutes, "minute"),
        (0, 0) => format!("{} {}", plural(minutes, "minute"), plural(rest, "second")),
        (0, _) if minutes == 0 => plural(hours, "hour"),
        (0, _) => format!("{} {}", plural(hours, "hour"), plural(minutes, "minute")),
        _ if hours == 0 => plural(days, "day"),
        _ => format!("{} {}", plural(days, "day"), plural(hours, "hour")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tag is the first seven bytes, little-endian, and the length.
    #[test]
    fn tags_hold_the_first_seven_bytes_and_the_length() {
        let text = "abcdefghijk\u{e9}\u{1F600}";
        for end in (0..=text.len()).filter(|&end| text.is_char_boundary(end)) {
            let key = &text[..end];
            let mut word = [0; 8];
            for (slot, byte) in word.iter_mut().zip(key.bytes().take(7)) {
                *slot = byte;
            }
            word[7] = key.len() as u8;
            assert_eq!(tag(key), u64::from_le_bytes(word), "{key:?}");
        }
        for (index, name) in REGISTERED.iter().enumerate() {
            assert_eq!(registered_index(tag(name), name), Some(index));
        }
        assert_eq!(registered_index(tag("token_typ"), "token_typ"), None);
        assert_eq!(registered_index(tag("token_tyqe"), "token_tyqe"), None);
    }
}
