// Hardening (issue 8), for the napi addon and the WASM build alike:
//  - every error code of docs/spec.md §10 that JavaScript can reach is produced
//    with a marker secret in play, and no rendering of the error (message,
//    details, stack, util.inspect, JSON, own properties) shows the marker;
//  - 100,000-deep nesting, in claims, tokens and reports, is refused with an
//    error, never a crash of the process (node --test runs each file in its own
//    process, so a crash fails this file);
//  - after any error, the next call works, on the same Signer and Verifier;
//  - a Rust panic inside the native code becomes an Error (when the build has a
//    test hook for it; see SECURITY.md).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import { describe, test } from 'node:test'
import util from 'node:util'

import lib, { IMPL } from './impl.mjs'

const MARKER = 'HARDEN3d8f1a6c0b'
const SECRET = `hardening-${MARKER}-5e4d3c2b1a09f8e7` // 44 bytes
const OTHER = `rotated-${MARKER}-a1b2c3d4e5f60718` // 42 bytes
const NOW = 1_700_000_000
const DEPTH = 100_000

const b64 = (text) => Buffer.from(text).toString('base64url')

/** A token over any header and claims text, signed by hand with `secret`. */
function handSigned(claims, header = '{"alg":"HS256","typ":"JWT"}', secret = SECRET) {
  const input = `${b64(header)}.${b64(claims)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

/** Every rendering of a value a log line or an error report could show. */
function renderings(value) {
  const out = [String(value), util.inspect(value, { showHidden: true, depth: Infinity, getters: true })]
  try {
    out.push(JSON.stringify(value))
  } catch (error) {
    out.push(String(error))
  }
  if (value instanceof Error) {
    out.push(value.message, String(value.stack), JSON.stringify(value.details ?? null), String(value.cause))
    for (const name of Object.getOwnPropertyNames(value)) out.push(util.inspect(value[name], { depth: Infinity }))
  }
  return out
}

function assertHidden(value, what) {
  for (const text of renderings(value)) {
    assert.ok(!text.includes(MARKER), `${what} shows the secret: ${text.slice(0, 300)}`)
  }
}

/** A sign-then-verify round trip with fresh objects: the library still works. */
function canary(what) {
  const token = lib.sign({ sub: 'canary' }, SECRET, { expiresIn: 60, now: NOW })
  assert.equal(lib.verify(token, SECRET, { now: NOW }).sub, 'canary', `after ${what}, a fresh call works`)
}

const staging = (extra = {}) => ({ ENVIRONMENT: 'staging', JWT_SECRET_STAGING: SECRET, ...extra })
const production = (value, extra = {}) => ({ ENVIRONMENT: 'production', JWT_SECRET_PRODUCTION: value, ...extra })
const valid = (claims = {}) => handSigned(JSON.stringify({ exp: NOW + 60, ...claims }))

/** One way to reach each error code the JavaScript API can produce, with the marker secret in play. */
const ERRORS = {
  environment_missing: () => lib.resolveSecret({ env: { JWT_SECRET_KEY: SECRET } }),
  environment_invalid: () => lib.resolveSecret({ env: { ENVIRONMENT: 'not an environment!', JWT_SECRET_KEY: SECRET } }),
  secret_missing: () => lib.resolveSecret({ env: { ENVIRONMENT: 'production', JWT_SECRET_STAGING: SECRET } }),
  secret_too_short: () => lib.resolveSecret({ env: production(MARKER) }),
  insecure_secret: () => lib.resolveSecret({ env: production(`-----BEGIN PUBLIC KEY-----${SECRET}`) }),
  secret_reused_across_environments: () => lib.resolveSecret({ env: production(SECRET, { JWT_SECRET_STAGING: SECRET }) }),
  invalid_value: () => lib.resolveSecret({ env: production(`${SECRET}\ufffd`) }),
  token_too_large: () => lib.verify(`${valid()}${'A'.repeat(20_000)}`, SECRET, { now: NOW }),
  malformed: () => lib.verify(handSigned('{"sub":"a","sub":"b"}'), SECRET, { now: NOW }),
  unsupported_algorithm: () => lib.verify(handSigned('{}', '{"alg":"none"}'), SECRET, { now: NOW }),
  unknown_key: () => lib.verify(lib.sign({}, OTHER, { expiresIn: 60, now: NOW }), SECRET, { now: NOW }),
  invalid_signature: () => lib.verify(handSigned('{}', undefined, OTHER), [SECRET, `${SECRET}-2`], { now: NOW }),
  invalid_claim_type: () => lib.verify(valid({ exp: SECRET }), SECRET, { now: NOW }),
  missing_claim: () => lib.verify(valid(), SECRET, { now: NOW, required: ['exp', 'jti'] }),
  expired: () => lib.verify(valid(), SECRET, { now: NOW + 61 }),
  not_yet_valid: () => lib.verify(valid({ nbf: NOW + 30 }), SECRET, { now: NOW }),
  invalid_issuer: () => lib.verify(valid({ iss: 'evil' }), SECRET, { now: NOW, issuer: 'auth' }),
  invalid_audience: () => lib.verify(valid({ aud: 'web' }), SECRET, { now: NOW, audience: 'api' }),
  wrong_token_type: () => lib.verify(valid({ token_type: 'refresh' }), SECRET, { now: NOW, tokenType: 'access' }),
  invalid_claims: () => lib.sign([SECRET], SECRET, { now: NOW }),
  conflicting_claim: () => lib.sign({ sub: 'a' }, SECRET, { subject: 'b', now: NOW }),
  invalid_key: () => new lib.Signer(MARKER),
}

describe(`hardening: every error hides the secret, and the next call works (${IMPL})`, () => {
  test('the table reaches every code of docs/spec.md §10', () => {
    assert.equal(Object.keys(ERRORS).length, 22)
  })

  for (const [code, action] of Object.entries(ERRORS)) {
    test(code, () => {
      let error
      try {
        action()
      } catch (caught) {
        error = caught
      }
      assert.ok(error instanceof lib.JwtAccordError, `expected JwtAccordError ${code}, got ${error}`)
      assert.equal(error.code, code, error.message)
      assert.equal(error.name, 'JwtAccordError')
      assertHidden(error, code)
      canary(code)
    })
  }

  test('a Signer and a Verifier keep working after each of their errors', () => {
    const signer = new lib.Signer(SECRET, { expiresIn: 60 })
    const verifier = new lib.Verifier([SECRET, OTHER], { audience: 'api' })
    const good = signer.sign({ aud: 'api' }, NOW)
    const failures = [
      () => signer.sign(null, NOW),
      () => signer.sign({ exp: 'soon' }, NOW),
      () => signer.sign({}, Number.NaN),
      () => verifier.verify('a.b.c', NOW),
      () => verifier.verify(good, NOW + 3600),
      () => verifier.verify(good.slice(0, -2), NOW),
      () => verifier.verify(42, NOW),
    ]
    for (const [index, fail] of failures.entries()) {
      assert.throws(fail, (error) => error instanceof Error && (assertHidden(error, `failure ${index}`), true))
      assert.equal(verifier.verify(signer.sign({ aud: 'api', n: index }, NOW), NOW).n, index)
    }
    assertHidden(signer, 'Signer')
    assertHidden(verifier, 'Verifier')
    assertHidden(verifier.verifyFull(good, NOW), 'verifyFull result')
  })

  test('successful results hide the secret too', () => {
    const resolution = lib.resolveSecret({ env: staging({ JWT_SECRET_KEY: ` ${SECRET}-old\n`, JWT_SECRET: SECRET }) })
    for (const [what, value] of [
      ['resolution', resolution],
      ['toJSON()', resolution.toJSON()],
      ['summary()', resolution.summary()],
      ['warnings', resolution.warnings],
      ['candidates', resolution.candidates],
      ['decodeUnverified', lib.decodeUnverified(lib.sign({}, resolution, { now: NOW }))],
      ['checkConsistency', lib.checkConsistency([{ ...resolution.toJSON(), service: 'a', role: 'issuer' }])],
    ]) {
      assertHidden(value, what)
    }
  })
})

/** `{"d":{"d":...}}`, `depth` levels, built without recursion. */
function deepObject(depth) {
  let value = {}
  for (let i = 0; i < depth; i += 1) value = { d: value }
  return value
}

/** The only acceptable outcomes for over-deep input: the core's code, or the host's TypeError. */
function refusedAs(codes) {
  return (error) => {
    if (error instanceof lib.JwtAccordError) {
      assert.ok(codes.includes(error.code), `${error.code}: ${error.message}`)
      return true
    }
    assert.ok(error instanceof TypeError, `expected a JwtAccordError (${codes}) or a TypeError, got ${error && error.name}: ${error && error.message}`)
    return true
  }
}

describe(`hardening: ${DEPTH.toLocaleString('en')}-deep nesting is refused, never a crash (${IMPL})`, () => {
  const deep = deepObject(DEPTH)

  test('a token whose claims nest 100,000 deep is malformed (size limit raised)', () => {
    const token = handSigned(`{"exp":${NOW + 60},"a":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`)
    const verifier = new lib.Verifier(SECRET, { maxTokenBytes: token.length })
    assert.throws(() => verifier.verify(token, NOW), refusedAs(['malformed']))
    assert.throws(() => verifier.verifyFull(token, NOW), refusedAs(['malformed']))
    assert.throws(() => lib.decodeUnverified(token), refusedAs(['token_too_large']))
    canary('a deep token')
  })

  test('nesting that fits in the default size limit is malformed, in claims and header alike', () => {
    const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`
    for (const token of [handSigned(`{"a":${nested}}`), handSigned('{}', `{"alg":"HS256","x":${nested}}`)]) {
      assert.ok(token.length <= 16384)
      assert.throws(() => lib.verify(token, SECRET, { now: NOW }), refusedAs(['malformed']))
      assert.throws(() => lib.decodeUnverified(token), refusedAs(['malformed']))
    }
    canary('deep claims and header')
  })

  test('signing 100,000-deep claims throws, and the next call works', () => {
    const signer = new lib.Signer(SECRET)
    for (const action of [() => lib.sign(deep, SECRET, { now: NOW }), () => signer.sign(deep, NOW), () => signer.sign({ a: [deep] }, NOW)]) {
      assert.throws(action, (error) => error instanceof Error)
      assert.equal(lib.decodeUnverified(signer.sign({ ok: true }, NOW)).claims.ok, true)
    }
    canary('deep claims')
  })

  test('signing 100,000-deep claims is invalid_claims or a TypeError', () => {
    assert.throws(() => lib.sign(deep, SECRET, { now: NOW }), refusedAs(['invalid_claims']))
    assert.throws(() => new lib.Signer(SECRET).sign(deep, NOW), refusedAs(['invalid_claims']))
  })

  test('a 100,000-deep report in checkConsistency throws or is a failed report, and the next call works', () => {
    try {
      const result = lib.checkConsistency([deep])
      assert.equal(result.failures[0].code, 'invalid_report')
    } catch (error) {
      assert.ok(error instanceof Error)
    }
    assert.equal(lib.checkConsistency([]).status, 'incomplete')
    canary('a deep report')
  })

  test('a 100,000-deep report in checkConsistency is a TypeError or a failed report', () => {
    try {
      assert.equal(lib.checkConsistency([deep]).failures[0].code, 'invalid_report')
    } catch (error) {
      assert.ok(error instanceof TypeError, `${error.name}: ${error.message}`)
    }
  })

  test('reports nested deeper than the core accepts are a TypeError with the core\'s reason', () => {
    assert.throws(() => lib.checkConsistency([deepObject(200)]), (error) => {
      assert.ok(error instanceof TypeError, `${error.name}: ${error.message}`)
      assert.equal(error.message, 'reports must be a JSON array: it nests deeper than 127 levels')
      return true
    })
    assert.equal(lib.checkConsistency([]).status, 'incomplete')
  })

  test('a 100,000-deep environment value counts as unset (an object: a binding); a store entry is a TypeError', () => {
    assert.throws(() => lib.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: deep } }), (error) => error.code === 'secret_missing')
    assert.throws(() => lib.resolveSecret({ env: staging(), secretStore: { 'jwt-secret-key': deep } }), TypeError)
    assert.equal(lib.resolveSecret({ env: staging() }).source.name, 'JWT_SECRET_STAGING')
  })
})

