//! Environment names: normalisation, aliases and strictness (docs/spec.md §2).

use std::fmt;

use crate::error::{Error, ErrorCode, Result};
use crate::lookup::{holds_replacement, non_text, Lookup};
use crate::token::json::to_text;

/// The four known environments and their aliases, in the order of docs/spec.md §2.
pub(crate) const KNOWN: [(&str, &[&str]); 4] = [
    ("development", &["dev", "develop", "local"]),
    ("test", &["testing", "ci"]),
    ("staging", &["stage", "stg"]),
    ("production", &["prod", "prd", "live"]),
];

/// The variable read when no environment is passed explicitly.
pub const ENVIRONMENT_VARIABLE: &str = "ENVIRONMENT";

/// A canonical environment name, e.g. `staging` or a custom `preview-eu`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Environment(String);

impl Environment {
    /// Normalises a raw name: trims ASCII whitespace, lowercases ASCII letters,
    /// maps aliases (`prod` -> `production`) and checks custom names against
    /// `^[a-z][a-z0-9_-]{0,31}$`, refusing `key`, `next`, `previous`, `file`
    /// and names ending in `_next`, `_previous`, `_file`, `-next`,
    /// `-previous` or `-file` (docs/spec.md §14).
    ///
    /// # Errors
    /// `environment_missing` for a blank name, `environment_invalid` otherwise.
    pub fn parse(raw: &str) -> Result<Self> {
        let name = raw.trim_matches(is_ascii_space).to_ascii_lowercase();
        if name.is_empty() {
            return Err(missing());
        }
        for (canonical, aliases) in KNOWN {
            if name == canonical || aliases.contains(&name.as_str()) {
                return Ok(Environment(canonical.to_owned()));
            }
        }
        if !is_valid_custom_name(&name) {
            return Err(Error::new(
                ErrorCode::EnvironmentInvalid,
                format!(
                    "environment {} is not valid: use development, test, staging, production, \
                     one of their aliases, or a name matching ^[a-z][a-z0-9_-]{{0,31}}$",
                    quote(raw)
                ),
            )
            .with("value", truncate(raw, 64)));
        }
        if let Some(reason) = reserved(&name) {
            return Err(Error::new(
                ErrorCode::EnvironmentInvalid,
                format!("environment {} is reserved: {reason}", quote(raw)),
            )
            .with("value", truncate(raw, 64)));
        }
        if name == "key" {
            // JWT_SECRET_KEY and jwt-secret-key are resolution steps of their own.
            return Err(Error::new(
                ErrorCode::EnvironmentInvalid,
                "environment \"key\" is reserved: JWT_SECRET_KEY and jwt-secret-key are \
                 resolution steps of their own",
            )
            .with("value", "key"));
        }
        Ok(Environment(name))
    }

    /// The canonical name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used in variable names: upper case, `-` replaced by `_`.
    pub fn upper(&self) -> String {
        upper(&self.0)
    }

    /// Whether policy failures are errors here: every environment except
    /// `development` and `test`.
    pub fn is_strict(&self) -> bool {
        !matches!(self.0.as_str(), "development" | "test")
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where the environment came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvironmentOrigin {
    /// The explicit argument.
    Argument,
    /// The `ENVIRONMENT` variable.
    Variable,
}

impl EnvironmentOrigin {
    /// `argument` or `ENVIRONMENT`, as in the JSON form.
    pub const fn as_str(self) -> &'static str {
        match self {
            EnvironmentOrigin::Argument => "argument",
            EnvironmentOrigin::Variable => ENVIRONMENT_VARIABLE,
        }
    }
}

/// Picks the environment: the explicit argument when it is not blank, else the
/// `ENVIRONMENT` variable (docs/spec.md §2). Fails closed when neither is set.
///
/// # Errors
/// `environment_missing` or `environment_invalid`; `invalid_value` when the
/// `ENVIRONMENT` read holds U+FFFD.
pub fn select_environment<V: Lookup + ?Sized>(
    explicit: Option<&str>,
    variables: &V,
) -> Result<(Environment, EnvironmentOrigin)> {
    select(explicit, &variables)
}

/// [`select_environment`], compiled once for every kind of variables (the
/// WASM module holds one copy instead of one per `Lookup` type).
fn select(
    explicit: Option<&str>,
    variables: &dyn Lookup,
) -> Result<(Environment, EnvironmentOrigin)> {
    if let Some(raw) = explicit.filter(|raw| !is_blank(raw)) {
        return Ok((Environment::parse(raw)?, EnvironmentOrigin::Argument));
    }
    match variables.lookup(ENVIRONMENT_VARIABLE) {
        Some(raw) if holds_replacement(raw) => Err(non_text("variable", ENVIRONMENT_VARIABLE)),
        Some(raw) if !is_blank(raw) => Ok((Environment::parse(raw)?, EnvironmentOrigin::Variable)),
        _ => Err(missing()),
    }
}

fn missing() -> Error {
    Error::new(
        ErrorCode::EnvironmentMissing,
        "no environment: pass one explicitly or set ENVIRONMENT (development, test, staging, \
         production, ...); jwt-accord fails closed rather than guess",
    )
}

/// Names that would collide with a source's rotation companions or `_FILE`
/// variable (docs/spec.md §14, §15): `staging_next` gives `JWT_SECRET_STAGING_NEXT`,
/// and `next`, `previous`, `file` give `JWT_SECRET`'s own.
fn reserved(name: &str) -> Option<&'static str> {
    const SUFFIXES: [&str; 6] = ["_next", "_previous", "_file", "-next", "-previous", "-file"];
    if matches!(name, "next" | "previous" | "file") {
        return Some(
            "JWT_SECRET_NEXT, JWT_SECRET_PREVIOUS and JWT_SECRET_FILE are JWT_SECRET's rotation \
             companions and file variable",
        );
    }
    SUFFIXES.iter().any(|s| name.ends_with(s)).then_some(
        "names ending in _next, _previous, _file, -next, -previous or -file would collide with \
         rotation companions and _FILE variables",
    )
}

pub(crate) fn upper(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

pub(crate) fn is_ascii_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_blank(raw: &str) -> bool {
    raw.trim_matches(is_ascii_space).is_empty()
}

fn is_valid_custom_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (1..=32).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes[1..]
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// A short rendering of user input for messages, quoted and escaped as a
/// JSON string (the same in every host language).
pub(crate) fn quote(raw: &str) -> String {
    to_text(&truncate(raw, 64))
}

pub(crate) fn truncate(raw: &str, max_chars: usize) -> String {
    match raw.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}...", &raw[..end]),
        None => raw.to_owned(),
    }
}
