//! The conformance vectors: runs every case of `tests/vectors/*.json`, checks
//! the hand-written `expect` of each, and compares the generated `result` with
//! the checked-in one (stale files fail). `UPDATE_VECTORS=1` rewrites `result`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jwt_accord::*;
use serde_json::{json, Value};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

type Outcome = Result<Value, String>;

/// Runs one file: `compute` returns the generated result of a case, or an
/// `Err` naming a broken hand-written expectation.
fn run_file(file: &str, compute: fn(&Value) -> Outcome) {
    let path = dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut doc: Value = serde_json::from_str(&text).expect("vector file is JSON");
    assert!(
        doc.get("_comment").is_some_and(Value::is_string),
        "{file}: no _comment"
    );
    let update = std::env::var_os("UPDATE_VECTORS").is_some();
    let mut problems = Vec::new();
    let mut names = std::collections::HashSet::new();
    let cases = doc["cases"].as_array_mut().expect("cases is a list");
    assert!(!cases.is_empty(), "{file}: no cases");
    for case in cases.iter_mut() {
        let name = case["name"].as_str().expect("case has a name").to_owned();
        assert!(
            names.insert(name.clone()),
            "{file}: duplicate case name {name}"
        );
        assert!(
            case.get("expect").is_some(),
            "{file}: {name}: no hand-written expect"
        );
        match compute(case) {
            Err(problem) => problems.push(format!("{name}: {problem}")),
            Ok(result) => {
                if update {
                    case["result"] = result;
                } else if case.get("result") != Some(&result) {
                    problems.push(format!(
                        "{name}: result is stale (run `make vectors`)\n  file: {}\n  now:  {}",
                        case.get("result").map_or("(none)".into(), Value::to_string),
                        result
                    ));
                }
            }
        }
    }
    if update && problems.is_empty() {
        let mut out = serde_json::to_string_pretty(&doc).unwrap();
        out.push('\n');
        std::fs::write(&path, out).unwrap();
    }
    assert!(
        problems.is_empty(),
        "{file}: {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    println!("{file}: {} cases", names.len());
}

fn error_value(e: &Error) -> Value {
    // The text the bindings throw is this value's text, byte for byte.
    assert_eq!(e.to_json(), e.to_json_value().to_string());
    json!({ "error": e.to_json_value() })
}

/// Checks `expect.error` against a failure, or its absence against a success.
fn check_error(expect: &Value, outcome: Result<(), &Error>) -> Result<(), String> {
    match (expect.get("error").and_then(Value::as_str), outcome) {
        // `expect.details`, when written by hand, must match exactly.
        (Some(code), Err(e)) if e.code().as_str() == code => match expect.get("details") {
            Some(details) if details.as_object() != Some(e.details()) => Err(format!(
                "expected details {details}, got {}",
                Value::Object(e.details().clone())
            )),
            _ => Ok(()),
        },
        (Some(code), Err(e)) => Err(format!(
            "expected error {code}, got {}: {}",
            e.code(),
            e.message()
        )),
        (Some(code), Ok(())) => Err(format!("expected error {code}, got success")),
        (None, Err(e)) => Err(format!(
            "expected success, got {}: {}",
            e.code(),
            e.message()
        )),
        (None, Ok(())) => Ok(()),
    }
}

fn strings(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("string value").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn key_bytes(spec: &Value) -> Vec<u8> {
    match spec {
        Value::String(text) => text.as_bytes().to_vec(),
        Value::Object(m) => {
            let hex = m["hex"].as_str().expect("hex key");
            (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect()
        }
        other => panic!("bad key spec {other}"),
    }
}

/// A key list: raw keys, or `{"resolution": input}` (the keys of a
/// resolution of that input, as in resolution.json: current, next, previous).
fn keyring(case: &Value) -> Result<Keyring, Error> {
    let mut keys = Vec::new();
    for spec in case["keys"].as_array().expect("keys is a list") {
        match spec.get("resolution") {
            Some(input) => keys.extend(Key::from_resolution(&resolve_input(input)?).into_keys()),
            None => keys.push(Key::from_bytes(&key_bytes(spec))?),
        }
    }
    Keyring::new(keys)
}

/// The fields a resolution input may have; anything else is a broken vector.
const INPUT_FIELDS: [&str; 5] = ["environment", "variables", "store", "files", "directory"];

/// A file reader from `input.files`: path -> content text, `{"hex": ...}`
/// (raw bytes) or `{"error": reason}` (a failed read). A path not listed is
/// not found. Always a map: vectors never touch the real file system.
fn files(input: &Value) -> BTreeMap<String, FileRead> {
    let Some(map) = input.get("files") else {
        return BTreeMap::new();
    };
    map.as_object()
        .expect("files is an object")
        .iter()
        .map(|(path, spec)| {
            let read = match spec.get("error").and_then(Value::as_str) {
                Some(reason) => FileRead::Failed(reason.to_owned()),
                None => FileRead::content(key_bytes(spec)),
            };
            (path.clone(), read)
        })
        .collect()
}

/// Resolves a resolution input: `store` absent means no store (so
/// `CREDENTIALS_DIRECTORY` applies), an object is the entries passed in;
/// `directory` is a directory store.
fn resolve_input(input: &Value) -> Result<Resolution, Error> {
    for field in input.as_object().expect("input is an object").keys() {
        assert!(
            INPUT_FIELDS.contains(&field.as_str()),
            "unknown input field {field}"
        );
    }
    let vars = strings(&input["variables"]);
    let entries = strings(&input["store"]);
    let files = files(input);
    let store = match (input.get("directory"), input.get("store")) {
        (Some(directory), _) => Store::Directory(directory.as_str().expect("directory")),
        (None, Some(_)) => Store::Entries(&entries),
        (None, None) => Store::Absent,
    };
    let inputs = Inputs {
        variables: &vars,
        store,
        files: &files,
        environment: input["environment"].as_str(),
    };
    let resolution = resolve_with(&inputs);
    // What a binding pre-fetches is what the resolver asks for.
    let asked = Recorder {
        files: &files,
        asked: Default::default(),
    };
    let again = resolve_with(&Inputs {
        files: &asked,
        ..inputs
    });
    assert_eq!(again.is_ok(), resolution.is_ok());
    let mut predicted = paths_read(&vars, store, input["environment"].as_str());
    predicted.sort();
    let mut seen: Vec<String> = asked.asked.into_inner().into_iter().collect();
    seen.sort();
    if resolution.is_ok() {
        assert_eq!(seen, predicted, "paths_read differs from the paths read");
    } else {
        // A failure may stop reading early: never a path not predicted.
        assert!(
            seen.iter().all(|p| predicted.contains(p)),
            "{seen:?} {predicted:?}"
        );
    }
    resolution
}

/// A reader that records the paths asked for.
struct Recorder<'a> {
    files: &'a BTreeMap<String, FileRead>,
    asked: std::cell::RefCell<std::collections::BTreeSet<String>>,
}

impl Files for Recorder<'_> {
    fn read(&self, path: &str) -> FileRead {
        self.asked.borrow_mut().insert(path.to_owned());
        self.files.read(path)
    }
}

fn string_or_list(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect(),
        other => panic!("expected string or list, got {other}"),
    }
}

