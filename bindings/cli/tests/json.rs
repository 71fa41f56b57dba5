//! The --json output of every command: parsed, every field checked.

mod common;

use common::*;
use serde_json::Value;

fn is_fingerprint(v: &Value) -> bool {
    v.as_str().is_some_and(jwt_accord::is_fingerprint_form)
}

fn keys(v: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[test]
fn resolve_json_is_the_cores_report() {
    let r = run(&["resolve", "--env-file", DRIFT_BACKEND, "--json"]).expect(0);
    assert_eq!(r.stdout.lines().count(), 1, "one line of JSON");
    assert!(
        r.stdout
            .starts_with(r#"{"schema":"jwt-accord/resolution/v2","#),
        "{}",
        r.stdout
    );
    let v = r.json();
    assert_eq!(
        keys(&v),
        [
            "candidates",
            "environment",
            "environment_source",
            "fingerprint",
            "keys",
            "schema",
            "source",
            "warnings"
        ]
    );
    assert_eq!(v["environment"], "staging");
    assert_eq!(v["environment_source"], "ENVIRONMENT");
    assert_eq!(
        v["source"],
        serde_json::json!({"kind": "variable", "name": "JWT_SECRET_STAGING"})
    );
    assert_eq!(
        v["fingerprint"],
        fingerprint_of(DRIFT_BACKEND, "JWT_SECRET_STAGING")
    );
    let candidates = v["candidates"].as_array().unwrap();
    assert_eq!(
        candidates.len(),
        6,
        "staging is strict: no development fallback candidate"
    );
    for c in candidates {
        assert_eq!(
            keys(c),
            ["fingerprint", "kind", "name", "outcome", "present"]
        );
        assert_eq!(c["present"].as_bool().unwrap(), c["outcome"] != "not_set");
        assert!(c["fingerprint"].is_null() || is_fingerprint(&c["fingerprint"]));
    }
    assert_eq!(candidates[1]["name"], "JWT_SECRET_KEY");
    assert_eq!(candidates[1]["outcome"], "shadowed");
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(keys(&warnings[0]), ["code", "message", "source"]);
    assert_eq!(warnings[0]["code"], "shadowed_conflict");
    assert_eq!(warnings[0]["source"], "JWT_SECRET_KEY");
}

#[test]
fn resolve_json_on_failure_is_the_error_report() {
    let r = run(&["resolve", "--env-file", DRIFT_HELPER, "--json"]).expect(1);
    let v = r.json();
    assert_eq!(keys(&v), ["error", "schema"]);
    assert_eq!(v["schema"], "jwt-accord/resolution/v2");
    assert_eq!(keys(&v["error"]), ["code", "details", "message"]);
    assert_eq!(v["error"]["code"], "secret_too_short");
    assert_eq!(v["error"]["details"]["source"], "JWT_SECRET");
    assert!(is_fingerprint(&v["error"]["details"]["fingerprint"]));
    assert!(
        r.stderr.starts_with("error: "),
        "the error line is on stderr too: {}",
        r.stderr
    );
}

#[test]
fn check_json_is_the_cores_consistency() {
    let v = run(&[
        "check",
        "--json",
        &format!("auth:issuer={DRIFT_AUTH}"),
        &format!("backend:verifier={DRIFT_BACKEND}"),
        &format!("e2e-helper={DRIFT_HELPER}"),
    ])
    .expect(1)
    .json();
    assert_eq!(
        keys(&v),
        [
            "environments",
            "failures",
            "findings",
            "groups",
            "level",
            "schema",
            "status"
        ]
    );
    assert_eq!(v["status"], "drift");
    assert_eq!(v["level"], "critical");
    assert_eq!(v["environments"], serde_json::json!(["staging"]));
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    for g in groups {
        assert_eq!(keys(g), ["fingerprint", "services"]);
        assert!(is_fingerprint(&g["fingerprint"]));
        for m in g["services"].as_array().unwrap() {
            assert_eq!(keys(m), ["environment", "role", "service", "source"]);
        }
    }
    assert_eq!(groups[0]["services"][0]["service"], "auth");
    assert_eq!(groups[0]["services"][0]["role"], "issuer");
    assert_eq!(groups[0]["services"][0]["source"], "JWT_SECRET_KEY");
    assert_eq!(
        groups[0]["fingerprint"],
        fingerprint_of(DRIFT_AUTH, "JWT_SECRET_KEY")
    );
    assert_eq!(groups[1]["services"][0]["role"], "verifier");
    let failures = v["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(keys(&failures[0]), ["code", "message", "service"]);
    assert_eq!(failures[0]["service"], "e2e-helper");
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(Value::is_string));
    assert_eq!(v["findings"].as_array().unwrap().len(), 2);
}

#[test]
fn check_json_consistent() {
    let v = run(&[
        "check",
        "--json",
        &format!("auth={FIXED_AUTH}"),
        &format!("backend={FIXED_BACKEND}"),
    ])
    .expect(0)
    .json();
    assert_eq!(v["status"], "consistent");
    assert_eq!(v["level"], "info");
    assert_eq!(v["groups"].as_array().unwrap().len(), 1);
    assert_eq!(v["groups"][0]["services"][0]["role"], Value::Null);
    assert_eq!(v["findings"], serde_json::json!([]));
}

#[test]
fn sign_json() {
    let v = run(&["sign", "--env-file", FIXED_AUTH, "--now", NOW, "--json"])
        .expect(0)
        .json();
    assert_eq!(
        keys(&v),
        [
            "environment",
            "fingerprint",
            "key_slot",
            "kid",
            "source",
            "token"
        ]
    );
    assert_eq!(v["key_slot"], "current");
    let fp = fingerprint_of(FIXED_AUTH, "JWT_SECRET_STAGING");
    assert_eq!(v["fingerprint"], fp);
    assert_eq!(v["kid"], fp);
    assert_eq!(v["environment"], "staging");
    assert_eq!(v["source"], "JWT_SECRET_STAGING");
    assert_eq!(v["token"].as_str().unwrap().split('.').count(), 3);
    let v = run(&[
        "sign",
        "--env-file",
        FIXED_AUTH,
        "--now",
        NOW,
        "--json",
        "--no-kid",
    ])
    .expect(0)
    .json();
    assert_eq!(v["kid"], Value::Null);
}

#[test]
fn verify_json_success_and_failure() {
    let token = auth_token();
    let v = run(&[
        "verify",
        &token,
        "--env-file",
        DRIFT_AUTH,
        "--now",
        NOW,
        "--json",
    ])
    .expect(0)
    .json();
    assert_eq!(
        keys(&v),
        ["claims", "header", "key_fingerprint", "key_slot", "valid"]
    );
    assert_eq!(v["key_slot"], "current");
    assert_eq!(v["valid"], true);
    assert_eq!(v["claims"]["sub"], "user-42");
    assert_eq!(v["header"]["alg"], "HS256");
    assert_eq!(
        v["key_fingerprint"],
        fingerprint_of(DRIFT_AUTH, "JWT_SECRET_KEY")
    );

    let r = run(&[
        "verify",
        &token,
        "--env-file",
        DRIFT_BACKEND,
        "--now",
        NOW,
        "--json",
    ])
    .expect(1);
    let v = r.json();
    assert_eq!(keys(&v), ["error", "valid"]);
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"]["code"], "unknown_key");
    assert_eq!(
        v["error"]["details"]["kid"],
        fingerprint_of(DRIFT_AUTH, "JWT_SECRET_KEY")
    );
    assert_eq!(
        v["error"]["details"]["held"],
        serde_json::json!([fingerprint_of(DRIFT_BACKEND, "JWT_SECRET_STAGING")])
    );
    assert!(r.stderr.starts_with("error: unknown_key: "));

    // a garbage token: exit 2, and still JSON on stdout for scripts
    let v = run(&["verify", "not-a-token", "--env-file", DRIFT_AUTH, "--json"])
        .expect(2)
        .json();
    assert_eq!(v["error"]["code"], "malformed");

    // a refused secret
    let v = run(&["verify", &token, "--env-file", DRIFT_HELPER, "--json"])
        .expect(1)
        .json();
    assert_eq!(v["error"]["code"], "secret_too_short");
}

#[test]
fn inspect_json() {
    let token = auth_token();
    let v = run(&[
        "inspect",
        &token,
        "--json",
        "--now",
        NOW,
        &format!("auth={DRIFT_AUTH}"),
        &format!("backend={DRIFT_BACKEND}"),
        &format!("e2e-helper={DRIFT_HELPER}"),
    ])
    .expect(0)
    .json();
    assert_eq!(
        keys(&v),
        ["claims", "header", "now", "services", "signed_by", "times"]
    );
    assert_eq!(v["now"], 1_700_000_000);
    assert_eq!(v["signed_by"], serde_json::json!(["auth"]));
    assert_eq!(v["times"]["exp"]["value"], 1_700_000_900);
    assert_eq!(
        v["times"]["exp"]["human"],
        "2023-11-14 22:28:20 UTC (expires in 15 minutes)"
    );
    let services = v["services"].as_array().unwrap();
    assert_eq!(services.len(), 3);
    assert_eq!(
        keys(&services[0]),
        [
            "environment",
            "error",
            "file",
            "fingerprint",
            "key_slot",
            "key_source",
            "keys",
            "kid_matches",
            "service",
            "signature",
            "source"
        ]
    );
    assert_eq!(services[0]["service"], "auth");
    assert_eq!(services[0]["key_slot"], "current");
    assert_eq!(services[0]["key_source"], "JWT_SECRET_KEY");
    assert_eq!(services[0]["keys"][0]["slot"], "current");
    assert_eq!(services[1]["key_slot"], Value::Null);
    assert_eq!(services[0]["file"], DRIFT_AUTH);
    assert_eq!(services[0]["kid_matches"], true);
    assert_eq!(services[0]["signature"], "verifies");
    assert_eq!(services[0]["error"], Value::Null);
    assert_eq!(services[1]["kid_matches"], false);
    assert_eq!(services[1]["signature"], "does_not_verify");
    assert_eq!(services[2]["signature"], "unchecked");
    assert_eq!(services[2]["error"]["code"], "secret_too_short");
}
