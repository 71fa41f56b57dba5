//! `check` over published reports (docs/spec.md §16): URLs served by real HTTP
//! servers on 127.0.0.1, started here (a std TcpListener answering one canned
//! HTTP/1.1 response per connection); a service that cannot be read is
//! `incomplete`, naming it and why, within the timeout.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

/// What a test server answers.
#[derive(Clone)]
enum Answer {
    /// A status line, a content type and a body.
    Http(u16, &'static str, Vec<u8>),
    /// Reads the request and never answers (the connection stays open).
    Silent,
}

/// A server on 127.0.0.1 answering every connection alike, and the request
/// heads it received.
struct Server {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(answer: Answer) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        // Detached: it ends with the test process. Silent connections are
        // kept open here until then.
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                seen.lock().unwrap().push(request_head(&mut stream));
                match &answer {
                    Answer::Silent => held.push(stream),
                    Answer::Http(status, content_type, body) => {
                        let head = format!(
                            "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\n\
                             Content-Length: {}\r\nConnection: close\r\n\r\n",
                            reason_phrase(*status),
                            body.len()
                        );
                        // The client may stop reading (a body over the cap).
                        let _ = stream.write_all(head.as_bytes());
                        let _ = stream.write_all(body);
                    }
                }
            }
        });
        Server { url, requests }
    }

    /// Serves `report` as a service publishes it.
    fn report(report: &Value) -> Server {
        Server::start(Answer::Http(
            200,
            "application/json",
            report.to_string().into_bytes(),
        ))
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        500 => "Internal Server Error",
        _ => "Whatever",
    }
}

/// The request line and headers, read until the blank line (bounded).
fn request_head(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// The published report of an example env file: `resolve --json` plus
/// `service` and `role`, as GET /.well-known/jwt-accord serves it.
fn published(file: &str, service: &str, role: &str) -> Value {
    let mut report = run(&["resolve", "--env-file", file, "--json"])
        .expect(0)
        .json();
    report["service"] = service.into();
    report["role"] = role.into();
    report
}

/// A URL on 127.0.0.1 where nothing listens (a port just released).
fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// `host:port` of a server URL: the name of a service whose report did not come back.
fn name_of(url: &str) -> &str {
    url.strip_prefix("http://").unwrap()
}

fn check(args: &[&str]) -> Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    run(&all)
}

/// `check --json`, parsed, with the exit status asserted.
fn check_json(args: &[&str], status: i32) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    check(&all).expect(status).json()
}

fn failures(v: &Value) -> Vec<(String, String, String)> {
    v["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap().to_owned();
            (text("service"), text("code"), text("message"))
        })
        .collect()
}

