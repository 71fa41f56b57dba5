//! The napi-rs addon behind the npm package `jwt-accord`.
//!
//! Thin conversions only (docs/bindings.md): each export converts its
//! arguments, makes one call into the core (`jwt_accord`) and converts the
//! result or the error. The JavaScript wrapper `js/node/index.js` is the public
//! API; this module is its private native half (`js/node/native.js`).
//!
//! What crosses the boundary, and why:
//! - claims go in as `JSON.stringify` text and come out as the payload text
//!   for `JSON.parse` (`Signer::sign_json`, `Verifier::verify_claims_json`): one string
//!   each way is cheaper than building objects field by field, and `JSON.parse`
//!   never lets a `"__proto__"` claim reach an object's prototype;
//! - a core error crosses as an `Error` whose `code` is [`ERROR_CODE`] and whose
//!   message is the core's `{"code","message","details"}` JSON; the wrapper
//!   turns it into a `JwtAccordError` (see [`throw`], the one place);
//! - argument errors are napi `InvalidArg` errors, which the wrapper rethrows
//!   as `TypeError`.

use jwt_accord as core;
use napi::bindgen_prelude::{ClassInstance, Either, Either3, Uint8Array};
use napi::{Env, JsString, Status};
use napi_derive::napi;
use serde_json::Value;
use zeroize::Zeroizing;

/// The `code` of the native error that carries a core error as JSON.
const ERROR_CODE: &str = "JWT_ACCORD_CORE_ERROR";

type Result<T> = napi::Result<T>;

#[cfg(feature = "alternatives")]
mod alternatives;

/// The one place a core error becomes a JavaScript exception: an `Error` with
/// `code` [`ERROR_CODE`] and the core's error JSON as its message, which
/// `js/node/index.js` (`fromNative`) turns into a `JwtAccordError`.
fn throw(env: &Env, error: &core::Error) -> napi::Error {
    match env.throw_error(&error.to_json(), Some(ERROR_CODE)) {
        Ok(()) => napi::Error::from_status(Status::PendingException),
        Err(failed) => failed,
    }
}

fn invalid_arg(message: impl Into<String>) -> napi::Error {
    napi::Error::new(Status::InvalidArg, message.into())
}

/// `now` as seconds since the epoch: `seconds_from_f64` floors; out of range is a `TypeError`.
fn seconds(now: f64) -> Result<i64> {
    core::seconds_from_f64(now).ok_or_else(|| {
        invalid_arg("now must be a finite number of seconds since the epoch, within +-2^53")
    })
}

fn non_negative(name: &str, value: i64) -> Result<u64> {
    u64::try_from(value)
        .map_err(|_| invalid_arg(format!("options.{name} must be a non-negative integer")))
}

/// Flat `[name, value, name, value, ...]` pairs (the wrapper checked they are
/// strings), each value moved, not copied, into a buffer wiped when dropped.
fn pairs(flat: Vec<String>) -> core::Variables {
    let mut iter = flat.into_iter();
    let mut out = Vec::with_capacity(iter.len() / 2);
    while let (Some(name), Some(value)) = (iter.next(), iter.next()) {
        out.push((name, Zeroizing::new(value)));
    }
    out
}

/// A key as JavaScript gives it: text, bytes (`Uint8Array` or `Buffer`) or a resolution.
type KeyInput<'a> = Either3<String, Uint8Array, ClassInstance<'a, Resolution>>;

fn keyring(keys: Vec<KeyInput>) -> core::Result<core::Keyring> {
    let mut held = Vec::with_capacity(keys.len());
    for key in keys {
        match key {
            Either3::A(text) => held.push(core::Key::from_text(&Zeroizing::new(text))?),
            Either3::B(bytes) => held.push(core::Key::from_bytes(&bytes)?),
            // A resolution's keys: current, next, previous (docs/spec.md §14).
            Either3::C(resolution) => {
                held.extend(core::Key::from_resolution(&resolution.inner).into_keys())
            }
        }
    }
    core::Keyring::new(held)
}

