//! Generated JSON values for the property tests of the writer and the
//! readers (test builds only).

use proptest::prelude::*;
use serde_json::Value;

/// Arrays and objects (keys matching `keys`) nested up to four levels over
/// `leaf` values.
pub(crate) fn nested(
    leaf: impl Strategy<Value = Value> + 'static,
    keys: &'static str,
) -> impl Strategy<Value = Value> {
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Any JSON value: every kind of number, and strings and keys with every
/// kind of character (controls, quotes, backslashes, DEL, non-ASCII, astral).
pub(crate) fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        "[ -~\\x00-\\x1f\\x7fé😀]{0,40}".prop_map(Value::from),
    ];
    nested(leaf, "[a-z\"\\\\\\x00-\\x1f é]{0,8}")
}
