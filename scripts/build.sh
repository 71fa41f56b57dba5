#!/usr/bin/env bash
# Builds the artifacts the tests, the e2e system and the demo use, once: a step
# whose inputs have not changed since its last build is skipped, so the stages
# of `make test` share what the first of them built.
#
# Usage: scripts/build.sh ARTIFACT...
#   python  jwt_accord into .venv (pip install ./py; maturin, cargo profile $JWT_ACCORD_PROFILE)
#   node    the napi addon into js/node (cargo profile $JWT_ACCORD_PROFILE)
#   wasm    jwt-accord-wasm into js/wasm/pkg-web, pkg-node and pkg-tokens (always release-wasm:
#           its size is part of what it promises, and wasm-opt rewrites the module)
#   cli     the jwt-accord command, target/<profile dir>/jwt-accord
#
# JWT_ACCORD_PROFILE: `dev` (default: tests and the inner loop) or `release`
# (LTO: benchmarks and what ships). Release and dev builds keep separate stamps.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PROFILE=${JWT_ACCORD_PROFILE:-dev}
case $PROFILE in
  dev) profile_dir=debug ;;
  release) profile_dir=release ;;
  *) echo "JWT_ACCORD_PROFILE must be dev or release, not $PROFILE" >&2; exit 2 ;;
esac
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
say() { printf '==> build: %s\n' "$*" >&2; }

# up_to_date NAME INPUT...: true when a stamp for NAME exists and no input file
# is newer than it (build products and caches inside the inputs are ignored).
up_to_date() {
  local stamp=$TARGET/.stamps/$1
  shift
  [ -f "$stamp" ] || return 1
  [ -z "$(find "$@" -newer "$stamp" -type f \
    -not -path '*/__pycache__/*' -not -name '*.so' -not -name '*.node' \
    -not -path 'js/wasm/pkg-*' -not -name 'native.js' -not -name 'native.d.ts' \
    -print -quit 2>/dev/null)" ]
}
# stamp NAME: NAME is built now; the same artifact's other profile is not
# (python-dev and python-release install into the same .venv, for example).
stamp() {
  mkdir -p "$TARGET/.stamps"
  rm -f "$TARGET/.stamps/${1%-*}"-*
  touch "$TARGET/.stamps/$1"
}

RUST_INPUTS=(Cargo.toml Cargo.lock core/src core/Cargo.toml)

build_python() {
  local name=python-$PROFILE
  up_to_date "$name" "${RUST_INPUTS[@]}" bindings/python py/jwt_accord py/pyproject.toml &&
    [ -x .venv/bin/python ] && .venv/bin/python -c 'import jwt_accord' 2>/dev/null && return
  scripts/setup.sh venv
  say "jwt_accord into .venv (pip install ./py, cargo profile $PROFILE)"
  VIRTUAL_ENV=$ROOT/.venv PATH=$ROOT/.venv/bin:$PATH PYO3_PYTHON=$ROOT/.venv/bin/python \
    MATURIN_PEP517_ARGS="--profile $PROFILE" \
    .venv/bin/pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps \
    --force-reinstall ./py
  stamp "$name"
}

# The package's copy of the shared JavaScript API and its .d.ts
# (js/scripts/build-api.mjs): cheap, so regenerated on every build.
shared_api() {
  node js/scripts/build-api.mjs "$1"
}

build_node() {
  local name=node-$PROFILE flag=()
  up_to_date "$name" "${RUST_INPUTS[@]}" bindings/node && compgen -G 'js/node/*.node' >/dev/null &&
    [ -f js/node/native.js ] && { shared_api node; return; }
  scripts/setup.sh npm
  [ "$PROFILE" = release ] && flag=(--release)
  say "the napi addon into js/node (cargo profile $PROFILE)"
  (cd js/node && ../node_modules/.bin/napi build --platform "${flag[@]}" \
    --manifest-path ../../bindings/node/Cargo.toml --package-json-path package.json \
    --output-dir . --js native.js --dts native.d.ts)
  shared_api node
  stamp "$name"
}

build_wasm() {
  up_to_date wasm "${RUST_INPUTS[@]}" bindings/wasm js/wasm/build.sh js/scripts/wasm-glue.mjs &&
    [ -f js/wasm/pkg-web/jwt_accord_bg.wasm ] && [ -f js/wasm/pkg-node/jwt_accord_bg.wasm ] &&
    [ -f js/wasm/pkg-tokens/jwt_accord_bg.wasm ] &&
    { shared_api wasm; return; }
  scripts/setup.sh wasm-target wasm-bindgen npm
  say "jwt-accord-wasm (js/wasm/build.sh, profile release-wasm)"
  js/wasm/build.sh
  stamp wasm
}

build_cli() {
  local flag=()
  [ "$PROFILE" = release ] && flag=(--release)
  say "the jwt-accord CLI (target/$profile_dir/jwt-accord)"
  cargo build --locked --quiet -p jwt-accord-cli "${flag[@]}"
}

[ $# -gt 0 ] || { sed -n '5,12p' "$0" >&2; exit 2; }
for artifact in "$@"; do
  case $artifact in
    python) build_python ;;
    node) build_node ;;
    wasm) build_wasm ;;
    cli) build_cli ;;
    *) echo "unknown artifact: $artifact (python node wasm cli)" >&2; exit 2 ;;
  esac
done
