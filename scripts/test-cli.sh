#!/usr/bin/env bash
# The CLI stage (`make test-cli`): the integration tests of bindings/cli (every
# command over examples/, every exit status, the --json schemas, no secret in
# any output, bad input), then the drift demo, which checks each step's exit
# status itself and exits non-zero when the story does not hold.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test -p jwt-accord-cli --locked

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if NO_COLOR=1 scripts/demo.sh >"$log" 2>&1; then
  echo "demo: ok ($(grep -c '^\[exit ' "$log") commands, each with the expected exit status)"
else
  cat "$log"
  echo "demo: FAILED" >&2
  exit 1
fi
