#!/usr/bin/env bash
# The WASM package (issue 5): build it, type-check its .d.ts, run the shared JS
# suite against the WASM build in Node (JWT_ACCORD_IMPL=wasm) plus the
# WASM-only tests, then every conformance vector inside headless Chromium,
# checking that tokens are byte-identical across the napi addon, WASM in Node
# and WASM in the browser. Installs what it needs (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh wasm-target wasm-bindgen chromium
scripts/setup.sh npm

echo "==> building the WASM package (js/wasm/pkg-web, js/wasm/pkg-node)"
js/wasm/build.sh

# The browser test compares tokens with the napi addon's: build it if absent.
if ! compgen -G 'js/node/*.node' >/dev/null; then
  echo "==> building the napi addon (js/node) for the token comparison"
  (cd js/node && npm run --silent build)
fi

echo "==> tsc --noEmit (js/wasm/types-check)"
js/node_modules/.bin/tsc --noEmit -p js/wasm/types-check

echo "==> the shared suite against WASM in Node, and the WASM-only tests"
JWT_ACCORD_IMPL=wasm node --test js/test/*.test.mjs js/wasm/test/*.test.mjs

echo "==> every vector in headless Chromium"
node js/browser/run.mjs
