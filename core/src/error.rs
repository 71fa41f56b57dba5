//! The one error type, with a stable code per failure (docs/spec.md §10).

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::token::json::to_text;

macro_rules! codes {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every code, in contract order (docs/spec.md §10).
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable string form, identical in every binding.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The code whose string form is `text`, if there is one.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use codes;

codes! {
    /// The stable code of a failure. Bindings expose [`ErrorCode::as_str`] as
    /// `exc.code` (Python) and `err.code` (JavaScript).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    pub enum ErrorCode {
        /// No environment was given and `ENVIRONMENT` is unset or blank.
        EnvironmentMissing = "environment_missing",
        /// The environment name is not a known name, alias or valid custom name.
        EnvironmentInvalid = "environment_invalid",
        /// No source holds a usable secret.
        SecretMissing = "secret_missing",
        /// The resolved secret is shorter than 32 bytes in a strict environment.
        SecretTooShort = "secret_too_short",
        /// The resolved secret is public-key material, a placeholder or a development fallback.
        InsecureSecret = "insecure_secret",
        /// Another environment's secret variable holds the same value.
        SecretReusedAcrossEnvironments = "secret_reused_across_environments",
        /// A variable or store entry the resolver reads is not valid UTF-8 text
        /// (it holds U+FFFD, what hosts put in place of bytes that are not UTF-8).
        InvalidValue = "invalid_value",
        /// Both a variable and its `_FILE` variable are set (docs/spec.md §15).
        AmbiguousSource = "ambiguous_source",
        /// A secret file is not UTF-8 text of at most 64 KiB (docs/spec.md §15).
        SecretFileInvalid = "secret_file_invalid",
        /// A secret file cannot be read (docs/spec.md §15).
        SecretFileUnreadable = "secret_file_unreadable",
        /// The token is larger than `max_token_bytes`.
        TokenTooLarge = "token_too_large",
        /// The token, its header or its claims cannot be decoded.
        Malformed = "malformed",
        /// The header's `alg` is not exactly `HS256`.
        UnsupportedAlgorithm = "unsupported_algorithm",
        /// The token's fingerprint-form `kid` matches none of the held keys.
        UnknownKey = "unknown_key",
        /// No held key produces the token's signature.
        InvalidSignature = "invalid_signature",
        /// A registered claim has the wrong JSON type or range.
        InvalidClaimType = "invalid_claim_type",
        /// A required claim is absent.
        MissingClaim = "missing_claim",
        /// `exp` has passed, or `max_age` is exceeded.
        Expired = "expired",
        /// `nbf` or `iat` lies in the future.
        NotYetValid = "not_yet_valid",
        /// `iss` is not one of the accepted issuers.
        InvalidIssuer = "invalid_issuer",
        /// `aud` shares no value with the accepted audiences.
        InvalidAudience = "invalid_audience",
        /// `token_type` is not the expected one.
        WrongTokenType = "wrong_token_type",
        /// The claims to sign are not a JSON object of acceptable values.
        InvalidClaims = "invalid_claims",
        /// A signing option contradicts a claim given with another value.
        ConflictingClaim = "conflicting_claim",
        /// A raw key is empty, short or public-key material, or a keyring is empty or too large.
        InvalidKey = "invalid_key",
        /// A request carries no token (docs/spec.md §17: HTTP integrations).
        MissingToken = "missing_token",
        /// A request's credentials are malformed: two `Authorization` headers,
        /// another scheme, no token or two (docs/spec.md §17; HTTP 400).
        InvalidRequest = "invalid_request",
    }
}

/// Which family an [`ErrorCode`] belongs to; bindings use it to pick the base
/// exception class (`ResolutionError` or `TokenError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Secret resolution and policy failures.
    Resolution,
    /// Signing, verification and key failures.
    Token,
}

impl ErrorKind {
    /// `resolution` or `token`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Resolution => "resolution",
            ErrorKind::Token => "token",
        }
    }
}

impl ErrorCode {
    /// Whether this is a resolution or a token failure.
    pub const fn kind(self) -> ErrorKind {
        match self {
            ErrorCode::EnvironmentMissing
            | ErrorCode::EnvironmentInvalid
            | ErrorCode::SecretMissing
            | ErrorCode::SecretTooShort
            | ErrorCode::InsecureSecret
            | ErrorCode::SecretReusedAcrossEnvironments
            | ErrorCode::InvalidValue
            | ErrorCode::AmbiguousSource
            | ErrorCode::SecretFileInvalid
            | ErrorCode::SecretFileUnreadable => ErrorKind::Resolution,
            _ => ErrorKind::Token,
        }
    }
}

/// A failure: a stable [`ErrorCode`], a message written by the core (the same
/// text in every language) and structured details. Never holds a secret.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    code: ErrorCode,
    message: String,
    details: Map<String, Value>,
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl ErrorCode {
    /// Whether verification can return this code: the token errors of
    /// docs/spec.md §10 from `token_too_large` to `wrong_token_type` (not the
    /// signing and key errors).
    pub fn is_verification_error(self) -> bool {
        (ErrorCode::TokenTooLarge..=ErrorCode::WrongTokenType).contains(&self)
    }
}

impl Error {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            details: Map::new(),
        }
    }

    /// Adds one detail; builder style.
    pub(crate) fn with(self, key: &str, value: impl Into<Value>) -> Self {
        self.with_value(key, value.into())
    }

    /// [`Error::with`] after the conversion: one copy of the insertion, not
    /// one per value type.
    fn with_value(mut self, key: &str, value: Value) -> Self {
        self.details.insert(key.to_owned(), value);
        self
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human-readable message, identical in every binding.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The specifics (claim, expected and found values, `kid`, held fingerprints,
    /// names tried...), as a JSON object.
    pub fn details(&self) -> &Map<String, Value> {
        &self.details
    }

    /// `{"code", "details", "message"}` as compact JSON text, keys sorted as
    /// in [`Error::to_json_value`]'s text: what the bindings hand to their host.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Form<'a> {
            code: &'static str,
            details: &'a Map<String, Value>,
            message: &'a str,
        }
        to_text(&Form {
            code: self.code.as_str(),
            details: &self.details,
            message: &self.message,
        })
    }

    /// `{"code", "message", "details"}` as a JSON value.
    pub fn to_json_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("code".into(), self.code.as_str().into());
        map.insert("message".into(), self.message.clone().into());
        map.insert("details".into(), Value::Object(self.details.clone()));
        Value::Object(map)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
