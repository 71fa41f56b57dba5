"""Shared helpers: the conformance vectors (read from the repository by relative path)."""

from __future__ import annotations

import json
from collections.abc import Callable
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
RESOLUTION_INPUT_FIELDS = {"environment", "variables", "store", "directory", "files"}


def check_input_fields(given: dict[str, Any]) -> None:
    """Fails on a resolution input field this runner does not pass on."""
    unknown = set(given) - RESOLUTION_INPUT_FIELDS
    if unknown:
        pytest.fail(f"resolution input fields {sorted(unknown)} are not supported by this runner")


def vector_files(files: dict[str, Any]) -> Callable[[str], bytes | str]:
    """A ``read_file`` over a vector's ``files`` map: text, ``{"hex"}`` bytes,
    ``{"error": reason}`` a failed read; a path not listed is not found."""

    def read_file(path: str) -> bytes | str:
        if path not in files:
            raise FileNotFoundError(2, "No such file or directory", path)
        entry = files[path]
        if isinstance(entry, str):
            return entry
        if set(entry) == {"hex"}:
            return bytes.fromhex(entry["hex"])
        if set(entry) == {"error"}:
            # An OSError without errno: its text is the reason, as given.
            raise OSError(entry["error"])
        pytest.fail(f"unknown file entry in vector: {sorted(entry)}")

    return read_file


def resolve_input(given: dict[str, Any], **store: Any) -> Any:
    """Resolves a vector's resolution input: ``store`` absent means no store,
    ``directory`` a directory store, and files always come from the ``files``
    map (never the real file system). ``secret_store=`` overrides the store."""
    import jwt_accord

    check_input_fields(given)
    if not store:
        store = {"secret_store": given.get("store"), "secret_dir": given.get("directory")}
    return jwt_accord.resolve_secret(
        given["variables"],
        environment=given.get("environment"),
        read_file=vector_files(given.get("files") or {}),
        **store,
    )


def vector_key(key: str | dict[str, Any]) -> Any:
    """A vector key: a text secret, ``{"hex": ...}`` raw bytes, or
    ``{"resolution": input}``: the resolution of that input (its keys: current,
    next, previous)."""
    if isinstance(key, str):
        return key
    if "resolution" in key:
        return resolve_input(key["resolution"])
    if set(key) != {"hex"}:
        pytest.fail(f"unknown key kind in vector: {sorted(key)}")
    return bytes.fromhex(key["hex"])
