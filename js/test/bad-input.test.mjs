// Bad input gets a JwtAccordError or a TypeError with a clear message, never a
// crash of the process (node --test runs this file in its own process: a crash
// fails it) and never a polluted prototype.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import lib, { IMPL } from './impl.mjs'

const SECRET = 'bad-input-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0'
const NOW = 1_700_000_000
const TOKEN = lib.sign({ sub: 'u' }, SECRET, { expiresIn: 900, now: NOW })

const isTypeError = (pattern) => (error) => {
  assert.ok(error instanceof TypeError, `expected TypeError, got ${error && error.name}: ${error && error.message}`)
  if (pattern) assert.match(error.message, pattern)
  return true
}

const isCode = (code) => (error) => {
  assert.ok(error instanceof lib.JwtAccordError, `expected JwtAccordError ${code}, got ${error && error.name}: ${error && error.message}`)
  assert.equal(error.code, code, error.message)
  return true
}

const NOT_STRINGS = [undefined, null, 42, 1n, true, {}, [], ['a.b.c'], Symbol('t'), () => 'a.b.c', new Uint8Array(3), new String('a.b.c')]

describe(`tokens that are not strings (${IMPL})`, () => {
  const verifier = new lib.Verifier(SECRET)
  for (const value of NOT_STRINGS) {
    test(`verify, verifyFull, one-shot verify and decodeUnverified refuse ${typeof value} ${String(value?.toString?.() ?? value).slice(0, 12)}`, () => {
      assert.throws(() => verifier.verify(value, NOW), isTypeError(/token must be a string/))
      assert.throws(() => verifier.verifyFull(value, NOW), isTypeError(/token must be a string/))
      assert.throws(() => lib.verify(value, SECRET, { now: NOW }), isTypeError(/token must be a string/))
      assert.throws(() => lib.decodeUnverified(value), isTypeError(/token must be a string/))
    })
  }
})

describe(`garbage tokens (${IMPL})`, () => {
  const verifier = new lib.Verifier(SECRET)
  const garbage = ['', '.', '..', '...', 'a.b.c', 'a.b', '\u0000.\u0000.\u0000', '\ud800.e30.e30', '🔑.🔑.🔑', 'eyJ.eyJ.', ' '.repeat(10), TOKEN + '.', TOKEN.replace('.', '..')]
  test('each is malformed (or another token error), never a crash', () => {
    for (const token of garbage) {
      assert.throws(() => verifier.verify(token, NOW), (error) => error instanceof lib.JwtAccordError, JSON.stringify(token))
      assert.throws(() => lib.decodeUnverified(token), (error) => error instanceof lib.JwtAccordError, JSON.stringify(token))
    }
  })

  test('a megabyte token is token_too_large, before any decoding', () => {
    const huge = 'a'.repeat(1 << 20)
    assert.throws(() => verifier.verify(huge, NOW), isCode('token_too_large'))
    assert.throws(() => lib.decodeUnverified(huge), isCode('token_too_large'))
  })

  test('2000 deterministic mutations of a valid token: only JwtAccordError, never success with changed bytes', () => {
    let seed = 0x2545f491
    const random = () => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return (seed >>> 0) / 0x100000000
    }
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \u00e9'
    for (let i = 0; i < 2000; i += 1) {
      const chars = [...TOKEN]
      const edits = 1 + Math.floor(random() * 3)
      for (let e = 0; e < edits; e += 1) {
        const at = Math.floor(random() * chars.length)
        const op = random()
        if (op < 0.5) chars[at] = alphabet[Math.floor(random() * alphabet.length)]
        else if (op < 0.75) chars.splice(at, 1)
        else chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)])
      }
      const mutated = chars.join('')
      if (mutated === TOKEN) continue
      try {
        const claims = verifier.verify(mutated, NOW)
        assert.fail(`a mutated token verified: ${mutated} -> ${JSON.stringify(claims)}`)
      } catch (error) {
        assert.ok(error instanceof lib.JwtAccordError, `${mutated}: ${error}`)
      }
      try {
        lib.decodeUnverified(mutated)
      } catch (error) {
        assert.ok(error instanceof lib.JwtAccordError, `${mutated}: ${error}`)
      }
    }
  })
})

