//! Validating claims without building them: one pass over the JSON bytes that
//! accepts exactly what the building parser ([`parse_object`]) accepts (UTF-8,
//! JSON's grammar as serde_json reads it, no duplicate key at any depth, at
//! most [`MAX_JSON_DEPTH`] levels) and keeps only where each registered claim's
//! value is and which required claims are present. Nothing is allocated for a
//! value; the claims object is built later, only if the caller asks for it.
//!
//! Hand-written rather than driven through serde: the serde visitor this
//! replaced spent ~9,000 instructions per token on a 260-byte payload, more
//! than the HMAC under callgrind (benches/README.md, "Core speed, issue 21").
//! `tests/scan_differential.rs` checks on generated JSON that it accepts and
//! refuses exactly what [`parse_object`] does.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::claims::{time_value, REGISTERED};
use super::json::{parse_object, parse_value, MAX_JSON_DEPTH};

/// A JSON value as it appears in the claims: its text, known to be valid.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawValue<'a>(&'a str);

impl<'a> RawValue<'a> {
    /// The value built (for messages and error details: the rare path).
    pub(crate) fn value(self) -> Value {
        // `unreachable!`, not `expect`: see `to_text`.
        parse_value(self.0.as_bytes()).unwrap_or_else(|_| unreachable!("scanned values parse"))
    }

    /// Whether the value is a string.
    pub(crate) fn is_string(self) -> bool {
        self.0.starts_with('"')
    }

    /// The string, when the value is one: borrowed unless it holds escapes.
    pub(crate) fn as_str(self) -> Option<Cow<'a, str>> {
        let inner = self.0.strip_prefix('"')?.strip_suffix('"')?;
        if inner.contains('\\') {
            match self.value() {
                Value::String(s) => Some(Cow::Owned(s)),
                _ => None,
            }
        } else {
            Some(Cow::Borrowed(inner))
        }
    }

    /// The value as a time claim reads it ([`time_value`]), without building
    /// it when it is a plain integer.
    pub(crate) fn time_value(self) -> Option<f64> {
        let digits = self.0.as_bytes();
        if (1..=15).contains(&digits.len())
            && digits.iter().all(u8::is_ascii_digit)
            && (digits[0] != b'0' || digits.len() == 1)
        {
            // At most 15 digits: below 2^53, exact as f64.
            let int = digits
                .iter()
                .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            return Some(int as f64);
        }
        time_value(&self.value())
    }
}

/// What the checks need from a claims object.
pub(crate) struct Scanned<'a> {
    registered: [Option<RawValue<'a>>; 8],
    /// Bit `i` set when `required[i]` is present (the first 64).
    present: u64,
    /// The same for `required[64..]`, in the rare case there are more.
    present_more: Vec<bool>,
}

impl<'a> Scanned<'a> {
    /// A registered claim's value.
    pub(crate) fn get(&self, claim: &str) -> Option<RawValue<'a>> {
        self.registered[registered_index(claim)?]
    }

    /// Whether `required[index]` is present.
    pub(crate) fn has_required(&self, index: usize) -> bool {
        match index.checked_sub(64) {
            None => self.present >> index & 1 == 1,
            Some(more) => self.present_more[more],
        }
    }

    fn mark_required(&mut self, index: usize) {
        match index.checked_sub(64) {
            None => self.present |= 1 << index,
            Some(more) => self.present_more[more] = true,
        }
    }
}

/// The position of `claim` in [`REGISTERED`] (a `match`: one length test
/// and a compare or two, where a search would compare with all eight).
fn registered_index(claim: &str) -> Option<usize> {
    let index = match claim {
        "exp" => 0,
        "nbf" => 1,
        "iat" => 2,
        "iss" => 3,
        "sub" => 4,
        "jti" => 5,
        "token_type" => 6,
        "aud" => 7,
        _ => return None,
    };
    debug_assert_eq!(REGISTERED[index], claim);
    Some(index)
}

/// Scans `bytes` as a claims object. On failure the reason is exactly the one
/// [`parse_object`] gives, so verify and `decode_unverified` agree.
pub(crate) fn scan<'a>(bytes: &'a [u8], required: &[String]) -> Result<Scanned<'a>, String> {
    let outcome = std::str::from_utf8(bytes).ok().and_then(|text| {
        let mut out = Scanned {
            registered: [None; 8],
            present: 0,
            present_more: vec![false; required.len().saturating_sub(64)],
        };
        let mut scanner = Scanner {
            text,
            bytes,
            at: 0,
            keys: Vec::new(),
        };
        scanner.whitespace();
        if scanner.peek()? != b'{' {
            return None;
        }
        scanner.object(1, Some((&mut out, required)))?;
        scanner.whitespace();
        (scanner.at == bytes.len()).then_some(out)
    });
    match outcome {
        Some(scanned) => Ok(scanned),
        // Rare path: let the building parser name the problem.
        None => Err(parse_object(bytes)
            .err()
            .unwrap_or_else(|| "it is not valid JSON".into())),
    }
}

/// Objects with more keys than this check duplicates in a map, not a list.
const SMALL_OBJECT: usize = 16;

