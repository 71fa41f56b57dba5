"""Keyword arguments from other JWT libraries' habits, given to the main API.

The native ``sign``, ``verify``, ``Signer`` and ``Verifier`` hand every keyword
argument their signature does not declare to :func:`check`. It accepts the
idioms that are safe and unambiguous (``algorithm="HS256"`` when signing,
``algorithms=["HS256"]`` when verifying), refuses any other algorithm with
``InvalidAlgorithmError`` (``unsupported_algorithm``), and raises a
``TypeError`` naming the argument to use for everything else, as the Node
wrapper does (docs/decisions.md, "Habits from other libraries").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from jwt_accord._errors import InvalidAlgorithmError

__all__ = ["ALGORITHM", "ALWAYS_CHECKED", "STRICT_AUD", "algorithm_names", "check"]

#: The one algorithm (docs/spec.md §8).
ALGORITHM = "HS256"

_SIGN = (
    "now",
    "expires_in",
    "issuer",
    "audience",
    "subject",
    "token_type",
    "not_before",
    "jti",
    "set_issued_at",
    "kid",
    "algorithm",
)
_VERIFY = (
    "now",
    "issuer",
    "audience",
    "leeway",
    "required",
    "token_type",
    "max_age",
    "max_token_bytes",
    "algorithms",
)
_DECLARED = {"sign": _SIGN, "Signer": _SIGN[1:], "verify": _VERIFY, "Verifier": _VERIFY[1:]}

#: Checks jwt-accord always runs, which PyJWT's ``options`` can turn off:
#: why they cannot be, and what to do instead.
ALWAYS_CHECKED = {
    "verify_signature": (
        "jwt-accord always verifies the signature; to read a token without verifying it "
        "(for display, never for an access decision) use jwt_accord.decode_unverified(token)"
    ),
    "verify_exp": "jwt-accord always checks exp when present; give leeway=seconds for clock skew",
    "verify_nbf": "jwt-accord always checks nbf when present; give leeway=seconds for clock skew",
    "verify_iat": "jwt-accord always checks iat when present; give leeway=seconds for clock skew",
    "verify_aud": (
        "jwt-accord refuses a token carrying aud unless audience= names one of its values "
        "(RFC 7519 section 4.1.3); give audience=..."
    ),
    "verify_sub": "jwt-accord always checks that sub is a string",
    "verify_jti": "jwt-accord always checks that jti is a string",
}
#: Why ``strict_aud=True`` cannot be honoured.
STRICT_AUD = "audience matching is 'shares one value' (a list aud is accepted)"
_VERIFY_OFF = {
    **ALWAYS_CHECKED,
    "verify_iss": "iss is checked only when issuer= is given: leave issuer= out",
    "strict_aud": STRICT_AUD,
    "enforce_minimum_key_length": "keys shorter than 32 bytes are always refused",
}
_NOT_OFF = "cannot be turned off: jwt-accord always checks it"

# Names from PyJWT, jsonwebtoken (Node) and common spellings -> what to use.
_SIGN_HABITS = {
    "headers": (
        'kid="..." for your own kid, kid=False for none (the default, kid=True, is the key\'s '
        'fingerprint); the header is always {"typ": "JWT", "alg": "HS256", "kid": ...}'
    ),
    "algorithms": 'algorithm="HS256", or nothing: HS256 is the only algorithm',
    "exp": 'expires_in=seconds, or an "exp" claim',
    "expires": "expires_in=seconds",
    "expires_delta": "expires_in=timedelta(...)",
    "expiresIn": "expires_in=seconds",
    "expires_after": "expires_in=seconds",
    "ttl": "expires_in=seconds",
    "lifetime": "expires_in=seconds",
    "nbf": 'not_before=seconds, or an "nbf" claim',
    "notBefore": "not_before=seconds",
    "iss": "issuer=",
    "aud": "audience=",
    "sub": "subject=",
    "jwtid": "jti=",
    "jwt_id": "jti=",
    "typ": 'token_type= (a claim; the "typ" header is always "JWT")',
    "type": "token_type=",
    "tokenType": "token_type=",
    "iat": 'set_issued_at=True (the default) or an "iat" claim',
    "noTimestamp": "set_issued_at=False",
    "keyid": "kid=",
    "key_id": "kid=",
    "json_encoder": "nothing: convert the values first, claims are JSON values",
    "sort_headers": "nothing: the header order is fixed",
    "payload": "claims, the first argument",
    "secret": "key, the second argument",
}
_VERIFY_HABITS = {
    "options": "",  # Worded from its content by _options_hint.
    "algorithm": 'algorithms=["HS256"], or nothing: HS256 is the only algorithm',
    "require": "required=[...]",
    "iss": "issuer=",
    "aud": "audience=",
    "clock_tolerance": "leeway=seconds",
    "clockTolerance": "leeway=seconds",
    "clock_skew": "leeway=seconds",
    "maxAge": "max_age=seconds",
    "tokenType": "token_type=",
    "subject": 'nothing: verify does not check sub; compare claims["sub"] after verify',
    "sub": 'nothing: verify does not check sub; compare claims["sub"] after verify',
    "ignoreExpiration": f"nothing: exp {_NOT_OFF}",
    "ignore_expiration": f"nothing: exp {_NOT_OFF}",
    "complete": "Verifier(...).verify_full(token) for the header and key fingerprint too",
    "secret": "key, the second argument",
    **{name: f"nothing: {why}" for name, why in _VERIFY_OFF.items()},
}
_HABITS = {"sign": _SIGN_HABITS, "Signer": _SIGN_HABITS}
_HABITS |= {"verify": _VERIFY_HABITS, "Verifier": _VERIFY_HABITS}


def algorithm_names(value: object) -> list[object]:
    """The names an ``algorithm`` or ``algorithms`` value gives (a str is one name)."""
    if isinstance(value, (str, bytes)) or value is None:
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def _refuse_algorithms(argument: str, value: object) -> None:
    names = algorithm_names(value)
    others = [name for name in names if name != ALGORITHM]
    if names and not others:
        return
    shown = repr(others[0]) if others else "no algorithm"
    raise InvalidAlgorithmError(
        f"{argument}={value!r} names {shown}: jwt-accord signs and verifies HS256 only; "
        f"give {argument}={'HS256' if argument == 'algorithm' else ['HS256']!r} or leave it out",
        details={"argument": argument, "found": repr(value)},
    )


def _options_hint(options: object) -> str:
    """What to use instead of PyJWT's ``options`` dict, for each key given."""
    if not isinstance(options, Mapping) or not options:
        return "keyword arguments (required=[...], leeway=..., issuer=..., audience=...)"
    parts = []
    for key, value in options.items():
        if key == "require":
            parts.append(f"required={list(value)!r}")
        elif key in _VERIFY_OFF and value:
            parts.append(f"nothing for {key}=True (the default)")
        elif key in _VERIFY_OFF:
            parts.append(f"{key}={value!r} is refused: {_VERIFY_OFF[key]}")
        else:
            parts.append(f"{key!r} is not a PyJWT option")
    return "; ".join(parts)