fn sign_options(options: &Value) -> SignOptions {
    let mut o = SignOptions::default();
    let Some(map) = options.as_object() else {
        return o;
    };
    for (name, v) in map {
        let text = || v.as_str().unwrap().to_owned();
        match name.as_str() {
            "expires_in" => o.expires_in = v.as_i64(),
            "not_before" => o.not_before = v.as_i64(),
            "issuer" => o.issuer = Some(text()),
            "subject" => o.subject = Some(text()),
            "token_type" => o.token_type = Some(text()),
            "jti" => o.jti = Some(text()),
            "set_issued_at" => o.set_issued_at = v.as_bool().unwrap(),
            "audience" => {
                o.audience = Some(match v {
                    Value::String(s) => Audience::One(s.clone()),
                    _ => Audience::Many(string_or_list(v)),
                })
            }
            "kid" => {
                o.kid = match v {
                    Value::Bool(true) => Kid::Fingerprint,
                    Value::Bool(false) => Kid::Omit,
                    _ => Kid::Custom(text()),
                }
            }
            other => panic!("unknown sign option {other}"),
        }
    }
    o
}

fn verify_options(options: &Value) -> VerifyOptions {
    let mut o = VerifyOptions::default();
    let Some(map) = options.as_object() else {
        return o;
    };
    for (name, v) in map {
        match name.as_str() {
            "issuer" => o.issuer = Some(string_or_list(v)),
            "audience" => o.audience = Some(string_or_list(v)),
            "leeway" => o.leeway = v.as_u64().unwrap(),
            "required" => o.required = string_or_list(v),
            "token_type" => o.token_type = Some(v.as_str().unwrap().to_owned()),
            "max_age" => o.max_age = v.as_u64(),
            "max_token_bytes" => o.max_token_bytes = v.as_u64().unwrap() as usize,
            other => panic!("unknown verify option {other}"),
        }
    }
    o
}

