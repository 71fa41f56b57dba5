// The tokens entry (`jwt-accord-wasm/tokens`, tokens.mjs over pkg-tokens: the
// module built without the `fleet` feature), instantiated with initSync from
// the module's bytes: it exports the token API and nothing else, its module
// has no fleet export to reach, it passes the token vectors and signs the
// full build's tokens byte for byte, and it stays within issue 21's size
// budget (docs/decisions.md, "The WASM tokens module").
// Run by scripts/test-wasm.sh: node --test js/wasm/test/
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'

import * as full from '../node.mjs'
import * as tokens from '../tokens.mjs'
import * as tokensEngine from '../pkg-tokens/jwt_accord.js'
// node.mjs instantiated it at import.
import * as fullEngine from '../pkg-web/jwt_accord.js'
import { cases, runVectors, TOKEN_FILES, tokenVectors } from '../../test/conformance.mjs'
import { loadVectors } from '../../test/vectors.mjs'

const MODULE = new URL('../pkg-tokens/jwt_accord_bg.wasm', import.meta.url)
const FULL_MODULE = new URL('../pkg-web/jwt_accord_bg.wasm', import.meta.url)
const bytes = readFileSync(MODULE)

/** Issue 21 (and issue 15, item 6): what a front end downloads. */
const BUDGET = { raw: 200_000, gzip: 80_000 }
/** The token API: what tokens.mjs exports, exactly. */
const TOKEN_API = ['JwtAccordError', 'Signer', 'Verifier', 'decodeUnverified', 'fingerprint', 'sign', 'verify']
const TOKEN_CONSTANTS = ['DEFAULT_MAX_TOKEN_BYTES', 'ERROR_CODES', 'MAX_JSON_DEPTH', 'MAX_KEYS']
/** The fleet exports of the full module (wasm-bindgen's names), none of which the tokens module may hold. */
const FLEET_EXPORTS = [
  'resolve',
  'filePaths',
  'variableNames',
  'storeEntryNames',
  'keylist_addResolution',
  'service_new',
  'service_watchVerifier',
  'bearerToken',
  'websocketToken',
  'cookieToken',
  'challenge_new',
  'checkConsistency',
]
const SECRET = 'tokens-secret-4d3c2b1a0f9e8d7c6b5a49382716'
const NOW = 1_700_000_000

// Tests run in order: this one instantiates the module for those after it.
test('before initSync: a clear error, as web.mjs gives; then initSync from the bytes', () => {
  assert.throws(() => new tokens.Signer(SECRET), /jwt-accord-wasm is not initialised: await init\(\) first/)
  assert.throws(() => tokens.fingerprint(SECRET), /not initialised/)
  tokens.initSync(bytes)
  tokens.initSync(new Uint8Array(0)) // a second call is a no-op
  assert.equal(tokens.fingerprint(SECRET), full.fingerprint(SECRET))
})

