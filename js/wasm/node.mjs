// jwt-accord-wasm for Node.js: the WebAssembly build, instantiated
// synchronously at import (pkg-node, wasm-bindgen --target nodejs), with the
// same API as the napi addon (`jwt-accord`), except that resolveSecret
// requires `env`. Use it where native addons cannot load.
import { createRequire } from 'node:module'

import { bind } from './bind.mjs'

const raw = createRequire(import.meta.url)('./pkg-node/jwt_accord.js')
const api = bind(raw)

export const { JwtAccordError, Resolution, Service, Signer, Verifier, checkConsistency, decodeUnverified, fingerprint } = api
export const { resolveSecret, sign, verify, MAX_JSON_DEPTH, MAX_KEYS, DEFAULT_MAX_TOKEN_BYTES, ERROR_CODES, WARNING_CODES, REPORT_PATH } = api

/** The module is instantiated at import; for code shared with web.mjs, this resolves at once. */
export default async function init() {}

/** The module is instantiated at import; for code shared with web.mjs, this does nothing. */
export function initSync() {}

/** Not part of the API: used by the package's own tests. */
export const __internals = api.internals
