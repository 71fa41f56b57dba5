// A marker secret never appears in any output or error: String(resolution),
// util.inspect, JSON.stringify, the summary, warnings, and every error's
// message, details and stack, whatever goes wrong.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import util from 'node:util'

import lib, { IMPL } from './impl.mjs'

const MARKER = 'MARKER7c1e5d9a3b'
const SECRET = `staging-${MARKER}-0f1e2d3c4b5a69788796a5b4` // 48 bytes

/** Every rendering a value could leak through. */
function renderings(value) {
  const out = [
    String(value),
    util.inspect(value),
    util.inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    util.format('%s %o %O %j', value, value, value, value),
  ]
  try {
    out.push(JSON.stringify(value))
  } catch (error) {
    out.push(String(error))
  }
  if (value instanceof Error) {
    out.push(value.message, String(value.stack), JSON.stringify(value.details ?? null), util.inspect(value.details, { depth: Infinity }))
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Reflect.ownKeys(value)) {
      try {
        out.push(util.inspect(value[key], { depth: Infinity, showHidden: true }))
      } catch (error) {
        out.push(String(error))
      }
    }
  }
  return out
}

function assertNoMarker(value, what) {
  for (const text of renderings(value)) {
    assert.ok(!text.includes(MARKER), `${what} shows the secret: ${text.slice(0, 400)}`)
  }
}

/** Runs `fn`, which must throw; the thrown error must not show the marker. */
function errorOf(fn, what) {
  try {
    fn()
  } catch (error) {
    assertNoMarker(error, what)
    return error
  }
  assert.fail(`${what}: expected an error`)
}

describe(`the secret never shows (${IMPL})`, () => {
  test('a resolution: String, inspect, JSON, summary, toJSON, properties, warnings', () => {
    const resolution = lib.resolveSecret({
      env: {
        ENVIRONMENT: 'staging',
        JWT_SECRET_STAGING: ` ${SECRET}\n`,
        JWT_SECRET_KEY: `${SECRET}-other-value`,
        JWT_SECRET: SECRET,
        JWT_SECRET_PRODUCTION: `${SECRET}-prod`,
      },
      secretStore: { 'jwt-secret-key': `${SECRET}-from-store` },
    })
    assert.ok(resolution.warnings.length >= 3, 'several warnings were produced')
    assertNoMarker(resolution, 'resolution')
    assertNoMarker(resolution.summary(), 'summary()')
    assertNoMarker(resolution.toJSON(), 'toJSON()')
    assertNoMarker(resolution.warnings, 'warnings')
    assertNoMarker(resolution.candidates, 'candidates')
    assert.equal(resolution.exposeSecret(), SECRET, 'only exposeSecret() gives the secret (stripped)')
  })

  test('a development resolution with a short, placeholder-like secret', () => {
    const resolution = lib.resolveSecret({ env: { JWT_SECRET_KEY: `your-${MARKER}` }, environment: 'dev' })
    assert.ok(resolution.warnings.some((w) => w.code === 'insecure_secret'))
    assertNoMarker(resolution, 'development resolution')
  })

  test('resolution errors: too short, placeholder, public key, reused across environments', () => {
    const env = (value, extra = {}) => ({ ENVIRONMENT: 'production', JWT_SECRET_PRODUCTION: value, ...extra })
    const cases = {
      secret_too_short: env(MARKER),
      insecure_secret: env(`your-${MARKER}-and-then-a-long-enough-tail`),
      secret_reused_across_environments: env(SECRET, { JWT_SECRET_STAGING: SECRET }),
    }
    for (const [code, variables] of Object.entries(cases)) {
      const error = errorOf(() => lib.resolveSecret({ env: variables }), code)
      assert.equal(error.code, code)
    }
    const pem = errorOf(
      () => lib.resolveSecret({ env: env(`-----BEGIN PUBLIC KEY-----${MARKER}AAAAAAAAAAAAAAAAAAAAAAAA`) }),
      'public key',
    )
    assert.equal(pem.code, 'insecure_secret')
  })

  test('key errors: short, public-key material, wrong types holding the secret', () => {
    assert.equal(errorOf(() => new lib.Signer(MARKER), 'short key').code, 'invalid_key')
    assert.equal(errorOf(() => new lib.Verifier(`ssh-rsa ${MARKER} AAAAAAAAAAAAAAAAAAAAAAA`), 'ssh key').code, 'invalid_key')
    assert.equal(errorOf(() => lib.sign({}, `-----BEGIN ${MARKER}-----AAAAAAAAAAAAAAAAAAAAA`), 'pem key').code, 'invalid_key')
    assert.ok(errorOf(() => new lib.Signer({ secret: SECRET }), 'key object') instanceof TypeError)
    assert.ok(errorOf(() => new lib.Verifier([SECRET, { secret: SECRET }]), 'key in a list') instanceof TypeError)
    assert.ok(errorOf(() => lib.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: [SECRET] } }), 'env value') instanceof TypeError)
    assert.ok(errorOf(() => lib.resolveSecret({ env: { ENVIRONMENT: 'staging' }, secretStore: () => [SECRET] }), 'store value') instanceof TypeError)
  })

  test('token errors name fingerprints, never the secret', () => {
    const token = lib.sign({ sub: 'u' }, SECRET, { expiresIn: 60, now: 1_700_000_000 })
    const other = `${SECRET}-rotated`
    const unknownKey = errorOf(() => lib.verify(token, other, { now: 1_700_000_000 }), 'unknown_key')
    assert.equal(unknownKey.code, 'unknown_key')
    assert.deepEqual(unknownKey.details.held, [lib.fingerprint(other)])
    const noKid = lib.sign({ exp: 1_700_000_060 }, SECRET, { kid: false, now: 1_700_000_000 })
    assert.equal(errorOf(() => lib.verify(noKid, [other, `${other}-2`], { now: 1_700_000_000 }), 'invalid_signature').code, 'invalid_signature')
    assert.equal(errorOf(() => lib.verify(token, SECRET, { now: 1_800_000_000 }), 'expired').code, 'expired')
    assert.equal(errorOf(() => lib.sign({ exp: 5 }, SECRET, { expiresIn: 60, now: 1 }), 'conflicting_claim').code, 'conflicting_claim')
  })

  test('signers and verifiers hold the key out of sight', () => {
    const signer = new lib.Signer(SECRET)
    const verifier = new lib.Verifier([SECRET, Buffer.from(`${SECRET}-2`)])
    assertNoMarker(signer, 'Signer')
    assertNoMarker(verifier, 'Verifier')
  })

  test('a token carries the fingerprint as kid, not the secret', () => {
    const token = lib.sign({}, SECRET, { now: 1_700_000_000 })
    const { header, claims } = lib.decodeUnverified(token)
    assert.equal(header.kid, lib.fingerprint(SECRET))
    assertNoMarker({ header, claims, token }, 'token')
  })
})
