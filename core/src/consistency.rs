//! Consistency across services (`docs/spec.md §9`): do they all resolve the same
//! secret, in the same environment?

mod findings;
mod index;
mod matrix;
mod rotation;

use serde::Serialize;
use serde_json::{Map, Value};

use findings::{list, one_resolves, references, Subject, NAMED};
use index::{one, Index};
pub use matrix::{KeyCell, KeyMatrix, KeyRow};

use crate::report::{RESOLUTION_SCHEMA, RESOLUTION_SCHEMA_V1};
use crate::rotation::KeySlot;
use crate::secret::is_fingerprint_form;
use crate::token::json::{parse_value, to_text, type_name};

/// The `schema` of the consistency result's JSON form (v2: rotation-aware,
/// docs/spec.md §14).
pub const CONSISTENCY_SCHEMA: &str = "jwt-accord/consistency/v2";

/// The overall verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// One environment, every service holds the same keys, every service resolved.
    Consistent,
    /// Every issuer's `current` is accepted by every verifier, but the
    /// services' key sets differ: a rotation is under way (docs/spec.md §14).
    Rotating,
    /// Some verifier does not accept some issuer's `current` (without roles:
    /// some service does not accept another's `current`).
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
            Status::Rotating => "rotating",
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
    /// Consistent, or rotating.
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
    /// Signs tokens (with its `current` key).
    Issuer,
    /// Verifies tokens (with all its keys).
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
    /// The fingerprint of its `next` key, if it holds one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The fingerprint of its `previous` key, if it holds one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
}

impl Member {
    /// Signs tokens (with its `current`): a declared issuer, or a service
    /// without a role.
    pub fn signs(&self) -> bool {
        self.role != Some(Role::Verifier)
    }

    /// Verifies tokens (with all its keys): a declared verifier, or a service
    /// without a role.
    pub fn verifies(&self) -> bool {
        self.role != Some(Role::Issuer)
    }
}

/// Services whose `current` key has the same fingerprint.
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

/// The step a rotation waits for (docs/spec.md §14).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RotationStep {
    /// Some services do not accept a `next` key yet: pre-seed it there;
    /// switching the issuers is unsafe until then.
    PreSeedNext,
    /// Every service accepts the `next` key: the issuers can switch to it.
    SwitchIssuers,
    /// No issuer signs with some held key any more: retire it once the
    /// longest token lifetime has passed.
    RetirePrevious,
}

impl RotationStep {
    /// `pre_seed_next`, `switch_issuers` or `retire_previous`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RotationStep::PreSeedNext => "pre_seed_next",
            RotationStep::SwitchIssuers => "switch_issuers",
            RotationStep::RetirePrevious => "retire_previous",
        }
    }
}

/// What a rotation in progress waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rotation {
    /// The next step.
    pub step: RotationStep,
    /// The fingerprints concerned: the `next` keys to pre-seed or switch to,
    /// or the keys to retire.
    pub keys: Vec<String>,
    /// The services the step waits for, in input order: those that do not
    /// accept a `next` key yet, the issuers still to switch, or those still
    /// holding a key to retire.
    pub waiting_for: Vec<String>,
}

/// The result of [`check_consistency`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Consistency {
    /// [`CONSISTENCY_SCHEMA`].
    pub schema: &'static str,
    /// The verdict.
    pub status: Status,
    /// The severity.
    pub level: Level,
    /// The distinct environments, in input order.
    pub environments: Vec<String>,
    /// Services grouped by the fingerprint of their `current` key, in order of
    /// first appearance.
    pub groups: Vec<Group>,
    /// Services that failed to resolve.
    pub failures: Vec<Failure>,
    /// One sentence per problem, naming services, sources and fingerprints.
    pub findings: Vec<String>,
    /// What a rotation in progress waits for (one environment, no drift),
    /// absent when no service holds a key beyond what every issuer signs with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation: Option<Rotation>,
}

