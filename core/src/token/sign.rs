//! Signing (SPEC section 8.1): deterministic bytes, sorted claim keys, `kid` =
//! key fingerprint by default, options that never silently override a claim.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, Header};
use serde_json::{Map, Value};

use super::claims::{check_types, time_value};
use super::json::{nests_deeper_than, parse_object, MAX_JSON_DEPTH};
use super::key::{Key, Keyring};
use crate::error::{Error, ErrorCode, Result};

/// `aud` as given to the signer: one string or a list (kept as given).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// `"aud": "api"`.
    One(String),
    /// `"aud": ["api", "web"]`.
    Many(Vec<String>),
}

impl From<&Audience> for Value {
    fn from(audience: &Audience) -> Value {
        match audience {
            Audience::One(one) => Value::from(one.as_str()),
            Audience::Many(many) => Value::from(many.clone()),
        }
    }
}

/// What to put in the header's `kid`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Kid {
    /// The signing key's fingerprint (the default): a verifier holding another
    /// secret then reports `unknown_key` naming both fingerprints.
    #[default]
    Fingerprint,
    /// No `kid`.
    Omit,
    /// A `kid` of the caller's choosing.
    Custom(String),
}

/// Signing options (SPEC section 8.1). Each sets a claim; a claim already in
/// the claims object with a different value is `conflicting_claim`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignOptions {
    /// Seconds from `now` to `exp`.
    pub expires_in: Option<i64>,
    /// `iss`.
    pub issuer: Option<String>,
    /// `aud`.
    pub audience: Option<Audience>,
    /// `sub`.
    pub subject: Option<String>,
    /// `token_type` (e.g. `access`, `refresh`).
    pub token_type: Option<String>,
    /// Seconds from `now` to `nbf` (like `expires_in`; 0 means "valid from now").
    pub not_before: Option<i64>,
    /// `jti`.
    pub jti: Option<String>,
    /// Set `iat = now` when the claims hold no `iat` (default true).
    pub set_issued_at: bool,
    /// The header's `kid`.
    pub kid: Kid,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            expires_in: None,
            issuer: None,
            audience: None,
            subject: None,
            token_type: None,
            not_before: None,
            jti: None,
            set_issued_at: true,
            kid: Kid::Fingerprint,
        }
    }
}

/// A reusable signer: the key schedule and the encoded header are prepared
/// once, so each call costs the claims' serialisation and one HMAC.
#[derive(Clone, Debug)]
pub struct Signer {
    key: Key,
    options: SignOptions,
    header_segment: String,
}

/// The base64url header segment the core writes: `{"typ":"JWT","alg":"HS256"}`
/// plus `kid` when given (jsonwebtoken's `Header` field order).
pub(crate) fn header_segment(kid: Option<&str>) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid.map(str::to_owned);
    let json = serde_json::to_vec(&header).expect("a header serialises");
    URL_SAFE_NO_PAD.encode(json)
}

impl Signer {
    /// A signer for the keyring's current key (a single [`Key`] converts).
    pub fn new(keys: impl Into<Keyring>, options: SignOptions) -> Signer {
        let key = keys.into().current().clone();
        let kid = match &options.kid {
            Kid::Fingerprint => Some(key.fingerprint().to_owned()),
            Kid::Omit => None,
            Kid::Custom(kid) => Some(kid.clone()),
        };
        let header_segment = header_segment(kid.as_deref());
        Signer {
            key,
            options,
            header_segment,
        }
    }

    /// The signing key's fingerprint.
    pub fn fingerprint(&self) -> &str {
        self.key.fingerprint()
    }

    /// The options this signer applies.
    pub fn options(&self) -> &SignOptions {
        &self.options
    }

    /// Signs a claims object at `now` (seconds since the epoch).
    ///
    /// # Errors
    /// `invalid_claims` (not an object, a registered claim of the wrong type,
    /// nesting deeper than 128) or `conflicting_claim`.
    pub fn sign(&self, claims: &Value, now: i64) -> Result<String> {
        match claims {
            // Depth first: cloning a hostile 100,000-deep value would itself overflow.
            Value::Object(map) => {
                check_depth(map)?;
                self.sign_map(map.clone(), now)
            }
            other => Err(Error::new(
                ErrorCode::InvalidClaims,
                format!(
                    "claims must be a JSON object, found {}",
                    super::json::type_name(other)
                ),
            )
            .with("found", super::json::type_name(other))),
        }
    }

