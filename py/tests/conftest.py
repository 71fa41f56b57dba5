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


def vector_key(key: str | dict[str, str]) -> str | bytes:
    """A vector key: a text secret, or ``{"hex": ...}`` raw bytes."""
    if isinstance(key, str):
        return key
    return bytes.fromhex(key["hex"])
