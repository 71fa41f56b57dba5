//! Consistency across services (docs/spec.md §9): do they all resolve the same
//! secret, in the same environment?

use serde::Serialize;
use serde_json::{Map, Value};

use crate::report::RESOLUTION_SCHEMA;
use crate::secret::is_fingerprint_form;
use crate::token::json::{parse_value, to_text, type_name};

/// The overall verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// One environment, one fingerprint, every service resolved.
    Consistent,
    /// More than one fingerprint within one environment.
    Drift,
    /// More than one environment.
    EnvironmentMismatch,
    /// Some service failed to resolve; the others agree.
    Incomplete,
}

impl Status {
    /// The stable string form, as in the JSON result.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Consistent => "consistent",
            Status::Drift => "drift",
            Status::EnvironmentMismatch => "environment_mismatch",
            Status::Incomplete => "incomplete",
        }
    }
}

/// How bad it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Consistent.
    Info,
    /// Environment names differ (but secrets agree), or a service failed to resolve.
    Warning,
    /// A verifier disagrees with an issuer (without roles: any drift).
    Critical,
    /// More than two services disagree with the issuers.
    Emergency,
}

impl Level {
    /// The stable string form, as in the JSON result.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Critical => "critical",
            Level::Emergency => "emergency",
        }
    }
}

/// A service's declared role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Signs tokens.
    Issuer,
    /// Verifies tokens.
    Verifier,
}

impl Role {
    /// The stable string form, as in the JSON result.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Issuer => "issuer",
            Role::Verifier => "verifier",
        }
    }
}

/// One service in a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    /// The service name.
    pub service: String,
    /// Its role, if declared.
    pub role: Option<Role>,
    /// Its environment.
    pub environment: String,
    /// The source it resolves.
    pub source: String,
}

/// Services that resolve the same fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The shared fingerprint.
    pub fingerprint: String,
    /// The services, in input order.
    pub services: Vec<Member>,
}

/// A service that failed to resolve, or whose report could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The service name (or `#N` for a report without one).
    pub service: String,
    /// The resolution error code, or `invalid_report`.
    pub code: String,
    /// What went wrong.
    pub message: String,
}

/// The result of [`check_consistency`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Consistency {
    /// The verdict.
    pub status: Status,
    /// The severity.
    pub level: Level,
    /// The distinct environments, in input order.
    pub environments: Vec<String>,
    /// Services grouped by fingerprint, in order of first appearance.
    pub groups: Vec<Group>,
    /// Services that failed to resolve.
    pub failures: Vec<Failure>,
    /// One sentence per problem, naming services, sources and fingerprints.
    pub findings: Vec<String>,
}

impl Consistency {
    /// The result as compact JSON text, keys in field order (`status`,
    /// `level`, `environments`, `groups`, `failures`, `findings`): what every
    /// binding returns, byte for byte.
    pub fn to_json(&self) -> String {
        to_text(self)
    }

    /// The result as a JSON value (object keys then sort alphabetically).
    pub fn to_json_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|_| unreachable!("the result serialises"))
    }
}

struct Resolved {
    member: Member,
    fingerprint: String,
}

