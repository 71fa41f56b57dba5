//! Host input, converted for the core: env files (dotenvy), the process
//! environment, secret-store files, report files, tokens and the clock.
//!
//! Every failure here is bad input: a one-line message naming the file or the
//! argument (exit 2). No message ever quotes a value read from a file, since
//! any line of an env file may hold a secret.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use jwt_accord::{resolve, seconds_from_f64, Resolution};
use serde_json::Value;

use crate::args::SecretArgs;

/// Bad input: the message names the file or the argument. Exit status 2.
#[derive(Debug)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub type Input<T> = Result<T, InputError>;

fn bad(message: impl Into<String>) -> InputError {
    InputError(message.into())
}

/// Variables as the core reads them: (name, value) pairs, the last occurrence
/// of a name winning, as in a shell.
pub type Variables = Vec<(String, String)>;

/// A service's variables and store entries, and what to call them in messages.
pub struct Snapshot {
    /// The env file's path, or `process environment`.
    pub label: String,
    pub variables: Variables,
    pub store: BTreeMap<String, String>,
}

impl Snapshot {
    /// Reads what `args` names: the env file (or the process environment) and
    /// the store file.
    pub fn read(args: &SecretArgs) -> Input<Snapshot> {
        let (label, variables) = match &args.env_file {
            Some(path) => (display(path), read_env_file(path)?),
            None => ("process environment".to_owned(), process_environment()?),
        };
        let store = match &args.store_file {
            Some(path) => read_store_file(path)?,
            None => BTreeMap::new(),
        };
        Ok(Snapshot {
            label,
            variables,
            store,
        })
    }

    /// One env file, no store.
    pub fn env_file(path: &Path) -> Input<Snapshot> {
        Ok(Snapshot {
            label: display(path),
            variables: read_env_file(path)?,
            store: BTreeMap::new(),
        })
    }

    /// The core's resolution of this snapshot.
    pub fn resolve(&self, environment: Option<&str>) -> jwt_accord::Result<Resolution> {
        resolve(&self.variables, &self.store, environment)
    }
}

/// A path as shown in messages.
pub fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The most bytes the CLI reads from any file or from standard input (env,
/// store, report files and a token on stdin): 1 MiB. Reads stop one byte past
/// it, so `/dev/zero` or a huge file cannot exhaust memory.
pub const READ_LIMIT: u64 = 1024 * 1024;

/// At most `limit` bytes from `source`, or a message naming `what` and the
/// limit. Reads `limit + 1` bytes at most.
pub fn read_capped(source: impl Read, limit: u64, what: &str) -> Input<Vec<u8>> {
    let mut bytes = Vec::new();
    source
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("cannot read {what}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(bad(format!(
            "{what} is larger than {limit} bytes; jwt-accord reads at most that"
        )));
    }
    Ok(bytes)
}

fn read_text(path: &Path, what: &str) -> Input<String> {
    let cannot = |e: std::io::Error| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ if path.is_dir() => "it is a directory".to_owned(),
            _ => e.to_string(),
        };
        bad(format!("cannot read {what} {}: {reason}", display(path)))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    if path.is_dir() {
        return Err(cannot(std::io::Error::other("directory")));
    }
    let bytes = read_capped(file, READ_LIMIT, &format!("{what} {}", display(path)))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        bad(format!(
            "{what} {} is not UTF-8 text (byte {})",
            display(path),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// Parses an env file with dotenvy's iterator (quotes, escapes, `export`,
/// comments, `$VAR` substitution), without touching the process environment.
pub fn read_env_file(path: &Path) -> Input<Variables> {
    let text = read_text(path, "env file")?;
    parse_env(&text).map_err(|line| env_error(path, &line))
}

fn env_error(path: &Path, line: &str) -> InputError {
    bad(format!(
        "env file {}: {line} is not a NAME=value line (values with spaces, # or $ need quotes)",
        display(path)
    ))
}

/// The pairs of an env file; on failure, where (`line N`), never what.
fn parse_env(text: &str) -> Result<Variables, String> {
    let mut pairs = Vec::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok(pair) => pairs.push(pair),
            Err(dotenvy::Error::LineParse(line, _)) => {
                // Locate the line to name its number; its text may hold a secret.
                let at_line_start = |(offset, _): &(usize, &str)| {
                    let before = text[..*offset].trim_end_matches([' ', '\t']);
                    before.is_empty() || before.ends_with('\n')
                };
                return Err(match text.match_indices(line.trim()).find(at_line_start) {
                    Some((offset, _)) => {
                        format!("line {}", text[..offset].matches('\n').count() + 1)
                    }
                    None => "a line".to_owned(),
                });
            }
            Err(_) => return Err("a line".to_owned()),
        }
    }
    Ok(pairs)
}

/// The process environment, as UTF-8 pairs. A variable that is not UTF-8 is
/// skipped, unless jwt-accord would read it.
pub fn process_environment() -> Input<Variables> {
    let mut pairs = Vec::new();
    for (name, value) in std::env::vars_os() {
        match (name.into_string(), value.into_string()) {
            (Ok(name), Ok(value)) => pairs.push((name, value)),
            (Ok(name), Err(_)) if name.starts_with("JWT_SECRET") || name == "ENVIRONMENT" => {
                return Err(bad(format!(
                    "environment variable {name} is not valid UTF-8"
                )));
            }
            _ => {}
        }
    }
    Ok(pairs)
}

