//! python-dotenv 1.x, as `load_dotenv(path)` / `dotenv_values(path)` read a
//! file: opened as UTF-8 text with universal newlines (CRLF and CR become LF),
//! then parsed binding by binding (as 1.2.4 does; what earlier 1.x versions
//! read differently is refused: a leading byte-order mark, `KEY= #...`, and a
//! backslash before a quote where the closing quote moved in 1.2.3):
//!
//! - optional `export ` (followed by spaces or tabs), then a key: `'...'`, or
//!   a run of characters other than `=`, `#` and whitespace;
//! - `=` (spaces around it dropped); no `=`: the name has no value (it is not
//!   set, and unsets an earlier value of the same name);
//! - a value in `'...'` (only `\\` and `\'` decoded) or `"..."` (`\\ \' \" \a
//!   \b \f \n \r \t \v` decoded), both may span lines; or unquoted to the end
//!   of the line, cut at the first `#` preceded by whitespace, trailing
//!   whitespace dropped (`KEY= #x` is empty, `KEY=#x` is `#x`);
//! - after the value only whitespace and a `# comment` may follow; a binding
//!   that does not parse is skipped to the end of the line it failed on (the
//!   loader logs a warning and goes on);
//! - then `${NAME}` and `${NAME:-default}` are expanded in every value, quoted
//!   or not. The loader takes a name it does not find earlier in the file from
//!   the host's environment, so such a reference is refused here.

use std::collections::HashMap;

use zeroize::Zeroizing;

use super::text::{is_blank, secret, string, universal_newlines, Buffer, Lines};
use super::{EnvError, Pair, Parsed};

/// One binding: the key, its value (None: a key without `=`), its line.
struct Binding {
    key: String,
    value: Option<Zeroizing<String>>,
    line: usize,
}

/// Reads `text` as python-dotenv does.
pub fn parse(text: &str) -> Parsed {
    match read(text) {
        (pairs, None) => Ok(pairs),
        (_, Some(e)) => Err(e),
    }
}

/// The pairs python-dotenv reads, up to the first refusal if any.
pub fn read(text: &str) -> (Vec<Pair>, Option<EnvError>) {
    if text.starts_with('\u{feff}') {
        let what = "a byte-order mark (python-dotenv before 1.2.3 reads it into the first name)";
        return (Vec::new(), Some(EnvError::new(1, what)));
    }
    let normalized = universal_newlines(text);
    let s = normalized.as_bytes();
    let lines = Lines::new(s);
    let mut bindings = Vec::new();
    // The first construct python-dotenv versions read differently.
    let mut versions: Option<EnvError> = None;
    let mut pos = 0;
    while pos < s.len() {
        pos = skip(s, pos, |b| is_blank(b) || b == b'\n');
        if pos == s.len() {
            break;
        }
        match binding(s, &mut pos, &lines, &mut versions) {
            Ok(Some(b)) => bindings.push(b),
            Ok(None) => {}
            Err(()) => {
                // `_rest_of_line`: the rest of the line the parse failed on.
                pos = skip(s, pos, |b| b != b'\n');
                pos = (pos + 1).min(s.len());
            }
        }
    }
    match versions {
        None => interpolate(bindings),
        Some(e) => {
            let (mut pairs, _) = interpolate(bindings);
            pairs.retain(|p| p.line < e.line);
            (pairs, Some(e))
        }
    }
}

fn skip(s: &[u8], mut pos: usize, while_: impl Fn(u8) -> bool) -> usize {
    while pos < s.len() && while_(s[pos]) {
        pos += 1;
    }
    pos
}

