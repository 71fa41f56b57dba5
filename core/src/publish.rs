//! Publishing a service's view (docs/spec.md §16): the report a running
//! service serves at `/.well-known/jwt-accord`, and its Prometheus metrics.
//! Written here, so the text is identical from every language.

mod counts;
mod key_info;

use serde_json::Value;

use crate::consistency::Role;
use crate::report::Resolution;
use crate::token::json::to_text;
use crate::token::sign::Signer;
use crate::token::verify::Verifier;

pub(crate) use counts::{SignatureCounter, VerificationCounter};
pub use counts::{VerificationCounts, VERIFICATION_RESULTS};
pub use key_info::reports_from_key_info;

/// The path the framework integrations serve the published report at.
pub const REPORT_PATH: &str = "/.well-known/jwt-accord";

/// A running service as it publishes itself (docs/spec.md §16): its name,
/// its declared role (none: it both signs and verifies), what it resolved, and
/// the verifiers and signers whose counts its metrics show.
///
/// ```
/// use std::collections::HashMap;
/// use jwt_accord::{resolve, Key, Role, Service, Verifier, VerifyOptions};
///
/// let vars: HashMap<String, String> =
///     [("JWT_SECRET_STAGING", "a-long-random-staging-secret-of-40-bytes!")]
///         .into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
/// let resolution = resolve(&vars, &(), Some("staging"))?;
/// let verifier = Verifier::new(Key::from_resolution(&resolution), VerifyOptions::default());
/// let mut service = Service::new("api", Some(Role::Verifier), resolution).unwrap();
/// service.watch_verifier(&verifier);
/// assert!(verifier.verify("not.a.token", 0).is_err());
/// let metrics = service.metrics_text();
/// assert!(metrics.contains(r#"jwt_accord_verifications_total{service="api",result="malformed"} 1"#));
/// assert!(service.report_json().contains(r#""service":"api""#));
/// # Ok::<(), jwt_accord::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Service {
    name: String,
    role: Option<Role>,
    resolution: Resolution,
    verifiers: Vec<Verifier>,
    signers: Vec<Signer>,
}

/// The longest service name accepted, in bytes.
pub const MAX_SERVICE_NAME_BYTES: usize = 200;

/// One Prometheus metric family: what a host registry (`prometheus_client`,
/// `prom-client`) needs to expose the same series as [`Service::metrics_text`].
#[derive(Clone, Debug, PartialEq)]
pub struct MetricFamily {
    /// The metric name (for counters, with its `_total` suffix).
    pub name: &'static str,
    /// Its `# HELP` text.
    pub help: &'static str,
    /// `gauge` or `counter`.
    pub kind: &'static str,
    /// Its label names, in order.
    pub labels: &'static [&'static str],
    /// Its samples: label values (in `labels` order) and the value.
    pub samples: Vec<(Vec<String>, u64)>,
}

impl Service {
    /// A service named `name` (1 to [`MAX_SERVICE_NAME_BYTES`] bytes, no
    /// control characters), with its role and resolution. `Err` says why a
    /// name is refused, for the host's argument error.
    pub fn new(
        name: impl Into<String>,
        role: Option<Role>,
        resolution: Resolution,
    ) -> Result<Service, String> {
        let name = name.into();
        if name.is_empty() || name.len() > MAX_SERVICE_NAME_BYTES {
            return Err(format!(
                "the service name must be 1 to {MAX_SERVICE_NAME_BYTES} bytes, found {}",
                name.len()
            ));
        }
        if name.chars().any(char::is_control) {
            return Err("the service name must not hold control characters".into());
        }
        Ok(Service {
            name,
            role,
            resolution,
            verifiers: Vec::new(),
            signers: Vec::new(),
        })
    }

    /// The service's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Counts `verifier`'s verifications (and its clones') in the metrics.
    pub fn watch_verifier(&mut self, verifier: &Verifier) {
        self.verifiers.push(verifier.clone());
    }

    /// Counts `signer`'s signatures (and its clones') in the metrics.
    pub fn watch_signer(&mut self, signer: &Signer) {
        self.signers.push(signer.clone());
    }

    /// The summed counts of the watched verifiers.
    pub fn verifications(&self) -> VerificationCounts {
        let mut total = VerificationCounts::default();
        for verifier in &self.verifiers {
            total.add(&verifier.counts());
        }
        total
    }

    /// The summed signatures of the watched signers.
    pub fn signatures(&self) -> u64 {
        self.signers.iter().map(Signer::signatures).sum()
    }

