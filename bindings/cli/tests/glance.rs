//! The fleet at a glance (issue 22): `check --html FILE` (the page parsed
//! here: tags balanced, every finding's link resolves, one cell per service
//! and key, hostile names escaped), the terminal matrix, and `check
//! --prometheus URL` against a fake Prometheus HTTP API on 127.0.0.1
//! answering canned JSON by query.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use serde_json::{json, Value};

const A: &str = "aaaaaaaaaaaaaaaa";
const B: &str = "bbbbbbbbbbbbbbbb";

/// An element of the page: its tag, attributes and text inside.
#[derive(Debug)]
struct Element {
    tag: String,
    attrs: HashMap<String, String>,
    text: String,
}

/// Parses the page strictly (it is ours: every tag closed, attributes
/// quoted): the elements in document order. Panics on anything else, so a
/// name that escaped its escaping breaks the test.
fn parse(html: &str) -> Vec<Element> {
    const VOID: [&str; 2] = ["meta", "br"];
    let body = html.strip_prefix("<!DOCTYPE html>\n").expect("a doctype");
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find('<') {
        let text = &rest[..at];
        assert!(!text.contains('>'), "a raw > in text: {text:?}");
        for &i in &open {
            elements[i].text.push_str(text);
        }
        let end = rest[at..].find('>').expect("a closed tag") + at;
        let tag = &rest[at + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let i = open.pop().expect("a closing tag closes something");
            assert_eq!(elements[i].tag, name, "tags balance");
            continue;
        }
        let (name, mut attrs_text) = tag.split_once(' ').unwrap_or((tag, ""));
        let mut attrs = HashMap::new();
        while !attrs_text.is_empty() {
            let (key, after) = attrs_text.split_once("=\"").expect("quoted attributes");
            let (value, after) = after.split_once('"').expect("a closing quote");
            assert!(!value.contains(['<', '>']), "a raw < or > in an attribute");
            attrs.insert(key.trim().to_owned(), value.to_owned());
            attrs_text = after.trim_start();
        }
        if name == "style" {
            let close = rest.find("</style>").expect("the style closes");
            rest = &rest[close + "</style>".len()..];
            continue;
        }
        elements.push(Element {
            tag: name.to_owned(),
            attrs,
            text: String::new(),
        });
        if !VOID.contains(&name) {
            open.push(elements.len() - 1);
        }
    }
    assert!(open.is_empty(), "every element closes");
    elements
}

fn class_has(e: &Element, class: &str) -> bool {
    e.attrs
        .get("class")
        .is_some_and(|c| c.split(' ').any(|x| x == class))
}

/// Checks what every page must hold, and returns its elements.
fn check_page(html: &str) -> Vec<Element> {
    for banned in [
        "<script", "<link", "<img", "@import", "url(", "src=", "http://", "https://",
    ] {
        assert!(
            !html.contains(banned),
            "self-contained: {banned} in the page"
        );
    }
    assert!(html.contains("@media print"));
    let elements = parse(html);
    let ids: Vec<&str> = elements
        .iter()
        .filter_map(|e| e.attrs.get("id").map(String::as_str))
        .collect();
    for e in &elements {
        if let Some(href) = e.attrs.get("href") {
            let target = href.strip_prefix('#').expect("links stay in the page");
            assert!(ids.contains(&target), "{href} resolves");
        }
    }
    elements
}

/// A published report (schema v2) with keys by slot.
fn report(service: &str, role: Option<&str>, keys: &[(&str, &str)]) -> Value {
    let keys: Vec<Value> = keys
        .iter()
        .map(|(slot, fp)| json!({"slot": slot, "source": {"name": "JWT_SECRET_STAGING"}, "fingerprint": fp}))
        .collect();
    let mut r = json!({"schema": "jwt-accord/resolution/v2", "service": service,
        "environment": "staging", "source": {"name": "JWT_SECRET_STAGING"},
        "fingerprint": keys[0]["fingerprint"], "keys": keys, "warnings": []});
    if let Some(role) = role {
        r["role"] = role.into();
    }
    r
}

