//! Verifying (docs/spec.md §8.2): thirteen checks in a fixed order, the first
//! failure is the error, and no claim is read before the signature verified.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::base64url;
use super::claims::{check_type, human_duration, number, secs, REGISTERED};
use super::json::{bounded, parse_object, to_text, type_name, SHORT_SHOWN, SHOWN};
use super::key::{Key, Keyring, Prefixed};
use super::scan::{failure as scan_failure, scan_str, RawValue, Scanned};
use super::sign::header_segment;
use super::time::UnixTime;
use crate::environment::truncate;
use crate::error::{Error, ErrorCode, Result};
use crate::publish::{VerificationCounter, VerificationCounts};
use crate::rotation::KeySlot;
use crate::secret::is_fingerprint_form;

/// The default `max_token_bytes`.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 16 * 1024;

/// Verification options (docs/spec.md §8.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyOptions {
    /// When set, `iss` must be a string equal to one of these.
    pub issuer: Option<Vec<String>>,
    /// When set, `aud` must share one value with these; when not set, a token
    /// with `aud` is refused (RFC 7519 section 4.1.3).
    pub audience: Option<Vec<String>>,
    /// Seconds of clock tolerance for `exp`, `nbf` and `iat`.
    pub leeway: u64,
    /// Claims that must be present (default `["exp"]`).
    pub required: Vec<String>,
    /// When set, claim `token_type` must equal it.
    pub token_type: Option<String>,
    /// When set, `iat` must be present and `now - iat <= max_age + leeway`.
    pub max_age: Option<u64>,
    /// Larger input is refused before any decoding (default 16384).
    pub max_token_bytes: usize,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            issuer: None,
            audience: None,
            leeway: 0,
            required: vec!["exp".into()],
            token_type: None,
            max_age: None,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
        }
    }
}

/// A verified token: its claims (as the JSON text that was signed; build the
/// object with [`Verified::claims`]), its header and the fingerprint of the key
/// that verified it.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    /// The claims exactly as signed (the decoded payload, validated), for
    /// callers that hand JSON text to their own parser.
    pub claims_json: String,
    /// The header object (shared: a header the core writes is parsed once
    /// per verifier, not per token).
    pub header: Arc<Map<String, Value>>,
    /// The fingerprint of the key that verified the signature.
    pub key_fingerprint: String,
    /// The slot of that key when it came from a resolution (`current`,
    /// `next`, `previous`: docs/spec.md §14); `None` for a raw key.
    pub key_slot: Option<KeySlot>,
}

impl Verified {
    /// The claims object, built from [`Verified::claims_json`]. Verification
    /// only scans the claims; this is where the object is made.
    pub fn claims(&self) -> Map<String, Value> {
        // `unreachable!`, not `expect`: see `to_text`.
        parse_object(self.claims_json.as_bytes())
            .unwrap_or_else(|_| unreachable!("verified claims parse"))
    }

    /// The claims as your own type, deserialised from the signed JSON (what
    /// the `jsonwebtoken` crate's `decode::<Claims>` gives).
    ///
    /// ```
    /// # use jwt_accord::{Key, SignOptions, Signer, Verifier, VerifyOptions};
    /// #[derive(serde::Deserialize)]
    /// struct Claims { sub: String, exp: u64 }
    ///
    /// let key = Key::from_text("a-long-random-secret-of-at-least-32-bytes")?;
    /// let token = Signer::new(key.clone(), SignOptions { expires_in: Some(60), ..Default::default() })
    ///     .sign(&serde_json::json!({"sub": "user-1"}), 1_700_000_000)?;
    /// let verified = Verifier::new(key, VerifyOptions::default()).verify(&token, 1_700_000_010)?;
    /// let claims: Claims = verified.claims_as().expect("the claims fit Claims");
    /// assert_eq!((claims.sub.as_str(), claims.exp), ("user-1", 1_700_000_060));
    /// # Ok::<(), jwt_accord::Error>(())
    /// ```
    ///
    /// # Errors
    /// The claims do not fit `T` (a missing field, another type): serde's error.
    pub fn claims_as<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(&self.claims_json)
    }
}