impl Consistency {
    /// The result as compact JSON text, keys in field order (`schema`,
    /// `status`, `level`, `environments`, `groups`, `failures`, `findings`,
    /// `rotation`): what every binding returns, byte for byte.
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

impl Resolved {
    /// Whether this service holds a key with fingerprint `fp` (any slot).
    fn accepts(&self, fp: &str) -> bool {
        self.fingerprint == fp
            || self.member.next.as_deref() == Some(fp)
            || self.member.previous.as_deref() == Some(fp)
    }

    /// Signs tokens: a declared issuer, or a service without a role.
    fn signs(&self) -> bool {
        self.member.signs()
    }

    /// Verifies tokens: a declared verifier, or a service without a role.
    fn verifies(&self) -> bool {
        self.member.verifies()
    }

    /// Its keys, `(current, next, previous)`: services with equal key sets
    /// are one group of a finding.
    fn key_set(&self) -> (&str, Option<&str>, Option<&str>) {
        (
            &self.fingerprint,
            self.member.next.as_deref(),
            self.member.previous.as_deref(),
        )
    }
}

/// Distinct values in order of first appearance, each with the index of the
/// first item that has it.
struct Distinct<'a> {
    values: Vec<(&'a str, usize)>,
    seen: Index,
}

impl<'a> Distinct<'a> {
    fn new() -> Self {
        Distinct {
            values: Vec::new(),
            seen: Index::new(),
        }
    }

    fn add(&mut self, value: &'a str, index: usize) {
        if self.seen.slot(one(value)).1 {
            self.values.push((value, index));
        }
    }

    fn len(&self) -> usize {
        self.values.len()
    }

    fn contains(&self, value: &str) -> bool {
        self.seen.contains(one(value))
    }