    /// The role as a metric label: `issuer`, `verifier` or `both`.
    fn role_label(&self) -> &'static str {
        self.role.map_or("both", Role::as_str)
    }

    /// The published report as compact JSON text: the resolution's JSON form
    /// (schema v2, in its field order) followed by `service` and, when
    /// declared, `role`: exactly what `check_consistency` reads. Fingerprints
    /// only, never a secret.
    pub fn report_json(&self) -> String {
        let mut text = self.resolution.to_json();
        text.pop(); // the closing brace of the object
        text.push_str(",\"service\":");
        text.push_str(&to_text(&self.name));
        if let Some(role) = self.role {
            text.push_str(",\"role\":\"");
            text.push_str(role.as_str());
            text.push('"');
        }
        text.push('}');
        text
    }

    /// [`Service::report_json`] as a value.
    pub fn report_value(&self) -> Value {
        serde_json::from_str(&self.report_json())
            .unwrap_or_else(|_| unreachable!("the report is JSON"))
    }

    /// The metric families for this service: `jwt_accord_key_info` (one
    /// series per held key, value 1), `jwt_accord_verifications_total` (every
    /// result, zeros included, so an alert sees the first failure) and
    /// `jwt_accord_signatures_total`, from the watched verifiers and signers.
    pub fn metric_families(&self) -> Vec<MetricFamily> {
        let service = self.name.clone();
        let environment = self.resolution.environment().to_string();
        let keys = self
            .resolution
            .keys()
            .iter()
            .map(|key| {
                let labels = [
                    &service,
                    &environment,
                    self.role_label(),
                    key.slot.as_str(),
                    &key.source.name,
                    key.fingerprint(),
                ];
                (labels.map(str::to_owned).to_vec(), 1)
            })
            .collect();
        let results = VERIFICATION_RESULTS
            .iter()
            .zip(self.verifications().0)
            .map(|(&(result, slot), count)| {
                let mut labels = vec![service.clone(), result.to_owned()];
                labels.extend(slot.map(|s| s.as_str().to_owned()));
                (labels, count)
            })
            .collect();
        vec![
            MetricFamily {
                name: "jwt_accord_key_info",
                help: "A key the service holds: its slot, source and fingerprint (never the secret). Always 1.",
                kind: "gauge",
                labels: &["service", "environment", "role", "slot", "source", "fingerprint"],
                samples: keys,
            },
            MetricFamily {
                name: "jwt_accord_verifications_total",
                help: "Token verifications by result: ok (with the key slot that verified) or the error code.",
                kind: "counter",
                labels: &["service", "result", "slot"],
                samples: results,
            },
            MetricFamily {
                name: "jwt_accord_signatures_total",
                help: "Tokens signed.",
                kind: "counter",
                labels: &["service"],
                samples: vec![(vec![service], self.signatures())],
            },
        ]
    }

    /// The Prometheus text exposition (format 0.0.4) of
    /// [`Service::metric_families`]: identical from every build for the same state.
    pub fn metrics_text(&self) -> String {
        exposition(&self.metric_families())
    }
}

/// The text exposition of `families`. A sample with fewer label values than
/// its family has names leaves the rest out (an absent label).
pub fn exposition(families: &[MetricFamily]) -> String {
    let mut text = String::new();
    for family in families {
        text.push_str(&format!("# HELP {} {}\n", family.name, family.help));
        text.push_str(&format!("# TYPE {} {}\n", family.name, family.kind));
        for (values, value) in &family.samples {
            text.push_str(family.name);
            let pairs: Vec<String> = family
                .labels
                .iter()
                .zip(values)
                .map(|(name, value)| format!("{name}=\"{}\"", escape_label(value)))
                .collect();
            if !pairs.is_empty() {
                text.push('{');
                text.push_str(&pairs.join(","));
                text.push('}');
            }
            text.push_str(&format!(" {value}\n"));
        }
    }
    text
}

/// A label value as the text format quotes it: `\`, `"` and newline escaped.
fn escape_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }

    #[test]
    fn absent_labels_are_left_out() {
        let family = MetricFamily {
            name: "m_total",
            help: "h",
            kind: "counter",
            labels: &["a", "b"],
            samples: vec![(vec!["x".into()], 3), (vec!["x".into(), "y".into()], 0)],
        };
        assert_eq!(
            exposition(&[family]),
            "# HELP m_total h\n# TYPE m_total counter\nm_total{a=\"x\"} 3\nm_total{a=\"x\",b=\"y\"} 0\n"
        );
    }
}
