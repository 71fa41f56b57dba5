//! The drift story over examples/, command by command, with every exit status.

mod common;

use common::*;

#[test]
fn resolve_auth_uses_jwt_secret_key() {
    let r = run(&["resolve", "--env-file", DRIFT_AUTH]).expect(0);
    let fp = fingerprint_of(DRIFT_AUTH, "JWT_SECRET_KEY");
    assert!(
        r.stdout.contains("staging (from ENVIRONMENT)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("JWT_SECRET_KEY (variable)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(&format!("sha256:{fp}")), "{}", r.stdout);
    assert!(r.stdout.contains("no warnings"), "{}", r.stdout);
    assert_eq!(r.stderr, "");
}

#[test]
fn resolve_backend_warns_about_the_shadowed_key() {
    let r = run(&["resolve", "--env-file", DRIFT_BACKEND]).expect(0);
    let staging = fingerprint_of(DRIFT_BACKEND, "JWT_SECRET_STAGING");
    let key = fingerprint_of(DRIFT_BACKEND, "JWT_SECRET_KEY");
    assert!(
        r.stdout.contains("JWT_SECRET_STAGING (variable)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("shadowed_conflict:"), "{}", r.stdout);
    assert!(r.stdout.contains(&format!(
        "JWT_SECRET_KEY ({key}) is shadowed by JWT_SECRET_STAGING ({staging})"
    )));
    // the candidates table lists every source with its outcome
    for outcome in ["used", "shadowed", "not_set"] {
        assert!(r.stdout.contains(outcome), "{outcome}: {}", r.stdout);
    }
}

#[test]
fn resolve_refuses_the_helpers_fallback_in_staging() {
    let r = run(&["resolve", "--env-file", DRIFT_HELPER]).expect(1);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .starts_with("error: examples/drift/e2e-helper.env: secret_too_short: JWT_SECRET ("),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1);
}

#[test]
fn resolve_the_fallback_in_development_only_warns() {
    let r = run(&[
        "resolve",
        "--env-file",
        DRIFT_HELPER,
        "--environment",
        "dev",
    ])
    .expect(0);
    assert!(
        r.stdout.contains("development (from argument)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("secret_too_short:"), "{}", r.stdout);
    assert!(r.stdout.contains("legacy_source:"), "{}", r.stdout);
}

#[test]
fn resolve_reads_the_process_environment_without_env_file() {
    let secret = "process-environment-secret-0123456789abcdef";
    let r = run_with(
        &["resolve", "--json"],
        &[("ENVIRONMENT", "prod"), ("JWT_SECRET_PRODUCTION", secret)],
        None,
    )
    .expect(0);
    let v = r.json();
    assert_eq!(v["environment"], "production");
    assert_eq!(v["source"]["name"], "JWT_SECRET_PRODUCTION");
    assert_eq!(v["fingerprint"], jwt_accord::fingerprint(secret.as_bytes()));

    let r = run(&["resolve"]).expect(1);
    assert!(
        r.stderr
            .starts_with("error: process environment: environment_missing:"),
        "{}",
        r.stderr
    );
}

#[test]
fn resolve_reads_store_files_json_and_env_style() {
    let dir = temp_dir("store");
    let env = write(&dir, "svc.env", "ENVIRONMENT=staging\n");
    let secret = "store-entry-secret-0123456789abcdef-xyz";
    for (name, contents) in [
        (
            "store.json",
            format!("{{\"jwt-secret-staging\": \"{secret}\"}}"),
        ),
        (
            "store.txt",
            format!("# fetched from the secret manager\njwt-secret-staging='{secret}'\n"),
        ),
    ] {
        let store = write(&dir, name, contents);
        let v = run(&[
            "resolve",
            "--env-file",
            &env,
            "--store-file",
            &store,
            "--json",
        ])
        .expect(0)
        .json();
        assert_eq!(v["source"]["kind"], "store", "{name}");
        assert_eq!(v["source"]["name"], "jwt-secret-staging", "{name}");
        assert_eq!(
            v["fingerprint"],
            jwt_accord::fingerprint(secret.as_bytes()),
            "{name}"
        );
    }
}

#[test]
fn resolve_environment_flag_overrides_the_file() {
    let v = run(&[
        "resolve",
        "--env-file",
        DRIFT_BACKEND,
        "--environment",
        "production",
        "--json",
    ])
    .expect(0)
    .json();
    assert_eq!(v["environment"], "production");
    assert_eq!(v["environment_source"], "argument");
    assert_eq!(v["source"]["name"], "JWT_SECRET_KEY");
    let r = run(&[
        "resolve",
        "--env-file",
        DRIFT_BACKEND,
        "--environment",
        "Not Valid!",
    ])
    .expect(1);
    assert!(r.stderr.contains("environment_invalid"), "{}", r.stderr);
}

#[test]
fn check_finds_the_drift_and_names_sources_and_fingerprints() {
    let r = run(&[
        "check",
        &format!("auth:issuer={DRIFT_AUTH}"),
        &format!("backend:verifier={DRIFT_BACKEND}"),
    ])
    .expect(1);
    let auth = fingerprint_of(DRIFT_AUTH, "JWT_SECRET_KEY");
    let backend = fingerprint_of(DRIFT_BACKEND, "JWT_SECRET_STAGING");
    assert!(r.stdout.contains("status       drift"), "{}", r.stdout);
    assert!(r.stdout.contains("level        critical"), "{}", r.stdout);
    assert!(r.stdout.contains(&format!(
        "backend resolves JWT_SECRET_STAGING ({backend}) but auth resolves JWT_SECRET_KEY ({auth})"
    )));
    assert!(r.stdout.contains(&format!("sha256:{auth}")));
    assert!(r.stdout.contains(&format!("sha256:{backend}")));
    assert!(
        r.stdout.contains("backend: shadowed_conflict:"),
        "{}",
        r.stdout
    );
}

#[test]
fn check_with_the_helper_reports_its_failure() {
    let r = run(&[
        "check",
        &format!("auth:issuer={DRIFT_AUTH}"),
        &format!("backend:verifier={DRIFT_BACKEND}"),
        &format!("e2e-helper:issuer={DRIFT_HELPER}"),
    ])
    .expect(1);
    assert!(r.stdout.contains("(not resolved)"), "{}", r.stdout);
    assert!(
        r.stdout.contains("e2e-helper failed to resolve:"),
        "{}",
        r.stdout
    );
}

#[test]
fn check_only_the_helper_failing_is_incomplete() {
    let v = run(&[
        "check",
        "--json",
        &format!("auth={FIXED_AUTH}"),
        &format!("e2e-helper={DRIFT_HELPER}"),
    ])
    .expect(1)
    .json();
    assert_eq!(v["status"], "incomplete");
    assert_eq!(v["failures"][0]["code"], "secret_too_short");
}

#[test]
fn check_environment_mismatch_exits_1() {
    let dir = temp_dir("mismatch");
    let prod = write(
        &dir,
        "prod.env",
        "ENVIRONMENT=production\nJWT_SECRET_PRODUCTION=Mx8plqkFK7GIbozCLkV0HfGMcOoRo5dqgZmYB3FpauOw\n",
    );
    let v = run(&[
        "check",
        "--json",
        &format!("a={FIXED_AUTH}"),
        &format!("b={prod}"),
    ])
    .expect(1)
    .json();
    assert_eq!(v["status"], "environment_mismatch");
}

#[test]
fn check_the_fixed_configuration_is_consistent() {
    let r = run(&[
        "check",
        &format!("auth:issuer={FIXED_AUTH}"),
        &format!("backend:verifier={FIXED_BACKEND}"),
        &format!("e2e-helper:issuer={FIXED_HELPER}"),
    ])
    .expect(0);
    assert!(r.stdout.contains("status       consistent"), "{}", r.stdout);
    assert!(
        r.stdout.contains("every service resolves the same secret"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "");
}

#[test]
fn check_accepts_report_json_files() {
    let dir = temp_dir("reports");
    let report = run(&["resolve", "--env-file", FIXED_BACKEND, "--json"])
        .expect(0)
        .stdout;
    let backend = write(&dir, "backend-report.json", &report);
    let v = run(&[
        "check",
        "--json",
        &format!("auth:issuer={FIXED_AUTH}"),
        &format!("backend:verifier={backend}"),
    ])
    .expect(0)
    .json();
    assert_eq!(v["status"], "consistent");
    assert_eq!(v["groups"][0]["services"][1]["service"], "backend");
    assert_eq!(v["groups"][0]["services"][1]["role"], "verifier");

    // detected by content too, without the .json extension
    let drifted = run(&["resolve", "--env-file", DRIFT_BACKEND, "--json"])
        .expect(0)
        .stdout;
    let backend = write(&dir, "backend.report", &drifted);
    let v = run(&[
        "check",
        "--json",
        &format!("auth={DRIFT_AUTH}"),
        &format!("backend={backend}"),
    ])
    .expect(1)
    .json();
    assert_eq!(v["status"], "drift");

    // a failed resolution's report makes the check incomplete
    let failed = run(&["resolve", "--env-file", DRIFT_HELPER, "--json"])
        .expect(1)
        .stdout;
    let helper = write(&dir, "helper.json", &failed);
    let v = run(&[
        "check",
        "--json",
        &format!("auth={FIXED_AUTH}"),
        &format!("e2e-helper={helper}"),
    ])
    .expect(1)
    .json();
    assert_eq!(v["status"], "incomplete");

    // a JSON object that is not a report: the core counts it as invalid_report
    let odd = write(&dir, "odd.json", "{\"hello\": 1}");
    let v = run(&[
        "check",
        "--json",
        &format!("auth={FIXED_AUTH}"),
        &format!("odd={odd}"),
    ])
    .expect(1)
    .json();
    assert_eq!(v["failures"][0]["code"], "invalid_report");
}

#[test]
fn a_token_from_auth_fails_at_the_backend_with_unknown_key() {
    let token = auth_token();
    let r = run(&["verify", &token, "--env-file", DRIFT_BACKEND, "--now", NOW]).expect(1);
    let auth = fingerprint_of(DRIFT_AUTH, "JWT_SECRET_KEY");
    let backend = fingerprint_of(DRIFT_BACKEND, "JWT_SECRET_STAGING");
    assert_eq!(r.stdout, "");
    assert!(r.stderr.starts_with("error: unknown_key: "), "{}", r.stderr);
    assert!(
        r.stderr.contains(&auth) && r.stderr.contains(&backend),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1);

    // and verifies as auth itself
    let r = run(&[
        "verify",
        &token,
        "--env-file",
        DRIFT_AUTH,
        "--now",
        "1700000100",
    ])
    .expect(0);
    assert!(
        r.stdout.starts_with(&format!(
            "valid: signature verified with the current key sha256:{auth}"
        )),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("\"sub\": \"user-42\""), "{}", r.stdout);
    assert!(
        r.stdout.contains("expires in 13 minutes 20 seconds"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_fixed_configuration_signs_and_verifies() {
    let token = run(&[
        "sign",
        "--env-file",
        FIXED_AUTH,
        "--expires-in",
        "900",
        "--now",
        NOW,
        "--claims",
        r#"{"role":"admin"}"#,
    ])
    .expect(0)
    .stdout;
    let v = run(&[
        "verify",
        token.trim(),
        "--env-file",
        FIXED_BACKEND,
        "--now",
        NOW,
        "--json",
    ])
    .expect(0)
    .json();
    assert_eq!(v["valid"], true);
    assert_eq!(v["claims"]["role"], "admin");
}

#[test]
fn sign_is_deterministic_and_sets_the_options() {
    let args = [
        "sign",
        "--env-file",
        FIXED_AUTH,
        "--now",
        NOW,
        "--expires-in",
        "60",
        "--issuer",
        "auth",
        "--audience",
        "api",
        "--audience",
        "web",
        "--subject",
        "u1",
        "--token-type",
        "access",
        "--jti",
        "j1",
        "--not-before",
        "0",
    ];
    let a = run(&args).expect(0).stdout;
    let b = run(&args).expect(0).stdout;
    assert_eq!(a, b);
    let token = a.trim();
    let v = run(&["inspect", token, "--json", "--now", NOW])
        .expect(0)
        .json();
    let claims = &v["claims"];
    assert_eq!(claims["exp"], 1_700_000_060);
    assert_eq!(claims["nbf"], 1_700_000_000);
    assert_eq!(claims["iat"], 1_700_000_000);
    assert_eq!(claims["iss"], "auth");
    assert_eq!(claims["aud"], serde_json::json!(["api", "web"]));
    assert_eq!(claims["sub"], "u1");
    assert_eq!(claims["token_type"], "access");
    assert_eq!(claims["jti"], "j1");
    assert_eq!(
        v["header"]["kid"],
        fingerprint_of(FIXED_AUTH, "JWT_SECRET_STAGING")
    );

    // the verify options: audience, issuer, token type
    let ok = ["verify", token, "--env-file", FIXED_BACKEND, "--now", NOW];
    run(&[
        &ok[..],
        &[
            "--audience",
            "web",
            "--issuer",
            "auth",
            "--token-type",
            "access",
        ],
    ]
    .concat())
    .expect(0);
    for (extra, code) in [
        (&["--issuer", "auth"][..], "invalid_audience"),
        (
            &["--audience", "web", "--issuer", "other"][..],
            "invalid_issuer",
        ),
        (
            &["--audience", "web", "--token-type", "refresh"][..],
            "wrong_token_type",
        ),
    ] {
        let r = run(&[&ok[..], extra].concat()).expect(1);
        assert!(
            r.stderr.starts_with(&format!("error: {code}: ")),
            "{code}: {}",
            r.stderr
        );
    }
}

#[test]
fn sign_kid_options() {
    let no_kid = run(&["sign", "--env-file", FIXED_AUTH, "--now", NOW, "--no-kid"])
        .expect(0)
        .stdout;
    let v = run(&["inspect", no_kid.trim(), "--json", "--now", NOW])
        .expect(0)
        .json();
    assert!(v["header"].get("kid").is_none());
    let custom = run(&[
        "sign",
        "--env-file",
        FIXED_AUTH,
        "--now",
        NOW,
        "--kid",
        "2024-key",
    ])
    .expect(0)
    .stdout;
    let v = run(&["inspect", custom.trim(), "--json", "--now", NOW])
        .expect(0)
        .json();
    assert_eq!(v["header"]["kid"], "2024-key");
    // without a fingerprint kid, a wrong secret is invalid_signature
    let r = run(&[
        "verify",
        custom.trim(),
        "--env-file",
        DRIFT_AUTH,
        "--now",
        NOW,
    ])
    .expect(1);
    assert!(
        r.stderr.starts_with("error: invalid_signature: "),
        "{}",
        r.stderr
    );
}

#[test]
fn sign_with_a_refused_secret_exits_1() {
    let r = run(&["sign", "--env-file", DRIFT_HELPER, "--now", NOW]).expect(1);
    assert!(r.stderr.contains("secret_too_short"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn verify_expiry_and_leeway() {
    let token = auth_token(); // exp = NOW + 900
    let r = run(&[
        "verify",
        &token,
        "--env-file",
        DRIFT_AUTH,
        "--now",
        "1700001000",
    ])
    .expect(1);
    assert!(
        r.stderr
            .starts_with("error: expired: token expired 1 minute 40 seconds ago"),
        "{}",
        r.stderr
    );
    run(&[
        "verify",
        &token,
        "--env-file",
        DRIFT_AUTH,
        "--now",
        "1700001000",
        "--leeway",
        "120",
    ])
    .expect(0);
    // a token without exp is refused by default (exp is required)
    let no_exp = run(&["sign", "--env-file", DRIFT_AUTH, "--now", NOW])
        .expect(0)
        .stdout;
    let r = run(&[
        "verify",
        no_exp.trim(),
        "--env-file",
        DRIFT_AUTH,
        "--now",
        NOW,
    ])
    .expect(1);
    assert!(
        r.stderr.starts_with("error: missing_claim: "),
        "{}",
        r.stderr
    );
}

#[test]
fn verify_reads_the_token_from_stdin() {
    let token = auth_token();
    let r = run_with(
        &["verify", "-", "--env-file", DRIFT_AUTH, "--now", NOW],
        &[],
        Some(&format!("{token}\n")),
    );
    r.expect(0);
}

#[test]
fn verify_refuses_alg_none() {
    // {"alg":"none","typ":"JWT"} . {"sub":"x"} . (empty)
    let token = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4In0.";
    let r = run(&["verify", token, "--env-file", DRIFT_AUTH, "--now", NOW]).expect(1);
    assert!(
        r.stderr.starts_with("error: unsupported_algorithm: "),
        "{}",
        r.stderr
    );
}

#[test]
fn inspect_names_the_service_that_signed_it() {
    let token = auth_token();
    let r = run(&[
        "inspect",
        &token,
        &format!("auth={DRIFT_AUTH}"),
        &format!("backend={DRIFT_BACKEND}"),
        &format!("e2e-helper={DRIFT_HELPER}"),
        "--now",
        "1700000060",
    ])
    .expect(0);
    let auth = fingerprint_of(DRIFT_AUTH, "JWT_SECRET_KEY");
    assert!(r.stdout.contains(&format!("kid  {auth}")), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("exp  2023-11-14 22:28:20 UTC (expires in 14 minutes)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("iat  2023-11-14 22:13:20 UTC (issued 1 minute ago)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("kid matches  signature verifies"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("kid differs  signature does not verify"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("cannot resolve: secret_too_short"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!(
            "signed with auth's current key (JWT_SECRET_KEY, sha256:{auth})"
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn inspect_after_expiry_still_finds_the_signer() {
    let token = auth_token();
    let r = run(&[
        "inspect",
        &token,
        &format!("auth={DRIFT_AUTH}"),
        "--now",
        "1700003600",
    ])
    .expect(0);
    assert!(r.stdout.contains("expired 45 minutes ago"), "{}", r.stdout);
    assert!(
        r.stdout.contains("signed with auth's current key"),
        "{}",
        r.stdout
    );
}

#[test]
fn inspect_exits_1_when_no_given_service_signed_it() {
    let token = auth_token();
    let r = run(&[
        "inspect",
        &token,
        &format!("backend={DRIFT_BACKEND}"),
        "--now",
        NOW,
    ])
    .expect(1);
    assert!(
        r.stdout
            .contains("none of these services' secrets signed this token"),
        "{}",
        r.stdout
    );
}

#[test]
fn inspect_without_services_only_decodes() {
    let token = auth_token();
    let r = run(&["inspect", &token, "--now", NOW]).expect(0);
    assert!(r.stdout.contains("\"sub\": \"user-42\""), "{}", r.stdout);
    assert!(
        r.stdout.contains("not checked: pass SERVICE=ENV_FILE"),
        "{}",
        r.stdout
    );
}

#[test]
fn help_and_version_exit_0() {
    let r = run(&["--help"]).expect(0);
    for command in ["resolve", "check", "sign", "verify", "inspect"] {
        assert!(r.stdout.contains(command), "{}", r.stdout);
    }
    run(&["check", "--help"]).expect(0);
    let r = run(&["--version"]).expect(0);
    assert!(r.stdout.starts_with("jwt-accord "), "{}", r.stdout);
}
