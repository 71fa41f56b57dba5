#!/usr/bin/env bash
# The rust stage (`make test-rust`): formatting, clippy on every crate and
# target, the docs check (nothing points outside the repository), the core's
# tests (unit, doc, property tests, every conformance vector), the axum
# integration's tests, the WASM binding's allocator test (on the host, over a
# fake memory), the dependency check. With runner arguments (`make test-rust ARGS='--test vectors expired'`)
# only `cargo test -p jwt-accord ARGS` runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  exec cargo test -p jwt-accord --locked "$@"
fi
scripts/setup.sh wasm-target
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
scripts/check-docs.sh
cargo test -p jwt-accord --locked
cargo test -p jwt-accord-axum --locked
cargo test -p jwt-accord-wasm --lib --locked
scripts/check-deps.sh