/// Where a top-level object records registered and required claims.
type Top<'s, 'a> = Option<(&'s mut Scanned<'a>, &'s [String])>;

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// The keys of the objects open now, innermost last (for duplicates).
    keys: Vec<Cow<'a, str>>,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// One value, starting at a non-whitespace byte.
    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(depth + 1, None),
            b'[' => self.array(depth + 1),
            b'"' => self.string().map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_JSON_DEPTH {
            return None;
        }
        self.at += 1;
        self.whitespace();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        loop {
            self.value(depth)?;
            self.whitespace();
            match self.next()? {
                b',' => self.whitespace(),
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize, mut top: Top<'_, 'a>) -> Option<()> {
        if depth > MAX_JSON_DEPTH {
            return None;
        }
        self.at += 1;
        self.whitespace();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        let start = self.keys.len();
        let mut large: Option<Map<String, Value>> = None;
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.whitespace();
            if self.next()? != b':' {
                return None;
            }
            self.whitespace();
            let value_start = self.at;
            self.value(depth)?;
            if let Some((out, required)) = &mut top {
                if let Some(index) = registered_index(&key) {
                    out.registered[index] = Some(RawValue(&self.text[value_start..self.at]));
                }
                for (index, name) in required.iter().enumerate() {
                    if *name == key {
                        out.mark_required(index);
                    }
                }
            }
            self.insert_key(start, key, &mut large)?;
            self.whitespace();
            match self.next()? {
                b',' => self.whitespace(),
                b'}' => break,
                _ => return None,
            }
        }
        self.keys.truncate(start);
        Some(())
    }

    /// Records `key` in the object whose keys start at `start`; `None` for a duplicate.
    fn insert_key(
        &mut self,
        start: usize,
        key: Cow<'a, str>,
        large: &mut Option<Map<String, Value>>,
    ) -> Option<()> {
        let fresh = match large {
            Some(set) => set.insert(key.into_owned(), Value::Null).is_none(),
            None if self.keys.len() - start < SMALL_OBJECT => {
                let fresh = !self.keys[start..].contains(&key);
                if self.keys.capacity() == 0 {
                    self.keys.reserve(SMALL_OBJECT);
                }
                self.keys.push(key);
                fresh
            }
            None => {
                // Inserted one by one: `collect` would sort and bulk-build,
                // more code for a rare path.
                let mut set = Map::new();
                for known in self.keys.drain(start..) {
                    set.insert(known.into_owned(), Value::Null);
                }
                let fresh = set.insert(key.into_owned(), Value::Null).is_none();
                *large = Some(set);
                fresh
            }
        };
        fresh.then_some(())
    }

    /// A string, starting at its quote: its contents, unescaped.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.at += 1;
        let start = self.at;
        loop {
            self.skip_plain();
            match self.next()? {
                b'"' => return Some(Cow::Borrowed(&self.text[start..self.at - 1])),
                b'\\' => return self.escaped_string(start),
                0..=0x1f => return None,
                _ => {}
            }
        }
    }

    /// Skips bytes that need no attention in a string (eight at a time): up
    /// to the next quote, backslash or control byte, or the end.
    fn skip_plain(&mut self) {
        const ONES: u64 = u64::from_le_bytes([0x01; 8]);
        const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
        // Each test sets the high bit of the bytes it finds: the lowest set
        // bit is exact (a zero byte, after the XOR, or one below 0x20);
        // bytes after it may be flagged falsely, which does not matter.
        let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
        while let Some(chunk) = self.bytes.get(self.at..self.at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let special = word.wrapping_sub(ONES * 0x20) & !word & HIGHS
                | zeros(word ^ (ONES * u64::from(b'"')))
                | zeros(word ^ (ONES * u64::from(b'\\')));
            if special != 0 {
                self.at += special.trailing_zeros() as usize / 8;
                return;
            }
            self.at += 8;
        }
        while let Some(&byte) = self.bytes.get(self.at) {
            if byte == b'"' || byte == b'\\' || byte < 0x20 {
                return;
            }
            self.at += 1;
        }
    }

    /// The rest of a string that holds an escape (the scanner is past its
    /// first backslash): its end found, then validated and unescaped by
    /// serde_json itself (escapes, paired surrogates), a rare path.
    fn escaped_string(&mut self, start: usize) -> Option<Cow<'a, str>> {
        self.next()?; // the escaped byte: a quote here does not end the string
        loop {
            self.skip_plain();
            match self.next()? {
                b'"' => break,
                b'\\' => drop(self.next()?),
                0..=0x1f => return None,
                _ => {}
            }
        }
        serde_json::from_str::<String>(&self.text[start - 1..self.at])
            .ok()
            .map(Cow::Owned)
    }

    /// A number in JSON's grammar. One that is not a short integer is also
    /// parsed by serde_json, which refuses what overflows to infinity.
    fn number(&mut self) -> Option<()> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let mut plain = self.at - start <= 18;
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.some_digits()?;
            plain = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.some_digits()?;
            plain = false;
        }
        if plain {
            Some(())
        } else {
            parse_value(&self.bytes[start..self.at]).ok().map(drop)
        }
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }
}

#[cfg(test)]
#[path = "scan_differential.rs"]
mod differential;