/// Secret-store entries: a JSON object of strings, or `name=value` lines (one
/// per line, `#` comments; the value unquoted as in an env file). Store names
/// such as `jwt-secret-staging` hold `-`, which env-file names cannot.
pub fn read_store_file(path: &Path) -> Input<BTreeMap<String, String>> {
    let text = read_text(path, "store file")?;
    let shown = display(path);
    if is_json(path, &text) {
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| bad(format!("store file {shown} is not valid JSON: {e}")))?;
        let Value::Object(map) = value else {
            return Err(bad(format!(
                "store file {shown} must be a JSON object of names to strings"
            )));
        };
        return map
            .into_iter()
            .map(|(name, value)| match value {
                Value::String(s) => Ok((name, s)),
                _ => Err(bad(format!(
                    "store file {shown}: entry {name:?} must be a string"
                ))),
            })
            .collect();
    }
    let mut entries = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let unreadable = || {
            bad(format!(
                "store file {shown}: line {} is not a name=value line",
                index + 1
            ))
        };
        let (name, rest) = trimmed.split_once('=').ok_or_else(unreadable)?;
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(unreadable());
        }
        // The value goes through dotenvy, so quoting works as in an env file.
        let mut parsed =
            parse_env(&format!("V={}", rest.trim_start())).map_err(|_| unreadable())?;
        let value = parsed.pop().map(|(_, v)| v).unwrap_or_default();
        entries.insert(name.to_owned(), value);
    }
    Ok(entries)
}

/// Whether a file holds JSON: by extension, else by its first character (an
/// env file cannot start with `{`).
pub fn is_json(path: &Path, text: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{')
}

/// What a `SERVICE[:ROLE]=FILE` argument names.
pub struct ServiceArg {
    pub service: String,
    pub role: Option<String>,
    pub path: PathBuf,
}

/// Parses `SERVICE=FILE`, or `SERVICE:ROLE=FILE` when `roles` is true.
pub fn service_arg(arg: &str, roles: bool) -> Input<ServiceArg> {
    let form = if roles {
        "SERVICE[:ROLE]=FILE"
    } else {
        "SERVICE=FILE"
    };
    let wrong = || bad(format!("argument {arg:?} is not {form}"));
    let (name, file) = arg.split_once('=').ok_or_else(wrong)?;
    let (service, role) = match name.split_once(':') {
        Some((service, role)) if roles => (service, Some(role)),
        Some(_) => return Err(wrong()),
        None => (name, None),
    };
    if service.is_empty() || file.is_empty() {
        return Err(wrong());
    }
    if let Some(role) = role {
        if role != "issuer" && role != "verifier" {
            return Err(bad(format!(
                "argument {arg:?}: role must be issuer or verifier, not {role:?}"
            )));
        }
    }
    Ok(ServiceArg {
        service: service.to_owned(),
        role: role.map(str::to_owned),
        path: PathBuf::from(file),
    })
}

/// A report JSON file (`resolve --json`, a binding's `to_json()`), as a value.
pub fn read_report_file(path: &Path, text: &str) -> Input<Value> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "report file {} is not valid JSON: {e}",
            display(path)
        ))
    })?;
    if !value.is_object() {
        return Err(bad(format!(
            "report file {} must hold a JSON object",
            display(path)
        )));
    }
    Ok(value)
}

/// Reads a file that is either an env file or a report JSON file.
pub enum ServiceFile {
    Env(Snapshot),
    Report(Value),
}

pub fn read_service_file(path: &Path) -> Input<ServiceFile> {
    let text = read_text(path, "file")?;
    if is_json(path, &text) {
        return Ok(ServiceFile::Report(read_report_file(path, &text)?));
    }
    let variables = parse_env(&text).map_err(|line| env_error(path, &line))?;
    Ok(ServiceFile::Env(Snapshot {
        label: display(path),
        variables,
        store: BTreeMap::new(),
    }))
}

/// The token argument: `-` reads standard input (surrounding whitespace
/// dropped, as a shell pipe adds a newline).
pub fn token(arg: &str) -> Input<String> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let bytes = read_capped(
        std::io::stdin().lock(),
        READ_LIMIT,
        "the token on standard input",
    )?;
    let text = String::from_utf8(bytes)
        .map_err(|_| bad("the token on standard input is not UTF-8 text"))?;
    Ok(text.trim().to_owned())
}

/// `--now`, or the system clock, converted as every binding does.
pub fn now(arg: Option<f64>) -> Input<i64> {
    let seconds = match arg {
        Some(s) => s,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| bad("the system clock is before 1970"))?
            .as_secs_f64(),
    };
    seconds_from_f64(seconds)
        .ok_or_else(|| bad("--now must be a finite number of seconds since the epoch"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_errors_name_the_line_not_its_text() {
        let text = "ENVIRONMENT=staging\nJWT_SECRET_KEY=abc\nthis line is wrong and-secret-ish\n";
        assert_eq!(parse_env(text).unwrap_err(), "line 3");
        let text = "# wrong line\nA=1\n  wrong line\n";
        assert_eq!(parse_env(text).unwrap_err(), "line 3");
    }

    #[test]
    fn env_pairs_keep_order_and_duplicates() {
        let pairs = parse_env("A=1\n# c\nexport B='x y'\nA=2\n").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("A".into(), "1".into()),
                ("B".into(), "x y".into()),
                ("A".into(), "2".into())
            ]
        );
    }

    #[test]
    fn service_args() {
        let a = service_arg("auth:issuer=x.env", true).unwrap();
        assert_eq!(
            (a.service.as_str(), a.role.as_deref()),
            ("auth", Some("issuer"))
        );
        assert!(service_arg("auth:boss=x.env", true).is_err());
        assert!(service_arg("auth:issuer=x.env", false).is_err());
        assert!(service_arg("x.env", true).is_err());
        assert!(service_arg("=x.env", true).is_err());
    }

    #[test]
    fn now_rejects_non_finite() {
        assert!(now(Some(f64::NAN)).is_err());
        assert_eq!(now(Some(1_700_000_000.9)).unwrap(), 1_700_000_000);
    }
}
