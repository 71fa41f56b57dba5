// The edge test's front-end page: `jwt-accord-wasm/tokens` (the tokens-only
// module) as a front end imports it, built by Vite (which emits the tokens
// module as an asset) and loaded in headless Chromium: `init()` fetches that
// module, then the token checks and every token vector it can run.
import init, * as lib from 'jwt-accord-wasm/tokens'

import { observeTokens } from '../checks.mjs'
import { runVectors, TOKEN_FILES, tokenVectors } from '../conformance.mjs'
import inputs from '../inputs.mjs'

window.__jwtAccordEdge = init()
  .then(() => {
    const { passed, failed, failures, tokens } = runVectors(lib, tokenVectors(inputs.vectors).vectors, TOKEN_FILES)
    return { observed: observeTokens(lib, inputs), exports: Object.keys(lib).sort(), vectors: { passed, failed, failures: failures.slice(0, 10), tokens } }
  })
  .catch((error) => ({ error: String((error && error.stack) || error) }))
