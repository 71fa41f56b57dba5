//! Name/value sources passed in by the caller: a snapshot of variables and
//! already-fetched secret-store entries. The core never reads either itself.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

/// A read-only map of names to values.
pub trait Lookup {
    /// The value for `name`, if set. Names are case-sensitive.
    fn lookup(&self, name: &str) -> Option<&str>;
}

impl<S: BuildHasher> Lookup for HashMap<String, String, S> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

impl Lookup for BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// A list of pairs, as read from an env file: the last occurrence of a name
/// wins, as in a shell.
impl<K: AsRef<str>, V: AsRef<str>> Lookup for [(K, V)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(key, _)| key.as_ref() == name)
            .map(|(_, value)| value.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Lookup for Vec<(K, V)> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

/// No entries: `resolve(&vars, &(), None)` when there is no secret store.
impl Lookup for () {
    fn lookup(&self, _name: &str) -> Option<&str> {
        None
    }
}

impl<L: Lookup + ?Sized> Lookup for &L {
    fn lookup(&self, name: &str) -> Option<&str> {
        (**self).lookup(name)
    }
}