fn group_services(v: &Value) -> Vec<Vec<String>> {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            g["services"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["service"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

/// One failure `unreachable` for `url`'s service, whose message is the URL and
/// `reason`; status incomplete at level warning, exit 1, in JSON and text.
fn assert_unreachable(good: &Server, url: &str, extra: &[&str], reason: &str) {
    let mut args = vec![good.url.as_str(), url];
    args.extend_from_slice(extra);
    let v = check_json(&args, 1);
    assert_eq!(
        (v["status"].as_str(), v["level"].as_str()),
        (Some("incomplete"), Some("warning"))
    );
    let name = name_of(url);
    let message = format!("{url}/.well-known/jwt-accord: {reason}");
    assert_eq!(
        failures(&v),
        [(name.to_owned(), "unreachable".to_owned(), message.clone())]
    );
    assert_eq!(group_services(&v), [["auth"]]);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(
        findings[0],
        format!("{name} failed to resolve: {message} (unreachable)")
    );

    let text = check(&args).expect(1).stdout;
    assert!(text.contains("status       incomplete"), "{text}");
    assert!(text.contains("level        warning"), "{text}");
    let row = text
        .lines()
        .find(|l| l.contains("(not resolved)"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        row.contains(name) && row.trim_end().ends_with("unreachable"),
        "{row}"
    );
    assert!(text.contains(&message), "{text}");
}

#[test]
fn a_consistent_fleet_over_urls() {
    let servers = [
        Server::report(&published(FIXED_AUTH, "auth", "issuer")),
        Server::report(&published(FIXED_BACKEND, "backend", "verifier")),
        Server::report(&published(FIXED_HELPER, "e2e-helper", "issuer")),
    ];
    // Without a path: the well-known one. With it: the same.
    let with_path = format!("{}/.well-known/jwt-accord", servers[2].url);
    let args = [servers[0].url.as_str(), &servers[1].url, &with_path];
    let v = check_json(&args, 0);
    assert_eq!(v["status"], "consistent");
    assert_eq!(v["level"], "info");
    assert_eq!(group_services(&v), [["auth", "backend", "e2e-helper"]]);
    let roles: Vec<&str> = v["groups"][0]["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["issuer", "verifier", "issuer"]);

    let text = check(&args).expect(0).stdout;
    assert!(text.starts_with("check: 3 services\n"), "{text}");
    assert!(text.contains("status       consistent"), "{text}");
    assert!(
        text.contains("every service resolves the same secret"),
        "{text}"
    );

    for server in &servers {
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "one GET per run");
        for head in requests {
            assert!(
                head.starts_with("GET /.well-known/jwt-accord HTTP/1.1\r\n"),
                "{head}"
            );
            assert!(
                head.to_ascii_lowercase()
                    .contains("\r\naccept: application/json\r\n"),
                "{head}"
            );
        }
    }
}

#[test]
fn a_drifted_service_over_urls() {
    let auth = Server::report(&published(DRIFT_AUTH, "auth", "issuer"));
    let backend = Server::report(&published(DRIFT_BACKEND, "backend", "verifier"));
    let v = check_json(&[&auth.url, &backend.url], 1);
    assert_eq!(v["status"], "drift");
    assert_eq!(v["level"], "critical");
    assert_eq!(group_services(&v), [["auth"], ["backend"]]);
    assert_eq!(
        v["findings"][0],
        format!(
            "backend resolves JWT_SECRET_STAGING ({}) but auth resolves JWT_SECRET_KEY ({})",
            fingerprint_of(DRIFT_BACKEND, "JWT_SECRET_STAGING"),
            fingerprint_of(DRIFT_AUTH, "JWT_SECRET_KEY")
        )
    );
    let text = check(&[&auth.url, &backend.url]).expect(1).stdout;
    assert!(text.contains("status       drift"), "{text}");
    assert!(text.contains("level        critical"), "{text}");
}

#[test]
fn a_stopped_service_is_incomplete_connection_refused() {
    let auth = Server::report(&published(FIXED_AUTH, "auth", "issuer"));
    assert_unreachable(&auth, &closed_url(), &[], "connection refused");
}

#[test]
fn a_silent_service_times_out_and_urls_are_fetched_concurrently() {
    let auth = Server::report(&published(FIXED_AUTH, "auth", "issuer"));
    let silent = Server::start(Answer::Silent);
    let also_silent = Server::start(Answer::Silent);
    let args = [
        auth.url.as_str(),
        &silent.url,
        &also_silent.url,
        "--timeout",
        "1",
        "--json",
    ];
    let started = Instant::now();
    let v = check(&args).expect(1).json();
    let elapsed = started.elapsed();
    // Two silent services, one second each, fetched together: one second in
    // all, plus the process's start (a debug binary, a loaded machine).
    assert!(elapsed < Duration::from_millis(3500), "took {elapsed:?}");
    assert!(elapsed >= Duration::from_secs(1), "took {elapsed:?}");
    assert_eq!(v["status"], "incomplete");
    assert_eq!(v["level"], "warning");
    let names: Vec<String> = failures(&v).into_iter().map(|f| f.0).collect();
    assert_eq!(names, [name_of(&silent.url), name_of(&also_silent.url)]);
    // One finding per service: each message names its URL.
    assert_eq!(v["findings"].as_array().unwrap().len(), 2);

    assert_unreachable(
        &auth,
        &silent.url,
        &["--timeout", "0.5"],
        "timed out after 0.5 s",
    );
}

#[test]
fn http_500_is_incomplete() {
    let auth = Server::report(&published(FIXED_AUTH, "auth", "issuer"));
    let failing = Server::start(Answer::Http(500, "text/plain", b"boom".to_vec()));
    assert_unreachable(&auth, &failing.url, &[], "HTTP 500 Internal Server Error");
}

#[test]
fn a_redirect_is_not_followed() {
    let auth = Server::report(&published(FIXED_AUTH, "auth", "issuer"));
    let moved = Server::start(Answer::Http(302, "text/plain", Vec::new()));
    assert_unreachable(
        &auth,
        &moved.url,
        &[],
        "HTTP 302 Found (redirects are not followed: give the URL it points to)",
    );
}

#[test]
fn a_body_that_is_not_json_is_incomplete_with_a_short_excerpt() {
    let auth = Server::report(&published(FIXED_AUTH, "auth", "issuer"));
    let page = format!("<html><body>{}</body></html>", "x".repeat(500));
    let html = Server::start(Answer::Http(200, "text/html", page.into_bytes()));
    assert_unreachable(
        &auth,
        &html.url,
        &[],
        "not JSON: expected value at line 1 column 1 \
         (the body starts \"<html><body>xxxxxxxxxxxxxxxxxxxxxxxxxxxx...\")",
    );
    let list = Server::start(Answer::Http(200, "application/json", b"[1, 2]".to_vec()));
    assert_unreachable(
        &auth,
        &list.url,
        &[],
        "not a report: the JSON is not an object",
    );
}

#[test]
fn a_body_over_one_mib_is_incomplete() {
    let auth = Server::report(&published(FIXED_AUTH, "auth", "issuer"));
    let huge = Server::start(Answer::Http(
        200,
        "application/json",
        vec![b' '; 2 * 1024 * 1024],
    ));
    assert_unreachable(
        &auth,
        &huge.url,
        &[],
        "the response is larger than 1048576 bytes (1 MiB); jwt-accord reads at most that",
    );
}

#[test]
fn files_and_urls_mix_and_service_urls_are_named() {
    // SERVICE[:ROLE]=URL overrides the report's name and role; a report that
    // names no service is named by its URL; files are read as before.
    let auth = Server::report(&published(FIXED_AUTH, "auth-from-report", "verifier"));
    let unnamed = run(&["resolve", "--env-file", FIXED_HELPER, "--json"])
        .expect(0)
        .json();
    let helper = Server::report(&unnamed);
    let dir = temp_dir("check-urls");
    let report_file = write(
        &dir,
        "backend.json",
        run(&["resolve", "--env-file", FIXED_BACKEND, "--json"])
            .expect(0)
            .stdout,
    );
    let auth_arg = format!("auth:issuer={}", auth.url);
    let file_arg = format!("backend-report:verifier={report_file}");
    let env_arg = format!("backend:verifier={FIXED_BACKEND}");
    let args = [auth_arg.as_str(), &file_arg, &helper.url, &env_arg];
    let v = check_json(&args, 0);
    assert_eq!(v["status"], "consistent");
    assert_eq!(
        group_services(&v),
        [["auth", "backend-report", name_of(&helper.url), "backend"]]
    );
    assert_eq!(v["groups"][0]["services"][0]["role"], "issuer");

    // A stopped service given a name is shown by that name, with its role.
    let stopped = format!("ws:verifier={}", closed_url());
    let v = check_json(&[&auth_arg, &env_arg, &stopped], 1);
    let failures = failures(&v);
    assert_eq!(failures.len(), 1);
    assert_eq!(
        (failures[0].0.as_str(), failures[0].1.as_str()),
        ("ws", "unreachable")
    );
    assert!(
        failures[0].2.ends_with(": connection refused"),
        "{failures:?}"
    );
    let text = check(&[&auth_arg, &env_arg, &stopped]).expect(1).stdout;
    let row = text.lines().find(|l| l.contains("(not resolved)")).unwrap();
    assert_eq!(
        row.split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>(),
        ["(not resolved)", "ws", "verifier", "unreachable"]
    );
}

#[test]
fn bad_url_arguments_are_bad_input() {
    let r = check(&["http://auth:8080/#auth", FIXED_AUTH]);
    let r = r.expect(2);
    assert!(r.stderr.contains("write SERVICE=URL"), "{}", r.stderr);
    let r = check(&["a=http://user:hunter2@127.0.0.1:9/"]).expect(2);
    assert!(r.stderr.contains("user credentials"), "{}", r.stderr);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
    let r = check(&["http://127.0.0.1:9", "--timeout", "0"]).expect(2);
    assert!(r.stderr.contains("--timeout"), "{}", r.stderr);
    // A missing file exits 2 before any request is made.
    let silent = Server::start(Answer::Silent);
    let started = Instant::now();
    check(&[&silent.url, "x=no-such-file.env", "--timeout", "5"]).expect(2);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(silent.requests().is_empty());
}

#[test]
fn help_documents_urls_and_the_timeout() {
    let help = check(&["--help"]).expect(0).stdout;
    assert!(help.contains("--timeout <SECONDS>"), "{help}");
    assert!(help.contains("[default: 5]"), "{help}");
    assert!(help.contains("https://"), "{help}");
}

#[test]
fn unreachable_reports_are_what_the_core_reads() {
    // The failed report the CLI builds, checked by the core directly.
    let report = json!({
        "schema": "jwt-accord/resolution/v2",
        "service": "127.0.0.1:9",
        "error": {"code": "unreachable", "message": "http://127.0.0.1:9/.well-known/jwt-accord: connection refused"},
    });
    let result = jwt_accord::check_consistency(&[report]);
    assert_eq!(result.status, jwt_accord::Status::Incomplete);
    assert_eq!(result.level, jwt_accord::Level::Warning);
}