describe(`wrong option types (${IMPL})`, () => {
  const badVerify = {
    issuer: [5, ['auth', 5], {}, true],
    audience: [5, [1], null && 0, { aud: 'api' }],
    leeway: ['5', -1, 1.5, NaN, Infinity, 2 ** 60],
    required: ['exp', [1], {}],
    tokenType: [5, ['access']],
    maxAge: ['60', -5, 0.5],
    maxTokenBytes: ['100', -1, 1.5],
  }
  for (const [name, values] of Object.entries(badVerify)) {
    test(`Verifier option ${name}`, () => {
      for (const value of values) {
        if (value === null || value === 0) continue
        assert.throws(() => new lib.Verifier(SECRET, { [name]: value }), isTypeError(new RegExp(name)), `${name}: ${String(value)}`)
      }
    })
  }

  const badSign = {
    expiresIn: ['60', '15 parsecs', '1500ms', '', 1.5, NaN, Infinity, 2 ** 60, true],
    notBefore: ['0', 0.1],
    issuer: [5, ['auth']],
    audience: [5, [1, 2]],
    subject: [1],
    tokenType: [false],
    jti: [7],
    setIssuedAt: ['false', 0],
    kid: [5, ['a'], {}],
  }
  for (const [name, values] of Object.entries(badSign)) {
    test(`Signer option ${name}`, () => {
      for (const value of values) {
        assert.throws(() => new lib.Signer(SECRET, { [name]: value }), isTypeError(new RegExp(name)), `${name}: ${String(value)}`)
      }
    })
  }

  test('unknown option names and non-object options are TypeErrors', () => {
    assert.throws(() => new lib.Verifier(SECRET, { algorithm: 'HS256' }), isTypeError(/unknown verify option "algorithm"/))
    assert.throws(() => new lib.Signer(SECRET, { expires_in: 60 }), isTypeError(/unknown sign option "expires_in"/))
    assert.throws(() => new lib.Signer(SECRET, 'HS256'), isTypeError())
    assert.throws(() => new lib.Verifier(SECRET, [1]), isTypeError())
    assert.throws(() => lib.verify(TOKEN, SECRET, 5), isTypeError())
  })

  test('undefined option values count as absent', () => {
    const claims = new lib.Verifier(SECRET, { issuer: undefined, leeway: undefined }).verify(TOKEN, NOW)
    assert.equal(claims.sub, 'u')
    assert.equal(new lib.Signer(SECRET, { expiresIn: undefined }).sign({}, NOW), lib.sign({}, SECRET, { now: NOW }))
  })

  test('now must be a finite number', () => {
    const verifier = new lib.Verifier(SECRET)
    const signer = new lib.Signer(SECRET)
    for (const now of ['1700000000', null, {}, 1n, new Date()]) {
      assert.throws(() => verifier.verify(TOKEN, now), isTypeError(/now/))
      assert.throws(() => signer.sign({}, now), isTypeError(/now/))
    }
    for (const now of [NaN, Infinity, -Infinity, 2 ** 54]) {
      assert.throws(() => verifier.verify(TOKEN, now), isTypeError(/now/))
      assert.throws(() => signer.sign({}, now), isTypeError(/now/))
    }
  })
})

describe(`wrong keys (${IMPL})`, () => {
  test('keys of the wrong type are TypeErrors naming the position', () => {
    for (const key of [undefined, null, 42, {}, new ArrayBuffer(40), new Uint16Array(40), () => SECRET, { exposeSecret: () => SECRET }]) {
      assert.throws(() => new lib.Signer(key), isTypeError(/key must be a string, a Uint8Array, a Resolution/))
      assert.throws(() => new lib.Verifier(key), isTypeError(/key/))
    }
    assert.throws(() => new lib.Verifier([SECRET, 5]), isTypeError(/key\[1\]/))
  })

  test('an empty or oversized keyring, a short or empty key: invalid_key', () => {
    assert.throws(() => new lib.Verifier([]), isCode('invalid_key'))
    assert.throws(() => new lib.Verifier(Array.from({ length: 9 }, (_, i) => `${SECRET}-${i}`)), isCode('invalid_key'))
    assert.throws(() => new lib.Signer(''), isCode('invalid_key'))
    assert.throws(() => new lib.Signer(new Uint8Array(31)), isCode('invalid_key'))
  })

  test('a Resolution cannot be forged', () => {
    assert.throws(() => new lib.Resolution(), TypeError)
    const fake = Object.create(lib.Resolution.prototype)
    assert.throws(() => new lib.Signer(fake), isTypeError())
  })
})

