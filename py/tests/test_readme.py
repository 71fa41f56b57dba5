"""The Python code blocks of py/README.md run, in order, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```$", README.read_text(encoding="utf-8"), re.M | re.S)


def test_readme_has_examples() -> None:
    assert len(BLOCKS) >= 8


def test_readme_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {"__name__": "readme"}
    for number, block in enumerate(BLOCKS, 1):
        code = compile(block, f"{README.name} block {number}", "exec")
        exec(code, namespace)
    printed = capsys.readouterr().out
    assert "jwt-accord environment=staging source=JWT_SECRET_STAGING" in printed
    assert "SecretTooShortError secret_too_short" in printed
    assert "drift critical" in printed