#[test]
fn fingerprint_vectors() {
    run_file("fingerprint.json", |case| {
        let bytes = case
            .get("secret")
            .map_or_else(|| key_bytes(&json!({"hex": case["hex"]})), key_bytes);
        let fp = fingerprint(&bytes);
        if let Some(want) = case["expect"].get("fingerprint").and_then(Value::as_str) {
            if want != fp {
                return Err(format!("expected fingerprint {want}, got {fp}"));
            }
        }
        Ok(json!({ "fingerprint": fp }))
    });
}

/// The held keys as `"slot:source"`, for `expect.keys`.
fn held(r: &Resolution) -> Vec<String> {
    r.keys()
        .iter()
        .map(|k| format!("{}:{}", k.slot, k.source.name))
        .collect()
}

#[test]
fn resolution_vectors() {
    run_file("resolution.json", |case| {
        let input = &case["input"];
        let expect = &case["expect"];
        match resolve_input(input) {
            Err(e) => {
                check_error(expect, Err(&e))?;
                Ok(error_value(&e))
            }
            Ok(r) => {
                check_error(expect, Ok(()))?;
                let report = r.to_json_value();
                let codes: Vec<&str> = r.warnings().iter().map(|w| w.code.as_str()).collect();
                let outcomes: Vec<&str> =
                    r.candidates().iter().map(|c| c.outcome.as_str()).collect();
                for (field, got) in [
                    ("source", json!(r.source().name)),
                    ("kind", json!(r.source().kind.as_str())),
                    ("environment", json!(r.environment().as_str())),
                    ("environment_source", json!(r.environment_origin().as_str())),
                    ("warnings", json!(codes)),
                    ("outcomes", json!(outcomes)),
                    ("fingerprint", json!(r.fingerprint())),
                    ("keys", json!(held(&r))),
                ] {
                    if let Some(want) = expect.get(field) {
                        if *want != got {
                            return Err(format!("expected {field} {want}, got {got}"));
                        }
                    }
                }
                if expect.get("source").is_none() || expect.get("warnings").is_none() {
                    return Err("a success case must state source and warnings".into());
                }
                for key in r.keys() {
                    let held = std::str::from_utf8(key.secret().expose()).unwrap();
                    let shown = [r.to_json(), r.summary(), format!("{r:?}{:?}", r.keys())];
                    if shown.iter().any(|text| text.contains(held)) {
                        return Err(format!("the {} key leaked", key.slot));
                    }
                }
                let secret = r.expose_secret_text().to_owned();
                assert_eq!(secret.as_bytes(), r.expose_secret());
                let text = r.to_json();
                if text.contains(&secret)
                    || r.summary().contains(&secret)
                    || format!("{r:?}").contains(&secret)
                {
                    return Err("the secret leaked into the JSON form, summary or Debug".into());
                }
                assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), report);
                Ok(json!({ "json": text, "summary": r.summary() }))
            }
        }
    });
}

