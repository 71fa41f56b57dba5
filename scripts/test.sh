#!/usr/bin/env bash
# The test command (`make test`): every stage runs, failures are collected,
# and the exit status is non-zero if any stage failed.
# Usage: scripts/test.sh [rust] [python] [node] [wasm] [cli] [e2e] [fuzz]   (default: all)
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(rust python node wasm cli e2e fuzz)

failed=()
for stage in "${stages[@]}"; do
  script=scripts/test-$stage.sh
  if [ ! -x "$script" ]; then
    echo "!! no $script" >&2
    failed+=("$stage")
    continue
  fi
  printf '\n======== %s ========\n' "$stage"
  if ! "$script"; then
    failed+=("$stage")
  fi
done

printf '\n======== summary ========\n'
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
echo "all stages passed: ${stages[*]}"
