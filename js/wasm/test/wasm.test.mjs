// What only the WASM build must do, beyond the shared suite (js/test, run with
// JWT_ACCORD_IMPL=wasm): the same exports as the napi addon, `env` required,
// recovery from a trap, and the web entry (web.mjs) working from initSync, as
// in an edge runtime. Run by scripts/test-wasm.sh: node --test js/wasm/test/
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, test } from 'node:test'

import * as wasm from '../node.mjs'
import { runVectors } from '../../test/conformance.mjs'
import { loadVectors } from '../../test/vectors.mjs'

const SECRET = 'wasm-secret-4d3c2b1a0f9e8d7c6b5a49382716'
const NOW = 1_700_000_000
const API = ['Challenge', 'JwtAccordError', 'Resolution', 'Service', 'Signer', 'Verifier', 'bearerToken', 'checkConsistency', 'cookieToken', 'decodeUnverified', 'fingerprint', 'resolveSecret', 'sign', 'verify', 'websocketToken']
/** The core's constants, published by both packages. */
const CONSTANTS = ['DEFAULT_MAX_TOKEN_BYTES', 'ERROR_CODES', 'MAX_JSON_DEPTH', 'MAX_KEYS', 'REPORT_PATH', 'WARNING_CODES', 'WEBSOCKET_CLOSE_CODE', 'WEBSOCKET_SUBPROTOCOL']

function deep(depth) {
  let value = {}
  for (let i = 0; i < depth; i += 1) value = { d: value }
  return value
}

function napiAddon() {
  try {
    return createRequire(import.meta.url)('../../node/index.js')
  } catch {
    return undefined
  }
}

describe('the API is the napi addon\'s', () => {
  const napi = napiAddon()
  test('the same public names', { skip: napi ? false : 'the napi addon is not built' }, () => {
    assert.deepEqual(Object.keys(napi).sort(), [...CONSTANTS, ...API].sort())
    for (const name of API) assert.equal(typeof wasm[name], typeof napi[name], name)
    for (const name of CONSTANTS) assert.deepEqual(wasm[name], napi[name], name)
  })

  test('node.mjs and web.mjs export the same names', async () => {
    const web = await import('../web.mjs')
    assert.deepEqual(Object.keys(web).sort(), Object.keys(wasm).sort())
    for (const name of API) assert.equal(typeof web[name], 'function', name)
  })

  test('the same errors, messages and details for the same bad input', { skip: napi ? false : 'the napi addon is not built' }, () => {
    const attempts = [
      (lib) => lib.resolveSecret({ env: { ENVIRONMENT: 'nowhere!' } }),
      (lib) => lib.resolveSecret({ env: { ENVIRONMENT: 'production' } }),
      (lib) => new lib.Signer('short'),
      (lib) => new lib.Verifier(SECRET).verify('a.b.c', NOW),
      (lib) => new lib.Verifier(SECRET, { leeway: -1 }),
      (lib) => new lib.Signer(SECRET).sign({}, NaN),
      (lib) => lib.sign({ exp: 1 }, SECRET, { expiresIn: 5, now: NOW }),
      (lib) => lib.checkConsistency('x'),
      (lib) => new lib.Signer(SECRET).sign(deep(100_000), NOW),
      (lib) => lib.checkConsistency([deep(100_000)]),
      (lib) => lib.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: 5 } }),
      (lib) => lib.resolveSecret({ env: { ENVIRONMENT: 'staging' }, secretStore: async () => SECRET }),
      (lib) => lib.resolveSecret({ env: { ENVIRONMENT: 'production', JWT_SECRET_PRODUCTION: 'changeme' } }),
      (lib) => lib.resolveSecret({ env: {}, store: {} }),
      (lib) => new lib.Signer(SECRET, { expires_in: 60 }),
      (lib) => new lib.Signer(SECRET, { expiresIn: 1.5 }),
      (lib) => new lib.Signer(SECRET, { kid: 5 }),
      (lib) => new lib.Signer({ secret: SECRET }),
      (lib) => new lib.Verifier([SECRET, 5]),
      (lib) => new lib.Verifier([]),
      (lib) => new lib.Verifier(Array.from({ length: 9 }, (_, i) => `${SECRET}-${i}`)),
      (lib) => new lib.Verifier(`-----BEGIN PUBLIC KEY-----${SECRET}`),
      (lib) => new lib.Verifier(SECRET, { maxTokenBytes: 10 }).verify(lib.sign({}, SECRET, { now: NOW }), NOW),
      (lib) => lib.verify(lib.sign({}, SECRET, { expiresIn: 1, now: NOW }), SECRET, { now: NOW + 100 }),
      (lib) => lib.verify(lib.sign({ exp: NOW + 9 }, SECRET, { now: NOW }), `${SECRET}-other`, { now: NOW }),
      (lib) => lib.verify(lib.sign({ exp: NOW + 9 }, SECRET, { kid: false, now: NOW }), `${SECRET}-other`, { now: NOW }),
      (lib) => lib.verify(lib.sign({ exp: NOW + 9, aud: 'x' }, SECRET, { now: NOW }), SECRET, { now: NOW }),
      (lib) => new lib.Signer(SECRET).sign('sub', NOW),
      (lib) => new lib.Signer(SECRET).sign({ big: 1n }, NOW),
      (lib) => new lib.Signer(SECRET).sign({}, '1700000000'),
      (lib) => lib.decodeUnverified('a.b'),
      (lib) => lib.fingerprint(5),
    ]
    const outcome = (lib, attempt) => {
      try {
        attempt(lib)
      } catch (error) {
        return { type: error.constructor.name, code: error.code, message: error.message, details: error.details }
      }
      return 'no error'
    }
    for (const attempt of attempts) assert.deepEqual(outcome(wasm, attempt), outcome(napi, attempt), attempt.toString())
  })
})

