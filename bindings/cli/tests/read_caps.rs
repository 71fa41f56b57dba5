//! Read caps (issue 14, item 6d): every file and standard-input read stops
//! one byte past 1 MiB, so `/dev/zero` or a huge file is refused quickly with
//! a message naming the file and the limit, never read until memory runs out.

mod common;

use std::time::{Duration, Instant};

use common::*;

const LIMIT: &str = "1048576 bytes";

/// Exit 2 with one `error:` line naming `what` and the limit, within seconds.
fn assert_refused(args: &[&str], stdin: Option<&str>, what: &str) {
    let started = Instant::now();
    let r = run_with(args, &[], stdin).expect(2);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{args:?} took {:?}",
        started.elapsed()
    );
    assert!(
        r.stderr.starts_with("error: ") && r.stderr.contains(what) && r.stderr.contains(LIMIT),
        "{args:?}: expected a message naming {what} and {LIMIT}:\n{}",
        r.stderr
    );
}

#[test]
fn an_endless_env_file_is_refused() {
    for command in ["resolve", "sign", "verify"] {
        let mut args = vec![command, "--env-file", "/dev/zero"];
        if command == "verify" {
            args.push("a.b.c");
        }
        assert_refused(&args, None, "env file /dev/zero");
    }
    assert_refused(&["check", "a=/dev/zero", "b=/dev/zero"], None, "/dev/zero");
}

#[test]
fn an_endless_store_file_is_refused() {
    assert_refused(
        &[
            "resolve",
            "--env-file",
            FIXED_AUTH,
            "--store-file",
            "/dev/zero",
        ],
        None,
        "store file /dev/zero",
    );
}

#[test]
fn a_report_file_over_one_mebibyte_is_refused() {
    let dir = temp_dir("read-caps");
    // Valid JSON, 2 MB: refused for its size, not parsed.
    let big = format!(
        r#"{{"schema":"jwt-accord/resolution/v1","padding":"{}"}}"#,
        "x".repeat(2_000_000)
    );
    let report = write(&dir, "big.json", big);
    assert_refused(
        &[
            "check",
            &format!("a={report}"),
            &format!("b={FIXED_BACKEND}"),
        ],
        None,
        &format!("file {report}"),
    );
    let store = write(
        &dir,
        "store.json",
        format!(r#"{{"a":"{}"}}"#, "y".repeat(2_000_000)),
    );
    assert_refused(
        &["resolve", "--env-file", FIXED_AUTH, "--store-file", &store],
        None,
        &format!("store file {store}"),
    );
}

#[test]
fn a_file_at_the_limit_is_read() {
    let dir = temp_dir("read-caps");
    // Exactly 1 MiB: a comment pads the file up to the limit.
    let mut text =
        String::from("ENVIRONMENT=staging\nJWT_SECRET_KEY=limit-test-secret-0123456789abcdef\n#");
    text.push_str(&"c".repeat(1024 * 1024 - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len(), 1024 * 1024);
    let env = write(&dir, "limit.env", &text);
    run(&["resolve", "--env-file", &env]).expect(0);
    text.push('\n');
    let env = write(&dir, "over.env", &text);
    assert_refused(&["resolve", "--env-file", &env], None, "env file");
}

#[test]
fn a_huge_token_on_standard_input_is_refused() {
    // Standard input from a file: the CLI stops reading past the limit, so a
    // pipe writer would get a broken pipe.
    let dir = temp_dir("read-caps");
    let huge = write(&dir, "huge.token", "a".repeat(2 * 1024 * 1024));
    let started = Instant::now();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jwt-accord"))
        .args(["inspect", "-"])
        .env_clear()
        .stdin(std::fs::File::open(&huge).unwrap())
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the token on standard input") && stderr.contains(LIMIT),
        "{stderr}"
    );
    // /dev/zero on standard input, too.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jwt-accord"))
        .args(["inspect", "-"])
        .env_clear()
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
