// The edge test's page, built by Vite or esbuild --platform=browser and
// loaded in headless Chromium: the package by its name, `init()` fetching the
// module the bundler placed next to the bundle.
import init, * as lib from 'jwt-accord-wasm'

import { run, withBindings } from './checks.mjs'
import { runVectors } from './conformance.mjs'
import inputs from './inputs.mjs'

window.__jwtAccordEdge = init()
  .then(() => run(lib, inputs, withBindings(inputs.env), runVectors))
  .catch((error) => ({ error: String((error && error.stack) || error) }))
