//! The napi-rs addon behind the npm package `jwt-accord`: one of the two
//! engines of the engine contract (docs/bindings.md, "The engine contract"),
//! which the WASM module (bindings/wasm) implements name for name.
//!
//! Thin conversions only: each export converts its arguments, makes one call
//! into the core (`jwt_accord`) and converts the result or the error. The
//! public API is the shared JavaScript wrapper (js/shared/api.mjs, generated
//! into js/node/api.cjs); this module is its native half (`js/node/native.js`).
//!
//! What crosses the boundary: strings, numbers and bytes. Claims, options and
//! results cross as JSON text (one string each way is cheaper than building
//! objects field by field, and `JSON.parse` never lets a `"__proto__"` claim
//! reach a prototype). Every failure is thrown as an `Error` whose message is
//! the error wire format, `{"code","details","message"}` ([`throw`] and
//! [`argument_error`], the only two places).

use jwt_accord as core;
use jwt_accord::host;
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;
use zeroize::Zeroizing;

type Result<T> = napi::Result<T>;

#[cfg(feature = "alternatives")]
mod alternatives;

/// A core error as the wire format: an `Error` whose message is the core's
/// `Error::to_json` text.
fn throw(error: core::Error) -> napi::Error {
    napi::Error::from_reason(error.to_json())
}

/// A wrong argument (a `TypeError` in JavaScript), in the same wire format.
fn argument_error(message: &str) -> napi::Error {
    napi::Error::from_reason(host::argument_error_json(message))
}

/// `now` as seconds since the epoch: `seconds_from_f64` floors; out of range is a `TypeError`.
fn seconds(now: f64) -> Result<i64> {
    core::seconds_from_f64(now).ok_or_else(|| {
        argument_error("now must be a finite number of seconds since the epoch, within +-2^53")
    })
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

/// The core's constants and code lists as JSON text (`host::constants_json`).
#[napi(catch_unwind)]
pub fn constants() -> String {
    host::constants_json()
}

/// The fingerprint of a byte secret (a text secret: its UTF-8 bytes, encoded
/// by the wrapper): 16 hex characters.
#[napi(catch_unwind)]
pub fn fingerprint_bytes(secret: Uint8Array) -> String {
    core::fingerprint(&secret)
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
    #[napi(catch_unwind, js_name = "toJsonText")]
    pub fn to_json_text(&self) -> String {
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
    pub fn expose_secret<'env>(&self, env: &'env napi::Env) -> napi::Result<napi::JsString<'env>> {
        env.create_string(self.inner.expose_secret_text())
    }
}

/// Resolves the secret (docs/spec.md §3, §14, §15) from `variables` (flat
/// name/value pairs), the store (`store`: flat pairs; `directory`: a directory
/// store; neither: none, so `CREDENTIALS_DIRECTORY` applies) and the files:
/// `files` as read up front by the caller's `readFile` (`host::file_reads`),
/// or, when undefined, read here with the core's `StdFiles` (the reader of the
/// Python and CLI builds, so a failure has the same reason everywhere).
#[napi(catch_unwind)]
pub fn resolve(
    variables: Vec<String>,
    store: Option<Vec<String>>,
    directory: Option<String>,
    environment: Option<String>,
    files: Option<Vec<String>>,
) -> Result<Resolution> {
    host::resolve_flat(
        variables,
        store,
        directory.as_deref(),
        environment.as_deref(),
        files,
        &core::fs::StdFiles,
    )
    .map(|inner| Resolution { inner })
    .map_err(napi::Error::from_reason)
}

