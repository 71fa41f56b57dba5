//! The wasm-bindgen module behind the npm package `jwt-accord-wasm`: one of
//! the two engines of the engine contract (docs/bindings.md, "The engine
//! contract"), which the napi addon (bindings/node) implements name for name.
//!
//! Thin conversions over the `jwt-accord` core and nothing else: every export
//! converts its arguments, makes one call to the core and converts the result.
//! The public JavaScript API is the shared wrapper (js/shared/api.mjs,
//! generated into js/wasm/api.mjs), which checks argument types, supplies the
//! clock and wraps these low-level exports.
//!
//! The boundary carries only strings, numbers, booleans and bytes: claims,
//! options and results travel as JSON text, which is the fastest faithful
//! route in both directions and keeps the module small. Every failure is
//! thrown as an `Error` whose message is the error wire format,
//! `{"code","details","message"}` ([`error`] and [`type_error`], the only two
//! places).
//!
//! Nothing here panics on any input: the core reports every failure as an
//! error value. The release profile for wasm aborts on panic, which would trap
//! the instance; js/wasm/bind.mjs re-instantiates the module after a trap so
//! that the next call works even then (see js/wasm/README.md).

use jwt_accord::{host, Key, Keyring, SignOptions, VerifyOptions};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

#[cfg(any(test, all(target_arch = "wasm32", not(target_feature = "atomics"))))]
mod allocator;

/// The module's allocator (allocator.rs): size classes instead of std's dlmalloc.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: allocator::SizeClasses = allocator::SizeClasses::new();

type JsResult<T> = Result<T, JsError>;

/// A core error as the wire format: an `Error` whose message is the core's
/// `Error::to_json` text.
fn error(err: jwt_accord::Error) -> JsError {
    JsError::new(&err.to_json())
}

/// A wrong argument (a `TypeError` in JavaScript), in the same wire format.
fn type_error(message: &str) -> JsError {
    JsError::new(&host::argument_error_json(message))
}

/// The core's constants and code lists as JSON text (`host::constants_json`).
#[wasm_bindgen]
pub fn constants() -> String {
    host::constants_json()
}

/// `now` as whole seconds: `seconds_from_f64` (floors), or a `TypeError`.
fn seconds(now: f64) -> JsResult<i64> {
    jwt_accord::seconds_from_f64(now).ok_or_else(|| {
        type_error("now must be a finite number of seconds since the epoch, within +-2^53")
    })
}

/// Runs `work`, then overwrites the stack it used: hashing and key setup
/// leave copies of secret bytes in stack frames (block buffers, HMAC pads),
/// which in linear memory stay readable until something overwrites them.
/// Every export that takes a secret goes through here.
fn scrubbed<T>(work: impl FnOnce() -> T) -> T {
    let out = work();
    scrub_stack();
    out
}

/// Zeroes 64 KiB of stack below the caller's frame, where `work`'s frames
/// were (volatile writes: not optimised away).
#[inline(never)]
fn scrub_stack() {
    let mut frames = [0u8; 64 * 1024];
    zeroize::Zeroize::zeroize(&mut frames[..]);
    std::hint::black_box(&frames);
}

/// Name/value pairs from `[name, value, name, value, ...]` (the wrapper
/// checked they are strings; a later name wins, as in the core's `Lookup`).
/// Each value is moved, not copied, into a buffer wiped when dropped, so no
/// secret stays readable in linear memory after the call.
fn pairs(flat: Vec<String>) -> jwt_accord::Variables {
    let mut items = flat.into_iter();
    let mut out = Vec::with_capacity(items.len() / 2);
    while let (Some(name), Some(value)) = (items.next(), items.next()) {
        out.push((name, Zeroizing::new(value)));
    }
    out
}

/// The fingerprint of secret bytes (a text secret: its UTF-8 bytes, encoded
/// by the wrapper): 16 lower-case hex characters. Secrets arrive owned
/// (`Vec<u8>`, `String`: the module's copy of the caller's value) and are
/// wiped before the call returns; a borrowed `&[u8]` or `&str` would be a copy
/// that wasm-bindgen frees unwiped.
#[wasm_bindgen(js_name = fingerprintBytes)]
pub fn fingerprint_bytes(secret: Vec<u8>) -> String {
    scrubbed(|| jwt_accord::fingerprint(&Zeroizing::new(secret)))
}

/// A successful resolution. The secret leaves only through `exposeSecret`.
#[wasm_bindgen]
pub struct Resolution(jwt_accord::Resolution);

