//! The file reader of `resolve_secret` (docs/spec.md §15): the core's
//! `StdFiles` by default, or the caller's `read_file(path)` callable.

use std::cell::RefCell;

use jwt_accord::{FileRead, Files, MAX_FILE_BYTES};
use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};
use zeroize::Zeroizing;

use crate::convert::type_name;

/// A `read_file(path) -> bytes | str | None` callable as a [`Files`] reader.
///
/// `None` and `FileNotFoundError` are a missing file; any other `OSError` is
/// a failed read whose reason is worded as the core's `StdFiles` words the
/// same failure (`Permission denied (os error 13)`), so that a Python reader
/// and the default one give the same message. Any other exception, or a
/// result of the wrong type, is kept and raised by `resolve_secret` once the
/// core returns: a bug in the callable is not a secret-file problem.
pub(crate) struct PyFiles<'a, 'py> {
    read_file: &'a Bound<'py, PyAny>,
    raised: RefCell<Option<PyErr>>,
}

impl<'a, 'py> PyFiles<'a, 'py> {
    /// `read_file` must be callable.
    pub(crate) fn new(read_file: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        if !read_file.is_callable() {
            return Err(PyTypeError::new_err(format!(
                "read_file must be a callable path -> bytes | str | None, not {}",
                type_name(read_file)
            )));
        }
        Ok(PyFiles {
            read_file,
            raised: RefCell::new(None),
        })
    }

    /// The exception the callable raised (or its wrong result), if any.
    pub(crate) fn raised(self) -> Option<PyErr> {
        self.raised.into_inner()
    }

    fn call(&self, path: &str) -> PyResult<FileRead> {
        let result = match self.read_file.call1((path,)) {
            Ok(result) => result,
            Err(err) => return failed_read(self.read_file.py(), err),
        };
        content(&result, path)
    }
}

impl Files for PyFiles<'_, '_> {
    fn read(&self, path: &str) -> FileRead {
        if self.raised.borrow().is_some() {
            return FileRead::Failed("read_file raised".to_owned());
        }
        self.call(path).unwrap_or_else(|err| {
            *self.raised.borrow_mut() = Some(err);
            FileRead::Failed("read_file raised".to_owned())
        })
    }
}

/// What `read_file` gave: bytes (a `bytearray` too) or `str` (its UTF-8),
/// copied into a wiped buffer, at most [`MAX_FILE_BYTES`] + 1 bytes (the core
/// refuses anything longer); `None` is a missing file.
fn content(result: &Bound<'_, PyAny>, path: &str) -> PyResult<FileRead> {
    let capped = |bytes: &[u8]| {
        let end = bytes.len().min(MAX_FILE_BYTES + 1);
        FileRead::Content(Zeroizing::new(bytes[..end].to_vec()))
    };
    if result.is_none() {
        Ok(FileRead::NotFound)
    } else if let Ok(bytes) = result.cast::<PyBytes>() {
        Ok(capped(bytes.as_bytes()))
    } else if let Ok(bytes) = result.cast::<PyByteArray>() {
        Ok(capped(&Zeroizing::new(bytes.to_vec())))
    } else if let Ok(text) = result.cast::<PyString>() {
        let text = text.to_cow().map_err(|_| {
            PyValueError::new_err(format!(
                "read_file({path:?}) gave a str that is not encodable as UTF-8 \
                 (it holds a lone surrogate); return bytes"
            ))
        })?;
        Ok(capped(text.as_bytes()))
    } else {
        Err(PyTypeError::new_err(format!(
            "read_file({path:?}) gave {}; expected bytes, str or None",
            type_name(result)
        )))
    }
}

/// `FileNotFoundError` is a missing file; another `OSError` a failed read,
/// worded as Rust words an OS error (`{strerror} (os error {errno})`, what
/// `StdFiles` gives), or `str(exc)` when it carries no errno. Anything else
/// is the caller's bug: returned as the error to raise.
fn failed_read(py: Python<'_>, err: PyErr) -> PyResult<FileRead> {
    if err.is_instance_of::<PyFileNotFoundError>(py) {
        return Ok(FileRead::NotFound);
    }
    if !err.is_instance_of::<PyOSError>(py) {
        return Err(err);
    }
    let value = err.value(py);
    let errno = value.getattr("errno")?;
    let strerror = value.getattr("strerror")?;
    let reason = if errno.is_none() || strerror.is_none() {
        value.str()?.to_string()
    } else {
        format!("{} (os error {})", strerror.str()?, errno.str()?)
    };
    Ok(FileRead::Failed(if reason.is_empty() {
        type_name(value)
    } else {
        reason
    }))
}
