//! Host input, converted for the core: env files (crate::envfile), the process
//! environment, secret-store files, report files, tokens and the clock.
//!
//! Every failure here is bad input: a one-line message naming the file or the
//! argument (exit 2). No message ever quotes a value read from a file, since
//! any line of an env file may hold a secret.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use jwt_accord::fs::StdFiles;
use jwt_accord::{resolve_with, seconds_from_f64, Inputs, Resolution};
use serde_json::Value;
use zeroize::Zeroizing;

use jwt_accord_cli::envfile::{self, Format};

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
/// of a name winning, as in a shell. Values may be secrets: wiped when dropped.
pub type Variables = Vec<(String, Zeroizing<String>)>;

/// Secret-store entries as the core reads them, the last of a name winning;
/// values wiped when dropped.
pub type Store = Vec<(String, Zeroizing<String>)>;

/// Where a service's store entries come from (docs/spec.md §15).
pub enum StoreInput {
    /// No store given: `CREDENTIALS_DIRECTORY`, when set, is the store.
    Absent,
    /// `--store-file`: entries already fetched.
    Entries(Store),
    /// `--secret-dir`: a directory store, one file per entry.
    Directory(String),
}

/// A service's variables and store, and what to call them in messages.
pub struct Snapshot {
    /// The env file's path, or `process environment`.
    pub label: String,
    pub variables: Variables,
    pub store: StoreInput,
}

impl Snapshot {
    /// Reads what `args` names: the env file (or the process environment) and
    /// the store file or directory.
    pub fn read(args: &SecretArgs) -> Input<Snapshot> {
        let (label, variables) = match &args.env_file {
            Some(path) => (display(path), read_env_file(path, args.env_format.format)?),
            None => ("process environment".to_owned(), process_environment()?),
        };
        let store = match (&args.store_file, &args.secret_dir) {
            (Some(path), _) => StoreInput::Entries(read_store_file(path)?),
            (None, Some(dir)) => StoreInput::Directory(
                dir.to_str()
                    .ok_or_else(|| bad(format!("--secret-dir {}: not UTF-8", display(dir))))?
                    .to_owned(),
            ),
            (None, None) => StoreInput::Absent,
        };
        Ok(Snapshot {
            label,
            variables,
            store,
        })
    }

    /// One env file, no store (so its `CREDENTIALS_DIRECTORY` applies).
    pub fn env_file(path: &Path, format: Option<Format>) -> Input<Snapshot> {
        Ok(Snapshot {
            label: display(path),
            variables: read_env_file(path, format)?,
            store: StoreInput::Absent,
        })
    }

    /// The core's resolution of this snapshot. `_FILE` variables and directory
    /// stores are read by the core's `StdFiles`, paths exactly as given: a
    /// relative path is relative to the current directory, as it is for the
    /// service that reads it (docs/decisions.md).
    pub fn resolve(&self, environment: Option<&str>) -> jwt_accord::Result<Resolution> {
        let store = match &self.store {
            StoreInput::Absent => jwt_accord::Store::Absent,
            StoreInput::Entries(entries) => jwt_accord::Store::Entries(entries),
            StoreInput::Directory(dir) => jwt_accord::Store::Directory(dir),
        };
        resolve_with(&Inputs {
            variables: &self.variables,
            store,
            files: &StdFiles,
            environment,
        })
    }
}

/// A path as shown in messages.
pub fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The most bytes the CLI reads from any file or from standard input (env,
/// store, report files and a token on stdin): 1 MiB. Reads stop one byte past
/// it, so `/dev/zero` or a huge file cannot exhaust memory.
pub const READ_LIMIT: u64 = envfile::MAX_BYTES as u64;

/// At most `limit` bytes from `source`, or a message naming `what` and the
/// limit. Reads `limit + 1` bytes at most, into a buffer wiped when dropped
/// whose capacity is reserved up front, so it never grows: no reallocation
/// leaves an unwiped copy of a file's secrets behind.
pub fn read_capped(source: impl Read, limit: u64, what: &str) -> Input<Zeroizing<Vec<u8>>> {
    let capacity =
        usize::try_from(limit + 1).map_err(|_| bad(format!("{what}: limit too large")))?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(capacity));
    source
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("cannot read {what}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(bad(format!(
            "{what} is larger than {limit} bytes (1 MiB); jwt-accord reads at most that"
        )));
    }
    Ok(bytes)
}

