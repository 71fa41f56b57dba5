// Interop both ways with the libraries services use today: tokens we sign
// verify in jsonwebtoken and jose, and theirs verify in ours.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, test } from 'node:test'

import * as jose from 'jose'

import lib, { IMPL } from './impl.mjs'

const require = createRequire(import.meta.url)
const jsonwebtoken = require('jsonwebtoken')

const SECRET = 'interop-secret-5b1e0c9d7a3f2e8b6d4c1a0f9e8d7c6b'
const KEY = new TextEncoder().encode(SECRET)
const NOW = Math.floor(Date.now() / 1000)
const CLAIMS = { sub: 'user-1', role: 'admin', scopes: ['read', 'write'], nested: { a: 1, b: [true, null] } }

function expectCode(fn, code) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof lib.JwtAccordError, `expected JwtAccordError, got ${error}`)
    assert.equal(error.code, code, error.message)
    return true
  })
}

describe(`our tokens verify elsewhere (${IMPL})`, () => {
  const signer = new lib.Signer(SECRET, { expiresIn: 900, issuer: 'auth', audience: 'api', tokenType: 'access' })
  const token = signer.sign(CLAIMS, NOW)

  test('jsonwebtoken verifies with the text secret, checking iss, aud and exp', () => {
    const claims = jsonwebtoken.verify(token, SECRET, { algorithms: ['HS256'], issuer: 'auth', audience: 'api' })
    assert.deepEqual(claims, { ...CLAIMS, iss: 'auth', aud: 'api', exp: NOW + 900, iat: NOW, token_type: 'access' })
    const { header } = jsonwebtoken.decode(token, { complete: true })
    assert.deepEqual(header, { typ: 'JWT', alg: 'HS256', kid: lib.fingerprint(SECRET) })
  })

  test('jsonwebtoken verifies with a Buffer secret', () => {
    const claims = jsonwebtoken.verify(token, Buffer.from(SECRET), { algorithms: ['HS256'] })
    assert.equal(claims.sub, 'user-1')
  })

  test('jsonwebtoken refuses it with another secret', () => {
    assert.throws(
      () => jsonwebtoken.verify(token, `${SECRET}-other`, { algorithms: ['HS256'] }),
      /invalid signature/,
    )
  })

  test('jose verifies with the secret bytes, checking iss, aud and exp', async () => {
    const { payload, protectedHeader } = await jose.jwtVerify(token, KEY, {
      algorithms: ['HS256'],
      issuer: 'auth',
      audience: 'api',
    })
    assert.deepEqual(payload, { ...CLAIMS, iss: 'auth', aud: 'api', exp: NOW + 900, iat: NOW, token_type: 'access' })
    assert.equal(protectedHeader.kid, lib.fingerprint(SECRET))
  })

  test('a token signed with a Uint8Array key is the same token', () => {
    assert.equal(new lib.Signer(KEY, { expiresIn: 900, issuer: 'auth', audience: 'api', tokenType: 'access' }).sign(CLAIMS, NOW), token)
  })

  test('a resolution key signs tokens jose verifies with exposeSecret()', async () => {
    const resolution = lib.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: SECRET } })
    const fromResolution = lib.sign({ sub: 'r' }, resolution, { expiresIn: 60 })
    const { payload } = await jose.jwtVerify(fromResolution, new TextEncoder().encode(resolution.exposeSecret()))
    assert.equal(payload.sub, 'r')
    assert.equal(jsonwebtoken.verify(fromResolution, resolution.exposeSecret()).sub, 'r')
  })

  test('audience lists survive the trip', async () => {
    const listed = lib.sign({}, SECRET, { audience: ['api', 'web'], expiresIn: 60 })
    assert.deepEqual(jsonwebtoken.verify(listed, SECRET, { audience: 'web' }).aud, ['api', 'web'])
    const { payload } = await jose.jwtVerify(listed, KEY, { audience: 'web' })
    assert.deepEqual(payload.aud, ['api', 'web'])
  })
})

