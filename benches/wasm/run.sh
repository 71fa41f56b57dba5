#!/usr/bin/env bash
# The WASM benchmark (not a test): builds the WASM package (js/wasm/build.sh)
# and, if absent, the napi addon, then runs benches/wasm/bench.mjs: in one Node
# process, jwt-accord-wasm beside the napi addon and jose (pre-imported
# CryptoKey) for Signer.sign and Verifier.verify, ns/op and ratios, and the
# .wasm size raw and gzipped. Numbers are recorded in benches/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

# The shipped module (release-wasm) and, to compare with, the release addon.
scripts/build.sh wasm
JWT_ACCORD_PROFILE=release scripts/build.sh node
exec node benches/wasm/bench.mjs "$@"
