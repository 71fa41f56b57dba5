#!/usr/bin/env bash
# The Node benchmark (not a test): builds the napi addon (release) and runs
# benches/node/bench.mjs, which prints ns/op, ratios against jsonwebtoken,
# jose, fast-jwt and @node-rs/jsonwebtoken, and RSS over 1,000,000
# verifications. Numbers are recorded in benches/README.md.
# BENCH_ALTERNATIVES=1 also times the boundary-crossing alternatives.
set -euo pipefail
cd "$(dirname "$0")/../.."

# The release addon (LTO) into js/node (the tests' dev build is replaced).
JWT_ACCORD_PROFILE=release scripts/build.sh node
if [ "${BENCH_ALTERNATIVES:-}" = 1 ]; then
  # The addon with the boundary-crossing alternatives, outside js/node.
  (cd js/node && npx --no-install napi build --platform --release --features alternatives \
    --manifest-path ../../bindings/node/Cargo.toml --package-json-path package.json \
    --output-dir ../../target/node-alternatives --js native.js --dts native.d.ts)
fi
exec node --expose-gc benches/node/bench.mjs "$@"
