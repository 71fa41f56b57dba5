#!/usr/bin/env bash
# Rust gates: formatting, clippy on every crate and target, the core's tests
# (unit, doc, property tests, every conformance vector), the dependency check.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh wasm-target
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test -p jwt-accord --locked
scripts/check-deps.sh
