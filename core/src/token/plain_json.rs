//! Reading JSON text of the plain shape most claims have into a host's own
//! values, one builder call per value: objects and arrays, strings without
//! escapes, integers of at most 18 digits, `true`, `false` and `null`.
//! Anything else (an escape, a fraction or exponent, a longer integer, `-0`,
//! which serde_json reads as the float -0.0, malformed text, nesting past
//! [`MAX_JSON_DEPTH`]) is not plain: [`read_plain`] returns `Ok(None)` and the
//! host reads the whole text the general way (serde_json), so results and
//! error messages stay serde_json's.
//!
//! For text the core produced or validated (verified claims, a resolution's
//! JSON form): duplicate keys are not looked for. The grammar lives here so
//! that a binding only builds its objects (the Python binding's claims dict
//! was read by a reader of its own before; benches/README.md, "Python
//! binding speed").

use super::json::MAX_JSON_DEPTH;
use super::plain::plain_run;

/// What a host builds from plain JSON text.
pub trait Build<'t> {
    /// A built value.
    type Value;
    /// A host failure (an allocation refused by the interpreter, say).
    type Error;
    /// A string, as it appears between its quotes (no escape in it).
    fn string(&mut self, text: &'t str) -> Result<Self::Value, Self::Error>;
    /// An integer of at most 18 digits.
    fn integer(&mut self, value: i64) -> Result<Self::Value, Self::Error>;
    /// `true` or `false`.
    fn boolean(&mut self, value: bool) -> Result<Self::Value, Self::Error>;
    /// `null`.
    fn null(&mut self) -> Result<Self::Value, Self::Error>;
    /// An empty array, which [`Build::push`] then fills in order.
    fn array(&mut self) -> Result<Self::Value, Self::Error>;
    /// Appends `item` to `array`.
    fn push(&mut self, array: &Self::Value, item: Self::Value) -> Result<(), Self::Error>;
    /// An object from its members in the text's order; `outermost` for the
    /// top-level one (the claims).
    fn object(
        &mut self,
        members: Vec<(&'t str, Self::Value)>,
        outermost: bool,
    ) -> Result<Self::Value, Self::Error>;
}

/// The value of `text` built by `builder`, `Ok(None)` when `text` is not of
/// the plain shape (see the module comment), or the builder's error.
///
/// # Errors
/// What a [`Build`] call returns.
pub fn read_plain<'t, B: Build<'t>>(
    text: &'t str,
    builder: &mut B,
) -> Result<Option<B::Value>, B::Error> {
    let mut reader = Reader {
        text,
        at: 0,
        depth: 0,
    };
    reader.skip_space();
    let Some(value) = reader.value(builder)? else {
        return Ok(None);
    };
    reader.skip_space();
    Ok((reader.at == text.len()).then_some(value))
}

struct Reader<'t> {
    text: &'t str,
    /// The next byte to read.
    at: usize,
    /// Open arrays and objects.
    depth: usize,
}

