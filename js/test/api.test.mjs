// The public surface (docs/spec.md §11, JavaScript column), beyond the vectors:
// exports, defaults, the Resolution object, Signer/Verifier, errors.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, test } from 'node:test'
import util from 'node:util'

import lib, { IMPL } from './impl.mjs'

const SECRET = 'api-secret-3c2b1a0f9e8d7c6b5a4938271605f4e3'
const OLDER = 'api-older-secret-0a9b8c7d6e5f4a3b2c1d0e9f8a7b'
const NOW = 1_700_000_000
const STAGING = { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: SECRET }

describe(`exports (${IMPL})`, () => {
  test('the docs/spec.md §11 names', () => {
    for (const name of ['resolveSecret', 'fingerprint', 'sign', 'verify', 'decodeUnverified', 'checkConsistency']) {
      assert.equal(typeof lib[name], 'function', name)
    }
    for (const name of ['Signer', 'Verifier', 'JwtAccordError', 'Resolution']) {
      assert.equal(typeof lib[name], 'function', name)
    }
  })

  test('the constants are the engine\'s, as the build wrote them (js/scripts/build-api.mjs)', () => {
    const engine = createRequire(import.meta.url)(IMPL === 'wasm' ? '../wasm/pkg-node/jwt_accord.js' : '../node/native.js')
    const core = JSON.parse(engine.constants())
    assert.equal(lib.MAX_JSON_DEPTH, core.max_json_depth)
    assert.equal(lib.MAX_KEYS, core.max_keys)
    assert.equal(lib.DEFAULT_MAX_TOKEN_BYTES, core.default_max_token_bytes)
    assert.deepEqual(lib.ERROR_CODES, core.error_codes)
    assert.deepEqual(lib.WARNING_CODES, core.warning_codes)
    assert.ok(lib.ERROR_CODES.includes('invalid_claims') && Object.isFrozen(lib.ERROR_CODES))
  })

  test('JwtAccordError is an Error subclass with code, details and name', () => {
    const error = new lib.JwtAccordError('expired', 'token expired', { claim: 'exp' })
    assert.ok(error instanceof Error)
    assert.equal(error.name, 'JwtAccordError')
    assert.equal(error.code, 'expired')
    assert.deepEqual(error.details, { claim: 'exp' })
    assert.equal(String(error), 'JwtAccordError: token expired')
  })
})