/// Parses one binding at `pos` (after leading whitespace); Ok(None) for a
/// comment line.
fn binding(
    s: &[u8],
    pos: &mut usize,
    lines: &Lines,
    versions: &mut Option<EnvError>,
) -> Result<Option<Binding>, ()> {
    if s[*pos..].starts_with(b"export") && s.get(*pos + 6).is_some_and(|b| is_blank(*b)) {
        *pos = skip(s, *pos + 6, is_blank);
    }
    let line = lines.of(*pos);
    let key = match s.get(*pos) {
        Some(b'#') => None,
        Some(b'\'') => {
            let start = *pos + 1;
            let end = skip(s, start, |b| b != b'\'');
            if end == start || end == s.len() {
                return Err(());
            }
            *pos = end + 1;
            Some(string(&s[start..end]))
        }
        _ => {
            let start = *pos;
            *pos = skip(s, start, |b| {
                !matches!(b, b'=' | b'#' | b' ' | b'\t' | b'\n')
            });
            if *pos == start {
                return Err(());
            }
            Some(string(&s[start..*pos]))
        }
    };
    *pos = skip(s, *pos, is_blank);
    let value = if s.get(*pos) == Some(&b'=') {
        let after = skip(s, *pos + 1, is_blank);
        let spaced = after > *pos + 1;
        *pos = after;
        if spaced && s.get(*pos) == Some(&b'#') {
            versions.get_or_insert(EnvError::new(
                line,
                "whitespace then '#' after '=' (python-dotenv 1.2.4 reads an empty value, \
                 earlier versions the '#...' text)",
            ));
            Some(Zeroizing::default())
        } else {
            if matches!(s.get(*pos), Some(b'\'' | b'"')) && old_close(s, *pos) != new_close(s, *pos)
            {
                versions.get_or_insert(EnvError::new(
                    line,
                    "a backslash before a quote that python-dotenv versions before 1.2.3 \
                     read differently",
                ));
            }
            Some(value(s, pos)?)
        }
    } else {
        None
    };
    // `_comment`, then `_end_of_line`.
    let after = skip(s, *pos, is_blank);
    if s.get(after) == Some(&b'#') {
        *pos = skip(s, after, |b| b != b'\n');
    }
    *pos = skip(s, *pos, is_blank);
    match s.get(*pos) {
        None => {}
        Some(b'\n') => *pos += 1,
        Some(_) => return Err(()),
    }
    Ok(key.map(|key| Binding { key, value, line }))
}

/// The closing quote of the quoted value opening at `open`, as python-dotenv
/// 1.2.3 and later find it: a backslash escapes any character.
fn new_close(s: &[u8], open: usize) -> Option<usize> {
    let quote = s[open];
    let mut i = open + 1;
    loop {
        match s.get(i) {
            None => return None,
            Some(b'\\') if i + 1 < s.len() => i += 2,
            Some(b'\\') => return None,
            Some(&b) if b == quote => return Some(i),
            Some(_) => i += 1,
        }
    }
}

/// The closing quote as python-dotenv before 1.2.3 finds it (`'((?:\\'|[^'])*)'`,
/// greedy): the first quote not right after a backslash, else the last one.
fn old_close(s: &[u8], open: usize) -> Option<usize> {
    let quote = s[open];
    let mut last = None;
    for i in open + 1..s.len() {
        if s[i] == quote {
            if s[i - 1] != b'\\' {
                return Some(i);
            }
            last = Some(i);
        }
    }
    last
}

fn value(s: &[u8], pos: &mut usize) -> Result<Zeroizing<String>, ()> {
    match s.get(*pos) {
        Some(&quote @ (b'\'' | b'"')) => {
            let start = *pos + 1;
            let i = new_close(s, *pos).ok_or(())?;
            *pos = i + 1;
            Ok(decode_escapes(&s[start..i], quote == b'"'))
        }
        None | Some(b'\n') => Ok(Zeroizing::default()),
        Some(_) => {
            let start = *pos;
            *pos = skip(s, start, |b| b != b'\n');
            let part = &s[start..*pos];
            // `re.sub(r"\s+#.*", "", part)`: cut at the first whitespace run
            // followed by `#`.
            let mut end = part.len();
            let mut run_start = None;
            for (i, &b) in part.iter().enumerate() {
                if is_blank(b) {
                    run_start.get_or_insert(i);
                } else {
                    if b == b'#' {
                        if let Some(r) = run_start {
                            end = r;
                            break;
                        }
                    }
                    run_start = None;
                }
            }
            let mut kept = &part[..end];
            while let [rest @ .., last] = kept {
                if !is_blank(*last) {
                    break;
                }
                kept = rest;
            }
            Ok(secret(kept))
        }
    }
}

