//! What every host binding takes from the core besides the operations
//! themselves: the options as one JSON object, and the constants and code
//! lists as one JSON text (docs/bindings.md, "The engine contract").
//!
//! The JavaScript engines (napi and WASM) pass the options a caller wrote as
//! `JSON.stringify` text of an object whose keys are the option names of
//! docs/spec.md §8 (`expires_in`, `max_token_bytes`, ...), so that adding an
//! option touches this file, not each engine. The host wrapper has already
//! checked the types and words its own `TypeError`s; the errors here are the
//! last line of defence, worded for whoever bypassed it.

use serde_json::{Map, Value};

use crate::error::ErrorCode;
use crate::policy::MIN_SECRET_BYTES;
use crate::token::json::{parse_value, to_text, MAX_JSON_DEPTH};
use crate::token::key::MAX_KEYS;
use crate::token::sign::{Audience, Kid, SignOptions};
use crate::token::verify::{Unverified, Verified, VerifyOptions, DEFAULT_MAX_TOKEN_BYTES};
use crate::warning::WarningCode;

/// An argument error in the engines' error wire format (docs/bindings.md):
/// the shape of [`crate::Error::to_json`] with the code `type_error`, which no
/// core error has, so a host raises its own `TypeError` with `message`.
pub fn argument_error_json(message: &str) -> String {
    format!(
        "{{\"code\":\"type_error\",\"details\":{{}},\"message\":{}}}",
        to_text(message)
    )
}

/// A verified token as one JSON text, `{"header", "key_fingerprint",
/// "key_slot", "claims"}` (`key_slot`: `"current"`, `"next"`, `"previous"` or
/// `null` for a raw key), for one host `JSON.parse`: one string crosses instead of an
/// object with a field per part. The claims are their payload text as signed,
/// which the core has already parsed as a strict JSON object, so it nests as
/// it is.
pub fn verified_json(verified: &Verified) -> String {
    let slot = match verified.key_slot {
        Some(slot) => ["\"", slot.as_str(), "\""].concat(),
        None => String::from("null"),
    };
    format!(
        // A fingerprint is 16 hex characters: nothing to escape.
        "{{\"header\":{},\"key_fingerprint\":\"{}\",\"key_slot\":{},\"claims\":{}}}",
        to_text(&verified.header),
        verified.key_fingerprint,
        slot,
        verified.claims_json
    )
}

/// A decoded, unverified token as one JSON text: `{"header", "claims"}`.
pub fn unverified_json(unverified: &Unverified) -> String {
    format!(
        "{{\"header\":{},\"claims\":{}}}",
        to_text(&unverified.header),
        to_text(&unverified.claims)
    )
}

/// The core's constants and code lists as one JSON object, for hosts that
/// publish them (`constants()` in the JavaScript engines): `max_json_depth`,
/// `default_max_token_bytes`, `max_keys`, `min_secret_bytes`, `error_codes`
/// and `warning_codes` (each list in contract order, docs/spec.md §10).
pub fn constants_json() -> String {
    let mut out = format!(
        "{{\"max_json_depth\":{MAX_JSON_DEPTH},\"default_max_token_bytes\":{DEFAULT_MAX_TOKEN_BYTES},\
         \"max_keys\":{MAX_KEYS},\"min_secret_bytes\":{MIN_SECRET_BYTES},\"error_codes\":["
    );
    // Codes are [a-z_] only: quoted as they are, without a serialiser.
    for (i, code) in ErrorCode::ALL.iter().enumerate() {
        out.push_str(if i == 0 { "\"" } else { ",\"" });
        out.push_str(code.as_str());
        out.push('"');
    }
    out.push_str("],\"warning_codes\":[");
    for (i, code) in WarningCode::ALL.iter().enumerate() {
        out.push_str(if i == 0 { "\"" } else { ",\"" });
        out.push_str(code.as_str());
        out.push('"');
    }
    out.push_str("]}");
    out
}

/// The options object: `{}` for empty text; `null` values count as absent.
#[inline(never)] // construction only: kept out of line, for the WASM module's size
fn object(kind: &str, text: &str) -> Result<Map<String, Value>, String> {
    if text.is_empty() {
        return Ok(Map::new());
    }
    // The strict parser the claims go through: no second JSON parser in the module.
    match parse_value(text.as_bytes()) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(format!("{kind} options must be a JSON object")),
    }
}

/// An option the core cannot read: an unknown name or a value of the wrong
/// type. The host wrappers check both first, in their own words; this is the
/// last line of defence.
#[cold]
#[inline(never)]
fn refused(kind: &str, name: &str) -> String {
    format!(
        "{kind} option {} is unknown or of the wrong type",
        to_text(name)
    )
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

/// A string or an array of strings, as a list.
#[inline(never)]
fn names(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(one) => Some(vec![one.clone()]),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(text(item)?);
            }
            Some(out)
        }
        _ => None,
    }
}

impl SignOptions {
    /// Signing options from JSON text of an object keyed by the option names
    /// of docs/spec.md §8.1 (`expires_in`, `not_before`, `issuer`, `audience`,
    /// `subject`, `token_type`, `jti`, `set_issued_at`, `kid`); empty text or
    /// `{}` gives the defaults, `null` values count as absent. The error is an
    /// argument error's message.
    pub fn from_json(text: &str) -> Result<SignOptions, String> {
        let map = object("sign", text)?;
        let mut o = SignOptions::default();
        for (name, v) in &map {
            if !v.is_null() && o.set(name, v).is_none() {
                return Err(refused("sign", name));
            }
        }
        Ok(o)
    }

