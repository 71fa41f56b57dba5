#!/usr/bin/env bash
# The `fuzz` stage of `make test`: installs cargo-fuzz if missing, checks the
# fuzz crate's formatting, then runs every target for 30 seconds with the
# installed nightly toolchain (scripts/fuzz.sh). Any crash fails the stage.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi
# Stable rustfmt (the rust stage needs it anyway; a minimal nightly may lack it).
cargo fmt --manifest-path fuzz/Cargo.toml --check
FUZZ_SECONDS=${FUZZ_SECONDS:-30} scripts/fuzz.sh
