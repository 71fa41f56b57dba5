#!/usr/bin/env bash
# Builds everything examples/e2e/run starts and the end-to-end tests use, from
# a fresh clone, with the same commands as the other test stages (nothing here
# is specific to this example except its own requirements, crate and links):
#   - the tools: scripts/setup.sh (.venv, js/node_modules, wasm target and
#     wasm-bindgen, Debian's chromium);
#   - jwt_accord into .venv, the napi addon, jwt-accord-wasm and the CLI,
#     with scripts/build.sh as the other test stages (skipped when they built
#     them already), plus FastAPI and uvicorn from examples/e2e/requirements.txt;
#   - the Rust service (its own workspace, dev profile; built into the shared
#     target/ unless CARGO_TARGET_DIR says otherwise);
#   - examples/e2e/node_modules: links to js/node and js/wasm, and Express and
#     ws for the threads API (npm ci, from npm's cache when it has them).
# Idempotent: what is up to date is skipped by cargo, pip and npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
say() { printf '==> %s\n' "$*" >&2; }

scripts/setup.sh venv wasm-target wasm-bindgen chromium npm
# The same artifacts the test stages build (cargo dev profile), built once.
scripts/build.sh python node wasm cli

if ! cmp -s examples/e2e/requirements.txt .venv/.e2e-requirements.txt; then
  say "installing examples/e2e/requirements.txt (FastAPI, uvicorn) into .venv"
  .venv/bin/pip install --quiet --disable-pip-version-check -r examples/e2e/requirements.txt
  cp examples/e2e/requirements.txt .venv/.e2e-requirements.txt
fi

say "building the Rust service (dev profile)"
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target} \
  cargo build --locked --quiet --manifest-path examples/e2e/profile-service/Cargo.toml

if ! cmp -s examples/e2e/package-lock.json examples/e2e/node_modules/.lock-installed 2>/dev/null; then
  say "installing examples/e2e/node_modules: js/node and js/wasm linked, express, ws (npm ci)"
  (cd examples/e2e && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
  cp examples/e2e/package-lock.json examples/e2e/node_modules/.lock-installed
fi
