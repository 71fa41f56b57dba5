//! HS256 tokens: `Signer`, `Verifier` and the one-shot functions.

use jwt_accord::{SignOptions, VerifyOptions, DEFAULT_MAX_TOKEN_BYTES};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

use crate::convert::{
    self, keyring, map_to_py, non_negative, token, AudienceArg, JsonRules, KidArg, Names, Required,
    Seconds, Tolerance,
};
use crate::{errors, habits};

/// Tokens at least this large are verified with the GIL released: below it,
/// releasing and re-taking the GIL costs more than the work it frees.
const DETACH_BYTES: usize = 4096;

/// Claims converted from Python: an object (the normal case) or any other
/// JSON value, which the core refuses with its own `invalid_claims` message.
fn claims(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let rules = JsonRules {
        datetime_times: true,
        truncate_too_deep: true,
    };
    convert::to_json(obj, rules).map_err(|failure| errors::invalid_claims(obj.py(), failure))
}

/// Signs claims with one key and fixed options; safe to share across threads.
///
/// The key schedule and the encoded header are prepared once, so each
/// ``sign()`` costs the claims' serialisation and one HMAC. Options are
/// claims set on every token; an option never silently overrides a claim
/// that holds a different value (``ConflictingClaimError``).
///
/// Args:
///     key: A str (its UTF-8 bytes) or bytes of at least 32 bytes, a
///         Resolution, or a list of these (the first signs).
///     expires_in: Seconds (an int or a timedelta) from ``now`` to ``exp``.
///     issuer: ``iss``.
///     audience: ``aud``: a str or a list of str, kept as given.
///     subject: ``sub``.
///     token_type: Claim ``token_type`` (e.g. ``"access"``, ``"refresh"``).
///     not_before: Seconds (an int or a timedelta) from ``now`` to ``nbf``.
///     jti: ``jti``.
///     set_issued_at: Set ``iat = now`` when the claims hold no ``iat``.
///     kid: Header ``kid``: True for the key's fingerprint, False for none,
///         or a str.
///     algorithm: Accepted when ``"HS256"`` (the habit of PyJWT users);
///         any other value is ``InvalidAlgorithmError``.
///
/// Raises:
///     InvalidKeyError: The key is empty, shorter than 32 bytes, looks like
///         public-key material, or there are no keys or more than 8.
///     InvalidAlgorithmError: ``algorithm`` is not ``"HS256"``.
///     TypeError: An argument has the wrong type, or is unknown (the
///         message names the argument to use instead).
#[pyclass(frozen, module = "jwt_accord", name = "Signer")]
pub(crate) struct Signer {
    pub(crate) inner: jwt_accord::Signer,
}

#[pymethods]
impl Signer {
    #[new]
    #[pyo3(
        signature = (key, *, expires_in=None, issuer=None, audience=None, subject=None, token_type=None, not_before=None, jti=None, set_issued_at=true, kid=KidArg(jwt_accord::Kid::Fingerprint), **extra),
        text_signature = "(key, *, expires_in=None, issuer=None, audience=None, subject=None, token_type=None, not_before=None, jti=None, set_issued_at=True, kid=True, algorithm='HS256')"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        expires_in: Option<Seconds>,
        issuer: Option<String>,
        audience: Option<AudienceArg>,
        subject: Option<String>,
        token_type: Option<String>,
        not_before: Option<Seconds>,
        jti: Option<String>,
        set_issued_at: bool,
        kid: KidArg,
        extra: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        habits::check(py, "Signer", extra)?;
        let options = SignOptions {
            expires_in: expires_in.map(|s| s.0),
            issuer,
            audience: audience.map(|a| a.0),
            subject,
            token_type,
            not_before: not_before.map(|s| s.0),
            jti,
            set_issued_at,
            kid: kid.0,
        };
        Ok(Signer {
            inner: jwt_accord::Signer::new(keyring(key)?, options),
        })
    }

    /// Signs claims.
    ///
    /// Args:
    ///     claims: A dict of str, int, float, bool, None, list and dict values
    ///         (``exp``, ``nbf`` and ``iat`` may also be datetimes, taken as
    ///         whole seconds UTC as PyJWT does). Keys are written sorted.
    ///     now: Seconds since the epoch; ``time.time()`` when None.
    ///
    /// Returns:
    ///     str: The compact token; the same inputs give the same bytes in
    ///     every jwt-accord binding.
    ///
    /// Raises:
    ///     InvalidClaimsError: The claims are not a dict, hold a value with
    ///         no JSON form (naming the claim), a registered claim of the
    ///         wrong type, or nest deeper than ``jwt_accord.MAX_JSON_DEPTH``
    ///         levels (the claims dict counts as one).
    ///     ConflictingClaimError: An option contradicts a claim.
    #[pyo3(signature = (claims, now=None))]
    fn sign(
        &self,
        py: Python<'_>,
        claims: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let now = convert::now(py, now)?;
        sign_value(&self.inner, self::claims(claims)?, now)
    }

    /// The signing key's fingerprint (the default ``kid``).
    #[getter]
    fn fingerprint(&self) -> &str {
        self.inner.fingerprint()
    }

    fn __repr__(&self) -> String {
        format!("<Signer fingerprint=sha256:{}>", self.inner.fingerprint())
    }
}

