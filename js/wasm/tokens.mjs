// jwt-accord-wasm/tokens, for browser front ends that sign, verify and decode
// tokens and do nothing else: the tokens-only module (pkg-tokens,
// wasm-bindgen --target web; the crate without its `fleet` feature), about 40%
// smaller than the full module, within issue 21's budget (docs/decisions.md,
// "The WASM tokens module"). Instantiate it once before use, as web.mjs:
//
//   import init, { Signer, Verifier, verify } from 'jwt-accord-wasm/tokens'
//   await init()                          // fetches pkg-tokens/jwt_accord_bg.wasm next to this file
//   // or: await init(url | Response | BufferSource | WebAssembly.Module)
//   // or: initSync(compiledModuleOrBytes)
//
// The token API only, the same functions and classes as the full entry:
// Signer, Verifier, sign, verify, decodeUnverified, fingerprint,
// JwtAccordError and the token constants. Keys are text or bytes: there is no
// resolveSecret (nor Resolution, Service, Challenge, the HTTP helpers or
// checkConsistency), which the full entry ('jwt-accord-wasm') has.
import initModule, * as raw from './pkg-tokens/jwt_accord.js'

import { entry } from './bind.mjs'

// entry() binds the whole shared API; only the token names leave this file,
// and none of them calls an engine export this module lacks (a key that is a
// Resolution cannot be made here, so KeyList.addResolution is never reached).
const { init, initSync, api } = entry(initModule, raw)

/** Instantiates the module (once; later calls return at once). */
export default init
/** Instantiates the module synchronously from a compiled WebAssembly.Module or its bytes. */
export { initSync }

export const { JwtAccordError, Signer, Verifier, decodeUnverified, fingerprint, sign, verify } = api
export const { MAX_JSON_DEPTH, MAX_KEYS, DEFAULT_MAX_TOKEN_BYTES, ERROR_CODES } = api
