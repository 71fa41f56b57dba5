"""Every conformance vector in tests/vectors/*.json, compared exactly.

Errors are compared on all three of code, message (``str(exc)``) and details;
tokens and the resolution's ``to_json()`` text and summary byte for byte.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from typing import Any

import pytest
from conftest import (
    VECTORS,
    check_input_fields,
    load_cases,
    resolve_input,
    vector_key,
    vector_params,
)

import jwt_accord


def assert_error(exc: jwt_accord.JWTAccordError, expected: dict[str, Any]) -> None:
    assert {"code": exc.code, "message": str(exc), "details": exc.details} == expected


def test_every_vector_file_is_run() -> None:
    files = {p.stem for p in VECTORS.glob("*.json")}
    assert files == {
        "fingerprint",
        "resolution",
        "sign",
        "verify",
        "decode",
        "consistency",
        "publish",
        "http",
    }
    assert all(load_cases(name) for name in files)


@vector_params("fingerprint")
def test_fingerprint(case: dict[str, Any]) -> None:
    secret = case["secret"] if "secret" in case else bytes.fromhex(case["hex"])
    assert jwt_accord.fingerprint(secret) == case["result"]["fingerprint"]
    if isinstance(secret, str):
        assert jwt_accord.fingerprint(secret.encode()) == case["result"]["fingerprint"]


@vector_params("resolution")
def test_resolution(case: dict[str, Any]) -> None:
    given = case["input"]
    result = case["result"]

    def resolve() -> jwt_accord.Resolution:
        resolution: jwt_accord.Resolution = resolve_input(given)
        return resolution

    if "error" in result:
        with pytest.raises(jwt_accord.ResolutionError) as info:
            resolve()
        assert_error(info.value, result["error"])
        return
    resolution = resolve()
    assert resolution.to_json() == result["json"]
    assert resolution.summary() == result["summary"]
    assert str(resolution) == result["summary"]
    # The dict and attribute forms agree with the JSON form.
    form = json.loads(result["json"])
    assert resolution.to_dict() == form
    assert json.dumps(resolution.to_dict(), separators=(",", ":")) == result["json"]
    assert resolution.environment == form["environment"]
    assert resolution.environment_source == form["environment_source"]
    assert resolution.source == form["source"]
    assert resolution.fingerprint == form["fingerprint"]
    assert resolution.keys == form["keys"]
    assert resolution.warnings == form["warnings"]
    assert resolution.candidates == form["candidates"]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, id=case["name"])
        for case in load_cases("resolution")
        if "store" in case["input"]
    ],
)
def test_resolution_with_callable_store(case: dict[str, Any]) -> None:
    """A callable store gives the same result as the mapping."""
    given = case["input"]
    check_input_fields(given)
    store: dict[str, str] = given["store"]
    asked: list[str] = []

    def fetch(name: str) -> str | None:
        asked.append(name)
        return store.get(name)

    def outcome(secret_store: Any) -> Any:
        try:
            return resolve_input(given, secret_store=secret_store).to_json()
        except jwt_accord.JWTAccordError as exc:
            return (exc.code, str(exc))

    assert outcome(fetch) == outcome(store)
    # Only the store entries of the chosen environment and their companions
    # (docs/spec.md §14) are ever asked for, in resolution order.
    assert len(asked) in (0, 9)
    if asked:
        env_entry = asked[0]
        assert env_entry.startswith("jwt-secret-")
        assert asked == [
            f"{name}{suffix}"
            for name in (env_entry, "jwt-secret-key", "jwt-secret")
            for suffix in ("", "-next", "-previous")
        ]


SIGN_OPTIONS = {
    "expires_in",
    "issuer",
    "audience",
    "subject",
    "token_type",
    "not_before",
    "jti",
    "set_issued_at",
    "kid",
}


@vector_params("sign")
def test_sign(case: dict[str, Any]) -> None:
    options = case.get("options") or {}
    assert set(options) <= SIGN_OPTIONS
    keys = [vector_key(k) for k in case["keys"]]
    result = case["result"]
    if "error" in result:
        with pytest.raises(jwt_accord.TokenError) as info:
            jwt_accord.sign(case["claims"], keys, now=case["now"], **options)
        assert_error(info.value, result["error"])
        return
    token = jwt_accord.sign(case["claims"], keys, now=case["now"], **options)
    assert token == result["token"]
    # The reusable signer, and a single key instead of a one-key list, agree.
    assert jwt_accord.Signer(keys, **options).sign(case["claims"], now=case["now"]) == token
    if len(keys) == 1:
        assert jwt_accord.sign(case["claims"], keys[0], now=case["now"], **options) == token


VERIFY_OPTIONS = {
    "issuer",
    "audience",
    "leeway",
    "required",
    "token_type",
    "max_age",
    "max_token_bytes",
}


@vector_params("verify")
def test_verify(case: dict[str, Any]) -> None:
    options = case.get("options") or {}
    assert set(options) <= VERIFY_OPTIONS
    keys = [vector_key(k) for k in case["keys"]]
    result = case["result"]
    token = case["token"] if "token" in case else result["token"]
    now = case["now"]
    if "error" in result:
        with pytest.raises(jwt_accord.TokenError) as info:
            jwt_accord.Verifier(keys, **options).verify_full(token, now=now)
        assert_error(info.value, result["error"])
        with pytest.raises(jwt_accord.TokenError) as again:
            jwt_accord.verify(token, keys, now=now, **options)
        assert_error(again.value, result["error"])
        return
    verifier = jwt_accord.Verifier(keys, **options)
    full = verifier.verify_full(token, now=now)
    assert full == {
        "claims": result["claims"],
        "header": result["header"],
        "key_fingerprint": result["key_fingerprint"],
        "key_slot": result["key_slot"],
    }
    assert verifier.verify(token, now=now) == result["claims"]
    assert jwt_accord.verify(token, keys, now=now, **options) == result["claims"]


@vector_params("decode")
def test_decode(case: dict[str, Any]) -> None:
    result = case["result"]
    token = case["token"] if "token" in case else result["token"]
    if "error" in result:
        with pytest.raises(jwt_accord.TokenError) as info:
            jwt_accord.decode_unverified(token)
        assert_error(info.value, result["error"])
        return
    assert jwt_accord.decode_unverified(token) == {
        "header": result["header"],
        "claims": result["claims"],
    }


@vector_params("consistency")
def test_consistency(case: dict[str, Any]) -> None:
    result = jwt_accord.check_consistency(case["reports"])
    # The text pins the keys' order too (status, level, environments, ...).
    text = json.dumps(result, separators=(",", ":"), ensure_ascii=False)
    assert text == case["result"]["json"]


@vector_params("publish")
def test_publish(case: dict[str, Any]) -> None:
    """The runner of tests/vectors/publish.json, as its ``_comment`` describes."""
    options = case["options"]
    assert set(options) <= VERIFY_OPTIONS
    now = case["now"]
    resolution = resolve_input(case["input"])
    verifier = jwt_accord.Verifier(resolution, **options)
    signer = jwt_accord.Signer(resolution)
    result = case["result"]
    if "error" in result:
        # An argument error: the host's ValueError, in the core's words.
        with pytest.raises(ValueError, match=f"^{re.escape(result['error']['message'])}$"):
            jwt_accord.Service(
                case["service"],
                resolution,
                role=case["role"],
                verifiers=[verifier],
                signers=[signer],
            )
        return
    service = jwt_accord.Service(
        case["service"], resolution, role=case["role"], verifiers=[verifier], signers=[signer]
    )
    for item in case["sign"]:
        # A failing sign counts nothing.
        with contextlib.suppress(jwt_accord.TokenError):
            signer.sign(item["claims"], now=now)
    for item in case["verify"]:
        if "token" in item:
            token = item["token"]
        else:
            token = jwt_accord.Signer(item["key"]).sign(item["claims"], now=now)
        with contextlib.suppress(jwt_accord.TokenError):
            verifier.verify(token, now=now)
    assert service.report_json() == result["report"]
    assert service.report() == json.loads(result["report"])
    assert service.metrics() == result["metrics"]


@vector_params("http")
def test_http(case: dict[str, Any]) -> None:
    """The runner of tests/vectors/http.json, as its ``_comment`` describes."""
    options = case["options"]
    assert set(options) <= VERIFY_OPTIONS
    result = case["result"]

    def challenge() -> jwt_accord.Challenge:
        return jwt_accord.Challenge(
            case["realm"],
            environment=case["environment"],
            expose_messages=case.get("expose_messages"),
        )

    if "error" in result:
        # A refused realm: the host's ValueError, in the core's words.
        with pytest.raises(ValueError, match=f"^{re.escape(result['error']['message'])}$"):
            challenge()
        return
    answer = challenge()

    def token() -> str:
        if "websocket_protocols" in case:
            return jwt_accord.websocket_token(case["websocket_protocols"])
        try:
            return jwt_accord.bearer_token(case.get("authorization"))
        except jwt_accord.MissingTokenError:
            if "cookie_name" not in case:
                raise
            found = jwt_accord.cookie_token(case.get("cookies"), case["cookie_name"])
            if found is None:
                raise
            return found

    def outcome() -> dict[str, Any] | jwt_accord.JWTAccordError:
        try:
            keys = [vector_key(k) for k in case["keys"]]
            verifier = jwt_accord.Verifier(keys, **options)
            return {"claims": verifier.verify(token(), now=case["now"])}
        except jwt_accord.JWTAccordError as exc:
            return exc

    got = outcome()
    if isinstance(got, jwt_accord.JWTAccordError):
        refusal = answer.refusal(got)
        assert refusal.www_authenticate is None or refusal.www_authenticate.isascii()
        got = dataclasses.asdict(refusal)
    assert got == result
