//! The canonical resolution order (docs/spec.md §3 and §4).

use sha2::{Digest, Sha256};

use crate::environment::{is_ascii_space, select_environment, Environment};
use crate::error::{Error, ErrorCode, Result};
use crate::lookup::{foreign_variable_names, refuse_non_text, Lookup};
use crate::policy;
use crate::report::{Candidate, Outcome, Resolution, Source, SourceKind};
use crate::secret::{hex, Secret};
use crate::warning::{Warning, WarningCode};

/// The name reported for the derived development fallback.
pub const DEVELOPMENT_FALLBACK: &str = "development_fallback";

/// The variable names read for `environment`, in resolution order:
/// `JWT_SECRET_<ENV>`, `JWT_SECRET_KEY`, `JWT_SECRET`.
pub fn variable_names(environment: &Environment) -> [String; 3] {
    [
        format!("JWT_SECRET_{}", environment.upper()),
        "JWT_SECRET_KEY".to_owned(),
        "JWT_SECRET".to_owned(),
    ]
}

/// The secret-store entry names for `environment`, in resolution order:
/// `jwt-secret-<env>`, `jwt-secret-key`, `jwt-secret`. A caller fetches these
/// and only these, then passes them to [`resolve`].
pub fn store_entry_names(environment: &Environment) -> [String; 3] {
    [
        format!("jwt-secret-{}", environment.as_str()),
        "jwt-secret-key".to_owned(),
        "jwt-secret".to_owned(),
    ]
}

/// The development fallback for `environment`: the 64 lower-case hex characters
/// of SHA-256 over `jwt-accord/development-fallback/v1/<env>`. Public by
/// construction, which is why policy refuses it in strict environments.
pub fn development_fallback(environment: &str) -> String {
    hex(&Sha256::digest(format!(
        "jwt-accord/development-fallback/v1/{environment}"
    )))
}

/// Resolves the secret: picks the environment (explicit argument, else
/// `ENVIRONMENT`), walks the seven sources in order, applies the policy checks
/// and returns the report. Pure: `variables` and `store` are snapshots passed in.
///
/// # Errors
/// `environment_missing`, `environment_invalid`, `secret_missing`,
/// `secret_too_short`, `insecure_secret`, `secret_reused_across_environments`,
/// `invalid_value` (a value read holds U+FFFD).
pub fn resolve<V, S>(variables: &V, store: &S, environment: Option<&str>) -> Result<Resolution>
where
    V: Lookup + ?Sized,
    S: Lookup + ?Sized,
{
    let (environment, origin) = select_environment(environment, variables)?;
    let [v1, v2, v3] = variable_names(&environment);
    let [s1, s2, s3] = store_entry_names(&environment);
    // Every value read must be text: no source is used until all are checked.
    let foreign = foreign_variable_names(&environment);
    let read = [&v1, &v2, &v3].into_iter().chain(&foreign);
    refuse_non_text(variables, "variable", read.map(String::as_str))?;
    refuse_non_text(store, "store", [&s1, &s2, &s3].map(String::as_str))?;
    let mut warnings = Vec::new();
    let mut candidates = Vec::with_capacity(7);
    let mut winner: Option<(Source, Secret)> = None;

    let sources = [
        (SourceKind::Variable, v1, false),
        (SourceKind::Variable, v2, false),
        (SourceKind::Variable, v3, true),
        (SourceKind::Store, s1, false),
        (SourceKind::Store, s2, false),
        (SourceKind::Store, s3, true),
    ];
    for (kind, name, legacy) in sources {
        let raw = match kind {
            SourceKind::Variable => variables.lookup(&name),
            _ => store.lookup(&name),
        };
        let Some(raw) = raw else {
            candidates.push(Candidate::new(kind, name, None, Outcome::NotSet));
            continue;
        };
        let value = raw.trim_matches(is_ascii_space);
        if value.is_empty() {
            warnings.push(Warning::new(
                WarningCode::EmptyValue,
                Some(&name),
                format!("{name} is set but empty; it is skipped"),
            ));
            candidates.push(Candidate::new(kind, name, None, Outcome::Empty));
            continue;
        }
        let secret = Secret::new(value.as_bytes());
        if value.len() != raw.len() {
            warnings.push(Warning::new(
                WarningCode::WhitespaceTrimmed,
                Some(&name),
                format!(
                    "{name} had surrounding whitespace, which was stripped (fingerprint {}); \
                     a service that does not strip it will disagree",
                    secret.fingerprint()
                ),
            ));
        }
        match &winner {
            None => {
                if legacy {
                    warnings.push(Warning::new(
                        WarningCode::LegacySource,
                        Some(&name),
                        format!(
                            "{name} is a legacy name; move the secret to {}",
                            legacy_replacement(kind, &environment)
                        ),
                    ));
                }
                candidates.push(Candidate::new(
                    kind,
                    name.clone(),
                    Some(&secret),
                    Outcome::Used,
                ));
                winner = Some((Source { kind, name }, secret));
            }
            Some((source, used)) => {
                if secret.expose() != used.expose() {
                    warnings.push(Warning::new(
                        WarningCode::ShadowedConflict,
                        Some(&name),
                        format!(
                            "{name} ({}) is shadowed by {} ({}) and differs: a service that \
                             reads {name} directly will not agree",
                            secret.fingerprint(),
                            source.name,
                            used.fingerprint()
                        ),
                    ));
                }
                candidates.push(Candidate::new(kind, name, Some(&secret), Outcome::Shadowed));
            }
        }
    }

    if !environment.is_strict() {
        let fallback = Secret::new(development_fallback(environment.as_str()));
        if winner.is_none() {
            warnings.push(Warning::new(
                WarningCode::DevelopmentFallback,
                Some(DEVELOPMENT_FALLBACK),
                format!(
                    "no secret is configured; using the public development fallback for {} ({}). \
                     It is refused outside development and test",
                    environment,
                    fallback.fingerprint()
                ),
            ));
            candidates.push(Candidate::new(
                SourceKind::DevelopmentFallback,
                DEVELOPMENT_FALLBACK.into(),
                Some(&fallback),
                Outcome::Used,
            ));
            winner = Some((
                Source {
                    kind: SourceKind::DevelopmentFallback,
                    name: DEVELOPMENT_FALLBACK.into(),
                },
                fallback,
            ));
        } else {
            // Derived, never read directly by anyone: listed, but no conflict warning.
            candidates.push(Candidate::new(
                SourceKind::DevelopmentFallback,
                DEVELOPMENT_FALLBACK.into(),
                Some(&fallback),
                Outcome::Shadowed,
            ));
        }
    }

    let Some((source, secret)) = winner else {
        let tried: Vec<&str> = candidates.iter().map(|c| c.name.as_str()).collect();
        return Err(Error::new(
            ErrorCode::SecretMissing,
            format!(
                "no JWT secret for {environment}: tried variables {} and store entries {}",
                tried[..3].join(", "),
                tried[3..6].join(", ")
            ),
        )
        .with("environment", environment.as_str())
        .with("tried", tried));
    };

    policy::check(variables, &environment, &source, &secret, &mut warnings)?;
    Ok(Resolution {
        environment,
        environment_origin: origin,
        source,
        secret,
        warnings,
        candidates,
    })
}

fn legacy_replacement(kind: SourceKind, environment: &Environment) -> String {
    match kind {
        SourceKind::Store => format!("jwt-secret-{}", environment.as_str()),
        _ => format!("JWT_SECRET_{}", environment.upper()),
    }
}
