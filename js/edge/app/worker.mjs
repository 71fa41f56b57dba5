// The edge test's Worker, bundled as wrangler bundles one (esbuild with the
// `workerd` condition, the .wasm as a separate module) and run by `workerd
// test`: `env` is the Worker's own, bindings included (a KV namespace and a
// service under names the core reads, next to the text bindings).
import init, * as lib from 'jwt-accord-wasm'

import { MARK, run } from './checks.mjs'
import { runVectors } from './conformance.mjs'
import inputs from './inputs.mjs'

export default {
  async test(controller, env) {
    await init()
    console.log(MARK + JSON.stringify(run(lib, inputs, env, runVectors)))
  },
}