/// A token's header and claims, decoded without any verification.
#[derive(Clone, Debug, PartialEq)]
pub struct Unverified {
    /// The header object.
    pub header: Map<String, Value>,
    /// The claims object.
    pub claims: Map<String, Value>,
}

/// A reusable verifier: keys (with prepared HMAC state) and options taken once.
#[derive(Clone, Debug)]
pub struct Verifier {
    keys: Keyring,
    options: VerifyOptions,
    /// Header segments the core itself writes, per key, with their parsed form:
    /// a token carrying one of them needs no header parsing.
    known_headers: Vec<KnownHeader>,
    /// `required`, plus `iat` when `max_age` is set.
    required: Vec<String>,
    /// Verifications so far, by result (shared by clones).
    counts: Arc<VerificationCounter>,
}

/// A header segment the core writes, with its parsed form and the keys a
/// token carrying it is checked with (the one its `kid` names, or all),
/// each with the HMAC state past `segment.` (as a signer keeps it): such a
/// token's signature costs the hashing of its payload only.
#[derive(Clone, Debug)]
struct KnownHeader {
    segment: String,
    header: Arc<Map<String, Value>>,
    keys: Vec<(usize, Prefixed)>,
}

impl KnownHeader {
    fn new(keys: &Keyring, kid: Option<usize>) -> KnownHeader {
        let segment = header_segment(kid.map(|index| keys.keys()[index].fingerprint()));
        let prefix = [segment.as_bytes(), b"."].concat();
        let held = keys.keys().iter().enumerate();
        KnownHeader {
            header: Arc::new(decode_header_map(&segment)),
            keys: held
                .filter(|(index, _)| kid.is_none_or(|kid| kid == *index))
                .map(|(index, key)| (index, key.prefixed(&prefix)))
                .collect(),
            segment,
        }
    }
}

fn malformed(message: String) -> Error {
    Error::new(ErrorCode::Malformed, message)
}

impl Verifier {
    /// A verifier for `keys` (a single [`Key`] converts) with `options`.
    pub fn new(keys: impl Into<Keyring>, options: VerifyOptions) -> Verifier {
        let keys = keys.into();
        let known_headers = std::iter::once(None)
            .chain((0..keys.keys().len()).map(Some))
            .map(|kid| KnownHeader::new(&keys, kid))
            .collect();
        let mut required = options.required.clone();
        if options.max_age.is_some() && !required.iter().any(|c| c == "iat") {
            required.push("iat".into());
        }
        Verifier {
            keys,
            options,
            known_headers,
            required,
            counts: VerificationCounter::shared(),
        }
    }

    /// How many verifications this verifier (and its clones) made, by result:
    /// for the metrics (docs/spec.md §16).
    pub fn counts(&self) -> VerificationCounts {
        self.counts.snapshot()
    }

    /// The options this verifier applies.
    pub fn options(&self) -> &VerifyOptions {
        &self.options
    }

    /// The keyring, current first.
    pub fn keys(&self) -> &Keyring {
        &self.keys
    }

    /// Verifies `token` at `now` (seconds since the epoch).
    ///
    /// # Errors
    /// The first failing check of docs/spec.md §8.2, in order: `token_too_large`,
    /// `malformed`, `unsupported_algorithm`, `unknown_key`, `invalid_signature`,
    /// `invalid_claim_type`, `missing_claim`, `expired`, `not_yet_valid`,
    /// `invalid_issuer`, `invalid_audience`, `wrong_token_type`.
    pub fn verify(&self, token: &str, now: impl Into<UnixTime>) -> Result<Verified> {
        let now = now.into().seconds();
        let passed = self.check(token, now)?;
        Ok(Verified {
            claims_json: passed.claims_json,
            header: passed.header,
            key_fingerprint: passed.key.fingerprint().to_owned(),
            key_slot: passed.key.slot(),
        })
    }

