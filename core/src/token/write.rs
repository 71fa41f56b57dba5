//! Writing claims as JSON text, byte for byte what serde_json writes
//! (compact, keys in map order), with strings that need no escaping copied
//! whole. serde_json's writer escapes byte by byte, the most of signing's
//! cost after the HMAC (benches/README.md, "Core speed, issue 21"); strings
//! that do need escaping, and numbers, are still written by serde_json.
//! `tests` below compares the two on generated values.

use serde::Serialize;
use serde_json::Value;

use super::plain::plain_run;

/// Appends `value` as compact JSON.
pub(crate) fn write_value(out: &mut Vec<u8>, value: &Value) {
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
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => write_entries(out, map.iter().map(|(k, v)| (k.as_str(), v))),
    }
}

/// Appends an object of `entries`, in the order given.
pub(crate) fn write_entries<'a>(
    out: &mut Vec<u8>,
    entries: impl Iterator<Item = (&'a str, &'a Value)>,
) {
    out.push(b'{');
    for (index, (key, value)) in entries.enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_str(out, key);
        out.push(b':');
        write_value(out, value);
    }
    out.push(b'}');
}

/// Appends `text` as a JSON string.
fn write_str(out: &mut Vec<u8>, text: &str) {
    if plain_run(text.as_bytes()) == text.len() {
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

/// An object's text, for the tests.
#[cfg(test)]
fn object_text(map: &serde_json::Map<String, Value>) -> Vec<u8> {
    let mut out = Vec::new();
    write_entries(&mut out, map.iter().map(|(k, v)| (k.as_str(), v)));
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

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

        /// Byte for byte what serde_json writes.
        #[test]
        fn writes_what_serde_json_writes(value in value()) {
            let mut out = Vec::new();
            write_value(&mut out, &value);
            prop_assert_eq!(&out, &serde_json::to_vec(&value).unwrap());
            if let Value::Object(map) = &value {
                prop_assert_eq!(object_text(map), out);
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
            }
        }
    }
}
