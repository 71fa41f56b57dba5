#!/usr/bin/env bash
# The fuzz stage of `make test`: installs a nightly toolchain and cargo-fuzz if
# missing (scripts/setup.sh), checks the fuzz crate's formatting, then runs
# every target for FUZZ_SECONDS (default 30) (scripts/fuzz.sh). Any crash fails
# the stage. Runner arguments name targets (`make test-fuzz ARGS=verify`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh nightly cargo-fuzz
# Stable rustfmt (the rust stage needs it anyway; a minimal nightly may lack it).
cargo fmt --manifest-path fuzz/Cargo.toml --check
FUZZ_SECONDS=${FUZZ_SECONDS:-30} scripts/fuzz.sh "$@"
