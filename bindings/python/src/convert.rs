//! Python values to and from the core's types: JSON values, keys, times and
//! option values. Conversions only; every decision is the core's.

use std::borrow::Cow;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use jwt_accord::{seconds_from_f64, Audience, Key, Keyring, Kid, MAX_JSON_DEPTH};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyCFunction, PyDict, PyFloat, PyInt, PyList, PyMapping, PyModule,
    PyString, PyTuple,
};
use pyo3::{intern, Borrowed};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use zeroize::Zeroizing;

use crate::plain_json;
use crate::resolution::Resolution;
use crate::utf8;

// ---------------------------------------------------------------------------
// JSON -> Python

/// A JSON value as the Python object `json.loads` would give.
pub(crate) fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => map_to_py(py, map)?.into_any(),
    })
}

/// A JSON object as a `dict`.
pub(crate) fn map_to_py<'py>(
    py: Python<'py>,
    map: &Map<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, value) in map {
        dict.set_item(key_to_py(py, key), to_py(py, value)?)?;
    }
    Ok(dict)
}

/// A dict key: the registered claim and header names come from interned
/// strings (no allocation, hash already computed), others are created.
pub(crate) fn key_to_py<'py>(py: Python<'py>, key: &str) -> Bound<'py, PyString> {
    macro_rules! interned {
        ($($name:literal),*) => {
            match key {
                $($name => intern!(py, $name).clone(),)*
                _ => PyString::new(py, key),
            }
        };
    }
    interned!(
        "iss",
        "sub",
        "aud",
        "exp",
        "nbf",
        "iat",
        "jti",
        "token_type",
        "alg",
        "typ",
        "kid"
    )
}

/// JSON text straight to Python objects, in one pass and in the text's key
/// order (the core's own maps sort their keys). For text the core produced or
/// validated: verified claims, the resolution's JSON form. Text of the plain
/// shape most claims have is read directly ([`plain_json`]); other text by
/// serde_json.
pub(crate) fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    if let Some(value) = plain_json::read(py, text)? {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = PySeed(py)
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|e| PyValueError::new_err(format!("invalid JSON from the core: {e}")))
}

/// Builds a Python object from any JSON value.
#[derive(Clone, Copy)]
struct PySeed<'py>(Python<'py>);

/// Builds a dict key (interned for the registered names).
#[derive(Clone, Copy)]
struct KeySeed<'py>(Python<'py>);

impl<'de, 'py> DeserializeSeed<'de> for PySeed<'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, 'py> DeserializeSeed<'de> for KeySeed<'py> {
    type Value = Bound<'py, PyString>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for KeySeed<'py> {
    type Value = Bound<'py, PyString>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(key_to_py(self.0, v))
    }
}

fn py_err<E: de::Error>(err: PyErr) -> E {
    E::custom(err)
}

impl<'de, 'py> Visitor<'de> for PySeed<'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.0, v).to_owned().into_any())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into_pyobject(self.0)
            .unwrap_or_else(|never| match never {})
            .into_any())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into_pyobject(self.0)
            .unwrap_or_else(|never| match never {})
            .into_any())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.0, v).into_any())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.0, v).into_any())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.None().into_bound(self.0))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.0);
        while let Some(item) = seq.next_element_seed(self)? {
            list.append(item).map_err(py_err)?;
        }
        Ok(list.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.0);
        while let Some(key) = map.next_key_seed(KeySeed(self.0))? {
            let value = map.next_value_seed(self)?;
            dict.set_item(key, value).map_err(py_err)?;
        }
        Ok(dict.into_any())
    }
}

// ---------------------------------------------------------------------------
// Python -> JSON

/// Where in a nested value a conversion failed.
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

/// Why a Python value has no JSON form.
pub(crate) enum Problem {
    /// A type JSON has no counterpart for (the type's name).
    Type(String),
    /// A `dict` key that is not a `str` (the key's type name).
    KeyType(String),
    /// An `int` outside the 64-bit range serde_json holds.
    IntRange,
    /// A `float` that is NaN or infinite.
    NonFinite(f64),
    /// A `str` with a lone surrogate, which UTF-8 cannot encode.
    Surrogate,
    /// Nesting deeper than [`MAX_JSON_DEPTH`] (only when not truncating).
    TooDeep,
    /// A Python exception raised during the conversion (e.g. by `utctimetuple`).
    Python(PyErr),
}