describe(`claims that are not JSON objects (${IMPL})`, () => {
  const signer = new lib.Signer(SECRET)
  test('null, arrays, strings, numbers, booleans: invalid_claims from the core', () => {
    for (const claims of [null, [], [1], 'sub', 5, true]) {
      assert.throws(() => signer.sign(claims, NOW), isCode('invalid_claims'))
    }
  })

  test('values with no JSON form, and cycles: invalid_claims (docs/bindings.md, "Host values")', () => {
    const circular = { a: 1 }
    circular.self = circular
    for (const claims of [undefined, () => 1, Symbol('c'), 1n, { big: 1n }, circular, new (class Claims {})()]) {
      assert.throws(() => signer.sign(claims, NOW), isCode('invalid_claims'))
    }
  })

  test('nesting deeper than MAX_JSON_DEPTH levels: invalid_claims', () => {
    let deep = {}
    for (let i = 0; i < 200; i += 1) deep = { d: deep }
    assert.throws(() => signer.sign(deep, NOW), isCode('invalid_claims'))
  })

  test('registered claims of the wrong type: invalid_claims', () => {
    assert.throws(() => signer.sign({ exp: 'tomorrow' }, NOW), isCode('invalid_claims'))
    assert.throws(() => signer.sign({ aud: [1] }, NOW), isCode('invalid_claims'))
    assert.throws(() => signer.sign({ iat: -1 }, NOW), isCode('invalid_claims'))
  })
})

describe(`prototype pollution (${IMPL})`, () => {
  const signer = new lib.Signer(SECRET)
  const verifier = new lib.Verifier(SECRET, { required: [] })

  const untouched = () => {
    assert.equal({}.admin, undefined)
    assert.equal({}.polluted, undefined)
    assert.equal(Object.prototype.admin, undefined)
    assert.equal(Object.prototype.polluted, undefined)
  }

  test('a "__proto__" claim parsed from JSON stays an own property and pollutes nothing', () => {
    const claims = JSON.parse('{"sub":"u","__proto__":{"admin":true,"polluted":true},"constructor":{"prototype":{"polluted":true}}}')
    const token = signer.sign(claims, NOW)
    const verified = verifier.verify(token, NOW)
    assert.equal(Object.getPrototypeOf(verified), Object.prototype)
    assert.equal(verified.admin, undefined)
    assert.ok(Object.hasOwn(verified, '__proto__'))
    assert.deepEqual(Object.getOwnPropertyDescriptor(verified, '__proto__').value, { admin: true, polluted: true })
    const full = verifier.verifyFull(token, NOW)
    assert.equal(Object.getPrototypeOf(full.claims), Object.prototype)
    assert.equal(full.claims.admin, undefined)
    const decoded = lib.decodeUnverified(token)
    assert.equal(Object.getPrototypeOf(decoded.claims), Object.prototype)
    assert.equal(decoded.claims.admin, undefined)
    untouched()
  })

  test('a header with "__proto__" pollutes nothing', () => {
    const b64 = (text) => Buffer.from(text).toString('base64url')
    const token = `${b64('{"alg":"HS256","__proto__":{"polluted":true}}')}.${b64('{"sub":"h"}')}.${'A'.repeat(43)}`
    const decoded = lib.decodeUnverified(token)
    assert.equal(Object.getPrototypeOf(decoded.header), Object.prototype)
    assert.equal(decoded.header.polluted, undefined)
    assert.throws(() => verifier.verify(token, NOW), isCode('invalid_signature'))
    untouched()
  })

  test('an object literal with a __proto__ prototype is refused: its inherited claims would be lost', () => {
    assert.throws(() => signer.sign({ __proto__: { admin: true }, sub: 'literal' }, NOW), isCode('invalid_claims'))
    untouched()
  })

  test('options and environment objects with __proto__ keys do not change behaviour', () => {
    const options = JSON.parse('{"__proto__":{"issuer":"evil"}}')
    assert.throws(() => new lib.Verifier(SECRET, options), isTypeError(/unknown verify option "__proto__"/))
    const env = JSON.parse('{"ENVIRONMENT":"staging","__proto__":{"JWT_SECRET_STAGING":"x"},"JWT_SECRET_KEY":"bad-input-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0"}')
    // Only the names the resolver reads are looked up, as own properties: the
    // "__proto__" entry is never read, and JWT_SECRET_STAGING is not found under it.
    assert.equal(lib.resolveSecret({ env }).source.name, 'JWT_SECRET_KEY')
    untouched()
  })

  test('checkConsistency reports with __proto__ keys are read as data', () => {
    const reports = JSON.parse('[{"__proto__":{"polluted":true},"service":"a"},{"service":"b","schema":"jwt-accord/resolution/v1","environment":"staging","environment_source":"argument","source":{"kind":"variable","name":"JWT_SECRET_KEY"},"fingerprint":"cb6ef22128c05360","warnings":[],"candidates":[]}]')
    const result = lib.checkConsistency(reports)
    assert.equal(result.status, 'incomplete')
    assert.equal(result.failures[0].code, 'invalid_report')
    untouched()
  })
})