/// Reads at most [`READ_LIMIT`] + 1 bytes (through [`read_capped`]), so
/// `/dev/zero` or a huge file is refused at once instead of filling memory
/// (docs/spec.md §18). The text is the read buffer itself, converted in place,
/// and wiped when dropped, on the error path too.
fn read_text(path: &Path, what: &str) -> Input<Zeroizing<String>> {
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
        return Err(cannot(std::io::Error::other("a directory")));
    }
    let mut bytes = read_capped(file, READ_LIMIT, &format!("{what} {}", display(path)))?;
    into_text(&mut bytes).map_err(|(valid, bytes)| {
        let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
        bad(format!(
            "{what} {} line {line}: not UTF-8 text (byte {valid})",
            display(path),
        ))
    })
}

/// `bytes` as text, converted in place (no copy), wiped when dropped; or the
/// length of the valid UTF-8 prefix and the bytes, still in a wiped buffer.
fn into_text(
    bytes: &mut Zeroizing<Vec<u8>>,
) -> Result<Zeroizing<String>, (usize, Zeroizing<Vec<u8>>)> {
    String::from_utf8(std::mem::take(&mut **bytes))
        .map(Zeroizing::new)
        .map_err(|e| (e.utf8_error().valid_up_to(), Zeroizing::new(e.into_bytes())))
}

/// Reads an env file by `format`'s rules (default: where python-dotenv,
/// Node's dotenv and docker agree), without touching the process environment.
pub fn read_env_file(path: &Path, format: Option<Format>) -> Input<Variables> {
    // The whole file may be secrets: wiped once parsed.
    let text = read_text(path, "env file")?;
    parse_env(path, &text, format)
}

/// The pairs of an env file's text; a refusal names the file and the line,
/// never the text.
fn parse_env(path: &Path, text: &str, format: Option<Format>) -> Input<Variables> {
    envfile::parse(text, format)
        .map(|pairs| pairs.into_iter().map(|p| (p.name, p.value)).collect())
        .map_err(|e| bad(format!("env file {} {e}", display(path))))
}

/// The process environment's variables that jwt-accord may read (`ENVIRONMENT`,
/// `CREDENTIALS_DIRECTORY` and `JWT_SECRET*`), and nothing else. A value that is not UTF-8 keeps U+FFFD
/// in place of the bad bytes, so the core refuses it (`invalid_value`) exactly
/// when it reads the name, as every build does. Such a name set twice in the
/// raw environment is refused: the CLI would read one occurrence and a service
/// perhaps the other (`getenv` and Node take the first, this list the last).
pub fn process_environment() -> Input<Variables> {
    let mut pairs = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (name, value) in std::env::vars_os() {
        let Ok(name) = name.into_string() else {
            continue;
        };
        if name != jwt_accord::ENVIRONMENT_VARIABLE
            && name != jwt_accord::CREDENTIALS_DIRECTORY
            && !name.starts_with("JWT_SECRET")
        {
            continue;
        }
        if !seen.insert(name.clone()) {
            return Err(bad(format!(
                "environment variable {name} is set more than once in the process environment; \
                 programs disagree on which one they read, so jwt-accord refuses to choose"
            )));
        }
        // Moved, not copied, into a wiped buffer (a copy only for the rare
        // value that is not UTF-8).
        let value = value
            .into_string()
            .unwrap_or_else(|raw| raw.to_string_lossy().into_owned());
        pairs.push((name, Zeroizing::new(value)));
    }
    Ok(pairs)
}

