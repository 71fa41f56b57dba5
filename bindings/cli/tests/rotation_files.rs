//! Rotation slots and secrets mounted as files (docs/spec.md §14, §15) through
//! every command: `_FILE` variables, `--secret-dir`, `CREDENTIALS_DIRECTORY`,
//! `check` over the three rotation steps, the slot that verified, and
//! `generate`.

mod common;

use std::path::Path;

use common::*;

const CURRENT: &str = "staging-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e";
const NEXT: &str = "next-secret-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f";
/// A service that holds the next key beside its current one (step 1).
const PRE_SEEDED: &[(&str, &str)] = &[
    ("JWT_SECRET_STAGING", CURRENT),
    ("JWT_SECRET_STAGING_NEXT", NEXT),
];
/// An issuer switched to the next key, keeping the old one (step 2).
const SWITCHED: &[(&str, &str)] = &[
    ("JWT_SECRET_STAGING", NEXT),
    ("JWT_SECRET_STAGING_PREVIOUS", CURRENT),
];

fn fingerprint(secret: &str) -> String {
    jwt_accord::fingerprint(secret.as_bytes())
}

/// An env file for staging with these lines.
fn env_file(dir: &Path, name: &str, lines: &[(&str, &str)]) -> String {
    let mut text = String::from("ENVIRONMENT=staging\n");
    for (variable, value) in lines {
        text += &format!("{variable}={value}\n");
    }
    write(dir, name, text)
}

fn assert_no_secret(r: &Run) {
    for secret in [CURRENT, NEXT] {
        assert!(
            !r.stdout.contains(secret) && !r.stderr.contains(secret),
            "{}{}",
            r.stdout,
            r.stderr
        );
    }
}

#[test]
fn file_variable_in_an_env_file() {
    let dir = temp_dir("file-variable");
    let secret = write(&dir, "jwt", format!("{CURRENT}\n"));
    let env = env_file(&dir, "svc.env", &[("JWT_SECRET_STAGING_FILE", &secret)]);
    let r = run(&["resolve", "--env-file", &env]).expect(0);
    assert_no_secret(&r);
    assert!(
        r.stdout
            .contains(&format!("source       JWT_SECRET_STAGING (file {secret})")),
        "{}",
        r.stdout
    );
    // The trailing newline is not part of the secret.
    assert!(
        r.stdout.contains(&format!(
            "current  JWT_SECRET_STAGING (file {secret})  sha256:{}",
            fingerprint(CURRENT)
        )),
        "{}",
        r.stdout
    );
    let v = run(&["resolve", "--env-file", &env, "--json"])
        .expect(0)
        .json();
    assert_eq!(v["source"]["kind"], "file");
    assert_eq!(v["source"]["path"], secret.as_str());
    assert_eq!(v["fingerprint"], fingerprint(CURRENT));
}

#[test]
fn relative_file_paths_are_read_from_the_current_directory() {
    // examples/rotation/ws.env names examples/rotation/run-secrets/...: the
    // tests run the CLI from the repository root, as a service started there.
    let r = run(&[
        "resolve",
        "--env-file",
        "examples/rotation/ws.env",
        "--json",
    ])
    .expect(0);
    let v = r.json();
    assert_eq!(
        v["source"]["path"],
        "examples/rotation/run-secrets/jwt-secret-staging"
    );
    // From another directory the same relative path names no file.
    let elsewhere = temp_dir("relative");
    let env = root().join("examples/rotation/ws.env");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jwt-accord"))
        .args(["resolve", "--env-file", env.to_str().unwrap()])
        .current_dir(&elsewhere)
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "secret_file_unreadable: the file examples/rotation/run-secrets/jwt-secret-staging \
             read for JWT_SECRET_STAGING_FILE cannot be read: no such file"
        ),
        "{stderr}"
    );
}

