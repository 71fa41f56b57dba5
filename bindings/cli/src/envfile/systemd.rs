//! systemd `EnvironmentFile=`, from systemd.exec(5):
//!
//! - newline-separated assignments; empty lines, lines without `=`, and
//!   lines starting with `;` or `#` are ignored; no variable expansion (`$`
//!   is literal), no inline comments;
//! - unquoted: leading and trailing whitespace (space, tab, CR) dropped,
//!   interior whitespace and quotes after the first character kept; a
//!   backslash keeps the next character (`\\` is `\`); a backslash before the
//!   line end continues the value on the next line;
//! - `'...'`: verbatim, may span lines, no escapes;
//! - `"..."`: may span lines; `\"`, `\\`, `` \` `` and `\$` give the character,
//!   backslash-newline continues; whitespace outside the quotes is dropped.
//!
//! Refused (systemd ignores the assignment with a warning, or the manual does
//! not pin the reading down, or systemd versions differ: parse_env_file_internal
//! once read a backslash in single quotes as an escape, and dropped the
//! backslash of any other escape in double quotes, which newer versions keep): a backslash in single quotes, other double-quote escapes, names other
//! than `[A-Za-z_][A-Za-z0-9_]*`
//! (so `export NAME=`), text after a closing quote, an unclosed quote, a CR
//! that does not end a line, a byte-order mark, a comment or a value ending in
//! an escaped space or a backslash at the end of the file.

use zeroize::Zeroizing;

use super::text::{is_blank, string, Buffer};
use super::{EnvError, Pair, Parsed};

/// Reads `text` as systemd's `EnvironmentFile=` does, or refuses.
pub fn parse(text: &str) -> Parsed {
    if text.starts_with('\u{feff}') {
        return Err(EnvError::new(
            1,
            "a byte-order mark (systemd refuses U+FEFF)",
        ));
    }
    let s = text.as_bytes();
    let mut r = Reader { s, pos: 0, line: 1 };
    let mut pairs = Vec::new();
    while r.pos < s.len() {
        r.skip_blanks();
        let line = r.line;
        match r.peek() {
            None => break,
            Some(b'\n') => r.newline(),
            Some(b'\r') => r.cr_line_end()?,
            Some(b'#' | b';') => {
                let start = r.pos;
                r.skip_to_line_end();
                let comment = &s[start..r.pos];
                let comment = comment.strip_suffix(b"\r").unwrap_or(comment);
                if comment.ends_with(b"\\") {
                    return Err(EnvError::new(
                        line,
                        "a comment ending in '\\' (systemd continues it on the next line)",
                    ));
                }
                r.end_line()?;
            }
            Some(_) => {
                let start = r.pos;
                while r.peek().is_some_and(|b| b != b'=' && b != b'\n') {
                    r.pos += 1;
                }
                if r.peek() != Some(b'=') {
                    // No `=`: systemd ignores the line.
                    r.end_line_lenient();
                    continue;
                }
                let name = &s[start..r.pos];
                let valid = name
                    .first()
                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
                    && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_');
                if !valid {
                    return Err(EnvError::new(
                        line,
                        "not a valid variable name before '=' (systemd ignores the assignment)",
                    ));
                }
                r.pos += 1;
                let value = r.value(line)?;
                pairs.push(Pair {
                    name: string(name),
                    value,
                    line,
                });
            }
        }
    }
    Ok(pairs)
}