    /// Signs claims given as JSON text (duplicate keys are refused).
    ///
    /// # Errors
    /// As [`Signer::sign`].
    pub fn sign_json(&self, claims_json: &str, now: i64) -> Result<String> {
        let map = parse_object(claims_json.as_bytes()).map_err(|reason| {
            Error::new(
                ErrorCode::InvalidClaims,
                format!("claims are not a JSON object: {reason}"),
            )
            .with("reason", reason)
        })?;
        self.sign_map(map, now)
    }

    /// Signs a claims map, taking ownership (no copy).
    ///
    /// # Errors
    /// As [`Signer::sign`].
    pub fn sign_map(&self, mut claims: Map<String, Value>, now: i64) -> Result<String> {
        if claims
            .values()
            .any(|v| nests_deeper_than(v, MAX_JSON_DEPTH - 1))
        {
            return Err(Error::new(
                ErrorCode::InvalidClaims,
                format!("claims nest deeper than {MAX_JSON_DEPTH} levels"),
            )
            .with("reason", "too_deep"));
        }
        let o = &self.options;
        let offset = |claim: &str, seconds: i64| {
            now.checked_add(seconds).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidClaims,
                    format!("{claim} overflows: now + {seconds}"),
                )
                .with("claim", claim)
            })
        };
        if let Some(seconds) = o.expires_in {
            set(
                &mut claims,
                "exp",
                Value::from(offset("exp", seconds)?),
                "expires_in",
            )?;
        }
        if let Some(seconds) = o.not_before {
            set(
                &mut claims,
                "nbf",
                Value::from(offset("nbf", seconds)?),
                "not_before",
            )?;
        }
        if let Some(issuer) = &o.issuer {
            set(&mut claims, "iss", Value::from(issuer.as_str()), "issuer")?;
        }
        if let Some(audience) = &o.audience {
            set(&mut claims, "aud", Value::from(audience), "audience")?;
        }
        if let Some(subject) = &o.subject {
            set(&mut claims, "sub", Value::from(subject.as_str()), "subject")?;
        }
        if let Some(token_type) = &o.token_type {
            set(
                &mut claims,
                "token_type",
                Value::from(token_type.as_str()),
                "token_type",
            )?;
        }
        if let Some(jti) = &o.jti {
            set(&mut claims, "jti", Value::from(jti.as_str()), "jti")?;
        }
        if o.set_issued_at && !claims.contains_key("iat") {
            claims.insert("iat".into(), Value::from(now));
        }
        check_types(&claims, ErrorCode::InvalidClaims)?;

        let payload = serde_json::to_vec(&claims).expect("claims serialise");
        let mut token =
            String::with_capacity(self.header_segment.len() + payload.len() * 4 / 3 + 48);
        token.push_str(&self.header_segment);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(payload, &mut token);
        let tag = self.key.tag(token.as_bytes());
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(tag, &mut token);
        Ok(token)
    }
}

fn check_depth(claims: &Map<String, Value>) -> Result<()> {
    if claims
        .values()
        .any(|v| nests_deeper_than(v, MAX_JSON_DEPTH - 1))
    {
        return Err(Error::new(
            ErrorCode::InvalidClaims,
            format!("claims nest deeper than {MAX_JSON_DEPTH} levels"),
        )
        .with("reason", "too_deep"));
    }
    Ok(())
}

fn set(claims: &mut Map<String, Value>, claim: &str, value: Value, option: &str) -> Result<()> {
    match claims.get(claim) {
        Some(existing) if !same(existing, &value) => Err(Error::new(
            ErrorCode::ConflictingClaim,
            format!(
                "option {option} sets {claim} to {value}, but the claims already hold {claim} = {existing}"
            ),
        )
        .with("claim", claim)
        .with("option", option)
        .with("claim_value", existing.clone())
        .with("option_value", value)),
        Some(_) => Ok(()),
        None => {
            claims.insert(claim.to_owned(), value);
            Ok(())
        }
    }
}

/// JSON equality, with numbers compared by value (`1700000000` equals `1700000000.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (time_value(a), time_value(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Signs `claims` with `keys`' current key at `now`: a one-shot [`Signer`].
///
/// # Errors
/// As [`Signer::sign`].
pub fn sign(
    claims: &Value,
    keys: impl Into<Keyring>,
    now: i64,
    options: SignOptions,
) -> Result<String> {
    Signer::new(keys, options).sign(claims, now)
}