#[test]
fn the_drift_page_links_every_finding_to_its_cells() {
    let dir = temp_dir("glance-drift");
    let page = dir.join("drift.html");
    let run = run(&[
        "check",
        &format!("auth:issuer={DRIFT_AUTH}"),
        &format!("backend:verifier={DRIFT_BACKEND}"),
        &format!("e2e-helper={DRIFT_HELPER}"),
        "--html",
        page.to_str().unwrap(),
    ])
    .expect(1);
    assert!(run.stderr.contains("the page is in"), "{}", run.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    let elements = check_page(&html);
    let verdict = elements
        .iter()
        .find(|e| e.attrs.get("id").is_some_and(|i| i == "verdict"))
        .unwrap();
    assert_eq!(verdict.text, "✖ drift · critical");
    // 2 resolved services x 2 keys, and the failure's row.
    let cells: Vec<&Element> = elements
        .iter()
        .filter(|e| e.tag == "td" && class_has(e, "cell"))
        .collect();
    assert_eq!(cells.iter().filter(|e| !class_has(e, "failed")).count(), 4);
    let missing: Vec<&&Element> = cells.iter().filter(|e| class_has(e, "missing")).collect();
    assert_eq!(missing.len(), 1);
    assert!(missing[0].text.starts_with("✖ missing"));
    assert!(cells
        .iter()
        .any(|e| class_has(e, "failed") && e.text.contains("secret_too_short")));
    // Each finding points at cells or rows; the drift one at the missing cell.
    let findings: Vec<&Element> = elements
        .iter()
        .filter(|e| e.tag == "li" && e.attrs.get("id").is_some_and(|i| i.starts_with("finding-")))
        .collect();
    assert_eq!(findings.len(), 2);
    let missing_id = missing[0].attrs["id"].clone();
    assert!(html.contains(&format!("href=\"#{missing_id}\"")));
    assert!(html.contains("href=\"#failure-0\""));
    // The terminal shows the same matrix (80 columns when not a terminal).
    assert!(
        run.stdout.contains("keys by service (2 services x 2 keys)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("  backend  verifier  ✖ missing")),
        "{}",
        run.stdout
    );
}

#[test]
fn hostile_names_are_escaped_and_200_services_are_one_table() {
    let dir = temp_dir("glance-many");
    let hostile = "<script>alert(1)</script>&\"'x";
    let mut args = vec!["check".to_owned()];
    let file = write(
        &dir,
        "hostile.json",
        report("h", None, &[("current", A)]).to_string(),
    );
    args.push(format!("{hostile}:issuer={file}"));
    for i in 0..199 {
        let keys: &[(&str, &str)] = if i % 3 == 0 {
            &[("current", A), ("next", B)]
        } else {
            &[("current", A)]
        };
        let report = report(&format!("svc-{i}"), Some("verifier"), keys).to_string();
        let file = write(&dir, &format!("s{i}.json"), report);
        args.push(format!("svc-{i}:verifier={file}"));
    }
    let page = dir.join("many.html");
    args.extend(["--html".to_owned(), page.to_str().unwrap().to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run(&args).expect(0);
    let html = std::fs::read_to_string(&page).unwrap();
    let elements = check_page(&html);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;x"));
    let rows = elements
        .iter()
        .filter(|e| e.tag == "tr" && e.attrs.get("id").is_some_and(|i| i.starts_with("service-")))
        .count();
    assert_eq!(rows, 200);
    let cells = elements
        .iter()
        .filter(|e| e.tag == "td" && class_has(e, "cell"))
        .count();
    assert_eq!(cells, 400);
    let step = elements
        .iter()
        .find(|e| e.attrs.get("id").is_some_and(|i| i == "rotation-step"))
        .unwrap();
    assert_eq!(step.text, "pre_seed_next");
    assert!(html.contains("id=\"waiting-for\""));
    // Sticky headers over a scrolling matrix.
    assert!(html.contains("position: sticky") && html.contains("overflow: auto"));
    assert!(run
        .stdout
        .contains("keys by service (200 services x 2 keys)"));
}

#[test]
fn the_terminal_matrix_only_when_it_fits() {
    let args = [
        "check",
        &format!("auth:issuer={DRIFT_AUTH}"),
        &format!("backend:verifier={DRIFT_BACKEND}"),
    ];
    let narrow = run_with(&args, &[("COLUMNS", "40")], None).expect(1);
    assert!(
        narrow
            .stdout
            .contains("wider than 40: see check --html FILE"),
        "{}",
        narrow.stdout
    );
    assert!(!narrow.stdout.contains("✖ missing"));
    let wide = run_with(&args, &[("COLUMNS", "120")], None).expect(1);
    assert!(
        wide.stdout.contains("  auth     issuer    ● current"),
        "{}",
        wide.stdout
    );
}

/// A fake Prometheus: answers `/api/v1/query` by the query's first words,
/// and records the queries (decoded).
fn fake_prometheus(answers: Vec<(&'static str, Value)>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let queries = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let target = head.split(' ').nth(1).unwrap_or("").to_owned();
            let query = decode(target.split_once("query=").map_or("", |(_, q)| q));
            queries.lock().unwrap().push(query.clone());
            let result = answers
                .iter()
                .find(|(start, _)| query.starts_with(start))
                .map_or(json!([]), |(_, r)| r.clone());
            let body =
                json!({"status": "success", "data": {"resultType": "vector", "result": result}})
                    .to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn sample(service: &str, instance: &str, role: &str, slot: &str, fp: &str) -> Value {
    json!({"metric": {"__name__": "jwt_accord_key_info", "service": service, "environment": "staging",
        "role": role, "slot": slot, "source": "JWT_SECRET_STAGING", "fingerprint": fp,
        "instance": instance, "job": "fleet"}, "value": [1_700_000_000.0, "1"]})
}

#[test]
fn prometheus_series_become_reports_and_down_targets_failures() {
    let (url, queries) = fake_prometheus(vec![
        (
            "jwt_accord_key_info",
            json!([
                sample("auth", "10.0.0.1:80", "issuer", "current", A),
                sample("api", "10.0.0.2:80", "verifier", "current", A),
                sample("api", "10.0.0.3:80", "verifier", "current", B),
                sample("ws", "10.0.0.4:80", "both", "current", A),
            ]),
        ),
        (
            "last_over_time",
            json!([{"metric": {"service": "ws", "role": "both", "instance": "10.0.0.5:80", "job": "fleet"}, "value": [0, "1"]}]),
        ),
        (
            "(up == 0)",
            json!([{"metric": {"__name__": "up", "instance": "10.0.0.9:80", "job": "fleet"}, "value": [0, "0"]}]),
        ),
    ]);
    let page = temp_dir("glance-prometheus").join("fleet.html");
    let run = run(&[
        "check",
        "--prometheus",
        &url,
        "--environment",
        "staging",
        "--json",
        "--html",
        page.to_str().unwrap(),
    ])
    .expect(1);
    let result = run.json();
    assert_eq!(result["status"], "drift");
    let services: Vec<&str> = result["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["services"].as_array().unwrap())
        .map(|m| m["service"].as_str().unwrap())
        .collect();
    assert_eq!(
        services,
        ["api@10.0.0.2:80", "auth", "ws", "api@10.0.0.3:80"]
    );
    let failures: Vec<(&str, &str)> = result["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["service"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        failures,
        [
            ("10.0.0.9:80", "unreachable"),
            ("ws@10.0.0.5:80", "unreachable")
        ]
    );
    assert!(result["failures"][0]["message"]
        .as_str()
        .unwrap()
        .contains("10.0.0.9:80 (job fleet): up == 0"));
    let queries = queries.lock().unwrap().clone();
    assert_eq!(queries.len(), 3);
    assert!(
        queries.contains(&"jwt_accord_key_info{environment=\"staging\"}".to_owned()),
        "{queries:?}"
    );
    check_page(&std::fs::read_to_string(&page).unwrap());
}

#[test]
fn prometheus_unreachable_is_bad_input() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let refused = run(&["check", "--prometheus", &url, "--timeout", "2"]).expect(2);
    assert!(
        refused.stderr.contains("connection refused"),
        "{}",
        refused.stderr
    );
    let run = common::run(&["check", "--prometheus", "http://user:hunter2@127.0.0.1:1"]);
    assert_eq!(run.status, 2);
    assert!(!run.stderr.contains("hunter2"));
}