fn list(value: Either<String, Vec<String>>) -> Vec<String> {
    match value {
        Either::A(one) => vec![one],
        Either::B(many) => many,
    }
}

/// The fingerprint of a secret (text: its UTF-8 bytes): 16 hex characters.
#[napi(catch_unwind)]
pub fn fingerprint(secret: Either<String, Uint8Array>) -> String {
    match secret {
        Either::A(text) => core::fingerprint(Zeroizing::new(text).as_bytes()),
        Either::B(bytes) => core::fingerprint(&bytes),
    }
}

/// Panics, for the hardening suite (js/test/hardening.test.mjs): every export
/// is `catch_unwind`, so a panic in native code becomes an `Error` instead of
/// aborting the process.
#[napi(catch_unwind, js_name = "__panicForTests")]
pub fn panic_for_tests() {
    panic!("jwt-accord: the panic test hook was called");
}

/// A resolved secret and its report. Built only by `resolve`.
#[napi]
pub struct Resolution {
    inner: core::Resolution,
}

#[napi]
impl Resolution {
    /// The JSON form (`to_json()`), byte for byte.
    #[napi(catch_unwind)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The one-line summary for start-up logs.
    #[napi(catch_unwind)]
    pub fn summary(&self) -> String {
        self.inner.summary()
    }

    /// The secret itself (text: resolved values are always text). The JS
    /// string is built straight from the core's wiped buffer: no Rust copy of
    /// the secret is made, so none is freed unwiped.
    #[napi(catch_unwind)]
    pub fn expose_secret<'env>(&self, env: &'env Env) -> Result<JsString<'env>> {
        env.create_string(self.inner.expose_secret_text())
    }
}

/// Resolves the secret from `variables` and `store` (flat name/value pairs).
#[napi(catch_unwind)]
pub fn resolve(
    env: Env,
    variables: Vec<String>,
    store: Vec<String>,
    environment: Option<String>,
) -> Result<Resolution> {
    core::resolve(&pairs(variables), &pairs(store), environment.as_deref())
        .map(|inner| Resolution { inner })
        .map_err(|e| throw(&env, &e))
}

/// The variable names to read from `env`, and only those (`variables_read`):
/// call with `environmentVariable` undefined; if the list holds `ENVIRONMENT`,
/// read it and call again with its value.
#[napi(catch_unwind)]
pub fn variable_names(
    environment: Option<String>,
    environment_variable: Option<String>,
) -> Vec<String> {
    core::variables_read(environment.as_deref(), environment_variable.as_deref())
}

/// The store-entry names to fetch for the environment that `variables` and
/// `environment` select, in resolution order.
#[napi(catch_unwind)]
pub fn store_entry_names(
    env: Env,
    variables: Vec<String>,
    environment: Option<String>,
) -> Result<Vec<String>> {
    core::select_environment(environment.as_deref(), &pairs(variables))
        .map(|(environment, _)| core::store_entry_names(&environment).to_vec())
        .map_err(|e| throw(&env, &e))
}

/// Signing options (docs/spec.md §8.1). Each sets a claim; a claim already in
/// the claims with a different value is `conflicting_claim`.
#[napi(object)]
pub struct SignOptions {
    /// Seconds from `now` to `exp`.
    pub expires_in: Option<i64>,
    /// `iss`.
    pub issuer: Option<String>,
    /// `aud`: one string, or a list kept as a list.
    pub audience: Option<Either<String, Vec<String>>>,
    /// `sub`.
    pub subject: Option<String>,
    /// Claim `token_type` (e.g. `access`, `refresh`).
    pub token_type: Option<String>,
    /// Seconds from `now` to `nbf` (0: valid from now).
    pub not_before: Option<i64>,
    /// `jti`.
    pub jti: Option<String>,
    /// Set `iat = now` when the claims hold no `iat` (default `true`).
    pub set_issued_at: Option<bool>,
    /// Header `kid`: `true` (default) the key's fingerprint, `false` none, a string that `kid`.
    pub kid: Option<Either<bool, String>>,
}