fn sign_value(signer: &jwt_accord::Signer, claims: Value, now: i64) -> PyResult<String> {
    // The GIL stays held: converting the claims (which needs it) costs more
    // than the serialisation and HMAC that releasing it would free.
    match claims {
        Value::Object(map) => signer.sign_map(&map, now),
        other => signer.sign(&other, now),
    }
    .map_err(errors::to_py)
}

/// Verifies tokens against one key or a keyring; safe to share across threads.
///
/// Checks run in the fixed order of docs/spec.md §8.2 and the first failure raises its own
/// exception; no claim is read before the signature verifies.
///
/// Args:
///     key_or_keys: A str or bytes key, a Resolution, or a list of up to 8
///         of these (current first, for rotation). A token's ``kid`` equal to
///         a held key's fingerprint selects that key alone.
///     issuer: Accepted ``iss``: a str or a list of str.
///     audience: Accepted ``aud``: a str or a list of str. When None, a token
///         carrying ``aud`` is refused (RFC 7519 section 4.1.3).
///     leeway: Seconds (an int, a float or a timedelta; a fraction rounds
///         up) of clock tolerance for ``exp``, ``nbf`` and ``iat``.
///     required: Claims that must be present.
///     token_type: When set, claim ``token_type`` must equal it.
///     max_age: When set, ``iat`` is required and may be at most this many
///         seconds old.
///     max_token_bytes: Larger tokens are refused before any decoding.
///     algorithms: Accepted when every name is ``"HS256"`` (the habit of
///         PyJWT users); any other name is ``InvalidAlgorithmError``.
///
/// Raises:
///     InvalidKeyError: A key is empty, short or public-key material, or
///         there are no keys or more than 8.
///     InvalidAlgorithmError: ``algorithms`` names another algorithm.
///     TypeError: An argument has the wrong type, or is unknown (the
///         message names the argument to use instead).
///     ValueError: A negative ``leeway``, ``max_age`` or ``max_token_bytes``.
#[pyclass(frozen, module = "jwt_accord", name = "Verifier")]
pub(crate) struct Verifier {
    pub(crate) inner: jwt_accord::Verifier,
}

#[allow(clippy::too_many_arguments)]
fn verify_options(
    issuer: Option<Names>,
    audience: Option<Names>,
    leeway: Tolerance,
    required: Option<Required>,
    token_type: Option<String>,
    max_age: Option<Seconds>,
    max_token_bytes: i64,
) -> PyResult<VerifyOptions> {
    let defaults = VerifyOptions::default();
    Ok(VerifyOptions {
        issuer: issuer.map(|n| n.0),
        audience: audience.map(|n| n.0),
        leeway: non_negative(leeway.0, "leeway")?,
        required: required.map_or(defaults.required, |r| r.0),
        token_type,
        max_age: max_age.map(|m| non_negative(m.0, "max_age")).transpose()?,
        max_token_bytes: usize::try_from(non_negative(max_token_bytes, "max_token_bytes")?)
            .unwrap_or(usize::MAX),
    })
}

