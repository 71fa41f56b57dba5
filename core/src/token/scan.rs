//! Validating claims without building them: one borrowing pass over the JSON
//! that checks UTF-8, duplicate keys at every depth and nesting, and keeps only
//! the registered claims and which required claims are present. The claims
//! object itself is built later, only if the caller asks for it.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::claims::REGISTERED;
use super::json::{parse_object, Strict};

/// What the checks need from a claims object.
pub(crate) struct Scanned {
    registered: [Option<Value>; 8],
    present: Vec<bool>,
}

impl Scanned {
    /// A registered claim's value.
    pub(crate) fn get(&self, claim: &str) -> Option<&Value> {
        let index = REGISTERED.iter().position(|r| *r == claim)?;
        self.registered[index].as_ref()
    }

    /// Whether `required[index]` is present.
    pub(crate) fn has_required(&self, index: usize) -> bool {
        self.present[index]
    }
}

/// Scans `bytes` as a claims object. On failure the reason is exactly the one
/// [`parse_object`] gives, so verify and `decode_unverified` agree.
pub(crate) fn scan(bytes: &[u8], required: &[String]) -> Result<Scanned, String> {
    let outcome = std::str::from_utf8(bytes).ok().and_then(|text| {
        let mut de = serde_json::Deserializer::from_str(text);
        let scanned = Top { required }.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(scanned)
    });
    match outcome {
        Some(scanned) => Ok(scanned),
        // Rare path: let the building parser name the problem.
        None => Err(parse_object(bytes)
            .err()
            .unwrap_or_else(|| "it is not valid JSON".into())),
    }
}

struct Top<'r> {
    required: &'r [String],
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = Scanned;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scanned, D::Error> {
        // `deserialize_any`, not `deserialize_map`: a non-object then reaches
        // the visitor's defaults (an error the scan discards) rather than
        // serde_json's type-mismatch message, whose float formatting would
        // otherwise be linked into the WASM module.
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Scanned;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    // Every non-object fails here with a plain error (the scan discards it
    // and asks `parse_object` for the reason). Serde's defaults would build a
    // type-mismatch message and link float formatting into the WASM module.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scanned, E> {
        Err(not_an_object())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Scanned, E> {
        Err(not_an_object())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Scanned, E> {
        Err(not_an_object())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scanned, E> {
        Err(not_an_object())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Scanned, E> {
        Err(not_an_object())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scanned, E> {
        Err(not_an_object())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Scanned, A::Error> {
        Err(not_an_object())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scanned, A::Error> {
        let mut keys = KeySet::default();
        let mut out = Scanned {
            registered: Default::default(),
            present: vec![false; self.required.len()],
        };
        while let Some(Key(key)) = map.next_key()? {
            for (index, name) in self.required.iter().enumerate() {
                out.present[index] |= *name == key;
            }
            match REGISTERED.iter().position(|r| *r == key) {
                Some(index) => out.registered[index] = Some(map.next_value::<Strict>()?.0),
                None => {
                    map.next_value::<Skip>()?;
                }
            }
            keys.insert(key)?;
        }
        Ok(out)
    }
}

fn not_an_object<E: de::Error>() -> E {
    E::custom("not an object")
}

/// A key, borrowed from the input unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The keys of one object: a short list, or an ordered map once it grows, so
/// no object's check is quadratic in its size. (serde_json's `Map`, already in
/// every build for claims, rather than a `HashSet`: hashing would add its own
/// code and random-key setup to the WASM module.)
#[derive(Default)]
struct KeySet<'de> {
    small: Vec<Cow<'de, str>>,
    large: Option<Map<String, Value>>,
}

impl<'de> KeySet<'de> {
    fn insert<E: de::Error>(&mut self, key: Cow<'de, str>) -> Result<(), E> {
        let duplicate = match &mut self.large {
            Some(set) => set.insert(key.into_owned(), Value::Null).is_some(),
            None if self.small.len() < 16 => {
                let dup = self.small.contains(&key);
                self.small.push(key);
                dup
            }
            None => {
                // Inserted one by one: `collect` would sort and bulk-build,
                // more code for a rare path.
                let mut set = Map::new();
                for known in self.small.drain(..) {
                    set.insert(known.into_owned(), Value::Null);
                }
                let dup = set.insert(key.into_owned(), Value::Null).is_some();
                self.large = Some(set);
                dup
            }
        };
        if duplicate {
            Err(E::custom("duplicate key"))
        } else {
            Ok(())
        }
    }
}

/// Any JSON value, discarded (serde's `IgnoredAny`, plus duplicate-key
/// detection at every depth).
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        let mut keys = KeySet::default();
        while let Some(Key(key)) = map.next_key()? {
            map.next_value::<Skip>()?;
            keys.insert(key)?;
        }
        Ok(Skip)
    }
}
