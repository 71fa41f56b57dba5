//! Placeholder secrets (docs/spec.md §5, extended in docs/decisions.md):
//! values someone meant to replace, values made of one repeated word, and
//! values whose loader kept the quotes around them.
//!
//! Compared in place, case-insensitively: a lowercased copy would be an
//! unwiped copy of the secret. The words are chosen so that a random secret
//! from `secrets.token_urlsafe` is refused about once in ten million, one from
//! `openssl rand -base64` or hex far less often (core/tests/properties.rs).

/// Exact values (docs/spec.md §5), case-insensitive.
const EXACT: [&str; 10] = [
    "secret",
    "changeme",
    "change-me",
    "fallback_secret",
    "your-secret-key",
    "jwt-secret",
    "jwt_secret",
    "development",
    "test",
    "password",
];

/// Words a placeholder starts with, followed by a separator. Each has at least
/// four letters: a random URL-safe secret starts with a three-letter word and
/// a separator about once in a million (`xxx-`, `put-`), so those are caught
/// by the repetition and phrase rules instead (`xxxx...`, `put-your-...`).
const PREFIXES: [&[&str]; 14] = [
    &["your"],
    &["change"],
    &["replace"],
    &["insert"],
    &["enter"],
    &["put", "your"],
    &["put", "the"],
    &["example"],
    &["dummy"],
    &["sample"],
    &["placeholder"],
    &["todo"],
    &["fixme"],
    &["xxxx"],
];

/// Phrases a placeholder contains anywhere. Each has at least seven letters.
const PHRASES: [&[&str]; 16] = [
    &["change", "me"],
    &["change", "this"],
    &["replace", "me"],
    &["replace", "this"],
    &["placeholder"],
    &["example"],
    &["your", "secret"],
    &["your", "key"],
    &["your", "jwt"],
    &["your", "own"],
    &["secret", "here"],
    &["key", "here"],
    &["goes", "here"],
    &["value", "here"],
    &["not", "a", "secret"],
    &["do", "not", "use"],
];

/// The separators allowed between a phrase's words, and ignored when looking
/// for a repeated word.
fn is_separator(b: u8) -> bool {
    matches!(b, b'-' | b'_' | b'.' | b' ')
}

/// The longest repeated unit looked for (`supersecretkey` is 14).
const MAX_PERIOD: usize = 16;

/// Why `bytes` is a placeholder, if it is.
pub(crate) fn reason(bytes: &[u8]) -> Option<&'static str> {
    if EXACT
        .iter()
        .any(|p| bytes.eq_ignore_ascii_case(p.as_bytes()))
    {
        return Some("it is a well-known placeholder");
    }
    if let [first @ (b'"' | b'\''), .., last] = bytes {
        if first == last {
            return Some(
                "it is still wrapped in quotes, which its loader kept (as docker --env-file does)",
            );
        }
    }
    if PREFIXES.iter().any(|words| {
        phrase_at(bytes, 0, words).is_some_and(|end| end == bytes.len() || is_separator(bytes[end]))
    }) {
        return Some("it starts with a placeholder word (your-, change-, example-, todo-...)");
    }
    if (0..bytes.len()).any(|at| {
        PHRASES
            .iter()
            .any(|words| phrase_at(bytes, at, words).is_some())
    }) {
        return Some("it contains a placeholder phrase (change-me, your-secret, key-here...)");
    }
    if !bytes.is_empty() && repeated(bytes) {
        return Some("it is one word or character repeated");
    }
    None
}

/// Where `words` end when they match `bytes` at `at`, case-insensitively,
/// with at most one separator between two words.
fn phrase_at(bytes: &[u8], mut at: usize, words: &[&str]) -> Option<usize> {
    for (i, word) in words.iter().enumerate() {
        if i > 0 && bytes.get(at).copied().is_some_and(is_separator) {
            at += 1;
        }
        let end = at + word.len();
        if !bytes.get(at..end)?.eq_ignore_ascii_case(word.as_bytes()) {
            return None;
        }
        at = end;
    }
    Some(at)
}

/// Whether `bytes`, separators ignored and case folded, repeats one unit of
/// 1 to 16 characters at least twice (a last partial repetition allowed), or
/// is nothing but separators.
fn repeated(bytes: &[u8]) -> bool {
    let letters = || {
        bytes
            .iter()
            .filter(|b| !is_separator(**b))
            .map(u8::to_ascii_lowercase)
    };
    let count = letters().count();
    count == 0
        || (1..=MAX_PERIOD)
            .filter(|period| count >= 2 * period)
            .any(|period| letters().zip(letters().skip(period)).all(|(a, b)| a == b))
}
