// jwt-accord-wasm for browsers and edge runtimes: the WebAssembly build
// (pkg-web, wasm-bindgen --target web). Instantiate it once before use:
//
//   import init, { Signer, Verifier } from 'jwt-accord-wasm/web'
//   await init()                          // fetches jwt_accord_bg.wasm next to this file
//   // or: await init(url | Response | BufferSource | WebAssembly.Module)
//   // or, where fetch of a module URL is not allowed (edge runtimes):
//   //   initSync(compiledModuleOrBytes)
//
// The API is the Node addon's (`jwt-accord`), except that resolveSecret
// requires `env` (there is no process environment here).
import initModule, * as raw from './pkg-web/jwt_accord.js'

import { entry } from './bind.mjs'

const { init, initSync, api } = entry(initModule, raw)

/** Instantiates the module (once; later calls return at once). */
export default init
/** Instantiates the module synchronously from a compiled WebAssembly.Module or its bytes. */
export { initSync }

export const { Challenge, JwtAccordError, Resolution, Service, Signer, Verifier, checkConsistency, decodeUnverified, fingerprint } = api
export const { resolveSecret, sign, verify, bearerToken, websocketToken, cookieToken } = api
export const { MAX_JSON_DEPTH, MAX_KEYS, DEFAULT_MAX_TOKEN_BYTES, ERROR_CODES, WARNING_CODES, REPORT_PATH } = api
export const { WEBSOCKET_SUBPROTOCOL, WEBSOCKET_CLOSE_CODE } = api

/** Not part of the API: used by the package's own tests. */
export const __internals = api.internals