    /// [`Verifier::verify`] for callers that want only the claims, as the
    /// JSON text that was signed: the same checks, without building the
    /// header object or copying the fingerprint.
    ///
    /// # Errors
    /// As [`Verifier::verify`].
    pub fn verify_claims_json(&self, token: &str, now: impl Into<UnixTime>) -> Result<String> {
        let now = now.into().seconds();
        self.check(token, now).map(|passed| passed.claims_json)
    }

    /// Steps 1 to 13, counted by result.
    fn check(&self, token: &str, now: i64) -> Result<Passed<'_>> {
        let checked = self.check_uncounted(token, now);
        self.counts.record(match &checked {
            Ok(passed) => Ok(passed.key.slot()),
            Err(error) => Err(error.code()),
        });
        checked
    }

    /// Steps 1 to 13: the token past every check, and the key that verified it.
    fn check_uncounted(&self, token: &str, now: i64) -> Result<Passed<'_>> {
        let signed = self.authenticate(token)?;
        let Some(key) = signed.key else {
            return Err(self.no_key_error(&signed.header));
        };
        // 8. claims object (scanned, not built); UTF-8 checked once, here
        let not_object = |reason: String| {
            malformed(format!("claims are not a JSON object: {reason}")).with("part", "claims")
        };
        let claims_json = String::from_utf8(signed.payload)
            .map_err(|err| not_object(scan_failure(err.as_bytes())))?;
        let claims = scan_str(&claims_json, &self.required).map_err(not_object)?;
        check_claims(&claims, &self.required, &self.options, now)?;
        Ok(Passed {
            header: signed.header,
            claims_json,
            key,
        })
    }

    /// Which held key signed `token`, checking only steps 1 to 7 (size, shape,
    /// header, algorithm, `crit`, `kid`, signature) and no claim: `Some` with
    /// its fingerprint, or `None` when no held key produces the signature.
    /// For diagnostics ("which service's secret signed this?"), never for
    /// access decisions.
    ///
    /// # Errors
    /// `token_too_large`, `malformed` or `unsupported_algorithm`: the token
    /// cannot be checked at all.
    pub fn signed_by(&self, token: &str) -> Result<Option<String>> {
        Ok(self
            .authenticate(token)?
            .key
            .map(|k| k.fingerprint().to_owned()))
    }

    /// Steps 1 to 7.
    fn authenticate(&self, token: &str) -> Result<Signed<'_>> {
        // 1. size, before any decoding
        check_size(token, self.options.max_token_bytes)?;
        // 2. shape
        let split = Segments::of(token)?;
        let segments = split.parts;
        let signing_input = &token[..segments[0].len() + 1 + segments[1].len()];
        let known = self
            .known_headers
            .iter()
            .find(|known| known.segment == segments[0]);
        let header_bytes = match known {
            Some(_) => Vec::new(),
            None => split.decode(0, "header")?,
        };
        let payload = split.decode(1, "claims")?;
        // An HS256 signature is 32 bytes: decoded on the stack.
        let mut inline = [0; 32];
        let heap;
        let signature: &[u8] = if segments[2].len() == 43 {
            base64url::decode_to(segments[2], &mut inline)
                .ok_or_else(|| split.fail(not_canonical("signature")))?;
            &inline
        } else {
            heap = split.decode(2, "signature")?;
            &heap
        };

        // 3-6. header, alg, crit, kid -> keys to try; 7. signature, in constant time
        let (header, key) = match known {
            Some(known) => {
                let payload_segment = segments[1].as_bytes();
                let index = known
                    .keys
                    .iter()
                    .find(|(_, mac)| mac.verifies(payload_segment, signature))
                    .map(|(index, _)| *index);
                (
                    Arc::clone(&known.header),
                    index.map(|i| &self.keys.keys()[i]),
                )
            }
            None => {
                let header = check_header(&header_bytes)?;
                let selection = self.select(&header)?;
                let key = self.find_key(selection, signing_input.as_bytes(), signature);
                (Arc::new(header), key)
            }
        };
        Ok(Signed {
            header,
            payload,
            key,
        })
    }

    fn select(&self, header: &Map<String, Value>) -> Result<Selection> {
        match header.get("kid") {
            None => Ok(Selection::All),
            Some(Value::String(kid)) => Ok(self
                .keys
                .keys()
                .iter()
                .position(|k| k.fingerprint() == kid)
                .map_or(Selection::All, Selection::One)),
            Some(other) => Err(malformed(format!(
                "header kid must be a string, found {}",
                type_name(other)
            ))
            .with("part", "header")),
        }
    }

    fn find_key(&self, selection: Selection, message: &[u8], signature: &[u8]) -> Option<&Key> {
        let keys = self.keys.keys();
        match selection {
            Selection::One(index) => Some(&keys[index]).filter(|k| k.verifies(message, signature)),
            Selection::All => keys.iter().find(|k| k.verifies(message, signature)),
        }
    }

    fn no_key_error(&self, header: &Map<String, Value>) -> Error {
        let held = self.keys.fingerprints();
        match header.get("kid").and_then(Value::as_str) {
            Some(kid) if is_fingerprint_form(kid) && !held.iter().any(|h| h == kid) => Error::new(
                ErrorCode::UnknownKey,
                format!(
                    "token was signed with key {kid}, but this verifier holds {}: the services \
                     resolve different secrets",
                    held.join(", ")
                ),
            )
            .with("kid", kid)
            .with("held", held),
            _ => Error::new(
                ErrorCode::InvalidSignature,
                format!(
                    "signature does not verify with {} ({}): the token was altered or signed with \
                     another secret",
                    if held.len() == 1 {
                        "the held key".to_owned()
                    } else {
                        format!("any of the {} held keys", held.len())
                    },
                    held.join(", ")
                ),
            )
            .with("held", held),
        }
    }
}

