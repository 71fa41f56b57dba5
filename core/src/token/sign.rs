//! Signing (docs/spec.md §8.1): deterministic bytes, sorted claim keys, `kid` =
//! key fingerprint by default, options that never silently override a claim.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::base64url;
use super::claims::{check_registered_type, registered_rank, time_value, REGISTERED};
use super::json::{
    bounded, nests_deeper_than, parse_value, to_text, type_name, MAX_JSON_DEPTH, SHOWN,
};
use super::key::{Key, Keyring, Prefixed};
use super::time::UnixTime;
use super::write::{put_byte, put_padded, write_growing, write_member, write_value, Stop};
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
        // The option claims, borrowed or (times) built here, on the stack; a
        // claim the caller already holds is checked, not added. The depth
        // check comes first in contract order: its error wins over theirs.
        let o = &self.options;
        let exp = o
            .expires_in
            .map(|seconds| now.checked_add(seconds).map(Value::from));
        let nbf = o
            .not_before
            .map(|seconds| now.checked_add(seconds).map(Value::from));
        let iat = Value::from(now);
        let mut added: [(&str, &Value); OPTION_CLAIMS] = [("", &Value::Null); OPTION_CLAIMS];
        let count = self
            .option_claims(claims, [&exp, &nbf], &iat, &mut added)
            .map_err(|e| check_depth(claims).err().unwrap_or(e))?;
        let added = &mut added[..count];
        added.sort_unstable_by(|(a, _), (b, _)| key_order(a, b));

        with_scratch(|scratch| {
            // A registered claim of the wrong type is found while writing.
            let end = write_growing(scratch, |buf| write_claims(buf, claims, added))
                .map_err(|_| too_deep())??;
            let payload = &scratch[..end];
            let mut token =
                String::with_capacity(self.header_segment.len() + payload.len() * 4 / 3 + 48);
            token.push_str(&self.header_segment);
            token.push('.');
            let prefix = token.len();
            base64url::encode_into(payload, &mut token);
            let tag = self.mac.tag(&token.as_bytes()[prefix..]);
            token.push('.');
            base64url::encode_into(&tag, &mut token);
            self.signatures.record();
            Ok(token)
        })
    }
}

/// Writes the claims and the option claims `added` (sorted) into `buf`, as
/// one object in key order: one walk, each claim type-checked if registered
/// and its depth checked as it is written. Returns where the text ends, or
/// the first type error in contract order (once the whole text fit).
///
/// # Errors
/// [`Stop`] as the writers report it.
fn write_claims(
    buf: &mut [u8],
    claims: &Map<String, Value>,
    added: &[(&str, &Value)],
) -> std::result::Result<Result<usize>, Stop> {
    let mut first: Option<(usize, Error)> = None;
    let mut rest = added;
    let mut at = 0;
    // Every member is written after a comma; the first one's becomes the
    // opening brace at the end.
    let mut emit = |at: usize, claim: &str, value: &Value| {
        let Some(rank) = registered_rank(claim) else {
            let at = put_byte(buf, at, b',')?;
            return write_member(buf, at, claim, value, MAX_JSON_DEPTH - 1);
        };
        if first.as_ref().is_none_or(|(r, _)| *r > rank) {
            if let Err(e) = check_registered_type(rank, value, ErrorCode::InvalidClaims) {
                first = Some((rank, e));
            }
        }
        // A registered name needs no escaping: `,"name":` is a constant.
        let (padded, len) = &REGISTERED_MEMBERS[rank];
        let at = put_padded(buf, at, padded, *len)?;
        write_value(buf, at, value, MAX_JSON_DEPTH - 1)
    };
    for (claim, value) in claims {
        while let Some((&(option_claim, option_value), tail)) = rest.split_first() {
            match key_order(option_claim, claim) {
                Ordering::Greater => break,
                Ordering::Less => at = emit(at, option_claim, option_value)?,
                // Only for iat (see `option_claims`): the caller's is written.
                Ordering::Equal => {}
            }
            rest = tail;
        }
        at = emit(at, claim, value)?;
    }
    for &(claim, value) in rest {
        at = emit(at, claim, value)?;
    }
    if at == 0 {
        at = put_byte(buf, at, b'{')?;
    } else {
        put_byte(buf, 0, b'{')?;
    }
    at = put_byte(buf, at, b'}')?;
    Ok(match first {
        Some((_, e)) => Err(e),
        None => Ok(at),
    })
}
impl Signer {
    /// Puts the option claims the claims lack into `added` (in the order the
    /// options are checked: a conflict reports the first); returns how many.
    /// `times` holds `now + expires_in` and `now + not_before` (`Some(None)`
    /// when the sum overflows).
    fn option_claims<'a>(
        &'a self,
        claims: &Map<String, Value>,
        times: [&'a Option<Option<Value>>; 2],
        iat: &'a Value,
        added: &mut [(&'a str, &'a Value); OPTION_CLAIMS],
    ) -> Result<usize> {
        let mut count = 0;
        let o = &self.options;
        let timed = [
            ("exp", o.expires_in, "expires_in"),
            ("nbf", o.not_before, "not_before"),
        ];
        for ((claim, seconds, option), time) in timed.into_iter().zip(times) {
            match (seconds, time) {
                (Some(seconds), Some(None)) => return Err(overflow(claim, seconds)),
                (_, Some(Some(value))) => add(claims, added, &mut count, claim, value, option)?,
                _ => {}
            }
        }
        for (claim, value, option) in &self.fixed {
            add(claims, added, &mut count, claim, value, option)?;
        }
        // iat, set by no option, is added unchecked: where the claims hold
        // one too, the walk in `sign_map` writes theirs.
        if o.set_issued_at {
            added[count] = ("iat", iat);
            count += 1;
        }
        Ok(count)
    }
}

