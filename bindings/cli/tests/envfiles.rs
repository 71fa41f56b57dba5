//! Every case of tests/envfiles/cases.json through every format: the
//! python-dotenv and node-dotenv expectations come from running those loaders
//! (tests/envfiles/generate.py), docker/compose/systemd/env from their docs.

use std::collections::BTreeMap;
use std::path::Path;

use jwt_accord_cli::envfile::{self, Format};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/envfiles/cases.json");
    let text = std::fs::read_to_string(path).expect("tests/envfiles/cases.json");
    let document: Value = serde_json::from_str(&text).expect("cases.json is JSON");
    document["cases"].as_array().expect("cases").clone()
}

#[test]
fn every_case_reads_as_each_loader_does() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let formats = Format::ALL
            .iter()
            .map(|f| (f.name(), Some(*f)))
            .chain([("default", None)]);
        for (label, format) in formats {
            let expected = &case["expect"][label];
            assert!(expected.is_object(), "{name}: no expectation for {label}");
            let got = envfile::parse(text, format);
            let outcome = match (&got, expected.get("pairs"), expected.get("refused")) {
                (Ok(pairs), Some(want), _) => {
                    // Last one wins, as when the loader sets the variables.
                    let got: BTreeMap<&str, &str> = pairs
                        .iter()
                        .map(|p| (p.name.as_str(), p.value.as_str()))
                        .collect();
                    let want: BTreeMap<&str, &str> = want
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
                        .collect();
                    (got == want)
                        .then_some(())
                        .ok_or(format!("pairs {got:?}, want {want:?}"))
                }
                (Err(e), _, Some(Value::Bool(true))) => Ok(()).map(|()| assert!(e.line >= 1)),
                (Err(e), _, Some(Value::Number(line))) => (Some(e.line as u64) == line.as_u64())
                    .then_some(())
                    .ok_or(format!("refused at {e}, want line {line}")),
                (Ok(pairs), None, _) => Err(format!("accepted {pairs:?}, want a refusal")),
                (Err(e), _, _) => Err(format!("refused ({e}), want pairs")),
            };
            if let Err(why) = outcome {
                failures.push(format!("{name} [{label}]: {why}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn default_refusals_name_a_construct_and_never_a_value() {
    for case in cases() {
        let text = case["text"].as_str().unwrap();
        if let Err(e) = envfile::parse(text, None) {
            assert!(
                e.what.ends_with("choose --env-format") || e.what.contains("character"),
                "{e}"
            );
            for (_, value) in case["expect"]["docker"]["pairs"]
                .as_object()
                .into_iter()
                .flatten()
            {
                let value = value.as_str().unwrap();
                if value.len() > 3 {
                    assert!(!e.what.contains(value), "{e} quotes a value");
                }
            }
        }
    }
}

/// Pathological texts of about `n` bytes: unclosed and escaped quotes of each
/// kind, `${` runs, long whitespace before multi-line values, `export` runs.
fn pathological(n: usize) -> Vec<String> {
    let rep = |unit: &str| unit.repeat(n / unit.len());
    vec![
        format!("A='{}", rep("\\'")),
        format!("A=\"{}\n", rep("\\\"")),
        format!("A=`{}", rep("\\`x\n")),
        rep("A='\n"),
        rep("A=\"x\\\"\n"),
        format!("B={}", rep("${")),
        format!("B={}", rep("${a:-")),
        format!("{}A=\"x\ny\"\n", rep(" ")),
        format!("A=\"x\n{}y\"\n", rep(" ")),
        rep("   \n"),
        rep("export "),
        rep("A:\n"),
        rep("a\\\n"),
        rep("#'\"\n"),
    ]
}

#[test]
fn every_format_reads_in_linear_time() {
    use std::time::Instant;
    let time = |text: &str, format: Option<Format>| {
        let started = Instant::now();
        let _ = envfile::parse(text, format);
        started.elapsed().as_secs_f64()
    };
    let small = pathological(16 * 1024);
    let large = pathological(256 * 1024);
    for (i, (s, l)) in small.iter().zip(&large).enumerate() {
        assert!(l.len() <= envfile::MAX_BYTES);
        for format in Format::ALL.into_iter().map(Some).chain([None]) {
            let (ts, tl) = (time(s, format), time(l, format));
            // 16 times the input: linear stays near 16x; quadratic is 256x.
            // Generous for a shared machine and tiny times.
            assert!(
                tl < 0.5 || tl < 64.0 * ts.max(1e-4),
                "case {i} {format:?}: {ts:.4}s at 16 KiB, {tl:.4}s at 256 KiB"
            );
            assert!(tl < 5.0, "case {i} {format:?}: {tl:.3}s at 256 KiB");
            if std::env::var_os("ENVFILE_TIMES").is_some() {
                eprintln!(
                    "case {i:2} {:>13}: {:8.2} ms at 16 KiB, {:8.2} ms at 256 KiB",
                    format.map_or("default", Format::name),
                    ts * 1e3,
                    tl * 1e3
                );
            }
        }
    }
}
