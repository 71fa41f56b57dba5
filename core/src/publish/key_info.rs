//! The fleet from Prometheus (docs/spec.md §16): the `jwt_accord_key_info`
//! series a Prometheus server holds, turned back into the service reports
//! [`crate::check_consistency`] reads. Pure: the caller queries Prometheus.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::report::RESOLUTION_SCHEMA;
use crate::rotation::KeySlot;
use crate::secret::is_fingerprint_form;

/// The failure code of a target Prometheus could not scrape (`up == 0`):
/// the same code `check` gives a URL it cannot read.
const UNREACHABLE_CODE: &str = "unreachable";

/// The slots in keyring order, as indexed by `slot as usize`.
const SLOTS: [KeySlot; 3] = [KeySlot::Current, KeySlot::Next, KeySlot::Previous];

/// One instance's keys by slot: `(source, fingerprint)` for current, next, previous.
type Slots = [Option<(String, String)>; 3];

/// What one instance (one scrape target) of a service publishes.
#[derive(Default)]
struct Instance {
    environment: Option<String>,
    role: Option<String>,
    slots: Slots,
    /// Why its series cannot be read as one resolution, if they cannot.
    broken: Option<String>,
}

impl Instance {
    /// Its view without the instance: services whose instances agree on it
    /// are one report.
    fn view(&self) -> (&Option<String>, &Option<String>, &Slots, &Option<String>) {
        (&self.environment, &self.role, &self.slots, &self.broken)
    }

    fn add(&mut self, labels: &Map<String, Value>) {
        let label = |name: &str| labels.get(name).and_then(Value::as_str).map(str::to_owned);
        for (what, held, new) in [
            ("environment", &mut self.environment, label("environment")),
            ("role", &mut self.role, label("role")),
        ] {
            if held.is_some() && *held != new {
                self.broken
                    .get_or_insert(format!("its series disagree on the {what}"));
            } else {
                *held = new;
            }
        }
        let slot = label("slot").as_deref().and_then(KeySlot::parse);
        let fingerprint = label("fingerprint").filter(|f| is_fingerprint_form(f));
        let source = label("source").filter(|s| !s.is_empty());
        match (slot, source, fingerprint) {
            (Some(slot), Some(source), Some(fingerprint)) => {
                let place = &mut self.slots[slot as usize];
                if place.as_ref().is_some_and(|held| held.1 != fingerprint) {
                    self.broken
                        .get_or_insert(format!("it publishes two {} keys at once", slot.as_str()));
                }
                *place = Some((source, fingerprint));
            }
            _ => {
                self.broken.get_or_insert(
                    "a series lacks a slot (current, next, previous), a source or a \
                     16-hex-character fingerprint"
                        .into(),
                );
            }
        }
    }

    /// The report `check_consistency` reads, named `service`.
    fn report(&self, service: &str, instances: &[&str]) -> Value {
        let invalid = |message: String| {
            json!({
                "schema": RESOLUTION_SCHEMA,
                "service": service,
                "error": {"code": "invalid_report", "message": message},
                "instances": instances,
            })
        };
        if let Some(why) = &self.broken {
            return invalid(format!(
                "the jwt_accord_key_info series of {service}: {why}"
            ));
        }
        let (Some(environment), Some((source, fingerprint))) = (&self.environment, &self.slots[0])
        else {
            return invalid(format!(
                "the jwt_accord_key_info series of {service} hold no environment or no current key"
            ));
        };
        let keys: Vec<Value> = SLOTS
            .iter()
            .zip(&self.slots)
            .filter_map(|(slot, key)| {
                key.as_ref().map(|(source, fingerprint)| {
                    json!({"slot": slot.as_str(), "source": {"name": source}, "fingerprint": fingerprint})
                })
            })
            .collect();
        let mut report = json!({
            "schema": RESOLUTION_SCHEMA,
            "service": service,
            "environment": environment,
            "source": {"name": source},
            "fingerprint": fingerprint,
            "keys": keys,
            "instances": instances,
        });
        match self.role.as_deref() {
            None | Some("both") => {}
            Some(role) => {
                report["role"] = role.into();
            }
        }
        report
    }
}

