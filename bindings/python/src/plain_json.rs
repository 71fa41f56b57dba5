//! A direct reader from JSON text to Python objects for the common shape of
//! claims: objects and arrays of strings without escapes, integers of at most
//! 18 digits, `true`, `false` and `null`. It builds exactly what
//! [`crate::convert::loads`]'s serde_json route builds for such text (the
//! same `str`, `int`, `bool`, `None`, `list` and `dict`, in the text's key
//! order, registered names interned), without serde's per-value dispatch.
//! Anything else (an escape, a fraction or exponent, a longer integer, `-0`,
//! which serde_json reads as the float -0.0, malformed text) makes it give up
//! (`None`), and the caller reads the whole text with serde_json instead, so
//! results and error messages stay serde_json's.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};

use jwt_accord::MAX_JSON_DEPTH;

use crate::convert::key_to_py;

/// The Python value of `text`, or `None` when `text` is not of the plain
/// shape (see the module comment).
pub(crate) fn read<'py>(py: Python<'py>, text: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let mut reader = Reader {
        py,
        text,
        at: 0,
        depth: 0,
    };
    reader.skip_space();
    let Some(value) = reader.value()? else {
        return Ok(None);
    };
    reader.skip_space();
    Ok((reader.at == text.len()).then_some(value))
}

struct Reader<'t, 'py> {
    py: Python<'py>,
    text: &'t str,
    /// The next byte to read.
    at: usize,
    /// Open arrays and objects.
    depth: usize,
}

/// `Ok(None)`: not plain; the caller falls back to serde_json.
type Read<'py> = PyResult<Option<Bound<'py, PyAny>>>;

impl<'t, 'py> Reader<'t, 'py> {
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

    fn value(&mut self) -> Read<'py> {
        let py = self.py;
        let value = match self.peek() {
            Some(b'"') => match self.plain_str() {
                Some(s) => PyString::new(py, s).into_any(),
                None => return Ok(None),
            },
            Some(b'-' | b'0'..=b'9') => match self.int()? {
                Some(int) => int,
                None => return Ok(None),
            },
            Some(b'{') => return self.object(),
            Some(b'[') => return self.array(),
            Some(b't') if self.literal("true") => PyBool::new(py, true).to_owned().into_any(),
            Some(b'f') if self.literal("false") => PyBool::new(py, false).to_owned().into_any(),
            Some(b'n') if self.literal("null") => py.None().into_bound(py),
            _ => return Ok(None),
        };
        Ok(Some(value))
    }

    /// A string without escapes or control characters, the opening quote
    /// next; past its closing quote after.
    fn plain_str(&mut self) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let mut end = start;
        loop {
            match *bytes.get(end)? {
                b'"' => break,
                b'\\' | 0..=0x1f => return None,
                _ => end += 1,
            }
        }
        self.at = end + 1;
        // Both ends are next to an ASCII quote, so on character boundaries.
        self.text.get(start..end)
    }

    /// An integer of 1 to 18 digits (no fraction, no exponent, not `-0`).
    fn int(&mut self) -> Read<'py> {
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
            return Ok(None);
        }
        let magnitude = digits
            .iter()
            .fold(0_i64, |n, d| n * 10 + i64::from(d - b'0'));
        let py = self.py;
        Ok(match (negative, magnitude) {
            (true, 0) => None,
            (true, m) => Some((-m).into_pyobject(py)?.into_any()),
            (false, m) => Some(m.into_pyobject(py)?.into_any()),
        })
    }

    /// One more level of nesting, or `false` past the core's bound (which
    /// verified text never reaches; serde_json then words the refusal).
    fn open(&mut self) -> bool {
        self.at += 1;
        self.depth += 1;
        self.depth <= MAX_JSON_DEPTH
    }

    fn object(&mut self) -> Read<'py> {
        if !self.open() {
            return Ok(None);
        }
        // The outermost object (the claims) is built from its members at
        // the end, from a copy of the last one's dict when the names repeat.
        let outermost = self.depth == 1;
        let mut members = Vec::with_capacity(if outermost { 16 } else { 0 });
        let dict = PyDict::new(self.py);
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
                let Some(value) = self.value()? else {
                    return Ok(None);
                };
                if outermost {
                    members.push((key, value));
                } else {
                    dict.set_item(key_to_py(self.py, key), value)?;
                }
                match self.next_or_close(b'}') {
                    Some(true) => break,
                    Some(false) => {}
                    None => return Ok(None),
                }
            }
        }
        self.depth -= 1;
        if outermost {
            return shape::dict(self.py, &members).map(|dict| Some(dict.into_any()));
        }
        Ok(Some(dict.into_any()))
    }

    fn array(&mut self) -> Read<'py> {
        if !self.open() {
            return Ok(None);
        }
        let list = PyList::empty(self.py);
        self.skip_space();
        if !self.eat(b']') {
            loop {
                let Some(item) = self.value()? else {
                    return Ok(None);
                };
                list.append(item)?;
                match self.next_or_close(b']') {
                    Some(true) => break,
                    Some(false) => {}
                    None => return Ok(None),
                }
            }
        }
        self.depth -= 1;
        Ok(Some(list.into_any()))
    }
}

