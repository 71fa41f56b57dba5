// jwt-accord/ws (js/shared/integrations/ws.mjs) with node:http and a ws
// WebSocketServer on 127.0.0.1: every WebSocket case of tests/vectors/http.json
// (the handshake's header lines sent exactly: accepted with the subprotocol
// jwt-accord.bearer, refusals closed after accepting with 4401 and the code);
// the same through the ws client where it can express the case; a token that
// expires during the connection closes it with 4401 `expired`.
// The napi package only (ws is for Node); the wasm stage skips it.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { after, before, describe, test } from 'node:test'

import WebSocket, { WebSocketServer } from 'ws'

import { CASES, IMPL, expected, freshToken, isWebSocket, lib, optionsOf, serve } from './cases.mjs'

const skip = IMPL !== 'node' && 'ws is wired to the napi package (jwt-accord/ws)'
const integration = skip ? null : await import('jwt-accord/ws')

const SECRET = 'ws-test-secret-MARKER9d4e-0123456789abcdef0123'
const WS_CASES = CASES.filter(isWebSocket)

/** What a case's WebSocket sees: `{ protocol, close: [code, reason] }` or `{ protocol, auth }` (the first message). */
function expectation(c) {
  const want = expected(c)
  if (want.claims) return { claims: want.claims }
  return { close: [c.result.close_code, c.result.close_reason] }
}

/**
 * A handshake with exactly `lines` (`[name, value]`, repeated lines kept),
 * read frame by frame: `{ status, protocol, frame }`, the frame a close
 * (`{ close: [code, reason] }`) or a text message (`{ text }`). Within 5 s.
 */
function handshake(port, path, lines) {
  return new Promise((resolve, reject) => {
    const headers = ['Host', `127.0.0.1:${port}`, 'Connection', 'Upgrade', 'Upgrade', 'websocket', 'Sec-WebSocket-Version', '13', 'Sec-WebSocket-Key', randomBytes(16).toString('base64'), ...lines.flat()]
    const req = http.request({ host: '127.0.0.1', port, path, headers, timeout: 5000 })
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')))
    req.on('error', reject)
    req.on('response', (res) => resolve({ status: res.statusCode }))
    req.on('upgrade', (res, socket, head) => {
      let data = head
      const read = () => {
        if (data.length < 2) return
        const opcode = data[0] & 0x0f
        let length = data[1] & 0x7f
        let offset = 2
        if (length === 126) [length, offset] = [data.readUInt16BE(2), 4]
        if (data.length < offset + length) return
        const payload = data.subarray(offset, offset + length)
        socket.destroy()
        const frame = opcode === 0x8 ? { close: [payload.readUInt16BE(0), payload.subarray(2).toString('utf8')] } : { text: payload.toString('utf8') }
        resolve({ status: res.statusCode, protocol: res.headers['sec-websocket-protocol'], frame })
      }
      socket.on('data', (chunk) => {
        data = Buffer.concat([data, chunk])
        read()
      })
      read()
    })
    req.end()
  })
}

/**
 * Opens a ws client; resolves `{ protocol, messages, close: [code, reason] }`
 * when the connection closes (or rejects after 10 s). `hangUp`: the client
 * closes it (1000) after the first message.
 */
function wsClient(url, protocols, hangUp = false) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols)
    const messages = []
    const timer = setTimeout(() => {
      socket.terminate()
      reject(new Error('not closed within 10 s'))
    }, 10_000)
    socket.on('message', (data) => {
      messages.push(JSON.parse(data.toString()))
      if (hangUp) socket.close(1000)
    })
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    socket.on('close', (code, reason) => {
      clearTimeout(timer)
      resolve({ protocol: socket.protocol, messages, close: [code, reason.toString()] })
    })
  })
}

/** The ws client's `protocols` for a case's single header line, or null when it cannot send it as it is. */
function clientProtocols(c) {
  if (c.websocket_protocols.length === 0) return []
  if (c.websocket_protocols.length !== 1) return null
  const list = c.websocket_protocols[0].split(',').map((p) => p.trim())
  return new Set(list).size === list.length ? list : null
}

describe('jwt-accord/ws', { skip }, () => {
  let site
  const refused = []
  before(async () => {
    const routes = new Map()
    for (const c of [...WS_CASES, { name: 'fresh' }]) {
      // `fresh`: the system clock, for tokens signed now.
      const options = c.name === 'fresh' ? { verifier: new lib.Verifier(SECRET, { issuer: 'auth', audience: 'api' }), realm: 'api', environment: 'production' } : optionsOf(c)
      const auth = integration.websocketAuth(options, (error) => refused.push(error.code))
      routes.set(`/${c.name}`, { auth, wss: new WebSocketServer({ noServer: true, handleProtocols: auth.handleProtocols }) })
    }
    site = await serve((req, res) => res.writeHead(404).end())
    site.server.on('upgrade', (req, socket, head) => {
      const { auth, wss } = routes.get(req.url)
      auth.upgrade(wss, req, socket, head, (ws, verified) => {
        ws.send(JSON.stringify(verified))
        ws.on('message', (data) => ws.send(data.toString()))
      })
    })
  })
  after(() => site && site.close())

  test(`every WebSocket case of tests/vectors/http.json (${WS_CASES.length}), its header lines exactly`, async () => {
    for (const c of WS_CASES) {
      const got = await handshake(site.port, `/${c.name}`, c.websocket_protocols.map((v) => ['Sec-WebSocket-Protocol', v]))
      assert.equal(got.status, 101, `${c.name}: accepted, also when refused, so the client sees why`)
      const want = expectation(c)
      if (want.claims) {
        assert.equal(got.protocol, 'jwt-accord.bearer', c.name)
        assert.deepEqual(JSON.parse(got.frame.text).claims, want.claims, c.name)
      } else {
        assert.deepEqual(got.frame.close, want.close, c.name)
      }
    }
  })

  test('the same through the ws client, where it can send the case', async () => {
    let count = 0
    for (const c of WS_CASES) {
      const protocols = clientProtocols(c)
      if (protocols === null) continue
      count += 1
      const want = expectation(c)
      const got = await wsClient(`ws://127.0.0.1:${site.port}/${c.name}`, protocols, Boolean(want.claims))
      if (want.claims) {
        assert.equal(got.protocol, 'jwt-accord.bearer')
        assert.deepEqual(got.messages[0].claims, want.claims, c.name)
      } else {
        assert.deepEqual(got.close, want.close, c.name)
      }
    }
    assert.ok(count >= 5, `${count} cases through the ws client`)
  })

  test('a token that expires during the connection closes it with 4401 expired, at that moment', async () => {
    const token = freshToken(SECRET, 2)
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url'))
    const got = await wsClient(`ws://127.0.0.1:${site.port}/fresh`, ['jwt-accord.bearer', token])
    assert.equal(got.messages[0].claims.sub, 'u1')
    assert.deepEqual(got.close, [4401, 'expired'])
    const closedAt = Date.now() / 1000
    assert.ok(closedAt >= exp && closedAt < exp + 1.5, `closed at ${closedAt}, exp ${exp}`)
  })

  test('refusals reach the service log hook with their code', () => {
    assert.ok(refused.includes('expired') && refused.includes('missing_token') && refused.includes('invalid_request'), refused.join())
  })
})
