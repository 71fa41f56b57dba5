#!/usr/bin/env bash
# The end-to-end stage (`make test-e2e`, issue 7): builds what the example
# needs from a fresh clone (examples/e2e/build.sh: setup, jwt_accord into .venv
# with FastAPI and uvicorn, the napi addon, jwt-accord-wasm, the CLI, the Rust
# service), checks the example's own code (ruff, cargo fmt, clippy), then runs
# examples/e2e/test/*.test.mjs with node --test: the system started by
# examples/e2e/run on loopback ports, a real headless Chromium, drift, bad
# tokens against all three back ends, the README's e2e section's snippets against the
# services' code, a rotation of the secret under load (docs/rotation.md), and
# the running fleet watched by a real Prometheus with the shipped alert rules
# (Debian's prometheus, installed by scripts/setup.sh prometheus if missing).
#
# The tests run in a session of their own with a private TMPDIR. Afterwards no
# process of that session and no temporary file may remain, whether the tests
# passed or failed: anything left is listed, removed, and fails the stage.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
say() { printf '==> %s\n' "$*" >&2; }
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

examples/e2e/build.sh
# /usr/bin/prometheus for fleet.test.mjs and rotation.test.mjs (idempotent).
scripts/setup.sh prometheus

say "ruff, cargo fmt --check and clippy on the example's code"
.venv/bin/ruff check --config py/pyproject.toml examples/e2e
.venv/bin/ruff format --check --config py/pyproject.toml examples/e2e
cargo fmt --check --manifest-path examples/e2e/profile-service/Cargo.toml
cargo clippy --locked --quiet --all-targets --manifest-path examples/e2e/profile-service/Cargo.toml -- -D warnings
node --check examples/e2e/threads-api/server.mjs
node --check examples/e2e/web/server.mjs

say "end-to-end tests (node --test examples/e2e/test/)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jwt-accord-e2e-stage.XXXXXX")
sid=
# session_pids: every process still in the tests' session.
session_pids() { [ -n "$sid" ] && ps -o pid= -s "$sid" 2>/dev/null | tr -d ' ' || true; }
finish() {
  local status=$? left
  trap - EXIT
  trap '' INT TERM
  left=$(session_pids)
  if [ -n "$left" ]; then
    echo "!! processes left behind by the tests:" >&2
    ps -o pid=,args= -p "$(echo $left | tr ' ' ,)" >&2 || true
    # shellcheck disable=SC2086 # one pid per word
    kill -KILL $left 2>/dev/null || true
    [ "$status" -ne 0 ] || status=1
  fi
  if [ -n "$(find "$tmp" -mindepth 1 -print -quit 2>/dev/null)" ]; then
    echo "!! temporary files left behind by the tests:" >&2
    find "$tmp" -mindepth 1 -maxdepth 2 >&2
    [ "$status" -ne 0 ] || status=1
  fi
  rm -rf "$tmp"
  [ "$status" -ne 0 ] || echo "e2e: no process, port or temporary file left behind"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# setsid: the tests' own session, so that whatever they start can be found.
# One file at a time: each starts services on ports run picks (bound, then
# released), and the rotation rehearsal measures a load on 2 cores.
# Runner arguments (scripts/test.sh e2e -- FILE...) select test files.
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(examples/e2e/test/*.test.mjs)
TMPDIR=$tmp setsid node --test --test-concurrency=1 --test-reporter=spec "${files[@]}" &
sid=$!
status=0
wait "$sid" || status=$?
# Give processes on their way out a moment before counting them as left.
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -n "$(session_pids)" ] || break; sleep 0.2; done
exit "$status"
