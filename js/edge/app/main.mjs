// The edge test's program for Node, Deno and Bun, and for the bundles run by
// them (esbuild --platform=node, bun build, bun build --compile): the package
// by its name, as an author imports it; `env` as such a program holds it.
import init, * as lib from 'jwt-accord-wasm'

import { MARK, run, withBindings } from './checks.mjs'
import { runVectors } from './conformance.mjs'
import inputs from './inputs.mjs'

await init()
console.log(MARK + JSON.stringify(run(lib, inputs, withBindings(inputs.env), runVectors)))