#[test]
fn file_variables_and_credentials_directory_in_the_process_environment() {
    let dir = temp_dir("process-files");
    let secret = write(&dir, "jwt", CURRENT);
    let r = run_with(
        &["resolve", "--json"],
        &[
            ("ENVIRONMENT", "staging"),
            ("JWT_SECRET_STAGING_FILE", &secret),
        ],
        None,
    )
    .expect(0);
    assert_eq!(r.json()["source"]["path"], secret.as_str());

    let credentials = temp_dir("credentials");
    write(&credentials, "jwt-secret-staging", CURRENT);
    write(&credentials, "jwt-secret-staging-next", NEXT);
    let r = run_with(
        &["resolve", "--json"],
        &[
            ("ENVIRONMENT", "staging"),
            ("CREDENTIALS_DIRECTORY", credentials.to_str().unwrap()),
        ],
        None,
    )
    .expect(0);
    let v = r.json();
    assert_eq!(v["source"]["name"], "jwt-secret-staging");
    assert_eq!(v["keys"][1]["slot"], "next");
    assert_eq!(v["keys"][1]["fingerprint"], fingerprint(NEXT));
    assert_no_secret(&r);
}

#[test]
fn secret_dir_is_a_directory_store() {
    let dir = temp_dir("secret-dir");
    write(&dir, "jwt-secret-staging", format!("{CURRENT}\n"));
    write(&dir, "jwt-secret-staging-previous", NEXT);
    let store = dir.to_str().unwrap();
    let r = run(&["resolve", "--secret-dir", store, "--environment", "staging"]).expect(0);
    assert_no_secret(&r);
    assert!(
        r.stdout.contains(&format!(
            "previous  jwt-secret-staging-previous (store {store}/jwt-secret-staging-previous)  \
             sha256:{}",
            fingerprint(NEXT)
        )),
        "{}",
        r.stdout
    );
    let empty = write(&dir, "store.json", "{}");
    let r = run(&[
        "resolve",
        "--secret-dir",
        store,
        "--store-file",
        &empty,
        "--environment",
        "staging",
    ])
    .expect(2);
    assert!(r.stderr.contains("--secret-dir"), "{}", r.stderr);
}

#[test]
fn store_file_companions_are_held() {
    let dir = temp_dir("store-companions");
    let store = write(
        &dir,
        "store.json",
        format!(r#"{{"jwt-secret-staging": "{CURRENT}", "jwt-secret-staging-next": "{NEXT}"}}"#),
    );
    let v = run(&[
        "resolve",
        "--store-file",
        &store,
        "--environment",
        "staging",
        "--json",
    ])
    .expect(0)
    .json();
    let slots: Vec<&str> = v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["slot"].as_str().unwrap())
        .collect();
    assert_eq!(slots, ["current", "next"]);
}

#[test]
fn unreadable_and_oversize_files_are_refused() {
    let dir = temp_dir("unreadable");
    // Tests may run as root, which reads any file: a directory is unreadable.
    let env = env_file(
        &dir,
        "dir.env",
        &[("JWT_SECRET_STAGING_FILE", dir.to_str().unwrap())],
    );
    let r = run(&["resolve", "--env-file", &env]).expect(1);
    assert!(
        r.stderr.contains(&format!(
            "secret_file_unreadable: the file {} read for JWT_SECRET_STAGING_FILE cannot be \
             read: Is a directory (os error 21)",
            dir.display()
        )),
        "{}",
        r.stderr
    );
    let big = write(&dir, "big", vec![b'k'; 64 * 1024 + 1]);
    let env = env_file(&dir, "big.env", &[("JWT_SECRET_STAGING_FILE", &big)]);
    let v = run(&["resolve", "--env-file", &env, "--json"])
        .expect(1)
        .json();
    assert_eq!(v["error"]["code"], "secret_file_invalid");
    assert_eq!(v["error"]["details"]["reason"], "too_large");
    // A secret file that cannot be read is a refusal in check too.
    let r = run(&["check", &format!("svc={env}")]).expect(1);
    assert!(
        r.stdout.contains("refused: secret_file_invalid"),
        "{}",
        r.stdout
    );
}