describe('the tokens entry, instantiated with initSync from the module bytes', () => {
  test('exports exactly the token API, its constants, init and initSync', async () => {
    assert.deepEqual(Object.keys(tokens).sort(), [...TOKEN_API, ...TOKEN_CONSTANTS, 'default', 'initSync'].sort())
    for (const name of TOKEN_API) assert.equal(typeof tokens[name], 'function', name)
    for (const name of TOKEN_CONSTANTS) assert.deepEqual(tokens[name], full[name], name)
    await tokens.default() // init() after initSync resolves at once
  })

  test('its module has none of the fleet exports, which the full module has', () => {
    const names = (file) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(file))).map((e) => e.name)
    const fullNames = names(FULL_MODULE)
    const tokenNames = names(MODULE)
    for (const name of FLEET_EXPORTS) {
      assert.ok(fullNames.includes(name), `the full module exports ${name}`)
      assert.ok(!tokenNames.includes(name), `the tokens module exports ${name}`)
    }
    // Every export the tokens module has, the full module has too: one engine contract.
    assert.deepEqual(tokenNames.filter((name) => !fullNames.includes(name)), [])
  })

  test("the tokens engine's constants are the full engine's, which api.mjs was generated with", () => {
    assert.equal(tokensEngine.constants(), fullEngine.constants())
    const constants = JSON.parse(tokensEngine.constants())
    assert.equal(tokens.MAX_JSON_DEPTH, constants.max_json_depth)
    assert.equal(tokens.MAX_KEYS, constants.max_keys)
    assert.equal(tokens.DEFAULT_MAX_TOKEN_BYTES, constants.default_max_token_bytes)
    assert.deepEqual(tokens.ERROR_CODES, constants.error_codes)
  })

  test('a Resolution from the full entry is refused as a key (TypeError), never passed to the engine', () => {
    const resolution = full.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: SECRET } })
    assert.throws(() => new tokens.Signer(resolution), TypeError)
    assert.throws(() => new tokens.Verifier([SECRET, resolution]), TypeError)
  })

  test('errors are its own JwtAccordError, with the same code, message and details as the full build', () => {
    const token = full.sign({ exp: NOW - 10 }, SECRET, { now: NOW - 20 })
    const attempt = (lib) => {
      try {
        lib.verify(token, SECRET, { now: NOW })
      } catch (error) {
        assert.ok(error instanceof lib.JwtAccordError)
        return { code: error.code, message: error.message, details: error.details }
      }
      throw new Error('verified an expired token')
    }
    assert.deepEqual(attempt(tokens), attempt(full))
    assert.equal(attempt(tokens).code, 'expired')
  })

  test('the same tokens and results as the full build for the same calls', () => {
    const claims = { sub: 'user-1', n: 1.5, big: 12345678901234, text: 'é ✓ \u2028', nested: { a: [1, null, true] } }
    const options = { expiresIn: '15m', issuer: 'auth', audience: ['api', 'web'], jti: 'j-1' }
    const token = new tokens.Signer(SECRET, options).sign(claims, NOW)
    assert.equal(token, new full.Signer(SECRET, options).sign(claims, NOW))
    assert.deepEqual(tokens.verify(token, [SECRET], { issuer: 'auth', audience: 'api', now: NOW }), full.verify(token, SECRET, { issuer: 'auth', audience: 'api', now: NOW }))
    assert.deepEqual(tokens.decodeUnverified(token), full.decodeUnverified(token))
    assert.equal(tokens.fingerprint(new TextEncoder().encode(SECRET)), full.fingerprint(SECRET))
  })
})

describe('the token vectors against the tokens entry', () => {
  const all = loadVectors()
  const { vectors, left } = tokenVectors(all)

  test('only the cases whose keys are a resolution are left out (they need resolveSecret)', () => {
    assert.deepEqual(left, [
      'verify/key_slot_current_from_a_resolution',
      'verify/key_slot_next_selected_by_kid',
      'verify/key_slot_previous_without_kid_tried_in_order',
      'verify/key_slot_previous_with_foreign_kid_tried_in_order',
      'verify/unknown_key_names_every_held_slot',
      'verify/key_slot_resolution_and_raw_key_mixed',
    ])
  })

  for (const file of TOKEN_FILES) {
    describe(`${file}.json (tokens entry)`, () => {
      for (const c of cases(tokens, vectors, [file])) test(c.name, () => c.run())
    })
  }

  test("every case passes, and every sign case's token is the vector's and the full build's, byte for byte", () => {
    const outcome = runVectors(tokens, vectors, TOKEN_FILES)
    assert.deepEqual(outcome.failures, [])
    const total = TOKEN_FILES.reduce((n, file) => n + vectors[file].cases.length, 0)
    assert.equal(outcome.passed, total)
    const fullOutcome = runVectors(full, all, TOKEN_FILES)
    assert.deepEqual(fullOutcome.failures, [])
    const signed = all.sign.cases.filter((c) => c.result && c.result.token)
    assert.ok(signed.length > 0)
    assert.equal(Object.keys(outcome.tokens).length, signed.length)
    for (const c of signed) {
      assert.equal(outcome.tokens[c.name], c.result.token, c.name)
      assert.equal(outcome.tokens[c.name], fullOutcome.tokens[c.name], c.name)
    }
  })
})

describe('size budget (issue 21, issue 15 item 6): the tokens module', () => {
  test(`raw <= ${BUDGET.raw} bytes and gzip -9 <= ${BUDGET.gzip} bytes`, () => {
    const gzip = gzipSync(bytes, { level: 9 }).length
    assert.ok(bytes.length <= BUDGET.raw, `pkg-tokens/jwt_accord_bg.wasm is ${bytes.length} bytes raw, over ${BUDGET.raw}`)
    assert.ok(gzip <= BUDGET.gzip, `pkg-tokens/jwt_accord_bg.wasm is ${gzip} bytes gzipped, over ${BUDGET.gzip}`)
  })
})
