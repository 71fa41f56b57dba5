#!/usr/bin/env bash
# The test command (`make test`): every stage runs, failures are collected, and
# the exit status is non-zero if any stage failed. At the end, one line per
# stage with its result and duration.
#
# Usage: scripts/test.sh [STAGE...] [-- RUNNER-ARGS...]
#   STAGE: rust python node wasm edge cli rules dist e2e fuzz (default: all, in that order)
#   RUNNER-ARGS (one stage only): passed to that stage's test runner, which
#   then runs only what they select and skips the lint gates: the inner loop.
#   Examples (also in `make help`):
#     scripts/test.sh rust -- --lib lookup
#     scripts/test.sh python -- py/tests/test_api.py -k explicit_environment
#     scripts/test.sh node -- --test-name-pattern=structured js/test/api.test.mjs
#
# Test builds use cargo's dev profile (our crates unoptimised, dependencies
# optimised: see Cargo.toml); release with LTO is for benchmarks, the demo and
# what ships. Each artifact is built once and shared by the stages after it.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

all=(rust python node wasm edge cli rules dist e2e fuzz)
stages=()
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; break ;;
    *) stages+=("$1"); shift ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || stages=("${all[@]}")
if [ $# -gt 0 ] && [ ${#stages[@]} -ne 1 ]; then
  echo "runner arguments (after --) go with exactly one stage" >&2
  exit 2
fi

results=()
failed=()
started=$SECONDS
for stage in "${stages[@]}"; do
  script=scripts/test-$stage.sh
  t0=$SECONDS
  if [ ! -x "$script" ]; then
    echo "!! no $script (stages: ${all[*]})" >&2
    status=127
  else
    printf '\n======== %s ========\n' "$stage"
    "$script" "$@"
    status=$?
  fi
  took=$((SECONDS - t0))
  if [ "$status" -eq 0 ]; then
    results+=("$(printf '%-8s passed  %4dm%02ds' "$stage" $((took / 60)) $((took % 60)))")
  else
    results+=("$(printf '%-8s FAILED  %4dm%02ds  (exit %d)' "$stage" $((took / 60)) $((took % 60)) "$status")")
    failed+=("$stage")
  fi
done

total=$((SECONDS - started))
printf '\n======== summary ========\n'
printf '%s\n' "${results[@]}"
printf '%-8s %s  %4dm%02ds\n' total "$([ ${#failed[@]} -eq 0 ] && echo passed || echo FAILED)" $((total / 60)) $((total % 60))
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
echo "all stages passed: ${stages[*]}"