/// A failed conversion: the path from the outermost value, and the problem.
pub(crate) struct Failure {
    /// Outermost segment first.
    pub path: Vec<Segment>,
    pub problem: Problem,
}

impl Failure {
    fn new(problem: Problem) -> Self {
        Failure {
            path: Vec::new(),
            problem,
        }
    }

    fn at(mut self, segment: Segment) -> Self {
        self.path.push(segment);
        self
    }

    /// The path as subscripts, e.g. `["meta"]["roles"][2]`.
    pub fn path_text(&self) -> String {
        let mut out = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    out.push('[');
                    out.push_str(&serde_json::to_string(key).unwrap_or_default());
                    out.push(']');
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// The outermost key, if the failure is inside an object.
    pub fn top_key(&self) -> Option<&str> {
        match self.path.last() {
            Some(Segment::Key(key)) => Some(key),
            _ => None,
        }
    }
}

impl From<PyErr> for Failure {
    fn from(err: PyErr) -> Self {
        Failure::new(Problem::Python(err))
    }
}

/// How [`to_json`] treats what JSON lacks.
#[derive(Clone, Copy)]
pub(crate) struct JsonRules {
    /// Top-level `exp`, `nbf` and `iat` may be `datetime`s (PyJWT converts
    /// them to whole seconds UTC).
    pub datetime_times: bool,
    /// Containers below [`MAX_JSON_DEPTH`] levels are kept, but emptied, so
    /// that the core sees the excess depth and words the error itself; no
    /// conversion ever walks deeper than one level past the bound.
    pub truncate_too_deep: bool,
}

/// Converts a Python value to JSON: `str`, `int`, `float`, `bool`, `None`,
/// `list`, `tuple`, `dict` and other `Mapping`s (with `str` keys),
/// subclasses included.
pub(crate) fn to_json(obj: &Bound<'_, PyAny>, rules: JsonRules) -> Result<Value, Failure> {
    if let Some(map) = obj.cast_exact::<PyDict>().ok().and_then(flat_dict) {
        return Ok(Value::Object(map));
    }
    convert(obj, 1, rules, false)
}

/// A `dict` of `str` keys and `str`, `int`, `float`, `bool` or `None` values
/// (exact types: the common claims), read in one pass over the dict itself.
/// Converting these runs no Python code, so nothing can change the dict
/// meanwhile and no snapshot of it is needed. `None` at the first other key
/// or value, or at one [`convert`] would refuse: the caller then converts
/// the dict the general way, which words any refusal.
fn flat_dict(dict: &Bound<'_, PyDict>) -> Option<Map<String, Value>> {
    let py = dict.py();
    let mut map = Map::new();
    let mut position: pyo3::ffi::Py_ssize_t = 0;
    let mut key = std::ptr::null_mut();
    let mut value = std::ptr::null_mut();
    // SAFETY: `dict` is a live dict (the GIL is held); `PyDict_Next` lends
    // references to its key and value, which stay valid while the dict is
    // unchanged: the loop body calls no Python code (exact-type checks, UTF-8
    // and number reads of exact `str`, `int` and `float`), so it is.
    while unsafe { pyo3::ffi::PyDict_Next(dict.as_ptr(), &mut position, &mut key, &mut value) } != 0
    {
        let (key, value) = unsafe { (Borrowed::from_ptr(py, key), Borrowed::from_ptr(py, value)) };
        let key = key.cast_exact::<PyString>().ok()?;
        let key = string(&key).ok()?;
        let value = if let Ok(s) = value.cast_exact::<PyString>() {
            Value::String(string(&s).ok()?)
        } else if value.is_exact_instance_of::<PyInt>() {
            int(&value).ok()?
        } else if let Ok(b) = value.cast_exact::<PyBool>() {
            Value::Bool(b.is_true())
        } else if let Ok(f) = value.cast_exact::<PyFloat>() {
            Value::Number(Number::from_f64(f.value())?)
        } else if value.is_none() {
            Value::Null
        } else {
            return None;
        };
        map.insert(key, value);
    }
    Some(map)
}

fn convert(
    obj: &Bound<'_, PyAny>,
    depth: usize,
    rules: JsonRules,
    time_claim: bool,
) -> Result<Value, Failure> {
    // Exact types first: the common case costs one pointer comparison each.
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return string(s).map(Value::String);
    }
    if let Ok(b) = obj.cast_exact::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return int(obj);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| Failure::new(Problem::NonFinite(v)));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        if depth > MAX_JSON_DEPTH {
            return too_deep(rules, Value::Object(Map::new()));
        }
        // A snapshot first: converting a value may run Python code (a
        // datetime subclass's utctimetuple) that changes the dict.
        let pairs: Vec<_> = dict.iter().collect();
        return object(pairs.into_iter(), depth, rules);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return string(s).map(Value::String);
    }
    let items = if let Ok(list) = obj.cast::<PyList>() {
        Some(list.as_sequence().clone())
    } else {
        obj.cast::<PyTuple>().ok().map(|t| t.as_sequence().clone())
    };
    if let Some(items) = items {
        if depth > MAX_JSON_DEPTH {
            return too_deep(rules, Value::Array(Vec::new()));
        }
        let mut out = Vec::with_capacity(items.len().unwrap_or(0));
        for (index, item) in items.try_iter()?.enumerate() {
            match convert(&item?, depth + 1, rules, false) {
                Ok(v) => out.push(v),
                Err(failure) => return Err(failure.at(Segment::Index(index))),
            }
        }
        return Ok(Value::Array(out));
    }
    if let Ok(mapping) = obj.cast::<PyMapping>() {
        if depth > MAX_JSON_DEPTH {
            return too_deep(rules, Value::Object(Map::new()));
        }
        let pairs = mapping
            .items()?
            .iter()
            .map(|pair| pair.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>())
            .collect::<PyResult<Vec<_>>>()?;
        return object(pairs.into_iter(), depth, rules);
    }
    if time_claim && is_datetime(obj)? {
        return datetime_seconds(obj);
    }
    Err(Failure::new(Problem::Type(type_name(obj))))
}

