//! Strict JSON: UTF-8, no duplicate keys at any depth, bounded nesting.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use crate::environment::truncate;

/// The deepest nesting of arrays and objects accepted anywhere, counting the
/// claims object itself (serde_json's recursion limit admits 127 levels);
/// bindings use the same bound when converting claims.
pub const MAX_JSON_DEPTH: usize = 127;

/// Parses `bytes` as one JSON object, refusing invalid UTF-8, duplicate keys at
/// any depth, nesting deeper than [`MAX_JSON_DEPTH`] and trailing data.
/// The error is a reason for a message.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, String> {
    match parse_value(bytes)? {
        Value::Object(map) => Ok(map),
        other => Err(format!("it is {}, not an object", type_name(&other))),
    }
}

/// Parses `bytes` as one JSON value of any type, with the rules of [`parse_object`].
pub fn parse_value(bytes: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not valid UTF-8".to_owned())?;
    serde_json::from_str::<Strict>(text)
        .map(|Strict(v)| v)
        .map_err(|err| describe(&err))
}

fn describe(err: &serde_json::Error) -> String {
    let text = err.to_string();
    if text.starts_with("recursion limit exceeded") {
        format!("it nests deeper than {MAX_JSON_DEPTH} levels")
    } else if let Some(key) = text.strip_prefix("duplicate key ") {
        // serde_json appends the position; `strip_suffix` rather than a
        // substring search, which would link a string searcher into the WASM module.
        let position = format!(" at line {} column {}", err.line(), err.column());
        let key = key.strip_suffix(position.as_str()).unwrap_or(key);
        format!("it has the duplicate key {key}")
    } else {
        format!("it is not valid JSON ({text})")
    }
}

/// How many characters of an untrusted value a message or an error's details
/// show: 200 (a claim value), [`SHORT_SHOWN`] where the value is an identifier
/// (`alg`, a duplicate key).
pub const SHOWN: usize = 200;
/// The shorter bound, for identifiers.
pub const SHORT_SHOWN: usize = 32;

/// An untrusted `value` for an error's details, bounded as messages show it
/// (`docs/decisions.md`): a string longer than `max_chars` characters is cut
/// there and ends in `...`; an array or object whose JSON text is longer is
/// given as that text, cut the same way (a string); numbers, booleans, null
/// and short values are unchanged.
pub fn bounded(value: &Value, max_chars: usize) -> Value {
    match value {
        Value::String(s) => Value::String(truncate(s, max_chars)),
        Value::Array(_) | Value::Object(_) => {
            let text = to_text(value);
            if text.chars().nth(max_chars).is_some() {
                Value::String(truncate(&text, max_chars))
            } else {
                value.clone()
            }
        }
        other => other.clone(),
    }
}

/// `value` as compact JSON text; a string comes back quoted and escaped as
/// JSON escapes it, which is how messages quote user input.
///
/// Values and strings always serialise (their keys are strings). The
/// impossible failure is `unreachable!` with a fixed message rather than an
/// `expect`, which would link serde_json's error `Debug` into the WASM module.
pub fn to_text<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| unreachable!("JSON values serialise"))
}

/// The JSON type name of a value, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Whether `value` nests arrays and objects deeper than `limit` levels.
/// Recurses at most `limit + 1` frames.
pub fn nests_deeper_than(value: &Value, limit: usize) -> bool {
    match value {
        Value::Array(items) => limit == 0 || items.iter().any(|v| nests_deeper_than(v, limit - 1)),
        Value::Object(map) => limit == 0 || map.values().any(|v| nests_deeper_than(v, limit - 1)),
        _ => false,
    }
}

/// A JSON value parsed with duplicate keys refused at every depth.
pub(crate) struct Strict(pub(crate) Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number is not finite"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let Strict(value) = access.next_value()?;
            // One lookup: `entry`, where `contains_key` then `insert` took two.
            match map.entry(key) {
                Entry::Vacant(entry) => drop(entry.insert(value)),
                Entry::Occupied(entry) => {
                    return Err(de::Error::custom(format_args!(
                        "duplicate key {}",
                        to_text(&truncate(entry.key(), SHORT_SHOWN))
                    )))
                }
            }
        }
        Ok(Value::Object(map))
    }
}
