//! `jwt_accord._native`: the pyo3 module behind the `jwt_accord` Python
//! package (packaged from `py/`).
//!
//! Thin by design (docs/bindings.md): each function converts its arguments
//! ([`convert`]), makes one call to the `jwt_accord` core and converts the
//! result; core errors become Python exceptions in one place ([`errors`]).
//! The exception classes and the code -> class mapping are Python, in
//! `py/jwt_accord/_errors.py`.

use pyo3::prelude::*;

mod convert;
mod errors;
mod files;
mod habits;
mod http;
mod plain_json;
mod publish;
mod resolution;
mod tokens;
mod utf8;

/// The fingerprint of a secret: the first 16 lower-case hex characters of its
/// SHA-256, so ``printf '%s' "$SECRET" | sha256sum | cut -c1-16`` agrees.
///
/// Args:
///     secret: A str (its UTF-8 bytes) or bytes.
///
/// Returns:
///     str: 16 lower-case hex characters, no ``sha256:`` prefix.
///
/// Raises:
///     TypeError: ``secret`` is neither str nor bytes.
#[pyfunction]
fn fingerprint(secret: &Bound<'_, PyAny>) -> PyResult<String> {
    use pyo3::types::{PyByteArray, PyBytes, PyString};
    if let Ok(s) = secret.cast::<PyString>() {
        let text = s.to_cow().map_err(|_| {
            pyo3::exceptions::PyValueError::new_err(
                "secret must be encodable as UTF-8 (it holds a lone surrogate)",
            )
        })?;
        Ok(jwt_accord::fingerprint(text.as_bytes()))
    } else if let Ok(b) = secret.cast::<PyBytes>() {
        Ok(jwt_accord::fingerprint(b.as_bytes()))
    } else if let Ok(b) = secret.cast::<PyByteArray>() {
        Ok(jwt_accord::fingerprint(&b.to_vec()))
    } else {
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "secret must be str or bytes, not {}",
            convert::type_name(secret)
        )))
    }
}

/// Compares several services' resolution reports before a deploy.
///
/// Args:
///     reports: A list of dicts, each a ``Resolution.to_dict()`` (or the JSON
///         form of a failed resolution) plus ``"service"`` and an optional
///         ``"role"`` (``"issuer"`` or ``"verifier"``).
///
/// Returns:
///     dict: ``status`` (``consistent``, ``drift``, ``environment_mismatch``,
///     ``incomplete``), ``level`` (``info``, ``warning``, ``critical``,
///     ``emergency``), ``environments``, ``groups`` (services by fingerprint),
///     ``failures`` and ``findings`` (one sentence per problem).
///
/// Raises:
///     TypeError: ``reports`` is not a list or tuple, or a report holds a
///         value with no JSON form.
#[pyfunction]
fn check_consistency<'py>(
    py: Python<'py>,
    reports: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::types::{PyList, PyTuple};
    if !(reports.is_instance_of::<PyList>() || reports.is_instance_of::<PyTuple>()) {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "reports must be a list of dicts, not {}",
            convert::type_name(reports)
        )));
    }
    let rules = convert::JsonRules {
        datetime_times: false,
        truncate_too_deep: false,
    };
    let mut values = Vec::new();
    for (index, report) in reports.try_iter()?.enumerate() {
        values
            .push(convert::to_json(&report?, rules).map_err(|f| errors::invalid_report(index, f))?);
    }
    let result = jwt_accord::check_consistency(&values);
    // Through JSON text so that the dict keeps the result's field order.
    convert::loads(py, &result.to_json())
}

/// ``[(code, kind), ...]``: every error code of the core, in the order of docs/spec.md §10, with
/// ``"resolution"`` or ``"token"``. For tests of the exception mapping.
#[pyfunction]
fn error_codes() -> Vec<(&'static str, &'static str)> {
    jwt_accord::ErrorCode::ALL
        .iter()
        .map(|&code| (code.as_str(), errors::kind(code)))
        .collect()
}

/// Panics on purpose, so tests can check that a Rust panic reaches Python as
/// ``pyo3_runtime.PanicException`` and the module keeps working. No other
/// path panics on any input (SECURITY.md, "Panics").
#[pyfunction]
fn _panic_for_tests() {
    panic!("jwt-accord: the panic test hook was called");
}

/// The jwt-accord core, compiled: HS256 tokens and canonical secret resolution.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("MAX_JSON_DEPTH", jwt_accord::MAX_JSON_DEPTH)?;
    m.add("MAX_KEYS", jwt_accord::MAX_KEYS)?;
    m.add(
        "DEFAULT_MAX_TOKEN_BYTES",
        jwt_accord::DEFAULT_MAX_TOKEN_BYTES,
    )?;
    m.add("REPORT_PATH", jwt_accord::REPORT_PATH)?;
    m.add(
        "WEBSOCKET_SUBPROTOCOL",
        jwt_accord::http::WEBSOCKET_SUBPROTOCOL,
    )?;
    m.add(
        "WEBSOCKET_CLOSE_CODE",
        jwt_accord::http::WEBSOCKET_CLOSE_CODE,
    )?;
    m.add_class::<resolution::Resolution>()?;
    m.add_class::<publish::Service>()?;
    m.add_class::<tokens::Signer>()?;
    m.add_class::<tokens::Verifier>()?;
    m.add_class::<http::Challenge>()?;
    m.add_function(wrap_pyfunction!(resolution::resolve_secret, m)?)?;
    m.add_function(wrap_pyfunction!(fingerprint, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::sign, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::verify, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::decode_unverified, m)?)?;
    m.add_function(wrap_pyfunction!(check_consistency, m)?)?;
    m.add_function(wrap_pyfunction!(http::bearer_token, m)?)?;
    m.add_function(wrap_pyfunction!(http::websocket_token, m)?)?;
    m.add_function(wrap_pyfunction!(http::cookie_token, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    Ok(())
}
