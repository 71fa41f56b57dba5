"""What resolve_secret reads from its environment (docs/decisions.md, issue 14 item 2).

Only the variables the resolver reads are looked up, one name at a time; a
value read that is not valid UTF-8 is refused (``invalid_value``), as in the
Node, WASM and CLI builds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping

import pytest

import jwt_accord

STAGING = "staging-secret-7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e"


class Recording(Mapping[str, str]):
    """A mapping that records every key read and every listing of its keys."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = entries
        self.read: list[str] = []

    def __getitem__(self, name: str) -> str:
        self.read.append(name)
        return self.entries[name]

    def __iter__(self) -> Iterator[str]:
        self.read.append("<listed>")
        return iter(self.entries)

    def __len__(self) -> int:
        self.read.append("<listed>")
        return len(self.entries)


@pytest.mark.parametrize("explicit", [None, "staging"])
def test_an_unrelated_variable_never_leaves_python(explicit: str | None) -> None:
    environ = Recording(
        {
            "ENVIRONMENT": "staging",
            "JWT_SECRET_STAGING": STAGING,
            "UNRELATED_SECRET": "an-unrelated-secret-that-must-stay-in-python",
        }
    )
    resolution = jwt_accord.resolve_secret(environ, environment=explicit)
    assert resolution.source == {"kind": "variable", "name": "JWT_SECRET_STAGING"}
    assert "UNRELATED_SECRET" not in environ.read
    assert "<listed>" not in environ.read
    assert ("ENVIRONMENT" in environ.read) == (explicit is None)
    assert environ.read[-1].startswith("JWT_SECRET_")  # the reuse check's names too


def test_a_surrogate_escaped_value_is_invalid_value() -> None:
    environ = {"ENVIRONMENT": "staging", "JWT_SECRET_STAGING": STAGING + "\udcff"}
    with pytest.raises(jwt_accord.InvalidValueError) as raised:
        jwt_accord.resolve_secret(environ)
    assert raised.value.code == "invalid_value"
    assert raised.value.details == {"kind": "variable", "name": "JWT_SECRET_STAGING"}
    assert STAGING not in str(raised.value)


def test_a_value_not_read_may_hold_anything() -> None:
    environ = {"JWT_SECRET_STAGING": STAGING, "OTHER": "\udcff", "JWT_SECRET_X": "\udcff"}
    assert jwt_accord.resolve_secret(environ, environment="staging").fingerprint


CHILD = """
import json, jwt_accord
try:
    resolution = jwt_accord.resolve_secret()
    print(json.dumps({"source": resolution.source["name"]}))
except jwt_accord.JWTAccordError as error:
    print(json.dumps({"code": error.code, "details": error.details}))
"""


def resolve_in_process(environment: dict[bytes, bytes]) -> dict[str, object]:
    """resolve_secret() in a new interpreter whose process environment is exactly `environment`."""
    env = {b"PATH": os.environb.get(b"PATH", b"/usr/bin:/bin"), **environment}
    for name in (b"PYTHONPATH", b"VIRTUAL_ENV", b"SYSTEMROOT"):
        if name in os.environb:
            env[name] = os.environb[name]
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, check=True, timeout=60
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_a_non_utf8_process_environment_value_is_refused() -> None:
    result = resolve_in_process(
        {
            b"ENVIRONMENT": b"staging",
            b"JWT_SECRET_STAGING": b"staging-secret-\xff-7f3a9c2e5b8d1f4a6c0e9b2d7a5f",
        }
    )
    assert result == {
        "code": "invalid_value",
        "details": {"kind": "variable", "name": "JWT_SECRET_STAGING"},
    }


def test_a_non_utf8_environment_variable_is_refused() -> None:
    result = resolve_in_process(
        {b"ENVIRONMENT": b"stag\xe9ing", b"JWT_SECRET_STAGING": STAGING.encode()}
    )
    assert result == {
        "code": "invalid_value",
        "details": {"kind": "variable", "name": "ENVIRONMENT"},
    }


def test_a_non_utf8_value_the_resolver_does_not_read_is_ignored() -> None:
    result = resolve_in_process(
        {
            b"ENVIRONMENT": b"staging",
            b"JWT_SECRET_STAGING": STAGING.encode(),
            b"UNRELATED": b"\xff\xfe",
        }
    )
    assert result == {"source": "JWT_SECRET_STAGING"}
