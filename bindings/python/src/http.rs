//! HTTP and WebSocket credentials and refusals (docs/spec.md §17): header
//! values in, the token or the core's error out; a refused request's answer
//! from `Challenge.refusal`. The framework integrations connect these.

use std::borrow::Cow;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PySequence, PyString};

use crate::convert::{loads, type_name};
use crate::errors;

/// A header value: a `str` (lone surrogates become U+FFFD, which no token
/// holds, so the core refuses it as `invalid_request`).
fn text<'a>(s: &'a Bound<'_, PyString>) -> Cow<'a, str> {
    s.to_cow()
        .unwrap_or_else(|_| Cow::Owned(s.to_string_lossy().into_owned()))
}

/// A header's values as a host holds them: `None` (absent), one `str`, or a
/// sequence of `str` (one per header line).
fn header_values(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<String>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(vec![text(s).into_owned()]);
    }
    let wrong = || {
        PyTypeError::new_err(format!(
            "{what} must be None, a str or a sequence of str, not {}",
            type_name(obj)
        ))
    };
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
        return Err(wrong());
    }
    let sequence = obj.cast::<PySequence>().map_err(|_| wrong())?;
    let mut values = Vec::new();
    for (index, item) in sequence.try_iter()?.enumerate() {
        let item = item?;
        let s = item.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{what}[{index}] must be str, not {}",
                type_name(&item)
            ))
        })?;
        values.push(text(s).into_owned());
    }
    Ok(values)
}

fn slices(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

/// The token `find` reads from a header's values, or the core's error.
fn found(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
    find: for<'a> fn(&[&'a str]) -> jwt_accord::Result<&'a str>,
) -> PyResult<String> {
    let values = header_values(obj, what)?;
    find(&slices(&values))
        .map(str::to_owned)
        .map_err(errors::to_py)
}

/// The bearer token of a request's ``Authorization`` header:
/// ``Bearer <token>``, the scheme in any case (docs/spec.md §17).
///
/// Args:
///     authorization: The header's values: None when absent, a str, or a
///         sequence of str (one per header line).
///
/// Returns:
///     str: The token, to verify.
///
/// Raises:
///     MissingTokenError: There is no header, or only empty ones.
///     InvalidRequestError: Two headers, another scheme, no token or two
///         after ``Bearer``, or characters a token cannot hold.
///     TypeError: ``authorization`` is not None, a str or a sequence of str.
#[pyfunction]
pub(crate) fn bearer_token(authorization: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    found(
        authorization,
        "authorization",
        jwt_accord::http::bearer_token,
    )
}

/// The token of a WebSocket handshake's ``Sec-WebSocket-Protocol`` header:
/// the entry after ``WEBSOCKET_SUBPROTOCOL`` (``jwt-accord.bearer``), with
/// which the server then accepts the connection.
///
/// Args:
///     protocols: The header's values: None when absent, a str, or a
///         sequence of str (each a comma-separated list).
///
/// Returns:
///     str: The token, to verify.
///
/// Raises:
///     MissingTokenError: The list does not offer ``jwt-accord.bearer``.
///     InvalidRequestError: It offers it twice, or no token or a malformed
///         one after it.
///     TypeError: ``protocols`` is not None, a str or a sequence of str.
#[pyfunction]
pub(crate) fn websocket_token(protocols: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    found(protocols, "protocols", jwt_accord::http::websocket_token)
}