describe(`resolveSecret and Resolution (${IMPL})`, () => {
  test('the structured form', () => {
    const resolution = lib.resolveSecret({ env: { ...STAGING, JWT_SECRET_KEY: OLDER } })
    assert.ok(resolution instanceof lib.Resolution)
    assert.equal(resolution.environment, 'staging')
    assert.equal(resolution.environmentSource, 'ENVIRONMENT')
    assert.deepEqual(resolution.source, { kind: 'variable', name: 'JWT_SECRET_STAGING' })
    assert.equal(resolution.fingerprint, lib.fingerprint(SECRET))
    assert.deepEqual(resolution.warnings.map((w) => w.code), ['shadowed_conflict'])
    assert.equal(resolution.warnings[0].source, 'JWT_SECRET_KEY')
    assert.deepEqual(resolution.candidates.map((c) => c.outcome), ['used', 'shadowed', 'not_set', 'not_set', 'not_set', 'not_set'])
    assert.equal(resolution.summary(), `jwt-accord environment=staging source=JWT_SECRET_STAGING fingerprint=sha256:${lib.fingerprint(SECRET)} warnings=1`)
    assert.equal(`${resolution}`, resolution.summary())
    assert.equal(resolution.exposeSecret(), SECRET)
  })

  test('toJSON() is the JSON form as an object; JSON.stringify gives the schema text', () => {
    const resolution = lib.resolveSecret({ env: STAGING })
    const form = resolution.toJSON()
    assert.equal(form.schema, 'jwt-accord/resolution/v2')
    assert.equal(JSON.stringify(resolution), JSON.stringify(form))
    assert.ok(JSON.stringify(resolution).startsWith('{"schema":"jwt-accord/resolution/v2","environment":"staging","environment_source":"ENVIRONMENT"'))
    form.environment = 'changed'
    assert.equal(resolution.toJSON().environment, 'staging', 'toJSON() returns a fresh object')
  })

  test('util.inspect shows the summary', () => {
    const resolution = lib.resolveSecret({ env: STAGING })
    assert.match(util.inspect(resolution), /jwt-accord environment=staging source=JWT_SECRET_STAGING fingerprint=sha256:[0-9a-f]{16}/)
  })

  test('an explicit environment wins over ENVIRONMENT; aliases normalise', () => {
    const resolution = lib.resolveSecret({ env: { ENVIRONMENT: 'production', JWT_SECRET_STAGING: SECRET }, environment: ' STG ' })
    assert.equal(resolution.environment, 'staging')
    assert.equal(resolution.environmentSource, 'argument')
  })

  test('env values that are undefined count as unset', () => {
    const resolution = lib.resolveSecret({ env: { ...STAGING, JWT_SECRET_KEY: undefined } })
    assert.equal(resolution.candidates[1].outcome, 'not_set')
  })

  test('a secretStore function is called only for the store-entry names and their companions, in order', () => {
    const calls = []
    const resolution = lib.resolveSecret({
      env: { ENVIRONMENT: 'prod' },
      secretStore: (name) => {
        calls.push(name)
        return name === 'jwt-secret-key' ? SECRET : undefined
      },
    })
    // store_entries_read: each source's entry, then its -next and -previous (docs/spec.md §14).
    const sources = ['jwt-secret-production', 'jwt-secret-key', 'jwt-secret']
    assert.deepEqual(
      calls,
      sources.flatMap((name) => [name, `${name}-next`, `${name}-previous`]),
    )
    assert.deepEqual(resolution.source, { kind: 'store', name: 'jwt-secret-key' })
  })

  test('a secretStore function is not called when the environment is missing', () => {
    const calls = []
    assert.throws(
      () => lib.resolveSecret({ env: {}, secretStore: (name) => calls.push(name) && undefined }),
      (error) => error instanceof lib.JwtAccordError && error.code === 'environment_missing',
    )
    assert.deepEqual(calls, [])
  })

  test('a Map works as env and as secretStore', () => {
    const resolution = lib.resolveSecret({ env: new Map([['ENVIRONMENT', 'test']]), secretStore: new Map([['jwt-secret-test', SECRET]]) })
    assert.equal(resolution.source.name, 'jwt-secret-test')
  })

  test('the development fallback in development; secret_missing in production with every name tried', () => {
    const dev = lib.resolveSecret({ env: {}, environment: 'local' })
    assert.equal(dev.source.kind, 'development_fallback')
    assert.deepEqual(dev.warnings.map((w) => w.code), ['development_fallback'])
    assert.throws(
      () => lib.resolveSecret({ env: {}, environment: 'production' }),
      (error) =>
        error.code === 'secret_missing' &&
        error.details.tried.includes('JWT_SECRET_PRODUCTION') &&
        error.details.tried.includes('jwt-secret-production'),
    )
  })

  test('the resolution is read-only', () => {
    const resolution = lib.resolveSecret({ env: STAGING })
    assert.ok(Object.isFrozen(resolution))
    assert.ok(Object.isFrozen(resolution.candidates))
  })

  if (IMPL === 'node') {
    test('defaults env to process.env', () => {
      const saved = { ...process.env }
      try {
        process.env.ENVIRONMENT = 'staging'
        process.env.JWT_SECRET_STAGING = SECRET
        assert.equal(lib.resolveSecret().fingerprint, lib.fingerprint(SECRET))
        assert.equal(lib.resolveSecret({ environment: 'staging' }).source.name, 'JWT_SECRET_STAGING')
      } finally {
        for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
        Object.assign(process.env, saved)
      }
    })
  } else {
    test('requires env (there is no process environment in a browser)', () => {
      assert.throws(() => lib.resolveSecret(), TypeError)
      assert.throws(() => lib.resolveSecret({ environment: 'staging' }), TypeError)
    })
  }
})