/// The service reports of a fleet, from the label sets of Prometheus's
/// `jwt_accord_key_info` series (`key_info`, each a JSON object of label
/// names to values, as the HTTP API's `metric`) and of the targets that are
/// down (`down`, the same; `service` when known, else named by `instance`).
///
/// - One report per service (label `service`), of schema v2: `environment`,
///   `role` (none for `both`), `keys` by slot with their `source` (a name
///   only: the metric has no source kind) and `fingerprint`, the `current`
///   key's source and fingerprint at the top, no warnings (the metric has
///   none), and `instances`: the `instance` labels that published it.
/// - A service whose instances disagree (environment, role or keys) is one
///   report per instance, named `service@instance`, so that each shows as a
///   service of its own in the check (docs/decisions.md).
/// - An instance whose series cannot be one resolution (no `current`, two
///   keys in one slot, a bad fingerprint) is a failed report, `invalid_report`.
/// - A target that is down is a failed report, code [`UNREACHABLE_CODE`],
///   named after its service (`service@instance` when the service has other
///   instances up) or, unknown, after its instance.
///
/// Reports are sorted by name: Prometheus returns series in no fixed order.
pub fn reports_from_key_info(key_info: &[Value], down: &[Value]) -> Vec<Value> {
    let text = |labels: &Map<String, Value>, name: &str| {
        labels
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    // service -> instance -> what it publishes.
    let mut services: BTreeMap<String, BTreeMap<String, Instance>> = BTreeMap::new();
    for labels in key_info.iter().filter_map(Value::as_object) {
        services
            .entry(text(labels, "service"))
            .or_default()
            .entry(text(labels, "instance"))
            .or_default()
            .add(labels);
    }
    let mut reports: Vec<(String, Value)> = Vec::new();
    for (service, instances) in &services {
        let name = if service.is_empty() {
            "(no service label)"
        } else {
            service
        };
        let mut views = instances.values().map(Instance::view);
        let first = views
            .next()
            .unwrap_or_else(|| unreachable!("one series at least"));
        if views.all(|v| v == first) {
            let (_, instance) = instances.iter().next().unwrap_or_else(|| unreachable!());
            let all: Vec<&str> = instances
                .keys()
                .map(String::as_str)
                .filter(|i| !i.is_empty())
                .collect();
            reports.push((name.to_owned(), instance.report(name, &all)));
        } else {
            for (at, instance) in instances {
                let named = format!("{name}@{at}");
                reports.push((named.clone(), instance.report(&named, &[at])));
            }
        }
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    for labels in down.iter().filter_map(Value::as_object) {
        let (service, instance) = (text(labels, "service"), text(labels, "instance"));
        if seen.contains(&(service.clone(), instance.clone())) {
            continue;
        }
        seen.push((service.clone(), instance.clone()));
        let name = match (service.is_empty(), services.contains_key(&service)) {
            (true, _) if instance.is_empty() => "(unknown target)".to_owned(),
            (true, _) => instance.clone(),
            (false, true) => format!("{service}@{instance}"),
            (false, false) => service.clone(),
        };
        let job = text(labels, "job");
        let mut report = json!({
            "schema": RESOLUTION_SCHEMA,
            "service": name,
            "error": {
                "code": UNREACHABLE_CODE,
                "message": format!("Prometheus cannot scrape target {instance} (job {job}): up == 0"),
            },
            "instances": [instance],
        });
        let role = text(labels, "role");
        if role == "issuer" || role == "verifier" {
            report["role"] = role.into();
        }
        reports.push((name, report));
    }
    reports.sort_by(|a, b| a.0.cmp(&b.0));
    reports.into_iter().map(|(_, report)| report).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check_consistency, Status};

    const A: &str = "1111111111111111";
    const B: &str = "2222222222222222";

    fn series(service: &str, instance: &str, role: &str, slot: &str, fp: &str) -> Value {
        json!({"__name__": "jwt_accord_key_info", "service": service, "environment": "staging",
               "role": role, "slot": slot, "source": "JWT_SECRET_STAGING", "fingerprint": fp,
               "instance": instance, "job": "api"})
    }

    #[test]
    fn one_report_per_service_with_its_keys() {
        let reports = reports_from_key_info(
            &[
                series("ws", "h2:80", "both", "current", A),
                series("auth", "h1:80", "issuer", "current", A),
                series("auth", "h1:80", "issuer", "next", B),
            ],
            &[],
        );
        assert_eq!(reports.len(), 2);
        assert_eq!(reports[0]["service"], "auth");
        assert_eq!(reports[0]["role"], "issuer");
        assert_eq!(reports[0]["fingerprint"], A);
        assert_eq!(reports[0]["source"]["name"], "JWT_SECRET_STAGING");
        assert_eq!(reports[0]["keys"][1]["slot"], "next");
        assert_eq!(reports[0]["keys"][1]["fingerprint"], B);
        assert_eq!(reports[1]["service"], "ws");
        assert!(reports[1].get("role").is_none(), "both: no role");
        let result = check_consistency(&reports);
        assert_eq!(result.status, Status::Rotating);
        assert_eq!(result.groups[0].services[0].next.as_deref(), Some(B));
    }

    #[test]
    fn agreeing_instances_are_one_report_disagreeing_ones_one_each() {
        let agree = reports_from_key_info(
            &[
                series("api", "h1:80", "verifier", "current", A),
                series("api", "h2:80", "verifier", "current", A),
            ],
            &[],
        );
        assert_eq!(agree.len(), 1);
        assert_eq!(agree[0]["instances"], json!(["h1:80", "h2:80"]));
        let disagree = reports_from_key_info(
            &[
                series("auth", "h0:80", "issuer", "current", A),
                series("api", "h1:80", "verifier", "current", A),
                series("api", "h2:80", "verifier", "current", B),
            ],
            &[],
        );
        let names: Vec<&str> = disagree
            .iter()
            .filter_map(|r| r["service"].as_str())
            .collect();
        assert_eq!(names, ["api@h1:80", "api@h2:80", "auth"]);
        let result = check_consistency(&disagree);
        assert_eq!(result.status, Status::Drift);
        assert!(
            result.findings[0].starts_with("api@h2:80 resolves"),
            "{:?}",
            result.findings
        );
    }

    #[test]
    fn down_targets_and_broken_series_are_failures() {
        let reports = reports_from_key_info(
            &[
                series("api", "h1:80", "verifier", "current", A),
                series("bad", "h3:80", "verifier", "next", A),
                series("two", "h4:80", "verifier", "current", A),
                series("two", "h4:80", "verifier", "current", B),
            ],
            &[
                json!({"service": "api", "instance": "h2:80", "job": "api", "role": "verifier"}),
                json!({"service": "api", "instance": "h2:80", "job": "api", "role": "verifier"}),
                json!({"instance": "h9:80", "job": "api"}),
            ],
        );
        let result = check_consistency(&reports);
        assert_eq!(result.status, Status::Incomplete);
        let failures: Vec<(&str, &str)> = result
            .failures
            .iter()
            .map(|f| (f.service.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            failures,
            [
                ("api@h2:80", "unreachable"),
                ("bad", "invalid_report"),
                ("h9:80", "unreachable"),
                ("two", "invalid_report")
            ]
        );
        assert!(result.failures[0].message.contains("h2:80"));
        assert!(result.failures[3].message.contains("two current keys"));
    }
}
