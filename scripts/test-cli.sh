#!/usr/bin/env bash
# The cli stage (`make test-cli`): the integration tests of bindings/cli (every
# command over examples/, every exit status, the --json schemas, no secret in
# any output, bad input, every env-file format over tests/envfiles), the check
# that tests/envfiles/cases.json still says what python-dotenv and Node's
# dotenv really read, then the drift demo with the same (dev) binary, which
# checks each step's exit status itself and exits non-zero when the story does
# not hold. With runner arguments (`make test-cli ARGS='--test hardening'`)
# only `cargo test -p jwt-accord-cli ARGS` runs.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then
  exec cargo test -p jwt-accord-cli --locked "$@"
fi
cargo test -p jwt-accord-cli --locked

# The env-file table's python-dotenv and node-dotenv columns, from the real loaders.
scripts/setup.sh venv npm
.venv/bin/python tests/envfiles/generate.py --check

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if JWT_ACCORD_CLI="${CARGO_TARGET_DIR:-$PWD/target}/debug/jwt-accord" NO_COLOR=1 scripts/demo.sh >"$log" 2>&1; then
  echo "demo: ok ($(grep -c '^\[exit ' "$log") commands, each with the expected exit status)"
else
  cat "$log"
  echo "demo: FAILED" >&2
  exit 1
fi
