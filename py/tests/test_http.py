"""HTTP and WebSocket credentials and refusals (docs/spec.md §17): the values a
host holds (None, a str, a list or tuple of header values) and the answer to a
refused request. The vectors (tests/vectors/http.json) are run by test_vectors.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest

import jwt_accord

SECRET = "http-tests-secret-7c2e9a4b1d8f3e6a5b0c"
NOW = 1_700_000_000
VALID = jwt_accord.sign({"sub": "u1"}, SECRET, now=NOW, expires_in=60)


# Finding the token


@pytest.mark.parametrize(
    "authorization",
    [
        f"Bearer {VALID}",
        [f"Bearer {VALID}"],
        (f"bearer {VALID}",),
        ["", f"  Bearer {VALID} "],
    ],
)
def test_bearer_token_from_a_str_or_a_sequence(authorization: Any) -> None:
    assert jwt_accord.bearer_token(authorization) == VALID


@pytest.mark.parametrize("authorization", [None, "", [], (), ["", " "]])
def test_no_header_is_missing_token(authorization: Any) -> None:
    with pytest.raises(jwt_accord.MissingTokenError) as info:
        jwt_accord.bearer_token(authorization)
    assert info.value.code == "missing_token"
    assert isinstance(info.value, jwt_accord.TokenError)
    assert str(info.value) == "the request carries no token: send Authorization: Bearer <token>"
    assert info.value.details == {}


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        ("Basic dXNlcjpwYXNz", 'the Authorization scheme must be Bearer, found "Basic"'),
        ("Bearer", "the Authorization header holds no token after Bearer"),
        ("Bearer a b", "the Authorization header holds more than one token after Bearer"),
        (["Bearer a", "Bearer b"], "the request carries 2 Authorization headers: send one"),
        ("Bearer a\u00e9b", 'the bearer token holds characters a token cannot: "a\u00e9b"'),
        # A lone surrogate (from surrogateescape) is quoted as U+FFFD.
        ("Bearer a\udcffb", 'the bearer token holds characters a token cannot: "a\ufffd'),
    ],
)
def test_malformed_header_is_invalid_request(authorization: Any, message: str) -> None:
    with pytest.raises(jwt_accord.InvalidRequestError) as info:
        jwt_accord.bearer_token(authorization)
    assert info.value.code == "invalid_request"
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("value", "found"),
    [
        (42, "int"),
        (b"Bearer x", "bytes"),
        (bytearray(b"Bearer x"), "bytearray"),
        ({"Bearer x"}, "set"),
        ({"authorization": "Bearer x"}, "dict"),
    ],
)
def test_header_values_of_the_wrong_type(value: Any, found: str) -> None:
    for function, what in [
        (jwt_accord.bearer_token, "authorization"),
        (jwt_accord.websocket_token, "protocols"),
    ]:
        with pytest.raises(
            TypeError, match=f"^{what} must be None, a str or a sequence of str, not {found}$"
        ):
            function(value)
    with pytest.raises(TypeError, match=f"^cookies must be .*, not {found}$"):
        jwt_accord.cookie_token(value, "session")


def test_a_non_str_header_value_in_the_list() -> None:
    with pytest.raises(TypeError, match=r"^authorization\[1\] must be str, not bytes$"):
        jwt_accord.bearer_token(["Bearer a", b"Bearer b"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^protocols\[0\] must be str, not NoneType$"):
        jwt_accord.websocket_token([None])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^cookies\[0\] must be str, not int$"):
        jwt_accord.cookie_token((1,), "session")  # type: ignore[arg-type]


def test_websocket_token() -> None:
    assert jwt_accord.WEBSOCKET_SUBPROTOCOL == "jwt-accord.bearer"
    assert jwt_accord.WEBSOCKET_CLOSE_CODE == 4401
    assert jwt_accord.websocket_token(f"chat, jwt-accord.bearer, {VALID}") == VALID
    assert jwt_accord.websocket_token(["jwt-accord.bearer", VALID]) == VALID
    for absent in [None, "", "chat", ["chat", "v2"]]:
        with pytest.raises(jwt_accord.MissingTokenError):
            jwt_accord.websocket_token(absent)
    with pytest.raises(jwt_accord.InvalidRequestError, match="with no token after it"):
        jwt_accord.websocket_token("jwt-accord.bearer")


def test_cookie_token() -> None:
    assert jwt_accord.cookie_token(f"theme=dark; session={VALID}", "session") == VALID
    assert jwt_accord.cookie_token(["theme=dark", f"session={VALID}"], "session") == VALID
    assert jwt_accord.cookie_token("theme=dark", "session") is None
    assert jwt_accord.cookie_token(None, "session") is None
    assert jwt_accord.cookie_token([], "session") is None
    with pytest.raises(jwt_accord.InvalidRequestError) as info:
        jwt_accord.cookie_token("session=a b", "session")
    assert str(info.value) == 'the cookie "session" holds characters a token cannot: "a b"'
    with pytest.raises(TypeError, match=r"^name must be str, not bytes$"):
        jwt_accord.cookie_token("session=x", b"session")  # type: ignore[arg-type]


# The challenge


def test_challenge_exposes_messages_by_environment() -> None:
    for environment, exposed in [
        ("production", False),
        ("staging", False),
        ("development", True),
        ("dev", True),
        ("test", True),
    ]:
        challenge = jwt_accord.Challenge("api", environment=environment)
        assert challenge.realm == "api"
        assert challenge.expose_messages is exposed, environment
    assert jwt_accord.Challenge("api", environment="production", expose_messages=True)
    assert not jwt_accord.Challenge(
        "api", environment="test", expose_messages=False
    ).expose_messages
    assert (
        repr(jwt_accord.Challenge("my api", environment="test"))
        == '<Challenge realm="my api" expose_messages=True>'
    )


def test_challenge_argument_errors() -> None:
    with pytest.raises(ValueError, match=r"^the realm must be 1 to 100 printable ASCII"):
        jwt_accord.Challenge("r\u00e9alm", environment="production")
    with pytest.raises(ValueError, match=r"^the realm must be"):
        jwt_accord.Challenge("a" * 101, environment="production")
    with pytest.raises(ValueError, match=r'^environment "key" is reserved'):
        jwt_accord.Challenge("api", environment="key")
    with pytest.raises(TypeError):
        jwt_accord.Challenge("api")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        jwt_accord.Challenge("api", "production")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        jwt_accord.Challenge("api", environment="production", expose_messages="yes")  # type: ignore[arg-type]


# Refusals


def test_refusal_of_a_real_verify_error() -> None:
    challenge = jwt_accord.Challenge("api", environment="production")
    with pytest.raises(jwt_accord.ExpiredSignatureError) as info:
        jwt_accord.verify(VALID, SECRET, now=NOW + 3600)
    refusal = challenge.refusal(info.value)
    assert refusal == jwt_accord.Refusal(
        status=401,
        www_authenticate='Bearer realm="api", error="invalid_token", error_description="expired"',
        body='{"code":"expired"}',
        close_code=4401,
        close_reason="expired",
    )
    assert refusal.headers() == {
        "Content-Type": "application/json",
        "WWW-Authenticate": refusal.www_authenticate,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        refusal.status = 200  # type: ignore[misc]


def test_refusal_with_the_message() -> None:
    challenge = jwt_accord.Challenge("api", environment="development")
    with pytest.raises(jwt_accord.MissingTokenError) as info:
        jwt_accord.bearer_token(None)
    refusal = challenge.refusal(info.value)
    assert refusal.status == 401
    assert refusal.www_authenticate == 'Bearer realm="api"'
    assert json.loads(refusal.body) == {"code": "missing_token", "message": str(info.value)}


def test_refusal_of_an_error_no_request_causes() -> None:
    """The service's own configuration: 500, no challenge, close code 1011."""
    challenge = jwt_accord.Challenge("api", environment="production")
    with pytest.raises(jwt_accord.InvalidKeyError) as info:
        jwt_accord.Verifier("short")
    refusal = challenge.refusal(info.value)
    assert (refusal.status, refusal.www_authenticate, refusal.close_code) == (500, None, 1011)
    assert refusal.body == '{"code":"invalid_key"}'
    assert refusal.headers() == {"Content-Type": "application/json"}
    # Any JWTAccordError, even one with a code the core does not know.
    custom = jwt_accord.JWTAccordError("odd", code="not_a_code")
    assert challenge.refusal(custom).body == '{"code":"internal_error"}'


