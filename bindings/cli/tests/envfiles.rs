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