impl From<SignOptions> for core::SignOptions {
    fn from(o: SignOptions) -> Self {
        core::SignOptions {
            expires_in: o.expires_in,
            issuer: o.issuer,
            audience: o.audience.map(|a| match a {
                Either::A(one) => core::Audience::One(one),
                Either::B(many) => core::Audience::Many(many),
            }),
            subject: o.subject,
            token_type: o.token_type,
            not_before: o.not_before,
            jti: o.jti,
            set_issued_at: o.set_issued_at.unwrap_or(true),
            kid: match o.kid {
                None | Some(Either::A(true)) => core::Kid::Fingerprint,
                Some(Either::A(false)) => core::Kid::Omit,
                Some(Either::B(kid)) => core::Kid::Custom(kid),
            },
        }
    }
}

/// A reusable signer (the key schedule and header prepared once).
#[napi]
pub struct Signer {
    inner: core::Signer,
}

#[napi]
impl Signer {
    #[napi(constructor, catch_unwind)]
    pub fn new(
        env: Env,
        #[napi(ts_arg_type = "Array<string | Uint8Array | Resolution>")] keys: Vec<KeyInput>,
        options: SignOptions,
    ) -> Result<Self> {
        let keys = keyring(keys).map_err(|e| throw(&env, &e))?;
        Ok(Signer {
            inner: core::Signer::new(keys, options.into()),
        })
    }

    /// Signs claims given as `JSON.stringify` text at `now` (seconds).
    #[napi(catch_unwind)]
    pub fn sign(&self, env: Env, claims_json: String, now: f64) -> Result<String> {
        let now = seconds(now)?;
        let signed = self.inner.sign_json(&claims_json, now);
        signed.map_err(|e| throw(&env, &e))
    }

    /// The signing key's fingerprint (16 hex characters; the default `kid`).
    #[napi(getter)]
    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint().to_owned()
    }
}

/// Verification options (docs/spec.md §8.2).
#[napi(object)]
pub struct VerifyOptions {
    /// When set, `iss` must be a string equal to one of these.
    pub issuer: Option<Either<String, Vec<String>>>,
    /// When set, `aud` must share a value with these; when not set, a token with `aud` is refused.
    pub audience: Option<Either<String, Vec<String>>>,
    /// Seconds of clock tolerance for `exp`, `nbf` and `iat` (default 0).
    pub leeway: Option<i64>,
    /// Claims that must be present (default `["exp"]`; `[]` requires nothing).
    pub required: Option<Vec<String>>,
    /// When set, claim `token_type` must equal it.
    pub token_type: Option<String>,
    /// When set, `iat` must be present and `now - iat <= maxAge + leeway`.
    pub max_age: Option<i64>,
    /// Larger tokens are refused before any decoding (default 16384).
    pub max_token_bytes: Option<i64>,
}

impl TryFrom<VerifyOptions> for core::VerifyOptions {
    type Error = napi::Error;

    fn try_from(o: VerifyOptions) -> Result<Self> {
        let defaults = core::VerifyOptions::default();
        Ok(core::VerifyOptions {
            issuer: o.issuer.map(list),
            audience: o.audience.map(list),
            leeway: o
                .leeway
                .map(|v| non_negative("leeway", v))
                .transpose()?
                .unwrap_or(defaults.leeway),
            required: o.required.unwrap_or(defaults.required),
            token_type: o.token_type,
            max_age: o.max_age.map(|v| non_negative("maxAge", v)).transpose()?,
            max_token_bytes: match o.max_token_bytes {
                None => defaults.max_token_bytes,
                Some(v) => usize::try_from(non_negative("maxTokenBytes", v)?)
                    .map_err(|_| invalid_arg("options.maxTokenBytes is too large"))?,
            },
        })
    }
}