thread_local! {
    /// The buffer of the thread's last signature's claims text, kept for the
    /// next: an allocation, a zero fill and a free less per token.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with the thread's scratch buffer, as the last call left it (the
/// writers overwrite it from the start); a buffer grown past
/// [`SCRATCH_KEPT`] by large claims is freed after.
fn with_scratch<T>(f: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    SCRATCH.with_borrow_mut(|scratch| {
        let result = f(scratch);
        if scratch.capacity() > SCRATCH_KEPT {
            *scratch = Vec::new();
        }
        result
    })
}

/// The most scratch capacity a thread keeps between signatures.
const SCRATCH_KEPT: usize = 16 * 1024;

/// Each [`REGISTERED`] name as a member's start, `,"name":`, padded to 16
/// bytes, and its length, in the same order.
const REGISTERED_MEMBERS: [([u8; 16], usize); 8] = {
    let mut members = [([0; 16], 0); 8];
    let mut i = 0;
    while i < REGISTERED.len() {
        let name = REGISTERED[i].as_bytes();
        let (padded, len) = &mut members[i];
        padded[0] = b',';
        padded[1] = b'"';
        let mut j = 0;
        while j < name.len() {
            padded[2 + j] = name[j];
            j += 1;
        }
        padded[2 + j] = b'"';
        padded[3 + j] = b':';
        *len = name.len() + 4;
        i += 1;
    }
    members
};

/// `a.cmp(b)`, told by the first bytes where they differ (as they mostly do
/// between an option claim and a caller's): no call to `memcmp`.
#[inline(always)]
fn key_order(a: &str, b: &str) -> Ordering {
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(x), Some(y)) if x != y => x.cmp(y),
        _ => a.cmp(b),
    }
}

/// At most one claim per option: exp, nbf, iss, aud, sub, token_type, jti, iat.
const OPTION_CLAIMS: usize = 8;

/// An option's time claim past `i64`: `now + seconds` overflows.
fn overflow(claim: &str, seconds: i64) -> Error {
    Error::new(
        ErrorCode::InvalidClaims,
        format!("{claim} overflows: now + {seconds}"),
    )
    .with("claim", claim)
}

fn too_deep() -> Error {
    Error::new(
        ErrorCode::InvalidClaims,
        format!("claims nest deeper than {MAX_JSON_DEPTH} levels"),
    )
    .with("reason", "too_deep")
}

fn check_depth(claims: &Map<String, Value>) -> Result<()> {
    if claims
        .values()
        .any(|v| nests_deeper_than(v, MAX_JSON_DEPTH - 1))
    {
        return Err(too_deep());
    }
    Ok(())
}

/// Adds an option's claim, unless the claims already hold it: the same value
/// is fine, another is `conflicting_claim`.
fn add<'a>(
    claims: &Map<String, Value>,
    added: &mut [(&'a str, &'a Value); OPTION_CLAIMS],
    count: &mut usize,
    claim: &'a str,
    value: &'a Value,
    option: &str,
) -> Result<()> {
    match claims.get(claim) {
        Some(existing) if !same(existing, value) => Err(Error::new(
            ErrorCode::ConflictingClaim,
            format!(
                "option {option} sets {claim} to {}, but the claims already hold {claim} = {}",
                truncate(&to_text(value), SHOWN),
                truncate(&to_text(existing), SHOWN)
            ),
        )
        .with("claim", claim)
        .with("option", option)
        // Both values are the caller's: bounded as the message bounds them.
        .with("claim_value", bounded(existing, SHOWN))
        .with("option_value", bounded(value, SHOWN))),
        Some(_) => Ok(()),
        None => {
            added[*count] = (claim, value);
            *count += 1;
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

#[cfg(test)]
mod tests {
    use super::super::claims::REGISTERED;
    use super::{key_order, REGISTERED_MEMBERS};

    #[test]
    fn registered_members_quote_the_registered_names_in_order() {
        for ((padded, len), name) in REGISTERED_MEMBERS.iter().zip(REGISTERED) {
            let want = format!(",{}:", serde_json::to_string(name).unwrap());
            assert_eq!(&padded[..*len], want.as_bytes());
            assert!(padded[*len..].iter().all(|&b| b == 0));
        }
    }

    proptest::proptest! {
        /// Keys order as strings do.
        #[test]
        fn keys_order_as_strings_do(a in "[a-c\u{e9}]{0,4}", b in "[a-c\u{e9}]{0,4}") {
            proptest::prop_assert_eq!(key_order(&a, &b), a.cmp(&b));
        }
    }
}
