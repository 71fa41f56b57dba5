//! Docker Compose `env_file:` and `.env`, from the Compose documentation
//! ("Syntax for environment files",
//! <https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax>):
//!
//! - lines starting with `#` are comments, blank lines are ignored; an
//!   optional `export ` prefix; CRLF line ends;
//! - `VAR=VAL`, `VAR="VAL"`, `VAR='VAL'` all give `VAL`;
//! - unquoted: an inline comment must be preceded by a space
//!   (`VAR=VAL # comment` is `VAL`, `VAR=VAL# x` is `VAL# x`); backslashes are
//!   literal (`VAR=some\tvalue` is `some\tvalue`);
//! - single quotes are literal (`'$OTHER'` is `$OTHER`) except `\'`;
//! - double quotes decode `\n \r \t \\ \"` and may span lines; a comment may
//!   follow the closing quote (older compose versions dropped the backslash of
//!   `\r` and `\t` and cut unquoted values at any `#`: only `\n \\ \"` and a
//!   single ` #` comment read the same in every version);
//! - unquoted and double-quoted values are interpolated (`$VAR`, `${VAR}`,
//!   `${VAR:-default}`) from the environment of the shell that deploys.
//!
//! Refused, since the value would depend on the deploying shell or the
//! documentation does not pin the reading down: any `$` outside single
//! quotes, a line without `=` (its value comes from the shell), `\\` and
//! line breaks in single quotes, other escapes in double quotes, quotes or a
//! trailing `\` in unquoted values, text after a closing quote, whitespace
//! before `=`, names outside `[A-Za-z0-9_.-]`, a byte-order mark, a lone CR.

use zeroize::Zeroizing;

use super::text::{is_blank, secret, string, Buffer};
use super::{EnvError, Pair, Parsed};

