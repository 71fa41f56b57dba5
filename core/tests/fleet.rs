//! Large fleets in `check_consistency` (issue 14, item 6a): time linear in the
//! number of reports, and findings collapsed, one per distinct disagreement,
//! naming five services and counting the rest, never one per pair of services.
//! The vectors (tests/vectors/consistency.json) list every report, so fleets
//! of thousands are built here.

use std::time::{Duration, Instant};

use jwt_accord::{check_consistency, Consistency, Level, Status};
use serde_json::{json, Value};

fn report(service: &str, role: Option<&str>, environment: &str, fingerprint: &str) -> Value {
    json!({
        "schema": "jwt-accord/resolution/v1", "service": service, "role": role,
        "environment": environment, "environment_source": "ENVIRONMENT",
        "source": {"kind": "variable", "name": "JWT_SECRET_STAGING"},
        "fingerprint": fingerprint, "warnings": [], "candidates": []
    })
}

fn fp(i: usize) -> String {
    format!("{i:016x}")
}

/// Runs the check, printing its time and sizes (`cargo test -- --nocapture`).
fn check(what: &str, reports: &[Value]) -> (Consistency, String) {
    let start = Instant::now();
    let result = check_consistency(reports);
    let json = result.to_json();
    // Generous for a loaded machine in a debug build (0.6 s for 16,000 here);
    // the pairwise version took 342 s for 16,000 reports.
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{what}: {:?} for {} reports",
        start.elapsed(),
        reports.len()
    );
    eprintln!(
        "{what}: {} reports, {:?}, {} findings, {} bytes of JSON",
        reports.len(),
        start.elapsed(),
        result.findings.len(),
        json.len()
    );
    (result, json)
}

/// Half issuers, half verifiers, every one with its own fingerprint: the
/// worst case for pairs (1,000,999 findings for 2,000 reports before).
fn all_disagree(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let role = if i < n / 2 { "issuer" } else { "verifier" };
            report(&format!("s{i}"), Some(role), "staging", &fp(i))
        })
        .collect()
}

