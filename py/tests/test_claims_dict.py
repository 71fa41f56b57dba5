"""Claims dicts in and out of the binding, by its fast routes and its general ones.

``verify``: the binding reads claims of the common shape (strings without
escapes, integers of up to 18 digits, booleans, null, arrays and objects)
directly (the core's ``token::plain_json`` reader, building Python objects in
bindings/python/src/plain_json.rs) and hands any other text to serde_json.
Both routes must give the same values, of the same types, in the text's key
order: each case is checked against ``decode_unverified`` (the core's parsed
map, converted by another route) and ``json.loads`` for order.

``sign``: a plain ``dict`` of scalar values is read in one pass
(``flat_dict`` in convert.rs); a dict subclass takes the general route. Both
must give the same token, and the same refusal.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest

import jwt_accord

KEY = "claims-dict-secret-0123456789abcdef0123456789"
NOW = 1_700_000_000
HEADER = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")


def token(payload: str) -> str:
    """An HS256 token over exactly ``payload`` (no re-serialisation)."""
    body = base64.urlsafe_b64encode(payload.encode()).rstrip(b"=")
    signing_input = HEADER + b"." + body
    tag = hmac.digest(KEY.encode(), signing_input, hashlib.sha256)
    return (signing_input + b"." + base64.urlsafe_b64encode(tag).rstrip(b"=")).decode()


def typed(value: Any) -> Any:
    """``value`` with every scalar paired with its type, keys in order."""
    if isinstance(value, dict):
        return [(k, typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, repr(value))


PAYLOADS = [
    # The plain shape: read directly.
    '{"sub":"user-1234","scope":"read write","role":"admin","exp":1700000900}',
    '{"z":"last","a":"first","m":""}',
    '{"name":"Zoë 名前 😀","n":0,"neg":-7,"big":999999999999999999,"small":-999999999999999999}',
    '{"t":true,"f":false,"nothing":null,"auds":["a","b"],"o":{"k":[1,[2,{}],[]]}}',
    ' {\t"spaced" :\n"yes" ,\r"n" : 1 } ',
    "{}",
    # Other shapes: serde_json reads them.
    '{"quote":"a\\"b","slash":"a\\/b","nl":"a\\nb","u":"\\u00e9\\ud83d\\ude00"}',
    '{"f":1.5,"e":1e3,"E":-2E-2,"zero":0.0,"negzero":-0.0}',
    '{"minus_zero":-0}',
    '{"d19":1234567890123456789,"max":18446744073709551615,"min":-9223372036854775808}',
    '{"over":18446744073709551616,"under":-9223372036854775809}',
    '{"nested":[{"a":"\\t"}],"after":"plain"}',
    '{"deep":' + "[" * 100 + "]" * 100 + "}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_claims_match_the_parsed_map(payload: str) -> None:
    verifier = jwt_accord.Verifier(KEY, required=[])
    signed = token(payload)
    claims = verifier.verify(signed, now=NOW)
    parsed = jwt_accord.decode_unverified(signed)["claims"]
    assert claims == parsed
    assert typed(claims) == typed({k: parsed[k] for k in claims})
    assert list(claims) == list(json.loads(payload))
    full = verifier.verify_full(signed, now=NOW)["claims"]
    assert typed(full) == typed(claims)


def test_signed_claims_come_back() -> None:
    signer = jwt_accord.Signer(KEY, expires_in=60, issuer="auth")
    claims = {"sub": "user-1234", "roles": ["a", "b"], "n": -3, "ok": True, "x": None}
    verified = jwt_accord.Verifier(KEY, issuer="auth").verify(signer.sign(claims, now=NOW), now=NOW)
    assert verified == {**claims, "iss": "auth", "exp": NOW + 60, "iat": NOW}


class Claims(dict):  # type: ignore[type-arg]
    """A dict subclass: converted the general way, not by the flat-dict path."""


FLAT = [
    {},
    {"sub": "user-1234", "scope": "read write", "role": "admin"},
    {"i": 2**63 - 1, "j": -(2**63), "u": 2**64 - 1, "z": 0, "b": True, "c": False, "n": None},
    {"f": 0.1, "g": -0.0, "h": 1e300, "name": "Zoë 名前 😀", "q": 'a"b\\c\n'},
    {"nested": ["not", "flat"], "after": 1},
]


@pytest.mark.parametrize("claims", FLAT)
def test_flat_dicts_sign_as_any_dict(claims: dict[str, Any]) -> None:
    signer = jwt_accord.Signer(KEY, expires_in=60)
    assert signer.sign(claims, now=NOW) == signer.sign(Claims(claims), now=NOW)


@pytest.mark.parametrize(
    "claims",
    [{"big": 2**64}, {"nan": float("nan")}, {"s": "\ud800"}, {"k\ud800": 1}, {1: "x"}],
)
def test_flat_dicts_refused_as_any_dict(claims: dict[Any, Any]) -> None:
    signer = jwt_accord.Signer(KEY)
    with pytest.raises(jwt_accord.InvalidClaimsError) as flat:
        signer.sign(claims, now=NOW)
    with pytest.raises(jwt_accord.InvalidClaimsError) as general:
        signer.sign(Claims(claims), now=NOW)
    assert str(flat.value) == str(general.value)
