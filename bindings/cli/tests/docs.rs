//! Every `$ jwt-accord ...` sample in docs/cli.md is run, and its output must
//! match the text shown (samples containing `...` are elided and skipped).
//! `"$TOKEN"` is the token the docs sign with `--now 1700000000`. A `--json`
//! sample shows stdout only; the others show stdout then stderr.

mod common;

use common::*;

fn samples(markdown: &str) -> Vec<(String, String)> {
    let mut samples = Vec::new();
    let mut in_block = false;
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            samples.extend(current.take());
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ jwt-accord ") {
            samples.extend(current.take());
            current = Some((command.to_owned(), String::new()));
        } else if let Some((_, output)) = current.as_mut() {
            output.push_str(line);
            output.push('\n');
        }
    }
    samples
}

#[test]
fn docs_cli_samples_match_the_real_output() {
    let markdown = std::fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let token = run(&[
        "sign",
        "--env-file",
        DRIFT_AUTH,
        "--subject",
        "user-42",
        "--expires-in",
        "900",
        "--now",
        NOW,
    ])
    .expect(0)
    .stdout
    .trim()
    .to_owned();
    let samples = samples(&markdown);
    let mut checked = 0;
    for (command, expected) in &samples {
        if expected.contains("...") || command.contains("...") {
            continue;
        }
        let args: Vec<String> = command
            .split_whitespace()
            .map(|a| a.trim_matches('"').replace("$TOKEN", &token))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&args);
        // --json samples show stdout; the others show what a terminal shows.
        let shown = if args.contains(&"--json") {
            r.stdout
        } else {
            format!("{}{}", r.stdout, r.stderr)
        };
        assert_eq!(shown, *expected, "docs/cli.md: $ jwt-accord {command}");
        checked += 1;
    }
    assert!(
        checked >= 8,
        "only {checked} of {} samples checked",
        samples.len()
    );
}