#[test]
fn sign_vectors() {
    run_file("sign.json", |case| {
        let expect = &case["expect"];
        let now = case["now"].as_i64().expect("now");
        let signed = keyring(case).and_then(|keys| {
            let fp = keys.current().fingerprint().to_owned();
            let signer = Signer::new(keys, sign_options(&case["options"]));
            signer.sign(&case["claims"], now).map(|t| (t, fp))
        });
        match signed {
            Err(e) => {
                check_error(expect, Err(&e))?;
                Ok(error_value(&e))
            }
            Ok((token, fp)) => {
                check_error(expect, Ok(()))?;
                let decoded = decode_unverified(&token).map_err(|e| e.to_string())?;
                let mut want_header = expect["header"].clone();
                if want_header["kid"] == "@fingerprint" {
                    want_header["kid"] = json!(fp);
                }
                if Value::Object(decoded.header) != want_header {
                    return Err(format!("header differs from expect: {token}"));
                }
                if Value::Object(decoded.claims) != expect["claims"] {
                    return Err(format!("claims differ from expect: {token}"));
                }
                // The bytes as the contract defines them, not as the writer
                // happens to make them: serde_json's compact text of the
                // expected claims, keys sorted (docs/spec.md §8.1).
                let payload = token.split('.').nth(1).unwrap_or_default();
                let want = serde_json::to_vec(&expect["claims"]).map_err(|e| e.to_string())?;
                if jwt_accord::token::base64url::decode(payload) != Some(want) {
                    return Err(format!("claims text is not sorted compact JSON: {token}"));
                }
                // Determinism: a second signer gives the same bytes.
                let again = Signer::new(keyring(case).unwrap(), sign_options(&case["options"]))
                    .sign(&case["claims"], now)
                    .unwrap();
                if again != token {
                    return Err("signing is not deterministic".into());
                }
                Ok(json!({ "token": token }))
            }
        }
    });
}