    /// Sets one option; `None` when the name is unknown or the value of the
    /// wrong type. (Fields of one type share one assignment: smaller code.)
    fn set(&mut self, name: &str, v: &Value) -> Option<()> {
        let text_field = match name {
            "issuer" => &mut self.issuer,
            "subject" => &mut self.subject,
            "token_type" => &mut self.token_type,
            "jti" => &mut self.jti,
            _ => return self.set_other(name, v),
        };
        *text_field = Some(text(v)?);
        Some(())
    }

    fn set_other(&mut self, name: &str, v: &Value) -> Option<()> {
        match name {
            "expires_in" => self.expires_in = Some(v.as_i64()?),
            "not_before" => self.not_before = Some(v.as_i64()?),
            "set_issued_at" => self.set_issued_at = v.as_bool()?,
            "audience" => {
                self.audience = Some(match v {
                    Value::String(one) => Audience::One(one.clone()),
                    _ => Audience::Many(names(v)?),
                })
            }
            "kid" => {
                self.kid = match v {
                    Value::Bool(true) => Kid::Fingerprint,
                    Value::Bool(false) => Kid::Omit,
                    _ => Kid::Custom(text(v)?),
                }
            }
            _ => return None,
        }
        Some(())
    }
}

impl VerifyOptions {
    /// Verification options from JSON text of an object keyed by the option
    /// names of docs/spec.md §8.2 (`issuer`, `audience`, `leeway`, `required`,
    /// `token_type`, `max_age`, `max_token_bytes`); empty text or `{}` gives
    /// the defaults, `null` values count as absent. The error is an argument
    /// error's message.
    pub fn from_json(text: &str) -> Result<VerifyOptions, String> {
        let map = object("verify", text)?;
        let mut o = VerifyOptions::default();
        for (name, v) in &map {
            if !v.is_null() && o.set(name, v).is_none() {
                return Err(refused("verify", name));
            }
        }
        Ok(o)
    }

    /// Sets one option; `None` when the name is unknown or the value of the wrong type.
    fn set(&mut self, name: &str, v: &Value) -> Option<()> {
        match name {
            "issuer" | "audience" => {
                let field = if name == "issuer" {
                    &mut self.issuer
                } else {
                    &mut self.audience
                };
                *field = Some(names(v)?);
            }
            "required" => self.required = names(v.is_array().then_some(v)?)?,
            "token_type" => self.token_type = Some(text(v)?),
            _ => {
                let n = v.as_u64()?;
                match name {
                    "leeway" => self.leeway = n,
                    "max_age" => self.max_age = Some(n),
                    "max_token_bytes" => self.max_token_bytes = usize::try_from(n).ok()?,
                    _ => return None,
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_options_from_json() {
        let o = SignOptions::from_json(
            r#"{"expires_in":60,"audience":["a"],"kid":false,"set_issued_at":false,"jti":null}"#,
        )
        .unwrap();
        assert_eq!(o.expires_in, Some(60));
        assert_eq!(o.audience, Some(Audience::Many(vec!["a".into()])));
        assert_eq!(o.kid, Kid::Omit);
        assert!(!o.set_issued_at);
        assert_eq!(o.jti, None);
        assert_eq!(SignOptions::from_json("").unwrap(), SignOptions::default());
        assert_eq!(
            SignOptions::from_json(r#"{"audience":"a"}"#)
                .unwrap()
                .audience,
            Some(Audience::One("a".into()))
        );
    }

    #[test]
    fn verify_options_from_json() {
        let o = VerifyOptions::from_json(
            r#"{"issuer":"i","leeway":5,"required":[],"max_token_bytes":10}"#,
        )
        .unwrap();
        assert_eq!(o.issuer, Some(vec!["i".to_owned()]));
        assert_eq!(o.leeway, 5);
        assert!(o.required.is_empty());
        assert_eq!(o.max_token_bytes, 10);
        assert_eq!(
            VerifyOptions::from_json("{}").unwrap(),
            VerifyOptions::default()
        );
    }

    #[test]
    fn wrong_options_are_argument_errors() {
        for (text, want) in [
            (
                r#"{"leeway":-1}"#,
                r#"verify option "leeway" is unknown or of the wrong type"#,
            ),
            (
                r#"{"required":"exp"}"#,
                r#"verify option "required" is unknown or of the wrong type"#,
            ),
            (
                r#"{"maxAge":1}"#,
                r#"verify option "maxAge" is unknown or of the wrong type"#,
            ),
            ("[]", "verify options must be a JSON object"),
        ] {
            assert_eq!(VerifyOptions::from_json(text).unwrap_err(), want);
        }
        assert_eq!(
            SignOptions::from_json(r#"{"expires_in":1.5}"#).unwrap_err(),
            r#"sign option "expires_in" is unknown or of the wrong type"#
        );
    }

    #[test]
    fn argument_errors_have_the_error_shape() {
        let v: Value = serde_json::from_str(&argument_error_json("a \"b\"")).unwrap();
        assert_eq!(v["code"], "type_error");
        assert_eq!(v["message"], "a \"b\"");
        assert!(ErrorCode::parse("type_error").is_none());
    }

    #[test]
    fn constants_come_from_the_core() {
        let v: Value = serde_json::from_str(&constants_json()).unwrap();
        assert_eq!(v["max_json_depth"], MAX_JSON_DEPTH);
        assert_eq!(v["default_max_token_bytes"], DEFAULT_MAX_TOKEN_BYTES);
        assert_eq!(
            v["error_codes"].as_array().unwrap().len(),
            ErrorCode::ALL.len()
        );
        assert_eq!(v["warning_codes"][0], "legacy_source");
        assert_eq!(v["error_codes"][0], ErrorCode::ALL[0].as_str());
        assert_eq!(v["min_secret_bytes"], MIN_SECRET_BYTES);
    }
}
