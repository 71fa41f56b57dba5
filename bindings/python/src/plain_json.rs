//! Claims text of the plain shape (the core's
//! [`read_plain`](jwt_accord::token::plain_json::read_plain): strings
//! without escapes, integers of at most 18 digits, booleans, null, arrays and
//! objects) built straight into Python objects: exactly what
//! [`crate::convert::loads`]'s serde_json route builds for such text (the
//! same `str`, `int`, `bool`, `None`, `list` and `dict`, in the text's key
//! order, registered names interned), without serde's per-value dispatch.
//! The core reads the text; this only builds. Text of any other shape gives
//! `None`, and the caller reads it with serde_json.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};

use jwt_accord::token::plain_json::{read_plain, Build};

use crate::convert::key_to_py;

/// The Python value of `text`, or `None` when `text` is not of the plain
/// shape.
pub(crate) fn read<'py>(py: Python<'py>, text: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    read_plain(text, &mut Builder(py))
}

/// Builds Python objects for the core's plain reader.
struct Builder<'py>(Python<'py>);

impl<'t, 'py> Build<'t> for Builder<'py> {
    type Value = Bound<'py, PyAny>;
    type Error = PyErr;

    fn string(&mut self, text: &'t str) -> PyResult<Self::Value> {
        Ok(PyString::new(self.0, text).into_any())
    }

    fn integer(&mut self, value: i64) -> PyResult<Self::Value> {
        Ok(value.into_pyobject(self.0)?.into_any())
    }

    fn boolean(&mut self, value: bool) -> PyResult<Self::Value> {
        Ok(PyBool::new(self.0, value).to_owned().into_any())
    }

    fn null(&mut self) -> PyResult<Self::Value> {
        Ok(self.0.None().into_bound(self.0))
    }

    fn array(&mut self) -> PyResult<Self::Value> {
        Ok(PyList::empty(self.0).into_any())
    }

    fn push(&mut self, array: &Self::Value, item: Self::Value) -> PyResult<()> {
        array.cast::<PyList>()?.append(item)
    }

    /// The outermost object (the claims) from a copy of the last one's dict
    /// when the names repeat ([`shape`]); others key by key.
    fn object(
        &mut self,
        members: Vec<(&'t str, Self::Value)>,
        outermost: bool,
    ) -> PyResult<Self::Value> {
        if outermost {
            return shape::dict(self.0, &members).map(Bound::into_any);
        }
        let dict = PyDict::new(self.0);
        for (key, value) in members {
            dict.set_item(key_to_py(self.0, key), value)?;
        }
        Ok(dict.into_any())
    }
}

/// The claims dict from its members, in order. Verified claims mostly repeat
/// one set of names in one order (the same service mints them), so the last
/// set is kept with a dict of those names (values `None`): a dict copied from
/// it already holds the key objects (hashes computed) at their final size,
/// and setting the values replaces entries instead of adding and resizing.
mod shape {
    use std::sync::Mutex;

    use pyo3::prelude::*;
    use pyo3::types::{PyDict, PyString};

    use crate::convert::key_to_py;

    /// Larger objects are built key by key and not remembered.
    const MAX_NAMES: usize = 24;

    struct Shape {
        names: Vec<Box<str>>,
        keys: Vec<Py<PyString>>,
        dict: Py<PyDict>,
    }

    /// The GIL serialises its users; `try_lock` because code run by the
    /// interpreter inside a dict operation (a finalizer during a garbage
    /// collection) may verify a token itself: that one builds its dict
    /// without the cache.
    static LAST: Mutex<Option<Shape>> = Mutex::new(None);

    pub(super) fn dict<'py>(
        py: Python<'py>,
        members: &[(&str, Bound<'py, PyAny>)],
    ) -> PyResult<Bound<'py, PyDict>> {
        let Ok(mut last) = LAST.try_lock() else {
            return build(py, members, None);
        };
        if let Some(shape) = last.as_ref().filter(|shape| {
            shape.names.len() == members.len()
                && shape
                    .names
                    .iter()
                    .zip(members)
                    .all(|(n, (k, _))| **n == **k)
        }) {
            let dict = shape.dict.bind(py).copy()?;
            for (key, (_, value)) in shape.keys.iter().zip(members) {
                dict.set_item(key.bind(py), value)?;
            }
            return Ok(dict);
        }
        if members.len() > MAX_NAMES {
            return build(py, members, None);
        }
        let mut keys = Vec::with_capacity(members.len());
        let dict = build(py, members, Some(&mut keys))?;
        let template = PyDict::new(py);
        for key in &keys {
            template.set_item(key.bind(py), py.None())?;
        }
        *last = Some(Shape {
            names: members.iter().map(|(name, _)| Box::from(*name)).collect(),
            keys,
            dict: template.unbind(),
        });
        Ok(dict)
    }

    /// A dict built key by key, keeping the key objects when asked.
    fn build<'py>(
        py: Python<'py>,
        members: &[(&str, Bound<'py, PyAny>)],
        mut keys: Option<&mut Vec<Py<PyString>>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in members {
            let key = key_to_py(py, name);
            dict.set_item(&key, value)?;
            if let Some(keys) = keys.as_mut() {
                keys.push(key.unbind());
            }
        }
        Ok(dict)
    }
}
