//! Signing (docs/spec.md §8.1): deterministic bytes, sorted claim keys, `kid` =
//! key fingerprint by default, options that never silently override a claim.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::base64url;
use super::claims::{check_type, registered_rank, time_value};
use super::json::{
    bounded, nests_deeper_than, parse_value, to_text, type_name, MAX_JSON_DEPTH, SHOWN,
};
use super::key::{Key, Keyring, Prefixed};
use super::time::UnixTime;
use super::write::write_entries;
use crate::environment::truncate;
use crate::error::{Error, ErrorCode, Result};
use crate::publish::SignatureCounter;

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

/// Signing options (docs/spec.md §8.1). Each sets a claim; a claim already in
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
/// once, and the header is hashed once, so each call costs the claims'
/// serialisation and the HMAC of the rest of the token.
#[derive(Clone, Debug)]
pub struct Signer {
    key: Key,
    options: SignOptions,
    header_segment: String,
    /// The key's HMAC state past `header_segment` and the dot.
    mac: Prefixed,
    /// The option claims that do not depend on `now`, built once:
    /// `(claim, value, option)`.
    fixed: Vec<(&'static str, Value, &'static str)>,
    /// Tokens signed so far (shared by clones).
    signatures: Arc<SignatureCounter>,
}

/// The header the core writes, in jsonwebtoken's `Header` field order. Its
/// own three-field type, not jsonwebtoken's `Header`: serialising that one's
/// dozen optional JOSE fields would add ~5 KB to the WASM module for nothing.
#[derive(Serialize)]
struct WrittenHeader<'a> {
    typ: &'static str,
    alg: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<&'a str>,
}

/// The base64url header segment the core writes: `{"typ":"JWT","alg":"HS256"}`
/// plus `kid` when given.
pub(crate) fn header_segment(kid: Option<&str>) -> String {
    let header = WrittenHeader {
        typ: "JWT",
        alg: "HS256",
        kid,
    };
    let json = to_text(&header);
    base64url::encode(json.as_bytes())
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
        let mac = key.prefixed(format!("{header_segment}.").as_bytes());
        let text = |claim, value: &Option<String>, option| {
            value.as_deref().map(|v| (claim, Value::from(v), option))
        };
        // In the order the options are checked (a conflict reports the first).
        let fixed = [
            text("iss", &options.issuer, "issuer"),
            options
                .audience
                .as_ref()
                .map(|a| ("aud", Value::from(a), "audience")),
            text("sub", &options.subject, "subject"),
            text("token_type", &options.token_type, "token_type"),
            text("jti", &options.jti, "jti"),
        ];
        Signer {
            key,
            options,
            header_segment,
            mac,
            fixed: fixed.into_iter().flatten().collect(),
            signatures: SignatureCounter::shared(),
        }
    }

    /// How many tokens this signer (and its clones) signed: for the metrics
    /// (docs/spec.md §16).
    pub fn signatures(&self) -> u64 {
        self.signatures.get()
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
    /// nesting deeper than [`MAX_JSON_DEPTH`]) or `conflicting_claim`.
    pub fn sign(&self, claims: &Value, now: impl Into<UnixTime>) -> Result<String> {
        let now = now.into().seconds();
        match claims {
            Value::Object(map) => self.sign_map(map, now),
            other => Err(Error::new(
                ErrorCode::InvalidClaims,
                format!("claims must be a JSON object, found {}", type_name(other)),
            )
            .with("found", type_name(other))),
        }
    }

    /// Signs claims given as JSON text (duplicate keys are refused). JSON that
    /// is not an object is reported exactly as [`Signer::sign`] reports it.
    ///
    /// # Errors
    /// As [`Signer::sign`], and `invalid_claims` for text that is not JSON.
    pub fn sign_json(&self, claims_json: &str, now: impl Into<UnixTime>) -> Result<String> {
        let now = now.into().seconds();
        match parse_value(claims_json.as_bytes()) {
            Ok(Value::Object(map)) => self.sign_map(&map, now),
            Ok(other) => self.sign(&other, now),
            Err(reason) => Err(Error::new(
                ErrorCode::InvalidClaims,
                format!("claims are not valid JSON: {reason}"),
            )
            .with("reason", reason)),
        }
    }

    /// Signs a claims map. The claims are not copied: the option claims are
    /// kept apart and merged in key order while serialising.
    ///
    /// # Errors
    /// As [`Signer::sign`].
    pub fn sign_map(
        &self,
        claims: &Map<String, Value>,
        now: impl Into<UnixTime>,
    ) -> Result<String> {
        let now = now.into().seconds();
        check_depth(claims)?;
        let o = &self.options;
        // The option claims, borrowed or (times) built here without
        // allocating; a claim the caller already holds is checked, not added.
        let mut added: Vec<(&str, Cow<'_, Value>)> = Vec::with_capacity(8);
        let offset = |claim: &str, seconds: i64| {
            now.checked_add(seconds).map(Value::from).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidClaims,
                    format!("{claim} overflows: now + {seconds}"),
                )
                .with("claim", claim)
            })
        };
        if let Some(seconds) = o.expires_in {
            let exp = offset("exp", seconds)?;
            add(claims, &mut added, "exp", Cow::Owned(exp), "expires_in")?;
        }
        if let Some(seconds) = o.not_before {
            let nbf = offset("nbf", seconds)?;
            add(claims, &mut added, "nbf", Cow::Owned(nbf), "not_before")?;
        }
        for (claim, value, option) in &self.fixed {
            add(claims, &mut added, claim, Cow::Borrowed(value), option)?;
        }
        if o.set_issued_at && !claims.contains_key("iat") {
            added.push(("iat", Cow::Owned(Value::from(now))));
        }
        added.sort_unstable_by_key(|(claim, _)| *claim);
        check_registered(claims, &added)?;

        let mut payload = Vec::with_capacity(256);
        write_entries(&mut payload, merged(claims, &added));
        let mut token =
            String::with_capacity(self.header_segment.len() + payload.len() * 4 / 3 + 48);
        token.push_str(&self.header_segment);
        token.push('.');
        let prefix = token.len();
        base64url::encode_into(&payload, &mut token);
        let tag = self.mac.tag(&token.as_bytes()[prefix..]);
        token.push('.');
        base64url::encode_into(&tag, &mut token);
        self.signatures.record();
        Ok(token)
    }
}