/// The paths `resolve` will read for the same arguments (`paths_read`), for a
/// caller that reads them up front with its own `readFile`.
#[napi(catch_unwind)]
pub fn file_paths(
    variables: Vec<String>,
    store: Option<Vec<String>>,
    directory: Option<String>,
    environment: Option<String>,
) -> Vec<String> {
    host::paths_read_flat(
        variables,
        store,
        directory.as_deref(),
        environment.as_deref(),
    )
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
/// `environment` select, in resolution order: each source's entry, then its
/// `-next` and `-previous` (`store_entries_read`).
#[napi(catch_unwind)]
pub fn store_entry_names(
    variables: Vec<String>,
    environment: Option<String>,
) -> Result<Vec<String>> {
    core::select_environment(environment.as_deref(), &pairs(variables))
        .map(|(environment, _)| core::store_entries_read(&environment))
        .map_err(throw)
}

/// Keys collected one by one (text, bytes or a resolution), current first.
#[napi]
#[derive(Default)]
pub struct KeyList {
    keys: Vec<core::Key>,
}

#[napi]
impl KeyList {
    /// An empty list.
    #[napi(constructor)]
    pub fn new() -> Self {
        KeyList::default()
    }

    /// Adds a text secret (`Key::from_text`).
    #[napi(catch_unwind)]
    pub fn add_text(&mut self, secret: String) -> Result<()> {
        self.keys
            .push(core::Key::from_text(&Zeroizing::new(secret)).map_err(throw)?);
        Ok(())
    }

    /// Adds a raw byte secret (`Key::from_bytes`).
    #[napi(catch_unwind)]
    pub fn add_bytes(&mut self, secret: Uint8Array) -> Result<()> {
        self.keys
            .push(core::Key::from_bytes(&secret).map_err(throw)?);
        Ok(())
    }

    /// Adds a resolution's keys: current, next, previous (docs/spec.md §14).
    #[napi(catch_unwind)]
    pub fn add_resolution(&mut self, resolution: &Resolution) {
        self.keys
            .extend(core::Key::from_resolution(&resolution.inner).into_keys());
    }

    /// Drops the held keys now (the WASM engine's `free`; here the garbage
    /// collector would do it later).
    #[napi(catch_unwind)]
    pub fn free(&mut self) {
        self.keys.clear();
    }
}

impl KeyList {
    fn keyring(&self) -> Result<core::Keyring> {
        core::Keyring::new(self.keys.clone()).map_err(throw)
    }
}

/// A reusable signer (the key schedule and header prepared once).
#[napi]
pub struct Signer {
    inner: core::Signer,
}

#[napi]
impl Signer {
    /// A signer for the list's first key; `optionsJson`: `SignOptions::from_json`.
    #[napi(constructor, catch_unwind)]
    pub fn new(keys: &KeyList, options_json: String) -> Result<Self> {
        let options =
            core::SignOptions::from_json(&options_json).map_err(|m| argument_error(&m))?;
        Ok(Signer {
            inner: core::Signer::new(keys.keyring()?, options),
        })
    }

    /// Signs claims given as `JSON.stringify` text at `now` (seconds).
    #[napi(catch_unwind)]
    pub fn sign(&self, claims_json: String, now: f64) -> Result<String> {
        let now = seconds(now)?;
        self.inner.sign_json(&claims_json, now).map_err(throw)
    }

    /// The signing key's fingerprint (16 hex characters; the default `kid`).
    #[napi(getter)]
    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint().to_owned()
    }
}

/// A reusable verifier (keys and options taken once).
#[napi]
pub struct Verifier {
    inner: core::Verifier,
}

#[napi]
impl Verifier {
    /// A verifier for the list's keys; `optionsJson`: `VerifyOptions::from_json`.
    #[napi(constructor, catch_unwind)]
    pub fn new(keys: &KeyList, options_json: String) -> Result<Self> {
        let options =
            core::VerifyOptions::from_json(&options_json).map_err(|m| argument_error(&m))?;
        Ok(Verifier {
            inner: core::Verifier::new(keys.keyring()?, options),
        })
    }

    /// The size limit this verifier applies (`max_token_bytes`, or the default).
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
    pub fn verify(&self, token: String, now: f64) -> Result<String> {
        let now = seconds(now)?;
        self.inner.verify_claims_json(&token, now).map_err(throw)
    }

    /// Verifies `token` at `now`; `host::verified_json` (one JSON text).
    #[napi(catch_unwind)]
    pub fn verify_full(&self, token: String, now: f64) -> Result<String> {
        let now = seconds(now)?;
        self.inner
            .verify(&token, now)
            .map(|verified| host::verified_json(&verified))
            .map_err(throw)
    }
}

/// A running service as it publishes itself (docs/spec.md §16): its report
/// and its Prometheus metrics, counting the verifiers and signers it watches.
#[napi]
pub struct Service {
    inner: core::Service,
}

#[napi]
impl Service {
    /// A service named `name`, with its `role` (`issuer`, `verifier`, or
    /// undefined: both) and its resolution (`host::service`); a refused name
    /// or role is an argument error with the core's message.
    #[napi(constructor, catch_unwind)]
    pub fn new(name: String, role: Option<String>, resolution: &Resolution) -> Result<Self> {
        host::service(&name, role.as_deref(), &resolution.inner)
            .map(|inner| Service { inner })
            .map_err(|m| argument_error(&m))
    }

