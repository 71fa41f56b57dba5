//! Consistency across services (`docs/spec.md §9`): do they all resolve the same
//! secret, in the same environment?

mod findings;

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::{Map, Value};

use findings::{list, one_resolves, references, Subject, NAMED};

use crate::report::{RESOLUTION_SCHEMA, RESOLUTION_SCHEMA_V1};
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
///
/// Linear in the number of reports, and so are the findings: one per distinct
/// disagreement (an environment, a fingerprint group, a kind of failure),
/// naming at most five services and counting the rest (`docs/decisions.md`).
pub fn check_consistency(reports: &[Value]) -> Consistency {
    let mut resolved = Vec::new();
    let mut failures = Vec::new();
    for (index, report) in reports.iter().enumerate() {
        match read(report, index) {
            Ok(r) => resolved.push(r),
            Err(f) => failures.push(f),
        }
    }

    // Environments and fingerprint groups, in order of first appearance, with
    // the indices (into `resolved`) of their services.
    let mut environments: Vec<String> = Vec::new();
    let mut in_environment: Vec<Vec<usize>> = Vec::new();
    let mut environment_index: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut in_group: Vec<Vec<usize>> = Vec::new();
    let mut group_index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in resolved.iter().enumerate() {
        let e = *environment_index
            .entry(r.member.environment.as_str())
            .or_insert_with(|| {
                environments.push(r.member.environment.clone());
                in_environment.push(Vec::new());
                environments.len() - 1
            });
        in_environment[e].push(i);
        let g = *group_index
            .entry(r.fingerprint.as_str())
            .or_insert_with(|| {
                groups.push(Group {
                    fingerprint: r.fingerprint.clone(),
                    services: Vec::new(),
                });
                in_group.push(Vec::new());
                groups.len() - 1
            });
        groups[g].services.push(r.member.clone());
        in_group[g].push(i);
    }

    let mut findings = Vec::new();
    if let Some(first) = resolved.first() {
        for members in in_environment.iter().skip(1) {
            let r = &resolved[members[0]];
            let named: Vec<String> = members
                .iter()
                .take(NAMED)
                .map(|&i| resolved[i].member.service.clone())
                .collect();
            let verb = if members.len() == 1 { "runs" } else { "run" };
            findings.push(format!(
                "{} {verb} in {} but {} runs in {}",
                list(&named, members.len()),
                r.member.environment,
                first.member.service,
                first.member.environment
            ));
        }
    }

    let is_issuer = |i: &usize| resolved[*i].member.role == Some(Role::Issuer);
    let issuers: Vec<&Resolved> = resolved
        .iter()
        .filter(|r| r.member.role == Some(Role::Issuer))
        .collect();
    let mut disagreeing = 0;
    if issuers.is_empty() {
        // No declared issuer: every group against the largest group's first service.
        if let Some(reference) = groups
            .iter()
            .enumerate()
            .max_by_key(|(_, g)| g.services.len())
            .map(|(g, _)| g)
        {
            let anchor = &resolved[in_group[reference][0]];
            let but = one_resolves(
                &anchor.member.service,
                &anchor.member.source,
                &anchor.fingerprint,
            );
            for (g, members) in in_group.iter().enumerate() {
                if g != reference {
                    disagreeing += members.len();
                    let subject = subject(&resolved, members.iter().copied());
                    findings.push(format!("{} but {but}", subject.resolves()));
                }
            }
        }
    } else {
        // The first issuer of each distinct issuer fingerprint, in order.
        let mut distinct: Vec<&Resolved> = Vec::new();
        for issuer in &issuers {
            if !distinct.iter().any(|d| d.fingerprint == issuer.fingerprint)
                && distinct.len() <= NAMED
            {
                distinct.push(issuer);
            }
        }
        let issuer_fingerprints: HashSet<&str> =
            issuers.iter().map(|i| i.fingerprint.as_str()).collect();
        // Issuers that disagree with the first issuer, one finding per group.
        let first = issuers[0];
        let but_first = one_resolves(
            &first.member.service,
            &first.member.source,
            &first.fingerprint,
        );
        let mut issuer_groups: Vec<usize> = Vec::new();
        let mut seen: HashSet<usize> = HashSet::new();
        for issuer in &issuers {
            let g = group_index[issuer.fingerprint.as_str()];
            if issuer.fingerprint != first.fingerprint && seen.insert(g) {
                issuer_groups.push(g);
            }
        }
        for g in issuer_groups {
            let subject = subject(&resolved, in_group[g].iter().copied().filter(is_issuer));
            findings.push(format!("{} but {but_first}", subject.resolves()));
        }
        // Every other service, one finding per fingerprint group, against the
        // issuer fingerprints that group does not share.
        for (g, members) in in_group.iter().enumerate() {
            let others: Vec<usize> = members.iter().copied().filter(|i| !is_issuer(i)).collect();
            let own = groups[g].fingerprint.as_str();
            let shares = issuer_fingerprints.contains(own);
            let total = issuer_fingerprints.len() - usize::from(shares);
            if others.is_empty() || total == 0 {
                continue;
            }
            disagreeing += others.len();
            let named: Vec<String> = distinct
                .iter()
                .filter(|d| d.fingerprint != own)
                .take(NAMED)
                .map(|d| one_resolves(&d.member.service, &d.member.source, &d.fingerprint))
                .collect();
            let subject = subject(&resolved, others.into_iter());
            findings.push(format!(
                "{} but {}",
                subject.resolves(),
                references(&named, total)
            ));
        }
    }

    // Failures, one finding per distinct (code, message).
    let mut kinds: Vec<(&Failure, Vec<&str>)> = Vec::new();
    let mut kind_index: HashMap<(&str, &str), usize> = HashMap::new();
    for f in &failures {
        let k = *kind_index
            .entry((f.code.as_str(), f.message.as_str()))
            .or_insert_with(|| {
                kinds.push((f, Vec::new()));
                kinds.len() - 1
            });
        kinds[k].1.push(&f.service);
    }
    for (f, services) in &kinds {
        let named: Vec<String> = services
            .iter()
            .take(NAMED)
            .map(|s| (*s).to_owned())
            .collect();
        findings.push(format!(
            "{} failed to resolve: {} ({})",
            list(&named, services.len()),
            f.message,
            f.code
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

/// The services at `members` (indices into `resolved`, one fingerprint) as
/// the subject of a finding: the first five named, all of them counted.
fn subject(resolved: &[Resolved], members: impl Iterator<Item = usize>) -> Subject<'_> {
    let mut subject = Subject {
        named: Vec::new(),
        total: 0,
        one_source: true,
        fingerprint: "",
    };
    for i in members {
        let r = &resolved[i];
        if subject.total == 0 {
            subject.fingerprint = &r.fingerprint;
        } else if subject.named[0].1 != r.member.source {
            subject.one_source = false;
        }
        if subject.named.len() < NAMED {
            subject.named.push((&r.member.service, &r.member.source));
        }
        subject.total += 1;
    }
    subject
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
    let schema = map.get("schema").and_then(Value::as_str);
    if schema != Some(RESOLUTION_SCHEMA) && schema != Some(RESOLUTION_SCHEMA_V1) {
        return Err(invalid(
            &service,
            format!("the report's schema is not {RESOLUTION_SCHEMA} or {RESOLUTION_SCHEMA_V1}"),
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