describe(`their tokens verify here (${IMPL})`, () => {
  const verifier = new lib.Verifier(SECRET, { issuer: 'auth', audience: 'api' })

  test('jsonwebtoken with expiresIn, issuer and audience', () => {
    const token = jsonwebtoken.sign(CLAIMS, SECRET, { algorithm: 'HS256', expiresIn: 900, issuer: 'auth', audience: 'api' })
    const claims = verifier.verify(token)
    assert.deepEqual(claims, { ...CLAIMS, iss: 'auth', aud: 'api', iat: claims.iat, exp: claims.iat + 900 })
    const full = verifier.verifyFull(token)
    assert.deepEqual(full.header, { alg: 'HS256', typ: 'JWT' })
    assert.equal(full.keyFingerprint, lib.fingerprint(SECRET))
  })

  test('jsonwebtoken with a Buffer secret and a foreign kid scheme', () => {
    const token = jsonwebtoken.sign({ sub: 'k', exp: NOW + 60, iss: 'auth', aud: 'api' }, Buffer.from(SECRET), {
      algorithm: 'HS256',
      keyid: 'legacy-key-2019',
    })
    assert.equal(verifier.verify(token).sub, 'k')
    assert.equal(verifier.verifyFull(token).header.kid, 'legacy-key-2019')
  })

  test('jsonwebtoken with another secret: invalid_signature, or unknown_key for a fingerprint kid', () => {
    const other = `${SECRET}-rotated`
    expectCode(() => verifier.verify(jsonwebtoken.sign({ exp: NOW + 60 }, other)), 'invalid_signature')
    const withKid = jsonwebtoken.sign({ exp: NOW + 60 }, other, { keyid: lib.fingerprint(other) })
    expectCode(() => verifier.verify(withKid), 'unknown_key')
  })

  test('jsonwebtoken HS384 and alg none are refused as unsupported_algorithm', () => {
    expectCode(() => verifier.verify(jsonwebtoken.sign({ exp: NOW + 60 }, SECRET, { algorithm: 'HS384' })), 'unsupported_algorithm')
    const unsigned = jsonwebtoken.sign({ exp: NOW + 60, iss: 'auth', aud: 'api' }, null, { algorithm: 'none' })
    expectCode(() => verifier.verify(unsigned), 'unsupported_algorithm')
  })

  test('jsonwebtoken without exp is missing_claim by default', () => {
    const token = jsonwebtoken.sign({ sub: 'x', iss: 'auth', aud: 'api' }, SECRET)
    expectCode(() => verifier.verify(token), 'missing_claim')
    assert.equal(new lib.Verifier(SECRET, { issuer: 'auth', audience: 'api', required: [] }).verify(token).sub, 'x')
  })

  test('jsonwebtoken expired is expired, with the exp in details', () => {
    const token = jsonwebtoken.sign({ exp: NOW - 120, iss: 'auth', aud: 'api' }, SECRET)
    assert.throws(
      () => verifier.verify(token, NOW),
      (error) => error.code === 'expired' && error.details.exp === NOW - 120 && /2 minutes ago/.test(error.message),
    )
  })

  test('jose SignJWT with every registered claim', async () => {
    const token = await new jose.SignJWT({ role: 'admin', token_type: 'access' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('auth')
      .setAudience(['web', 'api'])
      .setSubject('user-1')
      .setJti('j-1')
      .setIssuedAt(NOW)
      .setNotBefore(NOW)
      .setExpirationTime(NOW + 900)
      .sign(KEY)
    const claims = new lib.Verifier(SECRET, { issuer: 'auth', audience: 'api', tokenType: 'access', maxAge: 60 }).verify(token, NOW + 1)
    assert.deepEqual(claims, {
      role: 'admin',
      token_type: 'access',
      iss: 'auth',
      aud: ['web', 'api'],
      sub: 'user-1',
      jti: 'j-1',
      iat: NOW,
      nbf: NOW,
      exp: NOW + 900,
    })
  })

  test('jose with the wrong audience is invalid_audience; not yet valid is not_yet_valid', async () => {
    const wrongAudience = await new jose.SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('auth').setAudience('billing').setExpirationTime(NOW + 60).sign(KEY)
    expectCode(() => verifier.verify(wrongAudience, NOW), 'invalid_audience')
    const later = await new jose.SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('auth').setAudience('api').setNotBefore(NOW + 600).setExpirationTime(NOW + 900).sign(KEY)
    expectCode(() => verifier.verify(later, NOW), 'not_yet_valid')
  })

  test('our keyring verifies tokens signed by either library with the older key', async () => {
    const older = 'interop-older-secret-aa11bb22cc33dd44ee55ff66'
    const ring = new lib.Verifier([SECRET, older], { issuer: 'auth', audience: 'api' })
    const a = jsonwebtoken.sign({ exp: NOW + 60, iss: 'auth', aud: 'api', sub: 'a' }, older)
    const b = await new jose.SignJWT({ sub: 'b' }).setProtectedHeader({ alg: 'HS256', kid: lib.fingerprint(older) }).setIssuer('auth').setAudience('api').setExpirationTime(NOW + 60).sign(new TextEncoder().encode(older))
    assert.equal(ring.verify(a).sub, 'a')
    const full = ring.verifyFull(b)
    assert.equal(full.claims.sub, 'b')
    assert.equal(full.keyFingerprint, lib.fingerprint(older))
  })

  test('decodeUnverified reads their tokens too', () => {
    const token = jsonwebtoken.sign({ sub: 'd', exp: 1 }, SECRET, { noTimestamp: true })
    assert.deepEqual(lib.decodeUnverified(token), { header: { alg: 'HS256', typ: 'JWT' }, claims: { sub: 'd', exp: 1 } })
  })
})
