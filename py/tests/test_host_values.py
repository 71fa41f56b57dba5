"""The host-value table (tests/host-values.json), shared with the JavaScript suite.

js/test/host-values.test.mjs runs the same cases: NaN, the infinities,
functions, datetimes, mappings, sets, bytes, class instances and cycles, in
claims and in arguments, each with the one outcome docs/bindings.md ("Host
values") decides for every language. Cases marked for other hosts only
(JavaScript's undefined, array holes and BigInt) are not collected here.
"""

from __future__ import annotations

import json
import math
import types
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import jwt_accord

TABLE = json.loads((Path(__file__).parents[2] / "tests" / "host-values.json").read_text("utf-8"))
KEY = "host-values-secret-0123456789abcdef0123456789"
NOW = 1700000000


class Instance:
    """A class of the test's own."""

    def __init__(self) -> None:
        self.field = 1


def host(value: Any) -> Any:
    """The Python value for an abstract one; plain JSON is taken as it is."""
    if isinstance(value, list):
        return [host(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$host" not in value:
        return {key: host(item) for key, item in value.items()}
    kind = value["$host"]
    if kind == "nan":
        return math.nan
    if kind == "inf":
        return math.inf
    if kind == "-inf":
        return -math.inf
    if kind == "absent":
        return None
    if kind == "function":
        return lambda: 1
    if kind == "date":
        return datetime.fromisoformat(value["iso"].replace("Z", "+00:00"))
    if kind == "map":
        return types.MappingProxyType({key: host(item) for key, item in value["entries"]})
    if kind == "set":
        return set(value["items"])
    if kind == "bytes":
        return bytes.fromhex(value["hex"])
    if kind == "instance":
        return Instance()
    if kind == "cycle":
        cycle: dict[str, Any] = {"a": 1}
        cycle["self"] = cycle
        return cycle
    raise AssertionError(f"tests/host-values.json: unknown host value {kind}")


def here(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cases that have a Python value (no test is collected for the others)."""
    return [case for case in cases if "hosts" not in case or "python" in case["hosts"]]


@pytest.mark.parametrize("case", here(TABLE["claims"]), ids=lambda c: c["name"])
def test_claims(case: dict[str, Any]) -> None:
    expect = case["expect"]
    claims = host(case["claims"])
    if "error" not in expect:
        token = jwt_accord.sign(claims, KEY, now=NOW, set_issued_at=False)
        assert jwt_accord.decode_unverified(token)["claims"] == expect["claims"]
        return
    with pytest.raises(jwt_accord.JWTAccordError) as info:
        jwt_accord.sign(claims, KEY, now=NOW, set_issued_at=False)
    assert info.value.code == expect["error"]
    if "claim" in expect:
        assert info.value.details["claim"] == expect["claim"]
    if "path" in expect:
        assert info.value.details["path"] == expect["path"]


@pytest.mark.parametrize("case", here(TABLE["arguments"]), ids=lambda c: c["name"])
def test_arguments(case: dict[str, Any]) -> None:
    value = host(case["value"])
    options: dict[str, Any] = (
        {"now": value} if case["option"] == "now" else {"now": NOW, case["option"]: value}
    )

    def attempt() -> str | dict[str, Any]:
        if case["kind"] == "sign":
            return jwt_accord.sign({"sub": "a"}, KEY, **options)
        token = jwt_accord.sign({"sub": "a"}, KEY, now=NOW, expires_in=60)
        return jwt_accord.verify(token, KEY, **options)

    if case["expect"] == "absent":
        assert attempt() == jwt_accord.sign({"sub": "a"}, KEY, now=NOW)
        return
    assert case["expect"] == "argument_error"
    with pytest.raises((TypeError, ValueError)):
        attempt()