#[wasm_bindgen]
impl Resolution {
    /// The JSON form (`jwt-accord/resolution/v1`), exactly as the core writes it.
    #[wasm_bindgen(js_name = toJsonText)]
    pub fn to_json_text(&self) -> String {
        self.0.to_json()
    }

    /// The one-line summary for start-up logs.
    pub fn summary(&self) -> String {
        self.0.summary()
    }

    /// The secret as text (a resolved secret is always text), made into a
    /// JavaScript string straight from the core's wiped buffer: a returned
    /// `String` would be a copy that the glue frees unwiped.
    #[wasm_bindgen(js_name = exposeSecret)]
    pub fn expose_secret(&self) -> JsValue {
        JsValue::from_str(self.0.expose_secret_text())
    }
}

/// Reads no files: without the caller's `readFile` this build has no file
/// system to read, and says so (`secret_file_unreadable`, docs/spec.md §15).
struct NoReadFile;

impl jwt_accord::Files for NoReadFile {
    fn read(&self, _path: &str) -> jwt_accord::FileRead {
        jwt_accord::FileRead::Failed("this build reads no files: pass readFile".to_owned())
    }
}

/// Resolves the secret (docs/spec.md §3, §14, §15) from flat `[name, value,
/// ...]` variables, the store (`store`: flat pairs; `directory`: a directory
/// store; neither: none, so `CREDENTIALS_DIRECTORY` applies), an optional
/// explicit environment and `files`, as read up front by the caller's
/// `readFile` (`host::file_reads`; undefined: no file can be read).
#[wasm_bindgen]
pub fn resolve(
    variables: Vec<String>,
    store: Option<Vec<String>>,
    directory: Option<String>,
    environment: Option<String>,
    files: Option<Vec<String>>,
) -> JsResult<Resolution> {
    scrubbed(|| {
        host::resolve_flat(
            variables,
            store,
            directory.as_deref(),
            environment.as_deref(),
            files,
            &NoReadFile,
        )
        .map(Resolution)
        .map_err(|wire| JsError::new(&wire))
    })
}

/// The paths `resolve` will read for the same arguments (`paths_read`), which
/// the wrapper reads with the caller's `readFile` before calling `resolve`.
#[wasm_bindgen(js_name = filePaths)]
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
/// call with `environment_variable` undefined; if the list holds
/// `ENVIRONMENT`, read it and call again with its value.
#[wasm_bindgen(js_name = variableNames)]
pub fn variable_names(
    environment: Option<String>,
    environment_variable: Option<String>,
) -> Vec<String> {
    jwt_accord::variables_read(environment.as_deref(), environment_variable.as_deref())
}

/// The store-entry names to fetch for the environment that `variables` and
/// `environment` select, in resolution order: each source's entry, then its
/// `-next` and `-previous` (`store_entries_read`).
#[wasm_bindgen(js_name = storeEntryNames)]
pub fn store_entry_names(
    variables: Vec<String>,
    environment: Option<String>,
) -> JsResult<Vec<String>> {
    jwt_accord::select_environment(environment.as_deref(), &pairs(variables))
        .map(|(environment, _)| jwt_accord::store_entries_read(&environment))
        .map_err(error)
}

/// Keys collected one by one (text, bytes or a resolution), current first.
#[wasm_bindgen]
#[derive(Default)]
pub struct KeyList(Vec<Key>);

#[wasm_bindgen]
impl KeyList {
    /// An empty list.
    #[wasm_bindgen(constructor)]
    pub fn new() -> KeyList {
        KeyList::default()
    }

    /// Adds a text secret (`Key::from_text`: `invalid_key` when empty, short
    /// or public-key material).
    #[wasm_bindgen(js_name = addText)]
    pub fn add_text(&mut self, secret: String) -> JsResult<()> {
        let key = scrubbed(|| Key::from_text(&Zeroizing::new(secret)));
        self.0.push(key.map_err(error)?);
        Ok(())
    }

    /// Adds a raw byte secret (`Key::from_bytes`).
    #[wasm_bindgen(js_name = addBytes)]
    pub fn add_bytes(&mut self, secret: Vec<u8>) -> JsResult<()> {
        let key = scrubbed(|| Key::from_bytes(&Zeroizing::new(secret)));
        self.0.push(key.map_err(error)?);
        Ok(())
    }