/// The value of the cookie ``name`` in a request's ``Cookie`` header, if it
/// is there (the first one). Read it only when ``bearer_token`` finds no
/// header (``MissingTokenError``): the header wins.
///
/// Args:
///     cookies: The ``Cookie`` header's values: None when absent, a str, or
///         a sequence of str.
///     name: The cookie's name.
///
/// Returns:
///     str | None: The token, or None when there is no such cookie.
///
/// Raises:
///     InvalidRequestError: The cookie's value is not a token.
///     TypeError: ``cookies`` is not None, a str or a sequence of str, or
///         ``name`` is not a str.
#[pyfunction]
pub(crate) fn cookie_token(
    cookies: Option<&Bound<'_, PyAny>>,
    name: &Bound<'_, PyAny>,
) -> PyResult<Option<String>> {
    let name = name
        .cast::<PyString>()
        .map_err(|_| PyTypeError::new_err(format!("name must be str, not {}", type_name(name))))?;
    let values = header_values(cookies, "cookies")?;
    jwt_accord::http::cookie_token(&slices(&values), &text(name))
        .map(|found| found.map(str::to_owned))
        .map_err(errors::to_py)
}

/// How a service answers refused requests (docs/spec.md §17): its realm, and
/// whether the core's messages go into response bodies. Build it once, when
/// the service starts.
///
/// Args:
///     realm: The ``WWW-Authenticate`` realm: 1 to 100 printable ASCII
///         characters without ``"`` or ``\``.
///     environment: The environment's name (``Resolution.environment``;
///         aliases accepted), which decides ``expose_messages`` when it is
///         None.
///     expose_messages: Whether refusal bodies carry the core's message
///         (which quotes parts of a stranger's token and names the service's
///         key fingerprints, never a secret); None: only in ``development``
///         and ``test``.
///
/// Raises:
///     ValueError: The realm or the environment is refused (the core's
///         message).
///     TypeError: An argument has the wrong type.
#[pyclass(frozen, module = "jwt_accord", name = "Challenge")]
pub(crate) struct Challenge {
    inner: jwt_accord::http::Challenge,
}

#[pymethods]
impl Challenge {
    #[new]
    #[pyo3(signature = (realm, *, environment, expose_messages=None))]
    fn new(realm: &str, environment: &str, expose_messages: Option<bool>) -> PyResult<Self> {
        jwt_accord::host::challenge(realm, expose_messages, environment)
            .map(|inner| Challenge { inner })
            .map_err(PyValueError::new_err)
    }

    /// The realm.
    #[getter]
    fn realm(&self) -> &str {
        self.inner.realm()
    }

    /// Whether refusal bodies carry the core's message.
    #[getter]
    fn expose_messages(&self) -> bool {
        self.inner.exposes_messages()
    }

    /// The answer to a request refused with ``error``: 401 for a missing or
    /// refused token, 400 for a malformed request, 500 (no
    /// ``WWW-Authenticate``, close code 1011) for an error no request can
    /// cause, such as the service's own keys.
    ///
    /// Args:
    ///     error: What ``bearer_token``, ``websocket_token``,
    ///         ``cookie_token`` or ``Verifier.verify`` raised; any
    ///         ``JWTAccordError`` (its ``code`` and ``str()``).
    ///
    /// Returns:
    ///     Refusal: Status, ``WWW-Authenticate`` value, JSON body and the
    ///     WebSocket close code and reason.
    ///
    /// Raises:
    ///     TypeError: ``error`` is not a ``JWTAccordError``.
    fn refusal<'py>(&self, error: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        static BASE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        static REFUSAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let py = error.py();
        let base = BASE.import(py, "jwt_accord._errors", "JWTAccordError")?;
        let code = if error.is_instance(base)? {
            error.getattr("code")?.extract::<String>().ok()
        } else {
            None
        };
        let Some(code) = code else {
            return Err(PyTypeError::new_err(format!(
                "error must be a JWTAccordError with a str code, not {}",
                type_name(error)
            )));
        };
        let message = error.str()?;
        let json = jwt_accord::host::refusal_json(&self.inner, &code, &text(&message));
        let fields = loads(py, &json)?;
        REFUSAL
            .import(py, "jwt_accord._http", "Refusal")?
            .call((), Some(fields.cast::<PyDict>()?))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Challenge realm={:?} expose_messages={}>",
            self.inner.realm(),
            if self.inner.exposes_messages() {
                "True"
            } else {
                "False"
            }
        )
    }
}