#[pymethods]
impl Verifier {
    #[new]
    #[pyo3(
        signature = (key_or_keys, *, issuer=None, audience=None, leeway=Tolerance(0), required=None, token_type=None, max_age=None, max_token_bytes=DEFAULT_MAX_TOKEN_BYTES as i64, **extra),
        text_signature = "(key_or_keys, *, issuer=None, audience=None, leeway=0, required=['exp'], token_type=None, max_age=None, max_token_bytes=16384, algorithms=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        key_or_keys: &Bound<'_, PyAny>,
        issuer: Option<Names>,
        audience: Option<Names>,
        leeway: Tolerance,
        required: Option<Required>,
        token_type: Option<String>,
        max_age: Option<Seconds>,
        max_token_bytes: i64,
        extra: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        habits::check(py, "Verifier", extra)?;
        let options = verify_options(
            issuer,
            audience,
            leeway,
            required,
            token_type,
            max_age,
            max_token_bytes,
        )?;
        Ok(Verifier {
            inner: jwt_accord::Verifier::new(keyring(key_or_keys)?, options),
        })
    }

    /// Verifies a token and returns its claims.
    ///
    /// Args:
    ///     token: The compact token (str).
    ///     now: Seconds since the epoch; ``time.time()`` when None.
    ///
    /// Returns:
    ///     dict: The claims.
    ///
    /// Raises:
    ///     TokenError: A subclass per failure: ``TokenTooLargeError``,
    ///         ``DecodeError`` (malformed), ``InvalidAlgorithmError``,
    ///         ``UnknownKeyError`` (signed with another secret: names both
    ///         fingerprints), ``InvalidSignatureError``,
    ///         ``InvalidClaimTypeError``, ``MissingRequiredClaimError``,
    ///         ``ExpiredSignatureError``, ``ImmatureSignatureError``,
    ///         ``InvalidIssuerError``, ``InvalidAudienceError``,
    ///         ``WrongTokenTypeError``.
    ///     TypeError: ``token`` is not a str.
    #[pyo3(signature = (token, now=None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let claims = verify_with(py, token, now, |t, n| self.inner.verify_claims_json(t, n))?;
        convert::loads(py, &claims)
    }

    /// Verifies a token and returns its claims, header and key fingerprint.
    ///
    /// Args:
    ///     token: The compact token (str).
    ///     now: Seconds since the epoch; ``time.time()`` when None.
    ///
    /// Returns:
    ///     dict: ``{"claims": dict, "header": dict, "key_fingerprint": str,
    ///     "key_slot": str | None}``: the held key that verified the signature,
    ///     and its slot (``"current"``, ``"next"``, ``"previous"``) when it
    ///     came from a Resolution, None for a raw key.
    ///
    /// Raises:
    ///     TokenError: As ``verify()``.
    ///     TypeError: ``token`` is not a str.
    #[pyo3(signature = (token, now=None))]
    fn verify_full<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let verified = verify_with(py, token, now, |t, n| self.inner.verify(t, n))?;
        verified_to_py(py, &verified)
    }

    /// The fingerprints of the held keys, current first.
    #[getter]
    fn fingerprints<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.inner.keys().fingerprints())
    }

    /// Seconds of clock tolerance for ``exp``, ``nbf`` and ``iat``: a token
    /// stops verifying at ``exp + leeway`` (the framework integrations close a
    /// WebSocket session then).
    #[getter]
    fn leeway(&self) -> u64 {
        self.inner.options().leeway
    }

    fn __repr__(&self) -> String {
        let held: Vec<String> = self
            .inner
            .keys()
            .fingerprints()
            .iter()
            .map(|f| format!("sha256:{f}"))
            .collect();
        format!("<Verifier keys=[{}]>", held.join(", "))
    }
}

/// Runs one of the core's verify calls on `token` at `now` (the GIL released
/// for large tokens), converting its error in the module's one place.
fn verify_with<T: Send>(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
    verify: impl Fn(&str, i64) -> jwt_accord::Result<T> + Sync,
) -> PyResult<T> {
    let token = self::token(token)?;
    let now = convert::now(py, now)?;
    let result = if token.len() >= DETACH_BYTES {
        py.detach(|| verify(&token, now))
    } else {
        verify(&token, now)
    };
    result.map_err(errors::to_py)
}

fn verified_to_py<'py>(
    py: Python<'py>,
    verified: &jwt_accord::Verified,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("claims", convert::loads(py, &verified.claims_json)?)?;
    out.set_item("header", map_to_py(py, &verified.header)?)?;
    out.set_item("key_fingerprint", &verified.key_fingerprint)?;
    out.set_item("key_slot", verified.key_slot.map(|slot| slot.as_str()))?;
    Ok(out)
}

