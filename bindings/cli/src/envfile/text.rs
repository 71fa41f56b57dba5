//! What every reader shares: the character check, line ends, line numbers.

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
pub fn universal_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
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

/// Space or tab.
pub fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}
