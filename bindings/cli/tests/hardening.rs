//! Hardening (issue 8), for the command-line build:
//! - every error code the CLI can reach (all of docs/spec.md §10 except
//!   `invalid_key`: the CLI takes keys only from a resolution) is produced with
//!   a marker secret in the env file, and neither stdout nor stderr, human or
//!   `--json`, shows it; each failure is one `error:` line naming the code, and
//!   the process exits with a status (never a signal, never a panic: the
//!   CLI's panic hook would print "internal error" and exit 101);
//! - 100,000-deep nesting in claims, tokens and report files is refused, never
//!   a crash.

mod common;

use common::*;

const MARKER: &str = "HARDENcli8b2e6f0a4c";
const SECRET: &str = "hardening-HARDENcli8b2e6f0a4c-5e4d3c2b1a09";
const OTHER: &str = "rotated-HARDENcli8b2e6f0a4c-a1b2c3d4e5f607";
const DEPTH: usize = 100_000;

fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| n << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// A token over any header and claims text, signed by hand.
fn hand_signed(header: &str, claims: &str, secret: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
    let tag = jwt_accord::Key::from_text(secret)
        .unwrap()
        .tag(input.as_bytes());
    format!("{input}.{}", b64(&tag))
}

/// A command line and what it reads on stdin.
type Command = (Vec<String>, Option<String>);

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;
const EXP: u64 = 1_700_000_060;

