//! Bad input: a one-line error naming the file or the argument, exit 2, never
//! a panic.

mod common;

use common::*;

fn assert_one_line(r: &Run, what: &str, names: &str) {
    assert_eq!(r.status, 2, "{what}: exit status; stderr: {}", r.stderr);
    assert!(r.stderr.starts_with("error: "), "{what}: {}", r.stderr);
    assert!(r.stderr.ends_with('\n'), "{what}: {:?}", r.stderr);
    assert_eq!(
        r.stderr.lines().count(),
        1,
        "{what}: one line: {:?}",
        r.stderr
    );
    assert!(
        r.stderr.contains(names),
        "{what}: should name {names:?}: {}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("backtrace"),
        "{what}: {}",
        r.stderr
    );
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = temp_dir("bad");
    let malformed = write(
        &dir,
        "malformed.env",
        "ENVIRONMENT=staging\nJWT_SECRET_KEY abc\n",
    );
    let not_utf8 = write(
        &dir,
        "latin1.env",
        b"ENVIRONMENT=staging\nJWT_SECRET_KEY=caf\xe9\n",
    );
    let bad_json = write(&dir, "report.json", "{\"schema\": ");
    let array_json = write(&dir, "array.json", "[1, 2]");
    let store_not_object = write(&dir, "store.json", "[\"jwt-secret\"]");
    let store_number = write(&dir, "store2.json", "{\"jwt-secret-staging\": 12}");
    let store_line = write(&dir, "store.txt", "jwt-secret-staging\n");
    let token = auth_token();
    let huge = "a".repeat(20_000);
    let (check_malformed, check_bad_json, check_array, check_role) = (
        format!("auth={malformed}"),
        format!("auth={bad_json}"),
        format!("auth={array_json}"),
        format!("auth:admin={DRIFT_AUTH}"),
    );

    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            "missing env file",
            vec!["resolve", "--env-file", "no/such.env"],
            "no/such.env",
        ),
        (
            "directory",
            vec!["resolve", "--env-file", "examples"],
            "examples",
        ),
        (
            "malformed env file",
            vec!["resolve", "--env-file", &malformed],
            "line 2",
        ),
        (
            "not UTF-8",
            vec!["resolve", "--env-file", &not_utf8],
            "latin1.env",
        ),
        (
            "missing store file",
            vec![
                "resolve",
                "--env-file",
                DRIFT_AUTH,
                "--store-file",
                "nope.json",
            ],
            "nope.json",
        ),
        (
            "store not an object",
            vec![
                "resolve",
                "--env-file",
                DRIFT_AUTH,
                "--store-file",
                &store_not_object,
            ],
            "store.json",
        ),
        (
            "store entry not a string",
            vec![
                "resolve",
                "--env-file",
                DRIFT_AUTH,
                "--store-file",
                &store_number,
            ],
            "jwt-secret-staging",
        ),
        (
            "store line",
            vec![
                "resolve",
                "--env-file",
                DRIFT_AUTH,
                "--store-file",
                &store_line,
            ],
            "line 1",
        ),
        (
            "check missing file",
            vec!["check", "auth=no/such.env"],
            "no/such.env",
        ),
        (
            "check malformed env",
            vec!["check", &check_malformed],
            "malformed.env",
        ),
        (
            "check invalid report JSON",
            vec!["check", &check_bad_json],
            "report.json",
        ),
        (
            "check report not an object",
            vec!["check", &check_array],
            "array.json",
        ),
        (
            "check argument without =",
            vec!["check", "auth"],
            "\"auth\"",
        ),
        ("check bad role", vec!["check", &check_role], "admin"),
        ("check no services", vec!["check"], "SERVICE"),
        (
            "sign invalid JSON",
            vec!["sign", "--env-file", DRIFT_AUTH, "--claims", "{not json"],
            "--claims",
        ),
        (
            "sign claims not an object",
            vec!["sign", "--env-file", DRIFT_AUTH, "--claims", "[1]"],
            "--claims",
        ),
        (
            "sign conflicting claim",
            vec![
                "sign",
                "--env-file",
                DRIFT_AUTH,
                "--claims",
                r#"{"sub":"a"}"#,
                "--subject",
                "b",
            ],
            "--claims",
        ),
        (
            "sign --now nan",
            vec!["sign", "--env-file", DRIFT_AUTH, "--now", "nan"],
            "--now",
        ),
        (
            "sign --expires-in text",
            vec!["sign", "--env-file", DRIFT_AUTH, "--expires-in", "soon"],
            "--expires-in",
        ),
        (
            "sign missing env file",
            vec!["sign", "--env-file", "gone.env"],
            "gone.env",
        ),
        (
            "verify garbage token",
            vec!["verify", "garbage", "--env-file", DRIFT_AUTH],
            "TOKEN",
        ),
        (
            "verify bad base64",
            vec!["verify", "a.b.c", "--env-file", DRIFT_AUTH],
            "TOKEN",
        ),
        (
            "verify huge token",
            vec!["verify", &huge, "--env-file", DRIFT_AUTH],
            "TOKEN",
        ),
        (
            "verify missing env file",
            vec!["verify", &token, "--env-file", "gone.env"],
            "gone.env",
        ),
        ("verify without token", vec!["verify"], "TOKEN"),
        (
            "verify bad leeway",
            vec!["verify", &token, "--env-file", DRIFT_AUTH, "--leeway", "-1"],
            "--leeway",
        ),
        ("inspect garbage token", vec!["inspect", "garbage"], "TOKEN"),
        ("inspect empty token", vec!["inspect", ""], "TOKEN"),
        (
            "inspect missing env file",
            vec!["inspect", &token, "auth=gone.env"],
            "gone.env",
        ),
        (
            "inspect bad argument",
            vec!["inspect", &token, "auth"],
            "\"auth\"",
        ),
        (
            "inspect report file",
            vec!["inspect", &token, "auth=report.json"],
            "auth=report.json",
        ),
        ("unknown command", vec!["frobnicate"], "frobnicate"),
        ("unknown option", vec!["resolve", "--frob"], "--frob"),
    ];
    for (what, args, names) in cases {
        let r = run(&args);
        assert_one_line(&r, what, names);
    }
}