describe(`Signer and Verifier (${IMPL})`, () => {
  test('a resolution is a key; its policy already applied (a short development secret signs)', () => {
    const resolution = lib.resolveSecret({ env: { ENVIRONMENT: 'dev', JWT_SECRET_DEVELOPMENT: 'short-dev-secret' } })
    assert.deepEqual(resolution.warnings.map((w) => w.code), ['secret_too_short'])
    const token = new lib.Signer(resolution, { expiresIn: 60 }).sign({ sub: 'dev' }, NOW)
    const full = new lib.Verifier([resolution], {}).verifyFull(token, NOW)
    assert.equal(full.claims.sub, 'dev')
    assert.equal(full.keyFingerprint, resolution.fingerprint)
    assert.throws(() => new lib.Signer('short-dev-secret'), (error) => error.code === 'invalid_key')
  })

  test('text, Buffer and Uint8Array keys are the same key', () => {
    const a = lib.sign({ sub: 'k' }, SECRET, { now: NOW })
    assert.equal(lib.sign({ sub: 'k' }, Buffer.from(SECRET), { now: NOW }), a)
    assert.equal(lib.sign({ sub: 'k' }, new TextEncoder().encode(SECRET), { now: NOW }), a)
  })

  test('a keyring signs with the first key and verifies with any; kid selects', () => {
    const current = new lib.Signer([SECRET, OLDER]).sign({ exp: NOW + 60 }, NOW)
    const previous = new lib.Signer(OLDER).sign({ exp: NOW + 60 }, NOW)
    const ring = new lib.Verifier([SECRET, OLDER])
    assert.equal(ring.verifyFull(current, NOW).keyFingerprint, lib.fingerprint(SECRET))
    assert.equal(ring.verifyFull(previous, NOW).keyFingerprint, lib.fingerprint(OLDER))
    assert.throws(() => new lib.Verifier(SECRET).verify(previous, NOW), (error) => {
      assert.equal(error.code, 'unknown_key')
      assert.equal(error.details.kid, lib.fingerprint(OLDER))
      assert.deepEqual(error.details.held, [lib.fingerprint(SECRET)])
      return true
    })
  })

  test('Signer.fingerprint and Verifier.fingerprints name the keys, current first', () => {
    const signer = new lib.Signer([SECRET, OLDER])
    assert.equal(signer.fingerprint, lib.fingerprint(SECRET))
    assert.equal(lib.decodeUnverified(signer.sign({}, NOW)).header.kid, signer.fingerprint)
    const verifier = new lib.Verifier([OLDER, SECRET])
    assert.deepEqual(verifier.fingerprints, [lib.fingerprint(OLDER), lib.fingerprint(SECRET)])
    // A copy: changing it changes nothing.
    verifier.fingerprints.push('x')
    assert.equal(verifier.fingerprints.length, 2)
    for (const shown of [signer.fingerprint, ...verifier.fingerprints]) {
      assert.match(shown, /^[0-9a-f]{16}$/)
      assert.ok(![SECRET, OLDER].some((secret) => shown.includes(secret)))
    }
  })

  test('kid: true, false or a string', () => {
    const header = (kid) => lib.decodeUnverified(lib.sign({}, SECRET, { kid, now: NOW })).header
    assert.equal(header(true).kid, lib.fingerprint(SECRET))
    assert.equal(header(undefined).kid, lib.fingerprint(SECRET))
    assert.equal('kid' in header(false), false)
    assert.equal(header('2026-rotation').kid, '2026-rotation')
  })

  test('now defaults to the clock and is floored', () => {
    const before = Math.floor(Date.now() / 1000)
    const claims = lib.decodeUnverified(new lib.Signer(SECRET, { expiresIn: 60 }).sign({})).claims
    const after = Math.floor(Date.now() / 1000)
    assert.ok(claims.iat >= before && claims.iat <= after)
    assert.equal(claims.exp, claims.iat + 60)
    assert.equal(lib.decodeUnverified(lib.sign({}, SECRET, { now: NOW + 0.999 })).claims.iat, NOW)
    assert.equal(new lib.Verifier(SECRET).verify(lib.sign({}, SECRET, { expiresIn: 60 })).exp > after, true)
  })

  test('claims round-trip as plain objects, in the order signed (keys sorted)', () => {
    const claims = { z: 1, a: { y: [1, 'two', null, { c: 3, b: 2 }] }, sub: 'ü🔑' }
    const verified = new lib.Verifier(SECRET, { required: [] }).verify(lib.sign(claims, SECRET, { now: NOW }), NOW)
    assert.deepEqual(verified, { ...claims, iat: NOW })
    assert.deepEqual(Object.keys(verified), ['a', 'iat', 'sub', 'z'])
    assert.equal(Object.getPrototypeOf(verified), Object.prototype)
  })

  test('verify options: issuer and audience lists, tokenType, maxAge, leeway, maxTokenBytes', () => {
    const token = lib.sign({}, SECRET, { issuer: 'auth', audience: ['api', 'web'], tokenType: 'refresh', expiresIn: 60, now: NOW })
    const ok = { issuer: ['other', 'auth'], audience: 'web', tokenType: 'refresh', maxAge: 10, leeway: 0 }
    assert.equal(lib.verify(token, SECRET, { ...ok, now: NOW + 5 }).token_type, 'refresh')
    const code = (options, now = NOW) => {
      try {
        lib.verify(token, SECRET, { ...ok, ...options, now })
      } catch (error) {
        return error.code
      }
      return 'ok'
    }
    assert.equal(code({ tokenType: 'access' }), 'wrong_token_type')
    assert.equal(code({ issuer: 'billing' }), 'invalid_issuer')
    assert.equal(code({ audience: ['billing'] }), 'invalid_audience')
    assert.equal(code({}, NOW + 11), 'expired')
    assert.equal(code({ leeway: 1 }, NOW + 11), 'ok')
    assert.equal(code({ maxTokenBytes: 10 }), 'token_too_large')
  })

  test('one-shot verify returns the claims; verifyFull returns claims, header, keyFingerprint and keySlot', () => {
    const token = lib.sign({ sub: 'x' }, SECRET, { expiresIn: 60, now: NOW })
    assert.deepEqual(lib.verify(token, SECRET, { now: NOW }), { sub: 'x', iat: NOW, exp: NOW + 60 })
    const full = new lib.Verifier(SECRET).verifyFull(token, NOW)
    assert.deepEqual(Object.keys(full).sort(), ['claims', 'header', 'keyFingerprint', 'keySlot'])
    assert.deepEqual(full.header, { typ: 'JWT', alg: 'HS256', kid: lib.fingerprint(SECRET) })
    assert.equal(full.keySlot, null, 'a raw key has no slot')
    const resolution = lib.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: SECRET } })
    assert.equal(new lib.Verifier(resolution).verifyFull(token, NOW).keySlot, 'current')
  })

  test('a verifier is reusable across many tokens and errors', () => {
    const verifier = new lib.Verifier(SECRET)
    const signer = new lib.Signer(SECRET, { expiresIn: 60 })
    for (let i = 0; i < 1000; i += 1) {
      const token = signer.sign({ i }, NOW)
      assert.equal(verifier.verify(token, NOW).i, i)
      assert.throws(() => verifier.verify(token, NOW + 60), (error) => error.code === 'expired')
    }
  })
})

describe(`checkConsistency (${IMPL})`, () => {
  test('reports built from resolutions', () => {
    const auth = lib.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_KEY: OLDER } })
    const backend = lib.resolveSecret({ env: STAGING })
    const result = lib.checkConsistency([
      { ...auth.toJSON(), service: 'auth', role: 'issuer' },
      { ...backend.toJSON(), service: 'backend', role: 'verifier' },
    ])
    assert.equal(result.status, 'drift')
    assert.equal(result.level, 'critical')
    assert.equal(result.groups.length, 2)
    assert.match(result.findings[0], /backend resolves JWT_SECRET_STAGING .* but auth resolves JWT_SECRET_KEY/)
    assert.equal(lib.checkConsistency([{ ...backend.toJSON(), service: 'a' }, { ...backend.toJSON(), service: 'b' }]).status, 'consistent')
  })
})