/// Secret-store entries: a JSON object of strings, or `name=value` lines (one
/// per line, `#` comments; a value quoted or not, read where python-dotenv
/// and Node's dotenv agree, as [`envfile::parse_store`] says). Store names
/// such as `jwt-secret-staging` hold `-`, which env-file names cannot.
pub fn read_store_file(path: &Path) -> Input<Store> {
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
                Value::String(s) => Ok((name, Zeroizing::new(s))),
                _ => Err(bad(format!(
                    "store file {shown}: entry {name:?} must be a string"
                ))),
            })
            .collect();
    }
    // Not read by any service's loader: quotes work where python-dotenv and
    // Node's dotenv agree, and every other line must be `name=value`.
    let pairs = envfile::parse_store(&text).map_err(|e| bad(format!("store file {shown} {e}")))?;
    Ok(pairs.into_iter().map(|p| (p.name, p.value)).collect())
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

pub fn read_service_file(path: &Path, format: Option<Format>) -> Input<ServiceFile> {
    let text = read_text(path, "file")?;
    if is_json(path, &text) {
        return Ok(ServiceFile::Report(read_report_file(path, &text)?));
    }
    let variables = parse_env(path, &text, format)?;
    Ok(ServiceFile::Env(Snapshot {
        label: display(path),
        variables,
        store: StoreInput::Absent,
    }))
}

/// The token argument: `-` reads standard input (surrounding whitespace
/// dropped, as a shell pipe adds a newline).
pub fn token(arg: &str) -> Input<String> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let mut bytes = read_capped(
        std::io::stdin().lock(),
        READ_LIMIT,
        "the token on standard input",
    )?;
    let text =
        into_text(&mut bytes).map_err(|_| bad("the token on standard input is not UTF-8 text"))?;
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
    fn env_errors_name_the_file_and_line_not_its_text() {
        let path = Path::new("x.env");
        let text = "ENVIRONMENT=staging\nJWT_SECRET_KEY=abc\nJWT_SECRET=v$Ab12-secret-ish\n";
        let message = parse_env(path, text, None).unwrap_err().0;
        assert!(message.starts_with("env file x.env line 3: "), "{message}");
        assert!(!message.contains("Ab12"), "{message}");
    }

    #[test]
    fn env_pairs_keep_order_and_duplicates() {
        let pairs = parse_env(Path::new("x.env"), "A=1\n# c\nB=x y\nA=2\n", None).unwrap();
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(pairs, vec![("A", "1"), ("B", "x y"), ("A", "2")]);
    }

    #[test]
    fn read_capped_reserves_its_buffer_up_front() {
        // A buffer that grew would free its old allocations unwiped: the
        // capacity is the limit + 1 from the start and the read never moves it.
        let text = vec![b'k'; 1000];
        let bytes = read_capped(text.as_slice(), 4096, "x").unwrap();
        assert_eq!(bytes.as_slice(), text.as_slice());
        assert_eq!(bytes.capacity(), 4097);
        let full = vec![b'k'; 4096];
        let bytes = read_capped(full.as_slice(), 4096, "x").unwrap();
        assert_eq!((bytes.len(), bytes.capacity()), (4096, 4097));
        assert!(read_capped(vec![b'k'; 4097].as_slice(), 4096, "x").is_err());
    }

    #[test]
    fn text_is_converted_in_place_and_errors_keep_the_wiped_buffer() {
        let mut bytes = read_capped(&b"A=1\n"[..], 64, "x").unwrap();
        let start = bytes.as_ptr();
        let text: Zeroizing<String> = into_text(&mut bytes).unwrap();
        assert_eq!((text.as_str(), text.as_ptr()), ("A=1\n", start));
        let mut bytes = read_capped(&b"A=1\nB=\xff\n"[..], 64, "x").unwrap();
        let (valid, kept): (usize, Zeroizing<Vec<u8>>) = into_text(&mut bytes).unwrap_err();
        assert_eq!((valid, kept.len()), (6, 8));
    }

    #[test]
    fn process_values_and_store_entries_are_wiped_buffers() {
        // The types are the test: a plain String here would be freed unwiped.
        let variables: Variables = process_environment().unwrap();
        let _: Option<&Zeroizing<String>> = variables.first().map(|(_, v)| v);
        let store: Store = Store::new();
        let _: Option<&Zeroizing<String>> = store.first().map(|(_, v)| v);
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