fn assert_bounded(n: usize) {
    let (result, json) = check(&format!("all disagree, n={n}"), &all_disagree(n));
    assert_eq!(result.status, Status::Drift);
    assert_eq!(result.level, Level::Emergency);
    assert_eq!(result.groups.len(), n);
    // One per issuer group other than the first issuer's, one per verifier group.
    assert_eq!(result.findings.len(), n - 1);
    // Linear: the groups list every service once; each finding names at most
    // five services and five issuer fingerprints.
    assert!(json.len() < 400 * n, "{} bytes of JSON", json.len());
    let half = n / 2;
    assert_eq!(
        result.findings[0],
        format!(
            "s1 resolves JWT_SECRET_STAGING ({}) but s0 resolves JWT_SECRET_STAGING ({})",
            fp(1),
            fp(0)
        )
    );
    let others = half - 5;
    assert_eq!(
        result.findings[half - 1],
        format!(
            "s{half} resolves JWT_SECRET_STAGING ({}) but s0 resolves JWT_SECRET_STAGING ({}), \
             s1 resolves JWT_SECRET_STAGING ({}), s2 resolves JWT_SECRET_STAGING ({}), \
             s3 resolves JWT_SECRET_STAGING ({}), s4 resolves JWT_SECRET_STAGING ({}) \
             and {} more issuers resolve other fingerprints",
            fp(half),
            fp(0),
            fp(1),
            fp(2),
            fp(3),
            fp(4),
            thousands(others)
        )
    );
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn two_thousand_disagreeing_services_give_linear_findings() {
    assert_bounded(2_000);
}

#[test]
fn sixteen_thousand_disagreeing_services_give_linear_findings() {
    assert_bounded(16_000);
}

#[test]
fn one_drifted_fleet_is_one_finding() {
    // One issuer, 15,999 verifiers that all resolve another secret.
    let n = 16_000;
    let reports: Vec<Value> = (0..n)
        .map(|i| match i {
            0 => report("auth", Some("issuer"), "staging", &fp(1)),
            _ => report(&format!("v{i}"), Some("verifier"), "staging", &fp(2)),
        })
        .collect();
    let (result, _) = check("one drifted fleet", &reports);
    assert_eq!(
        (result.status, result.level),
        (Status::Drift, Level::Emergency)
    );
    assert_eq!(
        result.findings,
        [format!(
            "v1, v2, v3, v4, v5 and 15,994 more resolve JWT_SECRET_STAGING ({}) \
             but auth resolves JWT_SECRET_STAGING ({})",
            fp(2),
            fp(1)
        )]
    );
}

#[test]
fn environments_and_failures_collapse_too() {
    let n = 16_000;
    let mut reports: Vec<Value> = (0..n)
        .map(|i| {
            let environment = if i == 0 { "staging" } else { "production" };
            report(&format!("s{i}"), None, environment, &fp(1))
        })
        .collect();
    for i in 0..n {
        reports.push(json!({
            "schema": "jwt-accord/resolution/v1", "service": format!("f{i}"),
            "error": {"code": "secret_missing", "message": "no JWT secret for staging"}
        }));
    }
    let (result, json) = check("environments and failures", &reports);
    assert_eq!(
        (result.status, result.level),
        (Status::EnvironmentMismatch, Level::Warning)
    );
    assert_eq!(
        result.findings,
        [
            "s1, s2, s3, s4, s5 and 15,994 more run in production but s0 runs in staging",
            "f0, f1, f2, f3, f4 and 15,995 more failed to resolve: \
             no JWT secret for staging (secret_missing)"
        ]
    );
    assert!(json.len() < 200 * reports.len());
}

#[test]
fn without_roles_each_group_is_one_finding() {
    // Every service its own fingerprint, no roles: one finding per group
    // against the largest group's first service (here the last, all tie).
    let n = 16_000;
    let reports: Vec<Value> = (0..n)
        .map(|i| report(&format!("s{i}"), None, "staging", &fp(i)))
        .collect();
    let (result, json) = check("no roles, all differ", &reports);
    assert_eq!(
        (result.status, result.level),
        (Status::Drift, Level::Critical)
    );
    assert_eq!(result.findings.len(), n - 1);
    assert!(json.len() < 400 * n);
}

fn rotating(service: &str, role: &str, current: &str, next: Option<&str>) -> Value {
    let mut r = report(service, Some(role), "staging", current);
    r["schema"] = json!("jwt-accord/resolution/v2");
    let mut keys = vec![json!({"slot": "current", "fingerprint": current})];
    if let Some(next) = next {
        keys.push(json!({"slot": "next", "fingerprint": next}));
    }
    r["keys"] = json!(keys);
    r
}

#[test]
fn rotation_checks_stay_linear_and_collapsed() {
    // One issuer pre-seeded with next; 16,000 verifiers, each with its own
    // next key: the invariant holds, and the step waits for all of them.
    let n = 16_000;
    let mut reports = vec![rotating("auth", "issuer", &fp(0), Some(&fp(1)))];
    reports
        .extend((0..n).map(|i| rotating(&format!("v{i}"), "verifier", &fp(0), Some(&fp(i + 2)))));
    let (result, json) = check("rotation, every verifier its own next", &reports);
    assert_eq!(
        (result.status, result.level),
        (Status::Rotating, Level::Info)
    );
    assert_eq!(result.findings.len(), 1);
    let rotation = result.rotation.expect("a rotation step");
    assert_eq!(rotation.waiting_for.len(), n + 1);
    assert!(json.len() < 400 * reports.len());
    // Every verifier lacks the issuer's current: one finding per key set,
    // never one per pair.
    let drifted: Vec<Value> = std::iter::once(rotating("auth", "issuer", &fp(1), None))
        .chain((0..n).map(|i| rotating(&format!("v{i}"), "verifier", &fp(0), Some(&fp(i + 2)))))
        .collect();
    let (result, _) = check("rotation in the wrong order", &drifted);
    assert_eq!(
        (result.status, result.level),
        (Status::Drift, Level::Emergency)
    );
    assert_eq!(result.findings.len(), n);
    assert!(result.rotation.is_none());
}
