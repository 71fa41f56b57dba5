// Habits of other libraries that the main API accepts (issue 20 item 3;
// docs/decisions.md, "Habits from jsonwebtoken and PyJWT in the Node API"):
// durations with a unit for expiresIn, notBefore and maxAge, `algorithm:
// 'HS256'` on signing and `algorithms: ['HS256']` on verifying; anything else
// is refused with a message that says what to write.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import lib from './impl.mjs'

const SECRET = 'habits-test-secret-0123456789abcdef0123'
const NOW = 1_700_000_000
const expOf = (options) => lib.decodeUnverified(lib.sign({}, SECRET, { ...options, now: NOW })).claims.exp - NOW

test('expiresIn takes a duration with a unit, spelled as the ms package spells it', () => {
  const cases = { '15m': 900, '2h': 7200, '7d': 604800, '1w': 604800, '1y': 31557600, '1.5 hours': 5400, '90s': 90, '3000ms': 3, '-1h': -3600, '2 Days': 172800 }
  for (const [text, seconds] of Object.entries(cases)) assert.equal(expOf({ expiresIn: text }), seconds, text)
  assert.equal(lib.sign({}, SECRET, { expiresIn: '15m', now: NOW }), lib.sign({}, SECRET, { expiresIn: 900, now: NOW }))
})

test('a duration string without a unit, or not whole seconds, is a TypeError saying what to write', () => {
  assert.throws(() => new lib.Signer(SECRET, { expiresIn: '60' }), { name: 'TypeError', message: /found "60" \(no unit: write 60 or '60s' for seconds\)/ })
  assert.throws(() => new lib.Signer(SECRET, { expiresIn: '1500ms' }), { name: 'TypeError', message: /whole number of seconds/ })
  assert.throws(() => new lib.Signer(SECRET, { notBefore: '5 fortnights' }), { name: 'TypeError', message: /options.notBefore must be/ })
})

test('notBefore and maxAge take durations; a negative maxAge is refused', () => {
  const token = lib.sign({ iat: NOW - 100 }, SECRET, { expiresIn: '1h', notBefore: '0s', now: NOW })
  assert.equal(lib.verify(token, SECRET, { maxAge: '2m', now: NOW }).iat, NOW - 100)
  assert.throws(() => lib.verify(token, SECRET, { maxAge: '1m', now: NOW }), { code: 'expired' })
  assert.throws(() => new lib.Verifier(SECRET, { maxAge: '-1m' }), TypeError)
})

test("algorithm: 'HS256' and algorithms: ['HS256'] are accepted and change nothing", () => {
  assert.equal(lib.sign({}, SECRET, { algorithm: 'HS256', now: NOW }), lib.sign({}, SECRET, { now: NOW }))
  const token = lib.sign({}, SECRET, { expiresIn: 60, now: NOW })
  assert.deepEqual(new lib.Verifier(SECRET, { algorithms: ['HS256'] }).verify(token, NOW), lib.verify(token, SECRET, { now: NOW }))
})

test('any other algorithm is unsupported_algorithm, never ignored', () => {
  for (const options of [{ algorithm: 'HS512' }, { algorithm: 'none' }]) {
    assert.throws(() => new lib.Signer(SECRET, options), (error) => error instanceof lib.JwtAccordError && error.code === 'unsupported_algorithm' && /HS256 only/.test(error.message))
  }
  for (const algorithms of [['RS256'], ['HS256', 'HS384'], ['none']]) {
    assert.throws(() => new lib.Verifier(SECRET, { algorithms }), { code: 'unsupported_algorithm' })
  }
  assert.throws(() => new lib.Verifier(SECRET, { algorithms: [] }), TypeError)
  assert.throws(() => new lib.Verifier(SECRET, { algorithms: 'HS256' }), TypeError)
})