/// A JSON object from key/value pairs (of a `dict` or any `Mapping`).
fn object<'py>(
    pairs: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    depth: usize,
    rules: JsonRules,
) -> Result<Value, Failure> {
    let mut map = Map::new();
    for (key, value) in pairs {
        let key = match key.cast::<PyString>() {
            Ok(k) => string(k)?,
            Err(_) => return Err(Failure::new(Problem::KeyType(type_name(&key)))),
        };
        let time =
            rules.datetime_times && depth == 1 && matches!(key.as_str(), "exp" | "nbf" | "iat");
        match convert(&value, depth + 1, rules, time) {
            Ok(v) => {
                map.insert(key, v);
            }
            Err(failure) => return Err(failure.at(Segment::Key(key))),
        }
    }
    Ok(Value::Object(map))
}

fn too_deep(rules: JsonRules, empty: Value) -> Result<Value, Failure> {
    if rules.truncate_too_deep {
        Ok(empty)
    } else {
        Err(Failure::new(Problem::TooDeep))
    }
}

fn string(s: &Bound<'_, PyString>) -> Result<String, Failure> {
    utf8::text(s)
        .map(Cow::into_owned)
        .ok_or_else(|| Failure::new(Problem::Surrogate))
}

fn int(obj: &Bound<'_, PyAny>) -> Result<Value, Failure> {
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Value::from(i));
    }
    obj.extract::<u64>()
        .map(Value::from)
        .map_err(|_| Failure::new(Problem::IntRange))
}

fn is_datetime(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    obj.is_instance(DATETIME.import(obj.py(), "datetime", "datetime")?)
}

/// PyJWT's conversion: `calendar.timegm(value.utctimetuple())` (a naive
/// datetime counts as UTC; microseconds are dropped).
fn datetime_seconds(obj: &Bound<'_, PyAny>) -> Result<Value, Failure> {
    static TIMEGM: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let tuple = obj.call_method0(intern!(obj.py(), "utctimetuple"))?;
    let seconds = TIMEGM
        .import(obj.py(), "calendar", "timegm")?
        .call1((tuple,))?;
    int(&seconds)
}

/// `module.QualName` of a value's type (`set`, `datetime.date`, `decimal.Decimal`).
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    let ty = obj.get_type();
    let name = ty
        .qualname()
        .map(|q| q.to_string())
        .unwrap_or_else(|_| "?".into());
    match ty.module().map(|m| m.to_string()) {
        Ok(module) if module != "builtins" => format!("{module}.{name}"),
        _ => name,
    }
}

// ---------------------------------------------------------------------------
// Text, keys, time

