//! `Service`: what a running service publishes (docs/spec.md §16), its
//! report and its Prometheus metrics, as the core writes them.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::PyClass;

use crate::convert::{loads, type_name};
use crate::resolution::Resolution;
use crate::tokens::{Signer, Verifier};

/// A running service as it publishes itself (docs/spec.md §16): its name,
/// role and resolution, and the verifiers and signers whose counts its
/// metrics show.
///
/// Serve ``report_json()`` at ``jwt_accord.REPORT_PATH``
/// (``/.well-known/jwt-accord``) for ``check_consistency``, and the metrics
/// with ``metrics()`` or ``jwt_accord.prometheus.ServiceCollector``. Neither
/// ever holds a secret: fingerprints only.
///
/// Args:
///     name: The service's name: 1 to 200 bytes, no control characters.
///     resolution: What the service resolved (``resolve_secret``).
///     role: ``"issuer"``, ``"verifier"``, or None when it does both.
///     verifiers: Verifiers whose verifications are counted (their copies
///         share the counts, so the service sees every later call).
///     signers: Signers whose signatures are counted.
///
/// Raises:
///     ValueError: The name or the role is refused (the core's message).
///     TypeError: An argument has the wrong type.
#[pyclass(frozen, module = "jwt_accord", name = "Service")]
pub(crate) struct Service {
    inner: jwt_accord::Service,
    role: Option<String>,
    fingerprint: String,
}

#[pymethods]
impl Service {
    #[new]
    #[pyo3(
        signature = (name, resolution, *, role=None, verifiers=None, signers=None),
        text_signature = "(name, resolution, *, role=None, verifiers=(), signers=())"
    )]
    fn new(
        name: &str,
        resolution: PyRef<'_, Resolution>,
        role: Option<String>,
        verifiers: Option<&Bound<'_, PyAny>>,
        signers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut inner = jwt_accord::host::service(name, role.as_deref(), &resolution.inner)
            .map_err(PyValueError::new_err)?;
        for verifier in watched::<Verifier>(verifiers, "verifiers", "Verifier")? {
            inner.watch_verifier(&verifier.inner);
        }
        for signer in watched::<Signer>(signers, "signers", "Signer")? {
            inner.watch_signer(&signer.inner);
        }
        Ok(Service {
            inner,
            role,
            fingerprint: resolution.inner.fingerprint().to_owned(),
        })
    }

    /// The service's name.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The published report as compact JSON text: the resolution's JSON form
    /// followed by ``service`` and, when declared, ``role``; identical from
    /// every binding, and what ``check_consistency`` reads.
    ///
    /// Returns:
    ///     str: JSON text with ``schema`` ``"jwt-accord/resolution/v2"``.
    fn report_json(&self) -> String {
        self.inner.report_json()
    }

    /// The published report as a dict, in ``report_json()``'s key order.
    ///
    /// Returns:
    ///     dict: ``report_json()`` parsed.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.inner.report_json())
    }

    /// The Prometheus text exposition (format 0.0.4): ``jwt_accord_key_info``,
    /// ``jwt_accord_verifications_total`` and ``jwt_accord_signatures_total``.
    ///
    /// Returns:
    ///     str: The exposition text, identical from every binding.
    fn metrics(&self) -> String {
        self.inner.metrics_text()
    }

    /// The metric families as JSON text, for a metrics registry.
    ///
    /// Returns:
    ///     str: A list of ``{"name", "help", "type", "labels", "samples"}``,
    ///     each sample ``[label values, value]`` (fewer values than labels:
    ///     the rest are absent).
    fn metric_families_json(&self) -> String {
        jwt_accord::host::metric_families_json(&self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Service name={:?} role={} fingerprint=sha256:{}>",
            self.inner.name(),
            self.role.as_deref().unwrap_or("both"),
            self.fingerprint
        )
    }
}

/// The verifiers or signers to watch: any iterable of `T` (`None`: none).
fn watched<'py, T: PyClass>(
    items: Option<&Bound<'py, PyAny>>,
    what: &str,
    class: &str,
) -> PyResult<Vec<PyRef<'py, T>>> {
    let Some(items) = items else {
        return Ok(Vec::new());
    };
    let wrong = |found: &Bound<'_, PyAny>| {
        PyTypeError::new_err(format!(
            "{what} must be an iterable of {class}, found {}",
            type_name(found)
        ))
    };
    let mut out = Vec::new();
    for item in items.try_iter().map_err(|_| wrong(items))? {
        let item = item?;
        out.push(item.extract::<PyRef<'py, T>>().map_err(|_| wrong(&item))?);
    }
    Ok(out)
}
