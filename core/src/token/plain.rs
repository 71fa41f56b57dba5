//! Runs of string bytes that JSON leaves as they are: shared by the claims
//! scanner (where a string may end) and the claims writer (what needs no
//! escaping), so that both agree on the one definition.

/// The position of the first byte of `word` (little-endian order) that is a
/// quote, a backslash or a control byte, if any.
#[inline]
pub(crate) fn first_special(word: [u8; 8]) -> Option<usize> {
    let found = special(u64::from_le_bytes(word));
    (found != 0).then(|| found.trailing_zeros() as usize / 8)
}

/// The high bit of each byte of `word` that is a quote, a backslash or a
/// control byte: the lowest set bit is exact (a zero byte, after the XOR, or
/// one below 0x20); bytes above it may be flagged falsely, so the result is
/// zero exactly when no byte is special.
#[inline]
fn special(word: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    word.wrapping_sub(ONES * 0x20) & !word & HIGHS
        | zeros(word ^ (ONES * u64::from(b'"')))
        | zeros(word ^ (ONES * u64::from(b'\\')))
}

/// The length of the leading run of `bytes` with no quote, backslash or
/// control byte (below 0x20), tested eight bytes at a time: exactly the
/// bytes a JSON string holds unescaped, and that serde_json writes as they are.
#[inline]
pub(crate) fn plain_run(bytes: &[u8]) -> usize {
    let Some(tail) = bytes.len().checked_sub(8) else {
        // Fewer than eight: one word, the bytes low, plain padding high.
        let padded = bytes
            .iter()
            .rev()
            .fold(u64::from_le_bytes([b'a'; 8]), |word, &b| {
                word << 8 | u64::from(b)
            });
        return first_special(padded.to_le_bytes()).map_or(bytes.len(), |at| at.min(bytes.len()));
    };
    let mut words = bytes.chunks_exact(8);
    let mut run = 0;
    for chunk in &mut words {
        if let Some(at) = first_special(chunk.try_into().unwrap_or_default()) {
            return run + at;
        }
        run += 8;
    }
    // The last few bytes: the last eight, overlapping plain bytes already
    // tested (which set no bit, and carry no borrow into the others).
    if words.remainder().is_empty() {
        return run;
    }
    let last = bytes[tail..].try_into().unwrap_or_default();
    first_special(last).map_or(bytes.len(), |at| tail + at)
}

/// Whether every byte of `bytes` is plain ([`plain_run`] reaches the end),
/// without a loop for up to 16 bytes: the test is the same whichever bytes
/// a word repeats, so overlapping reads cover every length.
#[inline(always)]
pub(crate) fn is_plain(bytes: &[u8]) -> bool {
    let len = bytes.len();
    let u32_at = |at: usize| match bytes.get(at..at + 4) {
        Some(&[a, b, c, d]) => u64::from(u32::from_le_bytes([a, b, c, d])),
        _ => 0,
    };
    let u64_at = |at: usize| match bytes.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
        _ => 0,
    };
    let word = match len {
        0 => return true,
        1..=3 => {
            let byte = |at: usize| u64::from(bytes[at]);
            // Padded with plain 'a's.
            byte(0) | byte(len / 2) << 8 | byte(len - 1) << 16 | 0x6161_6161_6100_0000
        }
        4..=7 => u32_at(0) | u32_at(len - 4) << 32,
        8..=16 => {
            return special(u64_at(0)) | special(u64_at(len - 8)) == 0;
        }
        _ => return plain_run(bytes) == len,
    };
    special(word) == 0
}
