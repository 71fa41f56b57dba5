//! Boundary-crossing alternatives, built only with `--features alternatives`
//! for benches/node (BENCH_ALTERNATIVES=1): claims cross as JavaScript objects,
//! converted property by property by napi's serde bridge, instead of as JSON
//! text. Kept to show why the shipped addon uses text; never shipped (a
//! `"__proto__"` claim set through napi would also reach the prototype).

use napi_derive::napi;
use serde_json::{Map, Value};

use super::{seconds, throw, Result, Signer, Verifier};

#[napi]
impl Signer {
    /// Signs a claims object converted by napi's serde bridge (no JSON text).
    #[napi(catch_unwind)]
    pub fn sign_object(&self, claims: Map<String, Value>, now: f64) -> Result<String> {
        let now = seconds(now)?;
        self.inner.sign_map(&claims, now).map_err(throw)
    }
}

#[napi]
impl Verifier {
    /// Verifies and returns the claims built as an object by napi's serde bridge.
    #[napi(catch_unwind)]
    pub fn verify_object(&self, token: String, now: f64) -> Result<Map<String, Value>> {
        let now = seconds(now)?;
        self.inner
            .verify(&token, now)
            .map(|verified| verified.claims())
            .map_err(throw)
    }
}

/// The boundary alone, without the core: a token in, its length out.
#[napi(catch_unwind)]
pub fn probe_string_in(token: String) -> u32 {
    token.len() as u32
}

/// The boundary alone: 130 bytes of claims text out.
#[napi(catch_unwind)]
pub fn probe_string_out() -> String {
    r#"{"aud":"api","exp":1700000900,"iat":1700000000,"iss":"auth","role":"admin","scope":"read write","sid":"c5a1f0e2","sub":"user-1234"}"#.to_owned()
}
