//! Errors to Python exceptions, in one place (docs/bindings.md).
//!
//! The exception classes live in `jwt_accord/_errors.py`, whose `_from_core`
//! holds the one code -> class mapping; this module only hands it the core's
//! code, kind, message and details.

use jwt_accord::{Error, ErrorCode};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::convert::{map_to_py, Failure, Problem};

/// A core error as the `jwt_accord` exception for its code: `.code`,
/// `.details`, and `str(exc)` is the core's message.
pub(crate) fn to_py(err: Error) -> PyErr {
    Python::attach(|py| {
        let details = match map_to_py(py, err.details()) {
            Ok(details) => details,
            Err(e) => return e,
        };
        raise(py, err.code(), err.message(), details)
    })
}

/// Claims holding a Python value that JSON has no form for: `invalid_claims`
/// naming the claim. The core never sees such a value, so the binding words
/// this one message (it names Python types, which differ per host).
pub(crate) fn invalid_claims(py: Python<'_>, failure: Failure) -> PyErr {
    let path = failure.path_text();
    let claim = failure.top_key().map(str::to_owned);
    let time_claim =
        failure.path.len() == 1 && matches!(claim.as_deref(), Some("exp" | "nbf" | "iat"));
    // `claim "exp"`, or `claim "meta" (at claims["meta"]["tags"][0])` when nested.
    let subject = match &claim {
        Some(name) if failure.path.len() == 1 => format!("claim {}", quoted(name)),
        Some(name) => format!("claim {} (at claims{path})", quoted(name)),
        None => format!("claims{path}"),
    };
    let (message, found) =
        match failure.problem {
            Problem::Python(err) => return err,
            Problem::Type(found) if path.is_empty() => (
                format!("claims must be a dict (or another Mapping), found {found}"),
                found,
            ),
            Problem::Type(found) => (
                format!(
                "{subject} holds a {found}, which has no JSON form: use str, int, float, bool, \
                 None, list or dict{}",
                if time_claim { " (or a datetime, for exp, nbf and iat)" } else { "" }
            ),
                found,
            ),
            Problem::KeyType(found) => (
                format!("claims keys must be str, found a {found} key in claims{path}"),
                found,
            ),
            Problem::IntRange => (
                format!("{subject} holds an integer outside the 64-bit range"),
                "int".to_owned(),
            ),
            Problem::NonFinite(v) => (
                format!("{subject} holds {v}, which JSON cannot represent"),
                "float".to_owned(),
            ),
            Problem::Surrogate => (
                format!("{subject} holds a str with a lone surrogate, which UTF-8 cannot encode"),
                "str".to_owned(),
            ),
            Problem::TooDeep => (
                format!(
                    "claims nest deeper than {} levels",
                    jwt_accord::MAX_JSON_DEPTH
                ),
                "too_deep".to_owned(),
            ),
        };
    let details = PyDict::new(py);
    let filled = (|| {
        details.set_item("claim", claim)?;
        details.set_item("path", path)?;
        details.set_item("found", found)
    })();
    match filled {
        Ok(()) => raise(py, ErrorCode::InvalidClaims, &message, details),
        Err(e) => e,
    }
}

fn quoted(name: &str) -> String {
    serde_json::to_string(name).unwrap_or_default()
}

/// A report for `check_consistency` that is not JSON: the host's `TypeError`
/// (or `ValueError` for excess nesting), since reports are plain data.
pub(crate) fn invalid_report(index: usize, failure: Failure) -> PyErr {
    let path = failure.path_text();
    match failure.problem {
        Problem::Python(err) => err,
        Problem::TooDeep => PyValueError::new_err(format!(
            "reports[{index}] nests deeper than {} levels",
            jwt_accord::MAX_JSON_DEPTH
        )),
        Problem::Type(found) | Problem::KeyType(found) => PyTypeError::new_err(format!(
            "reports[{index}]{path} is a {found}, which has no JSON form"
        )),
        Problem::IntRange | Problem::NonFinite(_) | Problem::Surrogate => {
            PyValueError::new_err(format!("reports[{index}]{path} has no JSON form"))
        }
    }
}

/// The base class a code belongs under: `"resolution"` or `"token"`.
pub(crate) fn kind(code: ErrorCode) -> &'static str {
    code.kind().as_str()
}

/// Builds the exception through `jwt_accord._errors._from_core`.
fn raise(py: Python<'_>, code: ErrorCode, message: &str, details: Bound<'_, PyDict>) -> PyErr {
    static FROM_CORE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let built = FROM_CORE
        .import(py, "jwt_accord._errors", "_from_core")
        .and_then(|from_core| from_core.call1((code.as_str(), kind(code), message, details)));
    match built {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}