/// Reads `text` as Compose does, or refuses.
pub fn parse(text: &str) -> Parsed {
    let s = text.as_bytes();
    if text.starts_with('\u{feff}') {
        return Err(EnvError::new(
            1,
            "a byte-order mark (not documented for compose)",
        ));
    }
    let mut pairs = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    while pos < s.len() {
        let line_start_line = line;
        let end = s[pos..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(s.len(), |i| pos + i);
        let mut p = pos;
        while p < end && is_blank(s[p]) {
            p += 1;
        }
        let content_end = if end > p && s[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        if s[p..content_end].contains(&b'\r') {
            return Err(EnvError::new(line, "a CR that does not end a line"));
        }
        if p == content_end || s[p] == b'#' {
            pos = end + 1;
            line += 1;
            continue;
        }
        if s[p..content_end].starts_with(b"export") && s.get(p + 6).is_some_and(|b| is_blank(*b)) {
            p += 6;
            while p < content_end && is_blank(s[p]) {
                p += 1;
            }
        }
        let name_start = p;
        while p < content_end && s[p] != b'=' {
            p += 1;
        }
        let name = &s[name_start..p];
        let valid = !name.is_empty()
            && name
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if p == content_end {
            return Err(EnvError::new(
                line,
                if valid {
                    "a name without '=' (compose takes its value from the deploying shell's environment)"
                } else {
                    "not a NAME=value line"
                },
            ));
        }
        if !valid {
            return Err(EnvError::new(
                line,
                "the name is empty, has whitespace before '=' or characters outside [A-Za-z0-9_.-]",
            ));
        }
        p += 1;
        let spaced = p < content_end && is_blank(s[p]);
        while p < content_end && is_blank(s[p]) {
            p += 1;
        }
        if spaced && s.get(p) == Some(&b'#') {
            return Err(EnvError::new(
                line,
                "whitespace then '#' after '=' (compose does not say whether the value is empty)",
            ));
        }
        let (value, next, lines_used) = value(s, p, content_end, line)?;
        pairs.push(Pair {
            name: string(name),
            value,
            line: line_start_line,
        });
        line += lines_used;
        pos = next;
    }
    Ok(pairs)
}

/// The value at `p` (line `line`, whose content ends at `content_end`):
/// the value, where the next line starts, and how many lines it used.
fn value(
    s: &[u8],
    p: usize,
    content_end: usize,
    line: usize,
) -> Result<(Zeroizing<String>, usize, usize), EnvError> {
    let dollar = || {
        EnvError::new(
            line,
            "the value contains '$', which compose interpolates from the deploying shell's \
             environment (single-quote the value to keep it literal)",
        )
    };
    match s.get(p) {
        Some(b'\'') => {
            let mut out = Buffer::with_capacity(64);
            let mut i = p + 1;
            loop {
                match s.get(i) {
                    Some(b'\'') => break,
                    Some(b'\\') if s.get(i + 1) == Some(&b'\'') => {
                        out.push(b'\'');
                        i += 2;
                    }
                    Some(b'\\') if s.get(i + 1) == Some(&b'\\') => {
                        return Err(EnvError::new(
                            line,
                            "'\\\\' in a single-quoted value (not documented for compose)",
                        ));
                    }
                    Some(b'\n' | b'\r') | None => {
                        return Err(EnvError::new(
                            line,
                            "a single-quoted value that does not close on its line",
                        ));
                    }
                    Some(&b) => {
                        out.push(b);
                        i += 1;
                    }
                }
            }
            let next = after_quote(s, i + 1, line)?;
            Ok((out.into_text(), next, 1))
        }
        Some(b'"') => {
            let mut out = Buffer::with_capacity(64);
            let mut i = p + 1;
            let mut lines = 1;
            loop {
                match s.get(i) {
                    None => {
                        return Err(EnvError::new(
                            line,
                            "a double-quoted value that never closes",
                        ))
                    }
                    Some(b'"') => break,
                    Some(b'$') => return Err(dollar()),
                    Some(b'\r') => {
                        return Err(EnvError::new(line, "a CR inside a double-quoted value"))
                    }
                    Some(b'\\') => {
                        let decoded =
                            match s.get(i + 1) {
                                Some(b'n') => b'\n',
                                Some(b'\\') => b'\\',
                                Some(b'"') => b'"',
                                _ => return Err(EnvError::new(
                                    line + lines - 1,
                                    "a backslash escape that compose versions read differently (only \\n \\\\ \\\" read the same)",
                                )),
                            };
                        out.push(decoded);
                        i += 2;
                    }
                    Some(&b) => {
                        if b == b'\n' {
                            lines += 1;
                        }
                        out.push(b);
                        i += 1;
                    }
                }
            }
            let next = after_quote(s, i + 1, line + lines - 1)?;
            Ok((out.into_text(), next, lines))
        }
        Some(b'`') => Err(EnvError::new(
            line,
            "a backtick-quoted value (not documented for compose)",
        )),
        _ => {
            let part = &s[p..content_end];
            // Compose versions differ on `#`: older ones cut at any `#`, newer
            // ones at ` #`, some at the last ` #`. One ` #` reads the same.
            let hashes = part.iter().filter(|b| **b == b'#').count();
            let mut end = part.len();
            if let Some(i) = part.iter().position(|b| *b == b'#') {
                if hashes > 1 || i == 0 || !is_blank(part[i - 1]) {
                    return Err(EnvError::new(
                        line,
                        "a '#' in an unquoted value that compose versions cut differently \
                         (quote the value)",
                    ));
                }
                end = i;
            }
            let mut kept = &part[..end];
            while let [rest @ .., last] = kept {
                if !is_blank(*last) {
                    break;
                }
                kept = rest;
            }
            if kept.contains(&b'$') {
                return Err(dollar());
            }
            if kept.iter().any(|b| matches!(b, b'\'' | b'"' | b'`')) {
                return Err(EnvError::new(line, "a quote inside an unquoted value"));
            }
            if kept.ends_with(b"\\") {
                return Err(EnvError::new(
                    line,
                    "a trailing '\\' (not documented for compose)",
                ));
            }
            let next = s[content_end..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(s.len(), |i| content_end + i + 1);
            Ok((secret(kept), next, 1))
        }
    }
}

/// After a closing quote: blanks and an optional `# comment` to the line end.
fn after_quote(s: &[u8], mut i: usize, line: usize) -> Result<usize, EnvError> {
    while i < s.len() && is_blank(s[i]) {
        i += 1;
    }
    if s.get(i) == Some(&b'#') {
        while i < s.len() && s[i] != b'\n' {
            i += 1;
        }
    }
    if s.get(i) == Some(&b'\r') && s.get(i + 1) == Some(&b'\n') {
        i += 1;
    }
    match s.get(i) {
        None => Ok(s.len()),
        Some(b'\n') => Ok(i + 1),
        Some(_) => Err(EnvError::new(line, "text after the closing quote")),
    }
}