/// Builds a token from `build`: raw header and claims (text or object), a
/// signing key, optional segment overrides and a signature mode.
fn build_token(case: &Value) -> String {
    let Some(build) = case.get("build") else {
        return case["token"].as_str().expect("token or build").to_owned();
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let segment = |name: &str, raw: &Value| {
        build
            .get(format!("{name}_segment"))
            .and_then(Value::as_str)
            .map_or_else(|| URL_SAFE_NO_PAD.encode(text(raw)), str::to_owned)
    };
    let header = segment("header", &build["header"]);
    let claims = segment("claims", &build["claims"]);
    let input = format!("{header}.{claims}");
    let key = build.get("key").unwrap_or(&case["keys"][0]);
    let tag = Key::from_bytes(&key_bytes(key))
        .expect("build key")
        .tag(input.as_bytes());
    let signature = match build.get("signature").and_then(Value::as_str) {
        None | Some("valid") => URL_SAFE_NO_PAD.encode(tag),
        Some("flip") => {
            let mut bad = tag;
            bad[0] ^= 1;
            URL_SAFE_NO_PAD.encode(bad)
        }
        Some(raw) => raw
            .strip_prefix("raw:")
            .expect("signature: valid, flip or raw:...")
            .to_owned(),
    };
    format!("{input}.{signature}")
}

#[test]
fn verify_vectors() {
    run_file("verify.json", |case| {
        let expect = &case["expect"];
        let token = build_token(case);
        let now = case["now"].as_i64().expect("now");
        let outcome = keyring(case).and_then(|keys| {
            let verifier = Verifier::new(keys, verify_options(&case["options"]));
            let outcome = verifier.verify(&token, now);
            // The claims-only call the bindings' `verify` makes: the same outcome.
            let claims_only = verifier.verify_claims_json(&token, now);
            if claims_only != outcome.clone().map(|v| v.claims_json) {
                panic!("verify_claims_json gave {claims_only:?}, verify {outcome:?}");
            }
            outcome
        });
        let mut result = match outcome {
            Err(e) => {
                check_error(expect, Err(&e))?;
                error_value(&e)
            }
            Ok(v) => {
                check_error(expect, Ok(()))?;
                let claims = Value::Object(v.claims());
                if expect.get("claims") != Some(&claims) {
                    return Err(format!("claims differ from expect: {claims}"));
                }
                let slot = json!(v.key_slot.map(KeySlot::as_str));
                if let Some(want) = expect.get("key_slot") {
                    if *want != slot {
                        return Err(format!("expected key_slot {want}, got {slot}"));
                    }
                }
                if let Some(index) = expect.get("key_index").and_then(Value::as_u64) {
                    let want = keyring(case).unwrap().fingerprints()[index as usize].clone();
                    if want != v.key_fingerprint {
                        return Err(format!(
                            "verified by {}, expected key {index}",
                            v.key_fingerprint
                        ));
                    }
                }
                assert_eq!(
                    serde_json::from_str::<Value>(&v.claims_json).unwrap(),
                    claims
                );
                json!({
                    "claims": claims,
                    "header": *v.header,
                    "key_fingerprint": v.key_fingerprint,
                    "key_slot": slot,
                })
            }
        };
        if case.get("build").is_some() {
            result["token"] = json!(token);
        }
        Ok(result)
    });
}

#[test]
fn decode_vectors() {
    run_file("decode.json", |case| {
        let expect = &case["expect"];
        let token = build_token(case);
        let mut result = match decode_unverified(&token) {
            Err(e) => {
                check_error(expect, Err(&e))?;
                error_value(&e)
            }
            Ok(d) => {
                check_error(expect, Ok(()))?;
                let claims = Value::Object(d.claims);
                if expect.get("claims") != Some(&claims) {
                    return Err(format!("claims differ from expect: {claims}"));
                }
                json!({ "header": d.header, "claims": claims })
            }
        };
        if case.get("build").is_some() {
            result["token"] = json!(token);
        }
        Ok(result)
    });
}

#[test]
fn consistency_vectors() {
    run_file("consistency.json", |case| {
        let reports = case["reports"].as_array().expect("reports");
        let consistency = check_consistency(reports);
        let result = consistency.to_json_value();
        // The text every binding returns (its keys in field order, which the
        // runners compare too): the same value as `to_json_value`.
        let text = consistency.to_json();
        if serde_json::from_str::<Value>(&text).ok().as_ref() != Some(&result)
            || !text.starts_with(r#"{"schema":"jwt-accord/consistency/v2","status":"#)
        {
            return Err(format!("to_json {text} is not to_json_value {result}"));
        }
        let expect = &case["expect"];
        for field in ["status", "level"] {
            if expect.get(field) != result.get(field) {
                return Err(format!(
                    "expected {field} {}, got {}",
                    expect[field], result[field]
                ));
            }
        }
        // The rotation step and the services it waits for, when written by hand.
        for field in ["step", "waiting_for", "keys"] {
            if let Some(want) = expect.get("rotation").and_then(|r| r.get(field)) {
                if Some(want) != result.get("rotation").and_then(|r| r.get(field)) {
                    return Err(format!(
                        "expected rotation.{field} {want}, got {}",
                        result["rotation"]
                    ));
                }
            }
        }
        if expect.get("rotation") == Some(&Value::Null) && result.get("rotation").is_some() {
            return Err(format!("expected no rotation, got {}", result["rotation"]));
        }
        if let Some(n) = expect.get("groups").and_then(Value::as_u64) {
            if result["groups"].as_array().unwrap().len() as u64 != n {
                return Err(format!("expected {n} groups, got {}", result["groups"]));
            }
        }
        if let Some(n) = expect.get("findings").and_then(Value::as_u64) {
            if result["findings"].as_array().unwrap().len() as u64 != n {
                return Err(format!("expected {n} findings, got {}", result["findings"]));
            }
        }
        // Or the findings' exact text, written by hand.
        if let Some(texts) = expect.get("findings").filter(|f| f.is_array()) {
            if texts != &result["findings"] {
                return Err(format!(
                    "expected findings {texts}, got {}",
                    result["findings"]
                ));
            }
        }
        Ok(json!({ "json": text }))
    });
}

#[test]
fn publish_vectors() {
    run_file("publish.json", |case| {
        let now = case["now"].as_i64().expect("now");
        let resolution = resolve_input(&case["input"]).map_err(|e| e.to_string())?;
        let expect = &case["expect"];
        let made = host::service(
            case["service"].as_str().expect("service"),
            case["role"].as_str(),
            &resolution,
        );
        let mut service = match made {
            Err(message) => {
                return if expect["error"] == message.as_str() {
                    Ok(json!({ "error": { "message": message } }))
                } else {
                    Err(format!("expected error {}, got {message}", expect["error"]))
                };
            }
            Ok(_) if expect.get("error").is_some() => {
                return Err(format!("expected error {}", expect["error"]))
            }
            Ok(service) => service,
        };
        let keys = Key::from_resolution(&resolution);
        let verifier = Verifier::new(keys.clone(), verify_options(&case["options"]));
        let signer = Signer::new(keys, SignOptions::default());
        service.watch_verifier(&verifier);
        service.watch_signer(&signer);
        for item in case["sign"].as_array().expect("sign") {
            let _ = signer.sign(&item["claims"], now);
        }
        for item in case["verify"].as_array().expect("verify") {
            let token = match item.get("token") {
                Some(token) => token.as_str().expect("token").to_owned(),
                None => {
                    let key = Key::from_text(item["key"].as_str().expect("key")).unwrap();
                    Signer::new(key, SignOptions::default())
                        .sign(&item["claims"], now)
                        .unwrap()
                }
            };
            let _ = verifier.verify(&token, now);
        }
        let report = service.report_json();
        let report_value: Value = serde_json::from_str(&report).unwrap();
        for (field, want) in expect["report"].as_object().expect("expect.report") {
            if report_value.get(field) != Some(want) {
                return Err(format!("report {field}: expected {want}, got {report}"));
            }
        }
        if report_value.get("role").is_some() != case["role"].is_string() {
            return Err(format!(
                "report role does not follow the case's role: {report}"
            ));
        }
        let metrics = service.metrics_text();
        for line in expect["metrics"].as_array().expect("expect.metrics") {
            let mut line = line.as_str().unwrap().to_owned();
            for key in resolution.keys() {
                line = line.replace(&format!("@{}", key.slot.as_str()), key.fingerprint());
            }
            if !metrics.lines().any(|l| l == line) {
                return Err(format!("metrics lack the line {line}:\n{metrics}"));
            }
        }
        if metrics.contains(resolution.expose_secret_text())
            || report.contains(resolution.expose_secret_text())
        {
            return Err("the secret leaked into the report or the metrics".into());
        }
        Ok(json!({ "report": report, "metrics": metrics }))
    });
}

/// The header values of a case's field: absent = none.
fn header_values(case: &Value, field: &str) -> Vec<String> {
    case.get(field).map_or_else(Vec::new, |v| {
        v.as_array()
            .expect("header values are a list")
            .iter()
            .map(|h| h.as_str().expect("a header value").to_owned())
            .collect()
    })
}

#[test]
fn http_vectors() {
    run_file("http.json", |case| {
        let environment = Environment::parse(case["environment"].as_str().expect("environment"))
            .expect("a valid environment");
        let challenge = match http::Challenge::new(
            case["realm"].as_str().expect("realm"),
            case["expose_messages"].as_bool(),
            &environment,
        ) {
            Ok(challenge) => challenge,
            Err(message) => {
                return if case["expect"]["error"] == message.as_str() {
                    Ok(json!({ "error": { "message": message } }))
                } else {
                    Err(format!(
                        "expected {}, got the argument error {message}",
                        case["expect"]
                    ))
                };
            }
        };
        let authorization = header_values(case, "authorization");
        let protocols = header_values(case, "websocket_protocols");
        let cookies = header_values(case, "cookies");
        let authorization: Vec<&str> = authorization.iter().map(String::as_str).collect();
        let protocols: Vec<&str> = protocols.iter().map(String::as_str).collect();
        let cookies: Vec<&str> = cookies.iter().map(String::as_str).collect();
        let found = if case.get("websocket_protocols").is_some() {
            http::websocket_token(&protocols)
        } else {
            match (
                http::bearer_token(&authorization),
                case["cookie_name"].as_str(),
            ) {
                (Err(e), Some(name)) if e.code() == ErrorCode::MissingToken => {
                    http::cookie_token(&cookies, name).and_then(|t| t.ok_or(e))
                }
                (found, _) => found,
            }
        };
        let verifier =
            keyring(case).map(|keys| Verifier::new(keys, verify_options(&case["options"])));
        let now = case["now"].as_i64().expect("now");
        let outcome = found.and_then(|token| {
            let verifier = verifier.as_ref().map_err(Clone::clone)?;
            verifier.verify(token, now)
        });
        let expect = &case["expect"];
        match outcome {
            Ok(verified) => {
                if expect.get("status").is_some() {
                    return Err(format!(
                        "expected a refusal, got claims {}",
                        verified.claims_json
                    ));
                }
                if Value::Object(verified.claims()) != expect["claims"] {
                    return Err(format!(
                        "claims differ from expect: {}",
                        verified.claims_json
                    ));
                }
                Ok(json!({ "claims": verified.claims() }))
            }
            Err(error) => {
                let refusal = challenge.refusal(&error);
                let result = json!({
                    "status": refusal.status,
                    "www_authenticate": refusal.www_authenticate,
                    "body": refusal.body,
                    "close_code": refusal.close_code,
                    "close_reason": refusal.close_reason,
                });
                for field in ["status", "www_authenticate", "close_reason"] {
                    if expect.get(field) != result.get(field) {
                        return Err(format!(
                            "expected {field} {}, got {result} ({error})",
                            expect[field]
                        ));
                    }
                }
                if expect.get("message_exposed")
                    != Some(&json!(refusal.body.contains("\"message\"")))
                {
                    return Err(format!(
                        "message_exposed is not {}: {}",
                        expect["message_exposed"], refusal.body
                    ));
                }
                // Headers are ASCII whatever the request held; the same
                // refusal comes back from the code and message alone.
                let header_ascii = refusal
                    .www_authenticate
                    .as_deref()
                    .is_none_or(|h| h.is_ascii());
                if !header_ascii
                    || challenge.refusal_for_code(error.code().as_str(), error.message()) != refusal
                {
                    return Err(format!(
                        "refusal_for_code differs, or a header is not ASCII: {result}"
                    ));
                }
                Ok(result)
            }
        }
    });
}

/// The verify file's tokens must also be what `build` says, so that bindings
/// (which read only `token`) test what the case describes.
#[test]
fn every_verify_case_has_a_token() {
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("verify.json")).unwrap()).unwrap();
    for case in doc["cases"].as_array().unwrap() {
        let has = case.get("token").is_some() || case["result"].get("token").is_some();
        assert!(has, "{} has neither token nor result.token", case["name"]);
    }
}