    /// How many of the values `r` does not accept: O(1), since a service
    /// holds at most three keys.
    fn missing_for(&self, r: &Resolved) -> usize {
        let (current, next, previous) = r.key_set();
        let keys = [Some(current), next, previous];
        // Distinct keys held: a key repeated in two slots counts once.
        let held = keys
            .iter()
            .enumerate()
            .filter(|&(k, fp)| fp.is_some_and(|fp| self.contains(fp)) && !keys[..k].contains(fp))
            .count();
        self.len() - held
    }
}

/// Compares service reports: each the JSON form of a resolution (v1 or v2;
/// a v1 report is a single `current` key), or of a failed one, with `error`,
/// plus `service` and an optional `role` (`issuer` or `verifier`). Never
/// fails: a report that cannot be read counts as a service that failed to
/// resolve, with code `invalid_report`.
///
/// An issuer signs with its `current`; a verifier accepts all its keys; a
/// service without a role is both. The invariant is that, in one environment,
/// every issuer's `current` is accepted by every verifier (docs/spec.md §14):
/// when it fails the status is `drift`; when it holds but key sets differ,
/// `rotating`, with [`Consistency::rotation`] saying what the next step waits for.
///
/// Linear in the number of reports, and so are the findings: one per distinct
/// disagreement (an environment, a group of services with equal keys, a kind
/// of failure, a rotation step), naming at most five services and counting
/// the rest (`docs/decisions.md`).
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
    // the indices (into `resolved`) of their services; key-set groups too.
    let mut environments: Vec<String> = Vec::new();
    let mut in_environment: Vec<Vec<usize>> = Vec::new();
    let mut environment_index = Index::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_index = Index::new();
    let mut in_set: Vec<Vec<usize>> = Vec::new();
    let mut set_index = Index::new();
    for (i, r) in resolved.iter().enumerate() {
        let (e, new) = environment_index.slot(one(&r.member.environment));
        if new {
            environments.push(r.member.environment.clone());
            in_environment.push(Vec::new());
        }
        in_environment[e].push(i);
        let (g, new) = group_index.slot(one(&r.fingerprint));
        if new {
            groups.push(Group {
                fingerprint: r.fingerprint.clone(),
                services: Vec::new(),
            });
        }
        groups[g].services.push(r.member.clone());
        let (current, next, previous) = r.key_set();
        let (k, new) = set_index.slot([Some(current), next, previous]);
        if new {
            in_set.push(Vec::new());
        }
        in_set[k].push(i);
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

    let before = findings.len();
    let declared_issuers: Vec<&Resolved> = resolved
        .iter()
        .filter(|r| r.member.role == Some(Role::Issuer))
        .collect();
    let mut disagreeing = 0;
    let mut issuer_drift = false;
    // The `current` keys that something signs with, each with its first signer.
    let mut signed = Distinct::new();
    for (i, r) in resolved.iter().enumerate() {
        if r.signs() {
            signed.add(&r.fingerprint, i);
        }
    }
    // The first signer of each signed key, as a finding's reference: at most
    // NAMED + 3 are needed, since a service accepts at most three of them.
    let references_for = |r: &Resolved| -> Vec<String> {
        signed
            .values
            .iter()
            .take(NAMED + 3)
            .filter(|(fp, _)| !r.accepts(fp))
            .take(NAMED)
            .map(|&(fp, i)| {
                one_resolves(&resolved[i].member.service, &resolved[i].member.source, fp)
            })
            .collect()
    };
    if declared_issuers.is_empty() {
        // No declared issuer: every key-set group against the largest
        // fingerprint group's first service, then against every signed key.
        if let Some(reference) = groups
            .iter()
            .enumerate()
            .max_by_key(|(_, g)| g.services.len())
            .map(|(g, _)| g)
        {
            let anchor_fp = groups[reference].fingerprint.as_str();
            let anchor = resolved
                .iter()
                .find(|r| r.fingerprint == anchor_fp)
                .unwrap_or_else(|| unreachable!("a group has a service"));
            let but = one_resolves(
                &anchor.member.service,
                &anchor.member.source,
                &anchor.fingerprint,
            );
            for members in &in_set {
                let r = &resolved[members[0]];
                if r.key_set() == anchor.key_set() {
                    continue;
                }
                let signing = members.iter().any(|&i| resolved[i].signs());
                let verifying = members.iter().any(|&i| resolved[i].verifies());
                let pair = (verifying && anchor.signs() && !r.accepts(&anchor.fingerprint))
                    || (signing && anchor.verifies() && !anchor.accepts(&r.fingerprint));
                let missing = if verifying { signed.missing_for(r) } else { 0 };
                if !pair && missing == 0 {
                    continue;
                }
                disagreeing += members.len();
                let subject = subject(&resolved, members.iter().copied());
                if pair {
                    findings.push(format!("{} but {but}", subject.resolves()));
                } else {
                    findings.push(format!(
                        "{} but {}",
                        subject.resolves(),
                        references(&references_for(r), missing)
                    ));
                }
            }
        }
    } else {
        // Issuers that share no key with the first issuer, one finding per
        // fingerprint: a rotation mid-switch holds the other's key.
        let first = declared_issuers[0];
        let but_first = one_resolves(
            &first.member.service,
            &first.member.source,
            &first.fingerprint,
        );
        // The declared issuers of each `current`, in order of first appearance.
        let mut by_fingerprint: Vec<Vec<usize>> = Vec::new();
        let mut fingerprint_index = Index::new();
        for (i, issuer) in declared_issuers.iter().enumerate() {
            let (f, new) = fingerprint_index.slot(one(&issuer.fingerprint));
            if new {
                by_fingerprint.push(Vec::new());
            }
            by_fingerprint[f].push(i);
        }
        for same in &by_fingerprint {
            let issuer = declared_issuers[same[0]];
            if issuer.fingerprint == first.fingerprint
                || issuer.accepts(&first.fingerprint)
                || first.accepts(&issuer.fingerprint)
            {
                continue;
            }
            issuer_drift = true;
            let subject = subject_by(|i| declared_issuers[i], same.iter().copied());
            findings.push(format!("{} but {but_first}", subject.resolves()));
        }
        // Every verifier, one finding per key set, against the signed keys it
        // does not accept.
        for members in &in_set {
            let others: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| resolved[i].member.role != Some(Role::Issuer))
                .collect();
            let Some(&i) = others.first() else { continue };
            let missing = signed.missing_for(&resolved[i]);
            if missing == 0 {
                continue;
            }
            disagreeing += others.len();
            let subject = subject(&resolved, others.into_iter());
            findings.push(format!(
                "{} but {}",
                subject.resolves(),
                references(&references_for(&resolved[i]), missing)
            ));
        }
    }
    let drift = findings.len() > before;