/// `Ok(None)`: not plain.
type Read<V, E> = Result<Option<V>, E>;

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    fn literal(&mut self, word: &str) -> bool {
        let found = self.text.as_bytes()[self.at..].starts_with(word.as_bytes());
        if found {
            self.at += word.len();
        }
        found
    }

    /// After a member or item: `Some(false)` past a comma (another
    /// follows), `Some(true)` past `close`, `None` at anything else.
    fn next_or_close(&mut self, close: u8) -> Option<bool> {
        self.skip_space();
        if self.eat(b',') {
            self.skip_space();
            Some(false)
        } else {
            self.eat(close).then_some(true)
        }
    }

    fn value<B: Build<'t>>(&mut self, b: &mut B) -> Read<B::Value, B::Error> {
        let value = match self.peek() {
            Some(b'"') => match self.plain_str() {
                Some(s) => b.string(s)?,
                None => return Ok(None),
            },
            Some(b'-' | b'0'..=b'9') => match self.int() {
                Some(int) => b.integer(int)?,
                None => return Ok(None),
            },
            Some(b'{') => return self.object(b),
            Some(b'[') => return self.array(b),
            Some(b't') if self.literal("true") => b.boolean(true)?,
            Some(b'f') if self.literal("false") => b.boolean(false)?,
            Some(b'n') if self.literal("null") => b.null()?,
            _ => return Ok(None),
        };
        Ok(Some(value))
    }

    /// A string without escapes or control characters, the opening quote
    /// next; past its closing quote after.
    fn plain_str(&mut self) -> Option<&'t str> {
        let start = self.at + 1;
        // Plain bytes as the scanner and the writer define them (plain.rs);
        // the first other byte must be the closing quote.
        let end = start + plain_run(self.text.as_bytes().get(start..)?);
        if self.text.as_bytes().get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        // Both ends are next to an ASCII quote, so on character boundaries.
        self.text.get(start..end)
    }

    /// An integer of 1 to 18 digits (no fraction, no exponent, not `-0`).
    fn int(&mut self) -> Option<i64> {
        let bytes = self.text.as_bytes();
        let negative = self.eat(b'-');
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        let digits = &bytes[start..self.at];
        let plain = (1..=18).contains(&digits.len())
            && !(digits[0] == b'0' && digits.len() > 1)
            && !matches!(self.peek(), Some(b'.' | b'e' | b'E'));
        if !plain {
            return None;
        }
        let magnitude = digits
            .iter()
            .fold(0_i64, |n, d| n * 10 + i64::from(d - b'0'));
        match (negative, magnitude) {
            (true, 0) => None,
            (true, m) => Some(-m),
            (false, m) => Some(m),
        }
    }

    /// One more level of nesting, or `false` past the core's bound (which
    /// validated text never reaches; serde_json then words the refusal).
    fn open(&mut self) -> bool {
        self.at += 1;
        self.depth += 1;
        self.depth <= MAX_JSON_DEPTH
    }

    fn object<B: Build<'t>>(&mut self, b: &mut B) -> Read<B::Value, B::Error> {
        if !self.open() {
            return Ok(None);
        }
        let outermost = self.depth == 1;
        let mut members = Vec::with_capacity(if outermost { 16 } else { 4 });
        self.skip_space();
        if !self.eat(b'}') {
            loop {
                if self.peek() != Some(b'"') {
                    return Ok(None);
                }
                let Some(key) = self.plain_str() else {
                    return Ok(None);
                };
                self.skip_space();
                if !self.eat(b':') {
                    return Ok(None);
                }
                self.skip_space();
                let Some(value) = self.value(b)? else {
                    return Ok(None);
                };
                members.push((key, value));
                match self.next_or_close(b'}') {
                    Some(true) => break,
                    Some(false) => {}
                    None => return Ok(None),
                }
            }
        }
        self.depth -= 1;
        b.object(members, outermost).map(Some)
    }

    fn array<B: Build<'t>>(&mut self, b: &mut B) -> Read<B::Value, B::Error> {
        if !self.open() {
            return Ok(None);
        }
        let array = b.array()?;
        self.skip_space();
        if !self.eat(b']') {
            loop {
                let Some(item) = self.value(b)? else {
                    return Ok(None);
                };
                b.push(&array, item)?;
                match self.next_or_close(b']') {
                    Some(true) => break,
                    Some(false) => {}
                    None => return Ok(None),
                }
            }
        }
        self.depth -= 1;
        Ok(Some(array))
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::convert::Infallible;

    use proptest::prelude::*;
    use serde_json::{Map, Value};

    use super::super::arbitrary::{any_value, nested};
    use super::*;

    /// Builds serde_json values (arrays through a cell: `push` gets `&`).
    struct Values;

    type Built = RefCell<Value>;

    impl<'t> Build<'t> for Values {
        type Value = Built;
        type Error = Infallible;
        fn string(&mut self, text: &'t str) -> Result<Built, Infallible> {
            Ok(RefCell::new(Value::from(text)))
        }
        fn integer(&mut self, value: i64) -> Result<Built, Infallible> {
            Ok(RefCell::new(Value::from(value)))
        }
        fn boolean(&mut self, value: bool) -> Result<Built, Infallible> {
            Ok(RefCell::new(Value::from(value)))
        }
        fn null(&mut self) -> Result<Built, Infallible> {
            Ok(RefCell::new(Value::Null))
        }
        fn array(&mut self) -> Result<Built, Infallible> {
            Ok(RefCell::new(Value::Array(Vec::new())))
        }
        fn push(&mut self, array: &Built, item: Built) -> Result<(), Infallible> {
            if let Value::Array(items) = &mut *array.borrow_mut() {
                items.push(item.into_inner());
            }
            Ok(())
        }
        fn object(&mut self, members: Vec<(&'t str, Built)>, _: bool) -> Result<Built, Infallible> {
            let map: Map<String, Value> = members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.into_inner()))
                .collect();
            Ok(RefCell::new(Value::Object(map)))
        }
    }

    fn read(text: &str) -> Option<Value> {
        let Ok(value) = read_plain(text, &mut Values);
        value.map(RefCell::into_inner)
    }

    /// Values of the plain shape only.
    fn plain_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (-999_999_999_999_999_999i64..=999_999_999_999_999_999).prop_map(Value::from),
            "[ !#-\\[\\]-~\u{e9}\u{1F600}]{0,12}".prop_map(Value::from),
        ];
        nested(leaf, "[a-z]{0,6}")
    }

    /// `value` as compact or pretty text.
    fn text(value: &Value, pretty: bool) -> String {
        let text = if pretty {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        };
        text.unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Plain values are read, as serde_json reads them.
        #[test]
        fn plain_values_are_read(value in plain_value(), pretty in any::<bool>()) {
            prop_assert_eq!(read(&text(&value, pretty)), Some(value));
        }

        /// Whatever it reads, it reads as serde_json does.
        #[test]
        fn reads_what_serde_json_reads(value in any_value(), pretty in any::<bool>()) {
            let text = text(&value, pretty);
            if let Some(read) = read(&text) {
                prop_assert_eq!(read, serde_json::from_str::<Value>(&text).unwrap());
            }
        }
    }

    #[test]
    fn claims_of_the_plain_shape_are_read() {
        let text = r#" {"sub":"u-1","n":-42,"ok":true,"no":false,"x":null,"roles":["a",[]],"o":{"k":0},"e":{}} "#;
        let want: Value = serde_json::from_str(text).unwrap();
        assert_eq!(read(text), Some(want));
        assert_eq!(
            read("999999999999999999"),
            Some(Value::from(999_999_999_999_999_999i64))
        );
    }

    #[test]
    fn anything_else_is_not_plain() {
        for text in [
            r#""a\"b""#,
            "1.5",
            "1e3",
            "-0",
            "01",
            "1234567890123456789",
            "-",
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            "[1 2]",
            "tru",
            r#"{"a":1} x"#,
            "\"\u{1}\"",
            "",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
        let deep = "[".repeat(MAX_JSON_DEPTH + 1) + &"]".repeat(MAX_JSON_DEPTH + 1);
        assert_eq!(read(&deep), None);
        let deepest = "[".repeat(MAX_JSON_DEPTH) + &"]".repeat(MAX_JSON_DEPTH);
        assert!(read(&deepest).is_some());
    }
}