describe(`hardening: a panic in native code (${IMPL})`, () => {
  const require = createRequire(import.meta.url)
  if (IMPL === 'node') {
    // Without #[napi(catch_unwind)] a panic aborts the whole process, so the
    // probe runs in a child process. It needs a test-only export that panics.
    const native = require('../node/native.js')
    const hook = ['__panicForTests', 'panicForTests'].find((name) => typeof native[name] === 'function')
    test('becomes an Error and the next call works', { skip: hook ? false : 'the addon has no panic test hook (see SECURITY.md, "Panics")' }, () => {
      const script = `
        const native = require(${JSON.stringify(require.resolve('../node/native.js'))})
        const lib = require(${JSON.stringify(require.resolve('../node/index.js'))})
        try { native.${hook}() } catch (error) { console.log('caught', error instanceof Error) }
        console.log('next', lib.fingerprint('abc'))`
      const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' })
      assert.equal(child.status, 0, `the process died (signal ${child.signal}): ${child.stderr}`)
      assert.match(child.stdout, /caught true/)
      assert.match(child.stdout, /next ba7816bf8f01cfea/)
    })
  } else {
    test('a trap (panic = "abort") becomes an Error and the next call works, on live objects too', async () => {
      const { __internals: internals } = await import('../wasm/node.mjs')
      const signer = new lib.Signer(SECRET, { expiresIn: 60 })
      const verifier = new lib.Verifier(SECRET)
      const before = internals.generation()
      assert.throws(() => internals.abort(), (error) => error instanceof Error && !(error instanceof lib.JwtAccordError))
      assert.ok(internals.generation() > before, 'the module was re-instantiated')
      assert.equal(verifier.verify(signer.sign({ sub: 'after-trap' }, NOW), NOW).sub, 'after-trap')
      canary('a trap')
    })
  }
})

