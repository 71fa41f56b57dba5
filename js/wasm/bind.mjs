// jwt-accord-wasm's adapter: the shared API (api.mjs, generated from
// js/shared/api.mjs) over one wasm-bindgen module, for web.mjs (whose API the
// other full entries re-export) and tokens.mjs.
//
// What is WebAssembly's alone: `env` is required (there is no process
// environment), and traps. The module is built with panic = "abort", so a
// panic (none is reachable: the core reports every failure as a value) or a
// stack overflow would trap and could leave the instance's memory
// inconsistent. Anything other than an engine error (the wire format) that
// comes out of the module is treated as such a trap: the module is
// re-instantiated from the compiled WebAssembly.Module (a few hundred
// microseconds), the original error is rethrown, and every live Signer,
// Verifier, Resolution, Service and Challenge rebuilds its handle in the new
// instance on its next use, from the inputs it was made from (a Service's
// counts start again at 0). So after any error, the next call works.
import { createApi } from './api.mjs'

/**
 * An entry over a wasm-bindgen `--target web` module (`initModule`: its
 * default export; `raw`: its exports): `init(input)` and `initSync(module)`,
 * each instantiating the module once (a later call of either returns at
 * once), and the API, which refuses calls until then.
 */
export function entry(initModule, raw) {
  let instantiated = false
  /** Instantiates the module (once; later calls return at once). */
  async function init(input) {
    if (!instantiated) {
      await initModule(input === undefined ? undefined : { module_or_path: input })
      instantiated = true
    }
  }
  /** Instantiates the module synchronously from a compiled WebAssembly.Module or its bytes. */
  function initSync(module) {
    if (!instantiated) {
      raw.initSync({ module })
      instantiated = true
    }
  }
  return { init, initSync, api: bind(raw, () => instantiated) }
}

/**
 * The API over one wasm-bindgen module (`raw`: its exports, including
 * `__wbg_reset_state`). `ready()` says whether the module is instantiated
 * (web.mjs instantiates asynchronously).
 */
export function bind(raw, ready = () => true) {
  /** Bumped at each re-instantiation; a handle made in an older one is rebuilt. */
  let generation = 0
  /** Not an engine error: a trap. The instance may be inconsistent: replace it before anything else runs. */
  function foreign(error) {
    raw.__wbg_reset_state()
    generation += 1
    return error
  }
  const api = createApi(raw, {
    ready,
    missingEnvHint: ' (WebAssembly has no process environment: pass env explicitly)',
    generation: () => generation,
    foreign,
  })
  /** Not part of the API: the trap-recovery test's handles. */
  const internals = Object.freeze({
    generation: () => generation,
    abort: () => {
      try {
        raw.__abortForTests()
      } catch (error) {
        throw foreign(error)
      }
    },
  })
  return { ...api, internals }
}