describe(`resolveSecret and checkConsistency arguments (${IMPL})`, () => {
  const env = { ENVIRONMENT: 'staging', JWT_SECRET_STAGING: SECRET }
  test('wrong types are TypeErrors', () => {
    assert.throws(() => lib.resolveSecret('staging'), isTypeError())
    assert.throws(() => lib.resolveSecret({ env: 'x' }), isTypeError(/env/))
    assert.throws(() => lib.resolveSecret({ env: { ENVIRONMENT: 5 } }), isTypeError(/env.ENVIRONMENT must be a string/))
    assert.throws(() => lib.resolveSecret({ env, environment: 5 }), isTypeError(/environment/))
    assert.throws(() => lib.resolveSecret({ env, secretStore: 5 }), isTypeError(/secretStore/))
    assert.throws(() => lib.resolveSecret({ env, secretStore: { 'jwt-secret-key': 5 } }), isTypeError(/jwt-secret-key/))
    assert.throws(() => lib.resolveSecret({ env, store: {} }), isTypeError(/unknown resolveSecret option "store"/))
  })

  test("a Worker's env as it is: an object, a function or null under a name the core reads counts as unset", () => {
    class KvNamespace {
      get() {}
    }
    const bindings = { JWT_SECRET: new KvNamespace(), JWT_SECRET_KEY: () => {}, JWT_SECRET_PRODUCTION: { fetch() {} }, JWT_SECRET_FILE: null }
    const resolution = lib.resolveSecret({ env: { ...env, ...bindings } })
    assert.equal(resolution.source.name, 'JWT_SECRET_STAGING')
    assert.equal(JSON.stringify(resolution), JSON.stringify(lib.resolveSecret({ env })))
    assert.equal(lib.resolveSecret({ env: new Map([...Object.entries(env), ['JWT_SECRET', new KvNamespace()]]) }).source.name, 'JWT_SECRET_STAGING')
    // Alone, such a value is no secret: secret_missing, whose details name what was tried.
    assert.throws(
      () => lib.resolveSecret({ env: { ENVIRONMENT: 'staging', JWT_SECRET: new Uint8Array(40) } }),
      (error) => error.code === 'secret_missing' && error.details.tried.includes('JWT_SECRET'),
    )
    assert.throws(() => lib.resolveSecret({ env: { ENVIRONMENT: new KvNamespace() } }), (error) => error.code === 'environment_missing')
    // An array or another primitive is still a mistake in the caller's own values.
    for (const value of [true, 5n, Symbol('s'), ['x'.repeat(40)]]) {
      assert.throws(() => lib.resolveSecret({ env: { ...env, JWT_SECRET: value } }), isTypeError(/env.JWT_SECRET must be a string/))
    }
  })

  test('an async secret store is refused with a hint', () => {
    assert.throws(() => lib.resolveSecret({ env, secretStore: async () => SECRET }), isTypeError(/synchronous/))
  })

  test('a throwing secret store propagates its own error', () => {
    const boom = new Error('store unavailable')
    assert.throws(() => lib.resolveSecret({ env, secretStore: () => { throw boom } }), (error) => error === boom)
  })

  test('checkConsistency needs an array; unreadable reports are failures, not crashes', () => {
    for (const reports of [undefined, null, 'x', {}, 5]) assert.throws(() => lib.checkConsistency(reports), isTypeError(/reports/))
    const result = lib.checkConsistency([1, 'x', null, [], {}])
    assert.equal(result.failures.length, 5)
    assert.ok(result.failures.every((failure) => failure.code === 'invalid_report'))
  })

  test('fingerprint takes text or bytes only', () => {
    for (const secret of [undefined, null, 5, {}, [1, 2]]) assert.throws(() => lib.fingerprint(secret), isTypeError(/secret/))
  })
})
