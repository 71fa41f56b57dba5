//! `docker run --env-file` (docker/cli `pkg/kvfile`, `opts.ParseEnvFile`), from the
//! docker run reference ("each line in `VAR=VAL` format, mimicking `--env`;
//! comment lines need only be prefixed with `#`; a variable without `=`
//! takes its value from the local environment"):
//!
//! - lines end at LF; a CR before the LF is dropped, any other CR is kept;
//!   a byte-order mark is dropped from the first line;
//! - leading whitespace is dropped; empty lines and lines starting with `#`
//!   are skipped (a `#` anywhere else is part of the value);
//! - the name is everything before the first `=` and may not contain a space
//!   or tab; the value is everything after it, kept verbatim: no quotes are
//!   removed, no escapes or `$` expanded, trailing whitespace kept;
//! - a line without `=` copies the variable from the host running docker, so
//!   it is refused here; a line over 64 KiB is refused, as docker refuses it.

use super::text::{secret, string, strip_bom};
use super::{EnvError, Pair, Parsed};

/// The longest line docker's line scanner accepts (bufio.MaxScanTokenSize
/// with its line end).
const MAX_LINE: usize = 64 * 1024 - 1;

/// Reads `text` as `docker run --env-file` does.
pub fn parse(text: &str) -> Parsed {
    match read(text, true) {
        (pairs, None) => Ok(pairs),
        (_, Some(e)) => Err(e),
    }
}

/// The pairs docker reads; `line_limit` false leaves out docker's 64 KiB line
/// limit (a capacity limit of docker, not a difference in meaning, so the
/// default reading does not apply it).
pub fn read(text: &str, line_limit: bool) -> (Vec<Pair>, Option<EnvError>) {
    let mut pairs = Vec::new();
    let body = strip_bom(text);
    for (index, raw) in body.split('\n').enumerate() {
        let line = index + 1;
        if line_limit && raw.len() > MAX_LINE {
            return (
                pairs,
                Some(EnvError::new(
                    line,
                    "line longer than 64 KiB (docker refuses it)",
                )),
            );
        }
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let content = raw.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let Some((name, value)) = content.split_once('=') else {
            return (
                pairs,
                Some(EnvError::new(
                    line,
                    "a name without '=' (docker copies the variable from the host's environment)",
                )),
            );
        };
        if name.contains([' ', '\t']) {
            return (
                pairs,
                Some(EnvError::new(
                    line,
                    "the name contains whitespace (docker refuses it)",
                )),
            );
        }
        if name.is_empty() {
            return (
                pairs,
                Some(EnvError::new(
                    line,
                    "no name before '=' (docker refuses it)",
                )),
            );
        }
        pairs.push(Pair {
            name: string(name.as_bytes()),
            value: secret(value.as_bytes()),
            line,
        });
    }
    (pairs, None)
}
