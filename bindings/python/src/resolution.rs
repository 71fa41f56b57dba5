//! `resolve_secret` and the `Resolution` report.

use jwt_accord::{fetch_variables, resolve, select_environment, store_entry_names};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};
use serde::Serialize;

use crate::convert::{loads, store_value, to_py, type_name, Variables};
use crate::errors;

/// The result of `resolve_secret`: which source won, its fingerprint, the
/// warnings and every candidate source.
///
/// The secret itself is reachable only through `expose_secret()`; `repr()`,
/// `str()`, `to_dict()` and `to_json()` show its fingerprint, never the value.
/// Pass the Resolution itself as the key to `sign`, `verify`, `Signer` or
/// `Verifier`: its environment's policy has already been applied.
///
/// Attributes:
///     environment: The canonical environment name, e.g. ``"staging"``.
///     environment_source: ``"argument"`` or ``"ENVIRONMENT"``.
///     source: ``{"kind": ..., "name": ...}`` of the winning source.
///     fingerprint: 16 lower-case hex characters of SHA-256 of the secret.
///     warnings: ``[{"code", "message", "source"}, ...]``.
///     candidates: Every source in resolution order with its outcome.
#[pyclass(frozen, module = "jwt_accord", name = "Resolution")]
pub(crate) struct Resolution {
    pub(crate) inner: jwt_accord::Resolution,
}

fn serialized<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(value).map_err(|e| PyTypeError::new_err(e.to_string()))?;
    to_py(py, &value)
}

#[pymethods]
impl Resolution {
    /// The canonical environment name, e.g. ``"staging"``.
    #[getter]
    fn environment(&self) -> &str {
        self.inner.environment().as_str()
    }

    /// Where the environment came from: ``"argument"`` or ``"ENVIRONMENT"``.
    #[getter]
    fn environment_source(&self) -> &'static str {
        self.inner.environment_origin().as_str()
    }

    /// The winning source: ``{"kind": "variable" | "store" | "development_fallback", "name": ...}``.
    #[getter]
    fn source<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, self.inner.source())
    }

    /// The secret's fingerprint (16 lower-case hex characters, no prefix).
    #[getter]
    fn fingerprint(&self) -> &str {
        self.inner.fingerprint()
    }

    /// The warnings, in the order they were found: ``[{"code", "message", "source"}, ...]``.
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, self.inner.warnings())
    }

    /// Every source in resolution order:
    /// ``[{"kind", "name", "present", "fingerprint", "outcome"}, ...]``.
    #[getter]
    fn candidates<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, self.inner.candidates())
    }

    /// The JSON form as a dict, in the JSON form's key order.
    ///
    /// Returns:
    ///     The parsed ``to_json()`` text (``schema`` ``"jwt-accord/resolution/v1"``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.inner.to_json())
    }

    /// The JSON form: compact, stable key order, identical from every binding.
    ///
    /// Returns:
    ///     JSON text with ``schema`` ``"jwt-accord/resolution/v1"``; never the secret.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The one-line summary for start-up logs.
    ///
    /// Returns:
    ///     E.g. ``jwt-accord environment=staging source=JWT_SECRET_STAGING
    ///     fingerprint=sha256:cb6ef22128c05360 warnings=1``.
    fn summary(&self) -> String {
        self.inner.summary()
    }

    /// The secret itself. The name is deliberate: every read shows in review.
    ///
    /// Returns:
    ///     The resolved secret (whitespace-stripped), as text.
    fn expose_secret<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        // Made from the core's wiped buffer: no Rust copy is left to free unwiped.
        PyString::new(py, self.inner.expose_secret_text())
    }

    fn __repr__(&self) -> String {
        format!(
            "<Resolution environment={:?} source={:?} fingerprint=sha256:{} warnings={}>",
            self.inner.environment().as_str(),
            self.inner.source().name,
            self.inner.fingerprint(),
            self.inner.warnings().len()
        )
    }

    fn __str__(&self) -> String {
        self.inner.summary()
    }
}

/// Resolves the JWT secret in the canonical order, with diagnostics.
///
/// The environment is ``environment`` if given, else ``environ["ENVIRONMENT"]``.
/// Sources, first usable wins: ``JWT_SECRET_<ENV>``, ``JWT_SECRET_KEY``,
/// ``JWT_SECRET`` (variables), then ``jwt-secret-<env>``, ``jwt-secret-key``,
/// ``jwt-secret`` (secret-store entries), then, in development and test only,
/// a public derived fallback. Policy checks follow (length, placeholders,
/// public keys, secrets shared with another environment).
///
/// Args:
///     environ: The variables, a mapping of str to str; ``os.environ`` when None.
///         Only the names the resolver reads are looked up (``environ.get(name)``),
///         so no other variable is copied.
///     environment: The environment name (aliases such as ``prod`` accepted);
///         overrides ``environ["ENVIRONMENT"]``.
///     secret_store: A mapping, or a callable ``name -> str | None`` (e.g. a
///         wrapper around a GCP Secret Manager or Vault client). It is called
///         only for the three store-entry names of the chosen environment.
///
/// Returns:
///     Resolution: The report; pass it as the key to sign and verify.
///
/// Raises:
///     ResolutionError: A subclass per code: ``EnvironmentMissingError``,
///         ``EnvironmentInvalidError``, ``SecretMissingError``,
///         ``SecretTooShortError``, ``InsecureSecretError``,
///         ``SecretReusedAcrossEnvironmentsError``, ``InvalidValueError`` (a value
///         read is not valid UTF-8, e.g. a non-UTF-8 byte in ``os.environ``).
///     TypeError: ``environ`` is not a mapping of str, or ``secret_store`` is
///         neither a mapping nor callable, or gives something other than str or None.
#[pyfunction]
#[pyo3(signature = (environ=None, *, environment=None, secret_store=None))]
pub(crate) fn resolve_secret(
    py: Python<'_>,
    environ: Option<&Bound<'_, PyAny>>,
    environment: Option<&str>,
    secret_store: Option<&Bound<'_, PyAny>>,
) -> PyResult<Resolution> {
    let os_environ;
    let environ = match environ {
        Some(environ) => Variables::new(environ, "environ")?,
        None => {
            os_environ = py.import("os")?.getattr("environ")?;
            Variables::new(&os_environ, "os.environ")?
        }
    };
    // Only the names the core reads are fetched: no other variable leaves Python.
    let variables = fetch_variables(environment, |name| environ.get(name))?;
    let store = match secret_store {
        None => None,
        Some(store) if store.is_instance_of::<PyDict>() || store.cast::<PyMapping>().is_ok() => {
            Some((store, true))
        }
        Some(store) if store.is_callable() => Some((store, false)),
        Some(store) => {
            return Err(PyTypeError::new_err(format!(
                "secret_store must be a mapping or a callable name -> str | None, not {}",
                type_name(store)
            )))
        }
    };
    // The core picks the environment and names the entries; only those are fetched.
    let mut entries: jwt_accord::Variables = Vec::new();
    if let Some((store, is_mapping)) = store {
        let (env, _) = select_environment(environment, &variables).map_err(errors::to_py)?;
        for name in store_entry_names(&env) {
            let value = if is_mapping {
                store.call_method1("get", (name.as_str(),))?
            } else {
                store.call1((name.as_str(),))?
            };
            if let Some(value) = store_value(&value, &name)? {
                entries.push((name, value));
            }
        }
    }
    resolve(&variables, &entries, environment)
        .map(|inner| Resolution { inner })
        .map_err(errors::to_py)
}
