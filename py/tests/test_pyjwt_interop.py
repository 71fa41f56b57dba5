"""Interop with PyJWT, both ways, with the same options and checks."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any

import jwt
import pytest

import jwt_accord

SECRET = "interop-secret-4b9e1c7a2f8d3e6b0a5c9d2e"
OTHER = "another-secret-that-differs-8c1d4e7f0a3b"
NOW = int(time.time())
CLAIMS: dict[str, Any] = {"sub": "user-1", "scope": "read write", "n": 3, "ok": True}


def pyjwt_decode(token: str, key: str | bytes = SECRET, **kwargs: Any) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(
        token,
        key,
        algorithms=["HS256"],
        issuer="auth",
        audience="api",
        options={"require": ["exp", "iss", "aud"]},
        **kwargs,
    )
    return decoded


def test_our_token_verifies_in_pyjwt() -> None:
    token = jwt_accord.sign(CLAIMS, SECRET, now=NOW, issuer="auth", audience="api", expires_in=900)
    decoded = pyjwt_decode(token)
    assert decoded == {**CLAIMS, "iss": "auth", "aud": "api", "exp": NOW + 900, "iat": NOW}
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "HS256", "typ": "JWT", "kid": jwt_accord.fingerprint(SECRET)}


def test_our_token_from_a_resolution_and_a_bytes_key_verify_in_pyjwt() -> None:
    resolution = jwt_accord.resolve_secret({"ENVIRONMENT": "staging", "JWT_SECRET_STAGING": SECRET})
    for key in (resolution, SECRET.encode(), bytearray(SECRET.encode()), [SECRET, OTHER]):
        signer = jwt_accord.Signer(key, issuer="auth", audience=["api", "web"], expires_in=60)
        assert pyjwt_decode(signer.sign(CLAIMS))["aud"] == ["api", "web"]


def test_our_datetime_claims_match_pyjwt() -> None:
    exp = datetime.now(tz=timezone.utc) + timedelta(minutes=5)
    naive = datetime(2030, 1, 1, 12, 0, 0, 999_999)
    ours = jwt_accord.decode_unverified(
        jwt_accord.sign({"exp": exp, "nbf": naive, "iat": exp}, SECRET)
    )["claims"]
    theirs = jwt.decode(
        jwt.encode({"exp": exp, "nbf": naive, "iat": exp}, SECRET, algorithm="HS256"),
        options={"verify_signature": False},
    )
    assert ours == theirs


def test_pyjwt_token_verifies_in_ours() -> None:
    token = jwt.encode(
        {**CLAIMS, "iss": "auth", "aud": "api", "exp": NOW + 900, "iat": NOW},
        SECRET,
        algorithm="HS256",
    )
    claims = jwt_accord.verify(token, SECRET, issuer="auth", audience="api")
    assert claims == {**CLAIMS, "iss": "auth", "aud": "api", "exp": NOW + 900, "iat": NOW}
    full = jwt_accord.Verifier([OTHER, SECRET], issuer="auth", audience="api").verify_full(token)
    assert full["header"] == {"alg": "HS256", "typ": "JWT"}
    assert full["key_fingerprint"] == jwt_accord.fingerprint(SECRET)


def test_pyjwt_token_with_foreign_kid_verifies_by_trying_each_key() -> None:
    token = jwt.encode(
        {"sub": "u", "exp": NOW + 60}, SECRET, algorithm="HS256", headers={"kid": "2019-key"}
    )
    assert jwt_accord.verify(token, [OTHER, SECRET])["sub"] == "u"


def test_signed_with_another_secret_fails_both_ways() -> None:
    ours = jwt_accord.sign({"sub": "u"}, OTHER, issuer="auth", audience="api", expires_in=60)
    with pytest.raises(jwt.InvalidSignatureError):
        pyjwt_decode(ours)
    theirs = jwt.encode(
        {"sub": "u", "iss": "auth", "aud": "api", "exp": NOW + 60}, OTHER, algorithm="HS256"
    )
    with pytest.raises(jwt_accord.InvalidSignatureError):
        jwt_accord.verify(theirs, SECRET, issuer="auth", audience="api")
    # Our own tokens carry the signer's fingerprint: the mismatch is named.
    with pytest.raises(jwt_accord.UnknownKeyError) as info:
        jwt_accord.verify(ours, SECRET, issuer="auth", audience="api")
    assert info.value.details == {
        "kid": jwt_accord.fingerprint(OTHER),
        "held": [jwt_accord.fingerprint(SECRET)],
    }


@pytest.mark.parametrize("algorithm", ["none", "HS384", "HS512"])
def test_pyjwt_other_algorithms_are_refused(algorithm: str) -> None:
    key = None if algorithm == "none" else SECRET * 2
    token = jwt.encode({"sub": "u", "exp": NOW + 60}, key, algorithm=algorithm)
    with pytest.raises(jwt_accord.InvalidAlgorithmError):
        jwt_accord.verify(token, SECRET * 2)


def _scenarios() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(name, claims, verify options) that fail in both libraries."""
    base = {"sub": "u", "iss": "auth", "aud": "api", "exp": NOW + 60}
    return [
        ("ExpiredSignatureError", {**base, "exp": NOW - 60}, {}),
        ("ImmatureSignatureError", {**base, "nbf": NOW + 600}, {}),
        ("InvalidAudienceError", {**base, "aud": "other"}, {}),
        ("InvalidIssuerError", {**base, "iss": "other"}, {}),
        ("MissingRequiredClaimError", {k: v for k, v in base.items() if k != "exp"}, {}),
    ]


@pytest.mark.parametrize(
    ("name", "claims", "options"), [pytest.param(*s, id=s[0]) for s in _scenarios()]
)
def test_same_failure_same_exception_name(
    name: str, claims: dict[str, Any], options: dict[str, Any]
) -> None:
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    with pytest.raises(getattr(jwt, name)):
        pyjwt_decode(token)
    with pytest.raises(getattr(jwt_accord, name)) as info:
        jwt_accord.verify(token, SECRET, issuer="auth", audience="api", **options)
    assert type(info.value).__name__ == name


def test_garbage_is_decode_error_in_both() -> None:
    for token in ("not-a-token", "a.b", "a.b.c.d"):
        with pytest.raises(jwt.DecodeError):
            pyjwt_decode(token)
        with pytest.raises(jwt_accord.DecodeError):
            jwt_accord.verify(token, SECRET)


def test_leeway_matches_pyjwt() -> None:
    # The clock now, not at import: both libraries verify at the system clock,
    # and the tests before this one may take longer than the 5 s of margin.
    now = int(time.time())
    token = jwt.encode(
        {"sub": "u", "iss": "auth", "aud": "api", "exp": now - 5}, SECRET, algorithm="HS256"
    )
    assert pyjwt_decode(token, leeway=10)["sub"] == "u"
    assert jwt_accord.verify(token, SECRET, issuer="auth", audience="api", leeway=10)["sub"] == "u"
