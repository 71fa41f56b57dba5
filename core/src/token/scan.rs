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

use super::claims::{registered_index, tag, time_value};
use super::json::{parse_object, parse_value, MAX_JSON_DEPTH};
use super::plain::{first_special, is_plain, plain_run};

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
        // A valid string whose bytes are all plain holds no escape.
        if !is_plain(inner.as_bytes()) {
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
        if (1..=15).contains(&digits.len()) && (digits[0] != b'0' || digits.len() == 1) {
            // At most 15 digits: below 2^53, exact as f64. One pass: a
            // byte that is not a digit sends the value the long way.
            let int = digits.iter().try_fold(0u64, |n, d| {
                let digit = d.wrapping_sub(b'0');
                (digit <= 9).then(|| n * 10 + u64::from(digit))
            });
            if let Some(int) = int {
                return Some(int as f64);
            }
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
        self.registered[registered_index(tag(claim), claim)?]
    }

    /// Every registered claim's value, in [`REGISTERED`](super::claims::REGISTERED) order.
    pub(crate) fn registered(&self) -> &[Option<RawValue<'a>>; 8] {
        &self.registered
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

/// Scans `bytes` as a claims object. On failure the reason is exactly the one
/// [`parse_object`] gives, so verify and `decode_unverified` agree.
#[cfg(test)]
pub(crate) fn scan<'a>(bytes: &'a [u8], required: &[String]) -> Result<Scanned<'a>, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => scan_str(text, required),
        Err(_) => Err(failure(bytes)),
    }
}

/// [`scan`] for text already known to be UTF-8.
pub(crate) fn scan_str<'a>(text: &'a str, required: &[String]) -> Result<Scanned<'a>, String> {
    let mut out = Scanned {
        registered: [None; 8],
        present: 0,
        present_more: vec![false; required.len().saturating_sub(64)],
    };
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    match scanner.top(&mut out, required) {
        Some(()) => Ok(out),
        None => Err(failure(text.as_bytes())),
    }
}

/// Rare path: the building parser names the problem.
pub(crate) fn failure(bytes: &[u8]) -> String {
    parse_object(bytes)
        .err()
        .unwrap_or_else(|| "it is not valid JSON".into())
}

/// Objects with more keys than this check duplicates in a map, not a list.
const SMALL_OBJECT: usize = 16;

/// The keys of one object so far, to refuse a duplicate: the first
/// [`SMALL_OBJECT`] in place (tag and text), then all of them in a map (also
/// from the first key written with escapes). Nothing allocated for a claims
/// object of usual size, and no object's check is quadratic in its size.
struct ObjectKeys<'a> {
    small: [(u64, &'a str); SMALL_OBJECT],
    count: usize,
    /// A bit for each tag in `small`, chosen by a hash of the tag.
    seen: u64,
    /// serde_json's `Map`, already in every build for claims, rather than
    /// a `HashSet`, whose hashing would add code to the WASM module.
    large: Option<Map<String, Value>>,
}

impl Default for ObjectKeys<'_> {
    fn default() -> Self {
        ObjectKeys {
            small: [(0, ""); SMALL_OBJECT],
            count: 0,
            seen: 0,
            large: None,
        }
    }
}

impl<'a> ObjectKeys<'a> {
    /// Adds `key` (whose tag is `key_tag`); `None` when it is a duplicate.
    fn insert(&mut self, key_tag: u64, key: Cow<'a, str>) -> Option<()> {
        let key = match key {
            Cow::Borrowed(key) if self.large.is_none() && self.count < SMALL_OBJECT => {
                // One bit per tag seen: a key whose bit is clear is new
                // without a look at the others.
                let bit = 1 << (key_tag.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58);
                let known = &self.small[..self.count];
                if self.seen & bit != 0 && known.iter().any(|&(t, k)| t == key_tag && k == key) {
                    return None;
                }
                self.seen |= bit;
                self.small[self.count] = (key_tag, key);
                self.count += 1;
                return Some(());
            }
            key => key,
        };
        let small = &self.small[..self.count];
        // Inserted one by one: `collect` would sort and bulk-build, more
        // code for a rare path.
        let set = self.large.get_or_insert_with(|| {
            let mut set = Map::new();
            for (_, known) in small {
                set.insert((*known).to_owned(), Value::Null);
            }
            set
        });
        set.insert(key.into_owned(), Value::Null)
            .is_none()
            .then_some(())
    }
}