/// A verified token as text: claims and header JSON for `JSON.parse`.
#[napi(object)]
pub struct VerifiedText {
    pub claims_json: String,
    pub header_json: String,
    pub key_fingerprint: String,
}

/// A decoded (unverified) token as text.
#[napi(object)]
pub struct DecodedText {
    pub header_json: String,
    pub claims_json: String,
}

fn object_json(map: &serde_json::Map<String, Value>) -> String {
    serde_json::to_string(map).expect("a JSON object serialises")
}

/// A reusable verifier (keys and options taken once).
#[napi]
pub struct Verifier {
    inner: core::Verifier,
}

#[napi]
impl Verifier {
    #[napi(constructor, catch_unwind)]
    pub fn new(
        env: Env,
        #[napi(ts_arg_type = "Array<string | Uint8Array | Resolution>")] keys: Vec<KeyInput>,
        options: VerifyOptions,
    ) -> Result<Self> {
        let options = options.try_into()?;
        let keys = keyring(keys).map_err(|e| throw(&env, &e))?;
        Ok(Verifier {
            inner: core::Verifier::new(keys, options),
        })
    }

    /// The size limit this verifier applies (`maxTokenBytes`, or the default).
    #[napi(getter)]
    pub fn max_token_bytes(&self) -> f64 {
        self.inner.options().max_token_bytes as f64
    }

    /// The held keys' fingerprints, current first.
    #[napi(getter)]
    pub fn fingerprints(&self) -> Vec<String> {
        self.inner.keys().fingerprints()
    }

    /// Verifies `token` at `now` (seconds); returns the claims JSON text as signed.
    #[napi(catch_unwind)]
    pub fn verify(&self, env: Env, token: String, now: f64) -> Result<String> {
        let now = seconds(now)?;
        self.inner
            .verify_claims_json(&token, now)
            .map_err(|e| throw(&env, &e))
    }

    /// Verifies `token` at `now`; returns claims, header and the key's fingerprint.
    #[napi(catch_unwind)]
    pub fn verify_full(&self, env: Env, token: String, now: f64) -> Result<VerifiedText> {
        let now = seconds(now)?;
        self.inner
            .verify(&token, now)
            .map(|v| VerifiedText {
                header_json: object_json(&v.header),
                claims_json: v.claims_json,
                key_fingerprint: v.key_fingerprint,
            })
            .map_err(|e| throw(&env, &e))
    }
}

/// The size limit `decodeUnverified` applies.
#[napi]
pub const DEFAULT_MAX_TOKEN_BYTES: u32 = core::DEFAULT_MAX_TOKEN_BYTES as u32;

/// Check 1 alone, on a size the wrapper measured: throws the core's
/// `token_too_large` when `size > max`, so an oversized string is refused
/// before it is copied into native memory.
#[napi(catch_unwind)]
pub fn check_token_size(env: Env, size: f64, max: f64) -> Result<()> {
    core::check_token_size(size as usize, max as usize).map_err(|e| throw(&env, &e))
}

/// The header and claims of a well-formed token, checking nothing else.
#[napi(catch_unwind)]
pub fn decode_unverified(env: Env, token: String) -> Result<DecodedText> {
    core::decode_unverified(&token)
        .map(|u| DecodedText {
            header_json: object_json(&u.header),
            claims_json: object_json(&u.claims),
        })
        .map_err(|e| throw(&env, &e))
}

/// Compares service reports given as `JSON.stringify` text of an array;
/// returns the result's JSON text.
#[napi(catch_unwind)]
pub fn check_consistency(reports_json: String) -> Result<String> {
    core::check_consistency_json(&reports_json)
        .map(|result| result.to_json())
        .map_err(invalid_arg)
}