/// A token argument: a `str` (lone surrogates become U+FFFD, which no
/// base64url segment contains, so the core reports `malformed`).
pub(crate) fn token<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(utf8::text(s).unwrap_or_else(|| Cow::Owned(s.to_string_lossy().into_owned()))),
        Err(_) => Err(PyTypeError::new_err(format!(
            "token must be str, not {}",
            type_name(obj)
        ))),
    }
}

/// One key argument: `str` (its UTF-8 bytes), `bytes`/`bytearray`, or a
/// [`Resolution`] (its keys: current, next, previous).
fn key(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Key>> {
    let result = if let Ok(s) = obj.cast::<PyString>() {
        let text = s.to_cow().map_err(|_| {
            PyValueError::new_err(
                "a str key must be encodable as UTF-8 (it holds a lone surrogate)",
            )
        })?;
        Key::from_text(&text)
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        Key::from_bytes(b.as_bytes())
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        // A copy (a bytearray may change under us), wiped once the key holds it.
        Key::from_bytes(&Zeroizing::new(b.to_vec()))
    } else if let Ok(resolution) = obj.cast::<Resolution>() {
        return Ok(Key::from_resolution(&resolution.get().inner).into_keys());
    } else {
        return Err(PyTypeError::new_err(format!(
            "a key must be str, bytes, a Resolution or a list of these, not {}",
            type_name(obj)
        )));
    };
    result.map(|key| vec![key]).map_err(crate::errors::to_py)
}

/// A key argument: one key, or a `list`/`tuple` of them (a keyring, current first).
pub(crate) fn keyring(obj: &Bound<'_, PyAny>) -> PyResult<Keyring> {
    let items = if let Ok(list) = obj.cast::<PyList>() {
        list.as_sequence().clone()
    } else if let Ok(tuple) = obj.cast::<PyTuple>() {
        tuple.as_sequence().clone()
    } else {
        return Keyring::new(key(obj)?).map_err(crate::errors::to_py);
    };
    let mut keys = Vec::new();
    for item in items.try_iter()? {
        keys.extend(key(&item?)?);
    }
    Keyring::new(keys).map_err(crate::errors::to_py)
}

/// `now`: seconds since the epoch, or the system clock (`time.time()`, looked
/// up on each call so that clock-freezing test tools apply).
pub(crate) fn now(py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<i64> {
    static TIME: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let seconds: f64 = match now {
        None => {
            let module = TIME
                .get_or_try_init(py, || py.import("time").map(Bound::unbind))?
                .bind(py);
            let time = module.getattr(intern!(py, "time"))?;
            match system_time(module, &time)? {
                Some(seconds) => seconds,
                None => time.call0()?.extract()?,
            }
        }
        Some(value)
            if value.is_instance_of::<PyBool>()
                || !(value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>()) =>
        {
            return Err(PyTypeError::new_err(format!(
                "now must be int or float seconds since the epoch, not {}",
                type_name(value)
            )))
        }
        Some(value) => value.extract().map_err(|_| out_of_range())?,
    };
    seconds_from_f64(seconds).ok_or_else(out_of_range)
}

/// What `time.time()` would return, read here without a Python call, when
/// `time` is the interpreter's own `time.time` (not replaced by a test's
/// clock); `None` otherwise. The clock is the same (`CLOCK_REALTIME`,
/// nanoseconds), as is the conversion to float seconds.
fn system_time(module: &Bound<'_, PyModule>, time: &Bound<'_, PyAny>) -> PyResult<Option<f64>> {
    // The interpreter's function, identified once: a built-in function
    // named `time` bound to the `time` module (a replacement installed
    // before the first call is not one, and is then always called).
    static GENUINE: PyOnceLock<Option<Py<PyAny>>> = PyOnceLock::new();
    let py = module.py();
    let genuine = GENUINE.get_or_try_init(py, || -> PyResult<_> {
        let builtin = time.is_exact_instance_of::<PyCFunction>()
            && time.getattr(intern!(py, "__self__"))?.is(module)
            && time.getattr(intern!(py, "__name__"))?.eq("time")?;
        Ok(builtin.then(|| time.clone().unbind()))
    })?;
    if !genuine.as_ref().is_some_and(|genuine| time.is(genuine)) {
        return Ok(None);
    }
    let Ok(since_epoch) = SystemTime::now().duration_since(UNIX_EPOCH) else {
        return Ok(None);
    };
    // CPython's `_PyTime_AsSecondsDouble`, so that flooring gives the same
    // second: whole seconds exactly, else nanoseconds as a double / 1e9.
    let Ok(nanos) = i64::try_from(since_epoch.as_nanos()) else {
        return Ok(None);
    };
    Ok(Some(if nanos % 1_000_000_000 == 0 {
        (nanos / 1_000_000_000) as f64
    } else {
        nanos as f64 / 1e9
    }))
}

fn out_of_range() -> PyErr {
    PyValueError::new_err("now must be finite and within 2**53 seconds of the epoch")
}

/// The variables mapping for the resolver (`environ`): a `dict` or any
/// `Mapping`. Only [`Variables::get`] reads it, one name at a time, so that
/// no variable the resolver does not read is ever copied out of Python.
pub(crate) struct Variables<'a, 'py> {
    mapping: &'a Bound<'py, PyAny>,
    what: &'a str,
}

impl<'a, 'py> Variables<'a, 'py> {
    /// `what` names the argument in messages (`environ`, `os.environ`).
    pub(crate) fn new(mapping: &'a Bound<'py, PyAny>, what: &'a str) -> PyResult<Self> {
        if mapping.is_instance_of::<PyDict>() || mapping.cast::<PyMapping>().is_ok() {
            return Ok(Variables { mapping, what });
        }
        Err(PyTypeError::new_err(format!(
            "{what} must be a mapping of str to str (such as os.environ), not {}",
            type_name(mapping)
        )))
    }

    /// The value of `name` (`mapping.get(name)`), or `None` when unset (or `None`).
    pub(crate) fn get(&self, name: &str) -> PyResult<Option<Zeroizing<String>>> {
        let value = match self.mapping.cast_exact::<PyDict>() {
            Ok(dict) => dict.get_item(name)?,
            Err(_) => Some(
                self.mapping
                    .call_method1(intern!(self.mapping.py(), "get"), (name,))?,
            ),
        };
        let Some(value) = value.filter(|value| !value.is_none()) else {
            return Ok(None);
        };
        text(&value).map(Some).ok_or_else(|| {
            PyTypeError::new_err(format!(
                "{}[{name:?}] must be str, not {}",
                self.what,
                type_name(&value)
            ))
        })
    }
}

/// A store entry fetched for the resolver: `str` or `None`.
pub(crate) fn store_value(
    obj: &Bound<'_, PyAny>,
    name: &str,
) -> PyResult<Option<Zeroizing<String>>> {
    if obj.is_none() {
        return Ok(None);
    }
    text(obj).map(Some).ok_or_else(|| {
        PyTypeError::new_err(format!(
            "secret_store gave {} for {name:?}; expected str or None",
            type_name(obj)
        ))
    })
}

/// A `str` value as the resolver reads it, in a buffer wiped when dropped.
/// A `str` that is not valid Unicode (a non-UTF-8 environment value that
/// Python decoded with `surrogateescape`) keeps U+FFFD in place of each
/// surrogate, which the core refuses (`invalid_value`) in every build: how
/// many U+FFFD a host writes differs (Node one per byte sequence), whether
/// there is one does not (docs/decisions.md).
fn text(obj: &Bound<'_, PyAny>) -> Option<Zeroizing<String>> {
    let s = obj.cast::<PyString>().ok()?;
    Some(Zeroizing::new(match s.to_cow() {
        Ok(text) => text.into_owned(),
        Err(_) => s.to_string_lossy().into_owned(),
    }))
}

// ---------------------------------------------------------------------------
// Option values

/// `kid`: `True` (the key's fingerprint), `False` (none) or a `str`.
pub(crate) struct KidArg(pub Kid);

impl<'a, 'py> FromPyObject<'a, 'py> for KidArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(b) = obj.cast::<PyBool>() {
            return Ok(KidArg(if b.is_true() {
                Kid::Fingerprint
            } else {
                Kid::Omit
            }));
        }
        match obj.cast::<PyString>() {
            Ok(s) => Ok(KidArg(Kid::Custom(s.to_cow()?.into_owned()))),
            Err(_) => Err(PyTypeError::new_err(format!(
                "kid must be True, False or str, not {}",
                type_name(&obj)
            ))),
        }
    }
}

