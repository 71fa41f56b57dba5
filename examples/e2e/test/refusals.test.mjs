// The refusal table (issue 19): the same bad requests to the three back ends,
// Python (auth, jwt_accord.fastapi), Node (threads, jwt-accord/express and
// jwt-accord/ws) and Rust (profile, jwt-accord-axum), over HTTP and over a
// WebSocket handshake, must get byte-identical answers: status,
// `WWW-Authenticate`, `Content-Type` and body over HTTP; close code and reason
// over a WebSocket (docs/spec.md §17). The requests are written byte by byte
// on `node:net` sockets, so that repeated header lines and Latin-1 bytes reach
// the servers as sent. The bad tokens are made from the example's own secret
// (examples/e2e/env). The table is printed.
//
// Also: a WebSocket whose token expires while it is open is closed with 4401
// `expired` at that moment, on each back end.
import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import net from 'node:net'
import { after, before, describe, test } from 'node:test'

import { ENV, addon, fingerprintOf, secretOf } from './helpers.mjs'
import { startService, stopInstance } from './instances.mjs'

const ISSUER = 'e2e-auth'
const AUDIENCE = 'e2e-api'
const REALM = 'e2e'
/** The core's max_token_bytes (docs/spec.md §9). */
const MAX_TOKEN_BYTES = 16384

/** The back ends: the service run starts, its protected HTTP route and its WebSocket. */
const BACK_ENDS = {
  'Python (auth)': { service: 'auth', http: '/me', ws: '/ws' },
  'Node (threads)': { service: 'threads', http: '/api/threads', ws: '/ws' },
  'Rust (profile)': { service: 'profile', http: '/api/profile', ws: '/ws' },
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

const secret = secretOf(ENV.auth)
const otherSecret = secretOf(ENV.drift)

/** HS256 over `header` and `claims` with `key`, by hand (for what no jwt-accord signer writes). */
function signByHand(header, claims, key = secret) {
  const input = `${b64(header)}.${b64(claims)}`
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`
}

/** An access token as the auth service issues them, with `options` changed. */
function access(options = {}, key = secret) {
  return addon.sign({ sub: 'ada' }, key, { issuer: ISSUER, audience: AUDIENCE, tokenType: 'access', expiresIn: 900, ...options })
}

const now = () => Math.floor(Date.now() / 1000)
const kid = fingerprintOf(secret)
const good = { sub: 'ada', iss: ISSUER, aud: AUDIENCE, token_type: 'access' }

/**
 * The bad requests: [label, HTTP header lines, WebSocket header lines,
 * expected HTTP status, expected code]. Header lines are latin1 strings (one
 * byte per character). A WebSocket carries the token as
 * `Sec-WebSocket-Protocol: jwt-accord.bearer, <token>`.
 */
function cases() {
  const bearer = (token) => [`Authorization: Bearer ${token}`]
  const offered = (token) => [`Sec-WebSocket-Protocol: jwt-accord.bearer, ${token}`]
  const token = (label, value, code) => [label, bearer(value), offered(value), 401, code]
  const tampered = access().split('.')
  tampered[1] = b64({ ...good, sub: 'root', exp: now() + 900 })
  return [
    ['no credentials', [], [], 401, 'missing_token'],
    ['another scheme (Basic); a subprotocol without the token', ['Authorization: Basic YWRhOmxvdmVsYWNlLTE4MTU='], ['Sec-WebSocket-Protocol: jwt-accord.bearer'], 400, 'invalid_request'],
    ['two tokens in one value', bearer(`${access()} ${access()}`), [`Sec-WebSocket-Protocol: jwt-accord.bearer, ${access()}, jwt-accord.bearer, ${access()}`], 400, 'invalid_request'],
    ['two header lines', [...bearer(access()), ...bearer(access())], [...offered(access()), ...offered(access())], 400, 'invalid_request'],
    // uvicorn's websockets parses Sec-WebSocket-Protocol itself and refuses a
    // value that is not RFC 6455 tokens with a bare 400, before the app runs.
    ['Latin-1 bytes in the token', bearer('caf\xe9.au.lait'), offered('caf\xe9.au.lait'), 400, 'invalid_request', 'Python (auth)'],
    token('token_too_large', 'a'.repeat(MAX_TOKEN_BYTES + 1), 'token_too_large'),
    token('malformed (not a JWT)', 'not-a-jwt', 'malformed'),
    token('alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(good)}.`, 'unsupported_algorithm'),
    token('a non-ASCII alg', signByHand({ alg: 'HS256\u00e9', typ: 'JWT', kid }, { ...good, exp: now() + 900 }), 'unsupported_algorithm'),
    token('another secret (kid = its fingerprint)', access({}, otherSecret), 'unknown_key'),
    token('another secret, no kid', access({ kid: false }, otherSecret), 'invalid_signature'),
    token('tampered claims', tampered.join('.'), 'invalid_signature'),
    token('exp is a string', signByHand({ alg: 'HS256', typ: 'JWT', kid }, { ...good, exp: 'tomorrow' }), 'invalid_claim_type'),
    token('no exp', access({ expiresIn: undefined }), 'missing_claim'),
    token('expired an hour ago', access({ now: now() - 3600 }), 'expired'),
    token('not valid for 10 minutes', access({ notBefore: 600 }), 'not_yet_valid'),
    token('another issuer', access({ issuer: 'someone-else' }), 'invalid_issuer'),
    token('another audience', access({ audience: 'elsewhere' }), 'invalid_audience'),
    token('a refresh token', access({ tokenType: 'refresh' }), 'wrong_token_type'),
  ]
}