/// Decodes `\\` and `\'` (single quotes), or also `\" \a \b \f \n \r \t \v`
/// (double quotes), left to right; any other backslash stays.
fn decode_escapes(content: &[u8], double: bool) -> Zeroizing<String> {
    // Decoding never lengthens: the buffer never grows.
    let mut out = Buffer::with_capacity(content.len());
    let mut i = 0;
    while i < content.len() {
        if content[i] == b'\\' && i + 1 < content.len() {
            let decoded = match content[i + 1] {
                b'\\' => Some(b'\\'),
                b'\'' => Some(b'\''),
                b'"' if double => Some(b'"'),
                b'a' if double => Some(0x07),
                b'b' if double => Some(0x08),
                b'f' if double => Some(0x0c),
                b'n' if double => Some(b'\n'),
                b'r' if double => Some(b'\r'),
                b't' if double => Some(b'\t'),
                b'v' if double => Some(0x0b),
                _ => None,
            };
            if let Some(d) = decoded {
                out.push(d);
                i += 2;
                continue;
            }
        }
        out.push(content[i]);
        i += 1;
    }
    out.into_text()
}

/// Expands `${NAME}` / `${NAME:-default}` from earlier bindings, in order;
/// the last binding of a name decides whether it is set.
fn interpolate(bindings: Vec<Binding>) -> (Vec<Pair>, Option<EnvError>) {
    let mut known: HashMap<String, Option<Zeroizing<String>>> = HashMap::new();
    let mut pairs: Vec<Pair> = Vec::new();
    for b in bindings {
        let value = match b.value {
            None => None,
            Some(v) => match expand(&v, &known) {
                Ok(v) => Some(v),
                Err(name) => {
                    let what = format!(
                        "the value refers to ${{{name}}}, which is not set earlier in the file \
                         (python-dotenv would take it from the host's environment)"
                    );
                    return (pairs, Some(EnvError::new(b.line, what)));
                }
            },
        };
        known.insert(b.key.clone(), value.clone());
        match value {
            Some(value) => pairs.push(Pair {
                name: b.key,
                value,
                line: b.line,
            }),
            // A later `NAME` without `=` leaves the name unset.
            None => pairs.retain(|p| p.name != b.key),
        }
    }
    (pairs, None)
}

/// Replaces each `${NAME}` / `${NAME:-default}` (NAME without `}` and `:`);
/// Err(NAME) when NAME is not set earlier in the file. Linear: a failed
/// match is never rescanned. The result is wiped when dropped.
fn expand(
    value: &str,
    known: &HashMap<String, Option<Zeroizing<String>>>,
) -> Result<Zeroizing<String>, String> {
    let s = value.as_bytes();
    if !value.contains("${") {
        return Ok(secret(s));
    }
    // next_brace[i]: the first `}` at or after i.
    let mut next_brace = vec![s.len(); s.len() + 1];
    for i in (0..s.len()).rev() {
        next_brace[i] = if s[i] == b'}' { i } else { next_brace[i + 1] };
    }
    let mut out = Buffer::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i + 1 < s.len() {
        if !(s[i] == b'$' && s[i + 1] == b'{') {
            i += 1;
            continue;
        }
        let name_start = i + 2;
        let stop = skip(s, name_start, |b| b != b'}' && b != b':');
        // (name end, default, where the match ends)
        let end = match s.get(stop) {
            Some(b'}') => Some((stop, None, stop + 1)),
            Some(b':') if s.get(stop + 1) == Some(&b'-') && next_brace[stop + 2] < s.len() => {
                let close = next_brace[stop + 2];
                Some((stop, Some(&s[stop + 2..close]), close + 1))
            }
            _ => None,
        };
        let Some((name_end, default, after)) = end else {
            // Every `${` up to `stop` fails the same way.
            i = stop.max(i + 1);
            continue;
        };
        let name = string(&s[name_start..name_end]);
        let replacement: &[u8] = match known.get(&name) {
            Some(Some(v)) => v.as_bytes(),
            // A name earlier without `=`: python-dotenv gives "" (its None).
            Some(None) => b"",
            // No environment can hold such a name: the default, or "".
            None if name.is_empty() || name.contains('=') => default.unwrap_or(b""),
            None => return Err(name),
        };
        out.extend_from_slice(&s[copied..i]);
        out.extend_from_slice(replacement);
        copied = after;
        i = after;
    }
    out.extend_from_slice(&s[copied..]);
    Ok(out.into_text())
}
