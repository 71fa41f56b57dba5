#!/usr/bin/env bash
# The wasm stage (`make test-wasm`): builds the WASM package (scripts/build.sh
# wasm), type-checks its .d.ts, runs the shared JS suite against the WASM build
# in Node (JWT_ACCORD_IMPL=wasm) plus the WASM-only tests, then every
# conformance vector inside headless Chromium (Debian's), checking that tokens
# are byte-identical across the napi addon, WASM in Node and WASM in the
# browser. With runner arguments (`make test-wasm ARGS='js/wasm/test/wasm.test.mjs'`)
# only `node --test ARGS` runs against the WASM build.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh wasm
export JWT_ACCORD_IMPL=wasm
if [ $# -gt 0 ]; then
  exec node --test "$@"
fi
# The browser test compares tokens with the napi addon's.
scripts/build.sh node
scripts/setup.sh chromium

echo "==> tsc --noEmit (js/wasm/types-check)"
js/node_modules/.bin/tsc --noEmit -p js/wasm/types-check

echo "==> the shared suite against WASM in Node, and the WASM-only tests"
node --test js/test/*.test.mjs js/test/integrations/*.test.mjs js/wasm/test/*.test.mjs

echo "==> every vector in headless Chromium"
node js/browser/run.mjs
