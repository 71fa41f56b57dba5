#!/usr/bin/env bash
# The Python package's checks (`make test-python`): build jwt_accord into .venv
# from source (release build, exactly what `pip install ./py` does), then ruff,
# mypy (strict) and mypy.stubtest on the hand-written stub, then pytest (every
# conformance vector, PyJWT interop, the README's examples). Works on a fresh
# clone: scripts/setup.sh creates .venv. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '==> %s\n' "$*" >&2; }

scripts/setup.sh venv
export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
export PYO3_PYTHON="$VIRTUAL_ENV/bin/python"

say "building jwt_accord into .venv (pip install ./py, release)"
pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps --force-reinstall ./py

say "ruff"
ruff check py
ruff format --check py
ruff check --config py/pyproject.toml benches/python
ruff format --check --config py/pyproject.toml benches/python

say "mypy --strict and stubtest"
# mypy from py/ so that it reads py/pyproject.toml.
(cd py && mypy --no-incremental jwt_accord tests)
# From the root: the installed package (with its .so) is what runs and is checked.
python -m mypy.stubtest jwt_accord --mypy-config-file py/pyproject.toml

say "pytest"
python -m pytest py/tests -q -p no:cacheprovider
