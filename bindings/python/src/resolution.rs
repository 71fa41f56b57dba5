//! `resolve_secret` and the `Resolution` report.

use jwt_accord::fs::StdFiles;
use jwt_accord::{
    fetch_variables, resolve_with, select_environment, store_entries_read, Files, Inputs, Store,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};
use serde::Serialize;

use crate::convert::{loads, store_value, to_py, type_name, Variables};
use crate::errors;
use crate::files::PyFiles;

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
///     keys: The keys held (``current``, ``next``, ``previous``) with their
///         sources and fingerprints.
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

    /// The winning source: ``{"kind": "variable" | "store" | "file" |
    /// "development_fallback", "name": ...}``, with ``"path"`` for a file or a
    /// directory store's entry.
    #[getter]
    fn source<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, self.inner.source())
    }

    /// The secret's fingerprint (16 lower-case hex characters, no prefix).
    #[getter]
    fn fingerprint(&self) -> &str {
        self.inner.fingerprint()
    }

    /// The keys held, current first, then ``next`` and ``previous`` when set
    /// (docs/spec.md §14): ``[{"slot", "source", "fingerprint"}, ...]``.
    #[getter]
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, self.inner.keys())
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
    ///     The parsed ``to_json()`` text (``schema`` ``"jwt-accord/resolution/v2"``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &self.inner.to_json())
    }

    /// The JSON form: compact, stable key order, identical from every binding.
    ///
    /// Returns:
    ///     JSON text with ``schema`` ``"jwt-accord/resolution/v2"``; never the secret.
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
/// ``JWT_SECRET`` (variables, each possibly read from the file its ``_FILE``
/// variable names), then ``jwt-secret-<env>``, ``jwt-secret-key``,
/// ``jwt-secret`` (secret-store entries), then, in development and test only,
/// a public derived fallback. The winner's ``_NEXT`` / ``_PREVIOUS``
/// (``-next`` / ``-previous``) companions are held too, for a rotation.
/// Policy checks follow (length, placeholders, public keys, secrets shared
/// with another environment).
///
/// Args:
///     environ: The variables, a mapping of str to str; ``os.environ`` when None.
///         Only the names the resolver reads are looked up (``environ.get(name)``),
///         so no other variable is copied.
///     environment: The environment name (aliases such as ``prod`` accepted);
///         overrides ``environ["ENVIRONMENT"]``.
///     secret_store: A mapping, or a callable ``name -> str | None`` (e.g. a
///         wrapper around a GCP Secret Manager or Vault client). It is called
///         only for the store entries of the chosen environment and their
///         companions (nine names). None: no store, so systemd's
///         ``CREDENTIALS_DIRECTORY``, when set, is the store.
///     secret_dir: A directory store (str or path): each entry is the file
///         named after it there (a Kubernetes secret volume, ``/run/secrets``);
///         a missing file is an entry that is not set. Not with ``secret_store``.
///     read_file: A callable ``path -> bytes | str | None`` used instead of the
///         file system for ``_FILE`` variables and directory stores. None (and
///         ``FileNotFoundError``) is a missing file; another ``OSError`` a failed
///         read (``SecretFileUnreadableError``); any other exception propagates.
///         By default files are read by the core's reader (at most 64 KiB + 1
///         bytes, into memory wiped after use).
///
/// Returns:
///     Resolution: The report; pass it as the key to sign and verify.
///
/// Raises:
///     ResolutionError: A subclass per code: ``EnvironmentMissingError``,
///         ``EnvironmentInvalidError``, ``SecretMissingError``,
///         ``SecretTooShortError``, ``InsecureSecretError``,
///         ``SecretReusedAcrossEnvironmentsError``, ``InvalidValueError`` (a value
///         read is not valid UTF-8, e.g. a non-UTF-8 byte in ``os.environ``),
///         ``AmbiguousSourceError``, ``SecretFileInvalidError``,
///         ``SecretFileUnreadableError``.
///     TypeError: ``environ`` is not a mapping of str, ``secret_store`` is
///         neither a mapping nor callable or gives something other than str or
///         None, ``secret_dir`` is not a str or path, both ``secret_store`` and
///         ``secret_dir`` are given, or ``read_file`` is not callable or gives
///         something other than bytes, str or None.
#[pyfunction]
#[pyo3(signature = (environ=None, *, environment=None, secret_store=None, secret_dir=None, read_file=None))]
pub(crate) fn resolve_secret(
    py: Python<'_>,
    environ: Option<&Bound<'_, PyAny>>,
    environment: Option<&str>,
    secret_store: Option<&Bound<'_, PyAny>>,
    secret_dir: Option<&Bound<'_, PyAny>>,
    read_file: Option<&Bound<'_, PyAny>>,
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
    let directory = secret_dir.map(directory_path).transpose()?;
    if directory.is_some() && secret_store.is_some() {
        return Err(PyTypeError::new_err(
            "pass secret_store or secret_dir, not both: a resolution reads one store",
        ));
    }
    let files = read_file.map(PyFiles::new).transpose()?;
    let entries = match secret_store {
        Some(store) => Some(fetch_entries(store, environment, &variables)?),
        None => None,
    };
    let store = match (&entries, &directory) {
        (Some(entries), _) => Store::Entries(entries),
        (None, Some(directory)) => Store::Directory(directory),
        (None, None) => Store::Absent,
    };
    let resolve = |files: &dyn Files| {
        resolve_with(&Inputs {
            variables: &variables,
            store,
            files,
            environment,
        })
    };
    let result = match files {
        None => resolve(&StdFiles),
        Some(files) => {
            let result = resolve(&files);
            if let Some(raised) = files.raised() {
                return Err(raised);
            }
            result
        }
    };
    result
        .map(|inner| Resolution { inner })
        .map_err(errors::to_py)
}

/// `secret_dir`: a `str` or an `os.PathLike` whose `os.fspath` is a `str`.
fn directory_path(dir: &Bound<'_, PyAny>) -> PyResult<String> {
    let path = dir.py().import("os")?.call_method1("fspath", (dir,));
    match path.as_ref().map(|p| p.cast::<PyString>()) {
        Ok(Ok(text)) => Ok(text.to_cow()?.into_owned()),
        _ => Err(PyTypeError::new_err(format!(
            "secret_dir must be a str or a path (os.PathLike of str), not {}",
            type_name(dir)
        ))),
    }
}

/// The store entries the core reads for the chosen environment (each entry
/// and its companions: `store_entries_read`), fetched from a mapping (`.get`)
/// or a callable; only those names are asked for.
fn fetch_entries(
    store: &Bound<'_, PyAny>,
    environment: Option<&str>,
    variables: &jwt_accord::Variables,
) -> PyResult<jwt_accord::Variables> {
    let is_mapping = if store.is_instance_of::<PyDict>() || store.cast::<PyMapping>().is_ok() {
        true
    } else if store.is_callable() {
        false
    } else {
        return Err(PyTypeError::new_err(format!(
            "secret_store must be a mapping or a callable name -> str | None, not {}",
            type_name(store)
        )));
    };
    // The core picks the environment and names the entries; only those are fetched.
    let (env, _) = select_environment(environment, variables).map_err(errors::to_py)?;
    let mut entries: jwt_accord::Variables = Vec::new();
    for name in store_entries_read(&env) {
        let value = if is_mapping {
            store.call_method1("get", (name.as_str(),))?
        } else {
            store.call1((name.as_str(),))?
        };
        if let Some(value) = store_value(&value, &name)? {
            entries.push((name, value));
        }
    }
    Ok(entries)
}
