//! First-appearance numbering for the consistency check: one map type for
//! every key it groups by (an environment, a fingerprint, a key set, a kind
//! of failure), behind one non-generic function, so the WASM module holds
//! one copy of the map's code instead of one per key type
//! (benches/README.md, "How the module grew").

use std::collections::BTreeMap;

/// Up to three strings; absent parts are `None`.
pub(super) type Key<'a> = [Option<&'a str>; 3];

/// A key of one string.
pub(super) const fn one(value: &str) -> Key<'_> {
    [Some(value), None, None]
}

/// Numbers distinct keys 0, 1, 2, ... in order of first appearance.
pub(super) struct Index<'a>(BTreeMap<Key<'a>, usize>);

impl<'a> Index<'a> {
    /// An empty index.
    pub(super) fn new() -> Self {
        Index(BTreeMap::new())
    }

    /// The key's number, and whether the key is new (its number is then the
    /// number of keys seen before it).
    #[inline(never)]
    pub(super) fn slot(&mut self, key: Key<'a>) -> (usize, bool) {
        let next = self.0.len();
        let n = *self.0.entry(key).or_insert(next);
        (n, n == next)
    }

    /// Whether the key was seen.
    #[inline(never)]
    pub(super) fn contains<'b>(&'b self, key: Key<'b>) -> bool {
        let map: &BTreeMap<Key<'b>, usize> = &self.0;
        map.contains_key(&key)
    }
}
