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

/// Appends the encoding of `bytes` to `out`.
pub fn encode_into(bytes: &[u8], out: &mut String) {
    // Native: base64-simd appends to the String itself (no UTF-8 pass).
    #[cfg(not(target_arch = "wasm32"))]
    base64_simd::URL_SAFE_NO_PAD.encode_append(bytes, out);
    #[cfg(target_arch = "wasm32")]
    {
        let mut ascii = vec![0; (bytes.len() * 4).div_ceil(3)];
        encode_scalar(bytes, &mut ascii);
        out.push_str(std::str::from_utf8(&ascii).unwrap_or_else(|_| unreachable!("ASCII")));
    }
}

/// The scalar encoder (the WASM build's; checked against the SIMD one).
#[cfg_attr(not(any(test, target_arch = "wasm32")), allow(dead_code))]
fn encode_scalar(bytes: &[u8], dst: &mut [u8]) {
    let sextet = |n: u32, shift: u32| ALPHABET[(n >> shift & 63) as usize];
    // Fixed-size groups by index: each write is a store (in WASM a slice's
    // `copy_from_slice` and `zip`'s step are calls, ~10% of a signature).
    for i in 0..(bytes.len() / 3).min(dst.len() / 4) {
        let [a, b, c] = group::<3>(bytes, i);
        let n = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        *group_mut::<4>(dst, i) = [sextet(n, 18), sextet(n, 12), sextet(n, 6), sextet(n, 0)];
    }
    // One or two bytes left: two or three characters.
    let rest = &bytes[bytes.len() / 3 * 3..];
    let whole = dst.len() / 4 * 4;
    let tail = &mut dst[whole..];
    if let Some(&first) = rest.first() {
        let n = u32::from(first) << 16 | rest.get(1).map_or(0, |&b| u32::from(b) << 8);
        let chars = [sextet(n, 18), sextet(n, 12), sextet(n, 6)];
        tail.copy_from_slice(&chars[..tail.len()]);
    }
}

/// The encoding of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    encode_into(bytes, &mut out);
    out
}

/// How many bytes `chars` characters of unpadded base64url decode to, when
/// that length is possible (not `4n + 1`).
pub fn decoded_len(chars: usize) -> Option<usize> {
    (chars % 4 != 1).then(|| chars / 4 * 3 + (chars % 4).saturating_sub(1))
}

/// Decodes canonical base64url: only the 64 alphabet characters, no padding,
/// no length of the form `4n + 1`, and zero bits after the last byte (so each
/// byte string has exactly one accepted encoding). `None` otherwise.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let len = decoded_len(text.len())?;
    // Native: into the Vec's spare capacity (malloc, not calloc, which
    // glibc serves without its thread cache).
    #[cfg(not(target_arch = "wasm32"))]
    {
        let mut out = Vec::with_capacity(len);
        base64_simd::URL_SAFE_NO_PAD
            .decode_append(text, &mut out)
            .ok()?;
        Some(out)
    }
    #[cfg(target_arch = "wasm32")]
    {
        let mut out = vec![0; len];
        decode_to(text, &mut out)?;
        Some(out)
    }
}

/// [`decode`] into `out`, which must be exactly [`decoded_len`] long: SIMD
/// on native targets, the scalar codec in the WASM module.
pub fn decode_to(text: &str, out: &mut [u8]) -> Option<()> {
    if decoded_len(text.len())? != out.len() {
        return None;
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        base64_simd::URL_SAFE_NO_PAD
            .decode(text.as_bytes(), base64_simd::Out::from_slice(out))
            .ok()
            .map(drop)
    }
    #[cfg(target_arch = "wasm32")]
    decode_scalar(text.as_bytes(), out)
}

/// Group `i` of `N` bytes of `bytes` (which holds it).
#[cfg_attr(not(any(test, target_arch = "wasm32")), allow(dead_code))]
#[inline(always)]
fn group<const N: usize>(bytes: &[u8], i: usize) -> [u8; N] {
    bytes[i * N..i * N + N].try_into().unwrap_or([0; N])
}

/// Group `i` of `N` bytes of `bytes`, to write.
#[cfg_attr(not(any(test, target_arch = "wasm32")), allow(dead_code))]
#[inline(always)]
fn group_mut<const N: usize>(bytes: &mut [u8], i: usize) -> &mut [u8; N] {
    <&mut [u8; N]>::try_from(&mut bytes[i * N..i * N + N])
        .unwrap_or_else(|_| unreachable!("a slice of N bytes"))
}

/// The scalar decoder (the WASM build's; checked against the SIMD one), for
/// `out` of the decoded length.
#[cfg_attr(not(any(test, target_arch = "wasm32")), allow(dead_code))]
fn decode_scalar(text: &[u8], out: &mut [u8]) -> Option<()> {
    // Every alphabet value is below 64 and `INVALID` is not: one test at
    // the end, on all the values ORed, instead of one per character.
    let mut seen = 0u8;
    let mut value = |c: u8| {
        let v = DECODE[usize::from(c)];
        seen |= v;
        u32::from(v)
    };
    for i in 0..(text.len() / 4).min(out.len() / 3) {
        let [c0, c1, c2, c3] = group::<4>(text, i);
        let n = value(c0) << 18 | value(c1) << 12 | value(c2) << 6 | value(c3);
        let [_, a, b, c] = n.to_be_bytes();
        *group_mut::<3>(out, i) = [a, b, c];
    }
    // Two or three characters left: one or two bytes, then bits that must be zero.
    let whole = out.len() / 3 * 3;
    let tail = &mut out[whole..];
    let stray = match text[text.len() / 4 * 4..] {
        [c0, c1] => {
            let [_, a, stray, _] = (value(c0) << 18 | value(c1) << 12).to_be_bytes();
            tail.copy_from_slice(&[a]);
            stray
        }
        [c0, c1, c2] => {
            let n = value(c0) << 18 | value(c1) << 12 | value(c2) << 6;
            let [_, a, b, stray] = n.to_be_bytes();
            tail.copy_from_slice(&[a, b]);
            stray
        }
        _ => 0,
    };
    (seen < 64 && stray == 0).then_some(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The scalar codec (shipped in the WASM module) agrees with the
        /// SIMD one on every byte string and on every text.
        #[test]
        fn scalar_agrees_with_simd(bytes in prop::collection::vec(any::<u8>(), 0..200),
                                   text in "[A-Za-z0-9_=+/. -]{0,90}") {
            let mut scalar = vec![0; (bytes.len() * 4).div_ceil(3)];
            encode_scalar(&bytes, &mut scalar);
            let encoded = encode(&bytes);
            prop_assert_eq!(encoded.as_bytes(), &scalar[..]);
            for text in [encoded.as_str(), text.as_str()] {
                let Some(len) = decoded_len(text.len()) else { continue };
                let (mut a, mut b) = (vec![0; len], vec![0; len]);
                let (x, y) = (decode_to(text, &mut a), decode_scalar(text.as_bytes(), &mut b));
                prop_assert_eq!(x, y, "{:?}", text);
                if x.is_some() {
                    prop_assert_eq!(&a, &b);
                }
            }
        }
    }
}