/// The claims dict from its members, in order. Verified claims mostly repeat
/// one set of names in one order (the same service mints them), so the last
/// set is kept with a dict of those names (values `None`): a dict copied from
/// it already holds the key objects (hashes computed) at their final size,
/// and setting the values replaces entries instead of adding and resizing.
mod shape {
    use std::sync::Mutex;

    use pyo3::prelude::*;
    use pyo3::types::{PyDict, PyString};

    use crate::convert::key_to_py;

    /// Larger objects are built key by key and not remembered.
    const MAX_NAMES: usize = 24;

    struct Shape {
        names: Vec<Box<str>>,
        keys: Vec<Py<PyString>>,
        dict: Py<PyDict>,
    }

    /// The GIL serialises its users; `try_lock` because code run by the
    /// interpreter inside a dict operation (a finalizer during a garbage
    /// collection) may verify a token itself: that one builds its dict
    /// without the cache.
    static LAST: Mutex<Option<Shape>> = Mutex::new(None);

    pub(super) fn dict<'py>(
        py: Python<'py>,
        members: &[(&str, Bound<'py, PyAny>)],
    ) -> PyResult<Bound<'py, PyDict>> {
        let Ok(mut last) = LAST.try_lock() else {
            return build(py, members, None);
        };
        if let Some(shape) = last.as_ref().filter(|shape| {
            shape.names.len() == members.len()
                && shape
                    .names
                    .iter()
                    .zip(members)
                    .all(|(n, (k, _))| **n == **k)
        }) {
            let dict = shape.dict.bind(py).copy()?;
            for (key, (_, value)) in shape.keys.iter().zip(members) {
                dict.set_item(key.bind(py), value)?;
            }
            return Ok(dict);
        }
        if members.len() > MAX_NAMES {
            return build(py, members, None);
        }
        let mut keys = Vec::with_capacity(members.len());
        let dict = build(py, members, Some(&mut keys))?;
        let template = PyDict::new(py);
        for key in &keys {
            template.set_item(key.bind(py), py.None())?;
        }
        *last = Some(Shape {
            names: members.iter().map(|(name, _)| Box::from(*name)).collect(),
            keys,
            dict: template.unbind(),
        });
        Ok(dict)
    }

    /// A dict built key by key, keeping the key objects when asked.
    fn build<'py>(
        py: Python<'py>,
        members: &[(&str, Bound<'py, PyAny>)],
        mut keys: Option<&mut Vec<Py<PyString>>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in members {
            let key = key_to_py(py, name);
            dict.set_item(&key, value)?;
            if let Some(keys) = keys.as_mut() {
                keys.push(key.unbind());
            }
        }
        Ok(dict)
    }
}
