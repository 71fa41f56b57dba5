#!/usr/bin/env bash
# The edge stage (`make test-edge`): jwt-accord-wasm where front ends and edge
# functions run, through the package's public entry as an author imports it:
# workerd (Cloudflare's runtime, the Worker bundled as wrangler bundles it),
# Deno (no permission), Bun, Node, and the bundles made by esbuild
# (--platform=node, --platform=browser), bun build (for Bun, for Node,
# --compile) and Vite; the pages load in headless Chromium (Debian's) from a
# server on 127.0.0.1. Each must give the napi addon's tokens and results byte
# for byte and pass every conformance vector (js/edge/run.mjs says how).
# The runtimes and bundlers are npm packages pinned in js/package.json, whose
# platform packages ship the binaries (nothing is downloaded from elsewhere).
#
# Usage: scripts/test-edge.sh [TARGET...]   e.g. `make test-edge ARGS='workerd deno'`
set -euo pipefail
cd "$(dirname "$0")/.."

# The same builds as the wasm stage (stamped: built once for both).
scripts/build.sh wasm node
scripts/setup.sh npm chromium

echo "==> jwt-accord-wasm in each runtime and bundle (js/edge/run.mjs)"
exec node js/edge/run.mjs "$@"