/// Signs claims: a one-shot ``Signer(key, **options).sign(claims, now)``.
///
/// Args:
///     claims: A dict of JSON values (``exp``, ``nbf``, ``iat`` may be datetimes).
///     key: A str or bytes key (at least 32 bytes), a Resolution, or a list
///         of these (the first signs).
///     now: Seconds since the epoch; ``time.time()`` when None.
///     expires_in: Seconds (an int or a timedelta) from ``now`` to ``exp``.
///     issuer: ``iss``.
///     audience: ``aud``: a str or a list of str.
///     subject: ``sub``.
///     token_type: Claim ``token_type``.
///     not_before: Seconds (an int or a timedelta) from ``now`` to ``nbf``.
///     jti: ``jti``.
///     set_issued_at: Set ``iat = now`` when the claims hold no ``iat``.
///     kid: Header ``kid``: True for the key's fingerprint, False for none, or a str.
///     algorithm: Accepted when ``"HS256"``.
///
/// Returns:
///     str: The compact token.
///
/// Raises:
///     InvalidKeyError: The key is refused.
///     InvalidClaimsError: The claims are refused (naming the claim).
///     ConflictingClaimError: An option contradicts a claim.
///     TypeError: An argument has the wrong type.
#[pyfunction]
#[pyo3(
    signature = (claims, key, *, now=None, expires_in=None, issuer=None, audience=None, subject=None, token_type=None, not_before=None, jti=None, set_issued_at=true, kid=KidArg(jwt_accord::Kid::Fingerprint), **extra),
    text_signature = "(claims, key, *, now=None, expires_in=None, issuer=None, audience=None, subject=None, token_type=None, not_before=None, jti=None, set_issued_at=True, kid=True, algorithm='HS256')"
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign(
    py: Python<'_>,
    claims: &Bound<'_, PyAny>,
    key: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
    expires_in: Option<Seconds>,
    issuer: Option<String>,
    audience: Option<AudienceArg>,
    subject: Option<String>,
    token_type: Option<String>,
    not_before: Option<Seconds>,
    jti: Option<String>,
    set_issued_at: bool,
    kid: KidArg,
    extra: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    habits::check(py, "sign", extra)?;
    let signer = Signer::new(
        py,
        key,
        expires_in,
        issuer,
        audience,
        subject,
        token_type,
        not_before,
        jti,
        set_issued_at,
        kid,
        None,
    )?;
    signer.sign(py, claims, now)
}

/// Verifies a token: a one-shot ``Verifier(key, **options).verify(token, now)``.
///
/// Args:
///     token: The compact token (str).
///     key: A str or bytes key, a Resolution, or a list of up to 8 of these.
///     now: Seconds since the epoch; ``time.time()`` when None.
///     issuer: Accepted ``iss``: a str or a list of str.
///     audience: Accepted ``aud``: a str or a list of str; when None, a token
///         with ``aud`` is refused.
///     leeway: Seconds (an int, a float or a timedelta; a fraction rounds
///         up) of clock tolerance for ``exp``, ``nbf`` and ``iat``.
///     required: Claims that must be present.
///     token_type: When set, claim ``token_type`` must equal it.
///     max_age: When set, ``iat`` is required and may be at most this old.
///     algorithms: Accepted when every name is ``"HS256"``.
///     max_token_bytes: Larger tokens are refused before any decoding.
///
/// Returns:
///     dict: The claims.
///
/// Raises:
///     TokenError: A subclass per failure (see ``Verifier.verify``).
///     InvalidKeyError: A key is refused.
///     TypeError: An argument has the wrong type.
///     ValueError: A negative ``leeway``, ``max_age`` or ``max_token_bytes``.
#[pyfunction]
#[pyo3(
    signature = (token, key, *, now=None, issuer=None, audience=None, leeway=Tolerance(0), required=None, token_type=None, max_age=None, max_token_bytes=DEFAULT_MAX_TOKEN_BYTES as i64, **extra),
    text_signature = "(token, key, *, now=None, issuer=None, audience=None, leeway=0, required=['exp'], token_type=None, max_age=None, max_token_bytes=16384, algorithms=None)"
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify<'py>(
    py: Python<'py>,
    token: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
    now: Option<&Bound<'py, PyAny>>,
    issuer: Option<Names>,
    audience: Option<Names>,
    leeway: Tolerance,
    required: Option<Required>,
    token_type: Option<String>,
    max_age: Option<Seconds>,
    max_token_bytes: i64,
    extra: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    habits::check(py, "verify", extra)?;
    let verifier = Verifier::new(
        py,
        key,
        issuer,
        audience,
        leeway,
        required,
        token_type,
        max_age,
        max_token_bytes,
        None,
    )?;
    verifier.verify(py, token, now)
}

/// Decodes a token's header and claims WITHOUT verifying anything.
///
/// Not the signature, the algorithm or any claim: for display, and for
/// scheduling a refresh; never for an access decision.
///
/// Args:
///     token: The compact token (str).
///
/// Returns:
///     dict: ``{"header": dict, "claims": dict}``.
///
/// Raises:
///     TokenTooLargeError: Over ``jwt_accord.DEFAULT_MAX_TOKEN_BYTES`` bytes.
///     DecodeError: Not three canonical base64url segments of JSON objects.
///     TypeError: ``token`` is not a str.
#[pyfunction]
pub(crate) fn decode_unverified<'py>(
    py: Python<'py>,
    token: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let token = self::token(token)?;
    let decoded = jwt_accord::decode_unverified(&token).map_err(errors::to_py)?;
    let out = PyDict::new(py);
    out.set_item("header", map_to_py(py, &decoded.header)?)?;
    out.set_item("claims", map_to_py(py, &decoded.claims)?)?;
    Ok(out)
}
