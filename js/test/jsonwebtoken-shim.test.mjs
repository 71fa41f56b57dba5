// jwt-accord/jsonwebtoken (js/shared/integrations/jsonwebtoken.mjs), on the
// build this stage tests: a port of the HS256-relevant tests of jsonwebtoken's
// own repository (auth0/node-jsonwebtoken, test/; not in the npm package),
// each naming the file and test it mirrors. Where jwt-accord deliberately
// differs (docs/coming-from/jsonwebtoken.md, "What differs"), the port asserts
// our outcome and says so. Secrets are 32 bytes or more (the core refuses
// shorter raw keys); tokens that jsonwebtoken's tests sign without `exp` get
// one (the core requires `exp` by default) unless the test is about that, and
// tokens verified at `clockTimestamp: NOW` are issued at NOW (the core refuses
// an `iat` in the future; jsonwebtoken does not look).
import assert from 'node:assert/strict'
import { createSecretKey, generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'

import lib from './impl.mjs'

const { IMPL } = await import('./impl.mjs')
const mod = await import(IMPL === 'node' ? 'jwt-accord/jsonwebtoken' : 'jwt-accord-wasm/jsonwebtoken')
const jwt = typeof mod.sign === 'function' ? mod : mod.default
const { JsonWebTokenError, NotBeforeError, TokenExpiredError } = jwt

const SECRET = 'shhhhh-jsonwebtoken-port-0123456789abcdef'
const NOW = 1_700_000_000
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** Asserts a jsonwebtoken error: its class, message and jwt-accord code. */
function isError(Class, message, code) {
  return (error) => {
    assert.ok(error instanceof Class, `${error && error.name}: ${error && error.message}`)
    assert.ok(error instanceof JsonWebTokenError && error instanceof Error)
    if (message !== undefined) assert.equal(error.message, message)
    if (code !== undefined) assert.equal(error.code, code)
    return true
  }
}

describe(`jwt-accord${IMPL === 'node' ? '' : '-wasm'}/jsonwebtoken: jsonwebtoken's tests, ported`, () => {
  describe('test/jwt.hs.tests.js', () => {
    const token = jwt.sign({ foo: 'bar' }, SECRET, { algorithm: 'HS256', expiresIn: '1h' })

    test('should be syncronous', () => {
      assert.equal(typeof token, 'string')
      assert.equal(token.split('.').length, 3)
    })
    test('should validate with secret', () => {
      assert.equal(jwt.verify(token, SECRET).foo, 'bar')
    })
    test('should throw with invalid secret', () => {
      assert.throws(() => jwt.verify(token, `${SECRET}-other`), isError(JsonWebTokenError, 'invalid signature', 'unknown_key'))
    })
    test('should throw with secret and token not signed', () => {
      const unsigned = `${token.split('.').slice(0, 2).join('.')}.`
      assert.throws(() => jwt.verify(unsigned, SECRET), isError(JsonWebTokenError, undefined))
    })
    test('should throw with falsy secret and token not signed', () => {
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ foo: 'bar' })}.`
      assert.throws(() => jwt.verify(unsigned, null), isError(JsonWebTokenError, 'secret or public key must have a value', 'invalid_key'))
      // alg none with a secret: jwt-accord's unsupported_algorithm ('invalid algorithm').
      assert.throws(() => jwt.verify(unsigned, SECRET), isError(JsonWebTokenError, 'invalid algorithm', 'unsupported_algorithm'))
    })
    test('should throw when verifying null', () => {
      assert.throws(() => jwt.verify(null, SECRET), isError(JsonWebTokenError, 'jwt must be provided', 'missing_token'))
    })
    test('should return an error when the token is expired', () => {
      const expired = jwt.sign({ iat: NOW, exp: 1 }, SECRET)
      assert.throws(() => jwt.verify(expired, SECRET, { algorithms: ['HS256'] }), isError(TokenExpiredError, 'jwt expired', 'expired'))
    })
    test('should NOT return an error when the token is expired with "ignoreExpiration"', () => {
      // (jsonwebtoken's test signs { exp: 1 } issued now: jwt-accord refuses an iat after exp as not yet valid.)
      const expired = jwt.sign({ iat: NOW - 100, exp: NOW - 50, foo: 'bar' }, SECRET)
      assert.equal(jwt.verify(expired, SECRET, { algorithms: ['HS256'], ignoreExpiration: true }).foo, 'bar')
    })
    test('should default to HS256 algorithm when no options are passed', () => {
      assert.equal(jwt.decode(jwt.sign({ iat: NOW, foo: 'bar', exp: NOW * 2 }, SECRET), { complete: true }).header.alg, 'HS256')
    })
    test('should return the "invalid token" error (jwt-accord: "jwt malformed")', () => {
      const malformed = `${token.split('.')[0]}.${Buffer.from('{"foo":').toString('base64url')}.${token.split('.')[2]}`
      assert.throws(() => jwt.verify(malformed, SECRET), isError(JsonWebTokenError))
    })
  })

  describe('test/claim-exp.test.js', () => {
    for (const [expiresIn, seconds] of [[10, 10], ['10s', 10], ['1m', 60], ['2h', 7200], ['7d', 604800], ['1 day', 86400], [1.9, 1]]) {
      test(`should set correct "exp" with "expiresIn" ${JSON.stringify(expiresIn)}`, () => {
        const token = jwt.sign({ iat: NOW }, SECRET, { expiresIn })
        assert.equal(jwt.decode(token).exp, NOW + seconds)
      })
    }
    for (const expiresIn of [true, false, null, {}, [], 'invalid', '60', NaN, Infinity]) {
      test(`should error with with value ${String(JSON.stringify(expiresIn))} (jwt-accord: '60' too, which jsonwebtoken reads as 60 ms)`, () => {
        assert.throws(() => jwt.sign({}, SECRET, { expiresIn }), /expiresIn/)
      })
    }
    test('should error with expiresIn and a payload exp (jwt-accord: when they differ, conflicting_claim)', () => {
      assert.throws(() => jwt.sign({ iat: NOW, exp: NOW + 100, iat: NOW }, SECRET, { expiresIn: 10 }), isError(JsonWebTokenError, undefined, 'conflicting_claim'))
    })
    test('should error on verify if "exp" is at current time', () => {
      const token = jwt.sign({ iat: NOW, exp: NOW }, SECRET)
      assert.throws(() => jwt.verify(token, SECRET, { clockTimestamp: NOW }), (error) => {
        isError(TokenExpiredError, 'jwt expired', 'expired')(error)
        assert.deepEqual(error.expiredAt, new Date(NOW * 1000))
        assert.match(error.inner.message, /token expired 0 seconds ago|token expired/)
        return true
      })
    })
    test('should error on verify if "exp" is before current time', () => {
      const token = jwt.sign({ iat: NOW, exp: NOW - 1 }, SECRET)
      assert.throws(() => jwt.verify(token, SECRET, { clockTimestamp: NOW }), isError(TokenExpiredError, 'jwt expired'))
    })
    test('should verify when "exp" is after current time', () => {
      assert.equal(jwt.verify(jwt.sign({ iat: NOW, exp: NOW + 1 }, SECRET), SECRET, { clockTimestamp: NOW }).exp, NOW + 1)
    })
    test('should verify if "exp" is in the past within clockTolerance', () => {
      assert.equal(jwt.verify(jwt.sign({ iat: NOW, exp: NOW - 5 }, SECRET), SECRET, { clockTimestamp: NOW, clockTolerance: 6 }).exp, NOW - 5)
    })
    test('should verify if "exp" is in the past with "ignoreExpiration"', () => {
      assert.equal(jwt.verify(jwt.sign({ iat: NOW - 600, exp: NOW - 500 }, SECRET), SECRET, { clockTimestamp: NOW, ignoreExpiration: true }).exp, NOW - 500)
    })
  })

  describe('test/claim-nbf.test.js', () => {
    test('should set correct "nbf" with "notBefore" as a number and a string', () => {
      assert.equal(jwt.decode(jwt.sign({ iat: NOW, exp: NOW * 2 }, SECRET, { notBefore: 10 })).nbf, NOW + 10)
      assert.equal(jwt.decode(jwt.sign({ iat: NOW, exp: NOW * 2 }, SECRET, { notBefore: '1m' })).nbf, NOW + 60)
    })
    test('should error on verify if "nbf" is after current time', () => {
      const token = jwt.sign({ iat: NOW, nbf: NOW + 1, exp: NOW + 100 }, SECRET)
      assert.throws(() => jwt.verify(token, SECRET, { clockTimestamp: NOW }), (error) => {
        isError(NotBeforeError, 'jwt not active', 'not_yet_valid')(error)
        assert.deepEqual(error.date, new Date((NOW + 1) * 1000))
        return true
      })
    })
    test('should verify if "nbf" is at or before current time', () => {
      assert.equal(jwt.verify(jwt.sign({ iat: NOW, nbf: NOW, exp: NOW + 100 }, SECRET), SECRET, { clockTimestamp: NOW }).nbf, NOW)
    })
    test('should verify if "nbf" is in the future within clockTolerance', () => {
      assert.equal(jwt.verify(jwt.sign({ iat: NOW, nbf: NOW + 5, exp: NOW + 100 }, SECRET), SECRET, { clockTimestamp: NOW, clockTolerance: 5 }).nbf, NOW + 5)
    })
    test('ignoreNotBefore (jwt-accord: refused, nbf is always checked)', () => {
      const token = jwt.sign({ iat: NOW, nbf: NOW + 5, exp: NOW + 100 }, SECRET)
      assert.throws(() => jwt.verify(token, SECRET, { clockTimestamp: NOW, ignoreNotBefore: true }), TypeError)
    })
  })

  describe('test/claim-aud.test.js', () => {
    const token = jwt.sign({ iat: NOW }, SECRET, { audience: ['urn:foo', 'urn:bar'], expiresIn: 60 })
    test('should verify with a string "audience" matching one of the token\'s', () => {
      assert.deepEqual(jwt.verify(token, SECRET, { audience: 'urn:foo', clockTimestamp: NOW }).aud, ['urn:foo', 'urn:bar'])
    })
    test('should verify with an array "audience" with one match', () => {
      assert.ok(jwt.verify(token, SECRET, { audience: ['urn:no', 'urn:bar'], clockTimestamp: NOW }))
    })
    test('should error on no match', () => {
      assert.throws(
        () => jwt.verify(token, SECRET, { audience: ['urn:wrong', 'urn:no'], clockTimestamp: NOW }),
        isError(JsonWebTokenError, 'jwt audience invalid. expected: urn:wrong or urn:no', 'invalid_audience'),
      )
    })
    test('RegExp audience (jwt-accord: refused)', () => {
      assert.throws(() => jwt.verify(token, SECRET, { audience: /urn:f/, clockTimestamp: NOW }), TypeError)
    })
    test('a token with "aud" verified with no "audience" (jwt-accord: refused, RFC 7519 4.1.3)', () => {
      assert.throws(() => jwt.verify(token, SECRET, { clockTimestamp: NOW }), isError(JsonWebTokenError, undefined, 'invalid_audience'))
    })
  })

  describe('test/claim-iss.test.js, claim-sub.test.js, claim-jti.test.js', () => {
    const token = jwt.sign({ iat: NOW }, SECRET, { issuer: 'foo', subject: 'user', jwtid: 'id-1', expiresIn: 60 })
    test('should verify matching "issuer", "subject", "jwtid"', () => {
      const claims = jwt.verify(token, SECRET, { issuer: ['bar', 'foo'], subject: 'user', jwtid: 'id-1', clockTimestamp: NOW })
      assert.deepEqual([claims.iss, claims.sub, claims.jti], ['foo', 'user', 'id-1'])
    })
    test('should error on "issuer" mismatch', () => {
      assert.throws(() => jwt.verify(token, SECRET, { issuer: 'bar', clockTimestamp: NOW }), isError(JsonWebTokenError, 'jwt issuer invalid. expected: bar', 'invalid_issuer'))
    })
    test('should error on "subject" mismatch', () => {
      assert.throws(() => jwt.verify(token, SECRET, { subject: 'other', clockTimestamp: NOW }), isError(JsonWebTokenError, 'jwt subject invalid. expected: other', 'invalid_claims'))
    })
    test('should error on "jwtid" mismatch', () => {
      assert.throws(() => jwt.verify(token, SECRET, { jwtid: 'id-2', clockTimestamp: NOW }), isError(JsonWebTokenError, 'jwt jwtid invalid. expected: id-2'))
    })
    test('should error when the payload already holds a different "sub" (jwt-accord: conflicting_claim)', () => {
      assert.throws(() => jwt.sign({ sub: 'a' }, SECRET, { subject: 'b' }), isError(JsonWebTokenError, undefined, 'conflicting_claim'))
    })
  })

  describe('test/claim-iat.test.js, test/noTimestamp.tests.js', () => {
    test('should set "iat" to now by default, and keep a payload "iat"', () => {
      const before = Math.floor(Date.now() / 1000)
      assert.ok(jwt.decode(jwt.sign({}, SECRET)).iat >= before)
      assert.equal(jwt.decode(jwt.sign({ iat: NOW }, SECRET)).iat, NOW)
    })
    test('should not set "iat" with "noTimestamp", and still count "expiresIn" from now', () => {
      const claims = jwt.decode(jwt.sign({ foo: 123 }, SECRET, { expiresIn: '5m', noTimestamp: true }))
      assert.equal(claims.iat, undefined)
      assert.ok(Math.abs(claims.exp - (Date.now() / 1000 + 300)) < 5)
    })
  })

  describe('test/option-maxAge.test.js', () => {
    const token = jwt.sign({ iat: NOW - 100, exp: NOW + 100 }, SECRET)
    for (const maxAge of [200, '3m', '1h']) {
      test(`should work with maxAge ${JSON.stringify(maxAge)}`, () => {
        assert.ok(jwt.verify(token, SECRET, { maxAge, clockTimestamp: NOW }))
      })
    }
    test('should error when the token is older than maxAge', () => {
      assert.throws(() => jwt.verify(token, SECRET, { maxAge: '1m', clockTimestamp: NOW }), (error) => {
        isError(TokenExpiredError, 'maxAge exceeded', 'expired')(error)
        assert.deepEqual(error.expiredAt, new Date((NOW - 40) * 1000))
        return true
      })
    })
    test('should error without "iat" (jwt-accord: missing_claim)', () => {
      const noIat = jwt.sign({ iat: NOW, exp: NOW + 100 }, SECRET, { noTimestamp: true })
      assert.throws(() => jwt.verify(noIat, SECRET, { maxAge: 60, clockTimestamp: NOW }), isError(JsonWebTokenError, undefined, 'missing_claim'))
    })
    test('maxAge still applies with ignoreExpiration', () => {
      const old = jwt.sign({ iat: NOW - 1000, exp: NOW - 900 }, SECRET)
      assert.throws(() => jwt.verify(old, SECRET, { maxAge: 60, ignoreExpiration: true, clockTimestamp: NOW }), isError(TokenExpiredError, 'maxAge exceeded'))
      assert.ok(jwt.verify(old, SECRET, { maxAge: 2000, ignoreExpiration: true, clockTimestamp: NOW }))
    })
  })

  describe('test/option-nonce.test.js, option-complete.test.js, option-clockTimestamp.test.js', () => {
    const token = jwt.sign({ nonce: 'abcde', iat: NOW, exp: NOW + 60 }, SECRET, { keyid: 'key-1' })
    test('should verify with a matching nonce, and error otherwise', () => {
      assert.equal(jwt.verify(token, SECRET, { nonce: 'abcde', clockTimestamp: NOW }).nonce, 'abcde')
      assert.throws(() => jwt.verify(token, SECRET, { nonce: 'x', clockTimestamp: NOW }), isError(JsonWebTokenError, 'jwt nonce invalid. expected: x'))
    })
    test('should return header, payload and signature with "complete"', () => {
      const full = jwt.verify(token, SECRET, { complete: true, clockTimestamp: NOW })
      assert.deepEqual(full.header, { alg: 'HS256', kid: 'key-1', typ: 'JWT' })
      assert.equal(full.payload.nonce, 'abcde')
      assert.equal(full.signature, token.split('.')[2])
    })
    test('should verify at "clockTimestamp"', () => {
      assert.throws(() => jwt.verify(token, SECRET, { clockTimestamp: NOW + 61 }), TokenExpiredError)
      assert.throws(() => jwt.verify(token, SECRET, { clockTimestamp: 'x' }), isError(JsonWebTokenError, 'clockTimestamp must be a number'))
    })
  })

  describe('test/keyid.tests.js, test/set_headers.tests.js', () => {
    test('should add "kid" to the header', () => {
      assert.equal(jwt.decode(jwt.sign({ iat: NOW, exp: NOW }, SECRET, { keyid: '1234' }), { complete: true }).header.kid, '1234')
      assert.equal(jwt.decode(jwt.sign({ iat: NOW, exp: NOW }, SECRET, { header: { kid: 'h' } }), { complete: true }).header.kid, 'h')
    })
    test('without keyid, jwt-accord writes the key fingerprint as kid', () => {
      assert.equal(jwt.decode(jwt.sign({ iat: NOW, exp: NOW }, SECRET), { complete: true }).header.kid, lib.fingerprint(SECRET))
    })
    test('other header parameters (jwt-accord: refused)', () => {
      assert.throws(() => jwt.sign({ iat: NOW, exp: NOW }, SECRET, { header: { foo: 'bar' } }), TypeError)
    })
  })

  describe('test/verify.tests.js', () => {
    test('should first assume JSON claim set', () => {
      const token = jwt.sign({ iat: NOW, foo: 'bar', exp: NOW + 10 }, SECRET)
      assert.deepEqual(jwt.verify(token, SECRET, { clockTimestamp: NOW }), { foo: 'bar', exp: NOW + 10, iat: jwt.decode(token).iat })
    })
    test('should not be able to verify unsigned token', () => {
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ foo: 'bar' })}.`
      assert.throws(() => jwt.verify(unsigned, SECRET), isError(JsonWebTokenError, 'invalid algorithm'))
    })
    test('should be able to verify with a KeyObject secret and a Buffer', () => {
      const token = jwt.sign({ iat: NOW, exp: NOW + 10 }, createSecretKey(Buffer.from(SECRET)))
      assert.ok(jwt.verify(token, Buffer.from(SECRET), { clockTimestamp: NOW }))
    })
    test('a public KeyObject (jwt-accord: invalid_key)', () => {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      assert.throws(() => jwt.verify(jwt.sign({ iat: NOW, exp: NOW + 10 }, SECRET), publicKey), isError(JsonWebTokenError, undefined, 'invalid_key'))
    })
    test('algorithms other than HS256 are refused, never ignored (unsupported_algorithm)', () => {
      const token = jwt.sign({ iat: NOW, exp: NOW + 10 }, SECRET)
      for (const algorithms of [['RS256'], ['HS256', 'HS512'], ['none']]) {
        assert.throws(() => jwt.verify(token, SECRET, { algorithms, clockTimestamp: NOW }), isError(JsonWebTokenError, 'invalid algorithm', 'unsupported_algorithm'))
      }
      assert.throws(() => jwt.sign({}, SECRET, { algorithm: 'HS512' }), isError(JsonWebTokenError, undefined, 'unsupported_algorithm'))
      const hs384 = `${b64({ alg: 'HS384', typ: 'JWT' })}.${b64({ exp: NOW + 10 })}.AAAA`
      assert.throws(() => jwt.verify(hs384, SECRET, { clockTimestamp: NOW }), isError(JsonWebTokenError, 'invalid algorithm'))
    })
    test('a token with no "exp" (jwt-accord: refused, missing_claim)', () => {
      const token = jwt.sign({ foo: 'bar' }, SECRET)
      assert.throws(() => jwt.verify(token, SECRET), isError(JsonWebTokenError, undefined, 'missing_claim'))
    })
    test('the error carries the core\'s diagnosis in inner: another key signed it', () => {
      const token = jwt.sign({ iat: NOW, exp: NOW + 10 }, `${SECRET}-other`)
      assert.throws(() => jwt.verify(token, SECRET, { clockTimestamp: NOW }), (error) => {
        isError(JsonWebTokenError, 'invalid signature', 'unknown_key')(error)
        assert.equal(error.inner.name, 'JwtAccordError')
        assert.deepEqual(error.details.held, [lib.fingerprint(SECRET)])
        return true
      })
    })
    test('unknown verify options are refused; sign options are ignored, as jsonwebtoken does', () => {
      const token = jwt.sign({ iat: NOW, exp: NOW + 10 }, SECRET)
      assert.throws(() => jwt.verify(token, SECRET, { audiance: 'x' }), TypeError)
      assert.ok(jwt.verify(token, SECRET, { expiresIn: '1h', clockTimestamp: NOW }))
    })
  })

  describe('test/decoding.tests.js, test/non_object_values.tests.js, test/schema.tests.js', () => {
    test('should not crash when decoding a null token', () => {
      assert.equal(jwt.decode(null), null)
      assert.equal(jwt.decode('a.b'), null)
    })
    test('a string payload (jwt-accord: refused, JSON claims only)', () => {
      assert.throws(() => jwt.sign('hello', SECRET), isError(JsonWebTokenError, undefined, 'invalid_claims'))
      assert.throws(() => jwt.sign(undefined, SECRET), isError(JsonWebTokenError, 'payload is required'))
    })
    test('unknown sign options are refused', () => {
      assert.throws(() => jwt.sign({}, SECRET, { foo: 1 }), /"foo" is not allowed in "options"/)
    })
    test('a short secret (jwt-accord: invalid_key, 32 bytes at least)', () => {
      assert.throws(() => jwt.sign({}, 'shhhhh'), isError(JsonWebTokenError, undefined, 'invalid_key'))
    })
    test('mutatePayload writes the claims set back', () => {
      const payload = { foo: 'bar', iat: NOW }
      jwt.sign(payload, SECRET, { expiresIn: 60, mutatePayload: true })
      assert.deepEqual(payload, { foo: 'bar', iat: NOW, exp: NOW + 60 })
    })
  })

  describe('test/async_sign.tests.js, callback forms', () => {
    test('should work with empty options, asynchronously', async () => {
      let called = false
      const token = await new Promise((resolve, reject) => {
        jwt.sign({ iat: NOW, abc: 1, exp: NOW + 10 }, SECRET, (error, t) => (error ? reject(error) : resolve(t)))
        assert.equal(called, false)
        called = true
      })
      assert.equal(jwt.verify(token, SECRET, { clockTimestamp: NOW }).abc, 1)
    })
    test('should return an error to the callback', async () => {
      const error = await new Promise((resolve) => jwt.sign({}, SECRET, { algorithm: 'RS256' }, resolve))
      assert.equal(error.code, 'unsupported_algorithm')
    })
    test('verify calls back with the payload or the error', async () => {
      const token = jwt.sign({ iat: NOW, exp: NOW + 10 }, SECRET)
      const payload = await new Promise((resolve, reject) => jwt.verify(token, SECRET, { clockTimestamp: NOW }, (e, p) => (e ? reject(e) : resolve(p))))
      assert.equal(payload.exp, NOW + 10)
      const error = await new Promise((resolve) => jwt.verify(token, SECRET, { clockTimestamp: NOW + 20 }, resolve))
      assert.ok(error instanceof TokenExpiredError)
    })
    test('a secret callback (getKey) gets the header', async () => {
      const token = jwt.sign({ iat: NOW, exp: NOW + 10 }, SECRET, { keyid: 'k1' })
      const getKey = (header, done) => done(null, header.kid === 'k1' ? SECRET : 'x')
      const payload = await new Promise((resolve, reject) => jwt.verify(token, getKey, { clockTimestamp: NOW }, (e, p) => (e ? reject(e) : resolve(p))))
      assert.equal(payload.exp, NOW + 10)
      assert.throws(() => jwt.verify(token, getKey), /must be called asynchronous/)
    })
  })
})