/// A token past step 7: its header (borrowed when it is one the core
/// writes), its decoded payload, and the key that verified it, if any.
struct Signed<'a> {
    header: Arc<Map<String, Value>>,
    payload: Vec<u8>,
    key: Option<&'a Key>,
}

#[derive(Clone, Copy)]
enum Selection {
    One(usize),
    All,
}

/// A token past every check: its header, its claims as signed, its key.
struct Passed<'a> {
    header: Arc<Map<String, Value>>,
    claims_json: String,
    key: &'a Key,
}

fn decode_header_map(segment: &str) -> Map<String, Value> {
    // `unreachable!`, not `expect`: see `to_text`.
    let bytes = base64url::decode(segment).unwrap_or_else(|| unreachable!("own header decodes"));
    parse_object(&bytes).unwrap_or_else(|_| unreachable!("own header parses"))
}

fn check_size(token: &str, max: usize) -> Result<()> {
    check_token_size(token.len(), max)
}

/// Check 1 alone: a token of `size` bytes (UTF-8) against `max`. For bindings
/// whose host would have to copy a huge string into Rust before the core could
/// look at it: they refuse it first, with the core's own `token_too_large`.
///
/// # Errors
/// `token_too_large` when `size > max`.
pub fn check_token_size(size: usize, max: usize) -> Result<()> {
    if size > max {
        return Err(Error::new(
            ErrorCode::TokenTooLarge,
            format!("token has {size} bytes; at most {max} are accepted"),
        )
        .with("size", size)
        .with("maximum", max));
    }
    Ok(())
}

