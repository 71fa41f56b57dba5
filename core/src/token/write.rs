//! Writing claims as JSON text, byte for byte what serde_json writes
//! (compact, keys in map order), with strings that need no escaping copied
//! whole. serde_json's writer escapes byte by byte, the most of signing's
//! cost after the HMAC (benches/README.md, "Core speed, issue 21"); strings
//! that do need escaping, and numbers, are still written by serde_json.
//! `tests` below compares the two on generated values.

use serde::Serialize;
use serde_json::Value;

use super::plain::is_plain;

/// Appends `value` as compact JSON; `false` (with the text cut short) when
/// it nests arrays and objects deeper than `limit` levels, as
/// [`nests_deeper_than`](super::json::nests_deeper_than) counts them.
pub(crate) fn write_value(out: &mut Vec<u8>, value: &Value, limit: usize) -> bool {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        // Integers (every time claim) formatted here, as serde_json formats
        // them (itoa); floats by serde_json.
        Value::Number(number) => match (number.as_u64(), number.as_i64()) {
            (Some(n), _) => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
            (None, Some(n)) => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
            _ => serde_write(out, number),
        },
        Value::String(text) => write_str(out, text),
        Value::Array(items) => {
            let Some(inner) = limit.checked_sub(1) else {
                return false;
            };
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                if !write_value(out, item, inner) {
                    return false;
                }
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let Some(inner) = limit.checked_sub(1) else {
                return false;
            };
            out.push(b'{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                if !write_member(out, key, item, inner) {
                    return false;
                }
            }
            out.push(b'}');
        }
    }
    true
}

/// Appends `"key":value`, as [`write_value`] (`false` when too deep).
pub(crate) fn write_member(out: &mut Vec<u8>, key: &str, value: &Value, limit: usize) -> bool {
    write_str(out, key);
    out.push(b':');
    write_value(out, value, limit)
}

/// Appends `text` as a JSON string.
fn write_str(out: &mut Vec<u8>, text: &str) {
    if is_plain(text.as_bytes()) {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        serde_write(out, text);
    }
}

/// Appends what serde_json writes for `value`.
fn serde_write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing a string or number into a Vec cannot fail; `unreachable!`,
    // not `expect`: see `to_text`.
    serde_json::to_writer(out, value).unwrap_or_else(|_| unreachable!("JSON values serialise"));
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::json::nests_deeper_than;
    use super::super::plain::plain_run;
    use super::*;

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            // Every kind of character: controls, quotes, backslashes,
            // DEL, non-ASCII, astral.
            any::<String>().prop_map(Value::from),
            "[ -~\\x00-\\x1f\\x7fé😀]{0,40}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::btree_map("[a-z\"\\\\\\x00-\\x1f é]{0,8}", inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Byte for byte what serde_json writes, and too deep exactly when
        /// `nests_deeper_than` says so.
        #[test]
        fn writes_what_serde_json_writes(value in value(), limit in 0usize..6) {
            let mut out = Vec::new();
            prop_assert!(write_value(&mut out, &value, usize::MAX));
            prop_assert_eq!(&out, &serde_json::to_vec(&value).unwrap());
            let mut cut = Vec::new();
            let within = write_value(&mut cut, &value, limit);
            prop_assert_eq!(within, !nests_deeper_than(&value, limit));
            if within {
                prop_assert_eq!(cut, out);
            }
        }
    }

    #[test]
    fn plain_runs_end_where_json_escapes() {
        for byte in 0..=255u8 {
            let escaped = byte < 0x20 || byte == b'"' || byte == b'\\';
            for at in 0..20 {
                let mut bytes = vec![b'a'; 20];
                bytes[at] = byte;
                let want = if escaped { at } else { 20 };
                assert_eq!(plain_run(&bytes), want, "byte {byte:#x} at {at}");
                // Every length, with the byte at every place in it or not in it.
                for len in 0..=20 {
                    let plain = is_plain(&bytes[..len]);
                    assert_eq!(
                        plain,
                        len <= at || !escaped,
                        "byte {byte:#x} at {at} of {len}"
                    );
                }
            }
        }
    }
}