    /// Adds a resolution's keys: current, next, previous (its environment's
    /// policy already applied).
    #[wasm_bindgen(js_name = addResolution)]
    pub fn add_resolution(&mut self, resolution: &Resolution) {
        self.0
            .extend(Key::from_resolution(&resolution.0).into_keys());
    }
}

impl KeyList {
    fn keyring(&self) -> JsResult<Keyring> {
        Keyring::new(self.0.clone()).map_err(error)
    }
}

/// A reusable signer.
#[wasm_bindgen]
pub struct Signer(jwt_accord::Signer);

#[wasm_bindgen]
impl Signer {
    /// A signer for the list's first key; `options_json`: `SignOptions::from_json`.
    #[wasm_bindgen(constructor)]
    pub fn new(keys: &KeyList, options_json: &str) -> JsResult<Signer> {
        let options = SignOptions::from_json(options_json).map_err(|m| type_error(&m))?;
        Ok(Signer(jwt_accord::Signer::new(keys.keyring()?, options)))
    }

    /// Signs claims given as `JSON.stringify` text at `now` (seconds).
    pub fn sign(&self, claims_json: &str, now: f64) -> JsResult<String> {
        let now = seconds(now)?;
        self.0.sign_json(claims_json, now).map_err(error)
    }

    /// The signing key's fingerprint.
    #[wasm_bindgen(getter)]
    pub fn fingerprint(&self) -> String {
        self.0.fingerprint().to_owned()
    }
}

/// A reusable verifier.
#[wasm_bindgen]
pub struct Verifier(jwt_accord::Verifier);

#[wasm_bindgen]
impl Verifier {
    /// A verifier for the list's keys; `options_json`: `VerifyOptions::from_json`.
    #[wasm_bindgen(constructor)]
    pub fn new(keys: &KeyList, options_json: &str) -> JsResult<Verifier> {
        let options = VerifyOptions::from_json(options_json).map_err(|m| type_error(&m))?;
        Ok(Verifier(jwt_accord::Verifier::new(
            keys.keyring()?,
            options,
        )))
    }

    /// The size limit this verifier applies (`maxTokenBytes`, or the default).
    #[wasm_bindgen(getter, js_name = maxTokenBytes)]
    pub fn max_token_bytes(&self) -> f64 {
        self.0.options().max_token_bytes as f64
    }

    /// The held keys' fingerprints, current first.
    #[wasm_bindgen(getter)]
    pub fn fingerprints(&self) -> Vec<String> {
        self.0.keys().fingerprints()
    }

    /// Verifies `token` at `now`; the claims as signed (JSON text).
    pub fn verify(&self, token: &str, now: f64) -> JsResult<String> {
        self.0
            .verify_claims_json(token, seconds(now)?)
            .map_err(error)
    }

    /// Verifies `token` at `now`; `host::verified_json` (one JSON text: a
    /// returned wasm-bindgen object would cost a FinalizationRegistry entry
    /// and a crossing per field).
    #[wasm_bindgen(js_name = verifyFull)]
    pub fn verify_full(&self, token: &str, now: f64) -> JsResult<String> {
        let verified = self.0.verify(token, seconds(now)?).map_err(error)?;
        Ok(host::verified_json(&verified))
    }
}

/// A running service as it publishes itself (docs/spec.md §16): its report
/// and its Prometheus metrics, counting the verifiers and signers it watches.
#[wasm_bindgen]
pub struct Service(jwt_accord::Service);

#[wasm_bindgen]
impl Service {
    /// A service named `name`, with its `role` (`issuer`, `verifier`, or
    /// undefined: both) and its resolution (`host::service`); a refused name
    /// or role is an argument error with the core's message.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, role: Option<String>, resolution: &Resolution) -> JsResult<Service> {
        host::service(name, role.as_deref(), &resolution.0)
            .map(Service)
            .map_err(|m| type_error(&m))
    }

    /// Counts `verifier`'s verifications (it and the service share the counts).
    #[wasm_bindgen(js_name = watchVerifier)]
    pub fn watch_verifier(&mut self, verifier: &Verifier) {
        self.0.watch_verifier(&verifier.0);
    }

    /// Counts `signer`'s signatures (it and the service share the count).
    #[wasm_bindgen(js_name = watchSigner)]
    pub fn watch_signer(&mut self, signer: &Signer) {
        self.0.watch_signer(&signer.0);
    }

    /// The published report as compact JSON text (`Service::report_json`).
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self) -> String {
        self.0.report_json()
    }

    /// The Prometheus text exposition (`Service::metrics_text`).
    #[wasm_bindgen(js_name = metricsText)]
    pub fn metrics_text(&self) -> String {
        self.0.metrics_text()
    }

    /// The metric families as one JSON text, for prom-client (`host::metric_families_json`).
    #[wasm_bindgen(js_name = metricFamiliesJson)]
    pub fn metric_families_json(&self) -> String {
        host::metric_families_json(&self.0)
    }
}

