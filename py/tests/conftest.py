"""Shared helpers: the conformance vectors (read from the repository by relative path)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"


def load_cases(name: str) -> list[dict[str, Any]]:
    """The cases of ``tests/vectors/<name>.json``."""
    data = json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = data["cases"]
    return cases


def vector_params(name: str) -> pytest.MarkDecorator:
    """pytest parameters for every case of a vector file, with readable ids."""
    return pytest.mark.parametrize(
        "case", [pytest.param(case, id=case["name"]) for case in load_cases(name)]
    )


# The resolution input fields this runner passes on (tests/vectors/README.md).
# `files` and `directory` (docs/spec.md §15) need a file reader in the binding:
# a vector using them fails loudly here until the binding supports them.
RESOLUTION_INPUT_FIELDS = {"environment", "variables", "store"}


def check_input_fields(given: dict[str, Any]) -> None:
    """Fails on a resolution input field this runner does not pass on."""
    unknown = set(given) - RESOLUTION_INPUT_FIELDS
    if unknown:
        pytest.fail(f"resolution input fields {sorted(unknown)} are not supported by this runner")


def vector_key(key: str | dict[str, Any]) -> Any:
    """A vector key: a text secret, ``{"hex": ...}`` raw bytes, or
    ``{"resolution": input}``: the resolution of that input (its keys: current,
    next, previous)."""
    if isinstance(key, str):
        return key
    if "resolution" in key:
        import jwt_accord

        given = key["resolution"]
        check_input_fields(given)
        return jwt_accord.resolve_secret(
            given["variables"],
            environment=given.get("environment"),
            secret_store=given.get("store") or None,
        )
    if set(key) != {"hex"}:
        pytest.fail(f"unknown key kind in vector: {sorted(key)}")
    return bytes.fromhex(key["hex"])
