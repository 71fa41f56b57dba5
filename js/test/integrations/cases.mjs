// What the integration tests share: the cases of tests/vectors/http.json as
// requests and expected answers, a real server on 127.0.0.1, and a client
// that sends a case's header lines exactly (repeated lines kept apart).
import assert from 'node:assert/strict'
import http from 'node:http'

import lib, { IMPL } from '../impl.mjs'
import { camel } from '../conformance.mjs'
import { loadVectors } from '../vectors.mjs'

export { IMPL, lib }

/** Every case of tests/vectors/http.json. */
export const CASES = loadVectors().http.cases

/** Whether a case is a WebSocket handshake (its credentials in `Sec-WebSocket-Protocol`). */
export const isWebSocket = (c) => c.websocket_protocols !== undefined

/** The options an integration takes for case `c`, its clock at the case's `now`. */
export function optionsOf(c) {
  const options = {
    verifier: new lib.Verifier(c.keys, camel(c.options)),
    realm: c.realm,
    environment: c.environment,
    clock: () => c.now,
  }
  if (c.expose_messages !== undefined) options.exposeMessages = c.expose_messages
  if (c.cookie_name !== undefined) options.cookie = c.cookie_name
  return options
}

/** A case's request header lines, `[name, value]` in order. */
export function headerLines(c) {
  const lines = []
  for (const value of c.authorization || []) lines.push(['Authorization', value])
  for (const value of c.cookies || []) lines.push(['Cookie', value])
  for (const value of c.websocket_protocols || []) lines.push(['Sec-WebSocket-Protocol', value])
  return lines
}

/** The answer a case expects: `{ status, wwwAuthenticate, body }`, or `{ claims }`. */
export function expected(c) {
  const r = c.result
  if (r.claims !== undefined) return { claims: r.claims }
  return { status: r.status, wwwAuthenticate: r.www_authenticate, body: r.body }
}

/** Asserts that an HTTP answer is the case's refusal, byte for byte, with exactly the refusal's headers. */
export function assertRefusal(c, { status, headers, body }) {
  const want = expected(c)
  assert.equal(status, want.status, `${c.name}: status`)
  assert.equal(headers['www-authenticate'], want.wwwAuthenticate ?? undefined, `${c.name}: WWW-Authenticate`)
  assert.equal(headers['content-type'], 'application/json', `${c.name}: Content-Type`)
  assert.equal(body, want.body, `${c.name}: body`)
}

/** Asserts that an HTTP answer is the route's 200 with the case's claims (the route answers `c.get('auth')`/`req.auth`). */
export function assertAccepted(c, { status, body }) {
  assert.equal(status, 200, `${c.name}: status (${body})`)
  const auth = JSON.parse(body)
  assert.deepEqual(auth.claims, expected(c).claims, `${c.name}: claims`)
  assert.equal(auth.header.alg, 'HS256')
  assert.equal(auth.keySlot, null, `${c.name}: a raw key has no slot`)
}

/** Serves `handler` (a node:http request listener) on 127.0.0.1; `close()` ends it and its connections. */
export async function serve(handler) {
  const server = http.createServer(handler)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** Whether fetch can send these lines as they are: one line per name, byte-string values. */
const fetchable = (lines) =>
  new Set(lines.map(([name]) => name.toLowerCase())).size === lines.length && lines.every(([, value]) => /^[\x20-\x7e]*$/.test(value))

/**
 * GET `path` with `lines` as the request's header lines: by fetch where it can
 * send them as they are, else by node:http with raw headers (repeated lines,
 * Latin-1 bytes). Resolves `{ status, headers, body }` within 5 s.
 */
export async function get(base, path, lines = []) {
  if (fetchable(lines)) {
    const response = await fetch(base + path, { headers: lines, signal: AbortSignal.timeout(5000) })
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() }
  }
  const url = new URL(base + path)
  return new Promise((resolve, reject) => {
    const headers = ['Host', url.host, ...lines.flat()]
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers, timeout: 5000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }))
    })
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')))
    req.on('error', reject)
    req.end()
  })
}

/** A token signed now by `key` (the test's clock is the system's), living `seconds`. */
export function freshToken(key, seconds, claims = { sub: 'u1' }) {
  return lib.sign(claims, key, { expiresIn: seconds, issuer: 'auth', audience: 'api' })
}
