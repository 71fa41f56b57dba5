//! Warnings attached to a resolution (docs/spec.md §3 to §7).

use serde::Serialize;

use crate::error::codes;

codes! {
    /// The stable code of a resolution warning.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    pub enum WarningCode {
        /// The winning source is a legacy name (`JWT_SECRET`, `jwt-secret`).
        LegacySource = "legacy_source",
        /// The derived development fallback was used.
        DevelopmentFallback = "development_fallback",
        /// Surrounding whitespace was stripped from a value.
        WhitespaceTrimmed = "whitespace_trimmed",
        /// A source is set but empty after stripping.
        EmptyValue = "empty_value",
        /// The secret is shorter than 32 bytes (development and test only).
        SecretTooShort = "secret_too_short",
        /// The secret is a placeholder or a fallback (development and test only).
        InsecureSecret = "insecure_secret",
        /// Another environment's secret variable is present.
        ForeignEnvironmentSecret = "foreign_environment_secret",
        /// Another environment's secret variable holds the same value (development and test only).
        SecretReusedAcrossEnvironments = "secret_reused_across_environments",
        /// A lower-priority source holds a different value from the winner.
        ShadowedConflict = "shadowed_conflict",
        /// A rotation companion of a source that did not win is present (docs/spec.md §14).
        StrayRotationSecret = "stray_rotation_secret",
        /// A rotation companion equals a key already held and is dropped (docs/spec.md §14).
        RotationSecretDuplicate = "rotation_secret_duplicate",
    }
}

impl Serialize for WarningCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One warning: its code, a message written by the core, and the source it
/// concerns (a variable or store-entry name), if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The stable code.
    pub code: WarningCode,
    /// The message, identical in every binding.
    pub message: String,
    /// The variable or store entry concerned.
    pub source: Option<String>,
}

impl Warning {
    pub(crate) fn new(code: WarningCode, source: Option<&str>, message: String) -> Self {
        Warning {
            code,
            message,
            source: source.map(str::to_owned),
        }
    }
}
