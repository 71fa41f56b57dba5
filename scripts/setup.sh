#!/usr/bin/env bash
# Idempotent installers for everything the tests and the demo need. Each step
# checks first and skips what is present, so a second run is fast.
# Usage: scripts/setup.sh [wasm-target] [wasm-bindgen] [venv] [npm] [chromium] [all]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
say() { printf '==> %s\n' "$*" >&2; }

wasm_bindgen_version() {
  # The exact version of the wasm-bindgen crate in Cargo.lock (or the pin in Cargo.toml).
  awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null ||
    sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml
}

wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then return; fi
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

wasm_bindgen() {
  local want; want=$(wasm_bindgen_version)
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $want\$"; then return; fi
  say "installing wasm-bindgen-cli $want (matches the wasm-bindgen crate)"
  cargo install wasm-bindgen-cli --version "$want" --locked ||
    cargo install wasm-bindgen-cli --version "$want"
}

venv() {
  if [ ! -x .venv/bin/python ]; then
    say "creating .venv"
    python3 -m venv .venv
  fi
  if ! cmp -s py/requirements-dev.txt .venv/.requirements-dev.txt 2>/dev/null; then
    say "installing Python dev requirements"
    .venv/bin/pip install -q --disable-pip-version-check -r py/requirements-dev.txt
    cp py/requirements-dev.txt .venv/.requirements-dev.txt
  fi
}

npm_deps() {
  if [ -f js/node_modules/.package-lock.json ] && cmp -s js/package-lock.json js/node_modules/.lock-installed 2>/dev/null; then return; fi
  say "npm ci in js/"
  # npm 11's `npm ci` refuses a lock that lacks other platforms' optional
  # packages (@napi-rs/lzma-*, npm/cli#8805), and the registry reachable here
  # serves only linux-x64 ones, so the lock cannot list them. `npm install
  # --no-save` then installs the lock's versions without rewriting it.
  (cd js && { npm ci --no-audit --no-fund 2>/dev/null || npm install --no-save --no-audit --no-fund; })
  cp js/package-lock.json js/node_modules/.lock-installed
}

chromium() {
  if command -v chromium >/dev/null; then return; fi
  say "installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
}

[ $# -gt 0 ] || set -- all
for step in "$@"; do
  case $step in
    wasm-target) wasm_target ;;
    wasm-bindgen) wasm_bindgen ;;
    venv) venv ;;
    npm) npm_deps ;;
    chromium) chromium ;;
    all) wasm_target; wasm_bindgen; venv; npm_deps; chromium ;;
    *) echo "unknown setup step: $step" >&2; exit 2 ;;
  esac
done