    // Failures, one finding per distinct (code, message).
    let mut kinds: Vec<(&Failure, Vec<&str>)> = Vec::new();
    let mut kind_index = Index::new();
    for f in &failures {
        let (k, new) = kind_index.slot([Some(&f.code), Some(&f.message), None]);
        if new {
            kinds.push((f, Vec::new()));
        }
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

    let rotation = if environments.len() == 1 && !drift {
        rotation::next_step(&resolved, &signed, &mut findings)
    } else {
        None
    };
    let status = if environments.len() > 1 {
        Status::EnvironmentMismatch
    } else if drift {
        Status::Drift
    } else if !failures.is_empty() || reports.is_empty() {
        Status::Incomplete
    } else if in_set.len() > 1 {
        Status::Rotating
    } else {
        Status::Consistent
    };
    let level = if !declared_issuers.is_empty() && disagreeing > 2 {
        Level::Emergency
    } else if disagreeing > 0 || issuer_drift || (declared_issuers.is_empty() && drift) {
        Level::Critical
    } else if !matches!(status, Status::Consistent | Status::Rotating) {
        Level::Warning
    } else {
        Level::Info
    };
    Consistency {
        schema: CONSISTENCY_SCHEMA,
        status,
        level,
        environments,
        groups,
        failures,
        findings,
        rotation,
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

/// The services at `members` (indices, one key set; `get` finds each) as
/// the subject of a finding: the first five named, all of them counted.
fn subject_by<'a>(
    get: impl Fn(usize) -> &'a Resolved,
    members: impl Iterator<Item = usize>,
) -> Subject<'a> {
    let mut subject = Subject {
        named: Vec::new(),
        total: 0,
        one_source: true,
        fingerprint: "",
        next: None,
        previous: None,
    };
    for i in members {
        let r = get(i);
        if subject.total == 0 {
            subject.fingerprint = &r.fingerprint;
            subject.next = r.member.next.as_deref();
            subject.previous = r.member.previous.as_deref();
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

/// [`subject_by`] over indices into `resolved`.
fn subject(resolved: &[Resolved], members: impl Iterator<Item = usize>) -> Subject<'_> {
    subject_by(|i| &resolved[i], members)
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
    let (next, previous) = match companions(map) {
        Ok(pair) => pair,
        Err(message) => return Err(invalid(&service, message)),
    };
    match (environment, fingerprint, source) {
        (Some(environment), Some(fingerprint), Some(source)) => Ok(Resolved {
            member: Member {
                service,
                role,
                environment,
                source,
                next,
                previous,
            },
            fingerprint,
        }),
        _ => Err(invalid(
            &service,
            "the report lacks environment, a 16-hex-character fingerprint or source.name".into(),
        )),
    }
}

/// The `next` and `previous` fingerprints of a v2 report's `keys` (a v1
/// report has none: its one key is `current`).
fn companions(map: &Map<String, Value>) -> Result<(Option<String>, Option<String>), String> {
    let Some(keys) = map.get("keys") else {
        return Ok((None, None));
    };
    let bad = || {
        "the report's keys must be a list of {slot, source, fingerprint} with slots current, \
         next and previous, each at most once"
            .to_owned()
    };
    let mut found: [Option<String>; 3] = [None, None, None];
    for key in keys.as_array().ok_or_else(bad)? {
        let slot = key
            .get("slot")
            .and_then(Value::as_str)
            .and_then(KeySlot::parse)
            .ok_or_else(bad)?;
        let fingerprint = key
            .get("fingerprint")
            .and_then(Value::as_str)
            .filter(|f| is_fingerprint_form(f))
            .ok_or_else(bad)?;
        let place = &mut found[slot as usize];
        if place.replace(fingerprint.to_owned()).is_some() {
            return Err(bad());
        }
    }
    let [_, next, previous] = found;
    Ok((next, previous))
}