/// `check` over auth (issuer), api and ws (verifiers) in `dir`.
fn check(dir: &Path) -> Run {
    let arg = |service: &str, role: &str| {
        format!(
            "{service}:{role}={}",
            dir.join(format!("{service}.env")).display()
        )
    };
    run(&[
        "check",
        &arg("auth", "issuer"),
        &arg("api", "verifier"),
        &arg("ws", "verifier"),
        "--json",
    ])
}

fn status_and_step(r: &Run) -> (String, Option<String>) {
    let v = r.json();
    (
        v["status"].as_str().unwrap().to_owned(),
        v["rotation"]["step"].as_str().map(str::to_owned),
    )
}

#[test]
fn check_through_the_three_rotation_steps() {
    let dir = temp_dir("rotation-steps");
    let services = ["auth", "api", "ws"];
    let set = |service: &str, lines: &[(&str, &str)]| {
        env_file(&dir, &format!("{service}.env"), lines);
    };
    for service in services {
        set(service, &[("JWT_SECRET_STAGING", CURRENT)]);
    }
    assert_eq!(
        status_and_step(&check(&dir).expect(0)),
        ("consistent".into(), None)
    );

    // Step 1: pre-seed next, one service at a time (the issuer holds it too,
    // as a file). Rotating, exit 0, until every service holds it.
    let next_file = write(&dir, "next", format!("{NEXT}\n"));
    set(
        "auth",
        &[
            ("JWT_SECRET_STAGING", CURRENT),
            ("JWT_SECRET_STAGING_NEXT_FILE", &next_file),
        ],
    );
    set("api", PRE_SEEDED);
    let r = check(&dir).expect(0);
    assert_eq!(
        status_and_step(&r),
        ("rotating".into(), Some("pre_seed_next".into()))
    );
    assert_eq!(
        r.json()["rotation"]["waiting_for"],
        serde_json::json!(["ws"])
    );
    set("ws", PRE_SEEDED);
    let r = check(&dir).expect(0);
    assert_eq!(status_and_step(&r).1.as_deref(), Some("switch_issuers"));

    // Step 2: switch the issuer; tokens it signs now verify at api and ws
    // with their next key.
    set("auth", SWITCHED);
    let r = check(&dir).expect(0);
    assert_eq!(
        status_and_step(&r),
        ("rotating".into(), Some("retire_previous".into()))
    );
    let human = run(&[
        "check",
        &format!("auth:issuer={}", dir.join("auth.env").display()),
        &format!("ws:verifier={}", dir.join("ws.env").display()),
    ])
    .expect(0);
    assert!(
        human.stdout.contains("  status       rotating\n"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("rotation under way\n  step         retire_previous\n"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("waiting for  auth, ws"),
        "{}",
        human.stdout
    );

    // Step 3: every service on the new key alone: consistent.
    for service in services {
        set(service, &[("JWT_SECRET_STAGING", NEXT)]);
    }
    assert_eq!(
        status_and_step(&check(&dir).expect(0)),
        ("consistent".into(), None)
    );
}

#[test]
fn switching_the_issuer_first_is_drift() {
    let dir = temp_dir("rotation-wrong-order");
    env_file(&dir, "auth.env", SWITCHED);
    env_file(&dir, "api.env", &[("JWT_SECRET_STAGING", CURRENT)]);
    env_file(&dir, "ws.env", &[("JWT_SECRET_STAGING", CURRENT)]);
    let r = check(&dir).expect(1);
    assert_eq!(status_and_step(&r), ("drift".into(), None));
}

#[test]
fn sign_uses_current_and_verify_and_inspect_name_the_slot() {
    let dir = temp_dir("slots");
    // The issuer has switched to NEXT; the verifier holds it as next.
    let issuer = env_file(&dir, "auth.env", SWITCHED);
    let verifier = env_file(&dir, "api.env", PRE_SEEDED);
    let signed = run(&[
        "sign",
        "--env-file",
        &issuer,
        "--expires-in",
        "900",
        "--now",
        NOW,
        "--json",
    ])
    .expect(0)
    .json();
    assert_eq!(signed["kid"], fingerprint(NEXT));
    assert_eq!(signed["key_slot"], "current");
    let token = signed["token"].as_str().unwrap();

    let r = run(&["verify", token, "--env-file", &verifier, "--now", NOW]).expect(0);
    assert!(
        r.stdout.starts_with(&format!(
            "valid: signature verified with the next key sha256:{} (JWT_SECRET_STAGING_NEXT from {verifier})",
            fingerprint(NEXT)
        )),
        "{}",
        r.stdout
    );
    let v = run(&[
        "verify",
        token,
        "--env-file",
        &verifier,
        "--now",
        NOW,
        "--json",
    ])
    .expect(0)
    .json();
    assert_eq!(v["key_slot"], "next");
    assert_eq!(v["key_fingerprint"], fingerprint(NEXT));

    let r = run(&[
        "inspect",
        token,
        &format!("api={verifier}"),
        &format!("auth={issuer}"),
        "--now",
        NOW,
    ])
    .expect(0);
    assert!(
        r.stdout
            .contains("signature verifies with its next key (JWT_SECRET_STAGING_NEXT)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!(
            "signed with the key that api, auth hold (api's next key: JWT_SECRET_STAGING_NEXT, \
             sha256:{})",
            fingerprint(NEXT)
        )),
        "{}",
        r.stdout
    );
    let v = run(&[
        "inspect",
        token,
        &format!("auth={issuer}"),
        "--now",
        NOW,
        "--json",
    ])
    .expect(0)
    .json();
    assert_eq!(v["services"][0]["key_slot"], "current");
    assert_eq!(v["services"][0]["key_source"], "JWT_SECRET_STAGING");
    assert_eq!(v["signed_by"], serde_json::json!(["auth"]));
}

const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#[test]
fn generate_prints_a_fresh_secret_once_with_its_fingerprint() {
    let first = run(&["generate"]).expect(0);
    let second = run(&["generate"]).expect(0);
    let secret = first.stdout.strip_suffix('\n').unwrap();
    assert_eq!(secret.len(), 64, "{secret}");
    assert!(!secret.contains('\n'));
    assert!(secret.chars().all(|c| BASE64.contains(c)), "{secret}");
    assert_ne!(first.stdout, second.stdout);
    // The fingerprint on stderr is sha256 of exactly what stdout printed.
    assert_eq!(
        first.stderr,
        format!(
            "fingerprint sha256:{} (48 random bytes, base64; shown once: store it now)\n",
            fingerprint(secret)
        )
    );
    assert!(!first.stderr.contains(secret));

    let v = run(&["generate", "--bytes", "32", "--json"]).expect(0);
    assert_eq!(v.stderr, "");
    let v = v.json();
    let secret = v["secret"].as_str().unwrap();
    assert_eq!(secret.len(), 44);
    assert!(secret.ends_with('='), "{secret}");
    assert!(secret.chars().all(|c| BASE64.contains(c) || c == '='));
    assert_eq!(v["fingerprint"], fingerprint(secret));
    assert_eq!(v["bytes"], 32);

    // A generated secret passes production's policy.
    let dir = temp_dir("generated");
    let env = write(
        &dir,
        "prod.env",
        format!("ENVIRONMENT=production\nJWT_SECRET_PRODUCTION={secret}\n"),
    );
    let r = run(&["resolve", "--env-file", &env, "--json"]).expect(0);
    assert_eq!(r.json()["fingerprint"], fingerprint(secret));
    for bad in ["31", "1025", "x"] {
        run(&["generate", "--bytes", bad]).expect(2);
    }
}

#[test]
fn the_rotation_example_issuer_holds_next() {
    let v = run(&[
        "resolve",
        "--env-file",
        "examples/rotation/auth.env",
        "--json",
    ])
    .expect(0)
    .json();
    assert_eq!(v["keys"][0]["slot"], "current");
    assert_eq!(v["keys"][1]["slot"], "next");
    assert_eq!(v["keys"][1]["source"]["name"], "JWT_SECRET_STAGING_NEXT");
}
