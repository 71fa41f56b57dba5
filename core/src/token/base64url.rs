//! Canonical base64url without padding (RFC 7515 section 2), the encoding of
//! every JWT segment.
//!
//! Written here rather than taken from the `base64` crate: its general-purpose
//! engine, built for throughput on large inputs, is ~7 KB of the WASM module,
//! while a JWT segment is a few hundred bytes and this codec is a lookup per
//! character. `tests/base64url.rs` checks it against the `base64` crate's
//! `URL_SAFE_NO_PAD` (a dev-dependency) on arbitrary bytes and strings.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Marks a byte that is not in the alphabet.
const INVALID: u8 = 0xff;

/// The 6-bit value of each byte, or [`INVALID`].
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Appends the encoding of `bytes` to `out` (ASCII bytes, written in place).
pub fn encode_into(bytes: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + (bytes.len() * 4).div_ceil(3), 0);
    let dst = &mut out[start..];
    let sextet = |n: u32, shift: u32| ALPHABET[(n >> shift & 63) as usize];
    let mut chunks = bytes.chunks_exact(3);
    let mut at = 0;
    for chunk in &mut chunks {
        let n = u32::from(chunk[0]) << 16 | u32::from(chunk[1]) << 8 | u32::from(chunk[2]);
        dst[at] = sextet(n, 18);
        dst[at + 1] = sextet(n, 12);
        dst[at + 2] = sextet(n, 6);
        dst[at + 3] = sextet(n, 0);
        at += 4;
    }
    // One or two bytes left: two or three characters.
    let rest = chunks.remainder();
    if let Some(&first) = rest.first() {
        let n = u32::from(first) << 16 | rest.get(1).map_or(0, |&b| u32::from(b) << 8);
        dst[at] = sextet(n, 18);
        dst[at + 1] = sextet(n, 12);
        if rest.len() == 2 {
            dst[at + 2] = sextet(n, 6);
        }
    }
}

/// The encoding of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    encode_into(bytes, &mut out);
    String::from_utf8(out).unwrap_or_else(|_| unreachable!("base64url is ASCII"))
}

/// Decodes canonical base64url: only the 64 alphabet characters, no padding,
/// no length of the form `4n + 1`, and zero bits after the last byte (so each
/// byte string has exactly one accepted encoding). `None` otherwise.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let value = |c: u8| match DECODE[usize::from(c)] {
        INVALID => None,
        v => Some(u32::from(v)),
    };
    let mut chunks = text.chunks_exact(4);
    for chunk in &mut chunks {
        let n = value(chunk[0])? << 18
            | value(chunk[1])? << 12
            | value(chunk[2])? << 6
            | value(chunk[3])?;
        let [_, a, b, c] = n.to_be_bytes();
        out.extend_from_slice(&[a, b, c]);
    }
    // Two or three characters left: one or two bytes, then bits that must be zero.
    match *chunks.remainder() {
        [c0, c1] => {
            let n = value(c0)? << 18 | value(c1)? << 12;
            let [_, a, stray, _] = n.to_be_bytes();
            if stray != 0 {
                return None;
            }
            out.push(a);
        }
        [c0, c1, c2] => {
            let n = value(c0)? << 18 | value(c1)? << 12 | value(c2)? << 6;
            let [_, a, b, stray] = n.to_be_bytes();
            if stray != 0 {
                return None;
            }
            out.extend_from_slice(&[a, b]);
        }
        _ => {}
    }
    Some(out)
}
