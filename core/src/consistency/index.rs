//! First-appearance numbering for the consistency check: one map for every
//! key it groups by (an environment, a fingerprint, a key set, a kind of
//! failure), behind one non-generic function. The map is serde_json's `Map`
//! with each key flattened into one string: the module already holds that
//! map's code for JSON objects, and every other key type would add its own
//! copy to the WASM module (4.3 KB raw, 1.5 KB gzipped for a `BTreeMap` over
//! `[Option<&str>; 3]`; benches/README.md, "How the module grew again").
//! O(log n) a lookup, as fast as that `BTreeMap` in the scaling bench.

use std::fmt::Write;

use serde_json::{Map, Value};

/// Up to three strings; absent parts are `None`.
pub(super) type Key<'a> = [Option<&'a str>; 3];

/// A key of one string.
pub(super) const fn one(value: &str) -> Key<'_> {
    [Some(value), None, None]
}

/// Numbers distinct keys 0, 1, 2, ... in order of first appearance.
pub(super) struct Index(Map<String, Value>);

/// The key as one string, injectively: each part as `<len>:<text>` or `-`.
fn flat(key: Key<'_>) -> String {
    let mut out = String::with_capacity(key.iter().flatten().map(|t| t.len() + 8).sum());
    for part in key {
        match part {
            Some(text) => {
                let _ = write!(out, "{}:", text.len());
                out.push_str(text);
            }
            None => out.push('-'),
        }
    }
    out
}

impl Index {
    /// An empty index.
    pub(super) fn new() -> Self {
        Index(Map::new())
    }

    /// The key's number, and whether the key is new (its number is then the
    /// number of keys seen before it).
    #[inline(never)]
    pub(super) fn slot(&mut self, key: Key<'_>) -> (usize, bool) {
        let key = flat(key);
        if let Some(n) = self.0.get(&key).and_then(Value::as_u64) {
            return (n as usize, false);
        }
        let next = self.0.len();
        self.0.insert(key, Value::from(next as u64));
        (next, true)
    }

    /// Whether the key was seen.
    #[inline(never)]
    pub(super) fn contains(&self, key: Key<'_>) -> bool {
        self.0.contains_key(&flat(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_would_collide_if_joined_are_distinct() {
        let keys: [Key<'_>; 7] = [
            [Some("a:b"), None, None],
            [Some("a"), Some("b"), None],
            [Some("a"), None, Some("b")],
            [Some("1:a"), None, None],
            [Some(""), None, None],
            [None, None, None],
            [Some("-"), None, None],
        ];
        let mut index = Index::new();
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(index.slot(*key), (i, true), "{key:?}");
        }
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(index.slot(*key), (i, false));
            assert!(index.contains(*key));
        }
        assert!(!index.contains(one("b")));
    }
}