describe('resolveSecret requires env (there is no process environment)', () => {
  test('no options, or options without env: TypeError with a hint', () => {
    assert.throws(() => wasm.resolveSecret(), TypeError)
    assert.throws(
      () => wasm.resolveSecret({ environment: 'staging' }),
      (error) => error instanceof TypeError && /env must be an object of strings, found undefined \(WebAssembly has no process environment/.test(error.message),
    )
  })

  test('process.env is never read', () => {
    process.env.ENVIRONMENT = 'staging'
    process.env.JWT_SECRET_STAGING = SECRET
    try {
      assert.throws(() => wasm.resolveSecret({ env: {} }), (error) => error.code === 'environment_missing')
    } finally {
      delete process.env.ENVIRONMENT
      delete process.env.JWT_SECRET_STAGING
    }
  })
})

describe('a trap leaves the module usable', () => {
  test('after an abort, live signers, verifiers and resolutions keep working', () => {
    const resolution = wasm.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: SECRET } })
    const signer = new wasm.Signer([resolution, Buffer.from(`${SECRET}-old`)], { expiresIn: 60, issuer: 'auth', audience: ['api'] })
    const verifier = new wasm.Verifier([`${SECRET}-old`, resolution], { issuer: ['auth'], audience: 'api', required: ['exp', 'iss'] })
    const token = signer.sign({ sub: 'u' }, NOW)
    const before = wasm.__internals.generation()

    assert.throws(() => wasm.__internals.abort(), WebAssembly.RuntimeError)
    assert.equal(wasm.__internals.generation(), before + 1, 're-instantiated')

    assert.equal(signer.sign({ sub: 'u' }, NOW), token, 'the signer signs the same token')
    const full = verifier.verifyFull(token, NOW)
    assert.equal(full.keyFingerprint, resolution.fingerprint)
    assert.equal(resolution.exposeSecret(), SECRET)
    assert.equal(JSON.stringify(resolution), JSON.stringify(resolution.toJSON()))
    assert.throws(() => verifier.verify(token, NOW + 60), (error) => error instanceof wasm.JwtAccordError && error.code === 'expired')
    assert.equal(wasm.fingerprint(SECRET), resolution.fingerprint)
  })

  test('after an abort, a live Service rebuilds over the rebuilt verifiers and signers (counts restart)', () => {
    const resolution = wasm.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: SECRET } })
    const signer = new wasm.Signer(resolution)
    const verifier = new wasm.Verifier(resolution)
    const service = new wasm.Service('api', resolution, { role: 'verifier', verifiers: [verifier], signers: [signer] })
    const lines = () => service.metrics().split('\n')
    const ok = 'jwt_accord_verifications_total{service="api",result="ok",slot="current"}'
    const signed = 'jwt_accord_signatures_total{service="api"}'
    verifier.verify(signer.sign({ exp: NOW + 60 }, NOW), NOW)
    assert.ok(lines().includes(`${ok} 1`))
    const report = service.reportJson()

    assert.throws(() => wasm.__internals.abort(), WebAssembly.RuntimeError)

    assert.equal(service.reportJson(), report)
    assert.ok(lines().includes(`${ok} 0`) && lines().includes(`${signed} 0`), 'the counts restart, as after a process restart')
    verifier.verify(signer.sign({ exp: NOW + 60 }, NOW), NOW)
    assert.ok(lines().includes(`${ok} 1`) && lines().includes(`${signed} 1`), 'the rebuilt service watches the rebuilt verifier and signer')
  })

  test('many traps in a row, interleaved with work: every vector still passes', () => {
    const signer = new wasm.Signer(SECRET)
    for (let i = 0; i < 50; i += 1) {
      assert.throws(() => wasm.__internals.abort(), WebAssembly.RuntimeError)
      assert.equal(typeof signer.sign({ i }, NOW), 'string')
    }
    const outcome = runVectors(wasm, loadVectors())
    assert.deepEqual(outcome.failures, [])
  })

  test('core errors and TypeErrors do not re-instantiate', () => {
    const before = wasm.__internals.generation()
    const verifier = new wasm.Verifier(SECRET)
    for (const token of ['', 'a.b.c', 'x'.repeat(20000)]) assert.throws(() => verifier.verify(token, NOW), wasm.JwtAccordError)
    assert.throws(() => verifier.verify(5, NOW), TypeError)
    assert.throws(() => verifier.verify('a.b.c', NaN), TypeError)
    assert.equal(wasm.__internals.generation(), before)
  })
})

describe('the web entry, instantiated with initSync as in an edge runtime', () => {
  test('before init: a clear error; after: every vector passes', async () => {
    // An instance of web.mjs of its own: node.mjs (imported above) is web.mjs
    // instantiated at import. (They share the wasm-bindgen glue, which node.mjs
    // has instantiated: js/edge/run.mjs runs the entries in fresh runtimes.)
    const web = await import('../web.mjs?before-init')
    assert.throws(() => web.fingerprint(SECRET), /not initialised: await init\(\) first/)
    web.initSync(readFileSync(new URL('../pkg-web/jwt_accord_bg.wasm', import.meta.url)))
    web.initSync(new Uint8Array(0)) // a second call is a no-op
    await web.default() // so is init() after initSync
    const outcome = runVectors(web, loadVectors())
    assert.deepEqual(outcome.failures, [])
    assert.ok(outcome.passed > 200)
    assert.deepEqual(outcome.tokens, runVectors(wasm, loadVectors()).tokens)
  })

  test('errors from either entry are the same JwtAccordError class', async () => {
    const web = await import('../web.mjs')
    assert.equal(web.JwtAccordError, wasm.JwtAccordError)
  })
})
