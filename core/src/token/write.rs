//! Writing claims as JSON text, byte for byte what serde_json writes
//! (compact, keys in map order), with strings that need no escaping copied
//! whole. serde_json's writer escapes byte by byte, the most of signing's
//! cost after the HMAC (benches/README.md, "Core speed, issue 21"); strings
//! that do need escaping, and numbers, are still written by serde_json.
//! `tests` below compares the two on generated values.

use serde::Serialize;
use serde_json::Value;

use super::plain::is_plain;

/// Why a write stopped short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The buffer has no room left: [`write_growing`] grows it and writes again.
    Full,
    /// Arrays and objects nest deeper than the limit.
    TooDeep,
}

/// Where the text written so far ends, or why it stopped.
pub(crate) type Written = Result<usize, Stop>;

/// The room every short write asks for past its position: a string of up to
/// 16 bytes and its quotes go in as fixed-size stores, whatever its length.
const SLACK: usize = 24;

/// The first buffer [`write_growing`] gives a writer (a token's claims fit).
const FIRST_ROOM: usize = 1024;

/// Runs `write` over `buf` from its start, growing `buf` (zero-filled, at
/// least doubled) until the text fits; returns what `write` returns. The writers
/// below take a slice and a position, not a `Vec`: their stores then need no
/// length or capacity kept in memory between them (a third of signing's
/// cost besides the HMAC was `Vec` bookkeeping).
///
/// # Errors
/// [`Stop::TooDeep`] from `write`.
pub(crate) fn write_growing<T>(
    buf: &mut Vec<u8>,
    mut write: impl FnMut(&mut [u8]) -> Result<T, Stop>,
) -> Result<T, Stop> {
    if buf.len() < FIRST_ROOM {
        buf.resize(FIRST_ROOM, 0);
    }
    loop {
        match write(buf) {
            Err(Stop::Full) => buf.resize(buf.len() * 2, 0),
            done => return done,
        }
    }
}

/// Writes `value` as compact JSON at `at`; [`Stop::TooDeep`] when it nests
/// arrays and objects deeper than `limit` levels, as
/// [`nests_deeper_than`](super::json::nests_deeper_than) counts them.
pub(crate) fn write_value(buf: &mut [u8], at: usize, value: &Value, limit: usize) -> Written {
    match value {
        Value::Null => put_short(buf, at, b"null"),
        Value::Bool(true) => put_short(buf, at, b"true"),
        Value::Bool(false) => put_short(buf, at, b"false"),
        // Integers (every time claim) formatted here, as serde_json formats
        // them (itoa); floats by serde_json.
        Value::Number(number) => match (number.as_u64(), number.as_i64()) {
            (Some(n), _) => put(buf, at, itoa::Buffer::new().format(n).as_bytes()),
            (None, Some(n)) => put(buf, at, itoa::Buffer::new().format(n).as_bytes()),
            _ => serde_write(buf, at, number),
        },
        Value::String(text) => write_str(buf, at, text, 0),
        Value::Array(items) => {
            let inner = limit.checked_sub(1).ok_or(Stop::TooDeep)?;
            let mut at = put_byte(buf, at, b'[')?;
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    at = put_byte(buf, at, b',')?;
                }
                at = write_value(buf, at, item, inner)?;
            }
            put_byte(buf, at, b']')
        }
        Value::Object(map) => {
            let inner = limit.checked_sub(1).ok_or(Stop::TooDeep)?;
            let mut at = put_byte(buf, at, b'{')?;
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    at = put_byte(buf, at, b',')?;
                }
                at = write_member(buf, at, key, item, inner)?;
            }
            put_byte(buf, at, b'}')
        }
    }
}

/// Writes `"key":value`, as [`write_value`].
pub(crate) fn write_member(
    buf: &mut [u8],
    at: usize,
    key: &str,
    value: &Value,
    limit: usize,
) -> Written {
    let at = write_str(buf, at, key, b':')?;
    write_value(buf, at, value, limit)
}

/// Writes `text` as a JSON string, then `and` unless it is 0.
#[inline(always)]
fn write_str(buf: &mut [u8], at: usize, text: &str, and: u8) -> Written {
    let bytes = text.as_bytes();
    let end = if !is_plain(bytes) {
        serde_write(buf, at, text)?
    } else if bytes.len() <= 16 {
        // Quote, bytes, quote and what follows in one window.
        let window = room(buf, at)?;
        window[0] = b'"';
        copy_short(window, 1, bytes);
        window[bytes.len() + 1] = b'"';
        window[bytes.len() + 2] = and;
        return Ok(at + bytes.len() + 2 + usize::from(and != 0));
    } else {
        let at = put_byte(buf, at, b'"')?;
        let at = put(buf, at, bytes)?;
        put_byte(buf, at, b'"')?
    };
    if and == 0 {
        return Ok(end);
    }
    put_byte(buf, end, and)
}

/// Writes the first `len` bytes of `padded` (at most 16) as one 16-byte store.
#[inline(always)]
pub(crate) fn put_padded(buf: &mut [u8], at: usize, padded: &[u8; 16], len: usize) -> Written {
    if let Some(to) = room(buf, at)?.get_mut(..16) {
        to.copy_from_slice(padded);
    }
    Ok(at + len)
}

/// Writes one byte.
#[inline(always)]
pub(crate) fn put_byte(buf: &mut [u8], at: usize, byte: u8) -> Written {
    *buf.get_mut(at).ok_or(Stop::Full)? = byte;
    Ok(at + 1)
}