/// Compares service reports: each the JSON form of a resolution (or of a failed
/// one, with `error`) plus `service` and an optional `role` (`issuer` or
/// `verifier`). Never fails: a report that cannot be read counts as a service
/// that failed to resolve, with code `invalid_report`.
pub fn check_consistency(reports: &[Value]) -> Consistency {
    let mut resolved = Vec::new();
    let mut failures = Vec::new();
    for (index, report) in reports.iter().enumerate() {
        match read(report, index) {
            Ok(r) => resolved.push(r),
            Err(f) => failures.push(f),
        }
    }

    let mut environments: Vec<String> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for r in &resolved {
        if !environments.contains(&r.member.environment) {
            environments.push(r.member.environment.clone());
        }
        match groups.iter_mut().find(|g| g.fingerprint == r.fingerprint) {
            Some(group) => group.services.push(r.member.clone()),
            None => groups.push(Group {
                fingerprint: r.fingerprint.clone(),
                services: vec![r.member.clone()],
            }),
        }
    }

    let mut findings = Vec::new();
    if environments.len() > 1 {
        let first = &resolved[0].member;
        for r in &resolved {
            if r.member.environment != first.environment {
                findings.push(format!(
                    "{} runs in {} but {} runs in {}",
                    r.member.service, r.member.environment, first.service, first.environment
                ));
            }
        }
    }

    let issuers: Vec<&Resolved> = resolved
        .iter()
        .filter(|r| r.member.role == Some(Role::Issuer))
        .collect();
    let mut disagreeing = 0;
    if issuers.is_empty() {
        // No declared issuer: compare everyone with the largest group's first service.
        if let Some(reference) = groups
            .iter()
            .max_by_key(|g| g.services.len())
            .map(|g| g.fingerprint.clone())
        {
            let anchor = resolved
                .iter()
                .find(|r| r.fingerprint == reference)
                .expect("group member");
            for r in resolved.iter().filter(|r| r.fingerprint != reference) {
                disagreeing += 1;
                findings.push(disagreement(r, anchor));
            }
        }
    } else {
        // Linear in the number of services: issuers are compared with the first
        // issuer; every other service with the first issuer of each distinct
        // issuer fingerprint it does not share.
        let mut distinct: Vec<&Resolved> = Vec::new();
        for issuer in &issuers {
            if !distinct.iter().any(|d| d.fingerprint == issuer.fingerprint) {
                distinct.push(issuer);
            }
            if issuer.fingerprint != issuers[0].fingerprint {
                findings.push(disagreement(issuer, issuers[0]));
            }
        }
        for r in resolved
            .iter()
            .filter(|r| r.member.role != Some(Role::Issuer))
        {
            let mut differs = false;
            for issuer in distinct.iter().filter(|i| i.fingerprint != r.fingerprint) {
                differs = true;
                findings.push(disagreement(r, issuer));
            }
            disagreeing += usize::from(differs);
        }
    }
    for f in &failures {
        findings.push(format!(
            "{} failed to resolve: {} ({})",
            f.service, f.message, f.code
        ));
    }
    if reports.is_empty() {
        findings.push("no service reports were given: nothing can be compared".into());
    }

    let drift = groups.len() > 1;
    let status = if environments.len() > 1 {
        Status::EnvironmentMismatch
    } else if drift {
        Status::Drift
    } else if !failures.is_empty() || reports.is_empty() {
        Status::Incomplete
    } else {
        Status::Consistent
    };
    let issuer_drift = issuers
        .windows(2)
        .any(|w| w[0].fingerprint != w[1].fingerprint);
    let level = if !issuers.is_empty() && disagreeing > 2 {
        Level::Emergency
    } else if disagreeing > 0 || issuer_drift || (issuers.is_empty() && drift) {
        Level::Critical
    } else if status != Status::Consistent {
        Level::Warning
    } else {
        Level::Info
    };
    Consistency {
        status,
        level,
        environments,
        groups,
        failures,
        findings,
    }
}

/// [`check_consistency`] over reports given as JSON text (an array), as the
/// JavaScript bindings pass them: parsed by the core's strict parser, so every
/// binding refuses the same texts with the same reason. `Err` is that reason,
/// for the host's `TypeError`.
pub fn check_consistency_json(reports_json: &str) -> Result<Consistency, String> {
    let reason = match parse_value(reports_json.as_bytes()) {
        Ok(Value::Array(reports)) => return Ok(check_consistency(&reports)),
        Ok(other) => format!("it is {}", type_name(&other)),
        Err(reason) => reason,
    };
    Err(format!("reports must be a JSON array: {reason}"))
}

fn disagreement(r: &Resolved, reference: &Resolved) -> String {
    format!(
        "{} resolves {} ({}) but {} resolves {} ({})",
        r.member.service,
        r.member.source,
        r.fingerprint,
        reference.member.service,
        reference.member.source,
        reference.fingerprint
    )
}

fn read(report: &Value, index: usize) -> Result<Resolved, Failure> {
    let unnamed = format!("#{}", index + 1);
    let invalid = |service: &str, message: String| Failure {
        service: service.to_owned(),
        code: "invalid_report".into(),
        message,
    };
    let Some(map) = report.as_object() else {
        return Err(invalid(&unnamed, "the report is not a JSON object".into()));
    };
    let service = match map.get("service") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(invalid(&unnamed, "the report has no service name".into())),
    };
    let role = match map.get("role") {
        None | Some(Value::Null) => None,
        Some(Value::String(r)) if r == "issuer" => Some(Role::Issuer),
        Some(Value::String(r)) if r == "verifier" => Some(Role::Verifier),
        Some(other) => {
            return Err(invalid(
                &service,
                format!(
                    "role must be \"issuer\" or \"verifier\", found {}",
                    to_text(other)
                ),
            ))
        }
    };
    if map.get("schema").and_then(Value::as_str) != Some(RESOLUTION_SCHEMA) {
        return Err(invalid(
            &service,
            format!("the report's schema is not {RESOLUTION_SCHEMA}"),
        ));
    }
    if let Some(error) = map.get("error") {
        let field = |name: &str| {
            error
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_owned()
        };
        return Err(Failure {
            service,
            code: field("code"),
            message: field("message"),
        });
    }
    let text =
        |m: &Map<String, Value>, name: &str| m.get(name).and_then(Value::as_str).map(str::to_owned);
    let environment = text(map, "environment");
    let fingerprint = text(map, "fingerprint").filter(|f| is_fingerprint_form(f));
    let source = map
        .get("source")
        .and_then(Value::as_object)
        .and_then(|s| text(s, "name"));
    match (environment, fingerprint, source) {
        (Some(environment), Some(fingerprint), Some(source)) => Ok(Resolved {
            member: Member {
                service,
                role,
                environment,
                source,
            },
            fingerprint,
        }),
        _ => Err(invalid(
            &service,
            "the report lacks environment, a 16-hex-character fingerprint or source.name".into(),
        )),
    }
}
