#!/usr/bin/env bash
# The Node stage (`make test-node`): installs the npm workspace, builds the
# napi addon (release) into js/node, type-checks the TypeScript usage file, and
# runs the shared JavaScript suite (js/test) against the addon.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh npm
(cd js/node && npm run --silent build)
(cd js && npx --no-install tsc --noEmit -p types)
echo "tsc: js/types/usage.ts type-checks against js/node/index.d.ts"
cd js
JWT_ACCORD_IMPL=node node --test test/*.test.mjs
