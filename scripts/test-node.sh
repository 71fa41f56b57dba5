#!/usr/bin/env bash
# The node stage (`make test-node`): builds the napi addon into js/node (cargo
# dev profile: scripts/build.sh node), type-checks the TypeScript usage file
# and every conformance vector's expected result (js/scripts/vector-types.mjs),
# and runs the shared JavaScript suite (js/test) against the addon. With runner
# arguments (`make test-node ARGS='--test-name-pattern=expired
# js/test/api.test.mjs'`) only `node --test ARGS` runs (from the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh node
export JWT_ACCORD_IMPL=node
if [ $# -gt 0 ]; then
  exec node --test "$@"
fi
node js/scripts/vector-types.mjs
js/node_modules/.bin/tsc --noEmit -p js/types
echo "tsc: js/types/usage.ts and every vector's result type-check against js/node/index.d.ts"
node --test js/test/*.test.mjs js/test/integrations/*.test.mjs
