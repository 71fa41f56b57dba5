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
pub(crate) fn check_type(claim: &str, value: &Value, code: ErrorCode) -> Result<(), Error> {
    let expected = match claim {
        "exp" | "nbf" | "iat" if time_value(value).is_none() => {
            "a number of seconds since the epoch between 0 and 2^53"
        }
        "iss" | "sub" | "jti" | "token_type" if !value.is_string() => "a string",
        "aud" => match value {
            Value::String(_) => return Ok(()),
            Value::Array(items) if items.iter().all(Value::is_string) => return Ok(()),
            _ => "a string or a list of strings",
        },
        _ => return Ok(()),
    };
    Err(Error::new(
        code,
        format!(
            "claim {claim} must be {expected}, found {}",
            describe(value)
        ),
    )
    .with("claim", claim)
    .with("expected", expected)
    .with("found", type_name(value)))
}

/// The contract-order position of a registered claim (for reporting the first).
pub(crate) fn registered_rank(claim: &str) -> Option<usize> {
    REGISTERED.iter().position(|c| *c == claim)
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
