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
use zeroize::Zeroizing;

use crate::consistency::Role;
use crate::environment::Environment;
use crate::error::ErrorCode;
use crate::files::{FileRead, Files};
use crate::http::Challenge;
use crate::lookup::Variables;
use crate::policy::MIN_SECRET_BYTES;
use crate::publish::Service;
use crate::report::Resolution;
use crate::resolve::{paths_read, resolve_with, Inputs};
use crate::sources::Store;
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
        Some(slot) => format!("\"{}\"", slot.as_str()),
        None => String::from("null"),
    };
    format!(
        // A fingerprint is 16 hex characters: nothing to escape.
        "{{\"header\":{},\"key_fingerprint\":\"{}\",\"key_slot\":{},\"claims\":{}}}",
        to_text(&*verified.header),
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
/// `default_max_token_bytes`, `max_keys`, `min_secret_bytes`, `error_codes`,
/// `warning_codes` (each list in contract order, docs/spec.md §10),
/// `report_path` ([`crate::REPORT_PATH`], docs/spec.md §16),
/// `websocket_subprotocol` and `websocket_close_code`
/// ([`crate::http::WEBSOCKET_SUBPROTOCOL`], [`crate::http::WEBSOCKET_CLOSE_CODE`],
/// docs/spec.md §17).
pub fn constants_json() -> String {
    let mut out = format!(
        "{{\"max_json_depth\":{MAX_JSON_DEPTH},\"default_max_token_bytes\":{DEFAULT_MAX_TOKEN_BYTES},\
         \"max_keys\":{MAX_KEYS},\"min_secret_bytes\":{MIN_SECRET_BYTES},\"report_path\":\"{}\",\
         \"websocket_subprotocol\":\"{}\",\"websocket_close_code\":{},\"error_codes\":[",
        crate::REPORT_PATH,
        crate::http::WEBSOCKET_SUBPROTOCOL,
        crate::http::WEBSOCKET_CLOSE_CODE
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

/// The engines' `resolve` (docs/bindings.md, "The engine contract"), so both
/// take their arguments alike: flat `[name, value, ...]` variables and store
/// entries (`None`: no store, so `CREDENTIALS_DIRECTORY` applies), a directory
/// store (`directory`, taking precedence), the explicit environment, and the
/// files read up front by the caller ([`file_reads`]) or, when `None`, the
/// engine's own reader `own`. Each value moves into a buffer wiped when dropped.
///
/// # Errors
/// The error wire format: a core error's `to_json`, or an argument error's
/// ([`argument_error_json`]) for a malformed `files` list.
pub fn resolve_flat(
    variables: Vec<String>,
    store: Option<Vec<String>>,
    directory: Option<&str>,
    environment: Option<&str>,
    files: Option<Vec<String>>,
    own: &dyn Files,
) -> Result<Resolution, String> {
    let variables = flat_pairs(variables);
    let entries = store.map(flat_pairs);
    let read;
    let files: &dyn Files = match files {
        Some(flat) => {
            read = file_reads(flat).map_err(|m| argument_error_json(&m))?;
            &read
        }
        None => own,
    };
    resolve_with(&Inputs {
        variables: &variables,
        store: engine_store(entries.as_ref(), directory),
        files,
        environment,
    })
    .map_err(|e| e.to_json())
}

/// The engines' `filePaths`: [`crate::paths_read`] for the arguments of
/// [`resolve_flat`], the paths a wrapper reads up front with `readFile`.
pub fn paths_read_flat(
    variables: Vec<String>,
    store: Option<Vec<String>>,
    directory: Option<&str>,
    environment: Option<&str>,
) -> Vec<String> {
    let variables = flat_pairs(variables);
    let entries = store.map(flat_pairs);
    paths_read(
        &variables,
        engine_store(entries.as_ref(), directory),
        environment,
    )
}

fn engine_store<'a>(entries: Option<&'a Variables>, directory: Option<&'a str>) -> Store<'a> {
    match (directory, entries) {
        (Some(directory), _) => Store::Directory(directory),
        (None, Some(entries)) => Store::Entries(entries),
        (None, None) => Store::Absent,
    }
}

/// Name/value pairs from `[name, value, name, value, ...]`, each value moved
/// into a buffer wiped when dropped.
fn flat_pairs(flat: Vec<String>) -> Variables {
    let mut items = flat.into_iter();
    let mut out = Vec::with_capacity(items.len() / 2);
    while let (Some(name), Some(value)) = (items.next(), items.next()) {
        out.push((name, Zeroizing::new(value)));
    }
    out
}

/// The files a JavaScript wrapper read up front with the caller's `readFile`
/// (the paths of `paths_read`), as the engines receive them: flat
/// `[path, "content", hex, path, "failed", reason, ...]` (strings only, so both
/// engines take one `string[]`); a path not listed is not found. Content is
/// decoded into wiped buffers and each hex text is wiped too.
///
/// # Errors
/// The argument error's message when the list is malformed.
pub fn file_reads(flat: Vec<String>) -> Result<FileReads, String> {
    let mut items = flat.into_iter();
    let mut out = Vec::with_capacity(items.len() / 3);
    while let Some(path) = items.next() {
        let (Some(kind), Some(data)) = (items.next(), items.next().map(Zeroizing::new)) else {
            return Err("files must be [path, kind, data] triples".to_owned());
        };
        let read = match kind.as_str() {
            "content" => {
                FileRead::Content(unhex(data.as_bytes()).ok_or("file content must be hex")?)
            }
            "failed" => FileRead::Failed(data.to_string()),
            _ => return Err("a file read's kind must be content or failed".to_owned()),
        };
        out.push((path, read));
    }
    Ok(FileReads(out))
}

/// The reads of [`file_reads`], a [`Files`] reader: the first entry for a
/// path, `NotFound` for a path not listed. A list, not a map: a resolution
/// reads at most 18 paths, and the WASM module stays smaller.
pub struct FileReads(Vec<(String, FileRead)>);

impl Files for FileReads {
    fn read(&self, path: &str) -> FileRead {
        let found = self.0.iter().find(|(listed, _)| listed == path);
        found.map_or(FileRead::NotFound, |(_, read)| read.clone())
    }
}

/// Bytes from lower- or upper-case hex, in a wiped buffer.
fn unhex(hex: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let digit = |c: u8| char::from(c).to_digit(16);
    let mut bytes = Zeroizing::new(Vec::with_capacity(hex.len() / 2));
    for pair in hex.chunks(2) {
        let [high, low] = pair else { return None };
        bytes.push(u8::try_from(digit(*high)? << 4 | digit(*low)?).ok()?);
    }
    Some(bytes)
}

/// A [`Service`] from host arguments (docs/spec.md §16): its name, its role as
/// text (`"issuer"`, `"verifier"`, or `None`: both) and its resolution. `Err`
/// is the reason, for the host's argument error.
pub fn service(name: &str, role: Option<&str>, resolution: &Resolution) -> Result<Service, String> {
    let role = match role {
        None => None,
        Some("issuer") => Some(Role::Issuer),
        Some("verifier") => Some(Role::Verifier),
        Some(other) => {
            return Err(format!(
                "role must be \"issuer\" or \"verifier\" (or absent: both), found {}",
                to_text(other)
            ))
        }
    };
    Service::new(name, role, resolution.clone())
}

/// A service's metric families as one JSON text, for host registries
/// (`prometheus_client`, `prom-client`): a list of `{"name", "help", "type",
/// "labels", "samples"}`, each sample `[label values, value]` with label
/// values in `labels` order (fewer values: the rest are absent).
pub fn metric_families_json(service: &Service) -> String {
    let families: Vec<Value> = service
        .metric_families()
        .into_iter()
        .map(|f| {
            serde_json::json!({
                "name": f.name,
                "help": f.help,
                "type": f.kind,
                "labels": f.labels,
                "samples": f.samples,
            })
        })
        .collect();
    to_text(&families)
}

/// A [`Challenge`] from host arguments (docs/spec.md §17): the realm, whether
/// messages go into bodies (`None`: by environment) and the environment's
/// name (as a resolution reports it; aliases accepted). `Err` is the reason,
/// for the host's argument error.
pub fn challenge(
    realm: &str,
    expose_messages: Option<bool>,
    environment: &str,
) -> Result<Challenge, String> {
    let environment = Environment::parse(environment).map_err(|e| e.message().to_owned())?;
    Challenge::new(realm, expose_messages, &environment)
}

/// The refusal of an error given by its code and message (as a host's
/// exception holds them) as one JSON text: `{"status", "www_authenticate"
/// (null with a 500), "body", "close_code", "close_reason"}`.
pub fn refusal_json(challenge: &Challenge, code: &str, message: &str) -> String {
    let r = challenge.refusal_for_code(code, message);
    to_text(&serde_json::json!({
        "status": r.status,
        "www_authenticate": r.www_authenticate,
        "body": r.body,
        "close_code": r.close_code,
        "close_reason": r.close_reason,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_reads_from_flat_triples() {
        let flat = [
            "/a",
            "content",
            "410a",
            "/b",
            "failed",
            "Permission denied (os error 13)",
        ];
        let reads = file_reads(flat.map(str::to_owned).to_vec()).unwrap();
        assert_eq!(reads.read("/a"), FileRead::content("A\n"));
        assert_eq!(
            reads.read("/b"),
            FileRead::Failed("Permission denied (os error 13)".into())
        );
        assert_eq!(reads.read("/c"), FileRead::NotFound);
        for bad in [
            &["/a", "content"][..],
            &["/a", "content", "4"],
            &["/a", "content", "zz"],
            &["/a", "gone", ""],
        ] {
            assert!(
                file_reads(bad.iter().map(|s| (*s).to_owned()).collect()).is_err(),
                "{bad:?}"
            );
        }
    }

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
        assert_eq!(v["report_path"], crate::REPORT_PATH);
        assert_eq!(
            v["websocket_subprotocol"],
            crate::http::WEBSOCKET_SUBPROTOCOL
        );
        assert_eq!(v["websocket_close_code"], crate::http::WEBSOCKET_CLOSE_CODE);
    }
}