// ------------------------------------------------------------ raw requests

/** Writes `head` (latin1) on a new connection to `port`; resolves with everything read until it closes. */
function exchange(port, head, { onData } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks = []
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within 10 s:\n${head}`)), 10_000)
    socket.once('connect', () => socket.write(Buffer.from(head, 'latin1')))
    socket.on('data', (chunk) => {
      chunks.push(chunk)
      if (onData) onData(Buffer.concat(chunks), socket)
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      // A server may reset the connection once it has answered (after a close frame).
      if (error.code === 'ECONNRESET' && chunks.length > 0) resolve(Buffer.concat(chunks))
      else reject(error)
    })
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks))
    })
  })
}

/** Splits an HTTP response's head: { status, headers: { name: [values] }, rest }; null until the head is complete. */
function parseHead(bytes) {
  const end = bytes.indexOf('\r\n\r\n')
  if (end < 0) return null
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n')
  const headers = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    ;(headers[name] ||= []).push(line.slice(colon + 1).trim())
  }
  return { status: Number(statusLine.split(' ')[1]), headers, rest: bytes.subarray(end + 4) }
}

/** Decodes a chunked body. */
function unchunk(bytes) {
  const parts = []
  let at = 0
  for (;;) {
    const eol = bytes.indexOf('\r\n', at)
    const size = parseInt(bytes.subarray(at, eol).toString('latin1'), 16)
    if (!size) return Buffer.concat(parts)
    parts.push(bytes.subarray(eol + 2, eol + 2 + size))
    at = eol + 2 + size + 2
  }
}

/** GET `path` with `lines`: { status, challenge, contentType, body } (the body's exact bytes, as text). */
async function httpGet(port, path, lines) {
  const head = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...lines, '', ''].join('\r\n')
  const answer = parseHead(await exchange(port, head))
  assert.ok(answer, `a complete HTTP answer from port ${port}`)
  const chunked = (answer.headers['transfer-encoding'] || []).includes('chunked')
  const body = chunked ? unchunk(answer.rest) : answer.rest
  const one = (name) => (answer.headers[name] || []).join('\n') || null
  return { status: answer.status, challenge: one('www-authenticate'), contentType: one('content-type'), body: body.toString('utf8') }
}

/** The frames of a server's WebSocket stream (unmasked): [{ opcode, payload }], and the bytes left over. */
function frames(bytes) {
  const found = []
  let at = 0
  while (bytes.length - at >= 2) {
    let length = bytes[at + 1] & 0x7f
    let start = at + 2
    if (length === 126) {
      if (bytes.length - at < 4) break
      length = bytes.readUInt16BE(at + 2)
      start = at + 4
    } else if (length === 127) {
      if (bytes.length - at < 10) break
      length = Number(bytes.readBigUInt64BE(at + 2))
      start = at + 10
    }
    if (bytes.length < start + length) break
    found.push({ opcode: bytes[at] & 0x0f, payload: bytes.subarray(start, start + length) })
    at = start + length
  }
  return found
}

/** A masked client close frame (1000), as RFC 6455 requires of clients. */
function clientClose() {
  const mask = randomBytes(4)
  const payload = Buffer.from([0x03, 0xe8])
  for (let i = 0; i < payload.length; i += 1) payload[i] ^= mask[i % 4]
  return Buffer.concat([Buffer.from([0x88, 0x80 | payload.length]), mask, payload])
}

/**
 * A WebSocket handshake on `path` with `lines`, then frames until the server
 * closes: { status, protocol, code, reason, messages, closedAt }.
 */
async function websocket(port, path, lines) {
  const key = randomBytes(16).toString('base64')
  const head = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
    ...lines,
    '',
    '',
  ].join('\r\n')
  let closedAt = null
  const bytes = await exchange(port, head, {
    onData(all, socket) {
      const answer = parseHead(all)
      if (!answer) return
      if (answer.status !== 101) return socket.end()
      const close = frames(answer.rest).find((frame) => frame.opcode === 0x8)
      if (close && closedAt === null) {
        closedAt = Date.now()
        socket.end(clientClose())
      }
    },
  })
  const answer = parseHead(bytes)
  assert.ok(answer, `a complete handshake answer from port ${port}`)
  if (answer.status !== 101) return { status: answer.status, body: answer.rest.toString('utf8') }
  const all = frames(answer.rest)
  const close = all.find((frame) => frame.opcode === 0x8)
  assert.ok(close, `port ${port} sent a close frame`)
  return {
    status: 101,
    protocol: (answer.headers['sec-websocket-protocol'] || []).join(', ') || null,
    code: close.payload.length >= 2 ? close.payload.readUInt16BE(0) : null,
    reason: close.payload.subarray(2).toString('utf8'),
    messages: all.filter((frame) => frame.opcode === 0x1).map((frame) => frame.payload.toString('utf8')),
    closedAt,
  }
}

/**
 * Asks every back end at once, early in a second: messages that name `now`
 * (expired, not_yet_valid) then agree unless the requests straddle a second
 * boundary, and then the round is asked again (at most 3 times).
 */
async function askAll(ask) {
  let answers
  for (let round = 0; round < 3; round += 1) {
    const ms = Date.now() % 1000
    if (ms > 500) await sleep(1000 - ms + 5)
    answers = await Promise.all(Object.values(BACK_ENDS).map(ask))
    if (new Set(answers.map((answer) => JSON.stringify(answer))).size === 1) break
  }
  return Object.fromEntries(Object.keys(BACK_ENDS).map((name, i) => [name, answers[i]]))
}

// ------------------------------------------------------------------ the tests

describe('the refusal table: Python, Node and Rust answer the same bad requests with the same bytes', () => {
  const started = []
  const port = (backEnd) => Number(new URL(started.find((s) => s.service === backEnd.service).url).port)

  before(async () => {
    for (const { service } of Object.values(BACK_ENDS)) started.push(await startService(service, ENV[service]))
  })
  after(async () => {
    for (const instance of started) await stopInstance(instance)
  })

  test('every bad request, over HTTP and over a WebSocket', async (t) => {
    const table = []
    const list = cases()
    assert.ok(list.length >= 14, 'at least 14 bad requests')
    const notes = []
    for (const [label, httpLines, wsLines, status, code, wsServerRefuses] of list) {
      await t.test(label, async () => {
        const overHttp = await askAll((backEnd) => httpGet(port(backEnd), backEnd.http, httpLines))
        const overWs = await askAll((backEnd) => websocket(port(backEnd), backEnd.ws, wsLines))
        const detail = JSON.stringify({ overHttp, overWs }, null, 2)
        if (wsServerRefuses) {
          // Its server answers the handshake before the integration sees it.
          assert.equal(overWs[wsServerRefuses].status, 400, detail)
          delete overWs[wsServerRefuses]
          notes.push(`${label}: over a WebSocket, ${wsServerRefuses}'s server refuses the handshake itself (400, before the app)`)
        }
        const [http] = Object.values(overHttp)
        const [ws] = Object.values(overWs)
        // Byte-identical across the three.
        assert.equal(new Set(Object.values(overHttp).map((a) => JSON.stringify(a))).size, 1, `HTTP answers differ:\n${detail}`)
        assert.equal(new Set(Object.values(overWs).map((a) => JSON.stringify([a.status, a.code, a.reason]))).size, 1, `WebSocket closes differ:\n${detail}`)
        // And what docs/spec.md §17 says they are.
        assert.equal(http.status, status, detail)
        assert.equal(http.contentType, 'application/json', detail)
        const expected = code === 'missing_token'
          ? `Bearer realm="${REALM}"`
          : `Bearer realm="${REALM}", error="${code === 'invalid_request' ? 'invalid_request' : 'invalid_token'}", error_description="${code}"`
        assert.equal(http.challenge, expected, detail)
        const body = JSON.parse(http.body)
        assert.equal(body.code, code, detail)
        // The e2e services put the core's message in bodies (expose messages).
        assert.deepEqual(Object.keys(body), ['code', 'message'], detail)
        assert.deepEqual([ws.status, ws.code, ws.reason], [101, 4401, code], detail)
        table.push([label, `${http.status} ${code}`, `${ws.code} ${ws.reason}${wsServerRefuses ? ' *' : ''}`, Buffer.byteLength(http.body)])
      })
    }
    assert.equal(table.length, list.length, 'every request answered alike')
    const width = Math.max(...table.map(([label]) => label.length))
    console.log(`\nrefusal table: identical from ${Object.keys(BACK_ENDS).join(', ')}`)
    console.log(`${'request'.padEnd(width)}  ${'HTTP'.padEnd(26)}  ${'WebSocket'.padEnd(28)}  body bytes`)
    for (const [label, http, ws, bytes] of table) {
      console.log(`${label.padEnd(width)}  ${http.padEnd(26)}  ${ws.padEnd(28)}  ${bytes}`)
    }
    for (const note of notes) console.log(`* ${note}`)
  })

  test('a valid token: each WebSocket greets with the subprotocol accepted, and closes 4401 expired when the token expires', async () => {
    // Expires 2 to 3 seconds from now (the core counts whole seconds).
    const exp = now() + 3
    const token = access({ now: exp - 900 })
    const answers = await Promise.all(
      Object.entries(BACK_ENDS).map(async ([name, backEnd]) => {
        const opened = Date.now()
        const answer = await websocket(port(backEnd), backEnd.ws, [`Sec-WebSocket-Protocol: jwt-accord.bearer, ${token}`])
        return [name, { ...answer, opened }]
      }),
    )
    for (const [name, answer] of answers) {
      assert.equal(answer.status, 101, `${name}: ${JSON.stringify(answer)}`)
      assert.equal(answer.protocol, 'jwt-accord.bearer', name)
      assert.equal(JSON.parse(answer.messages[0]).sub, 'ada', `${name} greets the caller`)
      assert.deepEqual([answer.code, answer.reason], [4401, 'expired'], name)
      // Closed at the expiry: not before exp, and within 1.5 s after it.
      const late = answer.closedAt / 1000 - exp
      assert.ok(late >= -0.05 && late < 1.5, `${name} closed ${late.toFixed(2)} s after exp`)
      console.log(`${name}: open ${((exp * 1000 - answer.opened) / 1000).toFixed(1)} s before exp, closed 4401 expired ${late.toFixed(2)} s after it`)
    }
  })
})
