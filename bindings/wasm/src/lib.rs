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
//!
//! The `fleet` feature (default) adds the exports beyond tokens (fleet.rs:
//! resolution, Service, the HTTP helpers, checkConsistency). Built without
//! it, this is the tokens-only module of js/wasm/tokens.mjs: constants,
//! fingerprints, keys from text or bytes, Signer, Verifier, decodeUnverified.

use jwt_accord::{host, Key, Keyring, SignOptions, VerifyOptions};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

#[cfg(any(test, all(target_arch = "wasm32", not(target_feature = "atomics"))))]
mod allocator;
#[cfg(feature = "fleet")]
mod fleet;

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

/// The fingerprint of secret bytes (a text secret: its UTF-8 bytes, encoded
/// by the wrapper): 16 lower-case hex characters. Secrets arrive owned
/// (`Vec<u8>`, `String`: the module's copy of the caller's value) and are
/// wiped before the call returns; a borrowed `&[u8]` or `&str` would be a copy
/// that wasm-bindgen frees unwiped.
#[wasm_bindgen(js_name = fingerprintBytes)]
pub fn fingerprint_bytes(secret: Vec<u8>) -> String {
    scrubbed(|| jwt_accord::fingerprint(&Zeroizing::new(secret)))
}

/// Keys collected one by one (text, bytes, or with the `fleet` feature a
/// resolution: fleet.rs), current first.
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
