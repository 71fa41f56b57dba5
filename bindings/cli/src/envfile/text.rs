//! What every reader shares: the character check, line ends, line numbers.

use zeroize::Zeroizing;

use super::EnvError;

/// Refuses characters the loaders disagree about or that no environment
/// variable can hold: NUL and the other C0 controls except tab, LF and CR,
/// and every Unicode space other than U+0020 (Python's `\s` and JavaScript's
/// `\s` differ on them), including a byte-order mark after the first
/// character. Lines are counted as an editor does (LF, CRLF or CR).
pub fn check_characters(text: &str) -> Result<(), EnvError> {
    let mut line = 1;
    let mut previous = '\0';
    for (index, c) in text.char_indices() {
        if c == '\n' {
            if previous != '\r' {
                line += 1;
            }
        } else if c == '\r' {
            line += 1;
        }
        previous = c;
        let odd_space = matches!(
            c,
            '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
        ) || (c == '\u{feff}' && index > 0);
        let control = (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}';
        if control || odd_space {
            return Err(EnvError::new(
                line,
                format!(
                    "contains the character U+{:04X}, which the loaders read differently \
                     or an environment cannot hold",
                    c as u32
                ),
            ));
        }
    }
    Ok(())
}

/// The text with a leading byte-order mark removed.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The text with CRLF and lone CR turned into LF (Python's universal
/// newlines; Node's dotenv does the same), so LF counts lines as an editor does.
/// The copy may hold secrets: one allocation of the text's length (it never
/// grows, so no unwiped reallocation is left behind), wiped when dropped.
pub fn universal_newlines(text: &str) -> Zeroizing<String> {
    let mut out = Buffer::with_capacity(text.len());
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        if b == b'\r' {
            bytes.next_if_eq(&b'\n');
            out.push(b'\n');
        } else {
            out.push(b);
        }
    }
    out.into_text()
}

/// Line numbers of byte offsets in a text whose lines end with LF.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// Indexes the LFs of `bytes`.
    pub fn new(bytes: &[u8]) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn of(&self, offset: usize) -> usize {
        self.starts.partition_point(|start| *start <= offset)
    }
}

/// Bytes as text; the readers only split at ASCII bytes, so this never fails
/// on slices of valid UTF-8.
pub fn string(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A value as text (see [`string`]), in a buffer wiped when dropped: one
/// allocation of exactly its length, so no unwiped copy is left behind.
pub fn secret(bytes: &[u8]) -> Zeroizing<String> {
    Zeroizing::new(string(bytes))
}

/// A byte buffer for building a value that may be a secret: wiped when
/// dropped, and when it grows its old allocation is wiped before it is freed
/// (a plain `Vec` would free it as it is).
pub struct Buffer(Zeroizing<Vec<u8>>);

impl Buffer {
    /// An empty buffer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Buffer {
        Buffer(Zeroizing::new(Vec::with_capacity(capacity)))
    }

    /// Appends one byte.
    pub fn push(&mut self, byte: u8) {
        self.extend_from_slice(&[byte]);
    }

    /// Appends `bytes`, moving to a larger allocation (at least double) when
    /// full: the old one is wiped as it drops. Amortised linear.
    pub fn extend_from_slice(&mut self, bytes: &[u8]) {
        let needed = self.0.len() + bytes.len();
        if needed > self.0.capacity() {
            let mut larger = Vec::with_capacity(needed.max(2 * self.0.capacity()).max(16));
            larger.extend_from_slice(&self.0);
            self.0 = Zeroizing::new(larger);
        }
        self.0.extend_from_slice(bytes);
    }

    /// The number of bytes held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Keeps the first `len` bytes (the rest is wiped with the buffer).
    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    /// The bytes as text, converted in place (no copy). The readers only
    /// split valid UTF-8 at ASCII bytes, so the lossy branch never runs.
    pub fn into_text(mut self) -> Zeroizing<String> {
        match String::from_utf8(std::mem::take(&mut *self.0)) {
            Ok(text) => Zeroizing::new(text),
            Err(e) => secret(&Zeroizing::new(e.into_bytes())),
        }
    }
}

/// Space or tab.
pub fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_grows_and_converts_in_place() {
        let mut b = Buffer::with_capacity(2);
        for byte in b"secret-value-longer-than-sixteen" {
            b.push(*byte);
        }
        b.extend_from_slice(b"!tail");
        b.truncate(b.len() - 4);
        let start = b.0.as_ptr();
        let text = b.into_text();
        assert_eq!(text.as_str(), "secret-value-longer-than-sixteen!");
        assert_eq!(text.as_ptr(), start, "converted without a copy");
    }

    #[test]
    fn universal_newlines_in_one_pass() {
        assert_eq!(
            universal_newlines("a\r\nb\rc\n\r\rd").as_str(),
            "a\nb\nc\n\n\nd"
        );
        assert_eq!(universal_newlines("x").as_str(), "x");
    }
}
