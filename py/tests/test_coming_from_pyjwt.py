"""docs/coming-from/pyjwt.md: its Python blocks run, in order, in one namespace,
and its tables name every argument of PyJWT's encode and decode and every
PyJWT option (issue 20 items 1 and 5)."""

from __future__ import annotations

import inspect
import re
from typing import Any

import jwt
import pytest
from conftest import REPO

DOC = REPO / "docs" / "coming-from" / "pyjwt.md"
TEXT = DOC.read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```$", TEXT, re.M | re.S)
# The first cell of every table row.
FIRST_CELLS = set(re.findall(r"^\| `([a-z_*\[\]\"]+)`", TEXT, re.M))


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 3


def test_the_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {"__name__": "coming_from_pyjwt"}
    for number, block in enumerate(BLOCKS, 1):
        exec(compile(block, f"{DOC.name} block {number}", "exec"), namespace)
    assert capsys.readouterr().out.startswith("token expired ")
    assert namespace["claims"]["sub"] == "ada"


@pytest.mark.parametrize("function", [jwt.encode, jwt.decode])
def test_every_pyjwt_argument_is_in_a_table(function: Any) -> None:
    for name, parameter in inspect.signature(function).parameters.items():
        shown = "**kwargs" if parameter.kind is parameter.VAR_KEYWORD else name
        if name == "headers":
            assert {'headers["kid"]', 'headers["alg"]', 'headers["typ"]'} <= FIRST_CELLS
        else:
            assert shown in FIRST_CELLS, name


def test_every_pyjwt_option_is_in_the_table() -> None:
    options = jwt.types.Options.__annotations__
    assert len(options) >= 11
    assert set(options) <= FIRST_CELLS
