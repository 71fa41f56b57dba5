//! Terminal injection (issue 14, item 5): untrusted text (token headers and
//! claims, report files, core messages quoting them) never reaches the
//! terminal with a raw control character or bidi control. Human output shows
//! them as `\u001b`; `--json` output is JSON-escaped and parses back to the
//! exact text.

mod common;

use common::*;
use jwt_accord::token::base64url::encode;
use serde_json::{json, Value};

/// A fake green "valid" line, an OSC 52 clipboard write, a C1 CSI and a
/// right-to-left override.
const FAKE_VALID: &str = "\x1b[32mvalid: signature verified\x1b[0m";
const OSC52: &str = "\x1b]52;c;aGVsbG8=\x07";
const C1_CSI: &str = "\u{9b}31m";
const RTL: &str = "\u{202e}exe.txt";

/// No control character but the line end, and no bidi control.
fn assert_terminal_safe(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "{what} prints {bad:?} raw:\n{text}");
}

/// A token over any header and claims text; the signature is not checked by
/// `inspect`, and `verify` refuses the algorithm before looking at it.
fn token(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}.{}",
        encode(header.to_string().as_bytes()),
        encode(claims.to_string().as_bytes()),
        encode(b"not a signature")
    )
}

fn hostile_header() -> Value {
    json!({"alg": "HS256", "typ": FAKE_VALID, "kid": OSC52, "cty": C1_CSI, "x": RTL})
}

#[test]
fn inspect_escapes_the_unverified_header_and_claims() {
    let claims = json!({"sub": format!("{FAKE_VALID}{C1_CSI}{RTL}\u{7f}"), "exp": 1_700_000_060});
    let t = token(&hostile_header(), &claims);
    let r = run(&["inspect", &t, "--now", NOW]).expect(0);
    assert_terminal_safe("inspect", &r.stdout);
    assert_terminal_safe("inspect (stderr)", &r.stderr);
    assert!(
        r.stdout
            .contains("\\u001b[32mvalid: signature verified\\u001b[0m"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("\\u001b]52;c;aGVsbG8=\\u0007"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("\\u009b31m") && r.stdout.contains("\\u202eexe.txt"));

    // --json: JSON-escaped, and the exact values come back.
    let r = run(&["inspect", &t, "--now", NOW, "--json"]).expect(0);
    assert_terminal_safe("inspect --json", &r.stdout);
    let out = r.json();
    assert_eq!(out["header"], hostile_header());
    assert_eq!(out["claims"]["sub"], claims["sub"]);
}

#[test]
fn verify_errors_quoting_the_token_are_escaped() {
    let header = json!({"alg": format!("{C1_CSI}{RTL}{OSC52}")});
    let t = token(&header, &json!({"exp": 1_700_000_060}));
    let r = run(&["verify", &t, "--env-file", FIXED_AUTH, "--now", NOW]).expect(1);
    assert!(r.stderr.contains("unsupported_algorithm"), "{}", r.stderr);
    assert_terminal_safe("verify (stderr)", &r.stderr);
    let r = run(&[
        "verify",
        &t,
        "--env-file",
        FIXED_AUTH,
        "--now",
        NOW,
        "--json",
    ])
    .expect(1);
    assert_terminal_safe("verify --json", &r.stdout);
    assert_terminal_safe("verify --json (stderr)", &r.stderr);
    assert_eq!(r.json()["error"]["details"]["found"], header["alg"]);
}

#[test]
fn check_escapes_report_files() {
    let dir = temp_dir("escaping");
    let report = |environment: &str, source: &str, fingerprint: &str| {
        json!({
            "schema": "jwt-accord/resolution/v1",
            "environment": environment, "environment_source": "ENVIRONMENT",
            "source": {"kind": "variable", "name": source},
            "fingerprint": fingerprint,
            "warnings": [{"code": format!("legacy_source{C1_CSI}"), "message": FAKE_VALID}],
            "candidates": []
        })
        .to_string()
    };
    let a = write(
        &dir,
        "a.json",
        report("staging", &format!("JWT_SECRET{OSC52}"), "cb6ef22128c05360"),
    );
    let b = write(
        &dir,
        "b.json",
        report(&format!("staging{RTL}"), FAKE_VALID, "1f0c4e7a2d9b6f3c"),
    );
    let failed = json!({
        "schema": "jwt-accord/resolution/v1",
        "error": {"code": format!("secret_missing{OSC52}"), "message": format!("{FAKE_VALID}{C1_CSI}")}
    });
    let c = write(&dir, "c.json", failed.to_string());
    let args = [
        "check".to_owned(),
        format!("auth:issuer={a}"),
        format!("api:verifier={b}"),
        format!("jobs={c}"),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = run(&args).expect(1);
    assert_terminal_safe("check", &r.stdout);
    assert_terminal_safe("check (stderr)", &r.stderr);
    assert!(r.stdout.contains("\\u001b[32mvalid"), "{}", r.stdout);
    assert!(
        r.stdout.contains("JWT_SECRET\\u001b]52;c;aGVsbG8=\\u0007"),
        "{}",
        r.stdout
    );

    let mut json_args = args.clone();
    json_args.push("--json");
    let r = run(&json_args).expect(1);
    assert_terminal_safe("check --json", &r.stdout);
    let out = r.json();
    assert_eq!(
        out["groups"][0]["services"][0]["source"],
        format!("JWT_SECRET{OSC52}")
    );
    assert_eq!(
        out["failures"][0]["message"],
        format!("{FAKE_VALID}{C1_CSI}")
    );
}

#[test]
fn file_names_in_errors_are_escaped() {
    let dir = temp_dir("escaping");
    let name = dir.join(format!("evil{OSC52}{RTL}.env"));
    let r = run(&["resolve", "--env-file", name.to_str().unwrap()]).expect(2);
    assert!(r.stderr.contains("no such file"), "{}", r.stderr);
    assert_terminal_safe("resolve (stderr)", &r.stderr);
}
