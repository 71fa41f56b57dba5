'use strict'
// jwt-accord for Node.js: the shared API (api.cjs, generated from
// js/shared/api.mjs) over the napi-rs addon (native.js). This adapter supplies
// only what is Node's: `process.env` as the default `env`, and napi's own
// argument errors as TypeError.
//
// native.js is napi-rs's loader: a local jwt-accord.<platform>.node (a
// development build), else the platform package (jwt-accord-linux-x64-gnu, an
// optional dependency). Where neither loads, the API comes from the WebAssembly
// build instead (fallback.js: jwt-accord-wasm, one line on stderr saying so).

const { createApi } = require('./api.cjs')

/** napi statuses for arguments of the wrong type (the wrapper checks first; these are the fallback). */
const ARGUMENT_STATUSES = new Set(['InvalidArg', 'ObjectExpected', 'StringExpected', 'NumberExpected', 'BooleanExpected', 'ArrayExpected'])

function load() {
  let native
  try {
    native = require('./native.js')
  } catch (error) {
    return require('./fallback.js').wasmApi(error)
  }
  return createApi(native, {
    defaultEnv: () => process.env,
    foreign: (error) => (error !== null && ARGUMENT_STATUSES.has(error.code) ? new TypeError(error.message) : error),
  })
}

const api = load()

// Listed by name so that `import { Signer } from 'jwt-accord'` finds them (Node's CommonJS named exports).
const { Challenge, JwtAccordError, Resolution, Service, Signer, Verifier, checkConsistency, decodeUnverified, fingerprint } = api
const { resolveSecret, sign, verify, bearerToken, websocketToken, cookieToken } = api
const { MAX_JSON_DEPTH, MAX_KEYS, DEFAULT_MAX_TOKEN_BYTES, ERROR_CODES, WARNING_CODES, REPORT_PATH } = api
const { WEBSOCKET_SUBPROTOCOL, WEBSOCKET_CLOSE_CODE } = api

module.exports = {
  Challenge,
  JwtAccordError,
  Resolution,
  Service,
  Signer,
  Verifier,
  checkConsistency,
  decodeUnverified,
  fingerprint,
  resolveSecret,
  sign,
  verify,
  bearerToken,
  websocketToken,
  cookieToken,
  MAX_JSON_DEPTH,
  MAX_KEYS,
  DEFAULT_MAX_TOKEN_BYTES,
  ERROR_CODES,
  WARNING_CODES,
  REPORT_PATH,
  WEBSOCKET_SUBPROTOCOL,
  WEBSOCKET_CLOSE_CODE,
}
