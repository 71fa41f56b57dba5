//! The resolution report, its JSON form and its one-line summary (docs/spec.md §7).

use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::environment::{Environment, EnvironmentOrigin};
use crate::error::Error;
use crate::secret::Secret;
use crate::token::json::to_text;
use crate::warning::Warning;

/// The `schema` value of the JSON form.
pub const RESOLUTION_SCHEMA: &str = "jwt-accord/resolution/v1";

/// What kind of source a secret came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A variable (`JWT_SECRET_<ENV>`, `JWT_SECRET_KEY`, `JWT_SECRET`).
    Variable,
    /// A secret-store entry (`jwt-secret-<env>`, `jwt-secret-key`, `jwt-secret`).
    Store,
    /// The derived development fallback.
    DevelopmentFallback,
}

impl SourceKind {
    /// `variable`, `store` or `development_fallback`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SourceKind::Variable => "variable",
            SourceKind::Store => "store",
            SourceKind::DevelopmentFallback => "development_fallback",
        }
    }
}

/// The source that won.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Its kind.
    pub kind: SourceKind,
    /// The variable or store-entry name, or `development_fallback`.
    pub name: String,
}

/// What became of one candidate source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It won.
    Used,
    /// It holds a usable value, but a higher-priority source won.
    Shadowed,
    /// It is set but empty after stripping whitespace.
    Empty,
    /// It is not set.
    NotSet,
}

impl Outcome {
    /// `used`, `shadowed`, `empty` or `not_set`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Used => "used",
            Outcome::Shadowed => "shadowed",
            Outcome::Empty => "empty",
            Outcome::NotSet => "not_set",
        }
    }
}

macro_rules! serialize_as_str {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    )*};
}
serialize_as_str!(SourceKind, Outcome, Environment, EnvironmentOrigin);

/// One source of docs/spec.md §3, as seen during resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// Its kind.
    pub kind: SourceKind,
    /// Its name.
    pub name: String,
    /// Whether it is set at all (an empty value counts as set).
    pub present: bool,
    /// The fingerprint of its stripped value, when it holds a usable one.
    pub fingerprint: Option<String>,
    /// What became of it.
    pub outcome: Outcome,
}

impl Candidate {
    pub(crate) fn new(
        kind: SourceKind,
        name: String,
        secret: Option<&Secret>,
        outcome: Outcome,
    ) -> Self {
        Candidate {
            kind,
            name,
            present: outcome != Outcome::NotSet,
            fingerprint: secret.map(|s| s.fingerprint().to_owned()),
            outcome,
        }
    }
}

/// A successful resolution: which source won, its fingerprint, warnings and
/// every candidate. The secret is reachable only through
/// [`Resolution::expose_secret`]; `Debug` and the JSON form never show it.
#[derive(Clone)]
pub struct Resolution {
    pub(crate) environment: Environment,
    pub(crate) environment_origin: EnvironmentOrigin,
    pub(crate) source: Source,
    pub(crate) secret: Secret,
    pub(crate) warnings: Vec<Warning>,
    pub(crate) candidates: Vec<Candidate>,
}

#[derive(Serialize)]
struct JsonForm<'a> {
    schema: &'static str,
    environment: &'a Environment,
    environment_source: EnvironmentOrigin,
    source: &'a Source,
    fingerprint: &'a str,
    warnings: &'a [Warning],
    candidates: &'a [Candidate],
}

impl Resolution {
    /// The canonical environment.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// Where the environment came from.
    pub fn environment_origin(&self) -> EnvironmentOrigin {
        self.environment_origin
    }

    /// The winning source.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The secret's fingerprint.
    pub fn fingerprint(&self) -> &str {
        self.secret.fingerprint()
    }

    /// Warnings, in the order they were found.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Every source of docs/spec.md §3, in order.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// The secret, as a [`Secret`] (whose `Debug` shows only the fingerprint).
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The secret bytes. The name is deliberate: every read is visible in review.
    pub fn expose_secret(&self) -> &[u8] {
        self.secret.expose()
    }

    /// The secret as text, which a resolved secret always is: it comes from a
    /// variable or store entry ([`crate::Lookup`] yields `&str`), trimmed of
    /// ASCII spaces, or is the hex development fallback.
    pub fn expose_secret_text(&self) -> &str {
        // `unreachable!`, not `expect`: see `to_text`.
        std::str::from_utf8(self.secret.expose())
            .unwrap_or_else(|_| unreachable!("a resolved secret is text"))
    }

    /// The JSON form (`schema: "jwt-accord/resolution/v1"`), compact, with a
    /// stable key order; identical byte for byte from every binding.
    pub fn to_json(&self) -> String {
        to_text(&self.json_form())
    }

    /// The JSON form as a value (object keys then sort alphabetically).
    pub fn to_json_value(&self) -> Value {
        serde_json::to_value(self.json_form())
            .unwrap_or_else(|_| unreachable!("the report serialises"))
    }

    fn json_form(&self) -> JsonForm<'_> {
        JsonForm {
            schema: RESOLUTION_SCHEMA,
            environment: &self.environment,
            environment_source: self.environment_origin,
            source: &self.source,
            fingerprint: self.fingerprint(),
            warnings: &self.warnings,
            candidates: &self.candidates,
        }
    }

    /// The one-line summary for start-up logs, e.g.
    /// `jwt-accord environment=staging source=JWT_SECRET_STAGING fingerprint=sha256:cb6ef22128c05360 warnings=1`.
    pub fn summary(&self) -> String {
        format!(
            "jwt-accord environment={} source={} fingerprint=sha256:{} warnings={}",
            self.environment,
            self.source.name,
            self.fingerprint(),
            self.warnings.len()
        )
    }
}

impl fmt::Debug for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolution")
            .field("environment", &self.environment.as_str())
            .field("source", &self.source.name)
            .field("fingerprint", &self.fingerprint())
            .field("warnings", &self.warnings.len())
            .finish()
    }
}

impl fmt::Display for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

/// The JSON form of a failed resolution, for `check_consistency`:
/// `{"schema": "jwt-accord/resolution/v1", "error": {"code", "message", "details"}}`.
pub fn error_report_json(error: &Error) -> String {
    let mut value = serde_json::Map::new();
    value.insert("schema".into(), RESOLUTION_SCHEMA.into());
    value.insert("error".into(), error.to_json_value());
    to_text(&value)
}
