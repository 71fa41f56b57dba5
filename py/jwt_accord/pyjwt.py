"""PyJWT's HS256 API over jwt-accord: migrate with one import line.

``import jwt_accord.pyjwt as jwt`` in place of ``import jwt``: ``encode``,
``decode``, ``decode_complete`` and ``get_unverified_header`` take PyJWT's
arguments and raise exceptions with PyJWT's names and hierarchy, each also
carrying jwt-accord's ``.code`` and ``.details``. The work is done by
``jwt_accord.Signer`` / ``Verifier``: this module converts arguments and maps
errors, and holds no token logic of its own.

Where PyJWT is lenient and jwt-accord cannot follow, the call is refused with a
message saying what to do, never silently ignored: any algorithm but HS256,
``verify_signature=False``, ``verify_exp=False`` and the other checks jwt-accord
always runs, header fields other than ``kid``, keys shorter than 32 bytes.
docs/coming-from/pyjwt.md lists every argument and option and what the shim
does with it.

When PyJWT itself is installed, each exception class here also subclasses its
namesake in ``jwt.exceptions``, so ``except jwt.InvalidTokenError`` around a
call already migrated still catches (docs/decisions.md, "Habits from other
libraries").
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from jwt_accord import _errors
from jwt_accord._habits import ALGORITHM, ALWAYS_CHECKED, STRICT_AUD, algorithm_names
from jwt_accord._native import Resolution, Signer, Verifier, decode_unverified


class _PyJWTClasses:
    """PyJWT's exception classes by name when PyJWT is installed, else ``Exception``.

    The half-done migration: each shim class also subclasses its namesake in
    ``jwt.exceptions``. Without PyJWT (or with another package named ``jwt``)
    every name gives ``Exception``, and the hierarchy among the shim's own
    classes is the same.
    """

    def __init__(self) -> None:
        self._module: object = None
        try:
            from jwt import exceptions
        except ImportError:  # pragma: no cover - PyJWT is a test dependency
            return
        self._module = exceptions

    def __getattr__(self, name: str) -> type[Exception]:
        found = getattr(self._module, name, None)
        return found if isinstance(found, type) and issubclass(found, Exception) else Exception


if TYPE_CHECKING:
    from jwt import exceptions as _theirs
else:
    _theirs = _PyJWTClasses()

__all__ = [
    "DecodeError",
    "ExpiredSignatureError",
    "ImmatureSignatureError",
    "InvalidAlgorithmError",
    "InvalidAudienceError",
    "InvalidClaimsError",
    "InvalidIssuedAtError",
    "InvalidIssuerError",
    "InvalidJTIError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "InvalidSubjectError",
    "InvalidTokenError",
    "MissingRequiredClaimError",
    "PyJWTError",
    "decode",
    "decode_complete",
    "encode",
    "get_unverified_header",
]


# --------------------------------------------------------------------------- exceptions


class PyJWTError(_errors.JWTAccordError, _theirs.PyJWTError):
    """Base of the shim's exceptions (PyJWT's ``PyJWTError``).

    Also a ``jwt_accord.JWTAccordError``, so ``Challenge.refusal`` words the
    answer, and, with PyJWT installed, a ``jwt.PyJWTError``.

    Attributes:
        code: jwt-accord's error code (docs/spec.md §10), e.g. ``"expired"``.
        details: The specifics as a dict (never a secret).
    """

    #: The code of an instance raised by application code without one.
    default_code = "malformed"

    def __init__(
        self,
        message: str = "",
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        """Creates the exception, as PyJWT's (a message) or the shim's (message, code, details).

        Args:
            message: ``str(exc)``.
            code: jwt-accord's error code; the class's ``default_code`` when None.
            details: The specifics; an empty dict when None.
        """
        super().__init__(message, code or self.default_code, details)
        self.args = (message,)  # Not (claim,): PyJWT's MissingRequiredClaimError is in the MRO.

    def __str__(self) -> str:
        """The message (PyJWT's ``MissingRequiredClaimError`` words its own; ours is the core's)."""
        return str(self.args[0]) if self.args else ""


class InvalidTokenError(PyJWTError, _theirs.InvalidTokenError):
    """A token was refused (PyJWT's ``InvalidTokenError``)."""


class DecodeError(InvalidTokenError, _theirs.DecodeError):
    """The token cannot be decoded (``malformed``, ``token_too_large``), or exp/nbf is no number."""


class InvalidSignatureError(DecodeError, _theirs.InvalidSignatureError):
    """No key produces the signature: ``invalid_signature``, or ``unknown_key`` (another secret)."""

    default_code = "invalid_signature"


class ExpiredSignatureError(InvalidTokenError, _theirs.ExpiredSignatureError):
    """``exp`` has passed (``expired``)."""

    default_code = "expired"


class InvalidAudienceError(InvalidTokenError, _theirs.InvalidAudienceError):
    """``aud`` matches no accepted audience, or has the wrong type (``invalid_audience``)."""

    default_code = "invalid_audience"


class InvalidIssuerError(InvalidTokenError, _theirs.InvalidIssuerError):
    """``iss`` is not an accepted issuer, or has the wrong type (``invalid_issuer``)."""

    default_code = "invalid_issuer"


class InvalidIssuedAtError(InvalidTokenError, _theirs.InvalidIssuedAtError):
    """``iat`` is not a number (``invalid_claim_type``)."""

    default_code = "invalid_claim_type"


class ImmatureSignatureError(InvalidTokenError, _theirs.ImmatureSignatureError):
    """``nbf`` or ``iat`` lies in the future (``not_yet_valid``)."""

    default_code = "not_yet_valid"


class InvalidKeyError(PyJWTError, _theirs.InvalidKeyError):
    """The key is refused (``invalid_key``): empty, under 32 bytes, or public-key material."""

    default_code = "invalid_key"


class InvalidAlgorithmError(InvalidTokenError, _theirs.InvalidAlgorithmError):
    """An algorithm other than HS256, asked for or in a token (``unsupported_algorithm``)."""

    default_code = "unsupported_algorithm"


class MissingRequiredClaimError(InvalidTokenError, _theirs.MissingRequiredClaimError):
    """A required claim is absent (``missing_claim``); ``.claim`` names it, as in PyJWT.

    Also raised, as PyJWT does, when ``issuer=`` or ``audience=`` is given and
    the token has no ``iss`` or ``aud`` (codes ``invalid_issuer``,
    ``invalid_audience``).
    """

    default_code = "missing_claim"

    def __init__(
        self,
        message: str = "",
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        """Creates the exception: ``MissingRequiredClaimError("exp")`` (PyJWT's form), or ours.

        Args:
            message: The message, or (PyJWT's form, without ``code``) the claim name.
            code: jwt-accord's error code.
            details: The specifics; ``details["claim"]`` names the claim.
        """
        if code is None and details is None:
            details = {"claim": message}
            message = f'Token is missing the "{message}" claim'
        super().__init__(message, code, details)
        self.claim: str = str(self.details.get("claim", ""))


class InvalidSubjectError(InvalidTokenError, _theirs.InvalidSubjectError):
    """``sub`` is not a string (``invalid_claim_type``)."""

    default_code = "invalid_claim_type"


class InvalidJTIError(InvalidTokenError, _theirs.InvalidJTIError):
    """``jti`` is not a string (``invalid_claim_type``)."""

    default_code = "invalid_claim_type"


class InvalidClaimsError(PyJWTError, TypeError):
    """The payload cannot be signed (``invalid_claims``): a ``TypeError``, as in PyJWT.

    Not a dict, a value with no JSON form, or a registered claim of the wrong
    type (PyJWT: ``TypeError("Issuer (iss) must be a string.")``).
    """

    default_code = "invalid_claims"


# Core codes -> shim classes; invalid_claim_type, invalid_issuer and
# invalid_audience also depend on the claim (see _translate).
_CLASS_BY_CODE: dict[str, type[PyJWTError]] = {
    "token_too_large": DecodeError,
    "malformed": DecodeError,
    "unsupported_algorithm": InvalidAlgorithmError,
    "unknown_key": InvalidSignatureError,
    "invalid_signature": InvalidSignatureError,
    "missing_claim": MissingRequiredClaimError,
    "expired": ExpiredSignatureError,
    "not_yet_valid": ImmatureSignatureError,
    "invalid_issuer": InvalidIssuerError,
    "invalid_audience": InvalidAudienceError,
    "invalid_claims": InvalidClaimsError,
    "invalid_key": InvalidKeyError,
}
# The class PyJWT raises for a claim of the wrong type.
_CLASS_BY_BAD_CLAIM: dict[str, type[PyJWTError]] = {
    "exp": DecodeError,
    "nbf": DecodeError,
    "iat": InvalidIssuedAtError,
    "iss": InvalidIssuerError,
    "aud": InvalidAudienceError,
    "sub": InvalidSubjectError,
    "jti": InvalidJTIError,
}


def _translate(error: _errors.JWTAccordError) -> PyJWTError:
    """The shim's exception for a jwt-accord one: PyJWT's class, our message, code and details."""
    details = dict(error.details)
    cls = _CLASS_BY_CODE.get(error.code, InvalidTokenError)
    if error.code == "invalid_claim_type":
        cls = _CLASS_BY_BAD_CLAIM.get(str(details.get("claim")), InvalidTokenError)
    elif error.code in ("invalid_issuer", "invalid_audience") and details.get("found", 0) is None:
        # PyJWT: a claim expected by issuer= or audience= that is absent.
        cls = MissingRequiredClaimError
        details["claim"] = "iss" if error.code == "invalid_issuer" else "aud"
    return cls(str(error), error.code, details)


# --------------------------------------------------------------------------- arguments

_OPTIONS = (*ALWAYS_CHECKED, "verify_iss", "require", "strict_aud", "enforce_minimum_key_length")


_TIME_CLAIMS = ("exp", "nbf", "iat")


def _refuse_option(name: str, value: object, why: str) -> ValueError:
    return ValueError(f"jwt_accord.pyjwt: options[{name!r}]={value!r} is not supported: {why}")


def _verifier_options(options: Mapping[str, Any] | None) -> tuple[list[str], bool]:
    """PyJWT's ``options`` as (required claims, whether ``iss`` is checked)."""
    if options is None:
        return [], True
    if not isinstance(options, Mapping):
        raise TypeError(f"options must be a dict, not {type(options).__name__}")
    for name, value in options.items():
        if name not in _OPTIONS:
            raise _refuse_option(name, value, "unknown option; PyJWT's are " + ", ".join(_OPTIONS))
        if name in ALWAYS_CHECKED and not value:
            raise _refuse_option(name, value, ALWAYS_CHECKED[name])
        if name == "strict_aud" and value:
            raise _refuse_option(name, value, STRICT_AUD)
    require = options.get("require", [])
    if isinstance(require, (str, bytes)) or not all(isinstance(c, str) for c in require):
        raise TypeError(f"options['require'] must be a list of claim names, not {require!r}")
    return list(require), bool(options.get("verify_iss", True))


def _check_algorithms(algorithms: object) -> None:
    """Refuses a missing ``algorithms`` (as PyJWT does) and any algorithm but HS256."""
    if algorithms is None:
        raise DecodeError(
            'It is required that you pass in a value for the "algorithms" argument when '
            'calling decode(); jwt_accord.pyjwt takes algorithms=["HS256"].',
            "unsupported_algorithm",
            {"argument": "algorithms", "found": None},
        )
    names = algorithm_names(algorithms)
    others = [name for name in names if name != ALGORITHM]
    if others or not names:
        shown = repr(others[0]) if others else "no algorithm"
        raise InvalidAlgorithmError(
            f"algorithms={algorithms!r} names {shown}: jwt_accord.pyjwt verifies HS256 only; "
            'give algorithms=["HS256"]',
            "unsupported_algorithm",
            {"argument": "algorithms", "found": repr(algorithms)},
        )


def _names(value: object, argument: str) -> str | list[str] | None:
    """``audience`` / ``issuer``: None, a str, or an iterable of str as a list."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        return list(value)
    raise TypeError(f"{argument} must be a string, iterable or None")


def _token_text(token: object) -> str:
    if isinstance(token, (bytes, bytearray)):
        try:
            return bytes(token).decode("utf-8")
        except UnicodeDecodeError:
            raise DecodeError("Invalid token: not UTF-8 text", "malformed") from None
    if isinstance(token, str):
        return token
    raise DecodeError(
        f"Invalid token type. Token must be a str or bytes, not {type(token).__name__}",
        "malformed",
        {"found": type(token).__name__},
    )


# Verifiers and Signers by their arguments (str and bytes keys only): see _verifier.
_cached_verifier = functools.lru_cache(maxsize=32)(Verifier)
_cached_signer = functools.lru_cache(maxsize=32)(Signer)


def _key(key: object) -> str | bytes | bytearray | Resolution:
    """A key as PyJWT takes one for HS256 (str or bytes), or a ``jwt_accord.Resolution``."""
    if isinstance(key, (str, bytes, bytearray, Resolution)):
        return key
    raise TypeError(
        f"jwt_accord.pyjwt: the key must be str or bytes (or a jwt_accord.Resolution), "
        f"not {type(key).__name__}"
    )


def _verifier(
    key: Any,
    issuer: str | list[str] | None,
    audience: str | list[str] | None,
    leeway: float | timedelta,
    required: list[str],
) -> Verifier:
    """A Verifier for these arguments, reused for a str or bytes key.

    Building one costs about as much as a verification (the key schedule),
    so the last 32 are kept, as an application keeps its own.
    """
    if isinstance(key, (str, bytes)) and isinstance(leeway, (int, float, timedelta)):
        return _cached_verifier(
            key,
            issuer=_tuple(issuer),
            audience=_tuple(audience),
            leeway=leeway,
            required=tuple(required),
        )
    return Verifier(_key(key), issuer=issuer, audience=audience, leeway=leeway, required=required)


def _tuple(names: str | list[str] | None) -> tuple[str, ...] | None:
    return None if names is None else (names,) if isinstance(names, str) else tuple(names)


def _signer(key: Any, kid: bool | str) -> Signer:
    """A Signer for this key and kid, reused for a str or bytes key (see ``_verifier``)."""
    if isinstance(key, (str, bytes)):
        return _cached_signer(key, set_issued_at=False, kid=kid)
    return Signer(_key(key), set_issued_at=False, kid=kid)


def _refuse_extra(function: str, kwargs: Mapping[str, Any]) -> None:
    """PyJWT warns about unknown keyword arguments and ignores them; the shim refuses them."""
    if kwargs:
        names = ", ".join(repr(name) for name in kwargs)
        raise TypeError(f"{function}() got unexpected keyword arguments: {names}")


# --------------------------------------------------------------------------- the API


def encode(
    payload: dict[str, Any],
    key: str | bytes | Resolution,
    algorithm: str | None = ALGORITHM,
    headers: dict[str, Any] | None = None,
    json_encoder: type[json.JSONEncoder] | None = None,
    sort_headers: bool = True,
) -> str:
    """Signs ``payload`` with HS256, as PyJWT's ``jwt.encode``.

    Args:
        payload: The claims, a dict (``exp``, ``nbf``, ``iat`` may be
            datetimes). Written as given: no ``iat`` is added, as in PyJWT.
        key: The secret, str or bytes of at least 32 bytes, or a
            ``jwt_accord.Resolution``.
        algorithm: ``"HS256"``; anything else (``None`` included, which is
            ``alg: none`` in PyJWT) is ``InvalidAlgorithmError``.
        headers: ``{"kid": str}`` sets the ``kid``; ``typ`` ``"JWT"`` and
            ``alg`` ``"HS256"`` are accepted (the header always holds them).
            Without a ``kid`` the header carries the key's fingerprint, so a
            verifier holding another secret says so (``unknown_key``).
        json_encoder: Applied to the payload before signing (values it turns
            into JSON are signed as that JSON).
        sort_headers: Accepted and without effect: the header order is fixed.

    Returns:
        The compact token.

    Raises:
        InvalidAlgorithmError: ``algorithm`` or ``headers["alg"]`` is not HS256.
        InvalidKeyError: The key is empty, shorter than 32 bytes, or
            public-key material.
        InvalidClaimsError: A ``TypeError``: the payload is not a dict, holds
            a value with no JSON form, or a registered claim of the wrong type.
        InvalidTokenError: ``headers["kid"]`` is not a string.
        ValueError: A header field jwt-accord does not write.
    """
    del sort_headers  # The core's header order is fixed: {"typ", "alg", "kid"}.
    if not isinstance(payload, dict):
        raise InvalidClaimsError(
            "Expecting a dict object, as JWT only supports JSON objects as payloads.",
            details={"found": type(payload).__name__},
        )
    fields = dict(headers or {})
    alg = fields.pop("alg", algorithm)
    if alg != ALGORITHM:
        raise InvalidAlgorithmError(
            f"algorithm {alg!r} is not supported: jwt_accord.pyjwt signs HS256 only",
            details={"argument": "algorithm", "found": repr(alg)},
        )
    if fields.pop("typ", "JWT") != "JWT":
        raise ValueError('jwt_accord.pyjwt: a "typ" header other than "JWT" is not supported')
    kid: bool | str = True
    if "kid" in fields:
        kid = fields.pop("kid")
        if not isinstance(kid, str):
            raise InvalidTokenError("Key ID header parameter must be a string", "malformed")
    if fields:
        raise ValueError(
            f"jwt_accord.pyjwt: header fields {sorted(fields)} are not supported: "
            'the header is {"typ": "JWT", "alg": "HS256", "kid": ...}'
        )
    if json_encoder is not None:
        # As PyJWT: datetimes in exp, nbf and iat are times, whatever the encoder does.
        times = {c: v for c, v in payload.items() if c in _TIME_CLAIMS and isinstance(v, datetime)}
        rest = {c: v for c, v in payload.items() if c not in times}
        payload = {**json.loads(json.dumps(rest, cls=json_encoder)), **times}
    try:
        return _signer(key, kid).sign(payload)
    except _errors.JWTAccordError as error:
        raise _translate(error) from None


def decode_complete(
    jwt: str | bytes,
    key: str | bytes | Resolution = "",
    algorithms: Sequence[str] | None = None,
    options: Mapping[str, Any] | None = None,
    verify: bool | None = None,
    detached_payload: bytes | None = None,
    audience: str | Iterable[str] | None = None,
    issuer: str | Sequence[str] | None = None,
    subject: str | None = None,
    leeway: float | timedelta = 0,
    **kwargs: Any,
) -> dict[str, Any]:
    """Verifies ``jwt`` and returns ``{"header", "payload", "signature"}``, as PyJWT's.

    Args:
        jwt: The token, str or bytes.
        key: The secret, str or bytes of at least 32 bytes, or a
            ``jwt_accord.Resolution`` (all its keys: current, next, previous).
        algorithms: Required, as in PyJWT: ``["HS256"]``. Any other name is
            ``InvalidAlgorithmError``, never ignored.
        options: PyJWT's options (docs/coming-from/pyjwt.md has the table):
            ``require``, ``verify_iss`` and the checks' defaults are honoured;
            turning off a check jwt-accord always runs is a ``ValueError``.
        verify: PyJWT 1's argument: ``False`` is refused like
            ``verify_signature=False``.
        detached_payload: Refused (``ValueError``): not supported.
        audience: Accepted ``aud`` values: a str or an iterable of str.
        issuer: Accepted ``iss`` values: a str or a sequence of str.
        subject: Refused (``ValueError``): compare ``payload["sub"]`` yourself.
        leeway: Clock tolerance in seconds: an int, a float or a timedelta;
            a fraction rounds up to the next second. Not negative.
        kwargs: Refused (``TypeError``); PyJWT warns and ignores them.

    Returns:
        ``{"header": dict, "payload": dict, "signature": bytes}``.

    Raises:
        InvalidTokenError: A subclass per failure, carrying ``.code``.
        InvalidKeyError: The key is refused.
        ValueError: An option or argument jwt-accord cannot honour.
        TypeError: An argument of the wrong type, or an unknown one.
    """
    _refuse_extra("decode", kwargs)
    if verify is False:
        raise _refuse_option("verify_signature", False, ALWAYS_CHECKED["verify_signature"])
    if detached_payload is not None:
        raise ValueError("jwt_accord.pyjwt: detached_payload is not supported")
    if subject is not None:
        raise ValueError(
            'jwt_accord.pyjwt: subject= is not supported: compare payload["sub"] after decode'
        )
    required, check_issuer = _verifier_options(options)
    _check_algorithms(algorithms)
    token = _token_text(jwt)
    try:
        verifier = _verifier(
            key,
            _names(issuer, "issuer") if check_issuer else None,
            _names(audience, "audience"),
            leeway,
            required,
        )
        verified = verifier.verify_full(token)
    except _errors.JWTAccordError as error:
        raise _translate(error) from None
    signature = token.rsplit(".", 1)[1]
    return {
        "header": verified["header"],
        "payload": verified["claims"],
        "signature": base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)),
    }


def decode(
    jwt: str | bytes,
    key: str | bytes | Resolution = "",
    algorithms: Sequence[str] | None = None,
    options: Mapping[str, Any] | None = None,
    verify: bool | None = None,
    detached_payload: bytes | None = None,
    audience: str | Iterable[str] | None = None,
    subject: str | None = None,
    issuer: str | Sequence[str] | None = None,
    leeway: float | timedelta = 0,
    **kwargs: Any,
) -> dict[str, Any]:
    """Verifies ``jwt`` and returns its claims, as PyJWT's ``jwt.decode``.

    The arguments, return value and exceptions are those of
    :func:`decode_complete`, which returns the header and signature too.
    """
    _refuse_extra("decode", kwargs)
    payload: dict[str, Any] = decode_complete(
        jwt,
        key,
        algorithms,
        options,
        verify=verify,
        detached_payload=detached_payload,
        audience=audience,
        issuer=issuer,
        subject=subject,
        leeway=leeway,
    )["payload"]
    return payload


def get_unverified_header(jwt: str | bytes) -> dict[str, Any]:
    """The token's header, verifying NOTHING (as PyJWT's).

    For choosing among keys by ``kid`` or for display, never for an access
    decision. The token must be well formed (``jwt_accord.decode_unverified``).

    Raises:
        DecodeError: The token is malformed or too large.
    """
    try:
        return decode_unverified(_token_text(jwt))["header"]
    except _errors.JWTAccordError as error:
        raise _translate(error) from None
