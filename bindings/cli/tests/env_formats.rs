//! `--env-format` and the default reading of env files (issue 14 item 1,
//! docs/spec.md §18), through the built binary: the examples of the issue.

mod common;

use std::time::{Duration, Instant};

use common::*;

const TAIL: &str = "Q7vLw2pXe9RkT4mZs8NbY3cHj6FuGaD5rW1e";

fn fp(secret: &str) -> String {
    jwt_accord::fingerprint(secret.as_bytes())
}

fn resolve_json(env: &str, format: &[&str]) -> serde_json::Value {
    let mut args = vec!["resolve", "--env-file", env, "--json"];
    args.extend_from_slice(format);
    run(&args).expect(0).json()
}

#[test]
fn dollar_secrets_that_differ_are_refused_by_default_and_drift_when_read_literally() {
    let dir = temp_dir("env-formats-dollar");
    let auth = write(
        &dir,
        "auth.env",
        format!("ENVIRONMENT=staging\nJWT_SECRET_KEY={TAIL}$Ab12\n"),
    );
    let api = write(
        &dir,
        "api.env",
        format!("ENVIRONMENT=staging\nJWT_SECRET_KEY={TAIL}$Zz99\n"),
    );
    let services = [format!("auth={auth}"), format!("api={api}")];
    let services: Vec<&str> = services.iter().map(String::as_str).collect();

    // dotenvy expanded both `$...` tails to nothing and said "consistent".
    let mut args = vec!["check"];
    args.extend(&services);
    let r = run(&args).expect(2);
    assert!(
        r.stderr.contains("auth.env line 2: the value contains '$'")
            && r.stderr.contains("choose --env-format"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("Ab12") && !r.stderr.contains(TAIL),
        "{}",
        r.stderr
    );

    for format in ["node-dotenv", "docker", "python-dotenv", "systemd", "env"] {
        let mut args = vec!["check", "--env-format", format];
        args.extend(&services);
        run(&args).expect(1);
        let v = resolve_json(&auth, &["--env-format", format]);
        assert_eq!(v["fingerprint"], fp(&format!("{TAIL}$Ab12")), "{format}");
    }
    // compose would interpolate `$Ab12` from the deploying shell.
    let mut args = vec!["check", "--env-format", "compose"];
    args.extend(&services);
    let r = run(&args).expect(2);
    assert!(r.stderr.contains("line 2"), "{}", r.stderr);
}

#[test]
fn docker_keeps_the_quotes_that_the_dotenv_loaders_remove() {
    let dir = temp_dir("env-formats-quotes");
    let env = write(
        &dir,
        "staging.env",
        format!("ENVIRONMENT=staging\nJWT_SECRET_STAGING=\"{TAIL}\"\n"),
    );
    // Docker hands the service `"S"`, quotes included: the core refuses it
    // as a secret still wrapped in quotes, with that value's fingerprint.
    let quoted = format!("\"{TAIL}\"");
    let r = run(&[
        "resolve",
        "--env-file",
        &env,
        "--env-format",
        "docker",
        "--json",
    ])
    .expect(1);
    let v = r.json();
    assert_eq!(v["error"]["code"], "insecure_secret", "{}", r.stdout);
    assert_eq!(v["error"]["details"]["fingerprint"], fp(&quoted));
    for format in ["python-dotenv", "node-dotenv", "compose", "systemd"] {
        assert_eq!(
            resolve_json(&env, &["--env-format", format])["fingerprint"],
            fp(TAIL),
            "{format}"
        );
    }
    let r = run(&["resolve", "--env-file", &env]).expect(2);
    assert!(
        r.stderr.contains("staging.env line 2: a quoted value"),
        "{}",
        r.stderr
    );
}

#[test]
fn systemd_keeps_dollar_and_never_reads_the_cli_environment() {
    let dir = temp_dir("env-formats-systemd");
    let env = write(
        &dir,
        "svc.env",
        format!("; systemd comment\nENVIRONMENT=staging\nno equals sign here\nJWT_SECRET_KEY={TAIL}$USER\n"),
    );
    for user in ["alice", "bob"] {
        let r = run_with(
            &[
                "resolve",
                "--env-file",
                &env,
                "--env-format",
                "systemd",
                "--json",
            ],
            &[("USER", user), ("HOME", "/tmp")],
            None,
        )
        .expect(0);
        assert_eq!(
            r.json()["fingerprint"],
            fp(&format!("{TAIL}$USER")),
            "{user}"
        );
    }
}

#[test]
fn compose_interpolation_is_refused_naming_the_line() {
    let dir = temp_dir("env-formats-compose");
    let env = write(
        &dir,
        "compose.env",
        format!(
            "ENVIRONMENT=staging\nJWT_SECRET_STAGING=${{SHARED_JWT_SECRET:-{TAIL}}}\nJWT_SECRET_KEY=stale-{TAIL}\n"
        ),
    );
    let r = run_with(
        &["resolve", "--env-file", &env, "--env-format", "compose"],
        &[("SHARED_JWT_SECRET", "from-the-shell")],
        None,
    )
    .expect(2);
    assert!(
        r.stderr.contains("compose.env line 2:") && r.stderr.contains("deploying shell"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(TAIL), "{}", r.stderr);
}

#[test]
fn a_kubectl_env_dump_reads_verbatim() {
    let dir = temp_dir("env-formats-dump");
    let env = write(
        &dir,
        "dump.env",
        format!("PATH=/usr/bin\nENVIRONMENT=staging\nJWT_SECRET_KEY='{TAIL}' #x\n"),
    );
    let v = resolve_json(&env, &["--env-format", "env"]);
    assert_eq!(v["fingerprint"], fp(&format!("'{TAIL}' #x")));
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let r = run(&[
        "resolve",
        "--env-file",
        FIXED_AUTH,
        "--env-format",
        "dotenvy",
    ])
    .expect(2);
    assert!(
        r.stderr.contains("python-dotenv, node-dotenv, docker"),
        "{}",
        r.stderr
    );
}

#[test]
fn every_command_takes_env_format() {
    let token = run(&[
        "sign",
        "--env-file",
        FIXED_AUTH,
        "--env-format",
        "docker",
        "--now",
        NOW,
        "--expires-in",
        "600",
    ])
    .expect(0)
    .stdout;
    let token = token.trim();
    run(&[
        "verify",
        token,
        "--env-file",
        FIXED_AUTH,
        "--env-format",
        "node-dotenv",
        "--now",
        NOW,
    ])
    .expect(0);
    let auth = format!("auth={FIXED_AUTH}");
    run(&[
        "inspect",
        token,
        &auth,
        "--env-format",
        "systemd",
        "--now",
        NOW,
    ])
    .expect(0);
    let backend = format!("backend={FIXED_BACKEND}");
    run(&["check", &auth, &backend, "--env-format", "python-dotenv"]).expect(0);
}

#[test]
fn a_large_pathological_file_is_read_in_linear_time() {
    // Issue 14: 320 KB of leading whitespace before a multi-line quoted value
    // took dotenvy 35 s. Here: ~1 MiB, every format, a generous bound.
    let dir = temp_dir("env-formats-big");
    let mut text = String::from("ENVIRONMENT=staging\nJWT_SECRET_KEY=");
    text.push_str(TAIL);
    text.push('\n');
    text.push_str(&" ".repeat(700_000));
    text.push_str("A=\"x\n");
    text.push_str(&"\"y\n".repeat(100_000));
    assert!(text.len() < 1 << 20);
    let env = write(&dir, "big.env", &text);
    for format in [
        "",
        "python-dotenv",
        "node-dotenv",
        "docker",
        "compose",
        "systemd",
        "env",
    ] {
        let mut args = vec!["resolve", "--env-file", &env];
        if !format.is_empty() {
            args.extend(["--env-format", format]);
        }
        let started = Instant::now();
        let r = run(&args);
        assert!(r.status == 0 || r.status == 2, "{format}: {}", r.stderr);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{format}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn dev_zero_is_refused_at_once_not_read_to_the_end() {
    for format in ["", "node-dotenv"] {
        let mut args = vec!["resolve", "--env-file", "/dev/zero"];
        if !format.is_empty() {
            args.extend(["--env-format", format]);
        }
        let started = Instant::now();
        let r = run(&args).expect(2);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(
            r.stderr.contains("env file /dev/zero is larger than"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn store_files_take_quotes_and_refuse_stray_lines() {
    let dir = temp_dir("env-formats-store");
    let env = write(&dir, "svc.env", "ENVIRONMENT=staging\n");
    let store = write(
        &dir,
        "store.txt",
        format!("\u{feff}# fetched\njwt-secret-staging=\"{TAIL}\"\n"),
    );
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
    assert_eq!(v["fingerprint"], fp(TAIL));
    let store = write(
        &dir,
        "bad-store.txt",
        format!("jwt-secret-staging={TAIL}\n{TAIL}\n"),
    );
    let r = run(&["resolve", "--env-file", &env, "--store-file", &store]).expect(2);
    assert!(r.stderr.contains("bad-store.txt line 2"), "{}", r.stderr);
    assert!(!r.stderr.contains(TAIL), "{}", r.stderr);
}