struct Reader<'a> {
    s: &'a [u8],
    pos: usize,
    line: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    fn newline(&mut self) {
        self.pos += 1;
        self.line += 1;
    }

    fn skip_to_line_end(&mut self) {
        while self.peek().is_some_and(|b| b != b'\n') {
            self.pos += 1;
        }
    }

    /// At a CR: only CRLF is accepted.
    fn cr_line_end(&mut self) -> Result<(), EnvError> {
        if self.s.get(self.pos + 1) == Some(&b'\n') {
            self.pos += 1;
            self.newline();
            Ok(())
        } else {
            Err(EnvError::new(self.line, "a CR that does not end a line"))
        }
    }

    /// After a line's content: its LF (or the end of the file).
    fn end_line(&mut self) -> Result<(), EnvError> {
        match self.peek() {
            None => Ok(()),
            Some(b'\n') => {
                self.newline();
                Ok(())
            }
            Some(b'\r') => self.cr_line_end(),
            Some(_) => Err(EnvError::new(self.line, "text after the closing quote")),
        }
    }

    fn end_line_lenient(&mut self) {
        self.skip_to_line_end();
        if self.peek() == Some(b'\n') {
            self.newline();
        }
    }

    /// The value after `=`, up to and including its line end.
    fn value(&mut self, line: usize) -> Result<Zeroizing<String>, EnvError> {
        self.skip_blanks();
        let mut out = Buffer::with_capacity(64);
        match self.peek() {
            Some(quote @ (b'\'' | b'"')) => {
                self.pos += 1;
                loop {
                    let Some(b) = self.peek() else {
                        return Err(EnvError::new(line, "a quoted value that never closes"));
                    };
                    self.pos += 1;
                    match b {
                        b'\r' => {
                            return Err(EnvError::new(self.line, "a CR inside a quoted value"))
                        }
                        b'\n' => {
                            self.line += 1;
                            out.push(b);
                        }
                        _ if b == quote => break,
                        b'\\' if quote == b'\'' => {
                            return Err(EnvError::new(
                                self.line,
                                "a backslash in single quotes (older systemd versions read it as \
                                 an escape)",
                            ))
                        }
                        b'\\' if quote == b'"' => match self.peek() {
                            None => {
                                return Err(EnvError::new(line, "a quoted value that never closes"))
                            }
                            Some(b'\n') => self.newline(),
                            Some(c @ (b'"' | b'\\' | b'`' | b'$')) => {
                                out.push(c);
                                self.pos += 1;
                            }
                            Some(b'\r') => {
                                return Err(EnvError::new(self.line, "a CR inside a quoted value"))
                            }
                            // Newer systemd keeps the backslash, older
                            // versions drop it: versions differ.
                            Some(_) => return Err(EnvError::new(
                                self.line,
                                "a backslash escape in double quotes that systemd versions read \
                                     differently (only \\\" \\\\ \\` \\$ are the same)",
                            )),
                        },
                        _ => out.push(b),
                    }
                }
                self.skip_blanks();
                self.end_line()?;
            }
            _ => {
                // Unquoted; `kept` is the length up to the last character that
                // is not trailing whitespace.
                let mut kept = 0;
                let mut escaped_last = false;
                loop {
                    match self.peek() {
                        None => break,
                        Some(b'\n') => {
                            self.newline();
                            break;
                        }
                        Some(b'\r') => {
                            if self.s.get(self.pos + 1) != Some(&b'\n') {
                                return Err(EnvError::new(
                                    self.line,
                                    "a CR that does not end a line",
                                ));
                            }
                            self.pos += 1;
                        }
                        Some(b'\\') => match self.s.get(self.pos + 1) {
                            None => {
                                return Err(EnvError::new(
                                    self.line,
                                    "a '\\' at the end of the file",
                                ))
                            }
                            Some(b'\n') => {
                                self.pos += 1;
                                self.newline();
                            }
                            Some(b'\r') => {
                                return Err(EnvError::new(self.line, "a '\\' before a CR"))
                            }
                            Some(&c) => {
                                out.push(c);
                                kept = out.len();
                                escaped_last = is_blank(c);
                                self.pos += 2;
                            }
                        },
                        Some(c) => {
                            out.push(c);
                            if !is_blank(c) {
                                kept = out.len();
                                escaped_last = false;
                            }
                            self.pos += 1;
                        }
                    }
                }
                if escaped_last {
                    return Err(EnvError::new(
                        line,
                        "a value ending in an escaped space (not pinned down by systemd.exec)",
                    ));
                }
                out.truncate(kept);
            }
        }
        Ok(out.into_text())
    }
}