/// A sign `audience`: a `str` or a `list`/`tuple` of `str`, kept as given.
pub(crate) struct AudienceArg(pub Audience);

impl<'a, 'py> FromPyObject<'a, 'py> for AudienceArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(AudienceArg(Audience::One(s.to_cow()?.into_owned())));
        }
        Ok(AudienceArg(Audience::Many(string_list(&obj, "audience")?)))
    }
}

/// A verify `issuer` or `audience`: a `str` (one accepted value) or a
/// `list`/`tuple` of `str`.
pub(crate) struct Names(pub Vec<String>);

impl<'a, 'py> FromPyObject<'a, 'py> for Names {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Names(vec![s.to_cow()?.into_owned()]));
        }
        string_list(&obj, "issuer and audience").map(Names)
    }
}

/// `required`: a `list` or `tuple` of claim names (a bare `str` is refused:
/// it would read as its characters).
pub(crate) struct Required(pub Vec<String>);

impl<'a, 'py> FromPyObject<'a, 'py> for Required {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "required must be a list of claim names, e.g. [\"exp\"], not a str",
            ));
        }
        string_list(&obj, "required").map(Required)
    }
}

fn string_list(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<String>> {
    let wrong = || {
        PyTypeError::new_err(format!(
            "{what} must be a str or a list of str, not {}",
            type_name(obj)
        ))
    };
    if !(obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>()) {
        return Err(wrong());
    }
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        let item = item?;
        match item.cast::<PyString>() {
            Ok(s) => out.push(s.to_cow()?.into_owned()),
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "{what} must hold only str, found {}",
                    type_name(&item)
                )))
            }
        }
    }
    Ok(out)
}

