// HTTP and WebSocket credentials and refusals (docs/spec.md §17): what the
// JavaScript API adds to the core. The core's answers are pinned by
// tests/vectors/http.json (conformance.mjs); this file checks the host values
// (a header as a string, an array, undefined or null, as Node's http module and
// Fetch's Headers give them, read from real requests) and the refusal of real
// errors, with no secret in any header or body.
import assert from 'node:assert/strict'
import http from 'node:http'
import { describe, test } from 'node:test'

import lib from './impl.mjs'

const SECRET = 'http-test-secret-MARKER7c1d-0123456789abcdef01'
const OTHER = 'http-test-other-secret-MARKER7c1d-fedcba98765'
const NOW = 1_700_000_000

const token = (claims = { sub: 'u1' }, key = SECRET, options = { expiresIn: 60, now: NOW }) => lib.sign(claims, key, options)

/** The error `fn` throws (it must throw). */
function thrown(fn) {
  try {
    fn()
  } catch (error) {
    return error
  }
  assert.fail('expected an error')
}

function refusedWith(code, fn) {
  const error = thrown(fn)
  assert.ok(error instanceof lib.JwtAccordError, `${error && error.name}: ${error && error.message}`)
  assert.equal(error.code, code)
  return error
}

/**
 * The headers Node's http module gives a server for a request sent with
 * `rawHeaders` (`[name, value, name, value, ...]`, repeated names kept):
 * `req.headers` and `req.headersDistinct`. A real server on 127.0.0.1.
 */
async function received(rawHeaders) {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ headers: req.headers, distinct: req.headersDistinct }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = server.address()
    return await new Promise((resolve, reject) => {
      // Raw headers replace Node's defaults: Host is required (HTTP/1.1).
      const headers = ['Host', `127.0.0.1:${port}`, ...rawHeaders]
      const req = http.request({ host: '127.0.0.1', port, path: '/', headers, timeout: 5000 }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`status ${res.statusCode}`))))
      })
      req.on('timeout', () => req.destroy(new Error('no answer within 5 s')))
      req.on('error', reject)
      req.end()
    })
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

describe('bearerToken', () => {
  test('a string, an array of one, undefined, null and a Fetch Headers value', () => {
    const t = token()
    assert.equal(lib.bearerToken(`Bearer ${t}`), t)
    assert.equal(lib.bearerToken([`bearer ${t}`]), t)
    assert.equal(lib.bearerToken(new Headers({ authorization: `Bearer ${t}` }).get('authorization')), t)
    for (const absent of [undefined, null, [], '', ['  ']]) refusedWith('missing_token', () => lib.bearerToken(absent))
    refusedWith('missing_token', () => lib.bearerToken(new Headers().get('authorization')))
  })

  test('malformed headers are invalid_request', () => {
    const t = token()
    refusedWith('invalid_request', () => lib.bearerToken('Basic dXNlcjpwYXNz'))
    refusedWith('invalid_request', () => lib.bearerToken([`Bearer ${t}`, `Bearer ${t}`]))
    // Fetch joins repeated headers with ", ": not one token.
    const headers = new Headers()
    headers.append('authorization', `Bearer ${t}`)
    headers.append('authorization', `Bearer ${t}`)
    refusedWith('invalid_request', () => lib.bearerToken(headers.get('authorization')))
  })

  test('from a real Node request: req.headers and req.headersDistinct', async () => {
    const t = token()
    const one = await received(['Authorization', `Bearer ${t}`])
    assert.equal(lib.bearerToken(one.headers.authorization), t)
    assert.equal(lib.bearerToken(one.distinct.authorization), t)
    // Node keeps only the first of repeated Authorization headers in
    // req.headers; req.headersDistinct keeps both, and two are refused.
    const two = await received(['Authorization', `Bearer ${t}`, 'Authorization', 'Bearer other.token.here'])
    assert.equal(lib.bearerToken(two.headers.authorization), t)
    refusedWith('invalid_request', () => lib.bearerToken(two.distinct.authorization))
    const none = await received([])
    refusedWith('missing_token', () => lib.bearerToken(none.headers.authorization))
    refusedWith('missing_token', () => lib.bearerToken(none.distinct.authorization))
  })

  test('anything else is a TypeError naming the argument and the type, never the value', () => {
    for (const [value, message] of [
      [42, 'authorization must be a string, an array of strings, undefined or null, found a number'],
      [{ authorization: SECRET }, 'authorization must be a string, an array of strings, undefined or null, found an object'],
      [['Bearer a.b.c', 7], 'authorization[1] must be a string, found a number'],
      [[SECRET, null], 'authorization[1] must be a string, found null'],
      [Buffer.from('Bearer a.b.c'), 'authorization must be a string, an array of strings, undefined or null, found an instance of Buffer'],
    ]) {
      const error = thrown(() => lib.bearerToken(value))
      assert.ok(error instanceof TypeError, String(error))
      assert.equal(error.message, message)
    }
  })
})

