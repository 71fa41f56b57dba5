//! The UTF-8 text of a Python `str`, borrowed from the object.
//!
//! The module is built for the stable ABI of CPython 3.9 (one `cp39-abi3`
//! wheel), where pyo3 reads a `str` by encoding it into a new `bytes` object
//! (`PyUnicode_AsUTF8String`) and copying that into a Rust `String`: two
//! allocations and two copies per string, the largest part of converting a
//! claims dict. `PyUnicode_AsUTF8AndSize` returns the string's own UTF-8
//! instead (an ASCII string's data as it is; another string's UTF-8, made
//! once and kept by the object, as CPython's own `str` methods keep it). It
//! is exported with this signature by every CPython since 3.3 and belongs to
//! the stable ABI from 3.10 on; on Linux and macOS an extension's symbols are
//! resolved from the running interpreter, so it is present under 3.9 too
//! (docs/decisions.md, "Python binding speed"). On Windows an abi3 module
//! links `python3.dll`, whose 3.9 edition does not export it: there the
//! copy through `bytes` stays.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::PyString;

#[cfg(not(windows))]
mod ffi {
    use std::os::raw::c_char;

    use pyo3::ffi::{PyObject, Py_ssize_t};

    extern "C" {
        pub fn PyUnicode_AsUTF8AndSize(
            unicode: *mut PyObject,
            size: *mut Py_ssize_t,
        ) -> *const c_char;
    }
}

/// `s` as UTF-8, borrowed from `s` where the platform allows; `None` when it
/// holds a lone surrogate, which UTF-8 cannot encode (the Python exception
/// that reports it is cleared, as `to_cow` callers did with theirs).
#[cfg(not(windows))]
pub(crate) fn text<'a>(s: &'a Bound<'_, PyString>) -> Option<Cow<'a, str>> {
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a live `str` (the GIL is held: we have a `Bound`); the
    // returned buffer belongs to `s` and lives as long as it, which the
    // borrow of `s` guarantees; it holds `size` bytes of valid UTF-8.
    unsafe {
        let data = ffi::PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size);
        if data.is_null() {
            drop(PyErr::fetch(s.py()));
            return None;
        }
        let bytes = std::slice::from_raw_parts(data.cast::<u8>(), size as usize);
        Some(Cow::Borrowed(std::str::from_utf8_unchecked(bytes)))
    }
}

/// `s` as UTF-8 (a copy through `bytes` on Windows, see the module comment);
/// `None` when it holds a lone surrogate.
#[cfg(windows)]
pub(crate) fn text<'a>(s: &'a Bound<'_, PyString>) -> Option<Cow<'a, str>> {
    s.to_cow().ok()
}