def check(function: str, extra: Mapping[str, Any]) -> None:
    """Checks keyword arguments ``function`` does not declare.

    Args:
        function: ``"sign"``, ``"Signer"``, ``"verify"`` or ``"Verifier"``.
        extra: The undeclared keyword arguments and their values.

    Raises:
        InvalidAlgorithmError: ``algorithm`` (signing) or ``algorithms``
            (verifying) names another algorithm than HS256.
        TypeError: Any other undeclared argument; the message names the
            argument to use, and says ``jwt_accord.pyjwt`` takes PyJWT's API.
    """
    accepted = "algorithm" if function in ("sign", "Signer") else "algorithms"
    problems = []
    for name, value in extra.items():
        if name == accepted:
            _refuse_algorithms(name, value)
            continue
        hint = _HABITS[function].get(name)
        if name == "options":
            hint = _options_hint(value)
        if hint is None:
            close = difflib.get_close_matches(name, _DECLARED[function], n=1)
            hint = f"{close[0]}=" if close else "one of " + ", ".join(_DECLARED[function])
        problems.append(f"{name!r}: use {hint}")
    if problems:
        raise TypeError(
            f"{function}() got an unexpected keyword argument "
            + "; ".join(problems)
            + " (jwt_accord.pyjwt takes PyJWT's encode/decode arguments)"
        )
