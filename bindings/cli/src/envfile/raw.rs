//! A raw environment dump (`env`, `printenv`, `kubectl exec ... env`): one
//! `NAME=value` per line, the name before the first `=`, the value after it
//! verbatim. Nothing is quoted, unescaped, trimmed or expanded; `#` is not a
//! comment. Empty lines are skipped. A line without `=` is refused (it is
//! the continuation of a value holding a line break, which a dump cannot
//! show unambiguously), as are an empty name, a CR and a byte-order mark.

use super::text::secret;
use super::{EnvError, Pair, Parsed};

/// Reads a raw `NAME=value` dump.
pub fn parse(text: &str) -> Parsed {
    if text.starts_with('\u{feff}') {
        return Err(EnvError::new(1, "a byte-order mark (an env dump has none)"));
    }
    let mut pairs = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        if raw.contains('\r') {
            return Err(EnvError::new(
                line,
                "a CR (an env dump's lines end with LF)",
            ));
        }
        if raw.is_empty() {
            continue;
        }
        match raw.split_once('=') {
            Some((name, value)) if !name.is_empty() => pairs.push(Pair {
                name: name.to_owned(),
                value: secret(value.as_bytes()),
                line,
            }),
            Some(_) => return Err(EnvError::new(line, "no name before '='")),
            None => {
                return Err(EnvError::new(
                    line,
                    "a line without '=' (a value with a line break, which a dump cannot show unambiguously)",
                ))
            }
        }
    }
    Ok(pairs)
}
