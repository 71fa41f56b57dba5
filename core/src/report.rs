//! The resolution report, its JSON form and its one-line summary (docs/spec.md §7).

use std::fmt;

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::environment::{Environment, EnvironmentOrigin};
use crate::error::Error;
use crate::rotation::KeySlot;
use crate::secret::Secret;
use crate::token::json::to_text;
use crate::warning::Warning;

/// The `schema` value of the JSON form (v2: with `keys`, docs/spec.md §14).
pub const RESOLUTION_SCHEMA: &str = "jwt-accord/resolution/v2";

/// The `schema` of the first JSON form (one key, no `keys`), which readers
/// such as [`crate::check_consistency`] still accept.
pub const RESOLUTION_SCHEMA_V1: &str = "jwt-accord/resolution/v1";

/// What kind of source a secret came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A variable (`JWT_SECRET_<ENV>`, `JWT_SECRET_KEY`, `JWT_SECRET`).
    Variable,
    /// A secret-store entry (`jwt-secret-<env>`, `jwt-secret-key`, `jwt-secret`),
    /// passed in or read from a directory store (then with a path).
    Store,
    /// A variable's value read from the file its `_FILE` variable names
    /// (docs/spec.md §15).
    File,
    /// The derived development fallback.
    DevelopmentFallback,
}

impl SourceKind {
    /// `variable`, `store`, `file` or `development_fallback`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SourceKind::Variable => "variable",
            SourceKind::Store => "store",
            SourceKind::File => "file",
            SourceKind::DevelopmentFallback => "development_fallback",
        }
    }
}

/// The source that won.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Its kind.
    pub kind: SourceKind,
    /// The variable or store-entry name, or `development_fallback`. For a
    /// `file` source, the variable whose value the file holds (`V`, not `V_FILE`).
    pub name: String,
    /// The file read, for a `file` source or a directory store's entry; never
    /// its content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
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
serialize_as_str!(SourceKind, Outcome, Environment, EnvironmentOrigin, KeySlot);

/// One key a resolution holds (docs/spec.md §14): its slot, its source and its
/// fingerprint. The secret is reachable only through [`HeldKey::secret`].
#[derive(Clone, Debug)]
pub struct HeldKey {
    /// `current`, `next` or `previous`.
    pub slot: KeySlot,
    /// Where it came from.
    pub source: Source,
    pub(crate) secret: Secret,
}

impl HeldKey {
    /// The key's fingerprint.
    pub fn fingerprint(&self) -> &str {
        self.secret.fingerprint()
    }

    /// The secret, as a [`Secret`] (whose `Debug` shows only the fingerprint).
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

impl Serialize for HeldKey {
    /// `{"slot", "source", "fingerprint"}`: never the secret.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut form = serializer.serialize_struct("HeldKey", 3)?;
        form.serialize_field("slot", &self.slot)?;
        form.serialize_field("source", &self.source)?;
        form.serialize_field("fingerprint", self.fingerprint())?;
        form.end()
    }
}

/// One source of docs/spec.md §3, as seen during resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// Its kind.
    pub kind: SourceKind,
    /// Its name.
    pub name: String,
    /// The file read for it, if any (docs/spec.md §15).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
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
        path: Option<String>,
        secret: Option<&Secret>,
        outcome: Outcome,
    ) -> Self {
        Candidate {
            kind,
            name,
            path,
            present: outcome != Outcome::NotSet,
            fingerprint: secret.map(|s| s.fingerprint().to_owned()),
            outcome,
        }
    }

    pub(crate) fn from_source(source: &Source, secret: &Secret, outcome: Outcome) -> Self {
        Candidate::new(
            source.kind,
            source.name.clone(),
            source.path.clone(),
            Some(secret),
            outcome,
        )
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
    pub(crate) keys: Vec<HeldKey>,
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
    keys: &'a [HeldKey],
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

    /// Every held key, in keyring order: `current`, then `next` and
    /// `previous` when the winning source has them (docs/spec.md §14).
    pub fn keys(&self) -> &[HeldKey] {
        &self.keys
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

    /// The JSON form (`schema: "jwt-accord/resolution/v2"`), compact, with a
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
            keys: &self.keys,
            warnings: &self.warnings,
            candidates: &self.candidates,
        }
    }

    /// The one-line summary for start-up logs, e.g.
    /// `jwt-accord environment=staging source=JWT_SECRET_STAGING fingerprint=sha256:cb6ef22128c05360 warnings=1`;
    /// a file source adds `file=<path>` after the source, and each companion
    /// its fingerprint: `next=sha256:... previous=sha256:...` before `warnings`.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "jwt-accord environment={} source={}",
            self.environment, self.source.name
        );
        if let Some(path) = &self.source.path {
            line.push_str(" file=");
            line.push_str(&log_value(path));
        }
        for key in &self.keys {
            let label = match key.slot {
                KeySlot::Current => "fingerprint",
                slot => slot.as_str(),
            };
            line.push_str(&format!(" {label}=sha256:{}", key.fingerprint()));
        }
        line.push_str(&format!(" warnings={}", self.warnings.len()));
        line
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

/// A path in the summary line: as is when it holds only characters that need
/// no quoting in a `key=value` log line, else quoted as a JSON string.
fn log_value(path: &str) -> String {
    let plain = !path.is_empty()
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+@:,".contains(&b));
    if plain {
        path.to_owned()
    } else {
        to_text(&path)
    }
}

/// The JSON form of a failed resolution, for `check_consistency`:
/// `{"schema": "jwt-accord/resolution/v2", "error": {"code", "message", "details"}}`.
pub fn error_report_json(error: &Error) -> String {
    let mut value = serde_json::Map::new();
    value.insert("schema".into(), RESOLUTION_SCHEMA.into());
    value.insert("error".into(), error.to_json_value());
    to_text(&value)
}
