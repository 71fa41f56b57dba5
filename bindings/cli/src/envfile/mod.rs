//! Env files read the way the services' own loaders read them, or refused
//! (docs/spec.md §18).
//!
//! Pure: text in, ordered `(name, value, line)` pairs or an error naming the
//! line out. Nothing here reads a file or the process environment, so no value
//! ever depends on the shell the CLI runs in. Every reader is linear in the
//! size of the text.
//!
//! Each format either gives exactly what its loader gives, or refuses the line
//! ("exact or refuse"): where a loader's result would depend on something the
//! file does not hold (the host environment), or where its rules are not
//! pinned down by its documentation, the reader refuses rather than guesses.
//! The default ([`parse`] with `None`) accepts a file only where python-dotenv,
//! Node's dotenv and Docker's `--env-file` give the same pairs.

mod agree;
mod compose;
mod docker;
mod node;
mod python;
mod raw;
mod systemd;
mod text;

use std::fmt;

use zeroize::Zeroizing;

/// The largest env file read, in bytes (docs/spec.md §18): larger ones are refused.
pub const MAX_BYTES: usize = 1 << 20;

/// One assignment: the name, the value as the loader sets it, and the
/// 1-based line where the assignment starts.
#[derive(Clone, PartialEq, Eq)]
pub struct Pair {
    /// The variable's name.
    pub name: String,
    /// The value the loader would set (may be a secret: never printed, and
    /// wiped when dropped).
    pub value: Zeroizing<String>,
    /// The line where the assignment starts (1-based).
    pub line: usize,
}

impl fmt::Debug for Pair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The value may be a secret: only its length is shown.
        write!(
            f,
            "Pair({:?}, <{} bytes>, line {})",
            self.name,
            self.value.len(),
            self.line
        )
    }
}

/// Why a file is refused: the line and the construct, never a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvError {
    /// The 1-based line the refusal is about.
    pub line: usize,
    /// What is wrong there, without quoting the line.
    pub what: String,
}

impl EnvError {
    /// A refusal of `line` for `what`.
    pub(crate) fn new(line: usize, what: impl Into<String>) -> EnvError {
        EnvError {
            line,
            what: what.into(),
        }
    }
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.what)
    }
}

/// The result of reading a file.
pub type Parsed = Result<Vec<Pair>, EnvError>;

/// A loader whose rules a file is read by (`--env-format NAME`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// python-dotenv 1.x (`load_dotenv`, `dotenv_values`).
    PythonDotenv,
    /// Node's `dotenv` package (`dotenv.config()`, `dotenv.parse()`).
    NodeDotenv,
    /// `docker run --env-file`.
    Docker,
    /// Docker Compose `env_file:` and `.env`.
    Compose,
    /// systemd `EnvironmentFile=`.
    Systemd,
    /// A raw `NAME=value` dump, one per line (`env`, `kubectl exec ... env`).
    Env,
}

impl Format {
    /// Every format, in the order the docs list them.
    pub const ALL: [Format; 6] = [
        Format::PythonDotenv,
        Format::NodeDotenv,
        Format::Docker,
        Format::Compose,
        Format::Systemd,
        Format::Env,
    ];

    /// The name used on the command line and in the test table.
    pub fn name(self) -> &'static str {
        match self {
            Format::PythonDotenv => "python-dotenv",
            Format::NodeDotenv => "node-dotenv",
            Format::Docker => "docker",
            Format::Compose => "compose",
            Format::Systemd => "systemd",
            Format::Env => "env",
        }
    }

    /// The format a command-line name stands for.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Reads env-file text by `format`'s rules, or by default (`None`) where
/// python-dotenv, Node's dotenv and Docker agree.
pub fn parse(text: &str, format: Option<Format>) -> Parsed {
    text::check_characters(text)?;
    match format {
        None => agree::parse(text),
        Some(Format::PythonDotenv) => python::parse(text),
        Some(Format::NodeDotenv) => node::parse(text),
        Some(Format::Docker) => docker::parse(text),
        Some(Format::Compose) => compose::parse(text),
        Some(Format::Systemd) => systemd::parse(text),
        Some(Format::Env) => raw::parse(text),
    }
}

/// Reads a secret-store file's `name=value` lines: accepted where
/// python-dotenv and Node's dotenv agree (quotes work as in both), and every
/// line that is neither blank nor a `#` comment must be an assignment.
pub fn parse_store(text: &str) -> Parsed {
    text::check_characters(text)?;
    agree::parse_store(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every format hands its values over in wiped buffers (a plain `String`
    /// would be freed unwiped), and they hold what the loader reads.
    #[test]
    fn every_format_gives_values_in_wiped_buffers() {
        let text = "A=plain\nB='quoted'\n";
        for format in Format::ALL.into_iter().map(Some).chain([None]) {
            let Ok(pairs) = parse(text, format) else {
                continue;
            };
            let values: Vec<&Zeroizing<String>> = pairs.iter().map(|p| &p.value).collect();
            assert_eq!(values[0].as_str(), "plain", "{format:?}");
        }
        let pairs = parse("A=x\n", None).unwrap();
        let value: Zeroizing<String> = pairs.into_iter().next().unwrap().value;
        assert_eq!(value.as_str(), "x");
    }
}