describe('websocketToken', () => {
  test('the subprotocol list as one string, over two header lines, or absent', async () => {
    const t = token()
    assert.equal(lib.websocketToken(`${lib.WEBSOCKET_SUBPROTOCOL}, ${t}`), t)
    assert.equal(lib.websocketToken(['graphql-ws', `${lib.WEBSOCKET_SUBPROTOCOL}, ${t}`]), t)
    assert.equal(lib.websocketToken([lib.WEBSOCKET_SUBPROTOCOL, t]), t)
    for (const absent of [undefined, null, 'graphql-ws']) refusedWith('missing_token', () => lib.websocketToken(absent))
    refusedWith('invalid_request', () => lib.websocketToken(lib.WEBSOCKET_SUBPROTOCOL))
    // A browser's new WebSocket(url, [WEBSOCKET_SUBPROTOCOL, token]) sends
    // one header; Node joins repeated lines with ", " in req.headers.
    const lines = await received(['Sec-WebSocket-Protocol', lib.WEBSOCKET_SUBPROTOCOL, 'Sec-WebSocket-Protocol', t])
    assert.equal(lib.websocketToken(lines.headers['sec-websocket-protocol']), t)
    assert.equal(lib.websocketToken(lines.distinct['sec-websocket-protocol']), t)
    assert.throws(() => lib.websocketToken([t, 1]), { name: 'TypeError', message: 'protocols[1] must be a string, found a number' })
  })

  test('the constants are the core\'s', () => {
    assert.equal(lib.WEBSOCKET_SUBPROTOCOL, 'jwt-accord.bearer')
    assert.equal(lib.WEBSOCKET_CLOSE_CODE, 4401)
  })
})

describe('cookieToken', () => {
  test('by name, null when absent, invalid_request when not a token', async () => {
    const t = token()
    assert.equal(lib.cookieToken(`theme=dark; session=${t}`, 'session'), t)
    assert.equal(lib.cookieToken(['theme=dark', `session=${t}`], 'session'), t)
    for (const absent of [undefined, null, [], 'theme=dark']) assert.equal(lib.cookieToken(absent, 'session'), null)
    refusedWith('invalid_request', () => lib.cookieToken('session=a b', 'session'))
    // Node joins repeated Cookie headers with "; ".
    const two = await received(['Cookie', 'theme=dark', 'Cookie', `session=${t}`])
    assert.equal(lib.cookieToken(two.headers.cookie, 'session'), t)
    assert.equal(lib.cookieToken(two.distinct.cookie, 'session'), t)
  })

  test('the name is a string', () => {
    assert.throws(() => lib.cookieToken('session=x', undefined), { name: 'TypeError', message: 'name must be a string (the cookie name), found undefined' })
    assert.throws(() => lib.cookieToken({ session: 'x' }, 'session'), TypeError)
  })
})