/// Type-checks the registered claims in one pass over both maps, reporting the
/// first failure in contract order (as verification would).
fn check_registered(claims: &Map<String, Value>, added: &[(&str, Cow<'_, Value>)]) -> Result<()> {
    let mut first: Option<(usize, Error)> = None;
    let added = added.iter().map(|(claim, value)| (*claim, value.as_ref()));
    for (claim, value) in claims.iter().map(|(k, v)| (k.as_str(), v)).chain(added) {
        if let Some(rank) = registered_rank(claim) {
            if first.as_ref().is_some_and(|(r, _)| *r < rank) {
                continue;
            }
            if let Err(e) = check_type(claim, value, ErrorCode::InvalidClaims) {
                first = Some((rank, e));
            }
        }
    }
    first.map_or(Ok(()), |(_, e)| Err(e))
}

/// The caller's claims and the option claims, serialised as one object in key
/// order (both maps iterate sorted; no key is in both).
/// The claims and the option claims, merged in key order (both are
/// sorted), without copying either.
fn merged<'a>(
    claims: &'a Map<String, Value>,
    added: &'a [(&'a str, Cow<'a, Value>)],
) -> impl Iterator<Item = (&'a str, &'a Value)> {
    let claims = claims.iter().map(|(k, v)| (k.as_str(), v));
    let added = added.iter().map(|(k, v)| (*k, v.as_ref()));
    let (mut a, mut b) = (claims.peekable(), added.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some((ka, _)), Some((kb, _))) if kb < ka => b.next(),
        (Some(_), _) => a.next(),
        (None, _) => b.next(),
    })
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

/// Adds an option's claim, unless the claims already hold it: the same value
/// is fine, another is `conflicting_claim`.
fn add<'a>(
    claims: &Map<String, Value>,
    added: &mut Vec<(&'a str, Cow<'a, Value>)>,
    claim: &'a str,
    value: Cow<'a, Value>,
    option: &str,
) -> Result<()> {
    match claims.get(claim) {
        Some(existing) if !same(existing, &value) => Err(Error::new(
            ErrorCode::ConflictingClaim,
            format!(
                "option {option} sets {claim} to {}, but the claims already hold {claim} = {}",
                truncate(&to_text(&value), SHOWN),
                truncate(&to_text(existing), SHOWN)
            ),
        )
        .with("claim", claim)
        .with("option", option)
        // Both values are the caller's: bounded as the message bounds them.
        .with("claim_value", bounded(existing, SHOWN))
        .with("option_value", bounded(&value, SHOWN))),
        Some(_) => Ok(()),
        None => {
            added.push((claim, value));
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
    now: impl Into<UnixTime>,
    options: SignOptions,
) -> Result<String> {
    Signer::new(keys, options).sign(claims, now)
}
