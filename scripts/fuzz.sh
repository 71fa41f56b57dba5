#!/usr/bin/env bash
# Runs each cargo-fuzz target (fuzz/) for FUZZ_SECONDS (default 900) with the
# installed nightly toolchain, and prints per target: executions, coverage
# (cov = edges, ft = features) and the time. Fails if any target crashes,
# leaks, times out or runs out of memory; the input is left in fuzz/artifacts/.
#
# Usage: scripts/fuzz.sh [target...]        (default: every target)
#   FUZZ_SECONDS=900   seconds per target
#   FUZZ_JOBS=1        targets run at the same time (the machine's cores are shared)
#   FUZZ_NICE=10       niceness of the fuzzing processes
#   FUZZ_LOGS=fuzz/logs  where the libFuzzer output goes
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_TARGET=${FUZZ_SECONDS:-900}
JOBS=${FUZZ_JOBS:-1}
NICE=${FUZZ_NICE:-10}
LOGS=${FUZZ_LOGS:-fuzz/logs}
say() { printf '==> %s\n' "$*" >&2; }

# A nightly toolchain and cargo-fuzz, installed if missing.
scripts/setup.sh nightly cargo-fuzz || exit 1

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi

say "building ${targets[*]}"
(cd fuzz && nice -n "$NICE" cargo +nightly fuzz build) || exit 1
python3 fuzz/seeds.py fuzz/corpus >&2 || exit 1
mkdir -p "$LOGS"

args_for() {
  case $1 in
    verify | decode_unverified) echo "-dict=$ROOT/fuzz/dicts/jwt.dict -max_len=17000" ;;
    sign) echo "-dict=$ROOT/fuzz/dicts/jwt.dict" ;;
    check_consistency) echo "-dict=$ROOT/fuzz/dicts/consistency.dict" ;;
    envfile) echo "-dict=$ROOT/fuzz/dicts/envfile.dict -max_len=65536" ;;
  esac
}

run_one() {
  local target=$1 log=$LOGS/$1.log start status
  start=$(date +%s)
  # shellcheck disable=SC2046 # the extra flags are words
  (cd fuzz && nice -n "$NICE" cargo +nightly fuzz run "$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 $(args_for "$target")) >"$log" 2>&1
  status=$?
  echo "$status $(($(date +%s) - start))" >"$LOGS/$target.status"
}

running=0
for target in "${targets[@]}"; do
  say "fuzzing $target for ${SECONDS_PER_TARGET}s (log: $LOGS/$target.log)"
  run_one "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

failed=()
printf '\n%-18s %12s %8s %8s %7s  %s\n' target executions cov ft seconds result
for target in "${targets[@]}"; do
  log=$LOGS/$target.log
  read -r status took <"$LOGS/$target.status"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: [0-9]+' | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  result=ok
  if [ "$status" != 0 ]; then
    result="FAILED (exit $status): $(grep -m1 -E 'ERROR: libFuzzer|panicked at|==ERROR' "$log" || echo "see $log")"
    failed+=("$target")
  fi
  printf '%-18s %12s %8s %8s %7s  %s\n' "$target" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$took" "$result"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}; inputs in fuzz/artifacts/, logs in $LOGS/" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${SECONDS_PER_TARGET}s each, no crash"
