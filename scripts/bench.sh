#!/usr/bin/env bash
# Benchmarks (not tests): each runs jwt-accord side by side with its peers in
# one process and prints ns/op and ratios. Results are recorded in benches/README.md.
# Usage: scripts/bench.sh [rust] [python] [node] [wasm]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- rust python node wasm
for area in "$@"; do
  printf '\n======== bench: %s ========\n' "$area"
  case $area in
    rust) cargo bench -p jwt-accord-benches --bench core -- --noplot ;;
    *) "benches/$area/run.sh" ;;
  esac
done