/// Where a top-level object records registered and required claims.
/// (The tags of the first eight required names let most keys skip the
/// string compare.)
type Top<'s, 'a> = Option<(&'s mut Scanned<'a>, &'s [String], [u64; 8])>;

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    /// The whole text: one object and whitespace.
    fn top(&mut self, out: &mut Scanned<'a>, required: &[String]) -> Option<()> {
        self.whitespace();
        if self.peek()? != b'{' {
            return None;
        }
        let mut tags = [0; 8];
        for (tag_of, name) in tags.iter_mut().zip(required) {
            *tag_of = tag(name);
        }
        self.object(1, Some((out, required, tags)))?;
        self.whitespace();
        (self.at == self.bytes.len()).then_some(())
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    /// The next byte that is not whitespace (compact JSON: the next byte).
    fn next_token(&mut self) -> Option<u8> {
        match self.next()? {
            b' ' | b'\n' | b'\t' | b'\r' => {
                self.whitespace();
                self.next()
            }
            byte => Some(byte),
        }
    }

    fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// One value, starting at a non-whitespace byte. Inlined into `object`
    /// and `array`, its only callers: a call per claim cost ~20 instructions.
    #[inline(always)]
    fn value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(depth + 1, None),
            b'[' => self.array(depth + 1),
            // A value's text is not needed: an escaped one is only validated.
            b'"' => {
                let start = self.at + 1;
                if self.plain_string()? {
                    Some(())
                } else {
                    self.escaped_string(start).map(drop)
                }
            }
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

    /// Enters an array or object at `depth` (the cursor on its opening
    /// byte): `Some(true)` when it is empty and closed at once by `close`.
    fn open(&mut self, depth: usize, close: u8) -> Option<bool> {
        if depth > MAX_JSON_DEPTH {
            return None;
        }
        self.at += 1;
        self.whitespace();
        let empty = self.peek()? == close;
        if empty {
            self.at += 1;
        }
        Some(empty)
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if self.open(depth, b']')? {
            return Some(());
        }
        loop {
            self.value(depth)?;
            match self.next_token()? {
                b',' => self.whitespace(),
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize, mut top: Top<'_, 'a>) -> Option<()> {
        if self.open(depth, b'}')? {
            return Some(());
        }
        let mut keys = ObjectKeys::default();
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            if self.next_token()? != b':' {
                return None;
            }
            self.whitespace();
            let value_start = self.at;
            self.value(depth)?;
            let key_tag = tag(&key);
            if let Some((out, required, tags)) = &mut top {
                if let Some(index) = registered_index(key_tag, &key) {
                    out.registered[index] = Some(RawValue(&self.text[value_start..self.at]));
                }
                for (index, name) in required.iter().enumerate() {
                    if tags.get(index).is_none_or(|t| *t == key_tag) && *name == key {
                        out.mark_required(index);
                    }
                }
            }
            keys.insert(key_tag, key)?;
            match self.next_token()? {
                b',' => self.whitespace(),
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// A string, starting at its quote: its contents, unescaped.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.at + 1;
        if self.plain_string()? {
            Some(Cow::Borrowed(&self.text[start..self.at - 1]))
        } else {
            self.escaped_string(start)
        }
    }

    /// Moves past a string that starts at the cursor: `true` when it held no
    /// escape (the cursor is past its closing quote), `false` at its first
    /// backslash (the cursor is past it), `None` when it is not valid.
    fn plain_string(&mut self) -> Option<bool> {
        let mut at = self.at + 1;
        loop {
            // Eight bytes at a time to the first one that needs attention;
            // byte by byte in the last seven.
            if let Some(chunk) = self.bytes.get(at..at + 8) {
                match first_special(chunk.try_into().unwrap_or_default()) {
                    Some(offset) => at += offset,
                    None => {
                        at += 8;
                        continue;
                    }
                }
            }
            let byte = *self.bytes.get(at)?;
            at += 1;
            match byte {
                b'"' | b'\\' => {
                    self.at = at;
                    return Some(byte == b'"');
                }
                0..=0x1f => return None,
                _ => {}
            }
        }
    }

    /// The rest of a string that holds an escape (the scanner is past its
    /// first backslash): its end found, then validated and unescaped by
    /// serde_json itself (escapes, paired surrogates), a rare path.
    #[cold]
    #[inline(never)]
    fn escaped_string(&mut self, start: usize) -> Option<Cow<'a, str>> {
        self.next()?; // the escaped byte: a quote here does not end the string
        loop {
            self.at += plain_run(&self.bytes[self.at..]);
            match self.next()? {
                b'"' => break,
                b'\\' => drop(self.next()?),
                0..=0x1f => return None,
                _ => {}
            }
        }
        // Through `parse_value`, not `from_str::<String>`: the latter's
        // type-mismatch path links float formatting into the WASM module
        // (+12 KB gzipped; benches/README.md, "WASM size, issue 21").
        match parse_value(&self.bytes[start - 1..self.at]) {
            Ok(Value::String(text)) => Some(Cow::Owned(text)),
            _ => None,
        }
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

    /// Moves past a run of digits: eight bytes at a time (a time claim has
    /// ten), then byte by byte.
    fn digits(&mut self) {
        while let Some(chunk) = self.bytes.get(self.at..self.at + 8) {
            match first_non_digit(chunk.try_into().unwrap_or_default()) {
                Some(offset) => {
                    self.at += offset;
                    return;
                }
                None => self.at += 8,
            }
        }
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

/// The position of the first byte of `word` (little-endian order) that is
/// not an ASCII digit, if any. A digit's high nibble is 3 and adding 6 to it
/// keeps it 3; the first byte that fails either test is flagged exactly
/// (carries of the addition only move up, to later bytes).
fn first_non_digit(word: [u8; 8]) -> Option<usize> {
    const HIGH_NIBBLES: u64 = u64::from_le_bytes([0xf0; 8]);
    const THREES: u64 = u64::from_le_bytes([0x30; 8]);
    const SIXES: u64 = u64::from_le_bytes([0x06; 8]);
    let word = u64::from_le_bytes(word);
    let flagged =
        (word & HIGH_NIBBLES ^ THREES) | (word.wrapping_add(SIXES) & HIGH_NIBBLES ^ THREES);
    (flagged != 0).then(|| flagged.trailing_zeros() as usize / 8)
}

#[cfg(test)]
mod digit_tests {
    use super::first_non_digit;

    /// Every byte value at every place, after digits and before any bytes.
    #[test]
    fn the_first_non_digit_is_found_exactly() {
        for byte in 0..=255u8 {
            for at in 0..8 {
                for after in [b'0', b'9', b'a', 0xff, 0x00] {
                    let mut word = [b'7'; 8];
                    word[at] = byte;
                    for later in word.iter_mut().skip(at + 1) {
                        *later = after;
                    }
                    let want = word.iter().position(|b| !b.is_ascii_digit());
                    assert_eq!(first_non_digit(word), want, "{word:?}");
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "scan_differential.rs"]
mod differential;
