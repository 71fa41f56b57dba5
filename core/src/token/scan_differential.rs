//! The scanner against the building parser on generated JSON (issue 21): both
//! accept or both refuse every text, and on acceptance the scanner's
//! registered claims and required presence are what the built object holds.

use proptest::prelude::*;

use serde_json::Value;

use super::{scan, time_value, RawValue};
use crate::token::claims::REGISTERED;
use crate::token::json::parse_object;

/// Keys that collide: registered names, a required one, escaped spellings of
/// them (`\u0065xp` is `exp`), and ordinary ones.
const KEYS: &[&str] = &[
    "exp",
    "nbf",
    "iat",
    "iss",
    "sub",
    "jti",
    "token_type",
    "aud",
    "role",
    "x",
    "",
    "é",
    "k1",
    "k2",
    "k3",
    "k4",
    "k5",
    "k6",
    "k7",
    "k8",
    "\\u0065xp",
    "a\\\"b",
    "\\ud83d\\ude00",
    "\\ud800",
    "\\udc00x",
];

/// String contents that JSON accepts: escapes, paired surrogates.
const PIECES: &[&str] = &[
    "a",
    "hello world",
    "é",
    "😀",
    "\\n",
    "\\\"",
    "\\\\",
    "\\/",
    "\\u00e9",
    "\\u0000",
    "\\ud83d\\ude00",
    "\\udbff\\udfff",
    "\\uD800\\uDC00",
    "\u{7f}",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];

/// And pieces it refuses: lone or reversed surrogates, bad escapes, control bytes.
const BAD_PIECES: &[&str] = &[
    "\\ud83d",
    "\\ude00",
    "\\udfff",
    "\\udc00\\ud800",
    "\\ud83d\\u0041",
    "\\ud83dx",
    "\\ud83d\\n",
    "\\x",
    "\\u12",
    "\\u12g4",
    "\u{1}",
    "\t",
    "\n",
];

/// Numbers, valid and not: signs, leading zeros, fractions, exponents that
/// overflow, integers beyond u64.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "1700000000",
    "9007199254740993",
    "-12",
    "01",
    "-",
    "1.",
    "1.5",
    ".5",
    "1e3",
    "1E+3",
    "1e-3",
    "1e",
    "1e+",
    "1e400",
    "-1e400",
    "1e-400",
    "1.7976931348623157e308",
    "1.7976931348623159e308",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "0e99999999999999999999",
    "1e99999999999999999999",
    "2.5e-99999999999999999999",
    "00",
    "-01",
    "+1",
    "9007199254740992",
    "10000000000000000",
    "999999999999999",
    "1700000000.5",
];

fn string() -> impl Strategy<Value = String> {
    let piece =
        prop_oneof![12 => prop::sample::select(PIECES), 1 => prop::sample::select(BAD_PIECES)];
    prop::collection::vec(piece, 0..4).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        string(),
        prop::sample::select(NUMBERS).prop_map(str::to_owned),
        prop::sample::select(&["true", "false", "null", "tru", "nul", "True"][..])
            .prop_map(str::to_owned),
    ]
}

fn value() -> impl Strategy<Value = String> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| format!("[{}]", items.join(","))),
            object(inner),
        ]
    })
}

fn object(values: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(KEYS), values), 0..6).prop_map(|entries| {
        let body: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("\"{k}\" : {v}"))
            .collect();
        format!("{{ {} }}", body.join(","))
    })
}

/// Nesting around the limit of 127 levels, inside the claims object.
fn deep() -> impl Strategy<Value = String> {
    (120usize..132, any::<bool>()).prop_map(|(levels, arrays)| {
        let (open, close) = if arrays { ("[", "]") } else { ("{\"k\":", "}") };
        format!("{{\"d\":{}1{}}}", open.repeat(levels), close.repeat(levels))
    })
}

/// Objects past 16 keys (whose duplicates are found in a map), at the top and
/// nested; keys drawn from 60 so that some repeat.
fn wide() -> impl Strategy<Value = String> {
    (prop::collection::vec(0u8..60, 10..30), any::<bool>()).prop_map(|(keys, nested)| {
        let body: Vec<String> = keys.iter().map(|k| format!("\"w{k}\":{k}")).collect();
        let object = format!("{{{}}}", body.join(","));
        if nested {
            format!("{{\"exp\":1,\"inner\":[{object}]}}")
        } else {
            object
        }
    })
}

/// A text, possibly damaged at one place.
fn text() -> impl Strategy<Value = Vec<u8>> {
    let base = prop_oneof![6 => object(value()), 1 => deep(), 1 => wide(), 1 => value()];
    (base, any::<Option<(prop::sample::Index, u8, u8)>>()).prop_map(|(text, damage)| {
        let mut bytes = text.into_bytes();
        if let Some((at, how, byte)) = damage {
            let at = at.index(bytes.len() + 1);
            let byte = b"{}[]\",:\\ 0e-.\x01\xc3\xff"[usize::from(byte) % 16];
            match how % 3 {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => drop(bytes.remove(at)),
                _ if at < bytes.len() => bytes[at] = byte,
                _ => bytes.push(byte),
            }
        }
        bytes
    })
}

/// Agreement on one text (the property, and the table below).
fn agree(bytes: &[u8]) -> Result<(), TestCaseError> {
    let required: Vec<String> = ["exp", "role", "x", ""].map(String::from).to_vec();
    match (scan(bytes, &required), parse_object(bytes)) {
        (Ok(scanned), Ok(map)) => {
            for claim in REGISTERED {
                let raw = scanned.get(claim);
                prop_assert_eq!(raw.map(RawValue::value), map.get(claim).cloned());
                // What the checks read, without building the value.
                prop_assert_eq!(
                    raw.map(RawValue::time_value),
                    map.get(claim).map(time_value)
                );
                prop_assert_eq!(
                    raw.map(RawValue::is_string),
                    map.get(claim).map(Value::is_string)
                );
                prop_assert_eq!(
                    raw.and_then(RawValue::as_str).map(String::from),
                    map.get(claim).and_then(Value::as_str).map(String::from)
                );
            }
            for (index, name) in required.iter().enumerate() {
                prop_assert_eq!(scanned.has_required(index), map.contains_key(name));
            }
        }
        (Err(reason), Err(parsed)) => prop_assert_eq!(reason, parsed),
        (scanned, parsed) => prop_assert!(
            false,
            "scanner {:?}, parser {:?} on {:?}",
            scanned.map(|_| "ok"),
            parsed.map(|_| "ok"),
            String::from_utf8_lossy(bytes)
        ),
    }
    Ok(())
}

/// Every listed piece, number and key alone in an otherwise valid object, as
/// a value, a key and an `exp`: each edge is met at least once.
#[test]
fn scanner_agrees_on_each_edge() {
    let strings = PIECES.iter().chain(BAD_PIECES).chain(KEYS);
    for piece in strings {
        for text in [
            format!("{{\"v\":\"{piece}\",\"exp\":1}}"),
            format!("{{\"{piece}\":1,\"exp\":1}}"),
            format!("{{\"iss\":\"{piece}\"}}"),
        ] {
            agree(text.as_bytes()).unwrap();
        }
    }
    for number in NUMBERS {
        for text in [
            format!("{{\"v\":{number}}}"),
            format!("{{\"exp\":[{number}]}}"),
            format!("{{\"exp\":{number}}}"),
        ] {
            agree(text.as_bytes()).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn scanner_agrees_with_parser(bytes in text()) {
        agree(&bytes)?;
    }
}