fn claims(extra: &str) -> String {
    format!(r#"{{"exp":{EXP}{extra}}}"#)
}

/// No secret, no panic, and on failure one `error:` line that names `code`.
fn assert_clean(r: &Run, what: &str, code: Option<&str>) {
    for (stream, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        assert!(
            !text.contains(MARKER),
            "{what}: {stream} shows the secret:\n{text}"
        );
        // A panic prints "internal error" (the CLI's panic hook) or "panicked".
        for bug in ["panicked", "internal error"] {
            assert!(!text.contains(bug), "{what}: {stream}:\n{text}");
        }
    }
    if let Some(code) = code {
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{what}: one line on stderr:\n{}", r.stderr);
        assert!(
            lines[0].starts_with("error: ") && lines[0].contains(&format!("{code}: ")),
            "{what}: expected {code}:\n{}",
            r.stderr
        );
    }
}

#[test]
fn every_reachable_error_code_hides_the_secret() {
    let dir = temp_dir("hardening");
    let env = |name: &str, text: String| write(&dir, name, text);
    let staging = env(
        "staging.env",
        format!("ENVIRONMENT=staging\nJWT_SECRET_STAGING={SECRET}\nJWT_SECRET_KEY={SECRET} old\n"),
    );
    let valid = |extra: &str| hand_signed(HEADER, &claims(extra), SECRET);
    let unknown = run(&[
        "sign",
        "--env-file",
        &env(
            "other.env",
            format!("ENVIRONMENT=staging\nJWT_SECRET_KEY={OTHER}\n"),
        ),
        "--expires-in",
        "60",
        "--now",
        NOW,
    ])
    .expect(0)
    .stdout
    .trim()
    .to_owned();

    // (code, exit status, arguments); `-` reads the token from stdin.
    let too_large = format!("{}{}", valid(""), "A".repeat(20_000));
    let verify = |token: String, extra: &[&str]| {
        let mut args: Vec<String> = ["verify", "-", "--env-file", &staging, "--now", NOW]
            .map(str::to_owned)
            .to_vec();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        (args, Some(token))
    };
    let resolve = |file: String, extra: &[&str]| {
        let mut args: Vec<String> = vec!["resolve".into(), "--env-file".into(), file];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        (args, None)
    };
    let sign = |extra: &[&str]| {
        let mut args: Vec<String> = ["sign", "--env-file", &staging, "--now", NOW]
            .map(str::to_owned)
            .to_vec();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        (args, None)
    };
    let cases: Vec<(&str, i32, Command)> = vec![
        ("environment_missing", 1, resolve(env("no-env.env", format!("JWT_SECRET_KEY={SECRET}\n")), &[])),
        ("environment_invalid", 1, resolve(staging.clone(), &["--environment", "not valid!"])),
        ("secret_missing", 1, resolve(env("missing.env", format!("ENVIRONMENT=production\nJWT_SECRET_STAGING={SECRET}\n")), &[])),
        ("secret_too_short", 1, resolve(env("short.env", format!("ENVIRONMENT=production\nJWT_SECRET_KEY={MARKER}\n")), &[])),
        ("insecure_secret", 1, resolve(env("pem.env", format!("ENVIRONMENT=production\nJWT_SECRET_KEY=-----BEGIN PUBLIC KEY-----{SECRET}\n")), &[])),
        ("secret_reused_across_environments", 1, resolve(env("reused.env", format!("ENVIRONMENT=production\nJWT_SECRET_PRODUCTION={SECRET}\nJWT_SECRET_STAGING={SECRET}\n")), &[])),
        ("token_too_large", 2, verify(too_large, &[])),
        ("malformed", 2, verify(hand_signed(HEADER, r#"{"sub":"a","sub":"b"}"#, SECRET), &[])),
        ("unsupported_algorithm", 1, verify(hand_signed(r#"{"alg":"none"}"#, "{}", SECRET), &[])),
        ("unknown_key", 1, verify(unknown, &[])),
        ("invalid_signature", 1, verify(hand_signed(HEADER, &claims(""), OTHER), &[])),
        ("invalid_claim_type", 1, verify(hand_signed(HEADER, &format!(r#"{{"exp":"{SECRET}"}}"#), SECRET), &[])),
        ("missing_claim", 1, verify(hand_signed(HEADER, "{}", SECRET), &[])),
        ("expired", 1, verify(hand_signed(HEADER, r#"{"exp":1699999999}"#, SECRET), &[])),
        ("not_yet_valid", 1, verify(valid(r#","nbf":1700000030"#), &[])),
        ("invalid_issuer", 1, verify(valid(r#","iss":"evil""#), &["--issuer", "auth"])),
        ("invalid_audience", 1, verify(valid(r#","aud":"web""#), &["--audience", "api"])),
        ("wrong_token_type", 1, verify(valid(r#","token_type":"refresh""#), &["--token-type", "access"])),
        ("invalid_claims", 2, sign(&["--claims", &format!(r#"{{"exp":"{SECRET}"}}"#)])),
        ("conflicting_claim", 2, sign(&["--claims", r#"{"sub":"a"}"#, "--subject", "b"])),
    ];
    assert_eq!(cases.len(), 20, "every code but invalid_key");
    for (code, status, (args, stdin)) in cases {
        for json in [false, true] {
            let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
            if json {
                args.push("--json");
            }
            let r = run_with(&args, &[], stdin.as_deref());
            let what = format!(
                "{code} ({})",
                args.join(" ").chars().take(120).collect::<String>()
            );
            assert_clean(&r, &what, Some(code));
            assert_eq!(r.status, status, "{what}: exit status\n{}", r.stderr);
            // A refusal (exit 1) also puts the error on stdout as JSON; bad input (2) does not.
            if json && status == 1 {
                let out = r.json();
                assert_eq!(out["error"]["code"], code, "{what}: {}", r.stdout);
            }
        }
    }
}

#[test]
fn successful_output_hides_the_secret_everywhere() {
    let dir = temp_dir("hardening-ok");
    let staging = write(
        &dir,
        "staging.env",
        format!("ENVIRONMENT=staging\nJWT_SECRET_STAGING={SECRET}\nJWT_SECRET_KEY={SECRET} old\nJWT_SECRET_PROD={SECRET}-prod\n"),
    );
    let store = write(
        &dir,
        "store.json",
        format!(r#"{{"jwt-secret-staging":"{SECRET}-store"}}"#),
    );
    let token = run(&[
        "sign",
        "--env-file",
        &staging,
        "--subject",
        "u",
        "--expires-in",
        "60",
        "--now",
        NOW,
    ])
    .expect(0);
    assert_clean(&token, "sign", None);
    let token = token.stdout.trim().to_owned();
    let report = run(&["resolve", "--env-file", &staging, "--json"]).expect(0);
    let report_file = write(&dir, "report.json", &report.stdout);
    for args in [
        vec!["resolve", "--env-file", &staging],
        vec!["resolve", "--env-file", &staging, "--json"],
        vec!["resolve", "--env-file", &staging, "--store-file", &store],
        vec!["sign", "--env-file", &staging, "--now", NOW, "--json"],
        vec!["verify", &token, "--env-file", &staging, "--now", NOW],
        vec![
            "verify",
            &token,
            "--env-file",
            &staging,
            "--now",
            NOW,
            "--json",
        ],
        vec!["inspect", &token, "a=examples/drift/auth.env", "--now", NOW],
        vec![
            "check",
            "a:issuer=examples/drift/auth.env",
            "b:verifier=examples/drift/backend.env",
        ],
        vec![
            "check",
            &format!("s={staging}"),
            &format!("r={report_file}"),
            "--json",
        ],
    ] {
        let r = run(&args);
        assert!(matches!(r.status, 0 | 1), "{args:?}: {}", r.stderr);
        assert_clean(&r, &args.join(" "), None);
    }
    // The process environment, with no env file.
    let r = run_with(
        &["resolve"],
        &[("ENVIRONMENT", "staging"), ("JWT_SECRET_STAGING", SECRET)],
        None,
    )
    .expect(0);
    assert_clean(&r, "resolve from the process environment", None);
}

#[test]
fn deep_nesting_is_refused_never_a_crash() {
    let dir = temp_dir("hardening-deep");
    let staging = write(
        &dir,
        "staging.env",
        format!("ENVIRONMENT=staging\nJWT_SECRET_STAGING={SECRET}\n"),
    );
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));

    // A 100,000-deep token is over the size limit; 5,000 deep fits and is malformed.
    let huge = hand_signed(HEADER, &format!(r#"{{"a":{}}}"#, nested(DEPTH)), SECRET);
    let r = run_with(
        &["verify", "-", "--env-file", &staging, "--now", NOW],
        &[],
        Some(&huge),
    );
    assert_clean(&r, "100,000-deep token", Some("token_too_large"));
    for token in [
        hand_signed(HEADER, &format!(r#"{{"a":{}}}"#, nested(5000)), SECRET),
        hand_signed(
            &format!(r#"{{"alg":"HS256","x":{}}}"#, nested(5000)),
            "{}",
            SECRET,
        ),
    ] {
        for args in [
            vec!["verify", "-", "--env-file", &staging, "--now", NOW],
            vec!["inspect", "-", "--now", NOW],
        ] {
            let r = run_with(&args, &[], Some(&token)).expect(2);
            assert_clean(&r, &format!("5,000-deep {}", args[0]), Some("malformed"));
        }
    }

    // Claims on the command line: 100,000 unclosed levels (an argument holds at most 128 KiB).
    let claims = format!(r#"{{"a":{}"#, "[".repeat(DEPTH));
    let r = run(&[
        "sign",
        "--env-file",
        &staging,
        "--claims",
        &claims,
        "--now",
        NOW,
    ])
    .expect(2);
    assert_clean(&r, "100,000-deep claims", Some("invalid_claims"));

    // A report file nested 100,000 deep: refused as bad input.
    let report = write(
        &dir,
        "deep.json",
        format!(r#"{{"service":"a","x":{}}}"#, nested(DEPTH)),
    );
    let r = run(&["check", &format!("a={report}"), "b=examples/drift/auth.env"]);
    assert!(matches!(r.status, 1 | 2), "deep report: {}", r.stderr);
    assert_clean(&r, "deep report", None);

    // And the next run works.
    run(&["sign", "--env-file", &staging, "--now", NOW]).expect(0);
}
