#!/usr/bin/env bash
# The WASM benchmark (not a test): builds the WASM package (js/wasm/build.sh)
# and, if absent, the napi addon, then runs benches/wasm/bench.mjs: in one Node
# process, jwt-accord-wasm beside the napi addon and jose (pre-imported
# CryptoKey) for Signer.sign and Verifier.verify, ns/op and ratios, and the
# .wasm size raw and gzipped. Numbers are recorded in benches/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

scripts/setup.sh wasm-target wasm-bindgen
if [ ! -d js/node_modules/jose ]; then
  scripts/setup.sh npm || (cd js && npm install --no-save --no-audit --no-fund)
fi
js/wasm/build.sh
if ! compgen -G 'js/node/*.node' >/dev/null; then
  (cd js/node && npm run --silent build)
fi
exec node benches/wasm/bench.mjs "$@"
