#!/usr/bin/env bash
# The python stage (`make test-python`): builds jwt_accord into .venv (pip
# install ./py, cargo dev profile: scripts/build.sh python), then ruff, mypy
# (strict) and mypy.stubtest on the hand-written stub, then pytest (every
# conformance vector, PyJWT interop, the README's examples). With runner
# arguments (`make test-python ARGS='py/tests/test_api.py -k expired'`) only
# pytest runs, with those arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '==> %s\n' "$*" >&2; }

scripts/build.sh python
export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"

if [ $# -gt 0 ]; then
  exec python -m pytest -q -p no:cacheprovider "$@"
fi

say "ruff"
ruff check py
ruff format --check py
ruff check --config py/pyproject.toml benches/python tests/envfiles examples/pyjwt-migration
ruff format --check --config py/pyproject.toml benches/python tests/envfiles examples/pyjwt-migration

say "mypy --strict and stubtest"
# mypy from py/ so that it reads py/pyproject.toml.
(cd py && mypy --no-incremental jwt_accord tests)
# From the root: the installed package (with its .so) is what runs and is checked.
python -m mypy.stubtest jwt_accord --mypy-config-file py/pyproject.toml

say "pytest"
python -m pytest py/tests examples/pyjwt-migration -q -p no:cacheprovider