/// A number of seconds: an `int`, or a `timedelta` of whole seconds (as
/// PyJWT's `leeway` takes one).
pub(crate) struct Seconds(pub i64);

impl<'a, 'py> FromPyObject<'a, 'py> for Seconds {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
            return obj.extract().map(Seconds);
        }
        if let Some(seconds) = timedelta_seconds(&obj)? {
            if seconds.fract() != 0.0 || seconds.abs() > 9_007_199_254_740_992.0 {
                return Err(PyValueError::new_err(format!(
                    "a timedelta of whole seconds is needed, got {seconds} seconds"
                )));
            }
            return Ok(Seconds(seconds as i64));
        }
        Err(PyTypeError::new_err(format!(
            "seconds must be an int or a timedelta, not {}",
            type_name(&obj)
        )))
    }
}

/// `timedelta.total_seconds()` when `obj` is a `timedelta`, else `None`.
fn timedelta_seconds(obj: &Bound<'_, PyAny>) -> PyResult<Option<f64>> {
    static TIMEDELTA: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    if !obj.is_instance(TIMEDELTA.import(obj.py(), "datetime", "timedelta")?)? {
        return Ok(None);
    }
    obj.call_method0(intern!(obj.py(), "total_seconds"))?
        .extract()
        .map(Some)
}

/// `leeway`: whole seconds from an `int`, a `float` or a `timedelta`, a
/// fraction rounded up (a tolerance is never smaller than asked; 1.5 -> 2,
/// docs/decisions.md "Habits from other libraries"). A negative float or
/// timedelta, NaN and infinities are a `ValueError` (an `int`'s sign is
/// checked by [`non_negative`]).
pub(crate) struct Tolerance(pub i64);

impl<'a, 'py> FromPyObject<'a, 'py> for Tolerance {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
            return obj.extract().map(Tolerance);
        }
        let seconds: f64 = if obj.is_instance_of::<PyFloat>() {
            obj.extract()?
        } else if let Some(seconds) = timedelta_seconds(&obj)? {
            seconds
        } else {
            return Err(PyTypeError::new_err(format!(
                "leeway must be seconds as an int, a float or a timedelta, not {}",
                type_name(&obj)
            )));
        };
        if seconds < 0.0 {
            return Err(PyValueError::new_err(format!(
                "leeway must be >= 0, got {seconds}"
            )));
        }
        if !seconds.is_finite() || seconds > 9_007_199_254_740_992.0 {
            return Err(PyValueError::new_err(format!(
                "leeway must be a finite number of seconds, got {seconds}"
            )));
        }
        Ok(Tolerance(seconds.ceil() as i64))
    }
}

/// A non-negative integer option (`leeway`, `max_age`, `max_token_bytes`).
pub(crate) fn non_negative(value: i64, name: &str) -> PyResult<u64> {
    u64::try_from(value)
        .map_err(|_| PyValueError::new_err(format!("{name} must be >= 0, got {value}")))
}
