//! Keyword arguments a signature does not declare, from the habits of other
//! JWT libraries (`algorithms=["HS256"]`, `options={...}`, `headers=`).
//!
//! Handed to `jwt_accord._habits.check`, which accepts the safe and
//! unambiguous idioms (`algorithm="HS256"` when signing, `algorithms=["HS256"]`
//! when verifying), refuses any other algorithm with `InvalidAlgorithmError`
//! (`unsupported_algorithm`), and words a `TypeError` naming the argument to
//! use for the rest (docs/decisions.md, "Habits from other libraries").

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

/// Checks the undeclared keyword arguments given to `function` (`"sign"`,
/// `"Signer"`, `"verify"`, `"Verifier"`); `Ok` when there are none, or when
/// all are accepted idioms.
pub(crate) fn check(
    py: Python<'_>,
    function: &str,
    extra: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    let Some(extra) = extra.filter(|extra| !extra.is_empty()) else {
        return Ok(());
    };
    static CHECK: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    CHECK
        .import(py, "jwt_accord._habits", "check")?
        .call1((function, extra))?;
    Ok(())
}
