"""A marker secret never appears in repr, str, the JSON or dict forms, or any
exception's message, arguments or details."""

from __future__ import annotations

import json
import pickle
import traceback
from collections.abc import Callable
from typing import Any

import pytest

import jwt_accord

MARKER = "MARKERq7w2e9r4t1y8u3i6o0p5a"  # 28 characters: secrets below embed it
LONG = f"{MARKER}-long-enough-secret"
TOO_SHORT = MARKER[:20]
PEM = f"-----BEGIN PUBLIC KEY-----{MARKER}"
PLACEHOLDER = f"your-{MARKER}-secret"


def shown(value: Any) -> str:
    """Everything a log line or an error report could show of ``value``."""
    parts = [repr(value), str(value)]
    if isinstance(value, BaseException):
        parts += [repr(value.args), "".join(traceback.format_exception_only(type(value), value))]
        details = getattr(value, "details", {})
        parts.append(json.dumps(details, default=repr))
        parts.append(repr(pickle.loads(pickle.dumps(value)).__dict__))
    if isinstance(value, jwt_accord.Resolution):
        parts += [value.to_json(), json.dumps(value.to_dict()), value.summary()]
        parts += [repr(value.source), repr(value.warnings), repr(value.candidates)]
    if isinstance(value, (jwt_accord.Signer, jwt_accord.Verifier)):
        parts.append(repr(dir(value)))
    return "\n".join(parts)


def assert_hidden(value: Any) -> None:
    text = shown(value)
    # No part of it either: the first 12 characters are already too many.
    assert MARKER[:12] not in text, text


def raised(action: Callable[[], Any]) -> BaseException:
    with pytest.raises(Exception) as info:  # noqa: PT011 - any exception, inspected below
        action()
    return info.value


@pytest.mark.parametrize(
    "variables",
    [
        {"ENVIRONMENT": "staging", "JWT_SECRET_STAGING": LONG},
        {
            "ENVIRONMENT": "staging",
            "JWT_SECRET_STAGING": f"  {LONG}\n",
            "JWT_SECRET_KEY": MARKER * 2,
        },
        {"ENVIRONMENT": "dev", "JWT_SECRET": TOO_SHORT, "JWT_SECRET_PRODUCTION": TOO_SHORT},
        {"ENVIRONMENT": "test", "JWT_SECRET_KEY": PLACEHOLDER},
        {"ENVIRONMENT": "staging", "JWT_SECRET_STAGING": LONG, "JWT_SECRET_PROD": LONG + "x"},
    ],
)
def test_resolution_forms(variables: dict[str, str]) -> None:
    resolution = jwt_accord.resolve_secret(variables)
    assert_hidden(resolution)
    assert MARKER[:12] in resolution.expose_secret()  # reachable only by name


@pytest.mark.parametrize(
    ("variables", "error"),
    [
        ({"ENVIRONMENT": "production", "JWT_SECRET_KEY": TOO_SHORT}, "secret_too_short"),
        ({"ENVIRONMENT": "production", "JWT_SECRET_KEY": PEM}, "insecure_secret"),
        ({"ENVIRONMENT": "production", "JWT_SECRET_KEY": PLACEHOLDER}, "insecure_secret"),
        (
            {"ENVIRONMENT": "staging", "JWT_SECRET_STAGING": LONG, "JWT_SECRET_PROD": LONG},
            "secret_reused_across_environments",
        ),
        ({"ENVIRONMENT": MARKER + "!"}, "environment_invalid"),
        ({"ENVIRONMENT": "production", "JWT_SECRET_KEY": " \n"}, "secret_missing"),
    ],
)
def test_resolution_errors(variables: dict[str, str], error: str) -> None:
    exc = raised(lambda: jwt_accord.resolve_secret(variables))
    assert isinstance(exc, jwt_accord.ResolutionError)
    assert exc.code == error
    if error != "environment_invalid":  # that one quotes the environment name, not a secret
        assert_hidden(exc)


def test_store_values() -> None:
    store = {"jwt-secret-staging": LONG, "jwt-secret": MARKER * 2}
    resolution = jwt_accord.resolve_secret({"ENVIRONMENT": "staging"}, secret_store=store)
    assert_hidden(resolution)
    exc = raised(
        lambda: jwt_accord.resolve_secret(
            {"ENVIRONMENT": "production"}, secret_store={"jwt-secret-key": TOO_SHORT}
        )
    )
    assert_hidden(exc)


@pytest.mark.parametrize("key", [TOO_SHORT, PEM, TOO_SHORT.encode(), f"ssh-rsa {MARKER}"])
def test_invalid_keys(key: str | bytes) -> None:
    for action in (
        lambda: jwt_accord.Signer(key),
        lambda: jwt_accord.Verifier([LONG, key]),
        lambda: jwt_accord.sign({"sub": "u"}, key),
        lambda: jwt_accord.verify("a.b.c", key),
    ):
        exc = raised(action)
        assert isinstance(exc, jwt_accord.InvalidKeyError)
        assert_hidden(exc)


def test_token_errors_and_objects() -> None:
    signer = jwt_accord.Signer(LONG, expires_in=60)
    verifier = jwt_accord.Verifier(MARKER * 2)
    assert_hidden(signer)
    assert_hidden(verifier)
    token = signer.sign({"sub": "u"})
    for action in (
        lambda: verifier.verify(token),  # unknown_key: fingerprints only
        lambda: jwt_accord.Verifier([MARKER * 2, MARKER * 3]).verify(
            jwt_accord.sign({"exp": 1}, LONG, kid=False)
        ),  # invalid_signature
        lambda: jwt_accord.verify(token, LONG, now=10**10),  # expired
        lambda: signer.sign({"exp": "x"}),
        lambda: signer.sign({"k": {MARKER}}),
    ):
        assert_hidden(raised(action))


def test_objects_holding_a_secret_do_not_pickle() -> None:
    resolution = jwt_accord.resolve_secret({"ENVIRONMENT": "staging", "JWT_SECRET_STAGING": LONG})
    for value in (resolution, jwt_accord.Signer(LONG), jwt_accord.Verifier(LONG)):
        with pytest.raises(TypeError):
            pickle.dumps(value)