describe(`oversized tokens are refused before they cross into native code (${IMPL})`, () => {
  const expectTooLarge = (fn, size, max) =>
    assert.throws(fn, (error) => {
      assert.ok(error instanceof lib.JwtAccordError, String(error))
      assert.equal(error.code, 'token_too_large')
      assert.equal(error.message, `token has ${size} bytes; at most ${max} are accepted`)
      assert.deepEqual(error.details, { size, maximum: max })
      return true
    })

  test('ASCII: the size is the string length', () => {
    const verifier = new lib.Verifier(SECRET)
    const token = 'a'.repeat(5_000_000)
    expectTooLarge(() => verifier.verify(token, NOW), 5_000_000, 16384)
    expectTooLarge(() => verifier.verifyFull(token, NOW), 5_000_000, 16384)
    expectTooLarge(() => lib.decodeUnverified(token), 5_000_000, 16384)
  })

  test('multibyte text: the size is the UTF-8 length, as the core counts it', () => {
    const verifier = new lib.Verifier(SECRET, { maxTokenBytes: 100 })
    // 60 x 'é' (2 bytes) + 30 x '🙂' (4 bytes, a surrogate pair) + a lone surrogate (3 bytes as U+FFFD)
    const token = 'é'.repeat(60) + '🙂'.repeat(30) + '\ud800'
    expectTooLarge(() => verifier.verify(token, NOW), 60 * 2 + 30 * 4 + 3, 100)
  })

  test('a string within the limit in UTF-16 units is left to the core, which counts bytes', () => {
    const verifier = new lib.Verifier(SECRET, { maxTokenBytes: 100 })
    const token = 'é'.repeat(60) // 60 units, 120 bytes: the core refuses it with the same error
    expectTooLarge(() => verifier.verify(token, NOW), 120, 100)
  })

  test('the next call works', () => {
    const token = new lib.Signer(SECRET, { expiresIn: 60 }).sign({ sub: 'after' }, NOW)
    assert.equal(new lib.Verifier(SECRET).verify(token, NOW).sub, 'after')
  })
})
