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
ruff check py benches/python
ruff format --check py benches/python

say "mypy --strict and stubtest"
# From py/ so that mypy reads py/pyproject.toml; the installed package is checked.
(cd py && mypy --no-incremental -p jwt_accord tests)
(cd py && python -m mypy.stubtest jwt_accord --mypy-config-file pyproject.toml)

say "pytest"
python -m pytest py/tests -q -p no:cacheprovider
