//! Policy checks on a resolved secret (docs/spec.md §5), in contract order.

use crate::environment::{is_ascii_space, upper, Environment, KNOWN};
use crate::error::{Error, ErrorCode, Result};
use crate::lookup::Lookup;
use crate::report::{Source, SourceKind};
use crate::resolve::development_fallback;
use crate::secret::Secret;
use crate::sources::{file_variable, non_blank};
use crate::warning::{Warning, WarningCode};

/// RFC 7518 section 3.2: an HS256 key must be at least 256 bits.
pub const MIN_SECRET_BYTES: usize = 32;

mod placeholder;
mod public_key;

/// Why `bytes` looks like public-key material, if it does: anyone holding the
/// public key could forge tokens with it as an HMAC secret. PEM, DER (raw,
/// base64 or hex), OpenSSH, RFC 4716 and JWK forms (docs/decisions.md).
pub(crate) fn public_key_reason(bytes: &[u8]) -> Option<&'static str> {
    public_key::reason(bytes)
}

fn weak_reason(bytes: &[u8]) -> Option<&'static str> {
    // Compared in place: a lowercased copy would be an unwiped copy of the secret.
    if KNOWN[..2]
        .iter()
        .any(|(env, _)| development_fallback(env).as_bytes() == bytes)
    {
        Some("it is a public development fallback")
    } else {
        placeholder::reason(bytes)
    }
}

/// The checks of docs/spec.md §5 on one held key, in contract order. With
/// `foreign_warnings` (the current key) each foreign variable present is also
/// a `foreign_environment_secret` warning; a companion (docs/spec.md §14) gets
/// only the reuse comparison, so each foreign variable is reported once.
pub(crate) fn check<V: Lookup + ?Sized>(
    variables: &V,
    environment: &Environment,
    source: &Source,
    secret: &Secret,
    warnings: &mut Vec<Warning>,
    foreign_warnings: bool,
) -> Result<()> {
    let strict = environment.is_strict();
    let name = source.name.as_str();
    let fp = secret.fingerprint();
    let base = |code: ErrorCode, message: String| {
        Error::new(code, message)
            .with("environment", environment.as_str())
            .with("source", name)
            .with("fingerprint", fp)
    };

    if secret.len() < MIN_SECRET_BYTES {
        let message = format!(
            "{name} ({fp}) holds {} bytes; HS256 needs at least {MIN_SECRET_BYTES} \
             (RFC 7518 section 3.2)",
            secret.len()
        );
        if strict {
            return Err(base(ErrorCode::SecretTooShort, message)
                .with("length", secret.len())
                .with("minimum", MIN_SECRET_BYTES));
        }
        warnings.push(Warning::new(
            WarningCode::SecretTooShort,
            Some(name),
            message,
        ));
    }

    if let Some(reason) = public_key_reason(secret.expose()) {
        return Err(base(
            ErrorCode::InsecureSecret,
            format!("{name} ({fp}) is public-key material ({reason}): anyone holding the public key could forge tokens"),
        )
        .with("reason", reason));
    }

    if source.kind != SourceKind::DevelopmentFallback {
        if let Some(reason) = weak_reason(secret.expose()) {
            let message = format!("{name} ({fp}) is insecure: {reason}");
            if strict {
                return Err(base(ErrorCode::InsecureSecret, message).with("reason", reason));
            }
            warnings.push(Warning::new(
                WarningCode::InsecureSecret,
                Some(name),
                message,
            ));
        }
    }

    for (other, aliases) in KNOWN {
        if other == environment.as_str() {
            continue;
        }
        for label in std::iter::once(&other).chain(aliases.iter()) {
            let foreign = format!("JWT_SECRET_{}", upper(label));
            if foreign_warnings {
                foreign_file_warning(variables, &foreign, other, environment, warnings);
            }
            let Some(value) = variables.lookup(&foreign) else {
                continue;
            };
            let value = value.trim_matches(is_ascii_space);
            if value.is_empty() {
                continue;
            }
            if foreign_warnings {
                warnings.push(Warning::new(
                    WarningCode::ForeignEnvironmentSecret,
                    Some(&foreign),
                    format!(
                        "{foreign} belongs to {other} but is present in {environment}'s \
                         configuration: one environment's secret has leaked into another's"
                    ),
                ));
            }
            if value.as_bytes() == secret.expose() {
                let message = format!(
                    "{name} ({fp}) has the same value as {foreign}: {environment} and {other} \
                     share one secret, so a token from one is accepted by the other"
                );
                if strict {
                    return Err(base(ErrorCode::SecretReusedAcrossEnvironments, message)
                        .with("variable", foreign));
                }
                warnings.push(Warning::new(
                    WarningCode::SecretReusedAcrossEnvironments,
                    Some(&foreign),
                    message,
                ));
            }
        }
    }
    Ok(())
}

/// A foreign `JWT_SECRET_<OTHER>_FILE` that is set: warned about, never read
/// (docs/decisions.md: its file is another environment's business).
fn foreign_file_warning<V: Lookup + ?Sized>(
    variables: &V,
    foreign: &str,
    other: &str,
    environment: &Environment,
    warnings: &mut Vec<Warning>,
) {
    let name = file_variable(foreign);
    if non_blank(variables.lookup(&name)).is_some() {
        warnings.push(Warning::new(
            WarningCode::ForeignEnvironmentSecret,
            Some(&name),
            format!(
                "{name} belongs to {other} but is present in {environment}'s configuration: one \
                 environment's secret has leaked into another's (its file is not read)"
            ),
        ));
    }
}
