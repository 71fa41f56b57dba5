#!/usr/bin/env bash
# The dist stage (`make test-dist`): builds the release artifacts
# (scripts/dist.sh python cli), then installs each one as a user would, with no
# Rust toolchain on PATH (cargo, rustc and ~/.cargo/bin left out; checked):
#
#   - the wheel, into a fresh venv with pytest from PyPI: the conformance
#     vectors (py/tests/test_vectors.py) run against the installed package, from a
#     copy of the tests outside the source tree (which file was imported is printed
#     and checked to be the venv's);
#   - the static CLI, in an empty environment (env -i): --version and the drift
#     demo (scripts/demo.sh with JWT_ACCORD_CLI);
#   - the sdist, which needs cargo to build: pip installs it into another fresh
#     venv with cargo on PATH (target dir target/sdist-check, so the registry
#     crates compile once per machine), and the same vectors run against it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
say() { printf '==> %s\n' "$*" >&2; }
die() {
  printf '!! dist: %s\n' "$*" >&2
  exit 1
}

scripts/dist.sh python cli

# The interpreter behind python3 (pyenv's shim is a script that may look for more).
PYTHON=$(python3 -c 'import sys; print(sys.executable)')
PYTEST_PIN=$(grep -x 'pytest==[0-9.]*' py/requirements-dev.txt) || die "no pytest pin in py/requirements-dev.txt"
wheel=$(ls dist/python/*.whl)
sdist=$(ls dist/python/*.tar.gz)
cli=$(ls dist/cli/jwt-accord-* | grep -v '\.sha256$\|\.glibc-floor$')

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A PATH without any Rust toolchain: the system's directories and the interpreter's.
CLEAN_PATH=$(dirname "$PYTHON"):/usr/local/bin:/usr/bin:/bin
# no_rust COMMAND...: runs COMMAND with CLEAN_PATH and no Rust or venv variables,
# after checking that cargo and rustc cannot be found.
no_rust() {
  env -u CARGO_HOME -u RUSTUP_HOME -u RUSTUP_TOOLCHAIN -u CARGO_TARGET_DIR -u VIRTUAL_ENV \
    -u PYTHONPATH PATH="$CLEAN_PATH" bash -c \
    '! type -P cargo >/dev/null && ! type -P rustc >/dev/null || { echo "cargo or rustc on PATH: $(type -P cargo rustc)" >&2; exit 1; }; exec "$@"' \
    no_rust "$@"
}

# The vector tests outside the source tree: conftest.py finds the vectors two
# folders up (tmp/tree/tests/vectors), and no jwt_accord folder is near them.
mkdir -p "$tmp/tree/py/tests" "$tmp/tree/tests"
cp py/tests/conftest.py py/tests/test_vectors.py "$tmp/tree/py/tests/"
cp -r tests/vectors "$tmp/tree/tests/vectors"

# vectors VENV RUN: the vector tests with VENV's python, with RUN (no_rust or env).
vectors() {
  local venv=$1 run=$2 imported
  imported=$(cd "$tmp" && $run "$venv/bin/python" -c 'import jwt_accord; print(jwt_accord.__file__)')
  echo "imported: $imported"
  [[ $imported == "$venv"/lib/*/site-packages/jwt_accord/__init__.py ]] ||
    die "jwt_accord came from $imported, not from $venv"
  (cd "$tmp/tree" && $run "$venv/bin/python" -m pytest py/tests -q -p no:cacheprovider \
    --rootdir "$tmp/tree")
}

say "the wheel: $(basename "$wheel"), into a fresh venv, no Rust toolchain on PATH"
t0=$SECONDS
no_rust bash -c 'echo "PATH=$PATH (cargo: $(type -P cargo || echo absent), rustc: $(type -P rustc || echo absent))"'
no_rust "$PYTHON" -m venv "$tmp/wheel-venv"
no_rust "$tmp/wheel-venv/bin/pip" install -q --disable-pip-version-check "$ROOT/$wheel" "$PYTEST_PIN"
vectors "$tmp/wheel-venv" no_rust
say "the wheel: $((SECONDS - t0)) s"

say "the CLI: $(basename "$cli"), in an empty environment"
clean_env=(env -i HOME="$tmp" PATH=/usr/bin:/bin NO_COLOR=1)
"${clean_env[@]}" bash -c '! type -P cargo >/dev/null' || die "cargo on the CLI's PATH"
(cd dist/cli && sha256sum -c --quiet "$(basename "$cli").sha256")
version=$("${clean_env[@]}" "$ROOT/$cli" --version)
echo "$version"
grep -q "$(basename "$cli" | cut -d- -f3)" <<<"$version" || die "--version says $version"
log=$tmp/demo.log
if "${clean_env[@]}" JWT_ACCORD_CLI="$ROOT/$cli" scripts/demo.sh >"$log" 2>&1; then
  echo "demo: ok ($(grep -c '^\[exit ' "$log") commands, each with the expected exit status)"
else
  cat "$log"
  die "the demo failed with $cli"
fi

say "the sdist: $(basename "$sdist"), pip install into a fresh venv (needs cargo: on PATH here)"
t0=$SECONDS
"$PYTHON" -m venv "$tmp/sdist-venv"
CARGO_TARGET_DIR=$ROOT/target/sdist-check "$tmp/sdist-venv/bin/pip" install -q \
  --disable-pip-version-check "$ROOT/$sdist" "$PYTEST_PIN"
vectors "$tmp/sdist-venv" env
say "the sdist: built and tested in $((SECONDS - t0)) s"
