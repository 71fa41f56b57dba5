//! A marker secret in env files, store files and the process environment must
//! never appear in any output of any command, on stdout or stderr, including
//! errors and --json.

mod common;

use common::*;

/// Long enough to be used as a key (>= 32 bytes).
const MARKER: &str = "MARKER-do-not-print-7f3a9c2e5b1d4f60";
/// Too short for staging: exercises the refusal path.
const SHORT: &str = "MARKER-short-9c2e";

fn assert_hidden(r: &Run, what: &str) {
    for (stream, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        for needle in [MARKER, SHORT, "MARKER-"] {
            assert!(
                !text.contains(needle),
                "{what}: {stream} shows a secret:\n{text}"
            );
        }
    }
    assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
}

#[test]
fn no_command_prints_a_secret() {
    let dir = temp_dir("secrets");
    let good = write(
        &dir,
        "good.env",
        format!(
            "ENVIRONMENT=staging\nJWT_SECRET_STAGING={MARKER}\nJWT_SECRET_KEY={MARKER}-other\n\
             JWT_SECRET={MARKER} padded {MARKER}\nJWT_SECRET_PRODUCTION={MARKER}-prod\n"
        ),
    );
    // Quoted and padded values, which only an explicit --env-format reads.
    let quoted = write(
        &dir,
        "quoted.env",
        format!(
            "ENVIRONMENT=staging\nJWT_SECRET_STAGING={MARKER}\nJWT_SECRET_KEY=\"{MARKER}-other\"\n\
             JWT_SECRET=' {MARKER} '\n"
        ),
    );
    let reused = write(
        &dir,
        "reused.env",
        format!("ENVIRONMENT=staging\nJWT_SECRET_STAGING={MARKER}\nJWT_SECRET_PROD={MARKER}\n"),
    );
    let short = write(
        &dir,
        "short.env",
        format!("ENVIRONMENT=staging\nJWT_SECRET_KEY={SHORT}\n"),
    );
    let short_dev = write(
        &dir,
        "short-dev.env",
        format!("ENVIRONMENT=dev\nJWT_SECRET_KEY={SHORT}\n"),
    );
    let broken = write(
        &dir,
        "broken.env",
        format!("ENVIRONMENT=staging\nJWT_SECRET_KEY={MARKER} {MARKER}\n"),
    );
    let unterminated = write(
        &dir,
        "unterminated.env",
        format!("ENVIRONMENT=staging\nJWT_SECRET_KEY=\"{MARKER}\n"),
    );
    let store_json = write(
        &dir,
        "store.json",
        format!("{{\"jwt-secret-staging\": \"{MARKER}\", \"bad\": 1}}"),
    );
    let store_txt = write(
        &dir,
        "store.txt",
        format!("jwt-secret-staging={MARKER}\n{MARKER} no equals sign\n"),
    );
    let store_ok = write(
        &dir,
        "store-ok.json",
        format!("{{\"jwt-secret-staging\": \"{MARKER}\"}}"),
    );
    let empty = write(&dir, "empty.env", "ENVIRONMENT=staging\n");
    let bad_json = write(&dir, "bad.json", format!("{{\"secret\": \"{MARKER}\""));

    let token = run(&[
        "sign",
        "--env-file",
        &good,
        "--now",
        NOW,
        "--expires-in",
        "60",
    ])
    .expect(0)
    .stdout;
    let token = token.trim();
    let other_token = auth_token();

    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("resolve", vec!["resolve", "--env-file", &good]),
        (
            "resolve json",
            vec!["resolve", "--env-file", &good, "--json"],
        ),
        (
            "resolve quoted default",
            vec!["resolve", "--env-file", &quoted],
        ),
        (
            "resolve quoted python-dotenv",
            vec![
                "resolve",
                "--env-file",
                &quoted,
                "--env-format",
                "python-dotenv",
                "--json",
            ],
        ),
        (
            "resolve quoted docker",
            vec!["resolve", "--env-file", &quoted, "--env-format", "docker"],
        ),
        ("resolve reused", vec!["resolve", "--env-file", &reused]),
        (
            "resolve reused json",
            vec!["resolve", "--env-file", &reused, "--json"],
        ),
        ("resolve short", vec!["resolve", "--env-file", &short]),
        (
            "resolve short json",
            vec!["resolve", "--env-file", &short, "--json"],
        ),
        (
            "resolve short dev",
            vec!["resolve", "--env-file", &short_dev, "--json"],
        ),
        ("resolve broken", vec!["resolve", "--env-file", &broken]),
        (
            "resolve unterminated",
            vec!["resolve", "--env-file", &unterminated],
        ),
        (
            "resolve store json",
            vec!["resolve", "--env-file", &empty, "--store-file", &store_json],
        ),
        (
            "resolve store txt",
            vec!["resolve", "--env-file", &empty, "--store-file", &store_txt],
        ),
        (
            "resolve store ok",
            vec!["resolve", "--env-file", &empty, "--store-file", &store_ok],
        ),
        (
            "resolve store ok json",
            vec![
                "resolve",
                "--env-file",
                &empty,
                "--store-file",
                &store_ok,
                "--json",
            ],
        ),
        (
            "check",
            vec!["check", "a=examples/drift/auth.env", "b=GOOD", "c=SHORT"],
        ),
        (
            "check json",
            vec![
                "check",
                "--json",
                "a=examples/drift/auth.env",
                "b=GOOD",
                "c=SHORT",
            ],
        ),
        ("check broken", vec!["check", "a=BROKEN"]),
        ("check bad json", vec!["check", "a=BADJSON"]),
        ("sign json", vec!["sign", "--env-file", &good, "--json"]),
        ("sign short", vec!["sign", "--env-file", &short]),
        (
            "sign bad claims",
            vec!["sign", "--env-file", &good, "--claims", "{"],
        ),
        (
            "verify",
            vec!["verify", token, "--env-file", &good, "--now", NOW],
        ),
        (
            "verify json",
            vec!["verify", token, "--env-file", &good, "--now", NOW, "--json"],
        ),
        (
            "verify other",
            vec!["verify", &other_token, "--env-file", &good, "--now", NOW],
        ),
        (
            "verify other json",
            vec![
                "verify",
                &other_token,
                "--env-file",
                &good,
                "--now",
                NOW,
                "--json",
            ],
        ),
        ("verify garbage", vec!["verify", "x.y", "--env-file", &good]),
        (
            "inspect",
            vec![
                "inspect",
                token,
                "a=GOOD",
                "b=SHORT",
                "c=examples/drift/auth.env",
            ],
        ),
        (
            "inspect json",
            vec!["inspect", token, "--json", "a=GOOD", "b=SHORT"],
        ),
        ("inspect broken", vec!["inspect", token, "a=BROKEN"]),
    ];
    let good_arg = |arg: &str| {
        arg.replace("GOOD", &good)
            .replace("SHORT", &short)
            .replace("BROKEN", &broken)
            .replace("BADJSON", &bad_json)
    };
    for (what, args) in runs {
        let args: Vec<String> = args.iter().map(|a| good_arg(a)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&args);
        assert!(r.status <= 2, "{what}: exit {}", r.status);
        assert_hidden(&r, what);
    }

    // the process environment
    for json in [false, true] {
        let mut args = vec!["resolve"];
        if json {
            args.push("--json");
        }
        let r = run_with(
            &args,
            &[
                ("ENVIRONMENT", "staging"),
                ("JWT_SECRET_STAGING", MARKER),
                ("JWT_SECRET_KEY", SHORT),
            ],
            None,
        );
        r.status.eq(&0).then_some(()).expect("resolves");
        assert_hidden(&r, "process environment");
        let r = run_with(
            &args,
            &[("ENVIRONMENT", "staging"), ("JWT_SECRET_STAGING", SHORT)],
            None,
        );
        assert_eq!(r.status, 1);
        assert_hidden(&r, "process environment, short");
    }
}