    /// Counts `verifier`'s verifications (it and the service share the counts).
    #[napi(catch_unwind)]
    pub fn watch_verifier(&mut self, verifier: &Verifier) {
        self.inner.watch_verifier(&verifier.inner);
    }

    /// Counts `signer`'s signatures (it and the service share the count).
    #[napi(catch_unwind)]
    pub fn watch_signer(&mut self, signer: &Signer) {
        self.inner.watch_signer(&signer.inner);
    }

    /// The published report as compact JSON text (`Service::report_json`).
    #[napi(catch_unwind)]
    pub fn report_json(&self) -> String {
        self.inner.report_json()
    }

    /// The Prometheus text exposition (`Service::metrics_text`).
    #[napi(catch_unwind)]
    pub fn metrics_text(&self) -> String {
        self.inner.metrics_text()
    }

    /// The metric families as one JSON text, for prom-client (`host::metric_families_json`).
    #[napi(catch_unwind)]
    pub fn metric_families_json(&self) -> String {
        host::metric_families_json(&self.inner)
    }
}

/// Header values as the core takes them (one per header line).
fn strs(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

/// The bearer token of a request's `Authorization` header values
/// (`http::bearer_token`): `missing_token` or `invalid_request` otherwise.
#[napi(catch_unwind)]
pub fn bearer_token(values: Vec<String>) -> Result<String> {
    core::http::bearer_token(&strs(&values))
        .map(str::to_owned)
        .map_err(throw)
}

/// The token of a WebSocket handshake's `Sec-WebSocket-Protocol` values
/// (`http::websocket_token`).
#[napi(catch_unwind)]
pub fn websocket_token(values: Vec<String>) -> Result<String> {
    core::http::websocket_token(&strs(&values))
        .map(str::to_owned)
        .map_err(throw)
}

/// The cookie `name` of a request's `Cookie` header values
/// (`http::cookie_token`): the token, or null when the cookie is absent.
#[napi(catch_unwind)]
pub fn cookie_token(values: Vec<String>, name: String) -> Result<Option<String>> {
    core::http::cookie_token(&strs(&values), &name)
        .map(|found| found.map(str::to_owned))
        .map_err(throw)
}

/// How a service answers refused requests (docs/spec.md §17): its realm and
/// whether messages go into bodies.
#[napi]
pub struct Challenge {
    inner: core::http::Challenge,
}

#[napi]
impl Challenge {
    /// A challenge for `realm`; `expose_messages` null: by `environment`
    /// (`host::challenge`). A refused realm or environment is an argument
    /// error with the core's message.
    #[napi(constructor, catch_unwind)]
    pub fn new(realm: String, expose_messages: Option<bool>, environment: String) -> Result<Self> {
        host::challenge(&realm, expose_messages, &environment)
            .map(|inner| Challenge { inner })
            .map_err(|m| argument_error(&m))
    }

    /// The refusal of an error given by its code and message, as one JSON
    /// text (`host::refusal_json`).
    #[napi(catch_unwind)]
    pub fn refusal_json(&self, code: String, message: String) -> String {
        host::refusal_json(&self.inner, &code, &message)
    }
}

/// Check 1 alone, on a size the wrapper measured: throws the core's
/// `token_too_large` when `size > max`, so an oversized string is refused
/// before it is copied into native memory.
#[napi(catch_unwind)]
pub fn check_token_size(size: f64, max: f64) -> Result<()> {
    core::check_token_size(size as usize, max as usize).map_err(throw)
}

/// The header and claims of a well-formed token, checking nothing else:
/// `host::unverified_json` (one JSON text).
#[napi(catch_unwind)]
pub fn decode_unverified(token: String) -> Result<String> {
    core::decode_unverified(&token)
        .map(|unverified| host::unverified_json(&unverified))
        .map_err(throw)
}

/// Compares service reports given as `JSON.stringify` text of an array;
/// returns the result's JSON text.
#[napi(catch_unwind)]
pub fn check_consistency(reports_json: String) -> Result<String> {
    core::check_consistency_json(&reports_json)
        .map(|result| result.to_json())
        .map_err(|reason| argument_error(&reason))
}