describe('Challenge', () => {
  test('options are checked in the API\'s style', () => {
    const cases = [
      [() => new lib.Challenge('api'), 'Challenge options must be an object { environment, exposeMessages }, found undefined'],
      [() => new lib.Challenge('api', {}), "options.environment must be the environment's name (e.g. resolution.environment), found undefined"],
      [() => new lib.Challenge('api', { environment: 'production', expose: true }), 'unknown Challenge option "expose": expected environment, exposeMessages'],
      [() => new lib.Challenge('api', { environment: 'production', exposeMessages: 'yes' }), 'options.exposeMessages must be a boolean, or absent (by environment), found a string'],
      [() => new lib.Challenge(7, { environment: 'production' }), 'realm must be a string, found a number'],
      [() => new lib.Challenge('a"b', { environment: 'production' }), 'the realm must be 1 to 100 printable ASCII characters without " or \\, found "a\\"b"'],
    ]
    for (const [fn, message] of cases) assert.throws(fn, { name: 'TypeError', message })
    // The core refuses an environment name as resolution does.
    const error = thrown(() => new lib.Challenge('api', { environment: 'nowhere!' }))
    assert.ok(error instanceof TypeError)
    assert.match(error.message, /^environment "nowhere!" is not valid/)
    assert.equal(new lib.Challenge('api', { environment: 'production', exposeMessages: null }).realm, 'api')
    assert.ok(Object.isFrozen(new lib.Challenge('api', { environment: 'production' })))
  })

  test('the refusal of a real verification error: production hides the message, development shows it', () => {
    const expired = token({ sub: 'u1' }, SECRET, { expiresIn: 60, now: NOW - 3600 })
    const error = refusedWith('expired', () => lib.verify(lib.bearerToken(`Bearer ${expired}`), SECRET, { now: NOW }))
    const header = 'Bearer realm="api", error="invalid_token", error_description="expired"'
    assert.deepEqual(new lib.Challenge('api', { environment: 'production' }).refusal(error), {
      status: 401,
      wwwAuthenticate: header,
      body: '{"code":"expired"}',
      closeCode: lib.WEBSOCKET_CLOSE_CODE,
      closeReason: 'expired',
    })
    const shown = new lib.Challenge('api', { environment: 'development' }).refusal(error)
    assert.deepEqual(JSON.parse(shown.body), { code: 'expired', message: error.message })
    assert.equal(shown.wwwAuthenticate, header)
    assert.equal(new lib.Challenge('api', { environment: 'dev', exposeMessages: false }).refusal(error).body, '{"code":"expired"}')
  })

  test('no secret in any header or body, messages exposed or not', () => {
    const verifier = new lib.Verifier([SECRET], { issuer: 'auth' })
    const attempts = [
      () => lib.bearerToken(undefined),
      () => lib.bearerToken(`Basic ${SECRET}`),
      () => lib.bearerToken(`Bearer ${SECRET} ${SECRET}`),
      () => lib.cookieToken(`session=${SECRET}!`, 'session'),
      () => verifier.verify(token({ sub: 'u1' }, OTHER), NOW),
      () => verifier.verify(token({ sub: 'u1', iss: 'other' }), NOW),
      () => verifier.verify(token({ sub: 'u1' }, SECRET, { kid: false, expiresIn: 60, now: NOW }).replace(/.$/, 'A'), NOW),
      () => verifier.verify(`${token()}x`, NOW),
    ]
    for (const exposeMessages of [true, false]) {
      const challenge = new lib.Challenge('api', { environment: 'production', exposeMessages })
      for (const attempt of attempts) {
        const error = thrown(attempt)
        assert.ok(error instanceof lib.JwtAccordError, String(error))
        const refusal = challenge.refusal(error)
        const text = JSON.stringify(refusal)
        for (const secret of [SECRET, OTHER]) assert.ok(!text.includes(secret), `${error.code}: ${text}`)
        assert.ok(!text.includes('MARKER7c1d'), text)
        assert.equal(JSON.parse(refusal.body).code, error.code)
        assert.equal('message' in JSON.parse(refusal.body), exposeMessages)
        assert.match(refusal.wwwAuthenticate, /^Bearer realm="api"/)
        assert.ok([400, 401].includes(refusal.status))
      }
    }
  })

  test('any error with a code and message; an unknown code is a 500 with no header', () => {
    const challenge = new lib.Challenge('api', { environment: 'production' })
    assert.equal(challenge.refusal({ code: 'malformed', message: 'm' }).status, 401)
    assert.deepEqual(challenge.refusal({ code: 'no_such_code', message: 'm' }), {
      status: 500,
      wwwAuthenticate: null,
      body: '{"code":"internal_error"}',
      closeCode: 1011,
      closeReason: 'internal_error',
    })
    // The service's own configuration (a resolution error) is no request's fault.
    const config = thrown(() => lib.resolveSecret({ env: { ENVIRONMENT: 'production' } }))
    assert.equal(challenge.refusal(config).status, 500)
    assert.equal(challenge.refusal(config).wwwAuthenticate, null)
    for (const bad of [undefined, 'expired', new TypeError('x'), { code: 5, message: 'm' }]) {
      assert.throws(() => challenge.refusal(bad), {
        name: 'TypeError',
        message: /^error must be a JwtAccordError \(an error with a string code and message\), found /,
      })
    }
  })
})
