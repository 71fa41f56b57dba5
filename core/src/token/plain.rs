//! Runs of string bytes that JSON leaves as they are: shared by the claims
//! scanner (where a string may end) and the claims writer (what needs no
//! escaping), so that both agree on the one definition.

/// The position of the first byte of `word` (little-endian order) that is a
/// quote, a backslash or a control byte, if any.
#[inline]
pub(crate) fn first_special(word: [u8; 8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    // Each test sets the high bit of the bytes it finds: the lowest set bit
    // is exact (a zero byte, after the XOR, or one below 0x20); bytes after
    // it may be flagged falsely, which does not matter.
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let word = u64::from_le_bytes(word);
    let special = word.wrapping_sub(ONES * 0x20) & !word & HIGHS
        | zeros(word ^ (ONES * u64::from(b'"')))
        | zeros(word ^ (ONES * u64::from(b'\\')));
    (special != 0).then(|| special.trailing_zeros() as usize / 8)
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
