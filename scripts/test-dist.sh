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
#   - the npm tarballs, each set into a fresh npm project (`npm install --offline`
#     from the files): the conformance vectors through `require` and `import` of
#     the installed package (js/scripts/installed-vectors.mjs, beside copies of
#     js/test/conformance.mjs, vectors.mjs and tests/vectors), which prints the
#     .node or the .wasm it loaded. jwt-accord with its platform package must run
#     the addon and print nothing on stderr; installed with --omit=optional, or
#     with an addon that does not load, it must run jwt-accord-wasm and say so in
#     exactly one line; jwt-accord-wasm alone runs too, and so does its tokens
#     entry (jwt-accord-wasm/tokens: the token vectors, from the installed
#     pkg-tokens module). Every run signs the same tokens (their digest is compared);
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

scripts/dist.sh python cli npm

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

# npm_project NAME NPM-ARGS...: a fresh npm project tmp/NAME holding the vector
# runner, with NPM-ARGS installed (no Rust on PATH, nothing from the registry).
npm_project() {
  local dir=$tmp/$1
  shift
  mkdir -p "$dir/js/test" "$dir/tests"
  cp js/scripts/installed-vectors.mjs "$dir/"
  cp js/test/conformance.mjs js/test/vectors.mjs "$dir/js/test/"
  cp -r tests/vectors "$dir/tests/vectors"
  (cd "$dir" && no_rust npm init -y >/dev/null &&
    no_rust npm install --offline --no-audit --no-fund --loglevel=error "$@")
}

# npm_vectors NAME PACKAGE ENGINE FALLBACK-LINES: the runner in tmp/NAME; its
# stderr must hold FALLBACK-LINES lines (the fallback's), and nothing else.
npm_vectors() {
  local dir=$tmp/$1 err=$tmp/$1.stderr lines
  (cd "$dir" && no_rust node installed-vectors.mjs "$2" "$3") 2>"$err" | tee "$dir.stdout" ||
    { cat "$err"; die "the vectors failed against $2 in $1"; }
  lines=$(wc -l <"$err")
  [ "$lines" -eq "$4" ] && [ "$(grep -vc '^jwt-accord: no native addon loaded for linux-x64-gnu; using the WebAssembly build' "$err")" -eq 0 ] ||
    { cat "$err"; die "$1: expected $4 line(s) on stderr, all the fallback's; found $lines"; }
  [ "$4" -eq 0 ] || echo "stderr: $(cat "$err")"
  grep '^tokens ' "$dir.stdout" >>"$tmp/npm-tokens"
}

npm_dir=$ROOT/dist/npm
(cd "$npm_dir" && sha256sum -c --quiet SHA256SUMS)
main_tgz=$npm_dir/$(cd "$npm_dir" && ls jwt-accord-[0-9]*.tgz)
wasm_tgz=$npm_dir/$(cd "$npm_dir" && ls jwt-accord-wasm-*.tgz)
platform_tgz=$npm_dir/$(cd "$npm_dir" && ls jwt-accord-linux-x64-gnu-*.tgz)
t0=$SECONDS
say "npm: $(basename "$main_tgz") + $(basename "$platform_tgz") + $(basename "$wasm_tgz"), no Rust toolchain on PATH"
npm_project npm-native "$main_tgz" "$platform_tgz" "$wasm_tgz"
npm_vectors npm-native jwt-accord native 0

say "npm: $(basename "$main_tgz") installed with --omit=optional: the WebAssembly fallback"
npm_project npm-fallback --omit=optional "$main_tgz" "$wasm_tgz"
[ ! -e "$tmp/npm-fallback/node_modules/jwt-accord-linux-x64-gnu" ] || die "--omit=optional installed the platform package"
npm_vectors npm-fallback jwt-accord wasm 1
grep -q 'install the optional dependency jwt-accord-linux-x64-gnu@' "$tmp/npm-fallback.stderr" ||
  die "the fallback's line does not say to install jwt-accord-linux-x64-gnu"

say "npm: the platform package installed with an addon that does not load: the WebAssembly fallback"
cp -r "$tmp/npm-native" "$tmp/npm-broken"
echo 'not a shared object' >"$tmp/npm-broken/node_modules/jwt-accord-linux-x64-gnu/jwt-accord.linux-x64-gnu.node"
npm_vectors npm-broken jwt-accord wasm 1
grep -q 'jwt-accord-linux-x64-gnu is installed but did not load: .*jwt-accord.linux-x64-gnu.node' "$tmp/npm-broken.stderr" ||
  die "the fallback's line does not say why the installed addon did not load"

say "npm: $(basename "$wasm_tgz") alone"
npm_project npm-wasm "$wasm_tgz"
npm_vectors npm-wasm jwt-accord-wasm wasm 0
[ "$(sort -u "$tmp/npm-tokens" | wc -l)" -eq 1 ] || die "the npm runs signed different tokens: $(cat "$tmp/npm-tokens")"
say "npm: four installs, the same tokens in each ($(sort -u "$tmp/npm-tokens")): $((SECONDS - t0)) s"

say "the sdist: $(basename "$sdist"), pip install into a fresh venv (needs cargo: on PATH here)"
t0=$SECONDS
"$PYTHON" -m venv "$tmp/sdist-venv"
CARGO_TARGET_DIR=$ROOT/target/sdist-check "$tmp/sdist-venv/bin/pip" install -q \
  --disable-pip-version-check "$ROOT/$sdist" "$PYTEST_PIN"
vectors "$tmp/sdist-venv" env
say "the sdist: built and tested in $((SECONDS - t0)) s"
