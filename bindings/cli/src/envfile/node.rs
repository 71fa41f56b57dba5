//! Node's `dotenv` package (16 to 18), whose default parser is one regular
//! expression applied over the whole file after CRLF and CR become LF:
//!
//! ```text
//! ^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"
//!   |\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$        (flags m, g)
//! ```
//!
//! The value is trimmed, one pair of surrounding quotes (`'`, `"` or a
//! backtick) removed, and in a value that started with `"` the two-character
//! sequences `\n` and `\r` become LF and CR; nothing else is unescaped or
//! expanded. Lines the expression does not match are skipped. Because `\s`
//! also matches LF, a key, `=`, and the start of a quoted value may sit on
//! different lines, and a quoted value ends at the last quote of its kind
//! (escaped ones included) that is followed only by whitespace or a comment.
//!
//! This is not a regex engine: it follows the expression's backtracking order
//! step by step, with precomputed "next non-space" and "next LF" tables so
//! that every file is read in linear time.

use zeroize::Zeroizing;

use super::text::{is_blank, secret, string, strip_bom, universal_newlines, Buffer, Lines};
use super::{Pair, Parsed};

fn is_space(b: u8) -> bool {
    is_blank(b) || b == b'\n'
}

fn is_key(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

struct Scanner<'a> {
    s: &'a [u8],
    /// next_non_space[i]: the first index >= i that is not whitespace.
    next_non_space: Vec<usize>,
    /// next_lf[i]: the first LF at or after i.
    next_lf: Vec<usize>,
}

/// Reads `text` as Node's dotenv does.
pub fn parse(text: &str) -> Parsed {
    let normalized = universal_newlines(strip_bom(text));
    let s = normalized.as_bytes();
    let n = s.len();
    let mut next_non_space = vec![n; n + 1];
    let mut next_lf = vec![n; n + 1];
    for i in (0..n).rev() {
        next_non_space[i] = if is_space(s[i]) {
            next_non_space[i + 1]
        } else {
            i
        };
        next_lf[i] = if s[i] == b'\n' { i } else { next_lf[i + 1] };
    }
    let scanner = Scanner {
        s,
        next_non_space,
        next_lf,
    };
    let lines = Lines::new(s);
    let mut pairs = Vec::new();
    let mut pos = 0;
    loop {
        let p = scanner.next_non_space[pos];
        if p == n {
            break;
        }
        match scanner.attempt(p) {
            Some((key_start, key_end, value, end)) => {
                pairs.push(Pair {
                    name: string(&s[key_start..key_end]),
                    value,
                    line: lines.of(key_start),
                });
                pos = end;
            }
            // The next attempt is at the next line start.
            None => pos = scanner.next_lf[p],
        }
        if pos == n {
            break;
        }
    }
    Ok(pairs)
}

impl Scanner<'_> {
    /// A match starting at `p` (the first non-space after a line start):
    /// key range, processed value, and the match end.
    fn attempt(&self, p: usize) -> Option<(usize, usize, Zeroizing<String>, usize)> {
        let s = self.s;
        if s[p..].starts_with(b"export") && s.get(p + 6).is_some_and(|b| is_space(*b)) {
            let k = self.next_non_space[p + 6];
            if let Some(found) = self.after_key(k) {
                return Some(found);
            }
        }
        self.after_key(p)
    }

    fn after_key(&self, k: usize) -> Option<(usize, usize, Zeroizing<String>, usize)> {
        let s = self.s;
        let mut key_end = k;
        while key_end < s.len() && is_key(s[key_end]) {
            key_end += 1;
        }
        if key_end == k {
            return None;
        }
        let j = self.next_non_space[key_end];
        let value_start = if j < s.len() && s[j] == b'=' {
            // `\s*=\s*?`: the lazy spaces start at zero, and the match
            // always completes there.
            j + 1
        } else if s.get(key_end) == Some(&b':') && s.get(key_end + 1).is_some_and(|b| is_space(*b))
        {
            // `:\s+?`: exactly one space character, then the value.
            key_end + 2
        } else {
            return None;
        };
        let (group, end) = self.value(value_start);
        Some((k, key_end, finish(group), end))
    }

    /// The value group's text and the match end, for a value starting at `pos`.
    fn value(&self, pos: usize) -> (&[u8], usize) {
        let s = self.s;
        let q = self.next_non_space[pos];
        if let Some(&quote @ (b'\'' | b'"' | b'`')) = s.get(q) {
            // Candidate closing quotes: each quote of this kind after an
            // escaping backslash, up to and including the first one that is
            // not; the greedy `*` tries the last candidate first.
            let mut candidates = Vec::new();
            let mut i = q + 1;
            while i < s.len() {
                if s[i] == quote {
                    candidates.push(i);
                    if s[i - 1] != b'\\' || i - 1 == q {
                        break;
                    }
                }
                i += 1;
            }
            for &c in candidates.iter().rev() {
                if let Some(end) = self.tail(c + 1) {
                    return (&s[pos..=c], end);
                }
            }
        }
        if pos < s.len() && s[pos] != b'#' && s[pos] != b'\n' {
            // `[^#\r\n]+`: up to `#` or the line end; the tail always matches.
            let mut r = pos;
            while r < s.len() && s[r] != b'#' && s[r] != b'\n' {
                r += 1;
            }
            let end = self.tail(r).unwrap_or(r);
            return (&s[pos..r], end);
        }
        let end = self.tail(pos).unwrap_or(pos);
        (&s[pos..pos], end)
    }

    /// `\s*(?:#.*)?$` at `t`: where the match ends, or None.
    fn tail(&self, t: usize) -> Option<usize> {
        let s = self.s;
        let u = self.next_non_space[t];
        if u == s.len() {
            return Some(s.len());
        }
        if s[u] == b'#' {
            return Some(self.next_lf[u]);
        }
        // The spaces hold a line end: `$` matches before it.
        (self.next_lf[t] < u).then_some(self.next_lf[t])
    }
}

/// Trim, remove one pair of surrounding quotes, and in a value that started
/// with `"`, turn `\n` and `\r` into LF and CR.
fn finish(group: &[u8]) -> Zeroizing<String> {
    let mut v = group;
    while let [first, rest @ ..] = v {
        if !is_space(*first) {
            break;
        }
        v = rest;
    }
    while let [rest @ .., last] = v {
        if !is_space(*last) {
            break;
        }
        v = rest;
    }
    let first = v.first().copied();
    if v.len() >= 2 && matches!(v[0], b'\'' | b'"' | b'`') && v[v.len() - 1] == v[0] {
        v = &v[1..v.len() - 1];
    }
    if first != Some(b'"') {
        return secret(v);
    }
    // `\n` and `\r` become LF and CR, left to right, in one pass; decoding
    // never lengthens, so the buffer never grows.
    let mut out = Buffer::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        match (v[i], v.get(i + 1)) {
            (b'\\', Some(b'n')) => {
                out.push(b'\n');
                i += 2;
            }
            (b'\\', Some(b'r')) => {
                out.push(b'\r');
                i += 2;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out.into_text()
}