def test_refusal_of_anything_else_is_a_type_error() -> None:
    challenge = jwt_accord.Challenge("api", environment="production")
    with pytest.raises(TypeError, match=r"^error must be a JWTAccordError"):
        challenge.refusal(ValueError("expired"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        challenge.refusal("expired")  # type: ignore[arg-type]


def test_no_secret_in_any_refusal_even_with_messages() -> None:
    other = "http-tests-other-secret-1f2e3d4c5b6a7980"
    challenge = jwt_accord.Challenge("api", environment="production", expose_messages=True)
    verifier = jwt_accord.Verifier(SECRET, audience="api", issuer="auth")
    foreign = jwt_accord.sign({"sub": "u1"}, other, now=NOW, kid=False)
    failures: list[Callable[[], object]] = [
        lambda: verifier.verify(VALID, now=NOW + 3600),
        lambda: verifier.verify(foreign, now=NOW),
        lambda: verifier.verify(jwt_accord.sign({}, other, now=NOW), now=NOW),
        lambda: verifier.verify(VALID[:-3], now=NOW),
        lambda: jwt_accord.Verifier(SECRET[:20]),
        lambda: jwt_accord.bearer_token(f"Bearer {SECRET} x"),
    ]
    for fail in failures:
        with pytest.raises(jwt_accord.JWTAccordError) as info:
            fail()
        refusal = challenge.refusal(info.value)
        assert "message" in json.loads(refusal.body)
        shown = repr(dataclasses.asdict(refusal))
        for secret in (SECRET, other, SECRET[:20]):
            assert secret not in shown, info.value.code