/// Header values as the core takes them (one per header line).
fn strs(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

/// The bearer token of a request's `Authorization` header values
/// (`http::bearer_token`): `missing_token` or `invalid_request` otherwise.
#[wasm_bindgen(js_name = bearerToken)]
pub fn bearer_token(values: Vec<String>) -> JsResult<String> {
    jwt_accord::http::bearer_token(&strs(&values))
        .map(str::to_owned)
        .map_err(error)
}

/// The token of a WebSocket handshake's `Sec-WebSocket-Protocol` values
/// (`http::websocket_token`).
#[wasm_bindgen(js_name = websocketToken)]
pub fn websocket_token(values: Vec<String>) -> JsResult<String> {
    jwt_accord::http::websocket_token(&strs(&values))
        .map(str::to_owned)
        .map_err(error)
}

/// The cookie `name` of a request's `Cookie` header values
/// (`http::cookie_token`): the token, or null (as napi returns `None`) when
/// the cookie is absent.
#[wasm_bindgen(js_name = cookieToken)]
pub fn cookie_token(values: Vec<String>, name: &str) -> JsResult<JsValue> {
    jwt_accord::http::cookie_token(&strs(&values), name)
        .map(|found| found.map_or(JsValue::NULL, JsValue::from_str))
        .map_err(error)
}

/// How a service answers refused requests (docs/spec.md §17): its realm and
/// whether messages go into bodies.
#[wasm_bindgen]
pub struct Challenge(jwt_accord::http::Challenge);

#[wasm_bindgen]
impl Challenge {
    /// A challenge for `realm`; `expose_messages` null: by `environment`
    /// (`host::challenge`). A refused realm or environment is an argument
    /// error with the core's message.
    #[wasm_bindgen(constructor)]
    pub fn new(
        realm: &str,
        expose_messages: Option<bool>,
        environment: &str,
    ) -> JsResult<Challenge> {
        host::challenge(realm, expose_messages, environment)
            .map(Challenge)
            .map_err(|m| type_error(&m))
    }

    /// The refusal of an error given by its code and message, as one JSON
    /// text (`host::refusal_json`).
    #[wasm_bindgen(js_name = refusalJson)]
    pub fn refusal_json(&self, code: &str, message: &str) -> String {
        host::refusal_json(&self.0, code, message)
    }
}

/// Check 1 alone, on a size the wrapper measured: the core's `token_too_large`
/// when `size > max`, so an oversized string is refused before it is copied
/// into linear memory (which would grow and never shrink).
#[wasm_bindgen(js_name = checkTokenSize)]
pub fn check_token_size(size: f64, max: f64) -> JsResult<()> {
    jwt_accord::check_token_size(size as usize, max as usize).map_err(error)
}

/// `decode_unverified`: `host::unverified_json` (one JSON text).
#[wasm_bindgen(js_name = decodeUnverified)]
pub fn decode_unverified(token: &str) -> JsResult<String> {
    let unverified = jwt_accord::decode_unverified(token).map_err(error)?;
    Ok(host::unverified_json(&unverified))
}

/// `check_consistency` over reports given as a JSON array; the result as JSON text.
#[wasm_bindgen(js_name = checkConsistency)]
pub fn check_consistency(reports_json: &str) -> JsResult<String> {
    jwt_accord::check_consistency_json(reports_json)
        .map(|result| result.to_json())
        .map_err(|reason| type_error(&reason))
}

/// Aborts, as a panic would (`panic = "abort"` in the wasm release profile:
/// the instance traps). Only for the test of the wrapper's recovery, which
/// re-instantiates the module and rebuilds live objects.
#[wasm_bindgen(js_name = __abortForTests)]
pub fn abort_for_tests() {
    std::process::abort()
}

/// The instance's `WebAssembly.Memory`. Only for the test that scans linear
/// memory for secrets once their holders are freed (js/wasm/test/memory.test.mjs).
#[wasm_bindgen(js_name = __memoryForTests)]
pub fn memory_for_tests() -> JsValue {
    wasm_bindgen::memory()
}