/// A token's three segments, found cheaply: when the last 43 bytes follow a
/// dot (an HS256 signature's length), only the header is searched for the
/// other one. A further dot would then be inside a base64url segment, which
/// fails to decode; [`Segments::fail`] reports [`split`]'s error first, so
/// errors are exactly those of splitting the whole token.
struct Segments<'a> {
    token: &'a str,
    parts: [&'a str; 3],
    /// Whether `parts` came from [`split`] (so no other dot exists).
    exact: bool,
}

impl<'a> Segments<'a> {
    fn of(token: &'a str) -> Result<Segments<'a>> {
        let bytes = token.as_bytes();
        let last = token.len().checked_sub(44).filter(|&at| bytes[at] == b'.');
        if let Some(last) = last {
            if let Some(first) = memchr::memchr(b'.', &bytes[..last]) {
                return Ok(Segments {
                    token,
                    parts: [&token[..first], &token[first + 1..last], &token[last + 1..]],
                    exact: false,
                });
            }
        }
        Ok(Segments {
            token,
            parts: split(token)?,
            exact: true,
        })
    }

    /// `error`, unless the token does not have three segments: that error.
    fn fail(&self, error: Error) -> Error {
        match self.exact {
            true => error,
            false => split(self.token).err().unwrap_or(error),
        }
    }

    /// Segment `index`, decoded (`part` names it in an error).
    fn decode(&self, index: usize, part: &str) -> Result<Vec<u8>> {
        decode_segment(self.parts[index], part).map_err(|e| self.fail(e))
    }
}

fn split(token: &str) -> Result<[&str; 3]> {
    // memchr finds each dot a word or a vector at a time; `str::split`
    // tested every byte (~1,700 instructions of a 390-byte token).
    let dots = memchr::memchr_iter(b'.', token.as_bytes());
    let mut dots = dots.take(3);
    match (dots.next(), dots.next(), dots.next()) {
        (Some(a), Some(b), None) => Ok([&token[..a], &token[a + 1..b], &token[b + 1..]]),
        _ => {
            let count = token.split('.').count();
            Err(malformed(format!(
                "token must have three dot-separated segments, found {count}"
            ))
            .with("part", "token"))
        }
    }
}

fn decode_segment(segment: &str, part: &str) -> Result<Vec<u8>> {
    base64url::decode(segment).ok_or_else(|| not_canonical(part))
}

fn not_canonical(part: &str) -> Error {
    malformed(format!(
        "{part} segment is not canonical base64url (no padding, no +, / or whitespace, no stray bits)"
    ))
    .with("part", part)
}

/// Steps 3 to 5: a JSON object, `alg` exactly `HS256`, no `crit`.
fn check_header(bytes: &[u8]) -> Result<Map<String, Value>> {
    let header = parse_object(bytes).map_err(|reason| {
        malformed(format!("header is not a JSON object: {reason}")).with("part", "header")
    })?;
    match header.get("alg") {
        None => return Err(malformed("header has no alg".into()).with("part", "header")),
        Some(Value::String(alg)) if alg == "HS256" => {}
        Some(other) => {
            let shown = match other {
                Value::String(s) => to_text(&truncate(s, SHORT_SHOWN)),
                v => truncate(&to_text(v), SHORT_SHOWN),
            };
            return Err(Error::new(
                ErrorCode::UnsupportedAlgorithm,
                format!("token algorithm {shown} is not supported: only HS256 is accepted"),
            )
            .with("expected", "HS256")
            .with("found", bounded(other, SHORT_SHOWN)));
        }
    }
    if header.contains_key("crit") {
        return Err(
            malformed("header has crit, and no extension is understood".into())
                .with("part", "header"),
        );
    }
    Ok(header)
}

/// Steps 9 to 13 on a verified token's claims.
fn check_claims(claims: &Scanned, required: &[String], o: &VerifyOptions, now: i64) -> Result<()> {
    // 9. types: told apart from the text; a value is built only to name a
    // problem. The times (`exp`, `nbf`, `iat`: REGISTERED[..3]) are kept.
    let mut times = [None; 3];
    for (index, (claim, raw)) in REGISTERED.iter().zip(claims.registered()).enumerate() {
        if let Some(raw) = raw {
            // Every other registered claim is a string (`aud` may also be
            // a list of them, which `check_type` reads).
            let fits = match times.get_mut(index) {
                Some(time) => {
                    *time = raw.time_value();
                    time.is_some()
                }
                None => raw.is_string(),
            };
            if !fits {
                check_type(claim, &raw.value(), ErrorCode::InvalidClaimType)?;
            }
        }
    }
    // 10. required
    for (index, claim) in required.iter().enumerate() {
        if !claims.has_required(index) {
            return Err(Error::new(
                ErrorCode::MissingClaim,
                format!("token has no {claim} claim, which is required"),
            )
            .with("claim", claim.as_str()));
        }
    }
    let now_f = now as f64;
    let leeway = o.leeway as f64;
    let [exp, nbf, iat] = times;
    // 11. exp
    if let Some(exp) = exp {
        if now_f >= exp + leeway {
            let ago = now_f - exp;
            return Err(Error::new(
                ErrorCode::Expired,
                format!(
                    "token expired {} ago (exp {}, now {now}, leeway {}s)",
                    human_duration(ago),
                    secs(exp),
                    o.leeway
                ),
            )
            .with("claim", "exp")
            .with("exp", claims.get("exp").map(RawValue::value))
            .with("now", now)
            .with("leeway", o.leeway)
            .with("seconds_ago", number(ago)));
        }
    }
    // 12. nbf, iat in the future, max_age
    if let Some(nbf) = nbf {
        if now_f + leeway < nbf {
            return Err(not_yet_valid("nbf", nbf, claims, now, o.leeway));
        }
    }
    if let Some(iat) = iat {
        if iat > now_f + leeway {
            return Err(not_yet_valid("iat", iat, claims, now, o.leeway));
        }
        if let Some(max_age) = o.max_age {
            let age = now_f - iat;
            if age > max_age as f64 + leeway {
                return Err(Error::new(
                    ErrorCode::Expired,
                    format!(
                        "token is {} old, older than max_age {}s (iat {}, now {now}, leeway {}s)",
                        human_duration(age),
                        max_age,
                        secs(iat),
                        o.leeway
                    ),
                )
                .with("claim", "iat")
                .with("iat", claims.get("iat").map(RawValue::value))
                .with("now", now)
                .with("max_age", max_age)
                .with("leeway", o.leeway)
                .with("age", number(age)));
            }
        }
    }
    // 13. iss, aud, token_type
    if let Some(issuers) = &o.issuer {
        let found = claims.get("iss");
        if !found
            .and_then(RawValue::as_str)
            .is_some_and(|iss| issuers.iter().any(|i| *i == iss))
        {
            return Err(Error::new(
                ErrorCode::InvalidIssuer,
                match found {
                    Some(iss) => format!(
                        "token issuer {} is not {}",
                        shown(Some(iss)),
                        one_of(issuers)
                    ),
                    None => format!("token has no iss claim; expected {}", one_of(issuers)),
                },
            )
            .with("expected", issuers.clone())
            .with("found", found_bounded(found)));
        }
    }
    let aud = claims.get("aud");
    match (&o.audience, aud) {
        (None, None) => {}
        (None, Some(found)) => {
            return Err(Error::new(
                ErrorCode::InvalidAudience,
                format!(
                    "token has audience {}, but this verifier expects none: set the audience \
                     option (RFC 7519 section 4.1.3)",
                    shown(Some(found))
                ),
            )
            .with("expected", Value::Null)
            .with("found", bounded(&found.value(), SHOWN)));
        }
        (Some(expected), found) => {
            let matches = |a: &Value| a.as_str().is_some_and(|a| expected.iter().any(|e| e == a));
            let ok = match found {
                Some(one) if one.is_string() => one
                    .as_str()
                    .is_some_and(|a| expected.iter().any(|e| *e == a)),
                Some(other) => match other.value() {
                    Value::Array(items) => items.iter().any(matches),
                    _ => false,
                },
                None => false,
            };
            if !ok {
                return Err(Error::new(
                    ErrorCode::InvalidAudience,
                    match found {
                        Some(aud) => format!(
                            "token audience {} does not include {}",
                            shown(Some(aud)),
                            one_of(expected)
                        ),
                        None => format!("token has no aud claim; expected {}", one_of(expected)),
                    },
                )
                .with("expected", expected.clone())
                .with("found", found_bounded(found)));
            }
        }
    }
    if let Some(expected) = &o.token_type {
        let found = claims.get("token_type");
        if found.and_then(RawValue::as_str).as_deref() != Some(expected.as_str()) {
            return Err(Error::new(
                ErrorCode::WrongTokenType,
                match found {
                    Some(t) => format!(
                        "token type {} is not the expected {}",
                        shown(Some(t)),
                        to_text(expected)
                    ),
                    None => format!(
                        "token has no token_type claim; expected {}",
                        to_text(expected)
                    ),
                },
            )
            .with("expected", expected.as_str())
            .with("found", found_bounded(found)));
        }
    }
    Ok(())
}

fn not_yet_valid(claim: &str, at: f64, claims: &Scanned, now: i64, leeway: u64) -> Error {
    let what = if claim == "nbf" {
        "is not valid until"
    } else {
        "was issued at"
    };
    Error::new(
        ErrorCode::NotYetValid,
        format!(
            "token {what} {}, {} from now ({claim} {}, now {now}, leeway {leeway}s)",
            secs(at),
            human_duration(at - now as f64),
            secs(at)
        ),
    )
    .with("claim", claim)
    .with(claim, claims.get(claim).map(RawValue::value))
    .with("now", now)
    .with("leeway", leeway)
}

fn shown(value: Option<RawValue>) -> String {
    match value {
        None => "(none)".into(),
        Some(v) => truncate(&to_text(&v.value()), SHOWN),
    }
}

/// A claim's value for details: bounded as [`shown`] bounds it, `null` when absent.
fn found_bounded(value: Option<RawValue>) -> Value {
    value.map_or(Value::Null, |v| bounded(&v.value(), SHOWN))
}

fn one_of(values: &[String]) -> String {
    match values {
        [one] => to_text(one),
        many => format!("one of {}", to_text(many)),
    }
}

/// Verifies `token` against `keys` at `now`: a one-shot [`Verifier`].
///
/// # Errors
/// As [`Verifier::verify`].
pub fn verify(
    token: &str,
    keys: impl Into<Keyring>,
    now: impl Into<UnixTime>,
    options: VerifyOptions,
) -> Result<Verified> {
    Verifier::new(keys, options).verify(token, now)
}

/// The header and claims of a well-formed token, checking nothing else: not
/// the signature, the algorithm or any claim. For display and for scheduling a
/// refresh in a browser; never for an access decision.
///
/// # Errors
/// `token_too_large` (over the default 16384 bytes) or `malformed`.
pub fn decode_unverified(token: &str) -> Result<Unverified> {
    check_size(token, DEFAULT_MAX_TOKEN_BYTES)?;
    let split = Segments::of(token)?;
    let header = split.decode(0, "header")?;
    let claims = split.decode(1, "claims")?;
    split.decode(2, "signature")?;
    let header = parse_object(&header).map_err(|reason| {
        malformed(format!("header is not a JSON object: {reason}")).with("part", "header")
    })?;
    let claims = parse_object(&claims).map_err(|reason| {
        malformed(format!("claims are not a JSON object: {reason}")).with("part", "claims")
    })?;
    Ok(Unverified { header, claims })
}