/// Writes `bytes`: up to 16 as fixed-size stores, more by one copy.
#[inline(always)]
pub(crate) fn put(buf: &mut [u8], at: usize, bytes: &[u8]) -> Written {
    if bytes.len() <= 16 {
        return put_short(buf, at, bytes);
    }
    let end = at + bytes.len();
    buf.get_mut(at..end)
        .ok_or(Stop::Full)?
        .copy_from_slice(bytes);
    Ok(end)
}

/// Writes at most 16 `bytes` without a call to `memcpy`.
#[inline(always)]
fn put_short(buf: &mut [u8], at: usize, bytes: &[u8]) -> Written {
    copy_short(room(buf, at)?, 0, bytes);
    Ok(at + bytes.len())
}

/// The [`SLACK`] bytes of `buf` from `at`, or [`Stop::Full`].
#[inline(always)]
fn room(buf: &mut [u8], at: usize) -> Result<&mut [u8; SLACK], Stop> {
    buf.get_mut(at..at + SLACK)
        .and_then(|window| window.try_into().ok())
        .ok_or(Stop::Full)
}

/// Copies up to 16 `bytes` to `window` from `offset` (0 or 1) as two
/// overlapping fixed-size stores (a call to `memcpy` for each short string
/// was ~6% of a signature); longer `bytes` are not written (never passed).
#[inline(always)]
fn copy_short(window: &mut [u8; SLACK], offset: usize, bytes: &[u8]) {
    let len = bytes.len();
    match len {
        0 => {}
        1..=3 => {
            window[offset] = bytes[0];
            window[offset + len / 2] = bytes[len / 2];
            window[offset + len - 1] = bytes[len - 1];
        }
        4..=7 => {
            store::<4>(window, offset, bytes, 0);
            store::<4>(window, offset, bytes, len - 4);
        }
        8..=16 => {
            store::<8>(window, offset, bytes, 0);
            store::<8>(window, offset, bytes, len - 8);
        }
        _ => {}
    }
}

/// Copies the `N` bytes of `bytes` at `at` to `window` at `offset + at`, as
/// one fixed-size load and store.
#[inline(always)]
fn store<const N: usize>(window: &mut [u8; SLACK], offset: usize, bytes: &[u8], at: usize) {
    let to = window.get_mut(offset + at..offset + at + N);
    if let (Some(to), Some(from)) = (to, bytes.get(at..at + N)) {
        to.copy_from_slice(from);
    }
}

/// Writes what serde_json writes for `value` ([`Stop::Full`] when it does
/// not fit: a slice's writer reports that as an error, the only one).
fn serde_write<T: Serialize + ?Sized>(buf: &mut [u8], at: usize, value: &T) -> Written {
    let mut rest = buf.get_mut(at..).ok_or(Stop::Full)?;
    let room = rest.len();
    serde_json::to_writer(&mut rest, value).map_err(|_| Stop::Full)?;
    Ok(at + room - rest.len())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::arbitrary::any_value;
    use super::super::json::nests_deeper_than;
    use super::super::plain::plain_run;
    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Byte for byte what serde_json writes, and too deep exactly when
        /// `nests_deeper_than` says so; from a buffer of any first size, so
        /// that it fills at every place in the text.
        #[test]
        fn writes_what_serde_json_writes(
            value in any_value(),
            limit in 0usize..6,
            first in 0usize..80,
        ) {
            let want = serde_json::to_vec(&value).unwrap();
            prop_assert_eq!(write_small(&value, usize::MAX, first), Ok(want.clone()));
            let cut = write_small(&value, limit, first);
            prop_assert_eq!(cut.is_ok(), !nests_deeper_than(&value, limit));
            if let Ok(cut) = cut {
                prop_assert_eq!(cut, want);
            }
        }
    }

    /// `write_value` from a `first`-byte buffer grown an eighth at a time.
    fn write_small(value: &Value, limit: usize, first: usize) -> Result<Vec<u8>, Stop> {
        let mut buf = vec![0; first];
        loop {
            match write_value(&mut buf, 0, value, limit) {
                Ok(end) => return Ok(buf[..end].to_vec()),
                Err(Stop::Full) => buf.resize(buf.len() + buf.len() / 8 + 1, 0),
                Err(stop) => return Err(stop),
            }
        }
    }

    #[test]
    fn growing_doubles_until_the_text_fits() {
        let long = Value::from("x".repeat(5000));
        let mut buf = Vec::new();
        let end = write_growing(&mut buf, |buf| write_value(buf, 0, &long, 1)).unwrap();
        assert_eq!(&buf[..end], serde_json::to_vec(&long).unwrap());
        assert_eq!(buf.len(), 8 * FIRST_ROOM);
        let deep = serde_json::json!([[1]]);
        let stop = write_growing(&mut buf, |buf| write_value(buf, 0, &deep, 1));
        assert_eq!(stop, Err(Stop::TooDeep));
    }

    #[test]
    fn plain_runs_end_where_json_escapes() {
        for byte in 0..=255u8 {
            let escaped = byte < 0x20 || byte == b'"' || byte == b'\\';
            for at in 0..20 {
                let mut bytes = vec![b'a'; 20];
                bytes[at] = byte;
                let want = if escaped { at } else { 20 };
                assert_eq!(plain_run(&bytes), want, "byte {byte:#x} at {at}");
                // Every length, with the byte at every place in it or not in it.
                for len in 0..=20 {
                    let plain = is_plain(&bytes[..len]);
                    assert_eq!(
                        plain,
                        len <= at || !escaped,
                        "byte {byte:#x} at {at} of {len}"
                    );
                }
            }
        }
    }
}
